"""What an index run checks before it starts (rag.index.preflight): a corpus folder, an index folder it can write."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.config import Settings
from rag.errors import CorpusError, IndexUnavailableError
from rag.index.indexer import sync_index
from rag.index.preflight import unwritable

from .read_only import read_only


def test_a_run_on_a_read_only_home_stops_before_any_work_and_says_why(tmp_path):
    settings = replace(Settings(), home=tmp_path / "home")
    settings.index_dir.mkdir(parents=True)
    assert unwritable(settings.index_dir) is None
    with read_only(settings.home):
        with pytest.raises(IndexUnavailableError, match="The index cannot be written: .*index is ") as raised:
            sync_index(settings, embeddings=None)  # no model is needed to find out
    assert "MENTOR_HOME" in raised.value.hint and not (settings.index_dir / "index.lock").exists()


def test_a_home_not_made_yet_is_checked_where_it_would_be_made(tmp_path):
    index_dir = tmp_path / "new" / "home" / "index"
    assert unwritable(index_dir) is None
    with read_only(tmp_path):
        assert unwritable(index_dir).startswith(f"{tmp_path} is ")


@pytest.mark.parametrize("make, problem", [(lambda path: None, "does not exist"),
                                           (lambda path: path.write_text("x"), "is not a folder")])
def test_a_corpus_folder_that_is_not_there_stops_a_run(tmp_path, make, problem):
    corpus = tmp_path / "corpus"
    make(corpus)
    with pytest.raises(CorpusError, match=f"The corpus folder .* {problem}"):
        sync_index(replace(Settings(), home=tmp_path / "home", corpus_dir=corpus), embeddings=None)
