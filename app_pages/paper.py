"""The Paper plan page: a paper's title (link, abstract) and weeks → a dated step plan on the guides' method."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages._shared import answer_language, guarded, lang, pipeline, show_plan, t
from rag.lang import registry


def page() -> None:
    from rag.answer.citations import Citations
    from rag.answer.inputs import paper_inputs, plan_start
    from rag.answer.plan import paper_plan

    current = pipeline()
    limits = current.settings
    with st.form("paper-form"):
        title = st.text_input(t("title"), key="paper-title", placeholder=t("title_example"), max_chars=limits.max_title_chars)
        url = st.text_input(t("url"), key="paper-url", placeholder="https://arxiv.org/abs/1706.03762", max_chars=limits.max_url_chars)
        abstract = st.text_area(t("abstract"), key="paper-abstract", height=100, max_chars=limits.max_abstract_chars)
        weeks = st.number_input(t("weeks"), 1, 52, current.settings.paper_weeks, key="paper-weeks")
        start = st.date_input(t("start"), value=date.today(), key="paper-start", min_value=date(limits.plan_years[0], 1, 1),
                              max_value=date(limits.plan_years[1], 12, 31))
        if st.form_submit_button(t("make_paper"), type="primary", key="paper-submit"):
            title, url, abstract = paper_inputs(limits, title, url, abstract)
            start = plan_start(limits, start)
            if title.strip():
                cited = Citations()
                # A title is often English in a Chinese conversation: only a Chinese title picks the language.
                written_in = registry.detect(title)
                language = answer_language() or (written_in if written_in != registry.DEFAULT else lang())
                plan = paper_plan(current.roadmap, current.reader, title, int(weeks), start, language, url, abstract,
                                  cited=cited)
                st.session_state.paper = (plan, cited.hits)
            else:
                st.warning(t("need_title"))
    if st.session_state.get("paper"):
        show_plan(*st.session_state.paper, "paper-plan")


guarded(page)
