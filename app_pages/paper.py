"""The Paper plan page: the catalogue's papers, then a paper's title or alias, what the learner knows and hours a
week (from the selected learner's profile until changed) → its card beside a dated, cited plan; a paper not in the
catalogue gets the guides' method (time-boxed to weeks) and what its abstract names."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages._learner import learner, name
from app_pages._shared import answer_language, guarded, lang, pipeline, show_plan, t
from rag.app.markdown import escape_text
from rag.lang import registry


def page() -> None:
    from rag.answer.citations import Citations
    from rag.answer.inputs import paper_inputs, plan_start
    from rag.answer.paper_plan import plan_for_paper

    current = pipeline()
    limits = current.settings
    roadmap = current.roadmap
    show_catalogue(current)
    known_before, hours_before = from_profile(current)
    with st.form("paper-form"):
        title = st.text_input(t("title"), key="paper-title", placeholder=t("title_example"), max_chars=limits.max_title_chars)
        known = st.multiselect(t("known"), list(roadmap.skills), default=known_before, key="paper-known",
                               format_func=lambda skill: registry.pick(roadmap.skills[skill], lang()))
        hours = st.number_input(t("hours"), 1.0, 80.0, hours_before, step=1.0, key="paper-hours")
        start = st.date_input(t("start"), value=date.today(), key="paper-start", min_value=date(limits.plan_years[0], 1, 1),
                              max_value=date(limits.plan_years[1], 12, 31))
        with st.expander(t("not_listed")):
            url = st.text_input(t("url"), key="paper-url", placeholder="https://arxiv.org/abs/1706.03762",
                                max_chars=limits.max_url_chars)
            abstract = st.text_area(t("abstract"), key="paper-abstract", height=100, max_chars=limits.max_abstract_chars)
            weeks = st.number_input(t("weeks"), 1, 52, current.settings.paper_weeks, key="paper-weeks")
        if st.form_submit_button(t("make_paper"), type="primary", key="paper-submit"):
            title, url, abstract = paper_inputs(limits, title, url, abstract)
            start = plan_start(limits, start)
            if title.strip():
                cited = Citations()
                # A title is often English in a Chinese conversation: only a Chinese title picks the language.
                written_in = registry.detect(title)
                language = answer_language() or (written_in if written_in != registry.DEFAULT else lang())
                plan = plan_for_paper(current.catalogue, roadmap, current.reader, title, start, language, set(known),
                                      hours, int(weeks), url, abstract, cited=cited, surface="app")
                st.session_state.paper = (plan, cited.hits)
            else:
                st.warning(t("need_title"))
    if st.session_state.get("paper"):
        show_paper(current, *st.session_state.paper)


def from_profile(current) -> tuple[list[str], float]:
    """What the selected learner's profile says they know (skills, and finished stages' key skills) and their hours a
    week: the form's values until changed, and again for another learner. A profile that cannot be read leaves the
    settings' defaults (this page needs none)."""
    from rag.errors import MentorError
    from rag.profile import Progress, effective_known

    if st.session_state.get("paper-learner") != name():  # another learner: their profile, not the last one's form
        for key in ("paper-known", "paper-hours", "paper"):
            st.session_state.pop(key, None)
        st.session_state["paper-learner"] = name()
    try:
        person = learner()
    except MentorError:
        return [], current.settings.default_hours_per_week
    known = effective_known(current.roadmap, Progress(frozenset(person.skills), frozenset(person.checked)))
    return [s for s in current.roadmap.skills if s in known], float(person.hours_per_week)


def show_catalogue(current) -> None:
    """The catalogue's papers by field, folded: the names the title box takes."""
    from rag.answer.paper_routes import by_field

    cards = current.catalogue.cards
    lines = []
    for field, group in by_field(cards):
        lines.append(f"**{registry.label(f'field_{field}', lang())}**: " + registry.phrase("list_separator", lang()).join(
            f"{escape_text(c.short_name)} ({c.meta['year']})" for c in group))
    with st.expander(f"{registry.label('catalogue', lang())}: {registry.label('papers_count', lang(), n=len(cards))}"):
        st.markdown("\n\n".join(lines))


def show_paper(current, plan, hits) -> None:
    """The card (in the UI's language) beside the plan; or, for a paper not in the catalogue, the word that it
    is not there and what its abstract names, above the plan."""
    from rag.answer.paper_plan import prerequisites
    from rag.answer.paper_suggest import skills_had
    from rag.app.paper_card import card_markdown

    card = current.catalogue.get(plan.inputs.get("card", ""))
    if card is None:
        st.info(escape_text(plan.inputs.get("catalogue_note") or t("not_listed")))  # it holds the title as typed
        facts = plan.inputs.get("from_abstract") or {}
        if any(facts.values()):
            st.markdown("\n".join(f"- {registry.label(key, lang())}: {escape_text(', '.join(values) or '—')}"
                                  for key, values in facts.items()))
        show_plan(plan, hits, "paper-plan")
        return
    left, right = st.columns([2, 3], gap="large")
    with left, st.container(border=True, key="paper-card"):
        st.caption(registry.label("card", lang()))
        known = skills_had(current.roadmap, set(plan.inputs["known"]))
        st.markdown(card_markdown(card, prerequisites(card, current.catalogue, current.roadmap, known, lang()), lang()))
    with right:
        show_plan(plan, hits, "paper-plan")


guarded(page)
