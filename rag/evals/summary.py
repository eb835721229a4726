"""Sum up scored cases (by split, by language, by retrieval mode) and check them against thresholds and the
committed baseline.
"""

from __future__ import annotations

from typing import Any

from .metrics import hit_at, mean, ndcg_at, percentile, reciprocal_rank
from .scoring import CaseResult
from .thresholds import CHECKS

MODES = ("hybrid", "dense", "bm25")


def share(held: int, total: int) -> float:
    return round(held / total, 4) if total else 1.0


def summarize(results: list[CaseResult]) -> dict:
    """The report's summary: retrieval by mode (the modes the cases were asked in) and by language, answer metrics."""
    scored = [r for r in results if r.expected_docs and not r.expect_refusal]
    modes = ["system", *(mode for mode in MODES if any(mode in r.retrieved for r in scored))]

    def retrieval(rows: list[CaseResult], mode: str) -> dict:
        pairs = [(r.retrieved.get(mode, []), set(r.expected_docs)) for r in rows]
        return {
            "hit@1": mean([hit_at(d, e, 1) for d, e in pairs]), "hit@3": mean([hit_at(d, e, 3) for d, e in pairs]),
            "hit@5": mean([hit_at(d, e, 5) for d, e in pairs]), "mrr": mean([reciprocal_rank(d, e) for d, e in pairs]),
            "ndcg@10": mean([ndcg_at(d, e, 10) for d, e in pairs]), "n": len(pairs),
        }

    predicted = [r.refused for r in results]
    actual = [r.expect_refusal for r in results]
    true_pos = sum(p and a for p, a in zip(predicted, actual))
    latencies = [r.latency_ms for r in results]
    answered = [r for r in results if not r.expect_refusal]
    with_chunks = [r for r in scored if r.expected_chunks]
    languages = sorted({r.language for r in scored})
    return {
        "retrieval": {mode: retrieval(scored, mode) for mode in modes},
        "retrieval_by_language": {lang: retrieval([r for r in scored if r.language == lang], "system") for lang in languages},
        # What the learner sees: an expected document among the answer's first three sources ([1]–[3]).
        "citations_by_language": {lang: {"cited@3": mean([float(bool(set(r.expected_docs) & set(r.cited_docs[:3])))
                                                         for r in scored if r.language == lang]),
                                         "n": sum(r.language == lang for r in scored)} for lang in languages},
        "evidence": {"chunk_hit@3": mean([float(bool(r.chunk_rank and r.chunk_rank <= 3)) for r in with_chunks]),
                     "n": len(with_chunks)},
        "answers": {
            "citation_validity": mean([float(r.citations_valid) for r in results]),
            "grounding": mean([r.grounding for r in results if r.grounding is not None]),
            "keyword_coverage": mean([float(r.keyword_hit) for r in answered if r.keyword_hit is not None]),
            "forbidden_rate": mean([float(r.forbidden_hit) for r in results]),
            "refusal_precision": round(true_pos / sum(predicted), 4) if sum(predicted) else 1.0,
            "refusal_recall": round(true_pos / sum(actual), 4) if sum(actual) else 1.0,
            "refusal_accuracy": mean([float(p == a) for p, a in zip(predicted, actual)]),
            "language_match": mean([float(r.language_ok) for r in results]),
            "rouge_l": mean([r.rouge_l for r in results if r.rouge_l is not None]),
            "evidence_language": share(sum(r.quotes_in_language for r in results), sum(r.quotes for r in results)),
            "alignment_validity": share(sum(r.translations_aligned for r in results), sum(r.translations for r in results)),
            "answer_relevance": mean([float(r.opening_relevant) for r in results if r.opening_relevant is not None]),
            "point_precision": share(sum(r.points_bearing for r in results), sum(r.points for r in results)),
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
        },
    }


def lookup(summary: dict, metric: str) -> float | None:
    value: Any = summary
    for part in metric.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def run_checks(summary: dict, baseline: dict[str, float] | None) -> list[dict]:
    """Each threshold and baseline check with its value and verdict (one that only applies with two splits,
    like the dev–test gap, is left out with one)."""
    rows = []
    for check in CHECKS:
        value = lookup(summary, check.metric)
        if value is None and not check.required:
            continue
        base = baseline.get(check.metric) if baseline and check.tolerance is not None else None
        why = []
        if value is None:
            why.append("missing")
        else:
            if check.min is not None and value < check.min:
                why.append(f"below the target {check.min}")
            if check.max is not None and value > check.max:
                why.append(f"above the limit {check.max}")
            if base is not None:
                if check.max is not None and value > base + check.tolerance:
                    why.append(f"worse than the baseline {base} by more than {check.tolerance}")
                elif check.max is None and value < base - check.tolerance:
                    why.append(f"below the baseline {base} by more than {check.tolerance}")
        rows.append({"metric": check.metric, "value": value, "min": check.min, "max": check.max,
                     "baseline": base, "ok": not why, "why": "; ".join(why), "gate": check.gate})
    return rows


def baseline_values(summary: dict) -> dict[str, float]:
    """The flat {metric: value} written to evals/baseline.json."""
    return {c.metric: lookup(summary, c.metric) for c in CHECKS if lookup(summary, c.metric) is not None}


