"""Chroma as a server: a real `chroma run` on a free loopback port, indexed and asked through HttpClient."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from rag.config import Settings
from rag.errors import IndexUnavailableError
from rag.index.indexer import sync_index
from rag.answer.pipeline import Pipeline
from rag.index.store import IndexReader

from .test_reliability import finish, mentor

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_chroma(folder: Path):
    """`chroma run` on 127.0.0.1:<free port> over `folder`: (url, process), stopped on leaving."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI ships with chromadb and must be installed"
    port = free_port()
    log = open(folder.parent / f"chroma-{port}.log", "wb")
    process = subprocess.Popen([chroma, "run", "--path", str(folder), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(Path(log.name).read_text(errors="replace")[-2000:])
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def chroma_server(tmp_path):
    """`chroma run` on 127.0.0.1:<free port>, stopped after the test."""
    with running_chroma(tmp_path / "server-data") as (url, _):
        yield url


def test_index_and_ask_through_a_chroma_server(chroma_server, tmp_path, small_corpus, model_dir, embeddings):
    settings = replace(Settings(), home=tmp_path / "home", corpus_dir=small_corpus, model_dir=model_dir,
                       chroma_url=chroma_server)
    report = sync_index(settings, embeddings)
    assert report.wrote and report.chunk_count > 10
    assert not (settings.index_dir / "chroma").exists()  # the vectors live in the server, not locally
    reader = IndexReader(settings.index_dir, embeddings, url=chroma_server)
    assert reader.collection.count() == report.chunk_count
    answer = Pipeline(reader, settings).ask("Is it worth entering Kaggle competitions as a beginner?").answer
    assert answer.grounded and any(c.doc_id in {"kaggle", "zero-to-hero-2022"} for c in answer.citations)
    assert not sync_index(settings, embeddings).wrote  # idempotent against the server too


def test_a_dead_server_is_a_clear_error(tmp_path, embeddings):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(IndexUnavailableError, match="does not answer") as err:
        from rag.index.client import open_client

        open_client(tmp_path, url)
    assert "chroma run" in err.value.hint and "ValueError" not in str(err.value)


def test_status_with_a_dead_server_still_shows_the_corpus_and_models(tmp_path, small_corpus):
    url = f"http://127.0.0.1:{free_port()}"
    env = {**os.environ, "MENTOR_HOME": str(tmp_path / "home"), "MENTOR_CORPUS": str(small_corpus), "MENTOR_CHROMA_URL": url}
    rc, out, err = finish(mentor("status", env=env))
    assert rc == 1 and "Corpus:  " in out and "Models:  " in out, (out, err)
    assert f"Index:   {url} (the Chroma server" in out and "does not answer" in out and "chroma run" in out


def test_https_to_a_plain_http_server_says_to_use_http(chroma_server, tmp_path):
    from rag.index.client import open_client

    with pytest.raises(IndexUnavailableError, match="does not speak https") as err:
        open_client(tmp_path, chroma_server.replace("http://", "https://"))
    assert "http://" in err.value.hint and "ValueError" not in str(err.value)


def test_two_hosts_share_one_chroma_server(chroma_server, tmp_path, small_corpus, model_dir, embeddings):
    """Two app hosts (two MENTOR_HOMEs) against one `chroma run`: both index at once, both answer the same, and
    indexing from one never breaks the other. Host A had an embedded index before: no --rebuild is needed."""
    local = replace(Settings(), home=tmp_path / "host-a", corpus_dir=small_corpus, model_dir=model_dir)
    sync_index(local, embeddings)  # host A's index before it moved to the server (README's server steps)
    hosts = [replace(local, chroma_url=chroma_server), replace(local, home=tmp_path / "host-b", chroma_url=chroma_server)]
    envs = [{**os.environ, "MENTOR_HOME": str(h.home), "MENTOR_CORPUS": str(small_corpus), "MENTOR_MODEL": str(model_dir),
             "MENTOR_CHROMA_URL": chroma_server} for h in hosts]
    results = [finish(p) for p in [mentor("index", env=env) for env in envs]]
    assert [rc for rc, _, _ in results] == [0, 0], results
    assert sum("Index updated" in out for _, out, _ in results) == 1  # the other waited, then found nothing to do
    assert all(out.rstrip().endswith(f"s: {chroma_server}") for _, out, _ in results)  # the server, not a folder
    questions = ["Is it worth entering Kaggle competitions as a beginner?", "What is CS50?", "Kaggle 适合初学者吗？"]
    (tmp_path / "questions.txt").write_text("\n".join(questions), encoding="utf-8")
    answers = []
    for env in envs:
        rc, out, err = finish(mentor("ask", "--file", str(tmp_path / "questions.txt"), "--json", env=env))
        assert rc == 0, err
        answers.append([{k: v for k, v in json.loads(line).items() if k != "timings_ms"} for line in out.splitlines()])
    assert answers[0] == answers[1] and all(a["grounded"] for a in answers[0][:2])
    assert not (hosts[1].index_dir / "manifest.json").exists()  # host B's state lives with the server

    reader_a = IndexReader(hosts[0].index_dir, embeddings, url=chroma_server)  # host A answering...
    pipeline_a = Pipeline(reader_a, hosts[0])
    before = pipeline_a.ask(questions[0]).answer.answer
    note = small_corpus / "notes" / "cs50.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    report = sync_index(hosts[1], embeddings)  # ...while host B indexes a change
    assert report.wrote and report.chunks["updated"] + report.chunks["added"] >= 1
    assert pipeline_a.ask(questions[0]).answer.answer == before  # A keeps its generation for the grace period
    fresh = [Pipeline(IndexReader(h.index_dir, embeddings, url=chroma_server), h) for h in hosts]
    assert fresh[0].reader.manifest == fresh[1].reader.manifest and fresh[0].reader.manifest.generation > 1
    assert [fresh[0].ask(q).answer.answer for q in questions] == [fresh[1].ask(q).answer.answer for q in questions]
    rc, out, err = finish(mentor("status", env=envs[0]))
    assert rc == 0 and f"generation {fresh[0].reader.manifest.generation}" in out, err
    assert f"Index:   {chroma_server} (the Chroma server" in out


def test_a_server_dying_mid_batch_is_a_sentence(tmp_path, small_corpus, model_dir):
    with running_chroma(tmp_path / "server-data") as (url, server):
        env = {**os.environ, "MENTOR_HOME": str(tmp_path / "home"), "MENTOR_CORPUS": str(small_corpus),
               "MENTOR_MODEL": str(model_dir), "MENTOR_CHROMA_URL": url, "MENTOR_EMBED_BATCH_SIZE": "2"}
        process = mentor("index", env=env)
        seen = ""
        deadline = time.monotonic() + 180
        while "Embedding:" not in seen:  # embedding has begun: the first batch is on its way to the server
            seen += process.stderr.read(1)
            assert time.monotonic() < deadline and process.poll() is None, seen[-500:]
        server.kill()
        server.wait()
        out, err = process.communicate(timeout=300)
    assert process.returncode == 1, err[-2000:]
    assert "stopped answering while the index was written" in err and "Fix: Start it again" in err
    assert "unexpected" not in err
