"""Run the golden eval set: retrieval metrics (three ablations), answer metrics, checks, report.

"system" is the retrieval the configured mentor uses (MENTOR_RETRIEVAL_MODE, hybrid by
default); the checks gate it, so switching to dense-only shows up as a regression.

Deterministic, no LLM judge. Retrieval is scored on doc ids (hit@k, MRR, nDCG@10)
for hybrid, dense-only and BM25-only retrieval in the same run; answers on
citation validity, grounding, keywords, forbidden content, refusals, language,
character ROUGE-L and latency. Checks come from `eval_config`; the report is
written by `eval_report`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from .citations import MARKER, POINT, QUOTED
from .config import Settings
from .errors import EvalError
from .eval_config import CHECKS
from .followup import resolve
from .language import detect_language
from .metrics import first_hit_rank, hit_at, mean, ndcg_at, percentile, reciprocal_rank, rouge_l_chars
from .records import Answer
from .retrieval import hybrid_search

MODES = ("hybrid", "dense", "bm25")
KINDS = {"answer", "refusal", "followup", "plan", "paper"}


@dataclass(frozen=True)
class Case:
    id: str
    turns: tuple[str, ...]
    language: str
    kind: str
    expected_docs: tuple[str, ...] = ()
    expected_chunks: tuple[str, ...] = ()
    must_include_any: tuple[str, ...] = ()
    must_not_include: tuple[str, ...] = ()
    expect_refusal: bool = False
    reference: str = ""

    @property
    def question(self) -> str:
        return self.turns[-1]


def load_cases(path: Path) -> list[Case]:
    """Read and validate a cases file (schema: evals/README.md)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise EvalError(f"The eval cases file {path} cannot be read ({type(err).__name__}).") from err
    rows = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise EvalError(f"{path} must have a non-empty list under 'cases'.")
    cases, seen = [], set()
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("id"):
            raise EvalError(f"{path}: case {i} has no id.")
        turns = row.get("turns") or ([row["question"]] if row.get("question") else [])
        problem = (
            "no question or turns" if not turns or not all(isinstance(t, str) and t.strip() for t in turns)
            else f"language {row.get('language')!r} is not en or zh" if row.get("language") not in ("en", "zh")
            else f"kind {row.get('kind')!r} is not one of {', '.join(sorted(KINDS))}" if row.get("kind") not in KINDS
            else "a duplicate id" if row["id"] in seen else ""
        )
        if problem:
            raise EvalError(f"{path}: case {row['id']} has {problem}.")
        seen.add(row["id"])
        cases.append(Case(
            id=row["id"], turns=tuple(turns), language=row["language"], kind=row["kind"],
            expected_docs=tuple(row.get("expected_docs") or ()), expected_chunks=tuple(row.get("expected_chunks") or ()),
            must_include_any=tuple(row.get("must_include_any") or ()), must_not_include=tuple(row.get("must_not_include") or ()),
            expect_refusal=bool(row.get("expect_refusal", False)), reference=str(row.get("reference") or ""),
        ))
    return cases


@dataclass
class CaseResult:
    """Everything measured for one case (one row of the report)."""

    id: str
    question: str
    language: str
    kind: str
    expected_docs: list[str]
    expect_refusal: bool
    retrieved: dict[str, list[str]] = field(default_factory=dict)  # mode -> ranked doc ids
    hit_rank: int | None = None
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


def check_answer(answer: Answer, reader: Any) -> tuple[bool, float | None]:
    """(every [n] resolves and every quote is in its chunk, share of points supported by their chunk)."""
    markers = {int(n) for n in MARKER.findall(answer.answer)}
    numbers = {c.n for c in answer.citations}
    stored = reader.fetch([c.chunk_id for c in answer.citations])
    valid = markers == numbers and all(c.chunk_id in stored and c.quote in stored[c.chunk_id][0] for c in answer.citations)
    by_n = {c.n: stored.get(c.chunk_id, ("", {}))[0] for c in answer.citations}
    points = [line.strip() for line in answer.answer.splitlines() if MARKER.search(line)]
    if not points:
        return valid, None
    supported = 0
    for line in points:
        match = POINT.match(line)
        if match:
            quoted = QUOTED.search(match["text"])
            text = quoted["quote"] if quoted else match["text"]
            supported += text in by_n.get(int(match["n"]), "")
    return valid, supported / len(points)


def evaluate_case(case: Case, mentor: Any, settings: Settings) -> CaseResult:
    """Retrieve in every mode, answer, and score one case."""
    result = CaseResult(case.id, case.question, case.language, case.kind, list(case.expected_docs), case.expect_refusal)
    history = list(case.turns[:-1])
    expected = set(case.expected_docs)
    if expected:
        searched = resolve(case.question, history)
        for mode in MODES:
            hits = hybrid_search(mentor.reader, searched, 10, replace(settings, retrieval_mode=mode))
            result.retrieved[mode] = [h.doc_id for h in hits]
        result.retrieved["system"] = result.retrieved[settings.retrieval_mode]  # what the configured mentor uses
        result.hit_rank = first_hit_rank(result.retrieved["system"], expected)
    started = time.perf_counter()
    answer = mentor.ask(case.question, history=history)
    result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    result.answer, result.grounded, result.refused, result.backend = answer.answer, answer.grounded, answer.refused, answer.backend
    result.cited_docs = list(dict.fromkeys(c.doc_id for c in answer.citations))
    result.citations_valid, result.grounding = check_answer(answer, mentor.reader)
    text = answer.answer.lower()
    if case.must_include_any and not case.expect_refusal:
        result.keyword_hit = any(k.lower() in text for k in case.must_include_any)
    result.forbidden_hit = any(k.lower() in text for k in case.must_not_include)
    first_line = answer.answer.splitlines()[0] if answer.answer else ""
    result.language_ok = answer.language == case.language and detect_language(first_line) == case.language
    if case.reference and not case.expect_refusal:
        result.rouge_l = rouge_l_chars(answer.answer, case.reference)
    result.failures = _failures(case, result, expected)
    return result


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
    return {
        "retrieval": {mode: retrieval(scored, mode) for mode in ("system", *MODES)},
        "retrieval_by_language": {lang: retrieval([r for r in scored if r.language == lang], "system") for lang in ("en", "zh")},
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


def run_eval(settings: Settings, cases_path: Path, out_dir: Path, progress: Callable[[int, int], None] | None = None,
             baseline: dict[str, float] | None = None, mentor: Any = None) -> dict:
    """Evaluate every case, write report.json, report.md and charts into `out_dir`, return the report."""
    from .engine import open_mentor
    from .eval_report import write_report

    cases = load_cases(cases_path)
    mentor = mentor or open_mentor(settings)
    results = []
    for i, case in enumerate(cases, start=1):
        results.append(evaluate_case(case, mentor, settings))
        if progress:
            progress(i, len(cases))
    summary = summarize(results)
    checks = run_checks(summary, baseline)
    report = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cases_file": str(cases_path),
        "backend": getattr(getattr(mentor, "llm", None), "name", None) or "embedded",
        "n_cases": len(results),
        "retrieval_mode": settings.retrieval_mode,
        "passed": all(c["ok"] for c in checks),
        "summary": summary,
        "checks": checks,
        "cases": [r.to_dict() for r in results],
    }
    report["charts"] = write_report(report, Path(out_dir))
    return report
