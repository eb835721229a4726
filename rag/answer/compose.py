"""The embedded answerer's core: pick the sentences of the retrieved chunks that answer the question.

No model: sentences are scored by how much of the question's (glossary-expanded)
search terms they carry, weighted by BM25 idf, times a prior from the chunk's rank
and a language preference (an English question prefers a bilingual note's section
headed "English" to its "中文" twin: section names are the packs' names). Near-duplicates are skipped, at most two sentences come
from one chunk, and the picks are returned in reading order. Deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..ingest.chunking import split_sentences
from ..lang import registry
from ..lang.text import tokenize
from ..records import Hit

LIST_MARKER = re.compile(r"^(?:[-*+>]\s+|\d+[.、)]\s*|#+\s+)+")
MIN_CHARS = 8


def candidate_sentences(hit: Hit) -> list[str]:
    """The quotable sentences of a chunk, list markers stripped, each a verbatim substring.

    >>> h = Hit("c", "d", "T", "", "u", "guide", "以下是:\\n- 先学 Python。\\n1. 再学数学。", 0, 0, 0, 1, None, 1, 1)
    >>> candidate_sentences(h)
    ['以下是:', '先学 Python。', '再学数学。']
    """
    out = []
    for start, end in split_sentences(hit.text, 0, len(hit.text)):
        sentence = LIST_MARKER.sub("", hit.text[start:end]).strip()
        if len(sentence) >= 4 and not sentence.startswith(("![", "```")):
            out.append(sentence)
    return out


def language_factor(hit: Hit, language: str, other_weight: float) -> float:
    """Prefer the section of a bilingual note written in the question's language (its pack's boost);
    a section in another language weighs `other_weight`; text outside such sections 1.

    >>> h = Hit("c", "d", "T", "CS50 > English", "u", "course", "", 0, 0, 0, 1, None, 1, 1)
    >>> language_factor(h, "en", 0.3), language_factor(h, "zh", 0.3)
    (1.25, 0.3)
    """
    section = hit.heading.rsplit(" > ", 1)[-1].strip().lower()
    for pack in registry.packs():
        if section == pack.name.lower():
            return pack.section_boost if pack.code == language else other_weight
    return 1.0


def bigrams(text: str) -> set[str]:
    compact = re.sub(r"\s+", "", text.lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def near_duplicate(a: str, b: str, threshold: float = 0.6) -> bool:
    """Character-bigram Jaccard similarity at or above `threshold` (works for Chinese and English)."""
    x, y = bigrams(a), bigrams(b)
    return bool(x and y) and len(x & y) / len(x | y) >= threshold


def score_sentences(question_terms: list[str], hits: list[Hit], language: str, idf: Callable[[str], float],
                    other_weight: float) -> list[tuple[float, int, int, str, float]]:
    """(score, hit index, position in chunk, sentence, relevance) for every candidate sentence.

    Relevance is the idf-weighted share of the question's terms in the sentence (plus its
    section heading's share for a section's first sentences); the score adds the chunk's
    rank prior and the language preference.
    """
    terms = set(question_terms)
    total = sum(idf(t) for t in terms) or 1.0

    def overlap(text: str) -> float:
        return sum(idf(t) for t in terms & set(tokenize(text))) / total

    scored = []
    for i, hit in enumerate(hits):
        prior = 1.0 / (1.0 + 0.25 * i)
        factor = language_factor(hit, language, other_weight)
        # A section whose heading matches the question answers it in its first sentences.
        heading = overlap(hit.heading.rsplit(" > ", 1)[-1])
        for position, sentence in enumerate(candidate_sentences(hit)):
            if len(sentence) < MIN_CHARS:
                continue
            weight = 0.6 if sentence.endswith((":", "：")) else 1.0
            relevance = overlap(sentence) + heading * (0.5 if position < 2 else 0.2)
            scored.append((prior * factor * weight * (0.3 + relevance), i, position, sentence, relevance))
    return scored


def select(question_terms: list[str], hits: list[Hit], language: str, idf: Callable[[str], float],
           max_points: int, other_weight: float = 0.3, per_chunk: int = 2, keep_ratio: float = 0.35) -> list[tuple[Hit, str]]:
    """The sentences that answer the question (its search terms), as (hit, verbatim sentence), in reading order."""
    scored = sorted(score_sentences(question_terms, hits, language, idf, other_weight), key=lambda s: (-s[0], s[1], s[2]))
    if any(s[4] > 0 for s in scored):  # sentences sharing nothing with the question only when nothing does
        scored = [s for s in scored if s[4] > 0]
    if not scored:
        return []
    floor = scored[0][0] * keep_ratio
    chosen: list[tuple[float, int, int, str, float]] = []
    for item in scored:
        score, i, _, sentence, _ = item
        if score < floor or len(chosen) == max_points:
            break
        if sum(1 for c in chosen if c[1] == i) >= per_chunk:
            continue
        if any(near_duplicate(sentence, c[3]) for c in chosen):
            continue
        chosen.append(item)
    chosen.sort(key=lambda c: (c[1], c[2]))
    return [(hits[i], sentence) for _, i, _, sentence, _ in chosen]
