"""Turn answers and plans into Markdown for the terminal and the app. Presentation only."""

from __future__ import annotations

from .citations import sources_block
from .language import phrase
from .plan import Plan
from .records import Answer

LABELS = {
    "en": {"weeks": "Weeks", "week": "Week", "resources": "Resources", "project": "Project", "milestones": "Milestones",
           "facts": "What the guides estimate", "assumptions": "Assumptions", "inputs": "Your inputs",
           "paper": "Paper", "link": "Link", "abstract": "Abstract (as you gave it)", "plan": "Learning plan",
           "paper_plan": "Paper-implementation plan", "hours": "h", "why": "Why"},
    "zh": {"weeks": "第", "week": "第", "resources": "资源", "project": "项目", "milestones": "里程碑",
           "facts": "指南的时间估计", "assumptions": "假设", "inputs": "你提供的信息",
           "paper": "论文", "link": "链接", "abstract": "摘要（你提供的）", "plan": "学习计划",
           "paper_plan": "论文复现计划", "hours": "小时", "why": "依据"},
}


def answer_markdown(answer: Answer) -> str:
    """The answer followed by its numbered Sources list (none for a refusal)."""
    parts = [answer.answer]
    if answer.notice:
        parts.insert(0, f"> {answer.notice}")
    if answer.citations:
        parts.append(sources_block(answer.citations, phrase("sources", answer.language)))
    return "\n\n".join(parts)


def _span(plan: Plan, first: int, last: int) -> str:
    if plan.language == "zh":
        return f"第 {first} 周" if first == last else f"第 {first}–{last} 周"
    return f"Week {first}" if first == last else f"Weeks {first}–{last}"


def plan_markdown(plan: Plan) -> str:
    """A plan as Markdown: phases with dates, resources, project, milestones, then facts and sources."""
    t = LABELS[plan.language]
    head = t["plan"] if plan.kind == "learning" else t["paper_plan"]
    lines = [f"# {head}: {plan.title}", "", f"{plan.start_date} → {plan.end_date} · {_span(plan, 1, plan.total_weeks)}"]
    if plan.kind == "paper":
        lines += ["", f"## {t['inputs']}", f"- {t['paper']}: {plan.inputs['title']}"]
        if plan.inputs.get("url"):
            lines.append(f"- {t['link']}: {plan.inputs['url']}")
        if plan.inputs.get("abstract"):
            lines.append(f"- {t['abstract']}: {plan.inputs['abstract']}")
    for i, phase in enumerate(plan.phases, start=1):
        cites = "".join(f"[{n}]" for n in phase.cites)
        dates = f"{phase.start_date} → {phase.end_date}"
        lines += ["", f"## {i}. {phase.title} {cites}", f"{_span(plan, phase.start_week, phase.end_week)} · {dates}"
                  + (f" · ~{phase.hours} {t['hours']}" if phase.hours else "")]
        if phase.summary:
            lines += ["", phase.summary]
        if phase.resources:
            lines.append(f"- {t['resources']}: " + "; ".join(f"[{r['title']}]({r['url']})" for r in phase.resources))
        if phase.project:
            lines.append(f"- {t['project']}: {phase.project}")
        for milestone in phase.milestones:
            lines.append(f"- [ ] {milestone}")
    if plan.notes:
        lines += ["", f"## {t['facts']}"] + [f"- {text} {''.join(f'[{n}]' for n in cites)}" for text, cites in plan.notes]
    lines += ["", f"## {t['assumptions']}"] + [f"- {a}" for a in plan.assumptions]
    lines += ["", sources_block(plan.citations, phrase("sources", plan.language)).replace(":\n", ":\n\n", 1)]
    return "\n".join(lines)
