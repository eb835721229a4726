"""The Ask page's ratings: thumbs up/down and a comment under each answer, stored in one feedback row per answer
(rag.app.feedback), so a reopened answer shows its rating and rating it again changes that row. UI only. Not a page.
"""

from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from app_pages._shared import settings, t
from rag.app import feedback

THUMBS = {"down": 0, "up": 1}  # a rating as st.feedback's value


def key(msg: dict) -> str:
    """The answer a feedback row rates: its conversation and its id there."""
    return f"{st.session_state.get('conversation')}/{msg['id']}"


def seed(messages: list[dict]) -> None:
    """Each answer's stored rating and comment (read once a session): a reopened answer shows its rating."""
    unread = [m for m in messages if m["role"] == "assistant" and m.get("id") and "rating" not in m]
    stored = feedback.ratings(settings().home / feedback.FILE_NAME, [key(m) for m in unread])
    for msg in unread:
        msg["rating"], msg["comment"] = stored.get(key(msg), (None, ""))


def rating(msg: dict) -> None:
    """The answer's thumbs, showing its stored rating; once rated, a comment field."""
    rating_key = f"rating-{msg['id']}"
    st.feedback("thumbs", key=rating_key, default=THUMBS.get(msg.get("rating")), on_change=save, args=(msg,))
    if st.session_state.get(rating_key) is not None:
        st.text_input(t("comment"), msg.get("comment", ""), key=f"comment-{msg['id']}", on_change=save, args=(msg,))


def save(msg: dict) -> None:
    """Store the answer's rating and comment in its one row; taking the rating back clears it."""
    value = st.session_state.get(f"rating-{msg['id']}")
    first = msg.get("rating") is None and value is not None
    msg["rating"] = None if value is None else ("up" if value == 1 else "down")
    msg["comment"] = st.session_state.get(f"comment-{msg['id']}", msg.get("comment", ""))
    feedback.rate(settings().home / feedback.FILE_NAME, key(msg), msg["question"], msg["answer"], msg["rating"],
                  msg["comment"], msg["backend"], datetime.now(timezone.utc).isoformat(timespec="seconds"))
    if first:
        st.toast(t("thanks"))
