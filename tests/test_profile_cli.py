"""`mentor profile`, `done`, `next` and the chat's "I finished …": the learner's profile from the command line."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.cli import main
from rag.config import PACKAGE_ROOT
from rag.profile import ProfileStore


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
        assert "There is no learner named 'ghost3'." in out and "The learners here are: ada;" in out
    out = run("profile", "delete", "--learner", "ghost2", input="y\n", code=1)
    assert "There is no learner named 'ghost2'." in out and "The learners here are: ada;" in out
    assert "Delete every row" not in out and "create" not in out  # said before asking; no offer to make it
    assert ProfileStore(isolated_home / "profiles.sqlite3").learners() == ["ada"]


@pytest.mark.parametrize("answer", [None, "n\n"], ids=["no input", "no"])
def test_delete_without_a_yes_deletes_nothing_and_says_so(answer, isolated_home):
    run("profile", "--learner", "ada", "set", "--hours-per-week", "5")
    out = run("profile", "delete", "--learner", "ada", input=answer, code=1)
    assert "Nothing was deleted. (--yes deletes without asking.)" in out and "unexpected" not in out
    assert "Hours a week: 5" in run("profile", "--learner", "ada")


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


def test_plan_checks_the_start_date_saved_in_the_profile_before_loading_anything():
    run("profile", "set", "--start", "1990-01-01")
    out = run("plan", code=1)
    assert "cannot start on 1990-01-01" in out and "the start date saved in the profile" in out
    assert "Fix: Give --start YYYY-MM-DD, or save another start date" in out


def _without_root_override() -> None:
    """In the child: root loses its power to write past permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH are
    dropped from its bounding set, so the exec'd command runs without them), as a read-only mount would do."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0):  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def mentor_in_process(*args: str) -> subprocess.CompletedProcess:
    """The real `mentor` in its own process, as a user who may not write where permissions forbid."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300, preexec_fn=_without_root_override if os.geteuid() == 0 else None)


@contextmanager
def read_only(home: Path):
    """`home` and the files in it (not what its links point to) read-only for as long as the block runs."""
    files = [home, *(path for path in home.iterdir() if not path.is_symlink())]
    for path in files:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield home
    finally:
        for path in files:
            path.chmod(0o755 if path.is_dir() else 0o644)


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
