"""A BM25 index over chunk texts, cut into terms by the language packs (jieba for Chinese).

The index keeps term counts per chunk and an inverted list per term, so a query
scores only the chunks that share a term with it. It is saved as one JSON file,
written to a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError
from ..lang.text import tokenize


class BM25Index:
    """Okapi BM25 over a fixed list of chunk ids (k1=1.5, b=0.75).

    Postings are numpy arrays (rows, term frequencies) per term and the length
    normalisation is precomputed, so a query costs a few vector operations per term.
    """

    def __init__(self, ids: list[str], term_counts: list[dict[str, int]], kinds: list[str] | None = None,
                 views: list[str] | None = None, k1: float = 1.5, b: float = 0.75):
        import numpy as np

        self.ids = ids
        self.term_counts = term_counts
        self.kinds = kinds or [""] * len(ids)
        self.views = views or ["*"] * len(ids)  # the language of the questions each chunk answers ("*": any)
        self.view_codes = frozenset(self.views) - {"*"}
        self.view_of = np.array(self.views)
        self.k1, self.b = k1, b
        lengths = np.array([sum(c.values()) for c in term_counts], dtype=np.float32)
        average = float(lengths.mean()) if len(lengths) else 1.0
        self.norms = k1 * (1 - b + b * lengths / (average or 1.0))
        kind_names = sorted(set(self.kinds))
        self.kind_codes = {name: code for code, name in enumerate(kind_names)}
        self.kind_of = np.array([self.kind_codes[k] for k in self.kinds], dtype=np.int16)
        rows: dict[str, list[int]] = {}
        tfs: dict[str, list[int]] = {}
        for row, counts in enumerate(term_counts):
            for term, tf in counts.items():
                rows.setdefault(term, []).append(row)
                tfs.setdefault(term, []).append(tf)
        self.postings = {t: (np.array(r, dtype=np.int32), np.array(tfs[t], dtype=np.float32)) for t, r in rows.items()}

    def answering(self, view: str | None) -> frozenset[str]:
        """The ids of the chunks that answer questions in language `view` (None: any language); kept per view."""
        cache = self.__dict__.setdefault("_answering", {})
        if view not in cache:
            cache[view] = frozenset(cid for cid, v in zip(self.ids, self.views) if view is None or v in (view, "*"))
        return cache[view]

    def of_kind(self, kind: str) -> frozenset[str]:
        """The ids of the chunks of `kind` ("guide", "course", …); kept per kind."""
        cache = self.__dict__.setdefault("_of_kind", {})
        if kind not in cache:
            cache[kind] = frozenset(cid for cid, k in zip(self.ids, self.kinds) if k == kind)
        return cache[kind]

    @classmethod
    def build(cls, ids: list[str], texts: list[str], kinds: list[str] | None = None,
              views: list[str] | None = None) -> "BM25Index":
        return cls(ids, [dict(Counter(tokenize(t))) for t in texts], kinds, views)

    def idf(self, term: str) -> float:
        posting = self.postings.get(term)
        n = len(posting[0]) if posting else 0
        return math.log(1 + (len(self.ids) - n + 0.5) / (n + 0.5))

    def search(self, query: str | list[str], n: int, kind: str | None = None,
               view: str | None = None) -> list[tuple[str, float]]:
        """The `n` best (chunk id, BM25 score) pairs for `query` (text, or its terms), best first;
        ties keep index order. With `kind`, only chunks of that kind (e.g. "guide") are ranked; with
        `view`, only chunks that answer questions in that language.
        """
        return self.rank(self.scores(query), n, kind, view)

    def scores(self, query: str | list[str]) -> Any:
        """Every chunk's BM25 score for `query` (text, or its terms), in index order: computed once, ranked
        as often as a question needs (`rank`)."""
        import numpy as np

        scores = np.zeros(len(self.ids), dtype=np.float64)
        for term in set(tokenize(query) if isinstance(query, str) else query):
            posting = self.postings.get(term)
            if posting is None:
                continue
            rows, tf = posting  # a term's rows are distinct: a fancy-indexed add is exact
            scores[rows] += self.idf(term) * tf * (self.k1 + 1) / (tf + self.norms[rows])
        return scores

    def rank(self, scores: Any, n: int, kind: str | None = None, view: str | None = None) -> list[tuple[str, float]]:
        """The `n` best (chunk id, score) pairs of `scores` (from `scores`, left unchanged), as `search` ranks them."""
        import numpy as np

        if kind is not None and kind not in self.kind_codes:
            return []
        keep = scores > 0
        if kind is not None:
            keep &= self.kind_of == self.kind_codes[kind]
        if view is not None:
            keep &= (self.view_of == view) | (self.view_of == "*")
        candidates = np.flatnonzero(keep)
        if len(candidates) > n:
            candidates = candidates[np.argpartition(-scores[candidates], n - 1)[:n]]
        best = sorted(candidates.tolist(), key=lambda row: (-scores[row], row))[:n]
        return [(self.ids[row], float(scores[row])) for row in best]

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps({"version": 2, "ids": self.ids, "kinds": self.kinds, "views": self.views,
                                   "terms": self.term_counts}, ensure_ascii=False))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "BM25Index":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["ids"], data["terms"], data.get("kinds"), data.get("views"))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise IndexCorruptError(f"The lexical index {path.name} cannot be read ({err}).") from err
