"""The questions a guide's sections answer (corpus/guides/<id>.questions.yaml): checked at load, carried by the
section's chunks and their renderings, embedded at index time, and a ranking that finds the section."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
import yaml

from rag.answer.retrieval import hybrid_search
from rag.ingest.chunking import chunk_document
from rag.ingest.corpus import load_corpus
from rag.index.indexer import sync_index
from rag.index.store import IndexReader

from .conftest import CORPUS

GUIDE = "untold-truths"


def guide_copy(tmp_path, questions: str | bytes | None = None):
    """The corpus folder with one guide, its English rendering and (when given) its questions file."""
    corpus = tmp_path / "corpus"
    (corpus / "guides").mkdir(parents=True)
    for name in (f"{GUIDE}.md", f"{GUIDE}.en.yaml"):
        shutil.copy(CORPUS / "guides" / name, corpus / "guides" / name)
    if questions is not None:
        path = corpus / "guides" / f"{GUIDE}.questions.yaml"
        path.write_bytes(questions if isinstance(questions, bytes) else questions.encode())
    return corpus


def test_every_shipped_guide_has_questions_in_both_languages_for_its_sections():
    docs, problems = load_corpus(CORPUS)
    assert problems == []
    for guide in (d for d in docs if d.kind == "guide"):
        raw = yaml.safe_load((CORPUS / "guides" / f"{guide.doc_id}.questions.yaml").read_text(encoding="utf-8"))
        assert len(guide.questions) == len(raw["sections"]) >= 7, guide.doc_id
        for row in raw["sections"]:
            assert len(row["en"]) >= 5 and len(row["zh"]) >= 5, (guide.doc_id, row["section"])


def test_a_section_that_is_no_heading_is_named_and_the_others_are_kept(tmp_path):
    corpus = guide_copy(tmp_path, "sections:\n"
                                  "- section: 1.使用深度学习\n  en: ['Will I tune neural nets all day?']\n  zh: [天天调参吗]\n"
                                  "- section: 不存在的标题\n  en: ['Is this here?']\n"
                                  "- section: 2.学习机器学习\n  en: []\n")
    docs, problems = load_corpus(corpus)
    guide = docs[0]
    assert guide.questions == (("1.使用深度学习", ("Will I tune neural nets all day?", "天天调参吗")),)
    assert guide.renderings  # the questions file is not read as a rendering
    named = [p.problem for p in problems]
    assert all(p.path == f"guides/{GUIDE}.questions.yaml" and not p.skipped for p in problems)
    assert any("'不存在的标题'" in p and "is not the heading of a section" in p for p in named)
    assert any("'2.学习机器学习'" in p and "lists no questions" in p for p in named)


@pytest.mark.parametrize("entry, problem", [
    ("- section: [1.使用深度学习]\n  en: ['Q?']\n", "is not the heading of a section"),
    ("- section: 1.使用深度学习\n  en: 'Will I tune nets?'\n", "lists no questions"),  # a text, not a list of them
    ("- section: 1.使用深度学习\n  en: 5\n", "lists no questions"),
    ("- section: 1.使用深度学习\n  en: ['Q?']\n- section: 1.使用深度学习\n  en: ['Again?']\n", "is listed twice"),
    ("- '1.使用深度学习'\n", "is not the heading of a section"),
    ("- section: 1.使用深度学习\n  en: ['Q?']\n  situations: ['A story?']\n", "its situations are no list"),
])
def test_a_badly_shaped_entry_is_named_and_nothing_stops(tmp_path, entry, problem):
    docs, problems = load_corpus(guide_copy(tmp_path, "sections:\n" + entry))
    assert [d.doc_id for d in docs] == [GUIDE] and docs[0].renderings
    assert docs[0].questions in ((), (("1.使用深度学习", ("Q?",)),))
    assert len(problems) == 1 and problem in problems[0].problem and "section " in problems[0].problem


def test_a_heading_several_sections_share_takes_no_questions_and_a_question_stays_on_one_line(tmp_path):
    corpus = guide_copy(tmp_path, "sections:\n- section: 小结\n  en: ['Q?']\n- section: 1.使用深度学习\n"
                                  "  en:\n  - |-\n    Will I tune\n    neural nets?\n")
    guide = corpus / "guides" / f"{GUIDE}.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n## 小结\n一。\n\n## 再来\n### 小结\n二。\n", encoding="utf-8")
    docs, problems = load_corpus(corpus)
    assert docs[0].questions == (("1.使用深度学习", ("Will I tune neural nets?",)),)
    asked = [p.problem for p in problems if p.path.endswith(".questions.yaml")]  # (the rendering now lacks the new text)
    assert len(asked) == 1 and "names 2 sections" in asked[0]


def test_an_unreadable_questions_file_is_named_and_the_guide_still_loads(tmp_path):
    docs, problems = load_corpus(guide_copy(tmp_path, b"sections: [unclosed\n\xff"))
    assert [d.doc_id for d in docs] == [GUIDE] and docs[0].questions == () and docs[0].renderings
    assert [p.path for p in problems] == [f"guides/{GUIDE}.questions.yaml"] and "cannot be read" in problems[0].problem


def test_a_sections_chunks_and_their_renderings_carry_its_questions(tmp_path):
    docs, _ = load_corpus(guide_copy(tmp_path, "sections:\n- section: 1.使用深度学习\n  en: ['Will I tune neural nets all day?']\n"))
    chunks = chunk_document(docs[0])
    asking = [c for c in chunks if c.asked]
    assert asking and all(c.heading.split(" > ")[-1] in ("1.使用深度学习", "1. Using Deep Learning") for c in asking)
    assert {c.view for c in asking} == {"zh", "en"}
    assert all(c.asked == "Will I tune neural nets all day?" for c in asking)
    assert asking[0].metadata()["asked"] == "Will I tune neural nets all day?"


ANSWERED = ("sections:\n- section: 1.使用深度学习\n  en:\n  - q: What do ML engineers spend most of their time on?\n"
            "    a: ML 工程师将大部分时间花在\n  - Will I tune neural nets all day?\n"
            "  zh:\n  - q: 机器学习工程师天天调参吗\n    a: 有些人会，但不多\n")


def test_a_question_may_name_the_sentence_that_answers_it_and_the_chunks_holding_it_carry_it(tmp_path):
    docs, problems = load_corpus(guide_copy(tmp_path, ANSWERED))
    assert problems == []
    guide = docs[0]
    assert guide.questions == (("1.使用深度学习", ("What do ML engineers spend most of their time on?",
                                                "Will I tune neural nets all day?", "机器学习工程师天天调参吗")),)
    assert guide.answers == (("1.使用深度学习", (("What do ML engineers spend most of their time on?", "ML 工程师将大部分时间花在"),
                                              ("机器学习工程师天天调参吗", "有些人会，但不多"))),)
    chunks = [c for c in chunk_document(guide) if c.asked]
    holding = [c for c in chunks if c.answered]
    assert holding and {c.view for c in holding} == {"zh", "en"}  # the original and its rendering
    for c in holding:
        pairs = json.loads(c.metadata()["answered"])
        assert all(answer in (c.original_text or c.text) for _, answer in pairs)


def test_an_answer_that_is_no_stretch_of_a_sentence_of_its_section_is_named_and_its_question_kept(tmp_path):
    wrong = ANSWERED.replace("有些人会，但不多", "AlphaGo Zero").replace("ML 工程师将大部分时间花在", "有些人会，但不多。事实是")
    docs, problems = load_corpus(guide_copy(tmp_path, wrong))
    assert docs[0].questions[0][1][2] == "机器学习工程师天天调参吗" and docs[0].answers == ()
    assert len(problems) == 2 and all(p.path == f"guides/{GUIDE}.questions.yaml" and not p.skipped for p in problems)
    assert "'AlphaGo Zero'" in problems[0].problem or "'AlphaGo Zero'" in problems[1].problem  # another section's
    assert all("is no stretch of one of its sentences" in p.problem and "kept without it" in p.problem for p in problems)


def test_the_index_embeds_the_questions_and_a_new_question_writes_a_generation(tmp_path, model_dir, embeddings):
    from rag.config import Settings

    corpus = guide_copy(tmp_path, "sections:\n- section: 1.使用深度学习\n  en: ['Will I tune neural nets all day?']\n")
    settings = replace(Settings(), home=tmp_path / "home", corpus_dir=corpus, model_dir=model_dir)
    sync_index(settings, embeddings)
    reader = IndexReader(settings.index_dir, embeddings)
    assert held_by_chunks(reader) == ['Will I tune neural nets all day?']  # beside the packs' off-topic questions
    owners = reader.questions.owner_ids[reader.questions.row['Will I tune neural nets all day?']]
    assert len(owners) == 2 and {reader.fetch(list(owners))[c][1]["view"] for c in owners} == {"zh", "en"}
    question = embeddings.encode_queries(['Will I tune neural nets all day?'])[0]
    assert reader.questions.closest_in(question, owners[0]) > 0.99

    (corpus / "guides" / f"{GUIDE}.questions.yaml").write_text(
        "sections:\n- section: 1.使用深度学习\n  en: ['Will I tune neural nets all day?', 'Do ML engineers clean data?']\n",
        encoding="utf-8")
    report = sync_index(settings, embeddings)
    assert report.wrote and report.chunks["updated"] == 2 and report.chunks["added"] == 0
    assert sorted(held_by_chunks(IndexReader(settings.index_dir, embeddings))) == [
        "Do ML engineers clean data?", "Will I tune neural nets all day?"]


def held_by_chunks(reader) -> list[str]:
    """The question vectors' texts that a chunk's section answers (the packs' off-topic questions are held by none)."""
    return [text for text, owners in zip(reader.questions.texts, reader.questions.owner_ids) if owners]


def test_a_learner_question_reaches_the_section_whose_questions_it_resembles(corpus_index):
    settings, reader = corpus_index
    asked = "what takes up most of an ML engineer's working day?"  # untold-truths: "1. Using Deep Learning"

    def top_three(weight: float) -> list[tuple[str, str]]:  # the question ranking's part alone: no steered ranking
        # (with it this phrasing loses the section to "Why Learn Machine Learning?", which steered questions
        # about the job land on; dev and the blind batches gain from it overall: rag/config.py steered_weight)
        hits = hybrid_search(reader, asked, 3, replace(settings, question_rank_weight=weight, steered_weight=0.0))
        return [(h.doc_id, h.heading.split(" > ")[-1]) for h in hits]

    assert (GUIDE, "1. Using Deep Learning") in top_three(settings.question_rank_weight)
    assert (GUIDE, "1. Using Deep Learning") not in top_three(0.0)


def test_the_sentence_a_close_question_names_as_its_answer_opens_the_answer(corpus_index):
    from rag.answer.pipeline import Pipeline

    settings, reader = corpus_index
    asked = "so what does the author's company actually work on?"  # zero-to-hero-2022 names
    answer = "We mainly work on damage detection for infrastructure."  # "我们主要从事基础设施的损坏检测" for a question like it

    def opening(weight: float) -> str:
        lines = Pipeline(reader, replace(settings, answer_weight=weight)).ask(asked).answer.answer.splitlines()
        return lines[1] if len(lines) > 1 else ""

    assert opening(settings.answer_weight).startswith(f"- {answer}")
    assert not opening(0.0).startswith(f"- {answer}")  # the sentence before it in the guide ("I now run my own…")


SITUATED = ("sections:\n- section: 1.使用深度学习\n  en: ['Will I tune neural nets all day?']\n  situations:\n    en:\n"
            "    - q: A senior at my internship smirked 'enjoy your SQL' when I said I love model tuning. What did he mean?\n"
            "      a: 别误会，有些人会，但不多\n")
STORY = "A senior at my internship smirked 'enjoy your SQL' when I said I love model tuning. What did he mean?"


def test_questions_told_as_a_situation_are_the_sections_questions_and_are_marked_so(tmp_path):
    docs, problems = load_corpus(guide_copy(tmp_path, SITUATED))
    assert problems == []
    guide = docs[0]
    assert guide.questions == (("1.使用深度学习", ("Will I tune neural nets all day?", STORY)),)
    assert guide.situations == (STORY,)
    assert guide.answers == (("1.使用深度学习", ((STORY, "别误会，有些人会，但不多"),)),)
    asking = [c for c in chunk_document(guide) if c.asked]
    assert asking and {c.view for c in asking} == {"zh", "en"}  # the original and its rendering
    assert all(c.metadata()["situations"] == STORY and STORY in c.asked.splitlines() for c in asking)


def test_a_question_told_as_a_situation_finds_its_section_and_counts_less_close_for_the_off_topic_check(
        tmp_path, model_dir, embeddings):
    from rag.answer.retrieval import retrieve
    from rag.config import Settings

    settings = replace(Settings(), home=tmp_path / "home", corpus_dir=guide_copy(tmp_path, SITUATED), model_dir=model_dir)
    sync_index(settings, embeddings)
    reader = IndexReader(settings.index_dir, embeddings)
    marked = dict(zip(reader.questions.texts, reader.questions.situations))
    assert marked[STORY] and not marked["Will I tune neural nets all day?"]
    found = retrieve(reader, STORY, 3, settings, "en")
    assert found.hits[0].heading.split(" > ")[-1] in ("1.使用深度学习", "1. Using Deep Learning")  # found by it
    plain = float(embeddings.encode_queries(["Will I tune neural nets all day?"])[0] @ found.vector)
    told = 1.0 - settings.situation_handicap  # the story itself, less the handicap
    assert settings.situation_handicap > 0 and found.best_question == pytest.approx(max(plain, told), abs=1e-3)
    unhandicapped = retrieve(reader, STORY, 3, replace(settings, situation_handicap=0.0), "en")
    assert unhandicapped.best_question == pytest.approx(1.0, abs=1e-3)
