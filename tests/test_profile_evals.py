"""`mentor eval`'s profile-aware cases: a case's `profile:` is the learner the question is asked for."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.answer.pipeline import Pipeline
from rag.errors import EvalError
from rag.evals.cases import load_cases
from rag.evals.scoring import evaluate_case
from rag.config import PACKAGE_ROOT

CASE = """cases:
  - id: en-profile
    question: "What should I learn next?"
    language: en
    kind: plan
    profile: {profile}
    expected_docs: [mle-roadmap]
    must_include_any: ["calculus"]
    must_not_include: ["**Classic (shallow) machine learning on tabular data**"]
"""


def test_a_profile_is_read_and_a_malformed_one_is_an_error(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(CASE.format(profile='{know: [python], done: ["milestone:classic-ml:0"]}'), encoding="utf-8")
    case = load_cases(path)[0]
    assert case.profile.known == {"python"} and case.profile.checked == {"milestone:classic-ml:0"}
    for bad in ("[python]", "{know: python}", "{knows: [python]}"):
        path.write_text(CASE.format(profile=bad), encoding="utf-8")
        with pytest.raises(EvalError, match="has a profile that is not"):
            load_cases(path)


def test_both_splits_have_profile_cases():
    for split in ("dev", "test"):
        assert [c for c in load_cases(PACKAGE_ROOT / "evals" / f"{split}.yaml") if c.profile]


@pytest.mark.slow
def test_a_profile_case_is_asked_for_that_learner(corpus_index, tmp_path):
    settings, reader = corpus_index
    path = tmp_path / "cases.yaml"
    path.write_text(CASE.format(profile='{know: [python], done: ["milestone:classic-ml:0", "milestone:classic-ml:1"]}'),
                    encoding="utf-8")
    with_profile = load_cases(path)[0]
    pipeline = Pipeline(reader, settings)
    scored = evaluate_case(with_profile, {"hybrid": pipeline}, "hybrid")
    assert scored.keyword_hit and not scored.forbidden_hit and "You have checked off" in scored.answer
    without = evaluate_case(replace(with_profile, profile=None), {"hybrid": pipeline}, "hybrid")
    assert not without.keyword_hit  # the same question without the profile starts at programming
