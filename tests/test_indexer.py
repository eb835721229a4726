"""Indexing for real (Chroma in a tmp folder, the real model): idempotence, changes, bad files, faults."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from rag.config import PACKAGE_ROOT, Settings
from rag.errors import IndexCorruptError, IndexMissingError, ModelMismatchError
from rag.index.indexer import sync_index
from rag.index.home import read_manifest
from rag.index.store import IndexReader

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(tmp_path, small_corpus, model_dir):
    return replace(Settings(), home=tmp_path / "home", corpus_dir=small_corpus, model_dir=model_dir)


def chunk_ids(settings, embeddings):
    reader = IndexReader(settings.index_dir, embeddings)
    return set(reader.collection.get(include=[])["ids"])


def test_index_twice_changes_nothing(settings, embeddings):
    first = sync_index(settings, embeddings)
    assert first.wrote and first.files["added"] == 3 and first.chunks["added"] == first.chunk_count > 10
    manifest = read_manifest(settings.index_dir)
    second = sync_index(settings, embeddings)
    assert not second.wrote
    assert second.chunks == {"added": 0, "updated": 0, "removed": 0, "unchanged": first.chunk_count}
    assert second.files["unchanged"] == 3
    assert read_manifest(settings.index_dir) == manifest


def test_new_sentence_rules_refresh_the_sentence_vectors_of_unchanged_chunks(settings, embeddings, monkeypatch):
    """An upgrade can cut the same chunks into other sentences: the next run writes a generation whose sentence
    vectors hold them (the chunks' own vectors reused), and the run after that changes nothing."""
    from rag.index import indexer
    from rag.index.sentences import SentenceVectors

    sync_index(settings, embeddings)
    before = set(SentenceVectors.load(settings.index_dir / read_manifest(settings.index_dir).sentence_file).row)
    real = indexer.quotables

    def merged_pairs(hit):  # a new rule: two sentences at a time
        found = real(hit)
        return [replace(a, shown=f"{a.shown} {b.shown}") for a, b in zip(found[::2], found[1::2])] + found[len(found) // 2 * 2:]

    monkeypatch.setattr(indexer, "quotables", merged_pairs)
    report = sync_index(settings, embeddings)
    assert report.wrote and report.chunks["added"] == report.chunks["updated"] == 0
    assert any("sentence rules" in r for r in report.repaired)
    manifest = read_manifest(settings.index_dir)
    held = set(SentenceVectors.load(settings.index_dir / manifest.sentence_file).row)
    got = IndexReader(settings.index_dir, embeddings).collection.get(include=["documents", "metadatas"])
    chunks = [{"id": i, "document": d, "meta": m} for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
    merged = {text for _, text in indexer.quotable_texts(chunks)}
    assert merged <= held and merged - before  # every sentence the new rule cuts has its vector
    assert not sync_index(settings, embeddings).wrote


def test_the_question_vectors_hold_the_off_topic_questions_and_follow_a_changed_list(settings, embeddings, monkeypatch):
    """The packs' off-topic questions (rag.answer.off_topic) are embedded with the sections' questions, held by no
    chunk; a pack's changed list (a question added, then taken out) writes a generation that holds the list as it
    is, and the run after that changes nothing."""
    from rag.index import indexer
    from rag.index.sentences import SentenceVectors
    from rag.lang import registry

    def held():
        manifest = read_manifest(settings.index_dir)
        return SentenceVectors.load(settings.index_dir / manifest.question_file)

    sync_index(settings, embeddings)
    listed, vectors = registry.pack("en").off_topic, held()
    assert listed and set(listed) <= set(vectors.row)
    assert all(vectors.owner_ids[vectors.row[q]] == () for q in listed)  # no chunk holds them: never ranked
    asked = "How do I repaint my kitchen cabinets?"
    monkeypatch.setattr(indexer, "off_topic_texts", lambda: [("", q) for q in (*listed, asked)])
    report = sync_index(settings, embeddings)
    assert report.wrote and report.chunks["added"] == report.chunks["updated"] == 0
    assert any("off-topic" in r for r in report.repaired) and asked in held().row
    assert not sync_index(settings, embeddings).wrote
    monkeypatch.setattr(indexer, "off_topic_texts", lambda: [("", q) for q in listed])
    report = sync_index(settings, embeddings)
    assert any("off-topic" in r for r in report.repaired) and asked not in held().row
    assert not sync_index(settings, embeddings).wrote


def _saved_as_before_then_synced(settings, embeddings, manifest, path, vectors, encoder: str):
    """`vectors` saved over the generation's file `path` as an older version wrote it (checksum and all), then an
    index run that records what `embeddings.<encoder>` encodes: (its report, the batches encoded)."""
    from rag.index.home import sha256, write_manifest

    vectors.save(path)
    write_manifest(settings.index_dir, replace(manifest, checksums={**manifest.checksums, path.name: sha256(path)}))
    encoded = []
    real = getattr(embeddings, encoder)
    setattr(embeddings, encoder, lambda texts, **kw: encoded.append(texts) or real(texts, **kw))
    try:
        return sync_index(settings, embeddings), encoded
    finally:
        setattr(embeddings, encoder, real)


def test_an_index_written_before_commonness_is_measured_gets_it_and_keeps_its_vectors(settings, embeddings, small_corpus):
    """Sentence and question files without commonness (rag.index.sentences; an older version wrote them) are
    written anew with it, every vector reused; the run after that changes nothing."""
    from rag.index.sentences import SentenceVectors

    for companion in ("zero-to-hero-2022.en.yaml", "zero-to-hero-2022.questions.yaml"):  # a sentence's commonness is
        shutil.copy(PACKAGE_ROOT / "corpus" / "guides" / companion, small_corpus / "guides" / companion)  # to these
    sync_index(settings, embeddings)
    manifest = read_manifest(settings.index_dir)
    path = settings.index_dir / manifest.sentence_file
    old = SentenceVectors.load(path)
    assert old.commonness.any()
    report, encoded = _saved_as_before_then_synced(settings, embeddings, manifest, path,
                                                   SentenceVectors(old.texts, old.vectors, old.owners), "encode_passages")
    assert report.wrote and report.chunks["added"] == report.chunks["updated"] == 0
    assert report.repaired == ["the sentence vectors had no commonness measured (written before it was)"]
    assert encoded == []  # every sentence's vector reused
    fresh = read_manifest(settings.index_dir)
    for name in (fresh.sentence_file, fresh.question_file):
        assert SentenceVectors.load(settings.index_dir / name).commonness.any()
    assert not sync_index(settings, embeddings).wrote


def test_an_index_written_before_query_steering_gets_it_and_keeps_its_vectors(settings, embeddings, small_corpus):
    """A questions file without the steering matrix (rag.index.steering; an older version wrote it so) is written
    anew with one learned from the sections' questions, every vector reused; the run after that changes nothing."""
    import numpy as np

    from rag.index.sentences import SentenceVectors

    for companion in ("zero-to-hero-2022.en.yaml", "zero-to-hero-2022.questions.yaml"):  # the guide's questions
        shutil.copy(PACKAGE_ROOT / "corpus" / "guides" / companion, small_corpus / "guides" / companion)
    sync_index(settings, embeddings)
    manifest = read_manifest(settings.index_dir)
    path = settings.index_dir / manifest.question_file
    old = SentenceVectors.load(path)
    assert old.steering.shape == (embeddings.dim, embeddings.dim)
    assert not np.allclose(old.steering, np.eye(embeddings.dim), atol=1e-3)  # learned, not the identity
    without = SentenceVectors(old.texts, old.vectors, old.owners, old.commonness)
    report, encoded = _saved_as_before_then_synced(settings, embeddings, manifest, path, without, "encode_queries")
    assert report.wrote and report.chunks["added"] == report.chunks["updated"] == 0
    assert report.repaired == ["the question vectors had no query steering (written before it was)"]
    assert encoded == []  # every question's vector reused
    fresh = SentenceVectors.load(settings.index_dir / read_manifest(settings.index_dir).question_file)
    assert np.allclose(fresh.steering, old.steering, atol=1e-5)  # the same vectors, the same matrix
    assert not sync_index(settings, embeddings).wrote


def test_changed_and_removed_files_are_reflected(settings, embeddings, small_corpus):
    sync_index(settings, embeddings)
    before = chunk_ids(settings, embeddings)
    note = small_corpus / "notes" / "kaggle.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nA new closing sentence about leaderboards.\n", encoding="utf-8")
    (small_corpus / "notes" / "cs50.md").unlink()
    report = sync_index(settings, embeddings)
    assert report.files == {"added": 0, "changed": 1, "removed": 1, "unchanged": 1}
    assert report.chunks["added"] >= 1 and report.chunks["removed"] >= 2
    after = chunk_ids(settings, embeddings)
    assert len(after) == report.chunk_count
    reader = IndexReader(settings.index_dir, embeddings)
    docs = {m["doc_id"] for m in reader.collection.get(include=["metadatas"])["metadatas"]}
    assert docs == {"zero-to-hero-2022", "kaggle"}
    assert before - after and after - before
    texts = reader.collection.get(include=["documents"])["documents"]
    assert any("new closing sentence" in t for t in texts)


def test_moving_text_updates_metadata_without_reembedding(settings, embeddings, small_corpus):
    sync_index(settings, embeddings)
    guide = small_corpus / "guides" / "zero-to-hero-2022.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("---\n\n", "---\n\n\n\n", 1), encoding="utf-8")  # shifts every span
    report = sync_index(settings, embeddings)
    assert report.chunks["added"] == 0 and report.chunks["updated"] > 0
    reader = IndexReader(settings.index_dir, embeddings)
    got = reader.collection.get(include=["documents", "metadatas"])
    new_text = guide.read_text(encoding="utf-8")
    for doc, meta in zip(got["documents"], got["metadatas"]):
        if meta["doc_id"] == "zero-to-hero-2022":
            assert new_text[meta["start"]:meta["end"]] == doc


def test_a_broken_file_is_reported_and_its_old_chunks_are_kept(settings, embeddings, small_corpus):
    first = sync_index(settings, embeddings)
    (small_corpus / "notes" / "kaggle.md").write_bytes(b"\xff\xfe broken \x00 bytes")
    (small_corpus / "notes" / "empty.md").write_text("")
    report = sync_index(settings, embeddings)
    assert {p.path for p in report.problems} == {"notes/kaggle.md", "notes/empty.md"}
    assert report.kept_from_previous == ["notes/kaggle.md"]
    assert report.chunk_count == first.chunk_count
    assert not report.wrote  # nothing was lost, nothing needed writing


def test_model_mismatch_is_an_error_until_rebuild(settings, embeddings):
    sync_index(settings, embeddings)
    path = settings.index_dir / "manifest.json"
    data = json.loads(path.read_text())
    data["model_id"] = "some-other-model@000000000000"
    path.write_text(json.dumps(data))
    with pytest.raises(ModelMismatchError, match="some-other-model"):
        sync_index(settings, embeddings)
    with pytest.raises(ModelMismatchError):
        IndexReader(settings.index_dir, embeddings)
    report = sync_index(settings, embeddings, rebuild=True)
    assert report.wrote and report.chunks["added"] == report.chunk_count
    IndexReader(settings.index_dir, embeddings)


def test_missing_and_corrupt_index_give_clear_errors(settings, embeddings):
    with pytest.raises(IndexMissingError):
        IndexReader(settings.index_dir, embeddings)
    sync_index(settings, embeddings)
    (settings.index_dir / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="manifest"):
        IndexReader(settings.index_dir, embeddings)
    with pytest.raises(IndexCorruptError):
        sync_index(settings, embeddings)
    sync_index(settings, embeddings, rebuild=True)
    assert IndexReader(settings.index_dir, embeddings).manifest.chunk_count > 0


class FailingEmbeddings:
    """The real embeddings, but the run dies after `allowed` batches (an interrupted index run)."""

    def __init__(self, real, allowed):
        self.real, self.allowed = real, allowed
        self.model_id, self.dim = real.model_id, real.dim

    def encode_passages(self, texts, progress=None):
        if self.allowed == 0:
            raise KeyboardInterrupt
        self.allowed -= 1
        return self.real.encode_passages(texts, progress)

    def encode_queries(self, texts, progress=None):
        return self.real.encode_queries(texts, progress)


def test_an_interrupted_run_leaves_the_previous_index_answering(settings, embeddings, small_corpus, monkeypatch):
    from rag.index import fill
    from rag.answer.retrieval import hybrid_search

    sync_index(settings, embeddings)
    before = [h.chunk_id for h in hybrid_search(IndexReader(settings.index_dir, embeddings), "Kaggle 比赛", 3, settings)]
    for name in ("cs50.md", "kaggle.md"):
        path = small_corpus / "notes" / name
        path.write_text(path.read_text(encoding="utf-8").replace("##", "## Updated:"), encoding="utf-8")
    monkeypatch.setattr(fill, "BATCH", 4)
    with pytest.raises(KeyboardInterrupt):
        sync_index(settings, FailingEmbeddings(embeddings, allowed=1))
    reader = IndexReader(settings.index_dir, embeddings)
    assert [h.chunk_id for h in hybrid_search(reader, "Kaggle 比赛", 3, settings)] == before
    counted = []
    report = sync_index(settings, embeddings, progress=lambda done, total: counted.append(total))
    assert report.wrote and counted[-1] == report.chunks["added"] - 4  # the 4 vectors the dead run made are reused
    assert len(IndexReader(settings.index_dir, embeddings).collection.get(include=[])["ids"]) == report.chunk_count


def test_two_stores_filled_alike_rank_identically(tmp_path, corpus_index, embeddings):
    """A rebuilt index ranks as the one before (the eval gate relies on it): with the store's HNSW settings (one
    insert thread, a wide search beam) the approximate neighbours are the exact ones at this size. The session's
    chunks and vectors are written into two fresh Chroma stores as an index run writes them (`fill`), and both are
    asked the same questions. (With a beam of 10, two such fills rank differently: measured.)"""
    from rag.index.client import collection_for, open_client
    from rag.index.fill import fill

    from .test_retrieval import PAIRS

    settings, _ = corpus_index
    session = collection_for(open_client(settings.index_dir), read_manifest(settings.index_dir).collection, embeddings)
    held = session.get(include=["embeddings", "documents", "metadatas"])
    wanted = {cid: {"id": cid, "document": doc, "meta": meta}
              for cid, doc, meta in zip(held["ids"], held["documents"], held["metadatas"])}
    assert len(wanted) == session.count() > 900  # the whole corpus: big enough for a graph, not a list
    questions = embeddings.encode_queries([question for question, _ in PAIRS])
    rankings = []
    for store in ("first", "second"):
        collection = collection_for(open_client(tmp_path / store), "chunks", embeddings, create=True)
        fill(collection, wanted, dict(zip(held["ids"], held["embeddings"])), embeddings, None)
        rankings.append([collection.query(query_embeddings=[v], n_results=20, where=where)["ids"][0]
                         for v in questions for where in (None, {"kind": "guide"})])
    assert rankings[0] == rankings[1]


def test_rebuild_never_sets_aside_a_store_it_only_cannot_open(settings, embeddings):
    from rag.errors import IndexUnavailableError

    settings.index_dir.mkdir(parents=True)
    (settings.index_dir / "chroma").write_text("a file where the store's folder goes")  # an OS error, not damage
    with pytest.raises(IndexUnavailableError, match="cannot be opened"):
        sync_index(settings, embeddings, rebuild=True)
    assert (settings.index_dir / "chroma").read_text() == "a file where the store's folder goes"
    assert not list(settings.index_dir.glob("chroma.corrupt-*"))
