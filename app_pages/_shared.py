"""What every page of the app shares: the learner's choices, the cached pipeline, errors, source cards, plans.

UI only: each helper shows what `rag` computed. The model and the index load
once per process (st.cache_resource); a conversation lives in its browser
session's st.session_state. Errors become a message and the fix, never a
traceback. Not a page: app.py registers only the files it names.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import streamlit as st

from rag.app import cards as card_html
from rag.app import tables
from rag.app.markdown import escape_text
from rag.config import Settings
from rag.errors import (IndexBusyError, IndexCorruptError, IndexMissingError, IndexUnavailableError, MentorError,
                        ModelMismatchError)
from rag.lang import registry


def lang() -> str:
    """The UI's language: the one chosen in the sidebar, else the default."""
    return st.session_state.get("ui_lang") or registry.DEFAULT


def t(key: str, **values: Any) -> str:
    return registry.ui(key, lang(), **values)


def answer_language() -> str | None:
    """What the pipeline gets: None lets each question's own language decide ("auto")."""
    choice = st.session_state.get("language", "auto")
    return None if choice in (None, "auto") else choice


def settings() -> Settings:
    return st.session_state["settings"]


@st.cache_resource(show_spinner=False, max_entries=4)
def load_pipeline(_settings: Settings, key: str) -> Any:
    """engine.open_pipeline, once per process for each settings and index generation (`key`)."""
    from rag.engine import open_pipeline

    return open_pipeline(_settings)


def _pipeline_key() -> str:
    """The current settings and index generation; raises IndexMissingError when no index was built."""
    from rag.engine import current_manifest

    s = settings()
    manifest = current_manifest(s)
    if manifest is None:
        raise IndexMissingError(f"No index has been built yet in {s.index_dir}.")
    return f"{s!r}|{manifest.generation}|{manifest.built_at}"


def pipeline() -> Any:
    """The answer pipeline of the current index (reloaded when the index was rebuilt elsewhere)."""
    key = _pipeline_key()
    with st.spinner(t("loading")):
        return load_pipeline(settings(), key)


_WARMING: dict[str, Future] = {}
_WARMER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mentor-warm-up")


def warm_pipeline() -> None:
    """Start loading the pipeline in the background, so a page can offer its input box at once: the first
    question then waits only for what is left of the load (load_pipeline computes each key once).
    Raises IndexMissingError at once when there is no index, and a failed load's error on the next rerun."""
    key = _pipeline_key()
    warming = _WARMING.get(key)
    if warming is not None and warming.done() and warming.exception() is not None:
        del _WARMING[key]  # the next rerun tries again (after a rebuild, say)
        raise warming.exception()
    if warming is None:
        _WARMING[key] = _WARMER.submit(load_pipeline, settings(), key)


def build_index(rebuild: bool = False) -> None:
    """Prepare the model if needed and sync the index, with a progress bar; then reload the pipeline."""
    from rag import engine
    from rag.index.indexer import sync_index

    s = settings()
    bar = st.progress(0.0, text=t("embedding"))
    engine.prepare_model(s)
    try:
        reader = pipeline().reader
        embeddings, english = reader.embeddings, reader.english
    except MentorError:
        embeddings, english = engine.load_embeddings(s), engine.load_english(s)

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{t('embedding')}: {done}/{total}")

    def waiting(holder: Any) -> None:  # the same lock as `mentor index`: another run finishes first
        bar.progress(0.0, text=t("index_busy", who=holder.describe() if holder else "…"))

    report = sync_index(s, embeddings, rebuild=rebuild, progress=progress, on_wait=waiting, english=english)
    bar.progress(1.0, text=t("built", n=report.chunk_count, s=report.seconds))
    load_pipeline.clear()


def repair_of(err: Exception) -> str | None:
    """What the app's index button does for `err`, as its fix says: "build" (no index yet), "reindex" (a plain
    `mentor index` writes a damaged file anew), "rebuild" (`mentor index --rebuild`); None for anything else."""
    if isinstance(err, IndexMissingError):
        return "build"
    if isinstance(err, (IndexCorruptError, ModelMismatchError)):
        return "rebuild" if "--rebuild" in err.hint else "reindex"
    return None


def repair_button(repair: str, key: str) -> None:
    """The button that repairs the index as `repair_of` said (build, re-index, rebuild), then reruns the app."""
    if st.button(t(repair), key=key, type="primary"):
        guarded(lambda: (build_index(rebuild=repair == "rebuild"), st.rerun()), offer_build=False)


def retry_button(key: str, on_click: Callable[[], Any] | None = None) -> bool:
    """A button to try again what failed for a passing reason (a server down, a busy index); its click reruns."""
    return st.button(t("retry"), key=key, icon=":material/refresh:", on_click=on_click)


def show_error(err: Exception, offer_build: bool = True) -> None:
    """A MentorError as its message and fix, with the button that does the fix (build, re-index or rebuild the
    index) or, for an index that cannot be reached now, a retry; anything else in one line."""
    if not isinstance(err, MentorError):
        st.error(t("unexpected", what=f"{type(err).__name__}: {' '.join(str(err).split())[:200]}"))
        return
    if isinstance(err, IndexMissingError):
        st.warning(t("no_index"))
    st.error(escape_text(str(err)))  # a message can name corpus files and quote them: data, never Markdown
    if err.hint:
        st.info(err.hint)
    repair = repair_of(err)
    if offer_build and repair:
        repair_button(repair, "build-index")
    elif offer_build and isinstance(err, (IndexUnavailableError, IndexBusyError)):
        retry_button("retry-index")  # its click reruns the page


def guarded(action: Callable[[], Any], offer_build: bool = True) -> None:
    try:
        action()
    except Exception as err:  # the edge: every error becomes a message (st.stop/st.rerun are not Exceptions)
        if os.environ.get("MENTOR_DEBUG"):
            raise
        show_error(err, offer_build)


def show_cards(citations: list[Any], hits: list[Any], anchor: str) -> None:
    """The numbered source cards of an answer or plan; passages come from the hits it was made from."""
    if not citations:
        return
    st.markdown(f"**{t('sources')}**")
    passages = {h.chunk_id: h.text for h in hits}
    for card in card_html.source_cards(citations, passages):
        st.markdown(card_html.card_html(card, anchor, t("translation")), unsafe_allow_html=True)


def show_estimate(plan: Any, numbers: set[int], anchor: str, name: str) -> None:
    """The guides' estimate a learning plan uses (named, cited, its reading), the pace trade-off, and the stages
    after it with this project's own estimate."""
    from rag.app.markdown import answer_markdown, escape_md

    e = plan.estimate
    cites = "".join(f"[{n}]" for n in e["cites"])
    st.markdown(f"**{t('estimate')}: {escape_md(e['name'])}**\n\n" + answer_markdown(f"{e['text']} {cites}", numbers, anchor)
                + f"\n\n_{escape_md(e['reading'])}_")
    st.markdown(f"**{t('pace')}**")
    st.dataframe([{t("hours_short"): row["hours_per_week"], t("weeks_short"): row["weeks"]} for row in plan.paces],
                 hide_index=True, key=f"{name}-pace")
    if plan.later:
        st.markdown(f"**{t('later')}**\n\n" + "\n".join(
            f"- {escape_md(item['title'])}: ~{item['hours']} h · {item['weeks']} {t('weeks_short')}" for item in plan.later))


def show_plan(plan: Any, hits: list[Any], name: str) -> None:
    """A plan: its table, timeline chart, the guides' estimates, assumptions, sources and a download."""
    import altair as alt

    from rag.answer.render import plan_markdown
    from rag.app.markdown import answer_markdown, escape_md

    st.subheader(escape_md(plan.title))
    st.caption(f"{plan.start_date} → {plan.end_date} · {plan.total_weeks} {t('weeks').lower()}")
    st.dataframe(tables.plan_rows(plan), hide_index=True, key=f"{name}-table")
    chart = alt.Chart(alt.Data(values=tables.timeline_rows(plan))).mark_bar(cornerRadius=3).encode(
        x=alt.X("start:T", title=None), x2="end:T", y=alt.Y("phase:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("phase:N", legend=None), tooltip=["phase:N", "start:T", "end:T"])
    st.altair_chart(chart, width="stretch", key=f"{name}-chart")
    anchor = f"{name}-src"
    numbers = {c.n for c in plan.citations}
    if plan.estimate:
        show_estimate(plan, numbers, anchor, name)
    if plan.notes:
        st.markdown(f"**{t('facts')}**\n\n" + "\n".join(answer_markdown(f"- {text} {''.join(f'[{n}]' for n in cites)}",
                                                                          numbers, anchor) for text, cites in plan.notes))
    st.markdown(f"**{t('assumptions')}**\n\n" + "\n".join(f"- {escape_md(a)}" for a in plan.assumptions))
    show_cards(plan.citations, hits, anchor)
    st.download_button(t("download"), plan_markdown(plan), file_name=f"{name}.md", mime="text/markdown",
                       key=f"{name}-download", on_click="ignore", icon=":material/download:")
