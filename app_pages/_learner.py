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

    return Progress.of(learner())


# What a page keeps per learner in this session: their conversation, their plan, the plan form's widgets (each
# widget's key is its identity, so a form left as it was would show, and save, the previous learner's profile).
OWN_STATE = ("messages", "conversation", "plan")
OWN_WIDGETS = ("know-", "plan-")


def _switched() -> None:
    """Another learner: their own conversation, plan and plan form, not the previous one's."""
    for key in [k for k in st.session_state if k in OWN_STATE or str(k).startswith(OWN_WIDGETS)]:
        del st.session_state[key]


def _add() -> None:
    """A learner added by name: listed and selected for the rest of the session; their row is made when
    something is saved for them (viewing creates nobody)."""
    from rag.errors import MentorError
    from rag.profile import clean_name

    typed = st.session_state.get("new-learner", "")
    if typed.strip():
        try:
            added = clean_name(typed)
        except MentorError as err:  # a name that cannot be one: said under the field
            st.session_state.learner_problem = f"{err} {err.hint}"
            return
        st.session_state.added_learners = [*st.session_state.get("added_learners", []), added]
        st.session_state["learner-select"] = added
        st.session_state["new-learner"] = ""


def choose_learner() -> None:
    """The "who's learning?" choice: the stored learners, the default first, and those added in this session."""
    default = settings().learner
    names = list(dict.fromkeys([default, *store().learners(), *st.session_state.get("added_learners", [])]))
    st.selectbox(t("who"), names, key="learner-select")
    chosen = st.session_state.get("learner-select") or default
    if st.session_state.get("learner") not in (None, chosen):
        _switched()
    st.session_state.learner = chosen
    st.text_input(t("new_learner"), key="new-learner", on_change=_add, max_chars=60)
    if st.session_state.get("learner_problem"):
        st.caption(st.session_state.pop("learner_problem"))
