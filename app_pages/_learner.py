"""Who is learning: the sidebar's learner choice, their profile store and their progress. UI only.

One default learner (settings.learner, "me") serves a single user; others are added by name. The store
(rag.profile) is opened per call, so every session sees the others' writes. Not a page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages._shared import settings, t


def store() -> Any:
    from rag.profile import ProfileStore

    return ProfileStore(settings().profile_db)


def name() -> str:
    return st.session_state.get("learner") or settings().learner


def learner() -> Any:
    """The learner's saved profile, else a blank one that is not saved: viewing a page never creates a learner;
    saving something for them (a plan, a check, a conversation) does."""
    from rag.profile import Learner

    return store().get(name()) or Learner.blank(name())


def progress() -> Any:
    from rag.profile import Progress

    person = learner()
    return Progress(frozenset(person.skills), frozenset(person.checked))


def _switched() -> None:
    """Another learner: their own conversation and plan, not the previous one's."""
    for key in ("messages", "conversation", "plan"):
        st.session_state.pop(key, None)


def _add() -> None:
    from rag.errors import MentorError
    from rag.profile import clean_name

    typed = st.session_state.get("new-learner", "")
    if typed.strip():
        try:
            st.session_state.learner_pick = clean_name(typed)
        except MentorError as err:  # a name that cannot be one: said under the field
            st.session_state.learner_problem = f"{err} {err.hint}"
            return
        st.session_state["new-learner"] = ""
        _switched()


def choose_learner() -> None:
    """The "who's learning?" choice: the stored learners, the default first; a new one by name."""
    default = settings().learner
    known = store().learners()
    picked = st.session_state.get("learner_pick")
    names = list(dict.fromkeys([default, *known, *([picked] if picked else [])]))
    if picked in names:
        st.session_state["learner-select"] = picked
        st.session_state.learner_pick = None
    st.selectbox(t("who"), names, key="learner-select", on_change=_switched)
    st.session_state.learner = st.session_state.get("learner-select") or default
    st.text_input(t("new_learner"), key="new-learner", on_change=_add, max_chars=60)
    if st.session_state.get("learner_problem"):
        st.caption(st.session_state.pop("learner_problem"))
