"""Language packs: detection, the registry's checks, and a third language added by registering one pack."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from rag.answer.pipeline import Pipeline
from rag.lang import Intents, LanguagePack, Thresholds, registry
from rag.lang.base import PHRASE_KEYS
from rag.lang.text import sentence_end, tokenize

CYRILLIC = "[А-Яа-яЁё]"
RU_PHRASES = {key: f"(ru) {key}" for key in PHRASE_KEYS} | {
    "lead": "Вот что говорят руководства и заметки:",
    "next_lead": "По дорожной карте руководств дальше стоит изучить{known}:",
    "next_known": " (вы знаете: {skills})",
    "not_covered": "Руководства и заметки этого не касаются.",
    "list_separator": ", ",
}


def russian() -> LanguagePack:
    """A minimal third pack: its phrases, how to recognise it, and one intent; nothing else."""
    return LanguagePack(
        code="ru", name="Русский", phrases=RU_PHRASES, script=CYRILLIC, sentence_end=r"[.!?]+(?=\s|$)",
        score=lambda text: 3.0 * len(re.findall(f"{CYRILLIC}+", text)),
        intents=Intents(next=(re.compile(r"после (?P<known>[\w ]+?)\W*$", re.I),),
                        known=re.compile(r"после (?P<known>[\w ]+?)\W*$", re.I)),
        thresholds=Thresholds(min_similarity=0.80, sure_similarity=0.86, min_lexical=3.0),
    )


@pytest.fixture
def third_language():
    registry.register(russian())
    yield
    registry.unregister("ru")


def test_detection_follows_the_packs_scores():
    assert registry.detect("学完 Python 之后我应该学什么？") == "zh"
    assert registry.detect("What should I learn after Python?") == "en"
    assert registry.detect("帮我复现《Attention Is All You Need》") == "zh"  # a quoted English title
    assert registry.detect("12345 ?!") == "en"  # nothing claims it: the default


def test_an_incomplete_pack_is_refused_with_the_missing_phrases():
    with pytest.raises(ValueError, match="lacks the phrases: .*not_covered"):
        registry.register(replace(russian(), phrases={"lead": "x"}))
    assert "ru" not in registry.codes()


def test_the_refusal_thresholds_follow_the_embedders_vectors():
    """fp32 vectors (onnx, the default, and sentence-transformers) have one calibration, int8 its own; a pack
    that gives one set uses it for every embedder."""
    for code in ("en", "zh"):
        pack = registry.pack(code)
        assert pack.thresholds_for("onnx-int8") is pack.int8_thresholds
        assert pack.thresholds_for("onnx") is pack.thresholds_for("sentence-transformers") is pack.thresholds
        assert pack.thresholds != pack.int8_thresholds  # each calibrated on dev with its own vectors
    ru = russian()
    assert ru.thresholds_for("onnx") is ru.thresholds_for("onnx-int8") is ru.thresholds is not None


def test_a_registered_pack_cuts_its_own_script(third_language):
    assert registry.detect("Что учить после Python?") == "ru"
    assert tokenize("Учить Python после") == ["учить", "python", "после"]
    assert sentence_end().search("Первое. Второе")
    assert registry.pick({"en": "Python", "zh": "Python 编程"}, "ru") == "Python"  # corpus data: the default's


@pytest.mark.slow
def test_a_third_language_answers_in_its_own_words_without_editing_any_other_module(corpus_index, third_language):
    settings, reader = corpus_index
    pipeline = Pipeline(reader, settings)
    following = pipeline.ask("Что учить после Python?").answer
    assert following.language == "ru" and following.grounded and following.citations
    assert following.answer.splitlines()[0] == "По дорожной карте руководств дальше стоит изучить (вы знаете: Python):"
    searched = pipeline.ask("Стоит ли новичку участвовать в соревнованиях Kaggle?").answer
    assert searched.language == "ru"
    assert searched.answer.splitlines()[0] in (RU_PHRASES["lead"], RU_PHRASES["not_covered"])
