"""Eval thresholds and baseline tolerances: the one place that says what "good enough" means.

Each check names a metric by its dotted path in the report summary. `min`/`max`
are absolute targets; `tolerance` is how far below the committed baseline a
metric may fall before the eval fails (None: not compared with the baseline).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    metric: str
    min: float | None = None
    max: float | None = None
    tolerance: float | None = 0.0


RETRIEVAL_TOLERANCE = 0.02

CHECKS: tuple[Check, ...] = (
    Check("retrieval.system.hit@3", min=0.90, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval.system.mrr", min=0.80, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval.system.ndcg@10", tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.en.hit@3", min=0.90, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.en.mrr", min=0.80, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.zh.hit@3", min=0.90, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.zh.mrr", min=0.80, tolerance=RETRIEVAL_TOLERANCE),
    Check("evidence.chunk_hit@3", tolerance=RETRIEVAL_TOLERANCE),
    Check("answers.citation_validity", min=1.0),
    Check("answers.grounding", min=1.0),
    Check("answers.refusal_accuracy", min=1.0),
    Check("answers.language_match", min=1.0),
    Check("answers.keyword_coverage", tolerance=0.02),
    Check("answers.forbidden_rate", max=0.0),
)
