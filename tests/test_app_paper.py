"""The Paper plan page: its list of the catalogue, and a title typed as Markdown (slow: AppTest over the real
model and index, as tests/test_app.py)."""

from __future__ import annotations

import pytest

from .test_app import app_env, start, texts  # noqa: F401  (app_env is a fixture)

pytestmark = pytest.mark.slow


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
