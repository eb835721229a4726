"""The Ask page's edges (AppTest over the real model and index): ratings across a reload."""

from __future__ import annotations

import pytest

from rag.app import feedback

from .test_app import app_env, ask, start  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow


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
