"""The Learning plan page: what the learner knows, hours a week, goal and start → a dated, cited plan."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages._shared import answer_language, guarded, lang, pipeline, show_plan, t
from rag.lang import registry


def page() -> None:
    from rag.answer.citations import Citations
    from rag.answer.inputs import plan_start, within
    from rag.answer.plan import learning_plan

    current = pipeline()
    limits = current.settings
    roadmap = current.roadmap
    with st.form("plan-form"):
        st.markdown(f"**{t('known')}**")
        columns = st.columns(2)
        known = {skill for i, (skill, info) in enumerate(roadmap.skills.items())
                 if columns[i % 2].checkbox(registry.pick(info, lang()), key=f"know-{skill}")}
        hours = st.number_input(t("hours"), 1.0, 80.0, current.settings.default_hours_per_week, step=1.0, key="plan-hours")
        goal = st.text_input(t("goal"), key="plan-goal", placeholder=t("goal_example"), max_chars=limits.max_goal_chars)
        start = st.date_input(t("start"), value=date.today(), key="plan-start", min_value=date(limits.plan_years[0], 1, 1),
                              max_value=date(limits.plan_years[1], 12, 31))
        if st.form_submit_button(t("make_plan"), type="primary", key="plan-submit"):
            goal, start = within("goal", goal, limits.max_goal_chars), plan_start(limits, start)
            cited = Citations()
            language = answer_language() or (registry.detect(goal) if goal.strip() else lang())
            plan = learning_plan(roadmap, current.reader, known, hours, start, language, goal.strip(), cited=cited)
            st.session_state.plan = (plan, cited.hits)
    if st.session_state.get("plan"):
        show_plan(*st.session_state.plan, "learning-plan")


guarded(page)
