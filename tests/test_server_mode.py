"""Chroma as a server: a real `chroma run` on a free loopback port, indexed and asked through HttpClient."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from rag.config import Settings
from rag.errors import IndexUnavailableError
from rag.index.indexer import sync_index
from rag.answer.pipeline import Pipeline
from rag.index.store import IndexReader

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    """`chroma run` on 127.0.0.1:<free port>, stopped after the test."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chroma CLI ships with chromadb and must be installed"
    port = free_port()
    log = open(tmp_path / "chroma.log", "wb")
    process = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
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
                    raise AssertionError((tmp_path / "chroma.log").read_text(errors="replace")[-2000:])
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


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
    assert "chroma run" in err.value.hint
