"""Answer a question from the index: refuse what must be refused, else retrieve, compose and cite.

The embedded answerer needs no LLM: `compose.select` picks verbatim sentences
and `citations` numbers and checks them. Every [n] is verified against the
retrieved chunks before the answer is returned; a point that fails is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from .citations import check_citations, number_citations, render_points
from .compose import select
from .config import Settings
from .followup import resolve
from .glossary import expand
from .guard import refusal_reason
from .intent import hours_per_week, is_duration_question, is_next_question, is_plan_request, paper_title
from .language import detect_language, phrase
from .plan import Cited, learning_plan, paper_plan
from .records import Answer, Hit
from .retrieval import clean_question, hybrid_search
from .roadmap import Roadmap, load_roadmap, next_stages, skills_in_text


class Mentor:
    """Answers questions from one opened index. Safe to share between threads (read-only)."""

    backend = "embedded"

    def __init__(self, reader: Any, settings: Settings | None = None, today: Callable[[], date] = date.today,
                 llm: Callable[[Answer, list[Hit]], Answer] | None = None) -> None:
        self.reader = reader
        self.settings = settings or Settings()
        self.today = today
        self._roadmap: Roadmap | None = None
        # Backend hook: an optional LLM (rag.llm.LLMBackend) that rewrites a grounded answer from
        # the same hits, cited and checked in code; it falls back to the answer it was given.
        self.llm = llm

    @property
    def roadmap(self) -> Roadmap:
        if self._roadmap is None:
            self._roadmap = load_roadmap(self.settings.corpus_dir)
        return self._roadmap

    def ask(self, question: str, history: Sequence[str] = (), language: str | None = None) -> Answer:
        """Answer `question`; `history` holds the conversation's earlier questions, oldest first."""
        started = time.perf_counter()
        text = clean_question(question)
        lang = language or detect_language(text)
        reason = refusal_reason(text)
        if reason:
            return self._refusal(text, text, lang, reason, [], started)
        searched = resolve(text, [clean_question(h) for h in history if h and h.strip()])
        title = paper_title(text)
        if title:
            return self._paper(text, title, lang, started)
        if is_plan_request(text):
            return self._plan(text, lang, started)
        if is_next_question(text):
            return self._next_steps(text, lang, started)
        if is_duration_question(searched):
            return self._duration(text, searched, lang, started)
        hits = hybrid_search(self.reader, searched, self.settings.answer_hits, self.settings)
        retrieved = time.perf_counter()
        if not self.supported(searched, hits, lang):
            return self._refusal(text, searched, lang, "not_covered", hits, started)
        picks = select(searched, hits, lang, self.reader.lexical.idf, self.settings.max_points)
        citations = number_citations(picks)
        body = "\n".join([phrase("lead", lang), *render_points(citations)])
        if check_citations(body, citations, hits) or not citations:  # never expected; never shown unchecked
            return self._refusal(text, searched, lang, "not_covered", hits, started)
        done = time.perf_counter()
        answer = Answer(
            question=text,
            answer=body,
            language=lang,
            grounded=True,
            refused=False,
            citations=citations,
            backend=self.backend,
            timings_ms=_ms(started, retrieved, done),
            resolved_question=searched,
        )
        return self.llm(answer, hits) if self.llm else answer  # the backend hook

    def _next_steps(self, question: str, lang: str, started: float) -> Answer:
        """ "What should I learn after X?": the next roadmap stages, each with the guide sentences behind it."""
        known = skills_in_text(self.roadmap, question)
        cited = Cited(self.reader)
        lines = []
        for stage in next_stages(self.roadmap, known):
            lines.append(f"**{stage.title[lang]}**: {stage.summary[lang]}")
            for quote in stage.cite[:2]:
                (n,) = cited.cite((quote,))
                lines.append(f"- “{quote.quote}” [{n}]")
            titles = [r["title"] for r in map(self.reader.note, stage.resources[:3]) if r]
            label = "资源" if lang == "zh" else "Resources"
            lines.append(f"  {label}: {'; '.join(titles)}")
        if lang == "zh":
            lead = "按照指南的路线图，接下来建议学习：" + ("（你已经会：" + "、".join(self.roadmap.skills[s]["zh"] for s in sorted(known)) + "）" if known else "")
            tail = "运行 `mentor plan --know …` 可以得到带日期的完整计划。"
        else:
            known_text = ", ".join(self.roadmap.skills[s]["en"] for s in sorted(known))
            lead = "Following the guides' roadmap, your next steps are" + (f" (you know: {known_text})" if known else "") + ":"
            tail = "Run `mentor plan --know …` for a dated plan."
        return self._grounded(question, question, lang, [lead, *lines, "", tail], cited, started)

    def _plan(self, question: str, lang: str, started: float) -> Answer:
        """ "Make me a learning plan: I know Python, 10 hours a week": the dated phases, each cited."""
        known = skills_in_text(self.roadmap, question)
        hours = hours_per_week(question)
        plan = learning_plan(self.roadmap, self.reader, known, hours, self.today(), lang)
        by_id = {stage.id: stage for stage in self.roadmap.stages}
        cited = Cited(self.reader)
        lines = [f"按每周 {hours:g} 小时、从 {plan.start_date} 开始，按指南路线图排出的计划：" if lang == "zh"
                 else f"A plan along the guides' roadmap at {hours:g} hours a week, from {plan.start_date}:"]
        for phase in plan.phases:
            quote = by_id[phase.stage_id].cite[0]
            (n,) = cited.cite((quote,))
            lines.append(f"- {phase.start_date} → {phase.end_date}: {phase.title} “{quote.quote}” [{n}]")
        lines += ["", *plan.assumptions, "",
                  "运行 `mentor plan` 可以得到含资源、项目和里程碑的完整计划。" if lang == "zh"
                  else "Run `mentor plan` for the full plan with resources, projects and milestones."]
        return self._grounded(question, question, lang, lines, cited, started)

    def _duration(self, question: str, searched: str, lang: str, started: float) -> Answer:
        """ "How long until I can get an MLE job?": the guides' own estimates, by starting point."""
        cited = Cited(self.reader)
        lines = ["指南按起点给出的时间估计：" if lang == "zh" else "The guides' own estimates, by where you start:"]
        for estimate in self.roadmap.estimates.values():
            for i, quote in enumerate(estimate["cite"]):
                (n,) = cited.cite((quote,))
                lines.append(f"- {estimate[lang] + ' ' if i == 0 else ''}“{quote.quote}” [{n}]")
        lines += ["", "运行 `mentor plan --know … --hours-per-week …` 可以按你的时间得到带日期的计划。" if lang == "zh"
                  else "Run `mentor plan --know … --hours-per-week …` for a dated plan at your pace."]
        return self._grounded(question, searched, lang, lines, cited, started)

    def _paper(self, question: str, title: str, lang: str, started: float) -> Answer:
        """ "Plan how I implement ResNet": the guides' method, time-boxed to four weeks."""
        plan = paper_plan(self.roadmap, self.reader, title, weeks=4, start=self.today(), language=lang)
        by_id = {step.id: step for step in self.roadmap.paper_method}
        lines = [("按照指南给出的论文复现方法，为《" + title + "》安排的 4 周计划：") if lang == "zh"
                 else f"A four-week plan for implementing “{title}”, following the method the guides give:"]
        for phase in plan.phases:
            for quote, n in zip(by_id[phase.stage_id].cite, phase.cites):
                lines.append(f"- {phase.start_date} → {phase.end_date}: {phase.title} “{quote.quote}” [{n}]")
        lines += ["", "运行 `mentor paper` 可以调整周数、加入链接和摘要。" if lang == "zh"
                  else "Run `mentor paper` to change the weeks and add the link and abstract."]
        cited = Cited(self.reader, plan.citations, [self.reader.find_quote(c.doc_id, c.quote) for c in plan.citations])
        return self._grounded(question, question, lang, lines, cited, started)

    def _grounded(self, question: str, searched: str, lang: str, lines: list[str], cited: Cited, started: float) -> Answer:
        body = "\n".join(lines)
        problems = check_citations(body, cited.citations, cited.hits)
        if problems:  # the roadmap's quotes are checked at load; this guards the rendering
            raise RuntimeError("; ".join(problems))
        now = time.perf_counter()
        return Answer(question=question, answer=body, language=lang, grounded=True, refused=False,
                      citations=cited.citations, backend=self.backend, timings_ms=_ms(started, now, now),
                      resolved_question=searched)

    def supported(self, question: str, hits: list[Hit], language: str) -> bool:
        """Is the best retrieved support strong enough to answer from?"""
        if not hits:
            return False
        similarity = max((h.similarity or 0.0) for h in hits)
        lexical = self.reader.lexical.search(expand(question), 1)
        score = lexical[0][1] if lexical else 0.0
        lang = "zh" if language == "zh" else "en"
        floor, sure, min_lexical = (dict(getattr(self.settings, name))[lang]
                                    for name in ("min_similarity", "sure_similarity", "min_lexical"))
        return similarity >= floor and (score >= min_lexical or similarity >= sure)

    def _refusal(self, question: str, searched: str, lang: str, reason: str, hits: list[Hit], started: float) -> Answer:
        lines = [phrase(reason, lang)]
        topics = nearest_topics(hits)
        if reason == "not_covered" and topics:
            lines += ["", phrase("nearest", lang), *[f"- {t}" for t in topics]]
        lines += ["", phrase("try", lang)]
        now = time.perf_counter()
        return Answer(
            question=question,
            answer="\n".join(lines),
            language=lang,
            grounded=False,
            refused=True,
            citations=[],
            backend=self.backend,
            timings_ms=_ms(started, now, now),
            reason=reason,
            resolved_question=searched,
        )


def nearest_topics(hits: list[Hit], n: int = 3) -> list[str]:
    """Section names of the nearest chunks, to suggest what the corpus does cover (no citation)."""
    topics: list[str] = []
    for hit in hits:
        parts = [p for p in hit.heading.split(" > ") if p.lower() not in ("english", "中文")]
        topic = f"{hit.title} › {parts[-1]}" if parts else hit.title
        if topic not in topics:
            topics.append(topic)
    return topics[:n]


def _ms(started: float, retrieved: float, done: float) -> dict[str, float]:
    return {
        "retrieve": round((retrieved - started) * 1000, 1),
        "compose": round((done - retrieved) * 1000, 1),
        "total": round((done - started) * 1000, 1),
    }
