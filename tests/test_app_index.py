"""The index's state and repair in the app (AppTest): no index, a cut manifest and a damaged index file, each
said as `mentor status` says it, with the button that does what the fix says."""

from __future__ import annotations

import shutil

import pytest

from .test_app import start


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_library_without_an_index_says_it_is_not_built(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_HOME", str(tmp_path / "fresh"))
    at = start("library")
    warnings = [w.value for w in at.warning]
    assert warnings == ["There is no index yet, so the mentor cannot answer."]  # not "66 files changed"
    assert metrics(at)["Stale"] == "—" and at.button(key="reindex").label.startswith("Build the index")


@pytest.mark.slow
def test_library_rebuilds_an_index_whose_manifest_is_cut(small_corpus, model_dir, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "index").mkdir(parents=True)
    (home / "index" / "manifest.json").write_text('{"model_id": ', encoding="utf-8")
    monkeypatch.setenv("MENTOR_HOME", str(home))
    monkeypatch.setenv("MENTOR_MODEL", str(model_dir))
    monkeypatch.setenv("MENTOR_CORPUS", str(small_corpus))
    at = start("library")
    assert any("manifest" in e.value for e in at.error) and not at.warning  # damaged, not "changed"
    assert any("mentor index --rebuild" in i.value for i in at.info)
    button = at.button(key="reindex")
    assert button.label == "Rebuild the index"  # what the fix asks for
    button.click().run(timeout=300)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert int(metrics(at)["Chunks"]) > 0 and metrics(at)["Stale"] == "no"


@pytest.mark.slow
def test_a_damaged_index_file_is_written_anew_by_the_button_its_fix_names(corpus_index, monkeypatch, tmp_path):
    settings, _ = corpus_index
    home = tmp_path / "home"
    shutil.copytree(settings.index_dir, home / "index")  # a copy of the session's index, to damage
    lexical = next((home / "index").glob("lexical_g*.json"))
    lexical.write_text("{cut", encoding="utf-8")
    monkeypatch.setenv("MENTOR_HOME", str(home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    at = start()
    at.chat_input(key="question").set_value("What is Kaggle?").run()
    assert "Run `mentor index`: it writes" in at.chat_message[-1].info[0].value  # the fix, in the chat
    repairs = [b.label for b in at.button if b.key in ("build-index", "repair-answer")]  # above the chat or in it
    assert repairs == ["Re-index the corpus"] and at.button(key="retry-answer")
    plan = start("plan")
    assert plan.button(key="build-index").label == "Re-index the corpus"  # not a full rebuild
    plan.button(key="build-index").click().run(timeout=300)
    assert not plan.exception and not plan.error, [e.value for e in plan.error]
    assert plan.button(key="plan-submit")  # the page works again
    at.button(key="retry-answer").click().run()
    assert not at.exception and at.chat_message[-1].markdown and not at.chat_message[-1].error
