"""The `mentor` CLI through click's runner: real commands, readable errors, no tracebacks."""

from __future__ import annotations

import io
import json
import re
import shutil
import uuid

import pytest
from click.testing import CliRunner

from rag.cli import main

from .conftest import CORPUS
from .read_only import read_only


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_help_shows_examples():
    result = run("--help")
    assert result.exit_code == 0
    assert 'mentor search "What should I learn after Python?"' in result.output
    for command in ("index", "search", "status", "setup"):
        assert command in result.output
        assert "Example" in run(command, "--help").output


def test_status_before_anything_is_built(monkeypatch, tmp_path):
    monkeypatch.setenv("MENTOR_MODEL", str(tmp_path / "nowhere"))
    result = run("status")
    assert result.exit_code == 0
    assert "not built: run `mentor index`" in result.output
    assert "41 files" in result.output or "files, 0 with problems" in result.output


def test_status_names_each_model_the_index_needs_and_which_one_is_not_ready(monkeypatch, tmp_path):
    e5, english = tmp_path / "models" / "multilingual-e5-small", tmp_path / "models" / "all-MiniLM-L6-v2"
    e5.mkdir(parents=True)
    (e5 / "modules.json").write_text("[]", encoding="utf-8")  # a sentence-transformers folder, as far as status looks
    monkeypatch.setenv("MENTOR_MODEL", str(e5))
    monkeypatch.setenv("MENTOR_EMBEDDER", "sentence-transformers")  # no ONNX export to have
    out = run("status").output
    assert f"Models:  embedding model: {e5} (ready)\n" in out
    assert f"         English sentence model: {english} (not ready, no folder: run `mentor setup`)\n" in out
    monkeypatch.setenv("MENTOR_ENGLISH_MODEL", str(tmp_path / "mine"))  # the user's own folder: setup does not make it
    out = run("status").output
    assert f"embedding model: {e5} (ready)" in out and f"English sentence model: {tmp_path / 'mine'} (not ready, no " \
        "folder: point MENTOR_ENGLISH_MODEL at a sentence-transformers folder, or unset it)" in out
    monkeypatch.delenv("MENTOR_EMBEDDER")  # the default, ONNX: the embedding model needs its checked export
    assert f"embedding model: {e5} (not ready, no checked ONNX fp32 export: run `mentor setup`)" in run("status").output


def test_empty_question_is_a_clear_error():
    result = run("search", "   ")
    assert result.exit_code == 1
    assert "The question is empty." in result.output and "Fix:" in result.output


def test_a_blank_question_with_json_is_a_json_error_on_stdout_with_its_fix():
    result = run("ask", "--json", "   ")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"question": "   ", "error": "The question is empty.",
                                         "fix": 'Ask a question in words, e.g. "What should I learn after Python?"'}
    assert result.stderr.startswith("Error: The question is empty.")


@pytest.mark.parametrize("args", [["--continue", "--file", "q.txt"], ["--file", "q.txt", "What is CS50?"]])
def test_a_usage_mistake_in_ask_is_shown_as_click_shows_one_not_as_a_bug(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q.txt").write_text("What is CS50?\n", encoding="utf-8")
    result = run("ask", *args)
    assert result.exit_code == 2 and "Usage: " in result.output and "Try 'main ask --help' for help." in result.output
    assert "unexpected" not in result.output and "MENTOR_DEBUG" not in result.output
    assert not (tmp_path / "home").exists()  # refused before anything is opened


def test_help_names_files_real_defaults_and_starting_points_in_any_case(monkeypatch, tmp_path):
    from rag.cli.base import StartingPointChoice

    assert "--file FILE " in run("ask", "--help").output
    assert "(default MENTOR_TOP_K, else 5)" in " ".join(run("search", "--help").output.split())
    monkeypatch.setenv("MENTOR_CORPUS", str(tmp_path / "no-corpus"))  # no roadmap to check it with: plan says why
    unread = run("plan", "--starting-point", "developer")
    assert unread.exit_code == 1 and "roadmap.yaml cannot be read" in unread.output
    monkeypatch.delenv("MENTOR_CORPUS")  # the project's roadmap again: its starting points, in any case
    assert "--starting-point [from-scratch|developer|data-scientist|course]" in run("plan", "--help").output
    assert StartingPointChoice().convert("Data-Scientist", None, None) == "data-scientist"
    wrong = run("plan", "--starting-point", "astronaut")
    assert wrong.exit_code == 2 and "'astronaut' is not one of 'from-scratch', 'developer'" in wrong.output


def test_index_wait_0_names_the_lock_holder_before_preparing_the_model(isolated_home):
    import os

    from rag.index.lock import FileLock

    lock = FileLock(isolated_home / "index" / "index.lock")  # another index run, as far as `mentor index` can tell
    lock.acquire(0)
    try:
        result = run("index", "--wait", "0")
    finally:
        lock.release()
    assert result.exit_code == 1, result.output
    assert f"Error: Another index run holds the index lock: process {os.getpid()} on " in result.output
    assert "Loading the embedding model" not in result.output and not (isolated_home / "models").exists()


def test_missing_model_is_a_clear_error(monkeypatch, tmp_path):
    result = run("search", "What should I learn after Python?")
    assert result.exit_code == 1
    assert "not prepared" in result.output and "mentor setup" in result.output


def test_bad_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MENTOR_TOP_K", "many")
    result = run("status")
    assert result.exit_code == 1 and "MENTOR_TOP_K must be a positive whole number" in result.output


@pytest.mark.slow
def test_index_search_status_end_to_end(monkeypatch, model_dir, small_corpus):
    monkeypatch.setenv("MENTOR_MODEL", str(model_dir))
    monkeypatch.setenv("MENTOR_CORPUS", str(small_corpus))
    missing = run("search", "Kaggle")
    assert missing.exit_code == 1 and "mentor index" in missing.output

    first = run("index")
    assert first.exit_code == 0, first.output
    assert "\r" not in first.output and 2 <= first.output.count("Embedding: ") <= 5  # not a terminal: a few lines
    assert "Files: 3 added" in first.output and "Index updated" in first.output
    again = run("index")
    assert "0 added, 0 updated, 0 removed" in again.output and "Nothing to change" in again.output

    result = run("search", "What should I learn after Python?", "-k", "2")
    assert result.exit_code == 0 and result.output.startswith("1. ")
    assert "https://" in result.output and "2. " in result.output

    data = json.loads(run("search", "Kaggle 比赛", "--json", "-k", "3").output)
    assert data["question"] == "Kaggle 比赛" and len(data["hits"]) == 3
    assert {"doc_id", "title", "heading", "score", "source_url", "text", "chunk_id"} <= set(data["hits"][0])

    (small_corpus / "notes" / "bad.md").write_bytes(b"\x00binary")
    status = run("status")
    assert "notes/bad.md: looks like a binary file" in status.output
    assert "Stale:   no" in status.output  # a broken new file does not make the index stale
    (small_corpus / "notes" / "cs50.md").unlink()
    assert "Stale:   1 file(s) changed since: notes/cs50.md" in run("status").output


def test_index_progress_off_a_terminal_is_a_few_plain_lines():
    from rag.cli.progress import RunProgress

    piped = io.StringIO()  # not a terminal, as a pipe or a log file
    progress = RunProgress(piped)
    for done in range(8303):
        progress(done, 8302)
    progress.close()
    assert piped.getvalue().splitlines() == [f"Embedding: {n} of 8302 texts ({p}%)" for n, p in
                                             ((0, 0), (2076, 25), (4151, 50), (6227, 75), (8302, 100))]


def test_index_and_status_on_a_read_only_home_say_it_is_not_writable(isolated_home):
    (isolated_home / "index").mkdir(parents=True)
    with read_only(isolated_home):
        index = run("index")
        status = run("status")
    assert index.exit_code == 1 and "Error: The index cannot be written: " in index.output, index.output
    assert "Fix: Make MENTOR_HOME writable" in index.output and "Loading the embedding model" not in index.output
    assert status.exit_code == 0 and "Writable: no, " in status.output and "`mentor index` cannot" in status.output
    assert "Writable" not in run("status").output


def test_a_missing_corpus_folder_is_named_by_status_and_by_index_before_the_model(isolated_home, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_CORPUS", str(tmp_path / "no-corpus"))
    status = run("status")
    assert "no-corpus (does not exist: set MENTOR_CORPUS to the corpus folder" in status.output
    assert "0 files" not in status.output and "Papers:" not in status.output
    index = run("index")
    assert index.exit_code == 1 and "Error: The corpus folder" in index.output and "does not exist" in index.output
    assert "Loading the embedding model" not in index.output and not (isolated_home / "models").exists()


def test_status_names_an_unreadable_roadmap_and_plan_says_to_put_a_missing_one_back(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    roadmap = corpus / "roadmap" / "roadmap.yaml"
    roadmap.write_bytes(roadmap.read_text(encoding="utf-8").encode("gb18030"))
    monkeypatch.setenv("MENTOR_CORPUS", str(corpus))
    assert "roadmap/roadmap.yaml: is not UTF-8 text" in run("status").output
    roadmap.unlink()
    assert "roadmap/roadmap.yaml: does not exist" in run("status").output
    plan = run("plan", "--know", "python")
    assert plan.exit_code == 1 and "cannot be read: it does not exist" in plan.output
    assert "Fix: Put the roadmap back" in plan.output and "remove" not in plan.output


@pytest.fixture
def indexed(monkeypatch, corpus_index):
    """The CLI pointed at the session's real index of the shipped corpus."""
    settings, _ = corpus_index
    monkeypatch.setenv("MENTOR_HOME", str(settings.home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    return settings


@pytest.mark.slow
def test_ask_json_and_sources(indexed):
    result = run("ask", "--json", "What should I learn after Python?")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["grounded"] and not data["refused"] and data["language"] == "en" and data["citations"]
    text = run("ask", "学完 Python 之后我应该学什么？").output
    assert "按照指南的路线图" in text and "来源:" in text and "https://www.maxmynter.com/pages/blog/become-mle" in text


@pytest.mark.slow
def test_ask_file_prints_one_json_object_a_line(indexed, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("What is CS50?\n\n明天天气怎么样？\n" + "x" * 3000 + "\n", encoding="utf-8")
    result = run("ask", "--file", str(questions), "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [bool(line.get("grounded")) for line in lines] == [True, False, False], result.output
    assert lines[1]["refused"] and lines[1]["citations"] == []
    assert "limit is 2,000" in lines[2]["error"] and lines[2]["fix"]
    assert result.exit_code == 1 and "1 of 3 questions could not be asked" in result.stderr
    assert '(each is a JSON line with its "error" and "fix" on standard output)' in result.stderr
    piped = CliRunner().invoke(main, ["ask", "--file", "-", "--json"], input="How long until I can get an MLE job?\n")
    assert json.loads(piped.output)["grounded"]


@pytest.mark.slow
def test_ask_keeps_the_conversation_and_continue_reads_a_follow_up_in_it(indexed):
    from rag.app.history import from_row
    from rag.profile import ProfileStore

    learner = f"cli-{uuid.uuid4().hex[:8]}"
    assert run("ask", "--learner", learner, "What is CS50?").exit_code == 0
    follow = run("ask", "--learner", learner, "--continue", "--json", "Is it free?")
    assert follow.exit_code == 0, follow.output
    assert json.loads(follow.output)["resolved_question"] == "What is CS50? Is it free?"
    assert run("ask", "--learner", learner, "--no-save", "What is CS50?").exit_code == 0
    batch = CliRunner().invoke(main, ["ask", "--learner", learner, "--continue", "--file", "-"], input="What is CS50?\n")
    assert batch.exit_code == 2 and "--continue takes one question" in batch.output
    store = ProfileStore(indexed.profile_db)
    (conversation,) = store.conversations(learner)
    assert conversation["title"] == "What is CS50?" and conversation["messages"] == 4
    rows = store.messages(conversation["id"])
    assert [r["role"] for r in rows] == ["user", "assistant"] * 2 and rows[2]["content"] == "Is it free?"
    reopened = from_row(rows[3])  # what the app shows when it reopens the conversation
    assert reopened["citations"] and reopened["hits"] and "[1]" in reopened["answer"]
    run("ask", "--learner", learner, "How much math do I need?")
    assert len(store.conversations(learner)) == 2  # without --continue: a conversation of its own


@pytest.mark.slow
def test_plan_and_paper_commands(indexed):
    result = run("plan", "--know", "python,git", "--hours-per-week", "10", "--start", "2027-01-04", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["phases"][0]["stage_id"] == "classic-ml" and data["phases"][0]["start_date"] == "2027-01-04"
    assert data["citations"] and data["assumptions"]
    markdown = run("plan", "--know", "python", "--lang", "zh").output
    assert markdown.startswith("# 学习计划")
    paper = run("paper", "Mamba: Linear-Time Sequence Modeling", "--weeks", "4", "--start", "2027-01-04")
    assert paper.exit_code == 0 and "2027-01-31" in paper.output and "“我鼓励您看看是否可以在不查看存储库的情况下实现解决方案" in paper.output
    assert "is not in the paper catalogue" in paper.output
    resnet = run("paper", "残差网络", "--know", "python,pytorch", "--hours-per-week", "8", "--format", "json", "--lang", "en")
    assert resnet.exit_code == 0, resnet.output
    data = json.loads(resnet.output)
    assert data["inputs"]["card"] == "resnet" and data["hours_per_week"] == 8
    assert data["inputs"]["datasets"][0]["name"] == "CIFAR-10" and data["inputs"]["targets"][0]["source"] == "Table 6"
    assert "[x] deep learning" in run("paper", "resnet", "--know", "pytorch").output
    status = run("status").output
    assert re.search(r"Papers:  \d\d paper cards \(0 skipped with problems\)", status)
    bad = run("plan", "--know", "python,cooking")
    assert bad.exit_code == 1 and "Unknown skill(s): cooking" in bad.output and "Fix:" in bad.output
    assert "weeks" in run("paper", "X", "--weeks", "0").output
    noted = run("paper", "resnet", "--weeks", "6", "--url", "https://example.org")  # the card times it: said so
    assert noted.exit_code == 0 and "Note: --weeks, --url are for a paper not in the catalogue" in noted.output
    assert "Note:" not in run("paper", "Mamba", "--weeks", "6").output
    missing = run("paper", "Mamba", "--abstract-file", str(indexed.home / "no-such-abstract.txt"))
    assert missing.exit_code == 1 and "Give a readable abstract file" in missing.output


def test_paper_list_shows_the_catalogue_by_field_without_an_index():
    listed = run("paper", "--list")
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("# The paper catalogue: 25 papers") and "## Vision" in listed.output
    assert "- ResNet — Deep Residual Learning for Image Recognition (2015) · `resnet`" in listed.output
    data = json.loads(run("paper", "--list", "--format", "json").stdout)
    assert len(data["papers"]) == 25 and data["skipped"] == []
    assert {"id": "resnet", "name": "ResNet", "field": "vision", "year": 2015}.items() <= data["papers"][3].items()
    assert "## 计算机视觉" in run("paper", "--list", "--lang", "zh").output
    both = run("paper", "--list", "resnet")
    assert both.exit_code == 1 and "takes no title" in both.output and "unexpected" not in both.output
    none = run("paper")
    assert none.exit_code == 1 and "Fix: Give the paper's title" in none.output and "--list" in none.output


@pytest.mark.slow
def test_paper_fills_in_what_is_left_out_from_the_profile(indexed, monkeypatch):
    learner = f"cli-{uuid.uuid4().hex[:8]}"
    assert run("profile", "set", "--learner", learner, "--know", "python,math,deep-learning", "--hours-per-week", "30",
               "--lang", "zh").exit_code == 0
    data = json.loads(run("paper", "resnet", "--learner", learner, "--format", "json").stdout)
    assert data["hours_per_week"] == 30 and data["language"] == "zh"
    assert [p["known"] for p in data["inputs"]["prerequisites"]] == [True, True, True, False, False]
    said = json.loads(run("paper", "resnet", "--learner", learner, "--hours-per-week", "5", "--lang", "en",
                          "--format", "json").stdout)  # what the options say wins
    assert said["hours_per_week"] == 5 and said["language"] == "en"
    monkeypatch.setenv("MENTOR_LEARNER", learner)  # the default learner's profile, unnamed
    assert json.loads(run("paper", "resnet", "--format", "json").stdout)["hours_per_week"] == 30
    ghost = run("paper", "resnet", "--learner", f"{learner}-typo")
    assert ghost.exit_code == 1 and f"No learner named '{learner}-typo'." in ghost.output and f"Did you mean '{learner}'?" in ghost.output


@pytest.mark.slow
def test_paper_asks_after_a_misspelt_title(indexed):
    misspelt = run("paper", "rsenet")
    assert misspelt.exit_code == 0 and "Did you mean ResNet (“Deep Residual Learning for Image Recognition”)?" in misspelt.output
    assert json.loads(run("paper", "rsenet", "--format", "json").stdout)["inputs"]["did_you_mean"] == "resnet"
    assert "Did you mean" not in run("paper", "Mamba: Linear-Time Sequence Modeling").output


@pytest.mark.slow
def test_status_of_an_index_whose_corpus_folder_is_gone_calls_no_file_stale(indexed, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_CORPUS", str(tmp_path / "gone"))
    status = run("status").output
    assert "Stale:   unknown: there is no corpus folder" in status and "changed since" not in status


def small_index(index_dir, store: bool = True):
    """An index folder whose manifest names one lexical file (checksummed) and, with `store`, a real Chroma store
    holding the collection it names: healthy as far as `mentor status` checks."""
    from rag.index.home import Manifest, sha256, write_manifest

    index_dir.mkdir(parents=True)
    (index_dir / "lexical_g1.json").write_text("{}", encoding="utf-8")
    if store:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        client = chromadb.PersistentClient(str(index_dir / "chroma"), ChromaSettings(anonymized_telemetry=False))
        client.create_collection("mentor_g1", embedding_function=None, metadata={"model_id": "m"})
    write_manifest(index_dir, Manifest(model_id="m", dim=2, collection="mentor_g1", lexical_file="lexical_g1.json",
                                       generation=1, chunk_count=0, built_at="2026-01-01T00:00:00+00:00",
                                       checksums={"lexical_g1.json": sha256(index_dir / "lexical_g1.json")}))


def test_status_shows_the_rest_beside_a_cut_manifest_and_gives_the_fix_that_works(isolated_home):
    small_index(isolated_home / "index", store=False)
    manifest = isolated_home / "index" / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:40])
    status = run("status")
    assert status.exit_code == 1 and "Corpus:  " in status.output and "Models:  " in status.output
    assert "Damaged: The index manifest" in status.output and "(run `mentor index --rebuild`" in status.output


def test_a_damaged_vector_store_is_given_the_fix_that_works(isolated_home):
    small_index(isolated_home / "index", store=False)
    (isolated_home / "index" / "chroma").mkdir()
    (isolated_home / "index" / "chroma" / "chroma.sqlite3").write_bytes(b"not a database" * 512)
    status = run("status")
    assert status.exit_code == 1 and "Damaged: The vector store" in status.output
    assert "(run `mentor index --rebuild`" in status.output and "(run `mentor index` to write" not in status.output


def test_a_healthy_store_in_a_read_only_home_is_not_called_damaged(isolated_home):
    small_index(isolated_home / "index")
    with read_only(isolated_home):
        status = run("status")
    assert status.exit_code == 0 and "Damaged" not in status.output and "Writable: no, " in status.output, status.output
