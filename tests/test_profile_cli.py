"""`mentor profile`, `done`, `next` and the chat's "I finished …": the learner's profile from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from rag.cli import main
from rag.config import PACKAGE_ROOT
from rag.profile import ProfileStore

from .read_only import read_only


def run(*args, input=None, code=0):
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def test_profile_set_show_and_the_learner_option(monkeypatch):
    run("profile", "set", "--know", "python,git", "--hours-per-week", "12", "--goal", "ML engineer job")
    shown = run("profile")
    assert "Learner: me" in shown and "Knows: git, python" in shown and "Hours a week: 12" in shown
    assert "2/2  Programming" in shown and "Next milestone: Finished Andrew Ng's" in shown
    run("profile", "--learner", "ada", "set", "--hours-per-week", "5")
    monkeypatch.setenv("MENTOR_LEARNER", "ada")
    assert "Hours a week: 5" in run("profile")
    assert "Unknown skill" in run("profile", "set", "--know", "cooking", code=1)


def test_done_matches_loose_words_and_lists_the_closest_for_unknown_ones():
    run("profile", "set", "--know", "python")
    assert "Recorded as done: Finished Andrew Ng's Machine Learning Specialization" in run("done", "Andrew Ng's course")
    assert "已记录为完成：学完吴恩达的机器学习专项课程" in run("done", "吴恩达的课程")
    out = run("done", "a Kaggle thing about cooking", code=1)
    assert "No milestone or resource matches" in out and "Kaggle" in out and "Fix:" in out
    shown = run("profile")
    assert "1/2  Classic" in shown and "Next milestone: Submitted your own solution" in shown
    run("done", "--undo", "milestone:classic-ml:0")
    assert "0/2  Classic" in run("profile")


def test_done_cs50_checks_the_milestone_cs50_finishes_as_andrew_ngs_course_does():
    out = run("done", "CS50")
    assert "Recorded as done: Finished CS50 or an equivalent introduction to programming." in out
    assert "Also close: “CS50: Introduction to Computer Science" in out
    shown = run("profile")
    assert "1/2  Programming" in shown and "Next milestone: Your projects are on GitHub" in shown
    assert "Recorded as done: CS50: Introduction" in run("done", "resource:cs50")  # the resource itself, by its key


def test_export_import_and_delete(tmp_path):
    run("profile", "set", "--know", "python", "--goal", "MLE")
    run("done", "Kaggle competition")
    path = tmp_path / "me.json"
    run("profile", "export", str(path))
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["checks"][0]["item"] == "milestone:classic-ml:1"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "mentor-profile", "version": 1, "learner": {"name": "me"}}', encoding="utf-8")
    assert "Nothing was changed" in run("profile", "import", str(bad), code=1)
    bad.write_bytes(b"\xff\xfe not utf-8")
    assert "Nothing was changed" in run("profile", "import", str(bad), code=1)
    assert json.loads(run("profile", "--json"))["goal"] == "MLE"
    run("profile", "delete", "--yes")
    assert "Knows: —" in run("profile")  # a fresh, empty profile: every row of the old one is gone
    run("profile", "import", str(path))
    assert "Goal: MLE" in run("profile")


def test_viewing_or_deleting_an_unknown_learner_creates_nothing_and_lists_the_learners(isolated_home):
    assert "Knows: —" in run("profile")  # the default learner, blank until something is saved…
    assert not (isolated_home / "profiles.sqlite3").exists()  # …and showing it wrote nothing
    run("profile", "--learner", "ada", "set", "--hours-per-week", "5")
    for args in (["profile", "--learner", "ghost3"], ["profile", "--learner", "ghost3", "--json"]):
        out = run(*args, code=1)
        assert "No learner named 'ghost3'. Learners: ada." in out and "mentor profile set --learner ghost3 …" in out
    out = run("profile", "delete", "--learner", "ghost2", input="y\n", code=1)
    assert "No learner named 'ghost2'. Learners: ada." in out
    assert "Delete every row" not in out and "create" not in out  # said before asking; no offer to make it
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["ada"]


def test_done_for_a_learner_the_database_does_not_hold_records_nothing_and_lists_those_it_does(isolated_home):
    run("profile", "--learner", "ada", "set", "--hours-per-week", "5")
    out = run("done", "--learner", "ghost", "Andrew Ng's course", code=1)
    assert "No learner named 'ghost'. Learners: ada. Nothing was recorded." in out
    assert "start a profile for ghost with `mentor profile set --learner ghost …`" in out
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["ada"]
    assert "Recorded as done" in run("done", "--learner", "ADA", "Andrew Ng's course")
    out = run("done", "zzzz", "qqq", code=1)
    assert "No milestone or resource matches 'zzzz qqq'. None comes close to it either." in out and "none." not in out


def test_a_typo_of_a_learner_in_a_command_that_only_reads_is_said_with_the_closest_and_creates_nothing(
        isolated_home, monkeypatch):
    run("profile", "--learner", "ada", "set", "--hours-per-week", "5")
    for args in (["profile", "--learner", "adaa"], ["profile", "export", "--learner", "adaa"],
                 ["next", "--learner", "adaa"]):
        out = run(*args, code=1)
        assert "No learner named 'adaa'. Learners: ada. Did you mean 'ada'?" in out, args
    monkeypatch.setenv("MENTOR_LEARNER", "adaa")  # the environment's name is checked as --learner's is
    for args in (["profile"], ["profile", "--json"], ["next"], ["done", "CS50"], ["plan", "--know", "python"],
                 ["ask", "--no-save", "What is CS50?"]):
        out = run(*args, code=1)
        assert "No learner named 'adaa'. Learners: ada. Did you mean 'ada'?" in out, args
        assert "Fix: Name one with --learner, or start a profile for adaa with `mentor profile set --learner adaa …`." \
            in out
    assert "Nothing was asked." in out
    assert "2000-01-01" in run("plan", "--learner", "adaa", "--start", "1999-01-01", code=1)  # would save: no error…
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["ada"]  # …but a plan refused makes nobody


def test_profile_set_says_once_that_it_made_a_new_learner_and_names_the_others(isolated_home):
    first = CliRunner().invoke(main, ["profile", "set", "--learner", "ada", "--hours-per-week", "5"])
    assert first.stdout == "Saved the profile of ada.\n" and "'ada' is a new learner (the first here)" in first.stderr
    typo = CliRunner().invoke(main, ["profile", "set", "--learner", "adda", "--goal", "MLE"])
    assert "Note: 'adda' is a new learner (the others: ada; did you mean 'ada'?)." in typo.stderr
    again = CliRunner().invoke(main, ["profile", "set", "--learner", "adda", "--goal", "MLE"])
    assert again.stderr == ""  # said once, when it was made
    assert run("profile", "set", "--know", "python").startswith("Saved the profile of me.\n")  # the default: no note


def test_profile_list_shows_every_learner_with_hours_goal_skills_and_last_activity(isolated_home):
    assert "No learner has a profile yet" in run("profile", "list") and json.loads(run("profile", "list", "--json")) == []
    assert not (isolated_home / "profiles.sqlite3").exists()  # listing made no database
    run("profile", "--learner", "ada", "set", "--know", "python,git", "--hours-per-week", "4", "--goal", "MLE")
    run("profile", "--learner", "bob", "set", "--hours-per-week", "12.5")
    run("done", "--learner", "bob", "CS50")
    rows = json.loads(run("profile", "list", "--json"))
    assert [(r["name"], r["hours_per_week"], r["goal"], r["skills"]) for r in rows] == [("ada", 4, "MLE", 2),
                                                                                         ("bob", 12.5, "", 0)]
    checked = ProfileStore(isolated_home / "profiles.sqlite3").get("bob").checked
    assert rows[1]["last_activity"] == max([*checked.values(), rows[1]["last_activity"]])
    lines = run("profile", "list").splitlines()
    assert lines[0].split() == ["Learner", "Hours", "a", "week", "Skills", "Last", "activity", "Goal"]
    assert lines[1].split()[:3] == ["ada", "4", "2"] and lines[1].endswith("MLE")
    assert lines[2].split()[:3] == ["bob", "12.5", "0"] and lines[2].endswith("—")


def test_a_learners_name_is_found_whatever_its_case(isolated_home):
    run("profile", "--learner", "bob", "set", "--goal", "Bob goal")
    shown = run("profile", "--learner", "Bob")
    assert "Learner: bob" in shown and "Goal: Bob goal" in shown
    assert "Saved the profile of bob." in run("profile", "--learner", "BOB", "set", "--hours-per-week", "7")
    assert "Saved the profile of ada.\nNote: 'ada' is a new learner (the others: bob)." in run("profile", "--learner", "ada", "set")
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["bob", "ada"]


@pytest.mark.parametrize("answer", [None, "n\n"], ids=["no input", "no"])
def test_import_over_a_learner_with_a_profile_asks_first_and_changes_nothing_without_a_yes(answer, tmp_path):
    run("profile", "--learner", "bob", "set", "--know", "python", "--goal", "Bob goal")
    path = tmp_path / "bob.json"
    run("profile", "export", "--learner", "bob", str(path))
    run("profile", "--learner", "alice", "set", "--goal", "Alice goal")
    run("done", "--learner", "alice", "Kaggle competition")
    before = run("profile", "export", "--learner", "alice")
    out = run("profile", "import", "--learner", "alice", str(path), input=answer, code=1)
    assert "Replace every row of alice's profile" in out and "Nothing was imported. (--yes replaces without asking.)" in out
    assert run("profile", "export", "--learner", "alice") == before  # not a row changed
    assert "Imported the profile of alice." in run("profile", "import", "--learner", "alice", str(path), input="y\n")
    assert "Goal: Bob goal" in run("profile", "--learner", "alice")
    run("profile", "--learner", "alice", "set", "--goal", "Alice again")
    assert "Replace" not in run("profile", "import", "--learner", "alice", str(path), "--yes")
    assert "Goal: Bob goal" in run("profile", "--learner", "alice")


def test_import_is_as_the_learner_the_file_names_as_its_help_says(tmp_path, monkeypatch, isolated_home):
    run("profile", "--learner", "bob", "set", "--goal", "Bob goal")
    path = tmp_path / "bob.json"
    run("profile", "export", "--learner", "bob", str(path))
    run("profile", "delete", "--learner", "bob", "--yes")
    assert "default: the learner the file names; MENTOR_LEARNER is not used" in " ".join(
        run("profile", "import", "--help").split())
    monkeypatch.setenv("MENTOR_LEARNER", "erin")
    out = run("profile", "import", str(path))
    assert "Imported the profile of bob (the learner the file names; --learner imports it as another)." in out
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["bob"]


@pytest.mark.parametrize("answer", [None, "n\n"], ids=["no input", "no"])
def test_delete_without_a_yes_deletes_nothing_and_says_so(answer, isolated_home):
    run("profile", "--learner", "ada", "set", "--hours-per-week", "5")
    out = run("profile", "delete", "--learner", "ada", input=answer, code=1)
    assert "Nothing was deleted. (--yes deletes without asking.)" in out and "unexpected" not in out
    assert "Hours a week: 5" in run("profile", "--learner", "ada")


@pytest.mark.parametrize("start", ["1066-01-01", "9999-01-01"])
def test_profile_set_refuses_a_start_no_plan_can_have_and_saves_nothing(start, isolated_home):
    out = run("profile", "set", "--know", "python", "--hours-per-week", "12", "--start", start, code=1)
    assert f"cannot start on {start}: the start must lie between 2000-01-01 and 2100-12-31" in out
    assert "Nothing was saved." in out and "Fix: Give --start YYYY-MM-DD within those dates." in out
    assert not (isolated_home / "profiles.sqlite3").exists()  # not even the learner was made
    run("profile", "set", "--know", "git", "--start", "2027-01-04")
    run("profile", "set", "--know", "python", "--hours-per-week", "12", "--start", start, code=1)
    shown = run("profile")
    assert "Knows: git" in shown and "Hours a week: 10" in shown and "Start date: 2027-01-04" in shown
    run("profile", "set", "--start", "2100-12-31")  # the last day a plan may start on is saved
    assert "Start date: 2100-12-31" in run("profile")


def test_profile_set_refuses_an_over_long_goal_or_skills_list_and_saves_nothing(isolated_home):
    out = run("profile", "set", "--know", "python", "--goal", "x" * 201, code=1)
    assert "The goal is 201 characters long; the limit is 200." in out
    out = run("profile", "set", "--know", "python," * 100, "--hours-per-week", "12", code=1)
    assert "The --know list is 700 characters long; the limit is 500." in out
    assert not (isolated_home / "profiles.sqlite3").exists()


@pytest.mark.parametrize("phrase, said, other", [
    ("吴恩达的课程", "同样接近的还有：“", "Also close"),
    ("Andrew Ng's course", "Also close: “", "同样接近"),
])
def test_done_names_the_close_items_in_the_answers_language(phrase, said, other):
    out = run("done", phrase)
    assert said in out and other not in out, out
    assert "。”" not in out and ".”" not in out  # each name as the first line gives it, without its full stop


def test_done_twice_or_undoing_what_is_not_checked_says_nothing_changed(isolated_home):
    assert "Recorded as done: Submitted" in run("done", "Kaggle competition")
    assert "Already checked off: Submitted" in run("done", "Kaggle competition")
    assert "Unchecked: Submitted" in run("done", "--undo", "Kaggle competition")
    assert "was not checked off, so nothing changed" in run("done", "--undo", "Kaggle competition")
    assert "已记录为完成" in run("done", "吴恩达的课程") and "早已记录为完成" in run("done", "吴恩达的课程")
    assert "was not checked off" in run("done", "--undo", "--learner", "ghost", "Kaggle competition")
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["me"]  # undoing made no learner


def test_a_long_learner_name_is_not_echoed_whole():
    out = run("profile", "--learner", "x" * 5000, code=1)
    assert "(5,000 characters) cannot be a learner's name" in out and len(out) < 300


def test_the_profile_speaks_the_learners_language():
    run("profile", "set", "--know", "python", "--lang", "zh")
    shown = run("profile")
    assert "学习者：me" in shown and "每周小时数：10" in shown and "进度：" in shown
    assert "下一个里程碑：学完吴恩达" in shown and "已勾选：—" in shown and "对话：0" in shown
    assert not any(word in shown for word in ("Learner", "Progress", "Next milestone", "Checked", "Conversations"))


def test_plan_checks_the_start_date_saved_in_the_profile_before_loading_anything(isolated_home):
    # `profile set` no longer saves such a date; a profile imported or saved by an older version may hold one
    ProfileStore(isolated_home / "profiles.sqlite3").update("me", start_date="1990-01-01")
    out = run("plan", code=1)
    assert "cannot start on 1990-01-01" in out and "the start date saved in the profile" in out
    assert "Fix: Give --start YYYY-MM-DD, or save another start date" in out


def mentor_in_process(*args: str) -> subprocess.CompletedProcess:
    """The real `mentor` in its own process (a home made read-only by tests/read_only.py is so for it too)."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], env=env, capture_output=True, text=True, timeout=300)


def test_a_read_only_home_shows_the_profile_and_a_change_is_a_clear_error(isolated_home):
    run("profile", "set", "--know", "python", "--hours-per-week", "12")
    with read_only(isolated_home):
        shown = mentor_in_process("profile")
        assert shown.returncode == 0 and "Hours a week: 12" in shown.stdout, shown.stderr
        changed = mentor_in_process("profile", "set", "--hours-per-week", "5")
        assert changed.returncode == 1 and "unexpected" not in changed.stderr, changed.stderr
        assert "is not writable" in changed.stderr and "Fix: Point MENTOR_HOME at a folder you can write to" in changed.stderr
        assert sorted(p.name for p in isolated_home.iterdir()) == ["profiles.sqlite3"]  # no ".corrupt" copy
    assert "Hours a week: 12" in run("profile")  # writable again: nothing was lost or changed


@pytest.fixture
def indexed(corpus_index, monkeypatch):
    settings, _ = corpus_index
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    monkeypatch.setenv("MENTOR_CORPUS", str(settings.corpus_dir))
    # the index of the session, profiles in this test's own home
    monkeypatch.setenv("MENTOR_HOME", str(settings.home))
    monkeypatch.setenv("MENTOR_LEARNER", f"cli-{id(monkeypatch)}")
    return settings


@pytest.mark.slow
def test_chat_recognises_a_finished_course_confirms_then_records_and_next_uses_it(indexed):
    run("profile", "set", "--know", "python")
    out = run("ask", "I finished Andrew Ng's course", input="n\n")
    assert "Did you finish “Finished Andrew Ng's Machine Learning Specialization" in out
    assert "Checked: —" in run("profile")  # declined: nothing recorded
    assert "Recorded for" in run("ask", "我学完了吴恩达的课程", input="y\n")
    nxt = run("next")
    assert "You have checked off: Finished Andrew Ng's" in nxt
    assert "Your next milestone: Submitted your own solution to a Kaggle competition" in nxt and "[1]" in nxt
    assert "Run `mentor plan" in nxt
    run("done", "Kaggle competition")  # classic ML finished: a plan from the profile starts after it, and is saved
    plan = json.loads(run("plan", "--learner", os.environ["MENTOR_LEARNER"], "--format", "json"))
    assert plan["phases"][0]["stage_id"] == "math" and plan["estimate"]["id"] == "course"
    assert "saved plans: 1" in run("profile")
    chosen = json.loads(run("plan", "--know", "python", "--starting-point", "Developer", "--format", "json"))
    assert chosen["estimate"]["id"] == "developer" and chosen["total_weeks"] < 30
    assert "'astronaut' is not one of 'from-scratch', 'developer'" in run("plan", "--starting-point", "astronaut", code=2)


@pytest.mark.slow
def test_chat_i_finished_cs50_records_the_milestone_cs50_finishes(indexed):
    out = run("ask", "I finished CS50", input="y\n")
    assert "Did you finish “Finished CS50 or an equivalent introduction to programming”" in out and "Recorded for" in out
    shown = run("profile")
    assert "1/2  Programming" in shown and "Checked: Finished CS50 or an equivalent introduction to programming." in shown


@pytest.mark.slow
def test_ask_no_save_answers_from_a_read_only_profile(indexed, tmp_path, monkeypatch):
    home = tmp_path / "read-only-home"
    monkeypatch.setenv("MENTOR_HOME", str(home))
    run("profile", "set", "--know", "python")
    (home / "index").symlink_to(indexed.index_dir)  # the session's index; the profile database is what is tested
    with read_only(home):
        asked = mentor_in_process("ask", "--no-save", "How much math do I need?")
        assert asked.returncode == 0 and "[1]" in asked.stdout, asked.stderr
        assert sorted(p.name for p in home.iterdir()) == ["index", "profiles.sqlite3"]


@pytest.mark.slow
def test_plan_fills_in_what_the_options_leave_out_from_the_default_learners_profile(indexed):
    run("profile", "set", "--know", "python,git", "--hours-per-week", "12", "--goal", "ML engineer job",
        "--start", "2027-01-04")
    plan = json.loads(run("plan", "--format", "json"))
    assert (plan["hours_per_week"], plan["start_date"], plan["title"]) == (12, "2027-01-04", "ML engineer job")
    assert plan["inputs"]["known"] == ["git", "python"] and plan["phases"][0]["stage_id"] == "classic-ml"
    assert "saved plans: 0" in run("profile")  # read, not saved: only --learner saves
    given = json.loads(run("plan", "--hours-per-week", "20", "--start", "2027-03-01", "--format", "json"))
    assert (given["hours_per_week"], given["start_date"]) == (20, "2027-03-01")  # the options win
    run("profile", "set", "--lang", "zh")
    named = json.loads(run("plan", "--learner", os.environ["MENTOR_LEARNER"], "--format", "json"))
    assert (named["start_date"], named["language"]) == ("2027-01-04", "zh") and "已保存的计划：1" in run("profile")


@pytest.mark.slow
def test_ask_for_a_learner_the_database_does_not_hold_makes_them_and_says_so_once(indexed):
    run("profile", "set", "--hours-per-week", "5")
    new = os.environ["MENTOR_LEARNER"] + "-new"
    first = CliRunner().invoke(main, ["ask", "--learner", new, "What is CS50?"], input="n\n")
    assert first.exit_code == 0 and "[1]" in first.stdout, first.output
    assert f"Note: '{new}' is a new learner (the others: " in first.stderr and os.environ["MENTOR_LEARNER"] in first.stderr
    again = CliRunner().invoke(main, ["ask", "--learner", new, "What is CS50?"], input="n\n")
    assert again.exit_code == 0 and "new learner" not in again.stderr
    assert len(ProfileStore(indexed.profile_db).conversations(new)) == 2
