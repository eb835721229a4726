"""Run the golden eval set through the answering pipeline and score it: retrieval, answers, checks.

Every case is asked exactly as a learner's question is (`Pipeline.stream`, with
the configured writer); retrieval is scored on the hits that answer came from,
for the configured mode ("system") and, with the same pipeline on other
settings, for hybrid, dense-only and BM25-only retrieval. Deterministic, no LLM
judge: doc ids (hit@k, MRR, nDCG@10), evidence chunks (hit@3 of the expected
passage), citation validity and grounding (checked against the hits),
keywords, forbidden content, refusals, language, character ROUGE-L, latency.
Thresholds come from `thresholds`; the report is written by `report`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..answer.citations import MARKER, check_citations
from ..answer.pipeline import Pipeline, Result, final_result
from ..lang import registry
from .cases import Case, load_cases
from .metrics import first_hit_rank, hit_at, mean, ndcg_at, percentile, reciprocal_rank, rouge_l_chars
from .thresholds import CHECKS

MODES = ("hybrid", "dense", "bm25")


@dataclass
class CaseResult:
    """Everything measured for one case (one row of the report)."""

    id: str
    question: str
    language: str
    kind: str
    expected_docs: list[str]
    expect_refusal: bool
    expected_chunks: list[str] = field(default_factory=list)
    route: str = ""
    retrieved: dict[str, list[str]] = field(default_factory=dict)  # mode -> ranked doc ids of the answer's hits
    hit_rank: int | None = None
    chunk_rank: int | None = None  # rank of the first hit holding an expected passage (expected_chunks)
    answer: str = ""
    grounded: bool = False
    refused: bool = False
    cited_docs: list[str] = field(default_factory=list)
    citations_valid: bool = True
    grounding: float | None = None
    keyword_hit: bool | None = None
    forbidden_hit: bool = False
    language_ok: bool = True
    rouge_l: float | None = None
    latency_ms: float = 0.0
    backend: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["retrieved_docs"] = self.retrieved.get("system", [])[:5]
        data["passed"] = self.passed
        return data


def check_result(result: Result) -> tuple[bool, float | None]:
    """(every [n] names a citation and every citation holds against the hits, share of points that hold)."""
    answer = result.answer
    points = [line for line in answer.answer.splitlines() if MARKER.search(line)]
    problems = check_citations(answer.answer, answer.citations, result.hits)
    markers = {int(n) for n in MARKER.findall(answer.answer)}
    valid = not problems and markers == {c.n for c in answer.citations}
    return valid, (1 - len(problems) / len(points)) if points else None


def chunk_rank(result: Result, anchors: tuple[str, ...]) -> int | None:
    """1-based rank of the first hit whose text holds one of the expected passages."""
    return next((i for i, hit in enumerate(result.hits, start=1) if any(a in hit.text for a in anchors)), None)


def evaluate_case(case: Case, pipelines: dict[str, Pipeline], system: str, writer: Any = None) -> CaseResult:
    """Ask one case through the pipeline (and its ablations) and score it."""
    result_row = CaseResult(case.id, case.question, case.language, case.kind, list(case.expected_docs), case.expect_refusal)
    history = list(case.turns[:-1])
    started = time.perf_counter()
    result = final_result(pipelines[system].stream(case.question, history, writer=writer))
    result_row.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    expected = set(case.expected_docs)
    if expected:
        for mode, pipeline in pipelines.items():
            hits = result.hits if mode == system else pipeline.ask(case.question, history).hits
            result_row.retrieved[mode] = [h.doc_id for h in hits]
        result_row.retrieved["system"] = result_row.retrieved[system]
        result_row.hit_rank = first_hit_rank(result_row.retrieved["system"], expected)
    if case.expected_chunks:
        result_row.expected_chunks = list(case.expected_chunks)
        result_row.chunk_rank = chunk_rank(result, case.expected_chunks)
    answer = result.answer
    r = result_row
    r.route, r.answer, r.grounded, r.refused, r.backend = result.route, answer.answer, answer.grounded, answer.refused, answer.backend
    r.cited_docs = list(dict.fromkeys(c.doc_id for c in answer.citations))
    r.citations_valid, r.grounding = check_result(result)
    text = answer.answer.lower()
    if case.must_include_any and not case.expect_refusal:
        r.keyword_hit = any(k.lower() in text for k in case.must_include_any)
    r.forbidden_hit = any(k.lower() in text for k in case.must_not_include)
    first_line = answer.answer.splitlines()[0] if answer.answer else ""
    r.language_ok = answer.language == case.language and registry.detect(first_line) == case.language
    if case.reference and not case.expect_refusal:
        r.rouge_l = rouge_l_chars(answer.answer, case.reference)
    r.failures = _failures(case, r, expected)
    return r


def _failures(case: Case, r: CaseResult, expected: set[str]) -> list[str]:
    why = []
    if r.refused != case.expect_refusal:
        why.append("refused but should answer" if r.refused else "answered but should refuse")
    if expected and not case.expect_refusal and not r.refused:
        if not (r.hit_rank and r.hit_rank <= 3) and not expected & set(r.cited_docs):
            why.append(f"no expected doc in the top 3 or the citations (got {r.retrieved['system'][:3]})")
    if not r.citations_valid:
        why.append("a citation does not hold")
    if r.grounding is not None and r.grounding < 1:
        why.append(f"grounding {r.grounding:.2f}")
    if r.keyword_hit is False:
        why.append(f"none of {list(case.must_include_any)} in the answer")
    if r.forbidden_hit:
        why.append(f"forbidden content {list(case.must_not_include)}")
    if not r.language_ok:
        why.append("answer language does not match")
    return why


def summarize(results: list[CaseResult]) -> dict:
    """The report's summary: retrieval by mode and by language, answer metrics."""
    scored = [r for r in results if r.expected_docs and not r.expect_refusal]

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
        "retrieval": {mode: retrieval(scored, mode) for mode in ("system", *MODES)},
        "retrieval_by_language": {lang: retrieval([r for r in scored if r.language == lang], "system") for lang in languages},
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
    """Each threshold and baseline check with its value and verdict."""
    rows = []
    for check in CHECKS:
        value = lookup(summary, check.metric)
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
                     "baseline": base, "ok": not why, "why": "; ".join(why)})
    return rows


def baseline_values(summary: dict) -> dict[str, float]:
    """The flat {metric: value} written to evals/baseline.json."""
    return {c.metric: lookup(summary, c.metric) for c in CHECKS if lookup(summary, c.metric) is not None}


def run_eval(pipeline: Pipeline, cases_path: Path, out_dir: Path, writer: Any = None,
             progress: Callable[[int, int], None] | None = None, baseline: dict[str, float] | None = None) -> dict:
    """Evaluate every case with `pipeline` (and `writer`, an LLM backend or None), write report.json,
    report.md and charts into `out_dir`, and return the report."""
    from .report import write_report

    cases = load_cases(cases_path)
    system = pipeline.settings.retrieval_mode
    pipelines = {mode: pipeline if mode == system else Pipeline(pipeline.reader, replace(pipeline.settings, retrieval_mode=mode),
                                                                  pipeline.today) for mode in MODES}
    results = []
    for i, case in enumerate(cases, start=1):
        results.append(evaluate_case(case, pipelines, system, writer))
        if progress:
            progress(i, len(cases))
    summary = summarize(results)
    checks = run_checks(summary, baseline)
    report = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cases_file": cases_path.name,
        "backend": writer.name if writer else "embedded",
        "n_cases": len(results),
        "retrieval_mode": system,
        "passed": all(c["ok"] for c in checks),
        "summary": summary,
        "checks": checks,
        "cases": [r.to_dict() for r in results],
    }
    report["charts"] = write_report(report, Path(out_dir))
    return report
