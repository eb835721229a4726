"""The Streamlit app driven by AppTest over the real model and index (slow), and its pure helpers (fast).

AppTest runs app.py in this process, so the model loaded by the first slow test
stays in st.cache_resource for the others, as it would in one `streamlit run`.
"""

from __future__ import annotations

import csv
import doctest
import io
import json
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rag import feedback, ui
from rag.config import PACKAGE_ROOT
from rag.records import Citation

APP = str(PACKAGE_ROOT / "app.py")
LLM_VARS = ("MENTOR_LLM_MODEL", "MENTOR_LLM_BACKEND", "MENTOR_OLLAMA_URL", "MENTOR_OPENAI_BASE_URL")


@pytest.fixture
def app_env(corpus_index, monkeypatch, tmp_path):
    """The app pointed at the session's real index; no LLM backend configured; no eval report."""
    settings, _ = corpus_index
    monkeypatch.setenv("MENTOR_HOME", str(settings.home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    monkeypatch.setenv("MENTOR_EVAL_REPORT", str(tmp_path / "no-report" / "report.json"))
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)
    return settings


def start(page: str = "chat") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page != "chat":
        at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def cards(at: AppTest) -> list[str]:
    return [v for v in texts(at) if 'class="mentor-source"' in v]


def table_with(at: AppTest, column: str):
    """The first table (as a DataFrame) that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def badges(at: AppTest) -> list[str]:
    return [v for v in texts(at) if "-badge[" in v]


@pytest.mark.slow
def test_question_gets_a_cited_answer_with_source_cards_and_a_fast_second_answer(app_env):
    at = ask(start(), "How much math do I need?")
    body = next(v for v in texts(at) if "[\\[1\\]](#src-" in v)  # [1] links to its card
    anchor = body.split("](#")[1].split(")")[0]
    assert any(f'id="{anchor}"' in card for card in cards(at))
    assert any("Grounded" in b for b in badges(at))
    card = cards(at)[0]
    assert "<mark>" in card and 'href="https://' in card and "§ " in card

    started = time.perf_counter()
    ask(at, "Which deep learning course should I take?")
    seconds = time.perf_counter() - started
    print(f"second question, whole AppTest run: {seconds:.2f} s")
    assert seconds < 1.5  # the model and index are loaded once; the answer streams in < 0.25 s
    assert len([b for b in badges(at) if "Grounded" in b]) == 2


@pytest.mark.slow
def test_off_topic_question_is_refused_without_sources(app_env):
    at = ask(start(), "banana bread recipe")
    assert any("Not covered" in b for b in badges(at))
    assert any("don't cover that" in v for v in texts(at))
    assert cards(at) == []


@pytest.mark.slow
def test_starter_button_asks_it_and_disappears(app_env):
    at = start()
    starters = [b for b in at.button if (b.key or "").startswith("starter-")]
    assert any("Python" in b.label for b in starters) and any("学完" in b.label for b in starters)
    at.button(key="starter-3").click().run()  # 学完 Python 之后我应该学什么？
    assert not at.exception
    assert not [b for b in at.button if (b.key or "").startswith("starter-")]
    assert any("路线图" in v for v in texts(at)) and cards(at)


@pytest.mark.slow
def test_follow_up_passes_earlier_questions_as_history(app_env, monkeypatch):
    from rag.mentor import Mentor

    seen = []
    original = Mentor.ask

    def spy(self, question, history=(), language=None):
        seen.append(list(history))
        return original(self, question, history, language)

    monkeypatch.setattr(Mentor, "ask", spy)
    at = ask(ask(start(), "学完 Python 之后我应该学什么？"), "那数学呢？")
    assert seen == [[], ["学完 Python 之后我应该学什么？"]]
    assert "数学" in texts(at)[-1] or any("数学" in c for c in cards(at))


@pytest.mark.slow
def test_sidebar_language_and_k_reach_the_mentor(app_env):
    at = start()
    at.button_group(key="language").set_value("zh").run()
    at.slider(key="k").set_value(1).run()
    assert at.sidebar.radio(key="page").label == "页面"
    ask(at, "Should I do Kaggle competitions?")
    assert any(v.startswith("指南和笔记中是这样说的") for v in texts(at))  # the mentor's words in Chinese
    assert len(cards(at)) == 1


@pytest.mark.slow
def test_clear_button_and_separate_sessions(app_env):
    first, second = ask(start(), "What is CS50?"), start()
    assert len(first.chat_message) == 2 and len(second.chat_message) == 0
    second.run()
    assert len(second.chat_message) == 0  # another session never sees the first one's history
    first.sidebar.button(key="clear").click().run()
    assert len(first.chat_message) == 0 and first.button(key="starter-0")


@pytest.mark.slow
def test_feedback_is_stored_in_sqlite(app_env):
    db = app_env.home / feedback.FILE_NAME
    before = len(feedback.list_feedback(db))
    at = ask(start(), "What is CS50?")
    at.feedback[0].set_value(1).run()
    at.text_input(key=next(t.key for t in at.text_input if t.key.startswith("comment-"))).input("clear, thanks").run()
    assert not at.exception
    rows = feedback.list_feedback(db)
    assert len(rows) == before + 1
    assert rows[0]["rating"] == "up" and rows[0]["comment"] == "clear, thanks" and rows[0]["question"] == "What is CS50?"
    assert rows[0]["backend"] == "embedded" and "[1]" in rows[0]["answer"]


@pytest.mark.slow
def test_plan_page_makes_a_dated_plan_table_chart_and_download(app_env):
    at = start("plan")
    for skill in ("python", "git"):
        at.checkbox(key=f"know-{skill}").check()
    at.number_input(key="plan-hours").set_value(15.0)
    at.button(key="plan-submit").click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) >= 3 and list(table.columns[:4]) == ["#", "phase", "start", "end"]
    assert "Programming" not in " ".join(table["phase"])  # python is known: that stage is done
    assert table["sources"].str.contains(r"\[\d+\]").all()
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert cards(at) and at.download_button(key="learning-plan-download").label


@pytest.mark.slow
def test_paper_page_makes_a_step_plan(app_env):
    at = start("paper")
    at.text_input(key="paper-title").input("Attention Is All You Need")
    at.number_input(key="paper-weeks").set_value(6)
    at.button(key="paper-submit").click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert len(table) >= 4 and table["end"].iloc[-1] > table["start"].iloc[0]
    assert any("Attention Is All You Need" in v for v in texts(at) + [s.value for s in at.subheader])
    assert cards(at) and at.download_button(key="paper-plan-download")


@pytest.mark.slow
def test_library_page_lists_the_corpus_and_index_status(app_env):
    from rag.corpus import load_corpus

    at = start("library")
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Chunks"]) > 100 and metrics["Stale"] == "no" and "multilingual-e5-small" in metrics["Model"]
    docs, _ = load_corpus(app_env.corpus_dir)
    table = table_with(at, "link")
    assert len(table) == len(docs) and set(table["kind"]) >= {"guide", "course", "book"}
    assert table["link"].str.match(r"https?://").all()
    assert at.button(key="reindex")


@pytest.mark.slow
def test_first_run_builds_the_index_from_the_app(small_corpus, model_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_HOME", str(tmp_path / "fresh"))
    monkeypatch.setenv("MENTOR_MODEL", str(model_dir))
    monkeypatch.setenv("MENTOR_CORPUS", str(small_corpus))
    at = start()
    at.button(key="build-index").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    ask(at, "What is Kaggle?")
    assert cards(at)


def test_missing_index_says_so_and_offers_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_HOME", str(tmp_path / "empty"))
    for page in ("chat", "plan", "paper"):
        at = start(page)
        assert not at.exception
        assert any("no index" in w.value.lower() for w in at.warning)
        assert any("mentor index" in i.value for i in at.info)
        assert at.button(key="build-index").label.startswith("Build the index")
    at = start("library")
    assert {m.label: m.value for m in at.metric}["Chunks"] == "0" and at.button(key="reindex")


def test_bad_setting_is_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("MENTOR_TOP_K", "many")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "MENTOR_TOP_K" in at.error[0].value and at.info


def fake_report(folder: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = {"hit@1": 0.8, "hit@3": 0.95, "hit@5": 1.0, "mrr": 0.88, "ndcg@10": 0.9}
    answers = {"citation_validity": 1.0, "grounding": 1.0, "keyword_coverage": 0.9, "forbidden_rate": 0.0,
               "refusal_precision": 1.0, "refusal_recall": 1.0, "refusal_accuracy": 1.0, "language_match": 1.0,
               "rouge_l": 0.4, "latency_p50_ms": 40.0, "latency_p95_ms": 90.0}
    case = {"id": "en-math", "question": "How much math?", "language": "en", "kind": "answer",
            "expected_docs": ["mle-roadmap"], "retrieved_docs": ["mle-roadmap"], "hit_rank": 1,
            "answer": "- <b>calculus</b> [1]", "grounded": True, "refused": False, "expect_refusal": False,
            "citations_valid": True, "grounding": 1.0, "keyword_hit": True, "forbidden_hit": False,
            "language_ok": True, "rouge_l": 0.4, "latency_ms": 41.0, "passed": True, "failures": []}
    report = {"created_at": "2026-01-05T10:00:00+00:00", "cases_file": "evals/cases.yaml", "backend": "embedded",
              "n_cases": 2, "passed": False,
              "summary": {"retrieval": {"hybrid": metrics, "dense": metrics, "bm25": metrics},
                          "retrieval_by_language": {"en": metrics, "zh": metrics}, "answers": answers},
              "checks": [{"metric": "answers.grounding", "value": 1.0, "min": 1.0, "max": None, "baseline": 1.0,
                          "ok": True, "why": ""},
                         {"metric": "retrieval.hybrid.mrr", "value": 0.88, "min": 0.9, "max": None, "baseline": 0.9,
                          "ok": False, "why": "0.88 < 0.9"}],
              "cases": [case, {**case, "id": "zh-math", "language": "zh", "passed": False, "failures": ["no keyword"]}],
              "charts": ["retrieval.png", "../outside.png", "missing.png"]}
    folder.mkdir(parents=True)
    plt.figure(figsize=(2, 1))
    plt.bar(["hit@3"], [0.95])
    plt.savefig(folder / "retrieval.png")
    plt.close()
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return folder / "report.json"


def test_evals_page_shows_a_report_baseline_and_feedback(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_EVAL_REPORT", str(fake_report(tmp_path / "report")))
    (tmp_path / "baseline.json").write_text(json.dumps({"retrieval.hybrid.mrr": 0.9, "answers.grounding": 1.0}))
    monkeypatch.setenv("MENTOR_EVAL_BASELINE", str(tmp_path / "baseline.json"))
    db = tmp_path / "home" / feedback.FILE_NAME  # the autouse fixture's MENTOR_HOME
    feedback.add(db, "What is CS50?", "- CS50 is … [1]", "down", "too short", "embedded", "2026-01-05T10:00:00+00:00")
    at = start("evals")
    metrics = {m.label: m for m in at.metric}
    assert metrics["hit@3"].value == "0.95" and metrics["MRR"].value == "0.88" and metrics["MRR"].delta == "-0.02"
    assert len(table_with(at, "failures")) == 2
    assert table_with(at, "why")["ok"].tolist() == [True, False]
    assert [i.captions for i in at.image] == [["retrieval.png"]]  # missing.png and ../outside.png are skipped
    assert table_with(at, "change")["metric"].tolist() == ["answers.grounding", "retrieval.hybrid.mrr"]
    assert table_with(at, "rating")["comment"].tolist() == ["too short"]
    assert at.download_button(key="feedback-csv")


def test_evals_page_without_a_report(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_EVAL_REPORT", str(tmp_path / "none" / "report.json"))
    at = start("evals")
    assert any("No eval report yet" in i.value for i in at.info)


@pytest.mark.slow
def test_dead_llm_server_falls_back_to_the_embedded_answer(app_env, monkeypatch):
    llm = pytest.importorskip("rag.llm")
    if not hasattr(llm, "stream_answer"):
        pytest.skip("rag.llm has no stream_answer in this version")
    pytest.importorskip("langchain_ollama")
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("MENTOR_OLLAMA_URL", f"http://127.0.0.1:{port}")
    at = start()
    at.sidebar.selectbox(key="backend").set_value("ollama").run()
    ask(at, "How much math do I need?")
    assert cards(at) and any("Grounded" in b for b in badges(at))
    assert any("embedded answer" in c.value for c in at.caption)


# --- pure helpers (rag/ui.py, rag/feedback.py) ---

def test_helper_doctests():
    for module in (ui, feedback):
        assert doctest.testmod(module).failed == 0


def test_answer_markdown_escapes_corpus_text_and_links_markers():
    text = "Lead:\n- <script>alert(1)</script> costs $5 *now* [1]\n  Resources: a_b\n**Next**: [x](javascript:y) [2] [7]"
    md = ui.answer_markdown(text, {1, 2}, "src-a")
    assert "<script>" not in md and "\\<script\\>" in md and "\\$5" in md and "\\*now\\*" in md
    assert "[\\[1\\]](#src-a-1)" in md and "[\\[2\\]](#src-a-2)" in md and "\\[7\\]" in md
    assert "\\[x\\]\\(javascript:y\\)" in md and "\n\n**Next**" in md  # a blank line ends the list
    assert "".join(ui.stream_pieces(md, 5)) == md


def test_source_card_escapes_html_and_highlights_the_quote():
    cites = [Citation(1, "d", "T <img src=x onerror=alert(1)>", "javascript:alert(1)", "A > B", "two.", "c1"),
             Citation(1, "d", "T", "", "A > B", "one <b>", "c1")]
    (card,) = ui.source_cards(cites, {"c1": "one <b> and two. $x$"})
    assert card.quotes == ["two.", "one <b>"]
    out = ui.card_html(card, "src-z")
    assert "<img" not in out and "&lt;img" in out and "<b>[1]" in out
    assert "<mark>one &lt;b&gt;</mark>" in out and "<mark>two.</mark>" in out and "&#36;x&#36;" in out
    assert "href=" not in out and 'id="src-z-1"' in out and "§ A › B" in out


def test_configured_backends_only_lists_what_is_set(tmp_path):
    assert [b.name for b in ui.configured_backends({})] == ["embedded"]
    gguf = tmp_path / "m.gguf"
    env = {"MENTOR_LLM_MODEL": str(gguf), "MENTOR_OLLAMA_URL": "http://127.0.0.1:11434"}
    assert [b.name for b in ui.configured_backends(env)] == ["embedded", "ollama"]  # the model file is missing
    gguf.write_bytes(b"GGUF")
    env["MENTOR_OPENAI_BASE_URL"] = "http://127.0.0.1:8080/v1"
    assert [b.name for b in ui.configured_backends(env)] == ["embedded", "llamacpp", "ollama", "openai"]


def test_feedback_store_round_trip(tmp_path):
    db = tmp_path / "fb" / feedback.FILE_NAME
    assert feedback.list_feedback(db) == [] and feedback.export_csv(db).startswith("id,created_at,rating")
    first = feedback.add(db, "Q1?", "A1 [1]", "up", created_at="2026-01-01T00:00:00+00:00")
    second = feedback.add(db, "问题？", "答案，含逗号", "down", "太短", "embedded", "2026-01-02T00:00:00+00:00")
    feedback.update(db, first, rating="down", comment=" wrong source ")
    rows = feedback.list_feedback(db)
    assert [r["id"] for r in rows] == [second, first]
    assert rows[1]["rating"] == "down" and rows[1]["comment"] == "wrong source"
    exported = list(csv.DictReader(io.StringIO(feedback.export_csv(db))))
    assert [(r["id"], r["rating"], r["comment"], r["answer"]) for r in exported] == [
        (str(second), "down", "太短", "答案，含逗号"), (str(first), "down", "wrong source", "A1 [1]")]
    with pytest.raises(ValueError):
        feedback.add(db, "Q", "A", "meh")
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM feedback").fetchone()[0] == 2
