"""The Learning plan page: the learner's profile (what they know, hours a week, goal, start) → a dated, cited
plan, saved with the profile; then their progress per stage and the rest of the plan re-dated from today."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages import _progress
from app_pages._learner import learner, name, store
from app_pages._shared import answer_language, guarded, lang, pipeline, show_plan, t
from rag.lang import registry


def page() -> None:
    from rag.answer.citations import Citations
    from rag.answer.inputs import plan_start, within
    from rag.answer.plan import learning_plan

    current = pipeline()
    limits = current.settings
    roadmap = current.roadmap
    person = learner()
    saved_start = date.fromisoformat(person.start_date) if person.start_date else date.today()
    with st.form("plan-form"):
        st.markdown(f"**{t('known')}**")
        columns = st.columns(2)
        known = {skill for i, (skill, info) in enumerate(roadmap.skills.items())
                 if columns[i % 2].checkbox(registry.pick(info, lang()), key=f"know-{skill}",
                                            value=skill in person.skills)}
        hours = st.number_input(t("hours"), 1.0, 80.0, float(person.hours_per_week), step=1.0, key="plan-hours")
        goal = st.text_input(t("goal"), person.goal, key="plan-goal", placeholder=t("goal_example"),
                             max_chars=limits.max_goal_chars)
        start = st.date_input(t("start"), value=saved_start, key="plan-start", min_value=date(limits.plan_years[0], 1, 1),
                              max_value=date(limits.plan_years[1], 12, 31))
        made = st.form_submit_button(t("make_plan"), type="primary", key="plan-submit")
    language = answer_language() or (registry.detect(goal) if goal.strip() else lang())
    if made:
        goal, start = within("goal", goal, limits.max_goal_chars), plan_start(limits, start)
        store().set_skills(name(), sorted(known))
        store().update(name(), hours_per_week=hours, goal=goal.strip(), start_date=start.isoformat())
    if made or (not st.session_state.get("plan") and store().plans(name())):  # a reload: the saved profile's plan
        cited = Citations()
        plan = learning_plan(roadmap, current.reader, known, hours, start, language, goal.strip(), cited=cited)
        st.session_state.plan = (plan, cited.hits)
        if made:
            store().save_plan(name(), "learning", plan.to_dict())
    if st.session_state.get("plan"):
        show_plan(*st.session_state.plan, "learning-plan")
        redated = _progress.show(current, {"hours": hours, "language": language, "goal": goal.strip()})
        if redated:
            st.subheader(t("redated"))
            show_plan(*redated, "redated-plan")


guarded(page)
