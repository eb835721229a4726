"""Sentence and question vectors (rag.index.sentences): commonness, the hub-free ranking, the file round trip."""

from __future__ import annotations

import numpy as np
import pytest

from rag.errors import IndexCorruptError
from rag.index.sentences import SentenceVectors, with_commonness
from rag.lang.text import tokenize


def unit(*rows):
    vectors = np.asarray(rows, dtype="float32")
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def measured():
    """Three questions on three topics; one sentence answers each, one ("some do, but not many") is near all."""
    return with_commonness(SENTENCES, SECTION_QUESTIONS, neighbours=2)


SECTION_QUESTIONS = SentenceVectors(["q-a", "q-b", "q-c"], unit([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]), ["c1", "c2", "c3"])
SENTENCES = SentenceVectors(["a", "b", "c", "hub"], unit([1, 0, 0, 0.2], [0, 1, 0, 0.2], [0, 0, 1, 0.2], [1, 1, 1, 0.3]),
                            ["c1", "c2", "c3", "c4"])


def test_a_sentence_near_every_question_is_the_most_common(measured):
    sentences, questions = measured
    common = {text: sentences.commonness_of(text) for text in sentences.texts}
    assert max(common, key=common.get) == "hub"
    assert np.median(sentences.commonness) == pytest.approx(0.0, abs=1e-6)  # measured from the median
    assert len(questions.commonness) == 3 and sentences.commonness_of("not held") == 0.0


def test_off_topic_questions_leave_the_sentences_commonness_as_it_was(measured):
    """The packs' off-topic questions (held by no chunk) are measured, but a sentence's commonness is measured against
    the sections' questions only: one near "a" and "hub" would otherwise make "a" a hub too."""
    sentences, _ = measured
    off_topic = SentenceVectors(["q-a", "q-b", "q-c", "visa?"], np.vstack([SECTION_QUESTIONS.vectors, unit([1, 0, 0, 0.1])]),
                                ["c1", "c2", "c3", ""])
    with_list, questions = with_commonness(SENTENCES, off_topic, neighbours=2)
    assert with_list.commonness.tolist() == sentences.commonness.tolist()
    assert questions.commonness_of("visa?") != 0.0  # the off-topic question's own commonness is still measured


def test_the_hub_outranks_the_answer_by_cosine_but_not_hub_free(measured):
    sentences, _ = measured
    query = unit([1, 0.4, 0.4, 0.1])[0]  # about topic a, worded generally: the hub is 0.035 closer
    assert sentences.best_chunks(query, 1) == ["c4"]
    assert sentences.best_chunks(query, 1, commonness_weight=1.0) == ["c1"]
    # the floor still holds plain cosines: the hub-free ranking never admits a text below it
    floor = float(sentences.vectors[0] @ query) + 1e-3
    assert "c1" not in sentences.best_chunks(query, 4, floor=floor, commonness_weight=1.0)


def test_within_keeps_each_texts_commonness(measured):
    sentences, _ = measured
    some = sentences.within("two", {"c1", "c4"}.__contains__)
    assert some.texts == ["a", "hub"]
    assert some.commonness.tolist() == pytest.approx([sentences.commonness_of("a"), sentences.commonness_of("hub")])


def test_commonness_survives_the_file_and_an_older_file_reads_as_unmeasured(measured, tmp_path):
    sentences, _ = measured
    path = tmp_path / "sentences.npz"
    sentences.save(path)
    loaded = SentenceVectors.load(path)
    assert loaded.commonness.tolist() == pytest.approx(sentences.commonness.tolist())
    np.savez(tmp_path / "old.npz", texts=np.array(sentences.texts), vectors=sentences.vectors,
             owners=np.array(sentences.owners))  # written before commonness was measured
    older = SentenceVectors.load(tmp_path / "old.npz")
    assert older.texts == sentences.texts and not older.commonness.any() and not older.measured
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(IndexCorruptError):
        SentenceVectors.load(tmp_path / "bad.npz")


def test_with_nothing_to_compare_with_every_commonness_is_zero_and_measured(tmp_path):
    """No sentences, or one alone: commonness 0, yet measured, so the indexer does not write the files again."""
    one, questions = SentenceVectors(["s"], unit([1, 0]), ["c1"]), SentenceVectors(["q"], unit([1, 0]))
    for sentences in (SentenceVectors.empty(), one):
        measured, asked = with_commonness(sentences, questions)
        assert measured.measured and asked.measured and not measured.commonness.any() and asked.commonness.tolist() == [0.0]
    measured, _ = with_commonness(one, questions)
    measured.save(tmp_path / "one.npz")
    assert SentenceVectors.load(tmp_path / "one.npz").measured


def test_a_question_ranks_the_chunk_holding_its_answer_before_the_rest_of_its_section():
    """Both chunks of a section hold its questions; the second holds the answer to "Do I need a PhD?"."""
    import json

    from rag.index.indexer import asked_texts
    from rag.index.sentences import build

    asked = "Do I need a PhD?\nHow long does it take?"
    chunks = [{"id": "first", "document": "…", "meta": {"asked": asked}},
              {"id": "second", "document": "…",
               "meta": {"asked": asked, "answered": json.dumps([["Do I need a PhD?", "不需要博士学位"]])}}]
    assert asked_texts(chunks) == [("second", "Do I need a PhD?"), ("first", "Do I need a PhD?"),
                                   ("first", "How long does it take?"), ("second", "How long does it take?")]
    questions = build(asked_texts(chunks), lambda texts: unit(*([1, 0] if "PhD" in t else [0, 1] for t in texts)),
                      SentenceVectors.empty())
    assert questions.best_chunks(unit([1, 0.1])[0], 2) == ["second", "first"]
    assert questions.best_chunks(unit([0.1, 1])[0], 2) == ["first", "second"]


def test_chunks_rank_by_the_words_their_questions_share_with_the_learners():
    questions = SentenceVectors(["I keep tweaking settings for tiny gains", "Do I need a PhD?", "Is a PhD worth it?"],
                                unit([1, 0], [0, 1], [0, 1]), ["experiments", "degree", "degree other"])
    assert questions.best_chunks_by_words(tokenize("tweaking for gains"), 5) == ["experiments"]
    assert questions.best_chunks_by_words(tokenize("phd worth"), 5) == ["degree", "other"]  # the best question's first
    assert questions.best_chunks_by_words(tokenize("visa"), 5) == []  # sharing no word ranks nothing
    assert questions.best_chunks_by_words(tokenize("phd worth"), 5, floor=100.0) == []  # nor sharing too little
    assert SentenceVectors.empty().best_chunks_by_words(tokenize("phd"), 5) == []
