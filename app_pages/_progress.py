"""The Learning plan page's progress: per stage done/total with a chart, the next milestone, a checkbox per
milestone and resource, and the rest of the plan re-dated from today. UI only; the logic is rag.profile's.
Not a page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from app_pages._learner import learner, name, store
from app_pages._shared import lang, t
from rag.app.markdown import escape_md
from rag.lang import registry


def _toggle(key: str, widget: str) -> None:
    store().check(name(), key, done=bool(st.session_state.get(widget)))


def checklist(roadmap: Any, items: list, checked: dict) -> None:
    """One expander a stage: its milestones and resources, each a checkbox saved as soon as it changes."""
    st.markdown(f"**{t('check')}**")
    for stage in roadmap.stages:
        own = [i for i in items if i.stage_id == stage.id]
        with st.expander(escape_md(registry.pick(stage.title, lang()))):
            for item in own:
                widget = f"check-{item.key}"
                st.session_state[widget] = item.key in checked
                st.checkbox(escape_md(item.name(lang())), key=widget, on_change=_toggle, args=(item.key, widget))


def show(pipeline: Any, plan_inputs: dict) -> Any:
    """Progress of the learner; returns the plan re-dated from today when something is checked, else None."""
    import altair as alt

    from rag.answer.citations import Citations
    from rag.answer.plan import learning_plan
    from rag.profile import Progress, catalogue, effective_known, next_milestone, per_stage

    roadmap, person = pipeline.roadmap, learner()
    progress = Progress(frozenset(person.skills), frozenset(person.checked))
    rows = [{t("stage"): f"{i}. {registry.pick(r.stage.title, lang())}", t("done"): r.done, t("total"): r.total}
            for i, r in enumerate(per_stage(roadmap, progress), start=1)]
    st.subheader(t("progress"))
    st.dataframe(rows, hide_index=True, key="progress-table")
    bars = [{"stage": r[t("stage")], "share": r[t("done")] / r[t("total")] if r[t("total")] else 0.0} for r in rows]
    st.altair_chart(alt.Chart(alt.Data(values=bars)).mark_bar(cornerRadius=3).encode(
        x=alt.X("share:Q", scale=alt.Scale(domain=[0, 1]), title=t("done"), axis=alt.Axis(format="%")),
        y=alt.Y("stage:N", sort=None, title=None, axis=alt.Axis(labelLimit=320))), width="stretch")
    upcoming = next_milestone(roadmap, progress)
    if upcoming:
        stage, n = upcoming
        st.info(f"**{t('next_milestone')}:** {escape_md(registry.pick(stage.milestones[n], lang()))} "
                f"({escape_md(registry.pick(stage.title, lang()))})", icon=":material/flag:")
    else:
        st.success(t("all_done"))
    checklist(roadmap, catalogue(roadmap, lambda note: (pipeline.reader.note(note) or {}).get("title")), person.checked)
    if not person.checked or not upcoming:
        return None
    cited = Citations()
    plan = learning_plan(roadmap, pipeline.reader, effective_known(roadmap, progress), plan_inputs["hours"],
                         date.today(), plan_inputs["language"], plan_inputs["goal"], cited=cited)
    return plan, cited.hits
