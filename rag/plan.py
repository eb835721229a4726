"""Dated learning plans and paper-implementation plans, built from the roadmap and cited to the guides.

Durations come from the guides' own estimate for starting from scratch, read as
full-time hours (an assumption every plan states), split between stages by the
roadmap's weights and stretched to the learner's hours a week. A paper plan
time-boxes the guides' method to the weeks given and says nothing about the paper
beyond what the learner typed. The clock comes in as an argument.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from .errors import CorpusError
from .records import Citation, Hit
from .roadmap import Quote, Roadmap, remaining

WEEKS_PER_MONTH = 52 / 12


@dataclass
class Cited:
    """Collects the guide quotes a plan cites and numbers them [1], [2], … by chunk."""

    reader: Any
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    def cite(self, quotes: tuple[Quote, ...]) -> list[int]:
        numbers = []
        for q in quotes:
            hit = self.reader.find_quote(q.doc, q.quote)
            if hit is None:
                raise CorpusError(f"The roadmap quotes {q.doc}, but the index has no chunk with {q.quote[:30]!r}…",
                                  "Run `mentor index` so the index matches the corpus.")
            known = next((c.n for c in self.citations if c.chunk_id == hit.chunk_id), None)
            n = known or (max((c.n for c in self.citations), default=0) + 1)
            if not any(c.chunk_id == hit.chunk_id and c.quote == q.quote for c in self.citations):
                self.citations.append(Citation(n, hit.doc_id, hit.title, hit.source_url, hit.heading, q.quote, hit.chunk_id))
                self.hits.append(hit)
            if n not in numbers:
                numbers.append(n)
        return numbers


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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["notes"] = [{"text": text, "cites": cites} for text, cites in self.notes]
        return data


def _dates(start: date, first_week: int, last_week: int) -> tuple[str, str]:
    begin = start + timedelta(weeks=first_week - 1)
    end = start + timedelta(weeks=last_week) - timedelta(days=1)
    return begin.isoformat(), end.isoformat()


def learning_plan(roadmap: Roadmap, reader: Any, known: set[str], hours_per_week: float, start: date,
                  language: str = "en", goal: str = "") -> Plan:
    """A dated plan over the stages still to do for someone who knows `known`."""
    if not 1 <= hours_per_week <= 80:
        raise CorpusError(f"{hours_per_week:g} hours a week cannot make a plan.", "Give --hours-per-week between 1 and 80.")
    lang = "zh" if language == "zh" else "en"
    scratch = roadmap.estimates["from-scratch"]
    route_hours = scratch["months"] * WEEKS_PER_MONTH * scratch["hours_per_week"]
    total_weight = sum(s.weight for s in roadmap.stages)
    cited = Cited(reader)
    phases, week = [], 1
    for stage in remaining(roadmap, known):
        hours = route_hours * stage.weight / total_weight
        weeks = max(1, math.ceil(hours / hours_per_week))
        first, last = week, week + weeks - 1
        begin, end = _dates(start, first, last)
        phases.append(Phase(
            stage_id=stage.id, title=stage.title[lang], summary=stage.summary[lang], start_week=first, end_week=last,
            start_date=begin, end_date=end, hours=round(hours), resources=[r for r in map(reader.note, stage.resources) if r],
            project=stage.project[lang], milestones=[m[lang] for m in stage.milestones], cites=cited.cite(stage.cite),
        ))
        week = last + 1
    notes = [(e[lang], cited.cite(e["cite"])) for e in roadmap.estimates.values()]
    total_weeks = week - 1
    assumptions = _assumptions(lang, scratch, hours_per_week)
    return Plan("learning", lang, goal or ("ML engineer" if lang == "en" else "机器学习工程师"), hours_per_week,
                start.isoformat(), (start + timedelta(weeks=total_weeks) - timedelta(days=1)).isoformat(),
                total_weeks, phases, notes, assumptions, cited.citations,
                {"known": sorted(known), "goal": goal})


def _assumptions(lang: str, scratch: dict, hours_per_week: float) -> list[str]:
    if lang == "zh":
        return [
            f"时长按指南“从零开始全职约 {scratch['months']} 个月”的估计计算，全职按每周 {scratch['hours_per_week']} 小时计，"
            f"再按你每周 {hours_per_week:g} 小时换算。",
            "各阶段所占比例是本计划自己的划分，不是指南给出的数字。",
        ]
    return [
        f"Durations start from the guide's estimate of about {scratch['months']} months full-time from scratch, "
        f"read as {scratch['hours_per_week']} hours a week, then scaled to your {hours_per_week:g} hours a week.",
        "How that time is split between stages is this plan's own choice, not a figure from the guides.",
    ]


def paper_plan(roadmap: Roadmap, reader: Any, title: str, weeks: int, start: date, language: str = "en",
               url: str = "", abstract: str = "") -> Plan:
    """The guides' paper-implementation method, time-boxed to `weeks`, about the paper the learner names."""
    title = " ".join((title or "").split())
    if not title:
        raise CorpusError("A paper plan needs the paper's title.", 'Give it, e.g. mentor paper "Attention Is All You Need"')
    if not 1 <= weeks <= 52:
        raise CorpusError(f"{weeks} weeks cannot make a paper plan.", "Give --weeks between 1 and 52.")
    lang = "zh" if language == "zh" else "en"
    cited = Cited(reader)
    days = weeks * 7
    total = sum(s.weight for s in roadmap.paper_method)
    phases, day = [], 0
    for i, step in enumerate(roadmap.paper_method):
        length = days - day if i == len(roadmap.paper_method) - 1 else max(1, round(days * step.weight / total))
        first, last = start + timedelta(days=day), start + timedelta(days=day + length - 1)
        phases.append(Phase(
            stage_id=step.id, title=step.text[lang], summary="“" + "” “".join(q.quote for q in step.cite) + "”", start_week=day // 7 + 1, end_week=(day + length - 1) // 7 + 1,
            start_date=first.isoformat(), end_date=last.isoformat(), hours=0, resources=[], project="", milestones=[],
            cites=cited.cite(step.cite),
        ))
        day += length
    inputs = {"title": title, "url": url.strip(), "abstract": " ".join(abstract.split())[:600]}
    assumptions = (["各步骤的时间分配是本计划自己的划分，不是指南给出的数字。", "关于论文本身，本计划只使用你提供的标题、链接和摘要。"]
                   if lang == "zh" else
                   ["How the weeks are split between steps is this plan's own choice, not a figure from the guides.",
                    "About the paper itself, this plan uses only the title, link and abstract you gave."])
    return Plan("paper", lang, title, 0, start.isoformat(), (start + timedelta(days=days - 1)).isoformat(), weeks,
                phases, [], assumptions, cited.citations, inputs)
