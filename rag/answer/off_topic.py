"""Tell a question about something else (a visa, a pay talk, a graphics card) from one the guides answer.

Each language pack lists questions of the kinds of topic a learner brings to a mentor that the guides don't
cover (LanguagePack.off_topic). A question closer to one of those than to every question the guides' sections
answer (rag.ingest.questions), by its pack's Thresholds.off_topic_margin, is about something else: its general
words ("offer", "GPU", "MLE") match the guides, but no sentence answers it. One far closer to the guides'
questions (Thresholds.sure_in_domain) is theirs, though BM25 finds little ("are bootcamps a waste of money?").
The listed questions are embedded at index time with the sections' questions. The questions a section lists as
told in a learner's situation (rag.ingest.questions) count in the comparison Settings.situation_handicap less close:
they find their section, but a story is nearly as close to another story off the guides' topics as to its own.

The margin is measured hub-free: each question's cosine less Settings.question_commonness times its commonness
(rag.index.sentences), so a generic section question ("what does an ML engineer do?") that sits near every
career question no longer outweighs the off-topic one it resembles ("字节的面试一般几轮？"). Far closer to the
guides is measured by plain cosines (a question on a generic topic of theirs is theirs) or, by a larger lead,
hub-free (Thresholds.sure_in_domain_hub_free): a long list holds off-topic questions about ML work that sit near
any generic career question by plain cosines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from statistics import median
from typing import Any, NamedTuple

from ..lang import registry


class Lead(NamedTuple):
    """How much closer a question comes to an off-topic question than to any the guides answer (negative: closer
    to the guides'), by plain cosines and hub-free (each less its commonness times a weight)."""

    raw: float
    hub_free: float


def off_topic_lead(closest_off_topic: float | None, closest_answered: float | None) -> float | None:
    """How much closer the question comes to an off-topic question than to any question the guides answer
    (negative: closer to the guides); None without either kind of question to compare with.

    >>> round(off_topic_lead(0.93, 0.90), 3), round(off_topic_lead(0.80, 0.87), 3), off_topic_lead(0.93, None)
    (0.03, -0.07, None)
    """
    if closest_off_topic is None or closest_answered is None:
        return None
    return closest_off_topic - closest_answered


class OffTopicQuestions:
    """The off-topic questions' cosines to a learner's: their vectors come from the index (made with the questions
    the sections answer, rag.index.indexer.off_topic_texts); those the index lacks (a pack's list changed since)
    are embedded on first use with `encode`, the index's query encoder, and kept."""

    def __init__(self, encode: Callable[[list[str]], Any]) -> None:
        self._encode = encode
        self._encoded: dict[str, Any] = {}
        self._lock = threading.Lock()

    def closest(self, language: str, query_vector: Any, held: Any,
                commonness_weight: float = 0.0) -> tuple[float, float] | None:
        """The highest cosine between the question and `language`'s off-topic questions, and the highest once each
        is less `commonness_weight` times its commonness (None: the pack has none); `held` is the index's question
        vectors (rag.index.sentences.SentenceVectors). One the index lacks counts as common as the median of those
        it holds (off-topic questions are hubs of no kind: most sit below the section questions' median)."""
        listed = registry.pack(language).off_topic
        cosines = [(text, held.similarity(query_vector, text)) for text in listed]
        missing = [text for text, cosine in cosines if cosine is None]
        pairs = [(cosine, cosine - commonness_weight * held.commonness_of(text)) for text, cosine in cosines
                 if cosine is not None]
        if missing:
            typical = median([held.commonness_of(text) for text, cosine in cosines if cosine is not None] or [0.0])
            pairs += [(cosine, cosine - commonness_weight * typical)
                      for cosine in (float(vector @ query_vector) for vector in self._vectors(missing))]
        if not pairs:
            return None
        return max(raw for raw, _ in pairs), max(hub_free for _, hub_free in pairs)

    def _vectors(self, texts: list[str]) -> list[Any]:
        """The texts' vectors, those not yet kept embedded in one batch."""
        with self._lock:
            new = [text for text in dict.fromkeys(texts) if text not in self._encoded]
            if new:
                self._encoded.update(zip(new, self._encode(new)))
            return [self._encoded[text] for text in texts]
