"""The Streamlit app driven by AppTest over the real model and index (slow), and its pure helpers (fast).

AppTest runs app.py in this process, so the model loaded by the first slow test
stays in st.cache_resource for the others, as it would in one `streamlit run`.
"""

from __future__ import annotations

import json
import re
import socket
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rag.app import feedback
from rag.config import PACKAGE_ROOT

APP = str(PACKAGE_ROOT / "app.py")
LLM_VARS = ("MENTOR_LLM_MODEL", "MENTOR_LLM_BACKEND", "MENTOR_OLLAMA_URL", "MENTOR_OPENAI_BASE_URL")


@pytest.fixture
def app_env(corpus_index, monkeypatch, tmp_path):
    """The app pointed at the session's real index; no LLM backend configured; no eval report."""
    settings, _ = corpus_index
    monkeypatch.setenv("MENTOR_HOME", str(settings.home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    monkeypatch.setenv("MENTOR_EVAL_REPORT", str(tmp_path / "no-report" / "report.json"))
    monkeypatch.setenv("MENTOR_LEARNER", f"learner-{uuid.uuid4().hex[:8]}")  # each test its own learner and history
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)
    return settings


def home_of_its_own(settings, tmp_path: Path, monkeypatch) -> Path:
    """A MENTOR_HOME under `tmp_path` that answers from the session's index (linked in) with a profile database of
    the test's own."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "index").symlink_to(settings.index_dir)
    monkeypatch.setenv("MENTOR_HOME", str(home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    return home


def start(page: str = "ask") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page != "ask":
        at.switch_page(f"app_pages/{page}.py").run()
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
def test_question_gets_a_cited_answer_with_source_cards_and_a_second_answer(app_env):
    at = ask(start(), "How much math do I need?")
    body = next(v for v in texts(at) if "[\\[1\\]](#src-" in v)  # [1] links to its card
    anchor = body.split("](#")[1].split(")")[0]
    assert any(f'id="{anchor}"' in card for card in cards(at))
    assert any("Grounded" in b for b in badges(at))
    card = cards(at)[0]
    assert "<mark>" in card and 'href="https://' in card and "§ " in card
    ask(at, "Which deep learning course should I take?")
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
    from rag.answer.pipeline import Pipeline

    seen = []
    original = Pipeline.ask

    def spy(self, question, history=(), language=None, k=None, **profile):
        seen.append(list(history))
        return original(self, question, history, language, k, **profile)

    monkeypatch.setattr(Pipeline, "ask", spy)
    at = ask(ask(start(), "学完 Python 之后我应该学什么？"), "那数学呢？")
    assert seen == [[], ["学完 Python 之后我应该学什么？"]]
    assert "数学" in texts(at)[-1] or any("数学" in c for c in cards(at))


@pytest.mark.slow
def test_sidebar_language_and_k_reach_the_mentor(app_env):
    at = start()
    at.button_group(key="language").set_value("zh").run()
    at.slider(key="k").set_value(1).run()
    ask(at, "Should I do Kaggle competitions?")
    assert any(v.startswith("指南和笔记中是这样说的") for v in texts(at))  # the mentor's words in Chinese
    assert len(cards(at)) == 1


@pytest.mark.slow
def test_new_conversation_button_and_separate_sessions(app_env, monkeypatch):
    first = ask(start(), "What is CS50?")
    monkeypatch.setenv("MENTOR_LEARNER", f"someone-{uuid.uuid4().hex[:8]}")
    second = start()
    assert len(first.chat_message) == 2 and len(second.chat_message) == 0
    second.run()
    assert len(second.chat_message) == 0  # another learner's session never sees the first one's history
    monkeypatch.setenv("MENTOR_LEARNER", first.session_state["learner"])
    assert len(start().chat_message) == 2  # the same learner's next visit reopens it
    first.sidebar.button(key="new-chat").click().run()
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
def test_viewing_the_pages_creates_no_learner_only_saving_does(corpus_index, monkeypatch, tmp_path):
    from rag.profile import ProfileStore

    settings, _ = corpus_index
    home = home_of_its_own(settings, tmp_path, monkeypatch)
    monkeypatch.setenv("MENTOR_LEARNER", "ghost")
    database = home / "profiles.sqlite3"
    for page in ("ask", "plan", "paper"):
        start(page)
    assert not database.exists()  # nobody saved anything: no database was made
    ProfileStore(database).update("ada", hours_per_week=12)
    at = start("plan")
    assert at.number_input(key="plan-hours").value == 10  # the blank profile of "ghost", shown, not saved
    start("ask")
    assert ProfileStore(database).learners() == ["ada"]
    at.button(key="plan-submit").click().run()  # saving the plan saves the learner
    assert not at.exception and ProfileStore(database).learners() == ["ada", "ghost"]


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
def test_paper_page_shows_the_card_beside_the_dated_plan(app_env):
    at = start("paper")
    at.text_input(key="paper-title").input("the resnet paper")
    at.multiselect(key="paper-known").set_value(["python", "deep-learning"])
    at.number_input(key="paper-hours").set_value(5.0)
    at.button(key="paper-submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    card = next(v for v in texts(at) if v.startswith("#### Deep Residual Learning"))
    assert "✅ Python" in card and "✅ deep learning" in card and "⬜ VGG" in card  # deep learning brings math with it
    assert "✅ calculus, linear algebra and probability" in card
    assert "CIFAR-10 (start here)" in card and "**8.75%** (Table 6)" in card and "Laptop CPU:" in card
    assert "`https://arxiv.org/abs/1512.03385`" in card  # corpus text escaped: the link shows as typed
    table = at.dataframe[0].value
    assert len(table) >= 10 and any("CIFAR-10" in phase for phase in table["phase"])
    assert any("8.75%" in phase for phase in table["phase"])
    assert cards(at) and at.download_button(key="paper-plan-download")
    at.button_group(key="language").set_value("zh").run()  # the card follows the UI's language
    card = next(v for v in texts(at) if v.startswith("#### Deep Residual Learning"))
    assert "退化问题" in card and "✅ 深度学习" in card and "建议先用" in card and "笔记本 CPU" in card


@pytest.mark.slow
def test_paper_page_says_when_a_paper_is_not_in_the_catalogue(app_env):
    at = start("paper")
    at.text_input(key="paper-title").input("Mamba: Linear-Time Sequence Modeling")
    at.text_area(key="paper-abstract").input("We study language modeling on WikiText and report perplexity.")
    at.button(key="paper-submit").click().run()
    assert not at.exception and not at.error
    assert any("is not in the paper catalogue" in i.value for i in at.info)
    assert any("WikiText" in v and "perplexity" in v for v in texts(at))
    assert not [v for v in texts(at) if v.startswith("####")] and at.dataframe[0].value["phase"].iloc[0].startswith("Choose")


@pytest.mark.slow
def test_library_page_lists_the_corpus_and_index_status(app_env):
    from rag.ingest.corpus import load_corpus

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
    for page in ("ask", "plan", "paper"):
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
    assert "MENTOR\\_TOP\\_K" in at.error[0].value and at.info  # messages are shown as text: Markdown escaped


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
    report = {"created_at": "2026-01-05T10:00:00+00:00", "cases_file": "evals/dev.yaml", "backend": "embedded",
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
    shown = " ".join([i.value for i in at.info] + [c.value for c in at.caption] + texts(at))
    assert str(tmp_path) not in shown and "report.json" not in shown  # a new user sees no file path


@pytest.mark.slow
def test_dead_llm_server_falls_back_to_the_embedded_answer(app_env, monkeypatch):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("MENTOR_OLLAMA_URL", f"http://127.0.0.1:{port}")
    at = start()
    at.sidebar.selectbox(key="backend").set_value("ollama").run()
    ask(at, "How much math do I need?")
    assert cards(at) and any("Grounded" in b for b in badges(at))
    assert any("embedded answer" in c.value for c in at.caption)




# --- defects seen in a real browser, each kept from coming back ---

@pytest.mark.slow
def test_an_over_long_earlier_question_does_not_fail_later_ones(app_env):
    import os

    from rag.profile import ProfileStore

    store = ProfileStore(app_env.home / "profiles.sqlite3")  # a conversation saved before the box had a limit
    conversation = store.start_conversation(os.environ["MENTOR_LEARNER"], "How much math?")
    store.add_message(conversation, "user", "How much math? " * 200)
    store.add_message(conversation, "assistant", "too long", {"error": "The question is 2,999 characters long.", "hint": ""})
    at = start()  # reopened
    at.chat_input(key="question").set_value("What is CS50?").run()  # the long one stays in the history…
    assert not at.exception and len(at.error) == 1  # …but does not fail every later question
    assert any("Grounded" in b for b in badges(at))


@pytest.mark.slow
def test_switching_the_language_keeps_the_page(app_env):
    at = start("plan")
    at.button_group(key="language").set_value("zh").run()
    assert not at.exception
    assert at.button(key="plan-submit").label == "生成我的计划"  # still the plan page, now in Chinese


@pytest.mark.slow
def test_the_chinese_ui_is_chinese(app_env):
    at = start()
    at.button_group(key="language").set_value("zh").run()
    assert at.chat_input(key="question").placeholder.startswith("问一个")
    assert at.sidebar.selectbox(key="backend").label == "回答方式"
    assert "内置" in at.sidebar.selectbox(key="backend").format_func("embedded")
    assert any("直接引用指南原文" in c.value for c in at.sidebar.caption)
    ask(at, "需要多少数学？")
    assert "**来源**" in texts(at) and "**Sources**" not in texts(at)
    assert any("有据可查" in b for b in badges(at))


@pytest.mark.slow
def test_a_paper_plan_in_chat_says_each_step_once_and_its_cards_show_plain_text(app_env):
    at = ask(start(), "Plan how I implement the Mamba paper")  # not in the catalogue: the guides' method
    body = next(v for v in texts(at) if "Mamba" in v and "[\\[1\\]]" in v)
    steps = [line for line in body.splitlines() if re.match(r"- \d{4}-\d\d-\d\d", line)]
    titles = [line.split(": ", 1)[1].split(" “")[0] for line in steps]
    assert len(titles) == len(set(titles)) == 6, body
    assert "“Paperswithcode is a great place" in body and "paperswithcode.com" not in body  # a link reads as its words
    for card in cards(at):
        shown = re.search(r'class="mentor-passage"[^>]*>(.*?)</div>', card).group(1)
        assert "**" not in shown and "](" not in shown and not re.search(r"(^|<br>)(- |&gt; )", shown), shown


@pytest.mark.slow
def test_taking_back_a_rating_clears_the_stored_rating(app_env):
    db = app_env.home / feedback.FILE_NAME
    at = ask(start(), "What is Kaggle?")
    at.feedback[0].set_value(0).run()  # thumbs down
    assert feedback.list_feedback(db)[0]["rating"] == "down"
    at.feedback[0].set_value(None).run()
    assert not at.exception and feedback.list_feedback(db)[0]["rating"] is None
