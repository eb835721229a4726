"""A BM25 index over chunk texts: Chinese segmented with jieba, English split into words.

The index keeps term counts per chunk and an inverted list per term, so a query
scores only the chunks that share a term with it. It is saved as one JSON file,
written to a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections import Counter
from pathlib import Path

from .errors import IndexCorruptError

WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*[a-z0-9+#]|[a-z0-9]")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
STOPWORDS = frozenset(
    "a an and are as at be by can do for from how i in is it me my of on or should "
    "that the this to what when where which who why will with you your "
    "的 了 是 我 你 他 她 它 们 在 和 与 及 或 也 都 就 要 会 能 可以 这 那 一个 什么 怎么 如何 吗 呢 吧 啊 "
    "之后 应该 我们 你们 他们 自己 一些 这些 那些 因为 所以 但是 如果 对于 以及 而且 并且 没有 不".split()
)
_jieba = None


def tokenize(text: str) -> list[str]:
    """Lower-cased search terms: English words and jieba's Chinese words, minus stopwords.

    >>> tokenize("学完 Python 之后学什么？")
    ['学完', 'python', '学']
    """
    terms: list[str] = []
    lowered = text.lower()
    cursor = 0
    for match in CJK.finditer(lowered):
        terms.extend(WORD.findall(lowered[cursor : match.start()]))
        terms.extend(_segment(match.group()))
        cursor = match.end()
    terms.extend(WORD.findall(lowered[cursor:]))
    return [t for t in terms if t not in STOPWORDS and t.strip()]


def _segment(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba.lcut(text)


class BM25Index:
    """Okapi BM25 over a fixed list of chunk ids (k1=1.5, b=0.75)."""

    def __init__(self, ids: list[str], term_counts: list[dict[str, int]], kinds: list[str] | None = None,
                 k1: float = 1.5, b: float = 0.75):
        self.ids = ids
        self.term_counts = term_counts
        self.kinds = kinds or [""] * len(ids)
        self.k1, self.b = k1, b
        self.lengths = [sum(c.values()) for c in term_counts]
        self.avg_length = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for row, counts in enumerate(term_counts):
            for term, tf in counts.items():
                self.postings.setdefault(term, []).append((row, tf))

    @classmethod
    def build(cls, ids: list[str], texts: list[str], kinds: list[str] | None = None) -> "BM25Index":
        return cls(ids, [dict(Counter(tokenize(t))) for t in texts], kinds)

    def idf(self, term: str) -> float:
        n = len(self.postings.get(term, ()))
        return math.log(1 + (len(self.ids) - n + 0.5) / (n + 0.5))

    def search(self, query: str, n: int, kind: str | None = None) -> list[tuple[str, float]]:
        """The `n` best (chunk id, BM25 score) pairs for `query`, best first; ties keep index order.

        With `kind`, only chunks of that kind (e.g. "guide") are ranked.
        """
        scores: dict[int, float] = {}
        for term in set(tokenize(query)):
            idf = self.idf(term)
            for row, tf in self.postings.get(term, ()):
                if kind is not None and self.kinds[row] != kind:
                    continue
                norm = self.k1 * (1 - self.b + self.b * self.lengths[row] / (self.avg_length or 1))
                scores[row] = scores.get(row, 0.0) + idf * tf * (self.k1 + 1) / (tf + norm)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:n]
        return [(self.ids[row], score) for row, score in best]

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"version": 1, "ids": self.ids, "kinds": self.kinds, "terms": self.term_counts}, ensure_ascii=False))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "BM25Index":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["ids"], data["terms"], data.get("kinds"))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise IndexCorruptError(f"The lexical index {path.name} cannot be read ({err}).") from err
