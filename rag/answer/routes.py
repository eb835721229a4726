"""The roadmap answerers: "what next?", "how long?", "make me a plan", "plan how I implement X", "I finished X".

Each builds the answer's lines from the roadmap (corpus/roadmap/roadmap.yaml),
quoting the guide sentences the roadmap carries, at most `k` sources, numbered
into the `Citations` it is given. Each returns lines; the pipeline checks them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..ingest.roadmap import Quote, Roadmap, next_stages, skills_in_text
from ..ingest.sentences import quotables
from ..lang import registry
from ..profile.items import catalogue, match
from ..profile.progress import Progress, checked_names, effective_known, next_milestone
from .citations import Citations, find_quote, point, rendering_of
from .plan import learning_plan, paper_plan


def _quote_line(cited: Citations, reader: Any, quote: Any, k: int, lang: str, text: str = "") -> str | None:
    """ "- text “quote” [n]", the quote in `lang` when the guide has a rendering in it; None when citing it
    would pass `k` sources."""
    hit = find_quote(reader, quote.doc, quote.quote, lang)
    if not cited.has(hit.chunk_id) and cited.sources >= k:
        return None
    shown = rendering_of(hit, quote.quote) or quote.quote
    return point(f"{text}“{shown}”", cited.add(hit, quote.quote, shown), shown != quote.quote, lang)


def hint(key: str, lang: str, surface: str, **values: Any) -> str:
    """The closing hint: a `mentor …` command on the command line, the app's page in the app."""
    return registry.phrase(key if surface == "cli" else f"{key}_app", lang, **values)


def _titles(reader: Any) -> Any:
    return lambda note: (reader.note(note) or {}).get("title")


def next_steps(roadmap: Roadmap, reader: Any, question: str, lang: str, k: int, cited: Citations,
               progress: Progress | None = None, surface: str = "cli") -> list[str]:
    """The next roadmap stages for what the learner says they know (and their profile: known skills, checked
    milestones), each with the guide sentences behind it."""
    progress = progress or Progress()
    said = skills_in_text(roadmap, question) | set(progress.known)
    known = said | effective_known(roadmap, progress)
    skills = registry.phrase("list_separator", lang).join(registry.pick(roadmap.skills[s], lang) for s in sorted(said))
    if said:  # what the learner said they know is named
        known_note = registry.phrase("next_known", lang, skills=skills)
    elif known:  # known from checked milestones only
        known_note = ""
    else:  # nothing known yet, said or recorded: the roadmap starts at the start
        known_note = registry.phrase("next_from_start", lang)
    lines = [registry.phrase("next_lead", lang, known=known_note)]
    if progress.checked:
        items = catalogue(roadmap, _titles(reader))
        names = registry.phrase("list_separator", lang).join(checked_names(items, progress, lang))
        upcoming = next_milestone(roadmap, progress)
        lines.append(registry.phrase("next_checked", lang, items=names))
        if upcoming:
            stage, n = upcoming
            lines.append(registry.phrase("next_milestone", lang, item=registry.pick(stage.milestones[n], lang).rstrip(".。")))
    for stage in next_stages(roadmap, known):
        quotes = [line for q in stage.cite[:2] if (line := _quote_line(cited, reader, q, k, lang))]
        if not quotes:
            break
        lines += [f"**{registry.pick(stage.title, lang)}**: {registry.pick(stage.summary, lang)}", *quotes]
        titles = [r["title"] for r in map(reader.note, stage.resources[:3]) if r]
        lines.append(f"  {registry.phrase('next_resources', lang)}: {'; '.join(titles)}")
    return lines + ["", hint("hint_plan", lang, surface)]


def sources(reader: Any, lang: str, k: int, cited: Citations) -> list[str]:
    """What the answers quote: each guide's title and original article, its opening sentence quoted (the first `k`),
    then the project's own notes and cards."""
    guides = reader.guide_ids()
    lines = [registry.phrase("sources_lead", lang, n=len(guides))]
    for doc_id in guides:
        hit = reader.first_chunk(doc_id)  # its metadata names the guide and its original article too
        opening = next(iter(quotables(hit)), None)
        named = f"{hit.title} — {hit.source_url}"
        line = _quote_line(cited, reader, Quote(doc_id, opening.original), k, lang, f"{named}: ") if opening else None
        lines.append(line or f"- {named}")
    return lines + ["", registry.phrase("sources_notes", lang)]


def knows_where_they_are(roadmap: Roadmap, question: str, progress: Progress | None) -> bool:
    """Does the question name skills the learner has ("I know Python"), or does their profile record some?"""
    progress = progress or Progress()
    return bool(skills_in_text(roadmap, question) or progress.known or progress.checked)


def duration(roadmap: Roadmap, reader: Any, lang: str, k: int, cited: Citations, surface: str = "cli") -> list[str]:
    """The guides' own time estimates, by starting point."""
    lines = [registry.phrase("duration_lead", lang)]
    for estimate in roadmap.estimates.values():
        for i, quote in enumerate(estimate["cite"]):
            line = _quote_line(cited, reader, quote, k, lang, f"{registry.pick(estimate, lang)} " if i == 0 else "")
            if line:
                lines.append(line)
    return lines + ["", hint("hint_duration", lang, surface)]


def plan_summary(roadmap: Roadmap, reader: Any, question: str, hours: float, today: date, lang: str, k: int,
                 cited: Citations, progress: Progress | None = None, surface: str = "cli") -> list[str]:
    """A dated plan's phases from today (what the profile has finished left out), the first `k` sources quoted, each
    with the roadmap's first resources for it."""
    known = skills_in_text(roadmap, question) | effective_known(roadmap, progress or Progress())
    plan = learning_plan(roadmap, reader, known, hours, today, lang, cited=Citations())
    by_id = {stage.id: stage for stage in roadmap.stages}
    lines = [registry.phrase("plan_lead", lang, hours=hours, start=plan.start_date)]
    estimate = roadmap.estimates[plan.estimate["id"]]
    named = _quote_line(cited, reader, estimate["cite"][0], k, lang,
                        registry.phrase("plan_estimate", lang, name=plan.estimate["name"]) + " ")
    lines += [named] if named else []
    for phase in plan.phases:
        head = f"{phase.start_date} → {phase.end_date}: {phase.title} "
        stage = by_id[phase.stage_id]
        lines.append(_quote_line(cited, reader, stage.cite[0], k, lang, head) or f"- {head.rstrip()}")
        titles = [r["title"] for r in map(reader.note, stage.resources[:2]) if r]
        lines += [f"  {registry.phrase('next_resources', lang)}: {'; '.join(titles)}"] if titles else []
    return lines + ["", *plan.assumptions, "", hint("hint_full_plan", lang, surface)]


def paper(roadmap: Roadmap, reader: Any, title: str, weeks: int, today: date, lang: str, k: int,
          cited: Citations, surface: str = "cli") -> list[str]:
    """The guides' paper-implementation method, time-boxed to `weeks`, the first `k` sources quoted."""
    plan = paper_plan(roadmap, reader, title, weeks=weeks, start=today, language=lang, cited=Citations())
    by_id = {step.id: step for step in roadmap.paper_method}
    lines = [registry.phrase("paper_lead", lang, title=title, weeks=weeks)]
    for phase in plan.phases:
        head = f"{phase.start_date} → {phase.end_date}: {phase.title}"
        quotes = [line for q in by_id[phase.stage_id].cite if (line := _quote_line(cited, reader, q, k, lang))]
        if len(quotes) == 1:  # one quote: on the step's own line; several: each under it, the step said once
            lines.append(f"- {head} {quotes[0][2:]}")
        else:
            lines += [f"- {head}", *(f"  {line}" for line in quotes)]
    return lines + ["", hint("hint_paper", lang, surface)]


def finished(roadmap: Roadmap, reader: Any, phrase: str, lang: str) -> tuple[list[str], str, str]:
    """ "I finished …": the question to confirm, the item key it would record and the roadmap stage it belongs to;
    or the closest items, "" and ""."""
    items = catalogue(roadmap, _titles(reader))
    item, close = match(items, phrase)
    if item is None:
        names = registry.phrase("list_separator", lang).join(f"“{c.name(lang)}”" for c in close) or "—"
        return [registry.phrase("done_unknown", lang, closest=names)], "", ""
    return [registry.phrase("done_confirm", lang, item=item.name(lang).rstrip(".。"))], item.key, item.stage_id


def after_finishing(roadmap: Roadmap, reader: Any, question: str, stage_id: str, lang: str, k: int, cited: Citations,
                    progress: Progress | None = None, surface: str = "cli") -> list[str]:
    """What comes next once the learner has finished something of `stage_id`: the next steps, with its key skill
    known besides what the question and the profile say (finishing a stage's course or milestone puts them past
    it); nothing for a stage with no skill of its own (the job search: nothing on the roadmap follows it)."""
    progress = progress or Progress()
    stage = next(s for s in roadmap.stages if s.id == stage_id)
    if not stage.skills:
        return []
    after = Progress(known=frozenset({*progress.known, stage.skills[0]}), checked=progress.checked)
    return next_steps(roadmap, reader, question, lang, k, cited, after, surface)
