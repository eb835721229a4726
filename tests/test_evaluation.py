"""The eval runner: the golden set's shape, metric arithmetic, checks, the report, and a caught regression."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace

import pytest
import yaml
from click.testing import CliRunner

from rag.config import PACKAGE_ROOT
from rag.errors import EvalError
from rag.evals.cases import load_cases
from rag.evals.runner import baseline_values, run_checks, run_eval
from rag.answer.pipeline import Pipeline

CASES = PACKAGE_ROOT / "evals" / "dev.yaml"
TEST_CASES = PACKAGE_ROOT / "evals" / "test.yaml"
MINI = """cases:
  - {id: en-after-python, question: "What should I learn after Python?", language: en, kind: plan,
     expected_docs: [mle-roadmap], must_include_any: ["机器学习"], reference: "Learn machine learning next."}
  - {id: zh-phd, question: "成为机器学习工程师需要博士学位吗？", language: zh, kind: answer,
     expected_docs: [become-mle-hackr], must_include_any: ["学位"]}
  - {id: en-banana, question: "banana bread recipe", language: en, kind: refusal, expect_refusal: true,
     must_not_include: ["flour"]}
  - {id: zh-follow, turns: ["学完 Python 之后我应该学什么？", "那数学呢？"], language: zh, kind: followup,
     expected_docs: [mle-roadmap, zero-to-hero-2022], must_include_any: ["数学"]}
  - {id: en-data-cleaning, question: "Do ML engineers spend most of their time on data cleaning and infrastructure?",
     language: en, kind: answer, expected_docs: [untold-truths], must_include_any: ["99%"]}
"""


def test_the_held_out_test_split_is_apart_from_dev_and_covers_every_guide_section():
    dev, test = load_cases(CASES), load_cases(TEST_CASES)
    assert not {c.id for c in dev} & {c.id for c in test}
    assert not {c.question for c in dev} & {c.question for c in test}
    probes = yaml.safe_load((PACKAGE_ROOT / "evals" / "off_topic_probes.yaml").read_text(encoding="utf-8"))
    assert not {q for questions in probes.values() for q in questions} & {c.question for c in test}  # tuned on too
    by_language = Counter(c.language for c in test)
    assert len(test) >= 50 and by_language["en"] >= 25 and by_language["zh"] >= 25
    covered = {c.id for c in test}
    rows = [line for line in (PACKAGE_ROOT / "evals" / "SECTIONS.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith(("| guide", "|---", "| ---"))]
    assert len(rows) >= 60  # every ## and ### section of the five guides
    for row in rows:
        ids = set(re.findall(r"t-(?:en|zh)-[\w-]+", row))
        assert ids and ids <= covered, row


def test_the_golden_set_meets_its_minimums():
    cases = load_cases(CASES)
    by_language = Counter(c.language for c in cases)
    by_kind = Counter(c.kind for c in cases)
    assert len(cases) >= 60 and by_language["en"] >= 25 and by_language["zh"] >= 25
    assert by_kind["refusal"] >= 8 and by_kind["followup"] >= 5 and by_kind["plan"] >= 5 and by_kind["paper"] >= 3
    assert all(c.expect_refusal == (c.kind == "refusal") for c in cases)
    assert all(len(c.turns) > 1 for c in cases if c.kind == "followup")
    docs = {p.stem for p in (PACKAGE_ROOT / "corpus").rglob("*.md")}
    assert {d for c in cases for d in c.expected_docs} <= docs


@pytest.mark.parametrize("text, problem", [
    ("cases: []", "non-empty list"),
    ("cases:\n  - {question: q, language: en, kind: answer}", "no id"),
    ("cases:\n  - {id: a, language: en, kind: answer}", "no question"),
    ("cases:\n  - {id: a, question: q, language: fr, kind: answer}", "language 'fr' is not one of en, zh"),
    ("cases:\n  - {id: a, question: q, language: en, kind: chat}", "kind"),
    ("cases:\n  - {id: a, question: q, language: en, kind: answer}\n  - {id: a, question: q, language: en, kind: answer}", "duplicate"),
    ("cases:\n  - {id: a, question: q, language: en, kind: paper, expect_plan: {data: x}}", "expect_plan keys"),
    ("cases: [unclosed", "cannot be read"),
])
def test_bad_cases_files_are_named_errors(tmp_path, text, problem):
    path = tmp_path / "cases.yaml"
    path.write_text(text)
    with pytest.raises(EvalError, match=problem):
        load_cases(path)


def test_a_missing_cases_file_is_named_with_the_fix_to_check_its_path(tmp_path):
    with pytest.raises(EvalError, match="absent.yaml does not exist") as raised:
        load_cases(tmp_path / "absent.yaml")
    assert raised.value.hint.startswith("Check the path")


def eval_cli(*args):
    from rag.cli import main

    result = CliRunner().invoke(main, ["eval", *map(str, args)])
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    return result


@pytest.mark.parametrize("content, problem", [
    (None, "does not exist"),
    ("[1,2", "is not valid JSON (Expecting ',' delimiter at line 1, column 5)"),
    ("[1, 2]", "is not a JSON object of metrics"),
    ('{"retrieval.system.hit@3": "high", "answers.grounding": true}',
     "has values that are not numbers: retrieval.system.hit@3, answers.grounding"),
    ('{"hit@3": 0.9}', "names none of the metrics the eval checks"),
])
def test_a_missing_or_malformed_baseline_is_named_before_the_model_loads(tmp_path, isolated_home, content, problem):
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_text(content)
    result = eval_cli("--cases", tmp_path / "cases.yaml", "--baseline", baseline)
    assert result.exit_code == 1 and f"Error: The baseline file {baseline} {problem}" in result.output, result.output
    assert "Fix: " in result.output and not (isolated_home / "models").exists()


def test_the_golden_sets_baseline_must_exist_and_a_missing_cases_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTOR_EVAL_BASELINE", str(tmp_path / "gone.json"))
    result = eval_cli()
    assert result.exit_code == 1 and f"The baseline file {tmp_path / 'gone.json'} does not exist." in result.output
    absent = eval_cli("--cases", tmp_path / "absent.yaml")
    assert absent.exit_code == 1 and f"The eval cases file {tmp_path / 'absent.yaml'} does not exist." in absent.output
    assert "Fix: Check the path" in absent.output


@pytest.mark.parametrize("embedder, name", [("onnx", "baseline.json"), ("sentence-transformers", "baseline.json"),
                                             ("onnx-int8", "baseline.onnx-int8.json")])
def test_each_embedder_is_compared_with_its_own_committed_baseline(embedder, name, tmp_path):
    from rag.cli.eval_command import chosen_baseline
    from rag.config import PACKAGE_ROOT, Settings

    settings = Settings.from_env({"MENTOR_EMBEDDER": embedder})
    path, metrics = chosen_baseline(settings, None, None, False)
    assert path == PACKAGE_ROOT / "evals" / name and metrics  # the file is committed and holds checked metrics
    given = Settings.from_env({"MENTOR_EMBEDDER": embedder, "MENTOR_EVAL_BASELINE": str(tmp_path / "mine.json")})
    assert given.resolved_eval_baseline == tmp_path / "mine.json"  # one named is used as named


def test_write_baseline_with_a_cases_file_never_writes_the_golden_sets_baseline(tmp_path, monkeypatch):
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    golden = tmp_path / "golden.json"
    golden.write_text('{"retrieval.system.hit@3": 0.97}\n')
    monkeypatch.setenv("MENTOR_EVAL_BASELINE", str(golden))
    for named in ([], ["--baseline", golden]):
        result = eval_cli("--cases", tmp_path / "cases.yaml", "--write-baseline", *named)
        assert result.exit_code == 1 and "does not write the golden set's baseline" in result.output, result.output
        assert "Fix: Give --baseline FILE to write this set's baseline to a file of its own" in result.output
    assert golden.read_text() == '{"retrieval.system.hit@3": 0.97}\n'
    nowhere = eval_cli("--cases", tmp_path / "cases.yaml", "--write-baseline", "--baseline", tmp_path / "no" / "b.json")
    assert nowhere.exit_code == 1 and "which does not exist" in nowhere.output


def test_eval_takes_its_backend_from_mentor_llm_backend_as_ask_does(tmp_path, monkeypatch):
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    monkeypatch.setenv("MENTOR_LLM_BACKEND", "no-such-backend")
    result = eval_cli("--cases", tmp_path / "cases.yaml")
    assert result.exit_code == 1 and "There is no answer backend called 'no-such-backend'" in result.output
    assert "MENTOR_LLM_BACKEND" in eval_cli("--help").output


def test_cited_at_3_counts_the_first_three_sources_the_learner_sees():
    from rag.evals.scoring import CaseResult
    from rag.evals.summary import summarize

    def case(language, cited, **kw):
        return CaseResult("c", "q", language, "answer", ["guide"], False, cited_docs=cited, **kw)

    rows = [case("en", ["note", "other", "guide"]), case("en", ["note", "a", "b", "guide"]),  # [4] comes too late
            case("zh", ["guide"]), case("zh", [], refused=True)]  # a wrong refusal cites nothing
    cited = summarize(rows)["citations_by_language"]
    assert cited == {"en": {"cited@3": 0.5, "n": 2}, "zh": {"cited@3": 0.5, "n": 2}}


def test_checks_compare_with_targets_and_baseline():
    summary = {"retrieval": {"system": {"hit@3": 0.95, "mrr": 0.85, "ndcg@10": 0.8}},
               "retrieval_by_language": {"en": {"hit@3": 1.0, "mrr": 0.9}, "zh": {"hit@3": 0.91, "mrr": 0.82}},
               "citations_by_language": {"en": {"cited@3": 0.93}, "zh": {"cited@3": 0.9}},
               "evidence": {"chunk_hit@3": 0.7},
               "answers": {"citation_validity": 1.0, "grounding": 1.0, "refusal_accuracy": 1.0, "language_match": 1.0,
                           "keyword_coverage": 0.8, "forbidden_rate": 0.0, "alignment_validity": 1.0,
                           "evidence_language": 0.97, "answer_relevance": 0.6, "point_precision": 0.5}}
    assert all(c["ok"] for c in run_checks(summary, baseline_values(summary)) if c["gate"])
    worse = json.loads(json.dumps(summary))
    worse["retrieval"]["system"]["ndcg@10"] = 0.77  # no target, but 0.03 under the baseline
    worse["answers"]["forbidden_rate"] = 0.01
    worse["citations_by_language"]["zh"]["cited@3"] = 0.87  # the sources a learner sees slip
    failed = {c["metric"]: c["why"] for c in run_checks(worse, baseline_values(summary)) if not c["ok"] and c["gate"]}
    assert set(failed) == {"retrieval.system.ndcg@10", "answers.forbidden_rate", "citations_by_language.zh.cited@3"}
    targets = {c["metric"]: c["ok"] for c in run_checks(summary, None) if not c["gate"]}
    assert targets["citations_by_language.en.cited@3"] and not targets["citations_by_language.zh.cited@3"]
    assert "below the baseline 0.8" in failed["retrieval.system.ndcg@10"]


@pytest.fixture
def unreachable_thresholds():
    """Every language pack asks for support no answer has: a deliberate regression (restored afterwards)."""
    from rag.lang import Thresholds, registry

    originals = registry.packs()
    for pack in originals:
        unreachable = Thresholds(min_similarity=2.0, sure_similarity=2.0, min_lexical=99.0)
        registry.register(replace(pack, thresholds=unreachable, int8_thresholds=unreachable))  # whichever embedder
    yield
    for pack in originals:
        registry.register(pack)


@pytest.mark.slow
def test_run_eval_writes_the_report(corpus_index, tmp_path):
    settings, reader = corpus_index
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    report = run_eval(Pipeline(reader, settings), {"cases": tmp_path / "cases.yaml"}, tmp_path / "out")
    assert report["n_cases"] == 5 and report["passed"], report["checks"]
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"report.json", "report.md", "retrieval.png", "answers.png"}
    assert set(report["summary"]["retrieval"]) == {"system", "hybrid", "dense", "bm25"}
    rows = {c["id"]: c for c in report["cases"]}
    assert rows["en-banana"]["refused"] and rows["zh-phd"]["hit_rank"] == 1 and rows["en-after-python"]["rouge_l"] > 0
    assert "# Eval report — PASSED" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_dense_and_bm25_ablations_are_run_on_the_gate_split_only(corpus_index, tmp_path):
    settings, reader = corpus_index
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    splits = {"dev": tmp_path / "cases.yaml", "test": tmp_path / "cases.yaml"}
    report = run_eval(Pipeline(reader, settings), splits, tmp_path / "out")
    assert set(report["splits"]["dev"]["retrieval"]) == {"system", "hybrid"}
    assert set(report["summary"]["retrieval"]) == {"system", "hybrid", "dense", "bm25"}
    dev_rows = [row for row in report["cases"] if row["split"] == "dev" and row["expected_docs"]]
    test_rows = [row for row in report["cases"] if row["split"] == "test" and row["expected_docs"]]
    assert dev_rows and all(set(row["retrieved"]) == {"system", "hybrid"} for row in dev_rows)
    assert all(set(row["retrieved"]) == {"system", "hybrid", "dense", "bm25"} for row in test_rows)
    assert report["summary"]["gap"]["hit@3"] == 0.0


@pytest.mark.slow
def test_eval_scores_the_hits_the_answering_pipeline_used(corpus_index, tmp_path):
    settings, reader = corpus_index
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    pipeline = Pipeline(reader, settings)
    report = run_eval(pipeline, {"cases": tmp_path / "cases.yaml"}, tmp_path / "out")
    for row, case in zip(report["cases"], load_cases(tmp_path / "cases.yaml")):
        if case.expected_docs:
            asked = pipeline.ask(case.question, list(case.turns[:-1]))
            assert row["retrieved"]["system"] == [h.doc_id for h in asked.hits], case.id
            assert row["route"] == asked.route
    routes = {row["id"]: row["route"] for row in report["cases"]}
    assert routes["zh-phd"] == "search" and routes["en-after-python"] == "next" and routes["en-banana"] == "refusal"


@pytest.mark.slow
def test_a_deliberate_regression_fails_the_eval(corpus_index, tmp_path, request):
    settings, reader = corpus_index
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    good = run_eval(Pipeline(reader, settings), {"cases": tmp_path / "cases.yaml"}, tmp_path / "good")
    request.getfixturevalue("unreachable_thresholds")
    bad = run_eval(Pipeline(reader, settings), {"cases": tmp_path / "cases.yaml"}, tmp_path / "bad",
                   baseline=baseline_values(good["summary"]))
    assert not bad["passed"]
    assert {c["metric"] for c in bad["checks"] if not c["ok"]} >= {"answers.refusal_accuracy"}


@pytest.mark.slow
def test_a_regression_fails_the_eval_from_the_command_line(corpus_index, tmp_path, monkeypatch):
    from rag.cli import main

    settings, reader = corpus_index
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    good = run_eval(Pipeline(reader, settings), {"cases": tmp_path / "cases.yaml"}, tmp_path / "good")
    (tmp_path / "baseline.json").write_text(json.dumps(baseline_values(good["summary"])))
    monkeypatch.setenv("MENTOR_HOME", str(settings.home))
    monkeypatch.setenv("MENTOR_MODEL", str(settings.model_dir))
    monkeypatch.setenv("MENTOR_SOURCES_PER_ANSWER", "1")
    args = ["eval", "--cases", str(tmp_path / "cases.yaml"), "--out", str(tmp_path / "cli"), "--baseline", str(tmp_path / "baseline.json")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "FAILED " in result.output  # one point per answer: fewer expected keywords than the baseline's answers


@pytest.mark.slow
def test_a_cases_file_of_ones_own_is_checked_on_a_baseline_only_when_named(corpus_index, tmp_path, monkeypatch):
    from rag.evals.baseline import read_baseline
    from rag.evals.thresholds import CHECKS

    settings, _ = corpus_index
    (tmp_path / "cases.yaml").write_text(MINI, encoding="utf-8")
    golden = tmp_path / "golden.json"  # numbers no run reaches: a run compared with them fails
    golden.write_text(json.dumps({c.metric: 2.0 for c in CHECKS}))
    before = golden.read_text()
    for name, value in (("HOME", settings.home), ("MODEL", settings.model_dir), ("EVAL_BASELINE", golden)):
        monkeypatch.setenv(f"MENTOR_{name}", str(value))
    own = eval_cli("--cases", tmp_path / "cases.yaml", "--out", tmp_path / "own")
    assert own.exit_code == 0 and "against the thresholds only" in own.output, own.output
    named = eval_cli("--cases", tmp_path / "cases.yaml", "--out", tmp_path / "named", "--baseline", golden)
    assert named.exit_code == 1 and f"against the thresholds and the baseline {golden}" in named.output
    assert "below the baseline 2.0" in named.output
    written = eval_cli("--cases", tmp_path / "cases.yaml", "--out", tmp_path / "w", "--baseline", tmp_path / "mine.json",
                       "--write-baseline")
    assert written.exit_code == 0 and f"Baseline written: {tmp_path / 'mine.json'}" in written.output
    report = json.loads((tmp_path / "w" / "report.json").read_text(encoding="utf-8"))
    assert read_baseline(tmp_path / "mine.json") == baseline_values(report["summary"])
    assert golden.read_text() == before
