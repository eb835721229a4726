"""Plans asked in chat (`mentor ask`, the app's Ask page) are made at the learner's hours a week when the question
names none; hours said in the question win. Over the session's real index."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rag.answer.pipeline import Pipeline
from rag.cli import main
from rag.profile import Progress

from .test_app import ask, home_of_its_own, start

pytestmark = pytest.mark.slow

PAPER, PLAN = "plan how I implement ResNet", "Make me a learning plan: I know Python"


@pytest.fixture(scope="module")
def pipeline(corpus_index):
    settings, reader = corpus_index
    return Pipeline(reader, settings)


@pytest.mark.parametrize("question, said", [(PAPER, "at 4 hours a week"), (PLAN, "at 4 hours a week"),
                                            (PAPER + " at 6 hours a week", "at 6 hours a week"),
                                            (PLAN + ", 15 hours a week", "at 15 hours a week")])
def test_a_plan_in_chat_is_made_at_the_learners_hours_unless_the_question_names_its_own(pipeline, question, said):
    result = pipeline.ask(question, progress=Progress(hours_per_week=4))
    assert result.route in ("paper", "plan") and said in result.answer.answer, result.answer.answer


def test_without_a_profile_a_plan_in_chat_keeps_the_settings_hours(pipeline):
    assert "at 10 hours a week" in pipeline.ask(PAPER, progress=Progress()).answer.answer
    assert "at 10 hours a week" in pipeline.ask(PLAN).answer.answer


def test_mentor_ask_plans_a_paper_at_the_hours_mentor_paper_uses(corpus_index, tmp_path, monkeypatch):
    home_of_its_own(corpus_index[0], tmp_path, monkeypatch)

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    run("profile", "set", "--learner", "zzzz", "--hours-per-week", "4")
    assert "at 4 hours a week" in run("ask", "--learner", "zzzz", PAPER)
    assert "spread at 4 hours a week" in run("paper", "--learner", "zzzz", "ResNet")
    assert "at 7 hours a week" in run("ask", "--learner", "zzzz", PAPER + " with 7 hours a week")


def test_the_app_plans_a_paper_at_the_learners_hours(corpus_index, tmp_path, monkeypatch):
    from rag.profile import ProfileStore

    home = home_of_its_own(corpus_index[0], tmp_path, monkeypatch)
    monkeypatch.setenv("MENTOR_LEARNER", "ada")
    ProfileStore(home / "profiles.sqlite3").update("ada", hours_per_week=4)
    at = ask(start(), PAPER)
    answer = [m.value for m in at.chat_message[-1].markdown]
    assert any("at 4 hours a week" in text for text in answer), answer
