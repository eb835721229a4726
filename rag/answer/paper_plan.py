"""Paper-implementation plans built from the paper's card, dated at the learner's hours a week.

For a paper in the catalogue the steps come from its card: prerequisites to review (the learner's known
skills ticked), the laptop-sized dataset first, the components in build order, a sanity-check milestone,
the reproduction target (value and where in the paper it comes from) as the milestone, then the guides'
method (implement before reading the authors' code, compare and rewrite, share), each step cited to the
card or to the guide. A paper the catalogue does not hold gets the guides' method time-boxed to weeks
(rag.answer.plan.paper_plan) plus what its pasted abstract names, and says it is not in the catalogue.
Hours per step are this module's own rough estimates, stated in every plan. The clock comes in as `start`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from ..errors import CorpusError
from ..ingest.card_render import dataset_line, target_line, where
from ..ingest.catalogue import Catalogue
from ..ingest.chunking import split_sentences
from ..ingest.papers import Card
from ..ingest.roadmap import Roadmap
from ..lang import registry
from .abstract_facts import abstract_facts
from .citations import Citations, rendering_of
from .paper_match import closest_card, find_card
from .paper_suggest import skills_had
from .plan import Phase, Plan, cite, paper_plan

# The mentor's own rough estimate of each step, in hours (stated as an assumption in every plan).
HOURS = {"skill": 6, "paper": 3, "review": 1, "dataset": 2, "component": 4, "sanity": 3, "target": 8,
         "compare": 4, "write-up": 3}


def cite_card(cited: Citations, reader: Any, card: Card, text: str) -> int:
    """Cite a line of the card's body (or, when a chunk boundary cuts it, its first sentence found)."""
    for quote in [text, *(text[a:b] for a, b in split_sentences(text, 0, len(text)))]:
        hit = reader.find_quote(card.id, quote, None)
        if hit is not None:
            return cited.add(hit, quote)
    raise CorpusError(f"The card {card.id} says {text[:40]!r}…, but the index has no chunk with it.",
                      "Run `mentor index` so the index matches the corpus.")


def _method(roadmap: Roadmap, step_id: str) -> Any:
    return next(s for s in roadmap.paper_method if s.id == step_id)


def prerequisites(card: Card, catalogue: Catalogue, roadmap: Roadmap, known: set[str], lang: str) -> list[dict]:
    """The card's prerequisites for the plan: roadmap skills (known or not) and papers to read first."""
    rows = [{"kind": "skill", "id": s, "name": registry.pick(roadmap.skills[s], lang), "known": s in known}
            for s in card.skills]
    for paper in card.papers:
        other = catalogue.get(paper)
        rows.append({"kind": "paper", "id": paper, "name": other.short_name if other else paper, "known": False})
    return rows


def card_plan(card: Card, catalogue: Catalogue, roadmap: Roadmap, reader: Any, known: set[str], hours_per_week: float,
              start: date, language: str = "en", cited: Citations | None = None) -> Plan:
    """The dated plan for implementing the paper of `card`, for a learner who knows `known` (skill ids)."""
    return card_plan_quotes(card, catalogue, roadmap, reader, known, hours_per_week, start, language, cited)[0]


def card_plan_quotes(card: Card, catalogue: Catalogue, roadmap: Roadmap, reader: Any, known: set[str],
                     hours_per_week: float, start: date, language: str = "en",
                     cited: Citations | None = None) -> tuple[Plan, dict[str, str]]:
    """`card_plan`, and each step's first quote (its first citation's verbatim text), by step id. Sources are cited
    in the order the steps read, so a reader meets [1], [2], … in turn, ascending within a step."""
    if not 1 <= hours_per_week <= 80:
        raise CorpusError(f"{hours_per_week:g} hours a week cannot make a plan.", "Give --hours-per-week between 1 and 80.")
    lang, meta = language, card.meta
    cited = cited if cited is not None else Citations()
    prereqs = prerequisites(card, catalogue, roadmap, skills_had(roadmap, known), lang)
    todo = [p for p in prereqs if not p["known"]]
    first = card.first_dataset
    steps: list[tuple[str, str, str, list[str], float, list[int]]] = []  # id, title, summary, milestones, hours, cites
    quotes: dict[int, str] = {}  # step index -> its first card quote

    def guide(step_id: str) -> list[int]:
        return cite(cited, reader, _method(roadmap, step_id).cite, lang)

    def card_line(text: str) -> int:
        n = cite_card(cited, reader, card, text)
        quotes.setdefault(len(steps), next(c.quote for c in cited.citations if c.n == n and c.quote in text))
        return n

    explain = [p[lang] for p in meta["prerequisites"]["explain"]]
    steps.append(("prerequisites", registry.phrase("card_step_prereq", lang), registry.phrase("suggest_separator", lang).join(explain),
                  [p["name"] for p in todo], HOURS["review"] + sum(HOURS[p["kind"]] for p in todo),
                  [card_line(explain[0])]))
    steps.append(("dataset", registry.phrase("card_step_dataset", lang, name=first["name"]),
                  f"{first['size'][lang]} · {first['licence']} · {first['source']}", [], HOURS["dataset"],
                  [card_line(dataset_line(first, lang)), *guide("data")]))
    for i, component in enumerate(meta["components"], 1):
        own = card_line(component[lang])  # cited before the guide: sources are numbered in reading order
        summary = registry.pick(_method(roadmap, "implement").text, lang) if i == 1 else ""
        steps.append((f"component-{i}", component[lang], summary, [], HOURS["component"],
                      [own, *(guide("implement") if i == 1 else [])]))
    checks = meta["sanity_checks"]
    steps.append(("sanity", registry.phrase("card_step_sanity", lang), "", [f"{s[lang]}{where(s, lang)}" for s in checks],
                  HOURS["sanity"], [card_line(s[lang]) for s in checks[:2]]))
    targets = meta["targets"]
    recipe = " ".join(f"{r[lang]}{where(r, lang)}." for r in meta["recipe"])
    steps.append(("target", registry.phrase("card_step_target", lang, target=target_line(targets[0], lang)), recipe,
                  [target_line(g, lang) for g in targets], HOURS["target"],
                  [*(card_line(target_line(g, lang)) for g in targets), *guide("reproduce")]))
    for step_id in ("compare", "write-up"):
        step = _method(roadmap, step_id)
        steps.append((step_id, registry.pick(step.text, lang), "", [], HOURS[step_id], guide(step_id)))
    phases, day = [], 0
    for step_id, title, summary, milestones, hours, cites in steps:
        days = max(1, math.ceil(hours * 7 / hours_per_week))
        begin, end = start + timedelta(days=day), start + timedelta(days=day + days - 1)
        phases.append(Phase(step_id, title, summary, day // 7 + 1, (day + days - 1) // 7 + 1, begin.isoformat(),
                            end.isoformat(), round(hours), [], "", milestones, sorted(set(cites))))
        day += days
    inputs = {
        "title": card.title, "url": card.url, "card": card.id, "in_catalogue": True, "known": sorted(known),
        "name": card.short_name, "year": meta["year"], "authors": meta["authors"], "field": meta["field"],
        "summary": meta["summary"][lang].strip(), "prerequisites": prereqs,
        "datasets": [{"name": d["name"], "first_choice": bool(d.get("first_choice")), "size": d["size"][lang],
                      "licence": d["licence"], "source": d["source"]} for d in meta["datasets"]],
        "targets": [{"metric": g["metric"][lang], "value": str(g["value"]), "source": g["source"],
                     "verified": g["verified"]} for g in targets],
        "compute": {k: meta["compute"][k][lang] for k in ("laptop_cpu", "one_gpu")},
    }
    assumptions = [registry.phrase("card_assumption_hours", lang, hours=hours_per_week),
                   registry.phrase("card_assumption_source", lang)]
    first_quotes = {step[0]: quotes.get(i) or _method(roadmap, step[0]).cite[0].quote for i, step in enumerate(steps)}
    return Plan("paper", lang, card.title, hours_per_week, start.isoformat(), (start + timedelta(days=day - 1)).isoformat(),
                math.ceil(day / 7), phases, [], assumptions, cited.citations, inputs), first_quotes


def plan_for_paper(catalogue: Catalogue, roadmap: Roadmap, reader: Any, name: str, start: date, language: str = "en",
                   known: set[str] = frozenset(), hours_per_week: float = 10, weeks: int = 4, url: str = "",
                   abstract: str = "", cited: Citations | None = None, surface: str = "cli") -> Plan:
    """The plan for the paper the learner names: from its card when the catalogue has one, else the guides'
    method time-boxed to `weeks`, with what the abstract names and a clear word that the paper is unknown (said
    for the `surface`, "cli" or "app")."""
    card = find_card(catalogue.cards, name)
    if card is not None:
        return card_plan(card, catalogue, roadmap, reader, set(known), hours_per_week, start, language, cited)
    plan = paper_plan(roadmap, reader, name, weeks, start, language, url, abstract, cited)
    unknown, close = unknown_paper_note(catalogue, plan.title, language, surface)
    return replace(plan, assumptions=[unknown, *plan.assumptions], inputs={
        **plan.inputs, "in_catalogue": False, "catalogue_note": unknown, "did_you_mean": close.id if close else None,
        "from_abstract": abstract_facts(abstract)})


def unknown_paper_note(catalogue: Catalogue, title: str, lang: str, surface: str = "cli") -> tuple[str, Card | None]:
    """The word that `title` is not in the catalogue, asking after the card it may mean ("rsenet", "ResNeXt":
    ResNet?) and saying how to see the catalogue (on the `surface`: "cli" or "app"), and that card (None when none is)."""
    close = closest_card(catalogue.cards, title)
    words = [registry.phrase("not_in_catalogue", lang, title=title),
             *([registry.phrase("did_you_mean", lang, name=close.short_name, title=close.title)] if close else []),
             registry.phrase("see_catalogue" if surface == "cli" else "see_catalogue_app", lang)]
    return " ".join(words), close


def shown_quote(cited: Citations, n: int, quote: str) -> tuple[Any, str]:
    """The hit of citation [n] of a plan, and how its `quote` is shown (for answers that re-cite it)."""
    hit = cited.hits[n - 1]
    c = next(c for c in cited.citations if c.n == n and c.quote == quote)
    return hit, c.quote_translation or rendering_of(hit, c.quote) or c.quote

