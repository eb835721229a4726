"""The Paper plan page with a learner's profile, its list of the catalogue, and a title typed as Markdown (slow:
AppTest over the real model and index, as tests/test_app.py)."""

from __future__ import annotations

import os

import pytest

from rag.profile import ProfileStore

from .test_app import app_env, start, texts  # noqa: F401  (app_env is a fixture)

pytestmark = pytest.mark.slow


def test_the_paper_form_starts_from_the_selected_learners_profile(app_env):  # noqa: F811
    store, me = ProfileStore(app_env.profile_db), os.environ["MENTOR_LEARNER"]
    store.set_skills(me, ["python", "deep-learning"])
    store.update(me, hours_per_week=30)
    other = f"{me}-other"
    store.set_skills(other, ["git"])
    store.update(other, hours_per_week=6)
    at = start("paper")
    assert set(at.multiselect(key="paper-known").value) == {"python", "deep-learning"}
    assert at.number_input(key="paper-hours").value == 30
    at.text_input(key="paper-title").input("resnet")
    at.button(key="paper-submit").click().run()
    card = next(v for v in texts(at) if v.startswith("#### Deep Residual Learning"))
    assert "✅ deep learning" in card and "⬜ VGG" in card
    at.selectbox(key="learner-select").set_value(other).run()  # another learner: their profile, not the last form
    assert not at.exception, at.exception
    assert at.multiselect(key="paper-known").value == ["git"] and at.number_input(key="paper-hours").value == 6
    assert not [v for v in texts(at) if v.startswith("####")]  # the other learner's plan is not shown as theirs


def test_the_paper_page_lists_the_catalogue(app_env):  # noqa: F811
    at = start("paper")
    assert "The paper catalogue: 25 papers" in [e.label for e in at.expander]
    assert any("**Vision**: LeNet (1998), AlexNet (2012)" in v and "ResNet (2015)" in v for v in texts(at))


def test_a_title_not_in_the_catalogue_is_shown_as_typed(app_env):  # noqa: F811
    at = start("paper")
    at.text_input(key="paper-title").input("**rsenet** [a](javascript:alert(1))")
    at.button(key="paper-submit").click().run()
    assert not at.exception and not at.error
    (note,) = [i.value for i in at.info if "not in the paper catalogue" in i.value]
    assert "\\*\\*rsenet\\*\\* \\[a\\]\\(javascript:alert\\(1\\)\\)" in note  # escaped: no bold, no link
    assert "mentor paper" not in note and "catalogue" in note.split("not in the paper catalogue")[1]  # the app's words
