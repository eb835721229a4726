"""Plans agree with the guides: each starting point uses the guide's own estimate, names and cites it."""

from __future__ import annotations

from datetime import date

import pytest

from rag.answer.plan import learning_plan
from rag.answer.render import plan_markdown
from rag.answer.starting import WEEKS_PER_MONTH, starting_point, starting_points, weeks_at
from rag.errors import CorpusError
from rag.ingest.roadmap import load_roadmap

from .conftest import CORPUS

START = date(2027, 1, 4)

# Starting point → what such a learner knows, the guide's figure in months, the sentence the plan must cite.
STARTS = {
    "from-scratch": (set(), 18, "如果你全职投入这份路线图,我估计大约需要 18 个月的时间从头开始学习。"),
    "developer": ({"python", "git", "software-engineering"}, 6, "在下班后花大约六个月的时间学习浅层和深层的机器学习以及你所缺乏的数学知识。"),
    "data-scientist": ({"python", "classic-ml", "tabular-data", "math"}, 3, "花几个月时间学习,然后建立一个作品集以申请新的职位。"),
    "course": ({"python", "git"}, 6, "大多数时候，你可以参加为期六个月的 ML 课程，这足以让你找到工作。"),
}


@pytest.fixture(scope="module")
def roadmap():
    return load_roadmap(CORPUS)


def test_each_learner_gets_the_starting_point_the_guides_describe(roadmap):
    for expected, (known, _, _) in STARTS.items():
        assert starting_point(roadmap, known)["id"] == expected
    assert starting_point(roadmap, {"python"}, "developer")["id"] == "developer"
    with pytest.raises(CorpusError, match="no starting point 'astronaut'"):
        starting_point(roadmap, set(), "astronaut")


def test_every_stage_a_starting_point_covers_has_its_requirements_before_it(roadmap):
    by_id = {s.id: s for s in roadmap.stages}
    for key in starting_points(roadmap):
        estimate = roadmap.estimates[key]
        for stage in estimate["covers"]:
            assert set(by_id[stage].requires) <= set(estimate["after"]) | set(estimate["covers"]), (key, stage)
    # A data scientist has the math: a learner with classic ML but no math starts from the course instead.
    assert starting_point(roadmap, {"python", "classic-ml"})["id"] == "course"


def test_weeks_are_whole_per_stage():
    assert weeks_at([10.0, 0.5], 10) == 2 and weeks_at([25.0], 20) == 2


@pytest.mark.slow
@pytest.mark.parametrize("start_id", list(STARTS))
def test_plan_total_is_the_guides_figure_at_the_guides_pace(roadmap, corpus_index, start_id):
    _, reader = corpus_index
    known, months, sentence = STARTS[start_id]
    estimate = roadmap.estimates[start_id]
    plan = learning_plan(roadmap, reader, known, estimate["hours_per_week"], START)
    figure_weeks = months * WEEKS_PER_MONTH
    assert abs(plan.total_weeks - figure_weeks) <= 0.2 * figure_weeks, (plan.total_weeks, figure_weeks)
    # The plan names the estimate and cites the guide's own sentence for it.
    assert plan.estimate["id"] == start_id and plan.estimate["months"] == months
    cited = {c.quote for c in plan.citations if c.n in plan.estimate["cites"]}
    assert any(sentence in q or q in sentence for q in cited)
    text = plan_markdown(plan)
    assert f"## The estimate this plan uses: {plan.estimate['name']}" in text
    # The pace trade-off: 10 and 20 hours a week, the faster pace takes fewer weeks.
    weeks = {row["hours_per_week"]: row["weeks"] for row in plan.paces}
    assert weeks[20.0] < weeks[10.0] and "20 h a week:" in text


@pytest.mark.slow
def test_figures_the_guides_do_not_give_are_labelled_the_projects(roadmap, corpus_index):
    _, reader = corpus_index
    scientist = learning_plan(roadmap, reader, STARTS["data-scientist"][0], 10, START)
    assert scientist.estimate["basis"] == "project"
    assert any("this project's own reading" in a for a in scientist.assumptions)
    developer = learning_plan(roadmap, reader, STARTS["developer"][0], 10, START, language="zh")
    assert [item["stage_id"] for item in developer.later] == ["mlops", "specialization", "job-search"]
    text = plan_markdown(developer)
    assert "## 本计划之后（本项目自己的估计）" in text and "指南给出的数字" in text
    # The learner: Python and 10 hours a week no longer gets a five-year plan.
    assert learning_plan(roadmap, reader, {"python"}, 10, START).total_weeks < 2.2 * 52


@pytest.mark.slow
def test_a_plan_says_what_it_counts_as_done_and_when_it_keeps_only_part_of_the_estimate(roadmap, corpus_index):
    _, reader = corpus_index
    # Deep learning known (`--know pytorch` says so) puts what it requires behind the learner too: the data scientist's
    # estimate also covers deep learning, so the plan keeps only the software-engineering share of its three months.
    plan = learning_plan(roadmap, reader, {"python", "deep-learning"}, 10, START)
    assert plan.estimate["id"] == "data-scientist" and [p.stage_id for p in plan.phases] == ["software-engineering"]
    done = next(a for a in plan.assumptions if a.startswith("Counted as done from what you know:"))
    assert "Deep learning" in done and "Classic (shallow) machine learning" in done
    share = next(a for a in plan.assumptions if a.startswith("That estimate also covers Deep learning"))
    assert f"about {plan.phases[0].hours} of its 130 hours" in share
    # Nothing known: nothing counted as done, the whole estimate used.
    scratch = learning_plan(roadmap, reader, set(), 40, START, language="zh")
    assert not any(a.startswith(("根据你已经会的内容", "这个估计还包括")) for a in scratch.assumptions)
    course = learning_plan(roadmap, reader, {"python", "git"}, 10, START, language="zh")
    assert any(a.startswith("根据你已经会的内容，这些阶段按已完成计：") for a in course.assumptions)
    assert not any(a.startswith("这个估计还包括") for a in course.assumptions)  # the course covers only what is left
