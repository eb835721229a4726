"""Who's learning, in the app (AppTest over the real model and index): a learner added by name, switching
learners on the Learning plan page, and a damaged profile database."""

from __future__ import annotations

import os
import uuid

import pytest

from rag.profile import ProfileStore

from .test_app import app_env, ask, home_of_its_own, start  # noqa: F401 (a fixture)


def profiles(settings) -> ProfileStore:
    return ProfileStore(settings.home / "profiles.sqlite3")


@pytest.mark.slow
def test_a_learner_added_by_name_stays_chosen_and_owns_their_conversation(app_env):
    added, default = f"zoe-{uuid.uuid4().hex[:8]}", os.environ["MENTOR_LEARNER"]
    at = start()
    at.sidebar.text_input(key="new-learner").input(added).run()
    assert at.sidebar.selectbox(key="learner-select").value == added
    assert added not in profiles(app_env).learners()  # only named: nothing saved for them yet
    ask(at, "What is Kaggle?")
    assert at.sidebar.selectbox(key="learner-select").value == added and at.session_state["learner"] == added
    assert [c["title"] for c in profiles(app_env).conversations(added)] == ["What is Kaggle?"]
    assert profiles(app_env).conversations(default) == []  # not filed under the default learner
    at.switch_page("app_pages/plan.py").run()
    assert at.sidebar.selectbox(key="learner-select").value == added


@pytest.mark.slow
def test_switching_learner_on_the_plan_page_shows_and_saves_only_their_own_profile(app_env):
    store, first, other = profiles(app_env), os.environ["MENTOR_LEARNER"], f"frank-{uuid.uuid4().hex[:8]}"
    store.set_skills(first, ["python", "git"])
    store.update(first, hours_per_week=5.0, goal="First goal", start_date="2027-01-04")
    store.set_skills(other, ["python", "git", "math", "classic-ml"])
    store.update(other, hours_per_week=40.0, goal="Frank goal", start_date="2027-05-03")
    at = start("plan")
    assert at.number_input(key="plan-hours").value == 5.0 and at.text_input(key="plan-goal").value == "First goal"
    at.sidebar.selectbox(key="learner-select").set_value(other).run()
    assert not at.exception
    assert at.number_input(key="plan-hours").value == 40.0 and at.text_input(key="plan-goal").value == "Frank goal"
    assert at.checkbox(key="know-classic-ml").value and str(at.date_input(key="plan-start").value) == "2027-05-03"
    at.button(key="plan-submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = store.get(other)
    assert (saved.hours_per_week, saved.goal, saved.start_date) == (40.0, "Frank goal", "2027-05-03")
    assert set(saved.skills) == {"python", "git", "math", "classic-ml"}
    assert store.get(first).goal == "First goal" and store.get(first).hours_per_week == 5.0


@pytest.mark.slow
def test_a_damaged_profile_database_stops_only_the_pages_that_need_profiles(corpus_index, monkeypatch, tmp_path):
    settings, _ = corpus_index
    home = home_of_its_own(settings, tmp_path, monkeypatch)
    (home / "profiles.sqlite3").write_bytes(os.urandom(8192))
    for page in ("ask", "plan"):  # they show or save profiles: the error and its fix, in the page's place
        at = start(page)
        assert any("profile database" in e.value for e in at.main.error) and at.main.info
    library = start("library")
    assert library.button(key="reindex") and any("profile database" in e.value for e in library.sidebar.error)
    paper = start("paper")
    assert paper.button(key="paper-submit") and not paper.main.error
