"""Eval thresholds and baseline tolerances: the one place that says what "good enough" means.

Each check names a metric by its dotted path in the report summary (the gate split's: test). `min`/`max`
are absolute limits; `tolerance` is how far below the committed baseline a metric may fall before the eval
fails (None: not compared with the baseline). A check with `gate=False` is a target: reported, met or
missed, without failing the run (the open issues' targets, until they are met and become gates).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    metric: str
    min: float | None = None
    max: float | None = None
    tolerance: float | None = 0.0
    required: bool = True  # False: checked only when the report has it (the dev–test gap needs both splits)
    gate: bool = True  # False: a target, reported but not failing the run


RETRIEVAL_TOLERANCE = 0.02

CHECKS: tuple[Check, ...] = (
    # Regression gates on the held-out test split (limits a little under what it measures now).
    Check("retrieval.system.hit@3", min=0.88, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval.system.mrr", min=0.70, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval.system.ndcg@10", tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.en.hit@3", min=0.85, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.en.mrr", min=0.65, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.zh.hit@3", min=0.85, tolerance=RETRIEVAL_TOLERANCE),
    Check("retrieval_by_language.zh.mrr", min=0.70, tolerance=RETRIEVAL_TOLERANCE),
    Check("evidence.chunk_hit@3", tolerance=RETRIEVAL_TOLERANCE),
    Check("answers.citation_validity", min=1.0),
    Check("answers.alignment_validity", min=1.0),
    Check("answers.grounding", min=1.0),
    Check("answers.refusal_accuracy", min=0.98, tolerance=0.0),
    Check("answers.language_match", min=1.0),
    Check("answers.keyword_coverage", tolerance=0.02),
    Check("answers.evidence_language", tolerance=0.02),
    Check("answers.answer_relevance", tolerance=0.03),
    Check("answers.point_precision", tolerance=0.03),
    Check("answers.forbidden_rate", max=0.0),
    Check("citations_by_language.en.cited@3", tolerance=RETRIEVAL_TOLERANCE),
    Check("citations_by_language.zh.cited@3", tolerance=RETRIEVAL_TOLERANCE),
    # Targets of the open answer-quality issue, on the test split: reported, not yet gating. "Expected guide in
    # the top 3 citations" is what the learner sees (the answer's sources [1]–[3]), not the hits behind them.
    Check("citations_by_language.en.cited@3", min=0.92, tolerance=None, gate=False),
    Check("citations_by_language.zh.cited@3", min=0.92, tolerance=None, gate=False),
    Check("answers.keyword_coverage", min=0.85, tolerance=None, gate=False),
    Check("answers.evidence_language", min=0.95, tolerance=None, gate=False),
    Check("answers.refusal_accuracy", min=1.0, tolerance=None, gate=False),
    Check("gap.hit@3", max=0.05, tolerance=None, required=False, gate=False),
)
