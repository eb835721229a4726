"""Turn answers and plans into Markdown for the terminal and the downloads. Presentation only.

The words around the content (headings, labels) come from the language packs.
"""

from __future__ import annotations

from ..lang import registry
from ..records import Answer
from .citations import sources_block
from .plan import Plan


def answer_markdown(answer: Answer) -> str:
    """The answer followed by its numbered Sources list (none for a refusal)."""
    parts = [answer.answer]
    if answer.notice:
        parts.insert(0, f"> {answer.notice}")
    if answer.citations:
        parts.append(sources_block(answer.citations, registry.phrase("sources", answer.language)))
    return "\n\n".join(parts)


def week_span(language: str, first: int, last: int) -> str:
    """ "Week 3" or "Weeks 1–4" (第 1–4 周) in `language`."""
    return registry.label("week" if first == last else "weeks", language, a=first, b=last)


def card_lines(plan: Plan) -> list[str]:
    """A card plan's paper: summary, prerequisites (known ones ticked), datasets, targets and compute."""
    lang, i = plan.language, plan.inputs

    def t(key: str) -> str:
        return registry.label(key, lang)

    lines = ["", f"## {t('card')}: {i['name']} ({i['year']})", "", i["summary"], "", f"### {t('prerequisites')}"]
    lines += [f"- [{'x' if p['known'] else ' '}] {p['name']}" for p in i["prerequisites"]]
    lines += ["", f"### {t('datasets')}"]
    lines += [f"- {d['name']}{' (' + t('first_choice') + ')' if d['first_choice'] else ''}: {d['size']}; {d['source']}"
              for d in i["datasets"]]
    lines += ["", f"### {t('targets')}"]
    lines += [f"- {g['metric']}: {g['value']} ({g['source']}{'' if g['verified'] else ', ' + t('unverified')})"
              for g in i["targets"]]
    return lines + ["", f"### {t('compute')}", f"- {t('laptop_cpu')}: {i['compute']['laptop_cpu']}",
                    f"- {t('one_gpu')}: {i['compute']['one_gpu']}"]


def abstract_lines(plan: Plan) -> list[str]:
    """What an unknown paper's abstract names (nothing when no abstract was given)."""
    facts = plan.inputs.get("from_abstract")
    if not plan.inputs.get("abstract") or not facts:
        return []
    lang = plan.language
    none = registry.label("none_named", lang)
    names = {"task": registry.label("task", lang), "datasets": registry.label("datasets", lang),
             "metrics": registry.label("metrics", lang)}
    return [f"- {registry.label('from_abstract', lang)}: " + "; ".join(
        f"{names[k]}: {', '.join(v) if v else none}" for k, v in facts.items())]


def plan_markdown(plan: Plan) -> str:
    """A plan as Markdown: phases with dates, resources, project, milestones, then facts and sources."""
    lang = plan.language

    def t(key: str) -> str:
        return registry.label(key, lang)

    head = t("plan") if plan.kind == "learning" else t("paper_plan")
    lines = [f"# {head}: {plan.title}", "", f"{plan.start_date} → {plan.end_date} · {week_span(lang, 1, plan.total_weeks)}"]
    if plan.inputs.get("catalogue_note"):
        lines += ["", f"> {plan.inputs['catalogue_note']}"]
    if plan.kind == "paper":
        lines += ["", f"## {t('inputs')}", f"- {t('paper')}: {plan.inputs['title']}"]
        if plan.inputs.get("url"):
            lines.append(f"- {t('link')}: {plan.inputs['url']}")
        if plan.inputs.get("abstract"):
            lines.append(f"- {t('abstract')}: {plan.inputs['abstract']}")
        lines += card_lines(plan) if plan.inputs.get("in_catalogue") else abstract_lines(plan)
    lines += estimate_lines(plan)
    for i, phase in enumerate(plan.phases, start=1):
        cites = "".join(f"[{n}]" for n in phase.cites)
        dates = f"{phase.start_date} → {phase.end_date}"
        lines += ["", f"## {i}. {phase.title} {cites}", f"{week_span(lang, phase.start_week, phase.end_week)} · {dates}"
                  + (f" · ~{phase.hours} {t('hours')}" if phase.hours else "")]
        if phase.summary:
            lines += ["", phase.summary]
        if phase.resources:
            lines.append(f"- {t('resources')}: " + "; ".join(f"[{r['title']}]({r['url']})" for r in phase.resources))
        if phase.project:
            lines.append(f"- {t('project')}: {phase.project}")
        for milestone in phase.milestones:
            lines.append(f"- [ ] {milestone}")
    if plan.later:
        then = "".join(f"[{n}]" for n in plan.estimate.get("then", []))
        lines += ["", f"## {t('later')} {then}".rstrip()] + [
            f"- {item['title']}: ~{item['hours']} {t('hours')} · {registry.label('about_weeks', lang, w=item['weeks'])}"
            for item in plan.later]
    if plan.notes:
        lines += ["", f"## {t('facts')}"] + [f"- {text} {''.join(f'[{n}]' for n in cites)}" for text, cites in plan.notes]
    lines += ["", f"## {t('assumptions')}"] + [f"- {a}" for a in plan.assumptions]
    lines += ["", sources_block(plan.citations, registry.phrase("sources", lang)).replace(":\n", ":\n\n", 1)]
    return "\n".join(lines)


def estimate_lines(plan: Plan) -> list[str]:
    """The estimate a learning plan uses (named, cited, the guide's figure or this project's reading) and its pace
    trade-off; none for a paper plan."""
    e, lang = plan.estimate, plan.language
    if not e:
        return []
    basis = registry.label("guide_figure" if e["basis"] == "guide" else "project_reading", lang)
    cites = "".join(f"[{n}]" for n in e["cites"])
    lines = ["", f"## {registry.label('estimate', lang)}: {e['name']}", f"{e['text']} {cites}",
             f"({basis}: {e['reading']})", "", f"**{registry.label('pace', lang)}**"]
    for row in plan.paces:
        tags = [registry.label(k, lang) for k in ("yours", "guide_pace") if row[k if k == "yours" else "guide"]]
        lines.append(f"- {registry.label('pace_row', lang, h=row['hours_per_week'], w=row['weeks'])}"
                     + (f" ({', '.join(tags)})" if tags else ""))
    return lines
