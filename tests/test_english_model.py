"""The English sentence model (all-MiniLM-L6-v2 from its package): prepared beside the embedding model, exported to
ONNX fp32 and checked, its English sentence vectors in the index, and the ranking it adds for English questions."""

from __future__ import annotations

import shutil
from dataclasses import replace

import numpy as np
import pytest

from rag.config import Settings
from rag.errors import ModelError, ModelMismatchError
from rag.index.home import read_manifest
from rag.index.indexer import sync_index
from rag.index.onnx_export import is_exported
from rag.index.sentences import SentenceVectors
from rag.index.store import IndexReader
from rag.lang.registry import detect

pytestmark = pytest.mark.slow

TEXTS = ["What should I learn after Python?", "Containerise the model and deploy it as a microservice.",
         "word " * 400]  # past the model's 256 tokens


@pytest.fixture
def settings(tmp_path, small_corpus, model_dir):
    return replace(Settings(), home=tmp_path / "home", corpus_dir=small_corpus, model_dir=model_dir)


def test_setup_puts_it_beside_the_embedding_model_exported_and_checked(model_dir, english):
    from sentence_transformers import SentenceTransformer

    folder = Settings(model_dir=model_dir).resolved_english_model_dir
    assert folder == model_dir.parent / "all-MiniLM-L6-v2" == english.model_dir
    assert is_exported(folder, "fp32")
    reference = SentenceTransformer(str(folder), device="cpu")
    expected = reference.encode(TEXTS, normalize_embeddings=True)
    assert np.sum(english.encode_queries(TEXTS) * expected, axis=1).min() >= 0.9999  # no prefix, truncated alike
    assert english.dim == 384 and english.model_id != ""


def test_preparing_it_twice_is_a_no_op_and_a_foreign_folder_is_refused(tmp_path, model_dir):
    from rag.index.english_model import prepare_english_model

    folder = Settings(model_dir=model_dir).resolved_english_model_dir
    said: list[str] = []
    assert prepare_english_model(folder, progress=said.append) == folder and said == []
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    with pytest.raises(ModelError, match="not a prepared model"):
        prepare_english_model(taken)
    assert (taken / "notes.txt").read_text() == "mine"
    with pytest.raises(ModelError, match="Cannot read the English sentence model"):
        prepare_english_model(tmp_path / "copy", source=tmp_path / "no-such-package")
    assert not (tmp_path / "copy").exists()


def test_the_index_holds_the_english_sentences_and_a_second_run_changes_nothing(settings, embeddings, english):
    sync_index(settings, embeddings, english=english)
    manifest = read_manifest(settings.index_dir)
    assert manifest.english_file and manifest.english_model_id == english.model_id
    held = SentenceVectors.load(settings.index_dir / manifest.english_file)
    everything = SentenceVectors.load(settings.index_dir / manifest.sentence_file)
    assert held.texts and set(held.texts) < set(everything.texts)
    assert {detect(text) for text in held.texts} == {"en"}  # its English sentences only: not the guide's Chinese
    assert any(detect(text) == "zh" for text in everything.texts)
    assert held.vectors.shape == (len(held.texts), 384)
    assert not sync_index(settings, embeddings, english=english).wrote


def test_an_index_without_them_gets_them_keeping_its_other_vectors(settings, embeddings, english, monkeypatch):
    from click.testing import CliRunner

    from rag.cli import main

    sync_index(settings, embeddings)  # as built before the English sentence model
    assert not read_manifest(settings.index_dir).english_file
    for var, value in {"MENTOR_HOME": settings.home, "MENTOR_CORPUS": settings.corpus_dir,
                       "MENTOR_MODEL": settings.resolved_model_dir}.items():
        monkeypatch.setenv(var, str(value))
    assert "no English sentence vectors (run `mentor index`" in CliRunner().invoke(main, ["status"]).output
    encoded: list[str] = []
    original = embeddings.encode_passages  # the English model is of the same class: only this instance is watched
    monkeypatch.setattr(embeddings, "encode_passages",
                        lambda texts, progress=None: encoded.extend(texts) or original(texts, progress))
    report = sync_index(settings, embeddings, english=english)
    assert report.wrote and report.repaired == ["the English sentence vectors were missing or made by another model"]
    assert encoded == []  # e5's sentence vectors reused; only the English model encoded anything
    assert read_manifest(settings.index_dir).english_file
    assert f"English sentences by {english.model_id}" in CliRunner().invoke(main, ["status"]).output


def test_a_reader_with_another_english_model_is_told_to_index_again(settings, embeddings, english):
    sync_index(settings, embeddings, english=english)
    other = type(english)(english.model_dir, "", "", variant="fp32")
    other.model_id = "another-model"
    with pytest.raises(ModelMismatchError, match="English sentence"):
        IndexReader(settings.index_dir, embeddings, english=other)
    assert IndexReader(settings.index_dir, embeddings).english_sentences.texts == []  # no model: no ranking


def test_english_questions_are_ranked_by_it_and_chinese_ones_are_not(corpus_index):
    from rag.answer.retrieval import hybrid_search

    settings, reader = corpus_index
    question = "I can train models but have no idea how people put them in production. What should I learn?"
    english = reader.english_sentences
    assert {cid for ids in english.owner_ids for cid in ids} <= reader.lexical.answering("en")  # English view only
    nearest = english.best_chunks(reader.english.encode_queries([question])[0], 1)[0]
    dominant = replace(settings, english_rank_weight=100.0)
    assert hybrid_search(reader, question, 5, dominant)[0].chunk_id == nearest
    chinese = "模型训好了，怎么让别人能用上？"
    assert [h.chunk_id for h in hybrid_search(reader, chinese, 5, dominant)] == \
           [h.chunk_id for h in hybrid_search(reader, chinese, 5, settings)]


def test_chinese_questions_also_rank_chunks_by_the_words_their_sections_questions_share(corpus_index, monkeypatch):
    from rag.answer.retrieval import hybrid_search
    from rag.lang import registry

    settings, reader = corpus_index
    question = "天天调学习率，效果就涨一点点，是不是在浪费时间？"
    asked = reader.questions.within("zh", reader.lexical.answering("zh").__contains__)
    from rag.lang.text import question_terms

    by_words = asked.best_chunks_by_words(question_terms(question), 1)[0]
    pack = registry.pack

    monkeypatch.setattr(registry, "pack", lambda code: replace(pack(code), question_words_weight=100.0))
    assert hybrid_search(reader, question, 5, settings)[0].chunk_id == by_words
    english = "I tweak learning rates all day for tiny gains. Am I wasting my time?"
    monkeypatch.setattr(registry, "pack", lambda code: replace(pack(code), question_words_weight=0.0))
    unweighted = [h.chunk_id for h in hybrid_search(reader, english, 5, settings)]
    monkeypatch.undo()
    assert [h.chunk_id for h in hybrid_search(reader, english, 5, settings)] == unweighted  # English: weight 0


def test_a_missing_english_model_is_a_clear_error(tmp_path, model_dir):
    from rag.engine import load_english

    with pytest.raises(ModelError, match="English sentence model is not prepared"):
        load_english(replace(Settings(), model_dir=model_dir, english_model_dir=tmp_path / "nowhere"))
    copy = tmp_path / "all-MiniLM-L6-v2"
    shutil.copytree(Settings(model_dir=model_dir).resolved_english_model_dir, copy, ignore=shutil.ignore_patterns("onnx"))
    with pytest.raises(ModelError, match="no checked ONNX fp32 export"):
        load_english(replace(Settings(), model_dir=model_dir, english_model_dir=copy))
