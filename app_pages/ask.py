"""The Ask page: a chat whose answers stream in, cite [n] sources shown as cards, and take a rating."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from typing import Any

import streamlit as st

from app_pages import _history
from app_pages._learner import name as learner_name
from app_pages._learner import learner, progress, store
from app_pages._shared import answer_language, guarded, pipeline, settings, show_cards, t, warm_pipeline
from rag.app import feedback, history
from rag.app.markdown import escape_md, escape_text, stream_pieces
from rag.errors import MentorError
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
    rating_key = f"rating-{msg['id']}"
    st.feedback("thumbs", key=rating_key, default=THUMBS.get(msg.get("rating")), on_change=save_feedback, args=(msg,))
    if st.session_state.get(rating_key) is not None:
        st.text_input(t("comment"), msg.get("comment", ""), key=f"comment-{msg['id']}", on_change=save_feedback,
                      args=(msg,))


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


THUMBS = {"down": 0, "up": 1}  # a rating as st.feedback's value


def feedback_key(msg: dict) -> str:
    """The answer a feedback row rates: its conversation and its id there."""
    return f"{st.session_state.get('conversation')}/{msg['id']}"


def seed_ratings(messages: list[dict]) -> None:
    """Each answer's stored rating and comment (read once a session): a reopened answer shows its rating."""
    unread = [m for m in messages if m["role"] == "assistant" and m.get("id") and "rating" not in m]
    stored = feedback.ratings(settings().home / feedback.FILE_NAME, [feedback_key(m) for m in unread])
    for msg in unread:
        msg["rating"], msg["comment"] = stored.get(feedback_key(msg), (None, ""))


def save_feedback(msg: dict) -> None:
    """Store the answer's rating and comment in its one row; taking the rating back clears it."""
    value = st.session_state.get(f"rating-{msg['id']}")
    first = msg.get("rating") is None and value is not None
    msg["rating"] = None if value is None else ("up" if value == 1 else "down")
    msg["comment"] = st.session_state.get(f"comment-{msg['id']}", msg.get("comment", ""))
    feedback.rate(settings().home / feedback.FILE_NAME, feedback_key(msg), msg["question"], msg["answer"], msg["rating"],
                  msg["comment"], msg["backend"], datetime.now(timezone.utc).isoformat(timespec="seconds"))
    if first:
        st.toast(t("thanks"))


def page() -> None:
    warm_pipeline()  # no index yet: say so (with a build button); else the chat is offered while the model loads
    messages = _history.restore()
    seed_ratings(messages)
    with st.sidebar:
        _history.sidebar()
    starters, clicked = st.empty(), None
    if not messages:
        with starters.container():
            st.caption(t("try"))
            columns = st.columns(len(registry.packs()))
            questions = [(i, q) for i, q in enumerate(q for p in registry.packs() for q in p.starters)]
            per_column = max(1, -(-len(questions) // len(columns)))
            for i, question in questions:
                if columns[i // per_column].button(question, key=f"starter-{i}", width="stretch"):
                    clicked = question
    prompt = st.chat_input(t("ask"), key="question") or clicked
    if prompt:
        starters.empty()
        messages.append({"role": "user", "content": prompt})
        _history.save(messages[-1])
    for msg in messages:
        with st.chat_message(msg["role"]):
            if msg["role"] == "user":
                st.markdown(escape_md(msg["content"]))
            else:
                show_answer(msg)
    if prompt:
        earlier = history.questions_of(messages[:-1])
        with st.chat_message("assistant"):
            try:
                msg = answer(prompt, earlier)
                msg.update(rating=None, comment="")
            except MentorError as err:
                msg = {"role": "assistant", "error": str(err), "hint": err.hint}
            messages.append(msg)
            _history.save(msg)
            show_answer(msg, stream=msg.get("backend") == "embedded")


guarded(page)
