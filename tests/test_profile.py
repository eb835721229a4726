"""The learner-profile store: concurrent writers, a damaged file, migrations, export/import, matching, progress."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from rag.config import PACKAGE_ROOT, Settings
from rag.errors import ProfileError
from rag.ingest.roadmap import load_roadmap
from rag.profile import (Learner, Progress, ProfileStore, catalogue, export_profile, find, import_profile, match,
                         next_milestone, per_stage)
from rag.profile.progress import effective_known
from rag.profile.schema import MIGRATIONS, VERSION

from .conftest import CORPUS


@pytest.fixture
def store(tmp_path):
    return ProfileStore(tmp_path / "profiles.sqlite3", now=lambda: "2027-01-04T09:00:00+00:00")


@pytest.fixture(scope="module")
def items():
    return catalogue(load_roadmap(CORPUS), lambda note: {"ml-specialization": "Machine Learning Specialization "
                                                         "(Andrew Ng, DeepLearning.AI & Stanford Online, Coursera)"}.get(note))


def filled(store: ProfileStore, name: str = "ada") -> ProfileStore:
    store.update(name, hours_per_week=12, goal="ML engineer job", start_date="2027-01-04")
    store.set_skills(name, ["python", "git"])
    store.check(name, "milestone:classic-ml:0")
    store.save_plan(name, "learning", {"total_weeks": 27})
    conversation = store.start_conversation(name, "What should I learn after Python?")
    store.add_message(conversation, "user", "What should I learn after Python?")
    store.add_message(conversation, "assistant", "Classic ML [1]", {"citations": [1]})
    return store


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from rag.profile import ProfileStore
    path, tag, conversation = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = ProfileStore(path)
    for i in range(40):
        store.add_message(conversation, "user", f"{tag}-{i}")
        store.check("ada", f"resource:{tag}-{i}")
        store.set_skills("ada", [f"{tag}-{i}"], replace=False)
        store.update("ada", goal=f"{tag}-{i}")
""")


def test_two_processes_of_the_same_learner_writing_at_once_lose_nothing(store):
    conversation = filled(store).start_conversation("ada", "shared")
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(store.path), tag, str(conversation)], env=env,
                                stderr=subprocess.PIPE) for tag in ("one", "two")]
    for proc in writers:
        assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    contents = [m["content"] for m in store.messages(conversation)]
    assert sorted(contents) == sorted(f"{tag}-{i}" for tag in ("one", "two") for i in range(40))
    learner = store.learner("ada")
    assert {f"resource:{t}-{i}" for t in ("one", "two") for i in range(40)} <= set(learner.checked)
    assert {f"{t}-{i}" for t in ("one", "two") for i in range(40)} | {"python", "git"} == set(learner.skills)
    assert learner.goal in ("one-39", "two-39") and learner.hours_per_week == 12


def test_the_database_uses_wal_and_foreign_keys(store):
    filled(store)
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    store.delete_learner("ada")
    with sqlite3.connect(store.path) as db:  # every row of hers went with her: the foreign keys cascade
        assert [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("learners", "skills", "checks", "plans", "conversations", "messages")] == [0] * 6


def test_a_corrupt_database_is_a_clear_error_and_a_copy_is_kept(store):
    filled(store)
    damaged = b"this is not a database" * 10 + store.path.read_bytes()[220:]
    store.path.write_bytes(damaged)
    with pytest.raises(ProfileError, match="cannot be read") as caught:
        store.learner("ada")
    assert "mentor profile import" in caught.value.hint
    copies = list(store.path.parent.glob("profiles.sqlite3.corrupt*"))
    assert len(copies) == 1 and copies[0].read_bytes() == damaged
    assert store.path.read_bytes() == damaged  # never recreated or overwritten: nothing more is lost
    with pytest.raises(ProfileError):
        store.learners()


def test_a_damaged_database_opened_again_and_again_keeps_one_copy_and_names_it(store, tmp_path):
    filled(store)
    store.path.write_bytes(os.urandom(4096) + store.path.read_bytes()[4096:])
    said = []
    for open_it in (store.learners, lambda: store.learner("ada"), store.learners,
                    lambda: ProfileStore(store.path).get("ada")):  # another process opens the same file
        with pytest.raises(ProfileError, match="cannot be read") as caught:
            open_it()
        said.append(str(caught.value))
    assert [p.name for p in tmp_path.glob("profiles.sqlite3.corrupt*")] == ["profiles.sqlite3.corrupt"]
    assert all("a copy of it is kept as profiles.sqlite3.corrupt." in s for s in said)
    damaged_again = b"still not a database" * 50 + store.path.read_bytes()[1000:]  # other bytes: a copy of their own
    store.path.write_bytes(damaged_again)
    with pytest.raises(ProfileError, match="kept as profiles.sqlite3.corrupt-2"):
        store.learners()
    assert (tmp_path / "profiles.sqlite3.corrupt-2").read_bytes() == damaged_again == store.path.read_bytes()


def test_an_older_database_is_migrated_with_its_rows_and_a_backup(tmp_path):
    path = tmp_path / "profiles.sqlite3"
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO learners (name, goal, created_at, updated_at) VALUES ('ada', 'MLE', 'x', 'x')")
        db.execute("PRAGMA user_version = 1")
    learner = ProfileStore(path).learner("ada", create=False)
    assert (learner.goal, learner.language) == ("MLE", "")
    assert (tmp_path / "profiles.sqlite3.v1.bak").exists()


def test_a_new_learner_gets_the_settings_default_hours_whatever_the_tables_default(tmp_path):
    """Settings.default_hours_per_week is the one default: a blank learner shows it and the store writes it with each
    learner it makes, even in a database whose learners table was made with another DEFAULT (a migration never
    changes, the setting may)."""
    path = tmp_path / "profiles.sqlite3"
    with sqlite3.connect(path) as db:
        for migration in MIGRATIONS:
            for statement in migration:
                db.execute(statement.replace("DEFAULT 10 CHECK", "DEFAULT 7 CHECK"))
        db.execute(f"PRAGMA user_version = {VERSION}")
        made = db.execute("SELECT dflt_value FROM pragma_table_info('learners') WHERE name = 'hours_per_week'")
        assert made.fetchone() == ("7",)
    store = ProfileStore(path)
    store.set_skills("ada", ["python"])
    assert store.get("ada").hours_per_week == Settings().default_hours_per_week == Learner.blank("bo").hours_per_week


def test_export_then_import_round_trips_and_a_malformed_file_changes_nothing(store):
    filled(store)
    exported = export_profile(store, "ada")
    assert exported["learner"]["hours_per_week"] == 12 and exported["conversations"][0]["messages"][1]["data"]
    assert import_profile(store, json.dumps(exported), name="bob") == "bob"
    assert {k: v for k, v in export_profile(store, "bob").items() if k != "learner"} == \
        {k: v for k, v in exported.items() if k != "learner"}
    broken = [
        "{not json",
        json.dumps({"format": "something-else"}),
        json.dumps({**exported, "version": 7}),
        json.dumps({**exported, "learner": {**exported["learner"], "hours_per_week": 500}}),
        json.dumps({**exported, "skills": "python"}),
        json.dumps({**exported, "conversations": [{**exported["conversations"][0],
                                                   "messages": [{"role": "system", "content": "x", "created_at": "t"}]}]}),
    ]
    for text in broken:
        with pytest.raises(ProfileError, match="Nothing was changed"):
            import_profile(store, text)
        assert export_profile(store, "ada") == exported


def test_a_learner_name_must_be_a_name(store):
    with pytest.raises(ProfileError, match="cannot be a learner's name"):
        store.learner("  ")
    with pytest.raises(ProfileError, match="No learner named 'nobody': no learner has a profile"):
        store.learner("nobody", create=False)


def test_a_learner_is_found_whatever_the_case_of_the_name_and_never_made_twice(store):
    filled(store, "bob")
    exported = json.dumps(export_profile(store, "bob"))
    assert store.get("Bob").name == "bob" and store.learner("BOB", create=False).goal == "ML engineer job"
    store.update("Bob", goal="MLE")
    assert import_profile(store, exported, name="BOB") == "bob"  # replaces bob, as bob
    assert store.learners() == ["bob"] and store.get("bob").goal == "ML engineer job"
    with sqlite3.connect(store.path) as db:  # a database from before: two learners whose names differ only in case
        db.execute("INSERT INTO learners (name, created_at, updated_at) VALUES ('Bob', 'x', 'x')")
    assert (store.get("Bob").goal, store.get("bob").goal) == ("", "ML engineer job")  # the exact name first
    with pytest.raises(ProfileError, match="'BOB' could be any of the learners bob, Bob"):
        store.update("BOB", goal="nothing is written")


@pytest.mark.parametrize("phrase", ["Andrew Ng's course", "吴恩达的课程", "the Machine Learning Specialization"])
def test_finished_items_are_found_from_loose_words(items, phrase):
    assert match(items, phrase)[0].key in ("milestone:classic-ml:0", "resource:ml-specialization")


@pytest.mark.parametrize("phrase, milestone", [
    ("CS50", "milestone:programming:0"),  # the note's id, as `mentor done CS50` and "I finished CS50" give it
    ("nyu-deep-learning", "milestone:deep-learning:0"),  # "Finished one deep-learning course (…, NYU or fast.ai)"
    ("full-stack-open", "milestone:software-engineering:0"),  # "Finished the core parts of Full Stack Open."
])
def test_a_resource_named_by_words_its_milestone_holds_checks_that_milestone(items, phrase, milestone):
    found, close = match(items, phrase)
    assert found.key == milestone and f"resource:{phrase.lower()}" in [c.key for c in close]
    assert match(items, f"resource:{phrase.lower()}")[0].key == f"resource:{phrase.lower()}"  # the full key: itself


def test_an_unknown_item_is_an_error_listing_the_closest(items):
    with pytest.raises(ProfileError, match="The closest: .*Kaggle"):
        find(items, "a Kaggle thing about cooking", "en")
    with pytest.raises(ProfileError, match=r"matches 'banana bread'\. None comes close to it either\.$"):
        find(items, "banana bread", "en")


def test_progress_per_stage_and_the_next_milestone():
    roadmap = load_roadmap(CORPUS)
    progress = Progress(frozenset({"python"}), frozenset({"milestone:classic-ml:0"}))
    rows = {row.stage.id: (row.done, row.total) for row in per_stage(roadmap, progress)}
    assert rows["programming"] == (2, 2) and rows["classic-ml"] == (1, 2) and rows["deep-learning"] == (0, 2)
    stage, n = next_milestone(roadmap, progress)
    assert (stage.id, n) == ("classic-ml", 1)
    both = Progress(progress.known, progress.checked | {"milestone:classic-ml:1"})
    assert "classic-ml" in effective_known(roadmap, both)
    assert next_milestone(roadmap, both)[0].id == "math"
