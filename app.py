"""mentor's Streamlit app: the frame. Settings, the sidebar's choices (language, who's learning, backend) and
the five pages; UI only.

Each page is a file under app_pages/ (st.navigation), and all logic lives in `rag`. (Not `pages/`:
Streamlit treats a folder of that name beside the entrypoint as its older multipage mode, which runs
a page file without this frame: no sidebar.)
The sidebar's language, backend and sources-per-answer choices live in
st.session_state for the pages to read; page URLs do not depend on the
language, so switching it keeps the page.
"""

from __future__ import annotations

import os

import streamlit as st

from app_pages._learner import choose_learner
from app_pages._shared import show_error, t
from rag.config import Settings
from rag.errors import MentorError
from rag.lang import registry
from rag.llm import registry as backends

PAGES = (  # url path, file, words key, icon
    ("ask", "app_pages/ask.py", "chat", ":material/forum:"),
    ("plan", "app_pages/plan.py", "plan", ":material/calendar_month:"),
    ("paper", "app_pages/paper.py", "paper", ":material/description:"),
    ("library", "app_pages/library.py", "library", ":material/library_books:"),
    ("evals", "app_pages/evals.py", "evals", ":material/monitoring:"),
)

PROFILE_PAGES = ("ask", "plan")  # the pages that show or save a learner's profile or conversations


def choose_language() -> None:
    """The language switch: "auto" answers each question in its own language; the UI follows the choice."""
    names = {"auto": "Auto", **{p.code: p.name for p in registry.packs()}}
    label = " · ".join(dict.fromkeys(registry.ui("language", code) for code in registry.codes()))
    choice = st.segmented_control(label, list(names), default="auto", key="language", format_func=names.get)
    st.session_state.ui_lang = choice if choice in registry.codes() else registry.DEFAULT


def choose_backend_and_k(settings: Settings) -> None:
    """The answer backend (the configured ones, from the backend registry) and the sources per answer."""
    configured = {backend.name: (backend, detail) for backend, detail in backends.configured(settings, os.environ)}
    missing = {name: backends.missing_package(b) for name, (b, _) in configured.items()}
    # Labels are made here, in the run: format_func is also called outside it (by AppTest), with no session state.
    labels = {name: f"{'🔴' if missing[name] else '🟢'} {registry.ui(f'backend_{name}', st.session_state.ui_lang, b.label)}"
              for name, (b, _) in configured.items()}
    default = settings.llm_backend if settings.llm_backend in configured else backends.EMBEDDED
    name = st.selectbox(t("backend"), list(configured), index=list(configured).index(default), key="backend",
                        format_func=labels.get)
    backend, detail = configured[name]
    note = (t("backend_missing", command=missing[name]) if missing[name]
            else t("backend_fallback") if backend.module else t("backend_builtin"))
    st.caption(f"{detail} · {note}" if backend.module else note)
    st.slider(t("k"), 1, 8, settings.sources_per_answer, key="k")


def main() -> None:
    st.session_state.ui_lang = st.session_state.get("language") if st.session_state.get("language") in registry.codes() \
        else registry.DEFAULT
    pages = {slug: st.Page(path, title=t(key), icon=icon, url_path=slug, default=slug == "ask")
             for slug, path, key, icon in PAGES}
    current = st.navigation(list(pages.values()))
    st.set_page_config(page_title="mentor", page_icon="🧭", layout="centered" if current is pages["ask"] else "wide")
    try:
        settings = Settings.from_env()
    except MentorError as err:
        show_error(err, offer_build=False)
        st.stop()
    st.session_state.settings = settings
    with st.sidebar:
        st.markdown("## :material/explore: mentor")
        choose_language()
        try:
            choose_learner()
            damaged_profiles = None
        except MentorError as err:  # a damaged profile database: say what to do; nothing is recreated
            damaged_profiles = err
        needs_profiles = any(current is pages[slug] for slug in PROFILE_PAGES)
        if damaged_profiles and not needs_profiles:  # said beside "who's learning"; the page needs no profile
            show_error(damaged_profiles, offer_build=False)
        choose_backend_and_k(settings)
    if damaged_profiles and needs_profiles:  # said in the page's place
        show_error(damaged_profiles, offer_build=False)
        st.stop()
    current.run()


main()
