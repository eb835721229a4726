"""The Paper plan page: a title typed as Markdown (slow: AppTest over the real model and index, as
tests/test_app.py)."""

from __future__ import annotations

import pytest

from .test_app import app_env, start  # noqa: F401  (app_env is a fixture)

pytestmark = pytest.mark.slow


def test_a_title_not_in_the_catalogue_is_shown_as_typed(app_env):  # noqa: F811
    at = start("paper")
    at.text_input(key="paper-title").input("**rsenet** [a](javascript:alert(1))")
    at.button(key="paper-submit").click().run()
    assert not at.exception and not at.error
    (note,) = [i.value for i in at.info if "not in the paper catalogue" in i.value]
    assert "\\*\\*rsenet\\*\\* \\[a\\]\\(javascript:alert\\(1\\)\\)" in note  # escaped: no bold, no link
