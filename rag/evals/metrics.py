"""Evaluation metrics as pure functions: ranking metrics over doc ids, character ROUGE-L, percentiles.

Rankings are lists of doc ids, best first; duplicates (several chunks of one doc)
count once, at their best rank. Relevance is binary: a doc is relevant when it
is one of the case's expected docs.
"""

from __future__ import annotations

import math
import re


def dedupe(ranked: list[str]) -> list[str]:
    """Doc ids in first-seen order.

    >>> dedupe(["a", "b", "a", "c"])
    ['a', 'b', 'c']
    """
    return list(dict.fromkeys(ranked))


def first_hit_rank(ranked: list[str], expected: set[str]) -> int | None:
    """1-based rank of the first relevant doc, or None.

    >>> first_hit_rank(["x", "x", "a"], {"a"})
    2
    """
    for rank, doc in enumerate(dedupe(ranked), start=1):
        if doc in expected:
            return rank
    return None


def hit_at(ranked: list[str], expected: set[str], k: int) -> float:
    rank = first_hit_rank(ranked, expected)
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(ranked: list[str], expected: set[str]) -> float:
    rank = first_hit_rank(ranked, expected)
    return 1.0 / rank if rank else 0.0


def ndcg_at(ranked: list[str], expected: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG over the deduplicated doc ranking.

    >>> round(ndcg_at(["x", "a"], {"a"}), 4)  # 1/log2(3) over the ideal 1/log2(2)
    0.6309
    """
    docs = dedupe(ranked)[:k]
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(docs) if doc in expected)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(expected), k)))
    return dcg / ideal if ideal else 0.0


IGNORED = re.compile(r"[\s\W_]+", re.UNICODE)


def rouge_l_chars(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (white space and punctuation ignored), fit for Chinese.

    >>> rouge_l_chars("先学编程再学数学", "先学编程")
    0.6667
    """
    a, b = IGNORED.sub("", candidate.lower()), IGNORED.sub("", reference.lower())
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for ch in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if ch == other else max(previous[j], current[j - 1]))
        previous = current
    lcs = previous[-1]
    if not lcs:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return round(2 * precision * recall / (precision + recall), 4)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100).

    >>> percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 95)
    (2, 4)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0
