"""Score one eval case: ask it through the pipeline (and its ablations) exactly as a learner would, then
measure retrieval, citations, keywords, refusals, language and what the answer shows.

Deterministic, no LLM judge. Besides the document ranks: evidence hit (an expected passage among the first
hits), the language of the quotes shown, whether the opening point carries an expected keyword, and the
share of shown points that bear on the question (a keyword, or an expected passage in its source).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..answer.citations import MARKER, POINT, check_citations, rendering_of
from ..answer.pipeline import Pipeline, Result, final_result
from ..lang import registry
from .cases import Case
from .metrics import first_hit_rank, rouge_l_chars


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
    quotes: int = 0  # quotes shown, and how many of them in the question's language (translations count)
    quotes_in_language: int = 0
    translations: int = 0  # translated quotes, and how many are the aligned rendering of their original
    translations_aligned: int = 0
    opening_relevant: bool | None = None  # the first point holds an expected keyword
    points: int = 0  # points shown (when the case has keywords), and how many bear on the question
    points_bearing: int = 0
    plan_missing: list[str] = field(default_factory=list)  # names of `expect_plan` the answer lacks
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
    result = final_result(pipelines[system].stream(case.question, history, writer=writer, progress=case.profile))
    result_row.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    expected = set(case.expected_docs)
    if expected:
        for mode, pipeline in pipelines.items():
            hits = result.hits if mode == system else pipeline.ask(case.question, history, progress=case.profile).hits
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
    r.plan_missing = [term for term in case.plan_terms if term.lower() not in text]
    first_line = answer.answer.splitlines()[0] if answer.answer else ""
    r.language_ok = answer.language == case.language and registry.detect(first_line) == case.language
    if case.reference and not case.expect_refusal:
        r.rouge_l = rouge_l_chars(answer.answer, case.reference)
    shown_measures(r, case, result)
    r.failures = _failures(case, r, expected)
    return r


def shown_measures(r: CaseResult, case: Case, result: Result) -> None:
    """What the answer shows: its quotes' language and alignment, its opening point, the points that bear."""
    answer, hits = result.answer, {h.chunk_id: h for h in result.hits}
    for c in answer.citations:
        r.quotes += 1
        r.quotes_in_language += registry.detect(c.quote_translation or c.quote) == case.language
        if c.quote_translation:
            r.translations += 1
            r.translations_aligned += c.chunk_id in hits and rendering_of(hits[c.chunk_id], c.quote) == c.quote_translation
    keywords = [k.lower() for k in case.must_include_any]
    if answer.refused or not keywords:
        return
    lines = [line.strip() for line in answer.answer.splitlines() if POINT.match(line.strip())]
    by_n = {c.n: hits.get(c.chunk_id) for c in answer.citations}
    bearing = [any(k in line.lower() for k in keywords)
               or any(a in getattr(by_n.get(int(MARKER.findall(line)[-1])), "text", "") for a in case.expected_chunks)
               for line in lines]
    r.points, r.points_bearing = len(lines), sum(bearing)
    r.opening_relevant = bool(lines) and any(k in lines[0].lower() for k in keywords)


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
    if r.plan_missing:
        why.append(f"the plan does not name {r.plan_missing}")
    if r.forbidden_hit:
        why.append(f"forbidden content {list(case.must_not_include)}")
    if not r.language_ok:
        why.append("answer language does not match")
    return why


