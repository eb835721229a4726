"""The Ask page: a chat whose answers stream in, cite [n] sources shown as cards, and take a rating.

An index that cannot be reached or read leaves the conversation and the box in place: the problem is said above
them with its fix, and a question that fails gets its error in the chat, kept, with a retry. A blank question is
answered with why, in this session only: it is never saved. Ratings: _ratings.py."""

from __future__ import annotations

import time
import uuid
from typing import Any

import streamlit as st

from app_pages import _history, _ratings
from app_pages._learner import name as learner_name
from app_pages._learner import learner, progress, store
from app_pages._shared import (answer_language, guarded, pipeline, repair_button, repair_of, retry_button, settings,
                               show_cards, show_error, t, warm_pipeline)
from rag.app import history
from rag.app.markdown import escape_md, escape_text, stream_pieces
from rag.errors import IndexMissingError, MentorError
from rag.lang import registry


@st.cache_resource(show_spinner=False, max_entries=4)
def writer(_settings: Any, key: str, name: str) -> Any:
    """The LLM backend `name` (None for embedded), built once per process; it loads or connects on first use."""
    from rag.llm.backends import backend_for

    return backend_for(name, _settings)


def answer(question: str, earlier: list[str]) -> dict:
    """Ask the pipeline; an LLM backend's unchecked text streams as a preview that the checked answer replaces."""
    from rag.answer.pipeline import Result

    s, backend = settings(), st.session_state.get("backend", "embedded")
    items = pipeline().stream(question, earlier, answer_language(), st.session_state.get("k"),
                              writer(s, repr(s), backend), progress=progress(), surface="app")
    final: list[Result] = []

    def preview() -> Any:
        for item in items:
            if isinstance(item, Result):
                final.append(item)
            else:
                yield escape_md(item)

    placeholder = st.empty()
    with placeholder.container():
        st.write_stream(preview())
    placeholder.empty()
    return history.assistant_message(question, final[-1], uuid.uuid4().hex[:8])


def slow_stream(markdown: str) -> Any:
    pieces = list(stream_pieces(markdown))
    pause = min(0.02, 0.25 / max(len(pieces), 1))  # at most a quarter second in all
    for piece in pieces:
        yield piece
        time.sleep(pause)


def show_answer(msg: dict, stream: bool = False) -> None:
    if msg.get("error"):
        st.error(escape_text(msg["error"]))
        if msg.get("hint"):
            st.info(msg["hint"])
        return
    if msg["refused"]:
        st.badge(t("not_covered") if msg["reason"] == "not_covered" else t("refused"), icon=":material/block:", color="orange")
    else:
        st.badge(t("grounded", n=len({c.n for c in msg["citations"]})), icon=":material/verified:", color="green")
    if msg["notice"]:
        st.caption(escape_md(msg["notice"]))
    if stream:
        st.write_stream(slow_stream(msg["markdown"]))
    else:
        st.markdown(msg["markdown"])
    show_cards(msg["citations"], msg["hits"], f"src-{msg['id']}")
    if msg.get("proposal"):
        confirm_done(msg)
    st.caption(f"{msg['backend']} · {msg['ms']:.0f} ms")
    _ratings.rating(msg)


def confirm_done(msg: dict) -> None:
    """ "I finished …": record the matched item only when the learner confirms it."""
    if msg["proposal"] in learner().checked:
        st.success(t("recorded", item=msg["answer"].split("“")[1].split("”")[0]), icon=":material/task_alt:")  # the first “…”
        return
    if msg.get("declined"):
        return
    yes, no = st.columns(2)
    if yes.button(t("confirm_done"), key=f"done-yes-{msg['id']}", type="primary"):
        store().check(learner_name(), msg["proposal"])
        st.rerun()
    if no.button(t("cancel_done"), key=f"done-no-{msg['id']}"):
        msg["declined"] = True
        st.rerun()


def index_problem() -> MentorError | None:
    """Why answers cannot come now (an index that cannot be reached or read), else None. No index at all is
    raised: the page then offers to build one instead of the chat."""
    try:
        warm_pipeline()  # else the chat is offered while the model loads
    except IndexMissingError:
        raise
    except MentorError as err:
        return err
    return None


def checked(prompt: str, messages: list[dict]) -> str | None:
    """The question, added to the conversation and saved; None when it cannot be asked (blank): then why is shown,
    in this session only, and nothing is saved. (The box cuts a longer paste at the limit.)"""
    from rag.answer.question import clean_question

    try:
        clean_question(prompt, settings().max_question_chars)
    except MentorError as err:
        shown = [{"role": "user", "content": prompt, "rejected": True}] if prompt.strip() else []
        messages.extend([*shown, {"role": "assistant", "error": str(err), "hint": err.hint, "rejected": True}])
        return None
    messages.append({"role": "user", "content": prompt})
    _history.save(messages[-1])
    return prompt


def failed_question(messages: list[dict]) -> int | None:
    """Where the question of a failed last answer stands (to try it again), else None."""
    if not messages or not messages[-1].get("error") or messages[-1].get("rejected"):
        return None
    asked = [i for i, m in enumerate(messages) if m["role"] == "user"]
    return asked[-1] if asked else None


def offer_fixes(msg: dict, problem: MentorError | None) -> None:
    """Under a failed answer: the index's repair (unless the page already offers it above) and a retry."""
    if msg.get("repair") and problem is None:
        repair_button(msg["repair"], "repair-answer")
    retry_button("retry-answer", on_click=lambda: st.session_state.update(retry=True))


def show_messages(messages: list[dict], problem: MentorError | None, offer_retry: bool) -> None:
    """The conversation; a failed last answer offers to try its question again."""
    failed = offer_retry and failed_question(messages) is not None
    for msg in messages:
        with st.chat_message(msg["role"]):
            if msg["role"] == "user":
                st.markdown(escape_md(msg["content"]))
                continue
            show_answer(msg)
            if failed and msg is messages[-1]:
                offer_fixes(msg, problem)


def starter_clicked(slot: Any) -> str | None:
    """The starter questions of every language in `slot`; the one clicked, if any."""
    clicked = None
    with slot.container():
        st.caption(t("try"))
        columns = st.columns(len(registry.packs()))
        questions = [q for p in registry.packs() for q in p.starters]
        per_column = max(1, -(-len(questions) // len(columns)))
        for i, question in enumerate(questions):
            if columns[i // per_column].button(question, key=f"starter-{i}", width="stretch"):
                clicked = question
    return clicked


def page() -> None:
    problem = index_problem()
    messages = _history.restore()
    _ratings.seed(messages)
    earlier_conversations = st.sidebar.container()  # filled last: a conversation started now is listed at once
    if problem is not None:
        show_error(problem)
    starters = st.empty()
    clicked = starter_clicked(starters) if not messages else None
    prompt = st.chat_input(t("ask"), key="question", max_chars=settings().max_question_chars) or clicked
    retry_at = failed_question(messages) if st.session_state.pop("retry", False) and not prompt else None
    question = None
    if prompt:
        starters.empty()
        question = checked(prompt, messages)
    answering = question is not None or retry_at is not None
    show_messages(messages, problem, offer_retry=not answering)
    if answering:
        asked_at = len(messages) - 1 if retry_at is None else retry_at
        earlier = history.questions_of(messages[:asked_at])
        with st.chat_message("assistant"):
            try:
                msg = answer(messages[asked_at]["content"], earlier)
                msg.update(rating=None, comment="")
            except MentorError as err:
                msg = {"role": "assistant", "error": str(err), "hint": err.hint, "repair": repair_of(err)}
            messages.append(msg)
            _history.save(msg)
            show_answer(msg, stream=msg.get("backend") == "embedded")
            if msg.get("error"):
                offer_fixes(msg, problem)
    with earlier_conversations:
        _history.sidebar()


guarded(page)
