"""Dated learning plans and paper-implementation plans, built from the roadmap and cited to the guides.

Durations come from the guides' own estimate for the learner's starting point
(rag.answer.starting: from scratch, a developer, a data scientist, a course), named
and cited in the plan, split between stages by the roadmap's weights and stretched
to the learner's hours a week; stages beyond that estimate are listed with this
project's own estimate, labelled so. A paper plan
time-boxes the guides' method to the weeks given and says nothing about the paper
beyond what the learner typed. The clock comes in as an argument.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from ..errors import CorpusError
from ..ingest.roadmap import Quote, Roadmap, done_stages
from ..lang import registry
from ..records import Citation
from .citations import Citations, find_quote, rendering_of
from .starting import estimate_hours, paces, stage_hours, starting_point, weeks_at


def cite(cited: Citations, reader: Any, quotes: tuple[Quote, ...], language: str) -> list[int]:
    """The numbers of the roadmap quotes, each cited once (shown in `language` where the guide has a rendering)."""
    numbers = []
    for q in quotes:
        hit = find_quote(reader, q.doc, q.quote, language)
        numbers.append(cited.add(hit, q.quote, rendering_of(hit, q.quote)))
    return list(dict.fromkeys(numbers))


def shown(cited: Citations, quote: Quote) -> str:
    """A cited roadmap quote as the plan shows it: its rendering when it has one."""
    return next((c.quote_translation or c.quote for c in cited.citations if c.quote == quote.quote), quote.quote)


@dataclass(frozen=True)
class Phase:
    stage_id: str
    title: str
    summary: str
    start_week: int  # 1-based, inclusive
    end_week: int
    start_date: str
    end_date: str
    hours: int
    resources: list[dict]
    project: str
    milestones: list[str]
    cites: list[int]
    basis: str = "guide"  # "guide": dated from the starting point's estimate; "project": this project's own


@dataclass(frozen=True)
class Plan:
    kind: str  # "learning" or "paper"
    language: str
    title: str
    hours_per_week: float
    start_date: str
    end_date: str
    total_weeks: int
    phases: list[Phase]
    notes: list[tuple[str, list[int]]]  # cited facts (the guides' estimates), each with its [n]s
    assumptions: list[str]
    citations: list[Citation]
    inputs: dict[str, Any] = field(default_factory=dict)
    estimate: dict[str, Any] = field(default_factory=dict)  # the starting point's estimate: name, figure, basis, [n]s
    paces: list[dict] = field(default_factory=list)  # weeks of the guide-based part at other hours a week
    later: list[dict] = field(default_factory=list)  # stages after the estimate: this project's own hours, undated

    def to_dict(self) -> dict:
        data = asdict(self)
        data["notes"] = [{"text": text, "cites": cites} for text, cites in self.notes]
        return data


def _dates(start: date, first_week: int, last_week: int) -> tuple[str, str]:
    begin = start + timedelta(weeks=first_week - 1)
    end = start + timedelta(weeks=last_week) - timedelta(days=1)
    return begin.isoformat(), end.isoformat()


def learning_plan(roadmap: Roadmap, reader: Any, known: set[str], hours_per_week: float, start: date,
                  language: str = "en", goal: str = "", cited: Citations | None = None,
                  starting: str | None = None) -> Plan:
    """A dated plan over the stages still to do for someone who knows `known`, from the guides' estimate for
    their starting point (or `starting`, an estimate id); quotes go to `cited`, numbered in the order the plan
    shows them (rag.answer.render): the estimate, the phases, what follows the estimate, the guides' estimates."""
    if not 1 <= hours_per_week <= 80:
        raise CorpusError(f"{hours_per_week:g} hours a week cannot make a plan.", "Give --hours-per-week between 1 and 80.")
    lang = language
    estimate = starting_point(roadmap, known, starting)
    cited = cited if cited is not None else Citations()
    estimate_cites = cite(cited, reader, estimate["cite"], lang)
    stages = stage_hours(roadmap, known, estimate)
    phases, week = [], 1
    for item in (s for s in stages if s.basis == "guide"):
        stage, weeks = item.stage, weeks_at([item.hours], hours_per_week)
        first, last = week, week + weeks - 1
        begin, end = _dates(start, first, last)
        phases.append(Phase(
            stage_id=stage.id, title=registry.pick(stage.title, lang), summary=registry.pick(stage.summary, lang),
            start_week=first, end_week=last, start_date=begin, end_date=end, hours=round(item.hours),
            resources=[r for r in map(reader.note, stage.resources) if r], project=registry.pick(stage.project, lang),
            milestones=[registry.pick(m, lang) for m in stage.milestones], cites=cite(cited, reader, stage.cite, lang),
        ))
        week = last + 1
    used = {"id": estimate["id"], "name": registry.pick(estimate["name"], lang), "text": registry.pick(estimate, lang),
            "months": estimate["months"], "hours_per_week": estimate["hours_per_week"], "basis": estimate["basis"],
            "reading": registry.pick(estimate["reading"], lang), "cites": estimate_cites,
            "then": cite(cited, reader, estimate["then"], lang)}
    later = [{"stage_id": s.stage.id, "title": registry.pick(s.stage.title, lang), "hours": round(s.hours),
              "weeks": weeks_at([s.hours], hours_per_week)} for s in stages if s.basis == "project"]
    notes = [(registry.pick(e, lang), cite(cited, reader, e["cite"], lang)) for e in roadmap.estimates.values()]
    total_weeks = week - 1
    guide_hours = [s.hours for s in stages if s.basis == "guide"]
    assumptions = [registry.phrase("plan_assumption_estimate", lang, name=used["name"], months=estimate["months"],
                                   full_time=estimate["hours_per_week"], reading=used["reading"], hours=hours_per_week)]
    if estimate["basis"] == "project":
        assumptions.append(registry.phrase("plan_assumption_project", lang))
    assumptions += [*_what_is_done(roadmap, known, estimate, guide_hours, lang), registry.phrase("plan_assumption_split", lang)]
    if later:
        assumptions.append(registry.phrase("plan_assumption_later", lang))
    return Plan("learning", lang, goal or registry.phrase("default_goal", lang), hours_per_week,
                start.isoformat(), (start + timedelta(weeks=total_weeks) - timedelta(days=1)).isoformat(),
                total_weeks, phases, notes, assumptions, cited.citations,
                {"known": sorted(known), "goal": goal}, used,
                paces(guide_hours, hours_per_week, estimate["hours_per_week"]), later)


def _what_is_done(roadmap: Roadmap, known: set[str], estimate: dict, guide_hours: list[float], lang: str) -> list[str]:
    """The assumptions that say which stages count as done (from the skills the learner knows) and, when the estimate
    also covers some of them, that the plan keeps only its share for the stages left."""
    separator = registry.phrase("list_separator", lang)
    done = done_stages(roadmap, known)
    names = {s.id: registry.pick(s.title, lang) for s in roadmap.stages}
    lines = [registry.phrase("plan_assumption_done", lang, stages=separator.join(names[s.id] for s in roadmap.stages
                                                                                 if s.id in done))] if done else []
    skipped = [names[s] for s in estimate["covers"] if s in done]
    if skipped and guide_hours:
        lines.append(registry.phrase("plan_assumption_share", lang, stages=separator.join(skipped),
                                     hours=round(sum(guide_hours)), total=round(estimate_hours(estimate))))
    return lines


def paper_plan(roadmap: Roadmap, reader: Any, title: str, weeks: int, start: date, language: str = "en",
               url: str = "", abstract: str = "", cited: Citations | None = None) -> Plan:
    """The guides' paper-implementation method, time-boxed to `weeks`, about the paper the learner names."""
    title = " ".join((title or "").split())
    if not title:
        raise CorpusError("A paper plan needs the paper's title.", 'Give it, e.g. mentor paper "Attention Is All You Need"')
    if not 1 <= weeks <= 52:
        raise CorpusError(f"{weeks} weeks cannot make a paper plan.", "Give --weeks between 1 and 52.")
    lang = language
    cited = cited if cited is not None else Citations()
    days = weeks * 7
    total = sum(s.weight for s in roadmap.paper_method)
    phases, day = [], 0
    for i, step in enumerate(roadmap.paper_method):
        length = days - day if i == len(roadmap.paper_method) - 1 else max(1, round(days * step.weight / total))
        first, last = start + timedelta(days=day), start + timedelta(days=day + length - 1)
        cites = cite(cited, reader, step.cite, lang)
        phases.append(Phase(
            stage_id=step.id, title=registry.pick(step.text, lang),
            summary="“" + "” “".join(shown(cited, q) for q in step.cite) + "”",
            start_week=day // 7 + 1, end_week=(day + length - 1) // 7 + 1, start_date=first.isoformat(),
            end_date=last.isoformat(), hours=0, resources=[], project="", milestones=[], cites=cites,
        ))
        day += length
    inputs = {"title": title, "url": url.strip(), "abstract": " ".join(abstract.split())[:600]}
    assumptions = [registry.phrase("paper_assumption_split", lang), registry.phrase("paper_assumption_inputs", lang)]
    return Plan("paper", lang, title, 0, start.isoformat(), (start + timedelta(days=days - 1)).isoformat(), weeks,
                phases, [], assumptions, cited.citations, inputs)
