"""The Ask page's edges (AppTest over the real model and index): ratings across a reload, an index that cannot be
reached, questions that cannot be asked, and the sidebar's conversation list."""

from __future__ import annotations

import os
import socket

import pytest

from rag.app import feedback
from rag.profile import ProfileStore

from .test_app import app_env, ask, badges, start  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow


def conversations(settings) -> list[dict]:
    """The test's own learner's conversations, the latest first, each with its messages."""
    store = ProfileStore(settings.home / "profiles.sqlite3")
    return [{**c, "rows": store.messages(c["id"])} for c in store.conversations(os.environ["MENTOR_LEARNER"])]


def test_a_rating_is_shown_after_a_reload_and_rating_again_changes_its_one_row(app_env):
    db = app_env.home / feedback.FILE_NAME
    before = len(feedback.list_feedback(db))
    at = ask(start(), "How much math do I need?")
    at.feedback[0].set_value(1).run()
    again = start()  # a reload: the conversation is reopened
    assert again.feedback[0].value == 1
    again.feedback[0].set_value(0).run()
    again.text_input(key=next(t.key for t in again.text_input if t.key.startswith("comment-"))).input("too long").run()
    rows = feedback.list_feedback(db)
    assert len(rows) == before + 1 and (rows[0]["rating"], rows[0]["comment"]) == ("down", "too long")
    assert start().feedback[0].value == 0


def test_an_index_that_cannot_be_reached_keeps_the_conversation_the_box_and_the_question(app_env, monkeypatch):
    ask(start(), "How much math do I need?")
    with socket.socket() as s:  # a loopback port nobody listens on: a Chroma server that is down
        s.bind(("127.0.0.1", 0))
        monkeypatch.setenv("MENTOR_CHROMA_URL", f"http://127.0.0.1:{s.getsockname()[1]}")
    at = start()
    assert len(at.chat_message) == 2 and at.chat_input(key="question")  # the earlier conversation and the box
    assert any("does not answer" in e.value for e in at.error) and at.button(key="retry-index")
    at.chat_input(key="question").set_value("What is Kaggle?").run()
    assert not at.exception and len(at.chat_message) == 4
    assert "does not answer" in at.chat_message[-1].error[0].value and at.button(key="retry-answer")
    assert [r["content"] for r in conversations(app_env)[0]["rows"]][2] == "What is Kaggle?"  # saved, not lost
    monkeypatch.delenv("MENTOR_CHROMA_URL")  # the index is back
    at.button(key="retry-answer").click().run()
    assert not at.exception and any("Grounded" in b for b in badges(at))
    assert [m.markdown[0].value for m in at.chat_message if m.name == "user"][-1] == "What is Kaggle?"  # asked once
    assert conversations(app_env)[0]["rows"][-1]["data"]["question"] == "What is Kaggle?"


def test_a_blank_question_is_answered_with_why_and_never_saved(app_env):
    at = start()
    at.chat_input(key="question").set_value("   ").run()
    assert not at.exception and [e.value for e in at.error] == ["The question is empty."]
    assert conversations(app_env) == []  # no empty conversation
    at.chat_input(key="question").set_value("What is CS50?").run()  # a blank question fails alone
    assert not at.exception and len(at.error) == 1 and any("Grounded" in b for b in badges(at))
    assert [c["title"] for c in conversations(app_env)] == ["What is CS50?"]
    assert [r["content"] for r in conversations(app_env)[0]["rows"]][0] == "What is CS50?"


def test_a_huge_paste_is_cut_at_the_question_limit(app_env):
    at = start()
    limit = app_env.max_question_chars
    assert at.chat_input(key="question").proto.max_chars == limit  # the browser's box stops there
    ask(at, "How do I learn ML? " * 50_000)
    assert max(len(r["content"]) for r in conversations(app_env)[0]["rows"] if r["role"] == "user") <= limit


def test_the_sidebar_lists_a_new_conversation_at_once_and_has_one_way_to_start_another(app_env):
    at = ask(start(), "What is Kaggle?")
    listed = [b.label for b in at.sidebar.button if (b.key or "").startswith("open-")]
    assert listed == ["▸ What is Kaggle?"]  # right after the first answer, not one click later
    assert not any(b.key == "clear" for b in at.sidebar.button)  # "New conversation" alone starts another
    at.sidebar.button(key="new-chat").click().run()
    assert len(at.chat_message) == 0 and [b.label for b in at.sidebar.button if (b.key or "").startswith("open-")] == [
        "What is Kaggle?"]
