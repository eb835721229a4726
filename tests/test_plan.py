"""Learning and paper plans: date arithmetic worked by hand, citations checked, bad input refused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rag.errors import CorpusError
from rag.answer.plan import learning_plan, paper_plan
from rag.answer.render import plan_markdown
from rag.ingest.roadmap import load_roadmap, next_stages, parse_known, skills_in_text

from .conftest import CORPUS

START = date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def roadmap():
    return load_roadmap(CORPUS)


def test_roadmap_quotes_resources_and_requirements_are_consistent(roadmap):
    ids = {s.id for s in roadmap.stages}
    assert len(roadmap.stages) >= 6
    for stage in roadmap.stages:
        assert set(stage.requires) <= ids and stage.cite and stage.resources
        assert stage.title["en"] and stage.title["zh"] and stage.project["zh"]
    assert roadmap.estimates["from-scratch"]["months"] == 18


def test_a_bad_quote_in_the_roadmap_is_an_error(tmp_path):
    import shutil

    shutil.copytree(CORPUS, tmp_path / "corpus")
    path = tmp_path / "corpus" / "roadmap" / "roadmap.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("我估计大约需要 18 个月", "我估计大约需要 9 个月"), encoding="utf-8")
    with pytest.raises(CorpusError, match="is not in mle-roadmap"):
        load_roadmap(tmp_path / "corpus")


def test_known_skills_and_next_stages(roadmap):
    assert parse_known(roadmap, ["Python", "git", " pytorch ", ""]) == {"python", "git", "deep-learning"}
    with pytest.raises(CorpusError, match="Unknown skill"):
        parse_known(roadmap, ["python", "cooking"])
    assert skills_in_text(roadmap, "What should I learn after Python?") == {"python"}
    assert [s.id for s in next_stages(roadmap, {"python"})] == ["classic-ml", "math"]
    assert [s.id for s in next_stages(roadmap, set())] == ["programming"]


def test_deep_learning_follows_the_ml_basics_and_brings_the_math_with_it(roadmap):
    # Both guides: "掌握了机器学习的基础知识后,再进一步学习深度学习"; the math is built beside the basics, not before.
    assert "deep-learning" in [s.id for s in next_stages(roadmap, {"python", "classic-ml"})]
    assert "math" not in [s.id for s in next_stages(roadmap, {"deep-learning"})]  # whoever knows deep learning did it


def test_a_skill_said_with_no_is_not_known(roadmap):
    assert skills_in_text(roadmap, "Before that I did Excel reporting for a retailer, no programming.") == set()
    assert skills_in_text(roadmap, "I know Python but not PyTorch") == {"python"}
    assert skills_in_text(roadmap, "我会Python，但是没学过机器学习") == {"python"}
    assert skills_in_text(roadmap, "学完Python不知道干嘛了，下一步学什么") == {"python"}  # the "不" is about something else
    assert skills_in_text(roadmap, "I know Python and never touched deep learning") == {"python"}
    assert skills_in_text(roadmap, "学完吴恩达的机器学习课，深度学习完全不懂") == {"classic-ml"}


def test_a_course_called_a_specialization_is_not_the_specialization_stage(roadmap):
    said = "finished andrew ng's ML specialization last month and did a titanic kaggle thing"
    assert skills_in_text(roadmap, said) == {"classic-ml"}
    assert "specialization" in skills_in_text(roadmap, "I know NLP and have a portfolio")


@pytest.mark.slow
def test_learning_plan_dates_worked_by_hand(roadmap, corpus_index):
    _, reader = corpus_index
    plan = learning_plan(roadmap, reader, {"python", "git"}, 10, START)
    # Knowing Python is the six-month-course starting point: 6 months x 52/12 weeks x 40 h = 1040 h over the
    # stages after programming, whose weights sum to 19. Classic ML has weight 3: 1040 * 3/19 = 164.2 h, at
    # 10 h a week 17 weeks.
    assert plan.estimate["id"] == "course"
    first = plan.phases[0]
    assert (first.stage_id, first.hours, first.start_week, first.end_week) == ("classic-ml", 164, 1, 17)
    assert (first.start_date, first.end_date) == ("2027-01-04", "2027-05-02")
    second = plan.phases[1]
    assert (second.stage_id, second.start_week, second.start_date) == ("math", 18, "2027-05-03")  # 109.5 h → 11 weeks
    assert second.end_week == 28
    assert [p.stage_id for p in plan.phases][-1] == "job-search"
    assert plan.total_weeks == plan.phases[-1].end_week
    faster = learning_plan(roadmap, reader, {"python", "git"}, 40, START)
    assert faster.total_weeks < plan.total_weeks / 3


@pytest.mark.slow
def test_plan_citations_are_real_chunks(roadmap, corpus_index):
    _, reader = corpus_index
    plan = learning_plan(roadmap, reader, set(), 20, START, language="zh", goal="机器学习工程师")
    stored = reader.fetch([c.chunk_id for c in plan.citations])
    for c in plan.citations:
        assert c.quote in stored[c.chunk_id][0]
    cited = {n for phase in plan.phases for n in phase.cites} | {n for _, ns in plan.notes for n in ns}
    assert cited == {c.n for c in plan.citations}
    text = plan_markdown(plan)
    assert text.startswith("# 学习计划: 机器学习工程师") and "## 假设" in text and "18 个月" in text


@pytest.mark.slow
@pytest.mark.parametrize("starting", ["from-scratch", "developer", "data-scientist", "course"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_learning_plan_numbers_its_sources_in_reading_order(roadmap, corpus_index, starting, language):
    """The Markdown reads [1], [2], … in order of first mention: the estimate it uses, which comes first, is [1]."""
    plan = learning_plan(roadmap, corpus_index[1], {"python"}, 10, START, language, starting=starting)
    body = plan_markdown(plan).split("\n[1] ")[0]  # up to the Sources list
    first_mentions = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", body)))
    assert first_mentions == list(range(1, len(first_mentions) + 1)), first_mentions
    assert plan.estimate["cites"][0] == 1


@pytest.mark.slow
def test_paper_plan_time_boxes_the_method(roadmap, corpus_index):
    _, reader = corpus_index
    plan = paper_plan(roadmap, reader, "Attention Is All You Need", 4, START, url="https://arxiv.org/abs/1706.03762")
    # 28 days split 1:1:4:3:2:1 → 2, 2, 9, 7, 5 and the remaining 3 days.
    lengths = [(date.fromisoformat(p.end_date) - date.fromisoformat(p.start_date)).days + 1 for p in plan.phases]
    assert lengths == [2, 2, 9, 7, 5, 3]
    assert plan.phases[-1].end_date == "2027-01-31"
    assert [p.stage_id for p in plan.phases] == ["choose", "data", "implement", "reproduce", "compare", "write-up"]
    text = plan_markdown(plan)
    assert "Attention Is All You Need" in text and "https://arxiv.org/abs/1706.03762" in text
    assert "Transformer" not in text  # nothing about the paper beyond what the learner gave


@pytest.mark.slow
@pytest.mark.parametrize("kwargs, message", [({"title": " ", "weeks": 4}, "title"), ({"title": "X", "weeks": 0}, "weeks")])
def test_paper_plan_refuses_bad_input(roadmap, corpus_index, kwargs, message):
    with pytest.raises(CorpusError, match=message):
        paper_plan(roadmap, corpus_index[1], start=START, **kwargs)


@pytest.mark.slow
def test_learning_plan_refuses_impossible_hours(roadmap, corpus_index):
    with pytest.raises(CorpusError, match="hours a week"):
        learning_plan(roadmap, corpus_index[1], set(), 0, START)
