"""The chunk file a local index answers from (rag/index/snapshot.py) reads like the Chroma collection it copies:
the same ids, texts, metadata and vectors, the same filters and the same nearest chunks, checked against the
real Chroma collection of the shipped corpus's index."""

from __future__ import annotations

import numpy as np
import pytest

from rag.errors import IndexCorruptError
from rag.index.client import collection_for, open_client
from rag.index.home import read_manifest
from rag.index.snapshot import ChunkSnapshot, matches
from rag.index.store import IndexReader


@pytest.fixture(scope="module")
def both(corpus_index, embeddings):
    settings, _ = corpus_index
    manifest = read_manifest(settings.index_dir)
    assert manifest.chunk_file  # a local index of the shipped corpus has one
    chroma = collection_for(open_client(settings.index_dir), manifest.collection, embeddings)
    return ChunkSnapshot.load(settings.index_dir / manifest.chunk_file), chroma


def test_the_chunk_file_holds_what_the_collection_holds(both):
    snapshot, chroma = both
    got = chroma.get(include=["documents", "metadatas", "embeddings"])
    assert snapshot.count() == chroma.count() == len(got["ids"])
    mine = snapshot.get(include=["documents", "metadatas", "embeddings"])
    assert mine["ids"] == got["ids"] and mine["documents"] == got["documents"] and mine["metadatas"] == got["metadatas"]
    assert np.array_equal(mine["embeddings"], np.asarray(got["embeddings"], dtype="float32"))


@pytest.mark.parametrize("where", [None, {"kind": "guide"}, {"kind": {"$ne": "guide"}}, {"doc_id": "cs50"},
                                   {"doc_id": {"$in": ["cs50", "kaggle"]}}])
def test_filters_and_nearest_chunks_match_chroma(both, embeddings, where):
    snapshot, chroma = both
    assert snapshot.get(where=where, include=["metadatas"]) == {
        k: v for k, v in chroma.get(where=where, include=["metadatas"]).items() if k in ("ids", "metadatas")}
    for question in ("What should I learn after Python?", "学完 Python 之后我应该学什么？", "What is CS50?"):
        vector = embeddings.embed_query(question)
        mine = snapshot.query(query_embeddings=[vector], n_results=6, where=where)
        theirs = chroma.query(query_embeddings=[vector], n_results=6, where=where, include=["distances"])
        assert mine["ids"] == theirs["ids"], (question, where)
        assert np.allclose(mine["distances"], theirs["distances"], atol=1e-4)


def test_pages_and_unknown_ids_read_as_chroma_reads_them(both):
    snapshot, chroma = both
    first = snapshot.get(include=[], limit=5, offset=3)["ids"]
    assert first == chroma.get(include=[], limit=5, offset=3)["ids"] and len(first) == 5
    assert snapshot.get(ids=[first[1], "no-such-chunk", first[0]], include=[])["ids"] == [first[1], first[0]]


def test_a_damaged_chunk_file_is_a_clear_error_and_an_index_run_writes_it_anew(tmp_path, small_corpus, model_dir,
                                                                               embeddings):
    from dataclasses import replace

    from rag.config import Settings
    from rag.index.indexer import sync_index

    settings = replace(Settings(), home=tmp_path / "home", corpus_dir=small_corpus, model_dir=model_dir)
    sync_index(settings, embeddings)
    chunk_file = settings.index_dir / read_manifest(settings.index_dir).chunk_file
    chunk_file.write_bytes(chunk_file.read_bytes()[:1000])
    with pytest.raises(IndexCorruptError, match="damaged") as err:
        IndexReader(settings.index_dir, embeddings)
    assert err.value.hint.startswith("Run `mentor index`")
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        ChunkSnapshot.load(chunk_file)
    report = sync_index(settings, embeddings)
    assert report.wrote and "is damaged" in report.repaired[0] and report.chunks["added"] == 0
    assert IndexReader(settings.index_dir, embeddings).collection.count() == report.chunk_count


def test_an_unknown_filter_operator_is_refused():
    with pytest.raises(ValueError, match=r"\$gt"):
        matches({"ordinal": 3}, {"ordinal": {"$gt": 1}})
