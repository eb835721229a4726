"""Tell a question about something else (a visa, a pay talk, a graphics card) from one the guides answer.

Each language pack lists questions of the kinds of topic a learner brings to a mentor that the guides don't
cover (LanguagePack.off_topic). A question closer to one of those than to every question the guides' sections
answer (rag.ingest.questions), by its pack's Thresholds.off_topic_margin, is about something else: its general
words ("offer", "GPU", "MLE") match the guides, but no sentence answers it. One far closer to the guides'
questions (Thresholds.sure_in_domain) is theirs, though BM25 finds little ("are bootcamps a waste of money?").
The listed questions are embedded once per process, by the index's own embedder.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..lang import registry


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
    """Each language pack's off-topic questions, embedded on first use with `encode` (the index's query encoder)."""

    def __init__(self, encode: Callable[[list[str]], Any]) -> None:
        self._encode = encode
        self._vectors: dict[str, Any] = {}
        self._lock = threading.Lock()

    def closest(self, language: str, query_vector: Any) -> float | None:
        """The highest cosine between the question and the pack's off-topic questions (None: the pack has none)."""
        import numpy as np

        with self._lock:
            if language not in self._vectors:
                listed = list(registry.pack(language).off_topic)
                self._vectors[language] = np.asarray(self._encode(listed), dtype="float32") if listed else None
            vectors = self._vectors[language]
        return None if vectors is None else float((vectors @ query_vector).max())
