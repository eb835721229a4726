"""Chunking: headings, Chinese and English sentence ends, verbatim spans, content-hash ids."""

from __future__ import annotations

import pytest

from rag.ingest.chunking import chunk_document, clean_heading, pack_sentences, split_sections, split_sentences
from rag.ingest.corpus import load_corpus, parse_file

from .conftest import CORPUS


def doc_from(body: str, **meta):
    front = {"id": "t", "title": "T", "kind": "guide", "lang": "zh", "source_url": "https://example.org/t"} | meta
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n" + body
    return parse_file("t.md", text.encode())


def test_chinese_sentences_worked_by_hand():
    text = "学习 Python。然后学 git！真的吗？是的；还有 Kaggle"
    assert [text[a:b] for a, b in split_sentences(text, 0, len(text))] == [
        "学习 Python。", "然后学 git！", "真的吗？", "是的；", "还有 Kaggle",
    ]


def test_english_sentences_keep_list_numbers_and_decimals():
    text = "1. Learn Python. Use version 3.11 today! Then Kaggle?\n- item one\n- item two"
    assert [text[a:b] for a, b in split_sentences(text, 0, len(text))] == [
        "1. Learn Python.", "Use version 3.11 today!", "Then Kaggle?", "- item one", "- item two",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = "他说：“先学编程。”然后呢？"
    assert [text[a:b] for a, b in split_sentences(text, 0, len(text))] == ["他说：“先学编程。”", "然后呢？"]


def test_a_stray_full_stop_after_a_chinese_sentence_stays_with_it():  # untold-truths: "…取得了最大的成功。).因此，…"
    text = "在视觉方面取得了成功。).因此，研究人员使用深度学习。"
    assert [text[a:b] for a, b in split_sentences(text, 0, len(text))] == ["在视觉方面取得了成功。).",
                                                                           "因此，研究人员使用深度学习。"]


def test_sections_follow_heading_levels_and_ignore_code_fences():
    text = "intro\n# Part A\none\n## Sub\ntwo\n```\n# not a heading\n```\n# Part B\nthree\n"
    sections = split_sections(text)
    assert [s.path for s in sections] == [(), ("Part A",), ("Part A", "Sub"), ("Part B",)]
    assert "# not a heading" in text[sections[2].start:sections[2].end]


def test_clean_heading_drops_markdown():
    assert clean_heading("**在[卡格尔](https://www.kaggle.com/)上报名参赛**") == "在卡格尔上报名参赛"


def test_pack_sentences_respects_the_limit_and_merges_a_tiny_tail():
    spans = [(0, 30), (31, 60), (61, 70)]
    assert pack_sentences(spans, max_chars=60, min_chars=15) == [(0, 70)]
    assert pack_sentences(spans, max_chars=40, min_chars=5) == [(0, 30), (31, 70)]
    assert pack_sentences(spans, max_chars=35, min_chars=5) == [(0, 30), (31, 60), (61, 70)]
    assert pack_sentences([(0, 100)], max_chars=40, min_chars=5) == [(0, 40), (40, 80), (80, 100)]


def test_chunk_document_worked_example():
    doc = doc_from("# 标题\n\n## 学 Python\n先学 Python。再学 git。\n\n## 学数学\n线性代数很重要。\n", title_zh="中文标题")
    chunks = chunk_document(doc, max_chars=420, min_chars=5)
    assert [(c.heading, c.text) for c in chunks] == [
        ("标题 > 学 Python", "先学 Python。再学 git。"),
        ("标题 > 学数学", "线性代数很重要。"),
    ]
    assert chunks[0].embed_text == "T / 中文标题\n标题 > 学 Python\n先学 Python。再学 git。"
    assert [c.ordinal for c in chunks] == [0, 1]


def test_ids_are_content_hashes():
    a = chunk_document(doc_from("## A\n同一句话。\n\n## B\n另一句话。\n"))
    b = chunk_document(doc_from("## A\n同一句话。\n\n## B\n改过的话。\n"))
    assert a[0].chunk_id == b[0].chunk_id
    assert a[1].chunk_id != b[1].chunk_id
    twice = chunk_document(doc_from("## A\n重复。\n\n## A\n重复。\n"))
    assert len({c.chunk_id for c in twice}) == 2


def test_every_real_chunk_is_a_verbatim_slice_within_the_size_limit():
    docs, problems = load_corpus(CORPUS)
    assert not problems
    for doc in docs:
        chunks = chunk_document(doc, max_chars=420, min_chars=60)
        assert chunks, doc.doc_id
        for chunk in chunks:
            original = chunk.original_text if chunk.original_id else chunk.text  # a rendering: its original
            assert doc.text[chunk.start:chunk.end] == original
            assert chunk.start >= doc.body_start
            assert len(original) <= 420 + 60
            assert "\n---\n" not in chunk.text


def test_a_paragraph_opening_in_bold_starts_a_chunk_of_its_own_topic():
    body = ("# Tips\n" + "先打基础，学好课程。" * 8 + "\n\n**了解库的使用**：多做小项目。\n\n**保持对前沿研究的关注**\n\n读最新的论文。\n"
            "\n> **小贴士：** 引用里的粗体不算。\n")
    chunks = chunk_document(doc_from(body), max_chars=420, min_chars=5)
    assert [c.text.split("\n")[0] for c in chunks] == ["先打基础，学好课程。" * 8, "**了解库的使用**：多做小项目。",
                                                     "**保持对前沿研究的关注**"]
    assert chunks[-1].text.endswith("引用里的粗体不算。")  # a quoted tip in bold stays with the topic before it


def test_the_guides_research_tip_is_a_chunk_of_its_own():
    docs, _ = load_corpus(CORPUS)
    guide = next(d for d in docs if d.doc_id == "succeed-in-industry")
    chunk = next(c for c in chunk_document(guide) if "通过阅读最新的论文" in c.text and not c.original_id)
    assert chunk.text.startswith("**保持对前沿研究的关注**") and "TensorFlow" not in chunk.text


def test_a_guide_with_a_rendering_gets_an_aligned_twin_for_each_chunk():
    import json

    docs, _ = load_corpus(CORPUS)
    guide = next(d for d in docs if d.doc_id == "untold-truths")
    chunks = chunk_document(guide)
    originals = {c.chunk_id: c for c in chunks if not c.original_id}
    twins = [c for c in chunks if c.original_id]
    assert twins and {c.view for c in originals.values()} == {"zh"} and {t.view for t in twins} == {"en"}
    for twin in twins:
        original = originals[twin.original_id]
        assert twin.original_text == original.text and (twin.start, twin.end) == (original.start, original.end)
        for start, end, rendered in json.loads(twin.alignment):  # every sentence: inside its original, rendered
            assert original.start <= start < end <= original.end and rendered in twin.text
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in twin.text)


@pytest.mark.parametrize("ending", ["。", "！", "？", "；"])
def test_each_chinese_end_mark_splits(ending):
    text = f"第一句{ending}第二句"
    assert len(split_sentences(text, 0, len(text))) == 2
