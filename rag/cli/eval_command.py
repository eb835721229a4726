"""`mentor eval`: the golden set through the answering pipeline; exit 1 when a check fails."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import Settings
from ..errors import EvalError
from ..llm import registry as backends
from .base import examples, handled
from .progress import RunProgress


@click.command("eval", epilog=examples(
    "mentor eval",
    "mentor eval --cases evals/dev.yaml --out /tmp/report   # one split alone, against the thresholds only",
    "mentor eval --cases my.yaml --baseline my-baseline.json --write-baseline   # a baseline of your own set",
    "MENTOR_RETRIEVAL_MODE=dense mentor eval     # see a regression fail the checks",
    "mentor eval --write-baseline                 # accept the current numbers as the baseline",
    "MENTOR_EMBEDDER=onnx-int8 mentor eval        # int8 vectors, against their own baseline",
))
@click.option("--cases", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Run this cases file alone, checked against the thresholds, and against a baseline only when "
                   "--baseline names one (default: evals/dev.yaml beside evals/test.yaml, checked on test against "
                   "the baseline).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Report folder (default evals/reports/latest).")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Baseline file to compare with, which must exist (default MENTOR_EVAL_BASELINE, else the "
                   "embedder's: evals/baseline.json, evals/baseline.onnx-int8.json with MENTOR_EMBEDDER=onnx-int8; "
                   "none with --cases); with --write-baseline, the file to write.")
@click.option("--backend", type=click.Choice(backends.names()), default=None,
              help="Who writes the answers (default MENTOR_LLM_BACKEND, else embedded); an LLM that fails falls back "
                   "to embedded.")
@click.option("--write-baseline", is_flag=True,
              help="Write this run's metrics as the new baseline (with --cases, only to a --baseline FILE of its own).")
@handled
def eval_command(cases: str | None, out: str | None, baseline: str | None, backend: str | None,
                 write_baseline: bool) -> None:
    """Run the golden eval set; print the summary; exit 1 when a check fails.

    Every case is asked through the same pipeline as `mentor ask`. Retrieval
    (hit@1/3/5, MRR, nDCG@10 of the answer's hits; hybrid, dense and BM25 in one
    run, by language) and answers (citation validity, grounding, keywords,
    refusals, language, ROUGE-L, latency). Writes report.json, report.md, charts.
    The golden set is checked against the thresholds and the baseline; a cases
    file of your own against the thresholds, and against a baseline only when
    --baseline names one.
    """
    from ..engine import open_pipeline
    from ..evals.baseline import save_baseline
    from ..evals.cases import load_cases
    from ..evals.runner import run_eval
    from ..llm.backends import backend_for

    settings = Settings.from_env()
    splits = {"cases": Path(cases)} if cases else {"dev": settings.eval_dev, "test": settings.eval_test}
    for path in splits.values():
        load_cases(path)  # fail fast, before loading the model: a missing or malformed cases file
    out_dir = Path(out) if out else settings.eval_report.parent
    baseline_path, base = chosen_baseline(settings, cases, baseline, write_baseline)
    writer = backend_for(backend or settings.llm_backend, settings)
    pipeline = open_pipeline(settings)
    progress = RunProgress(sys.stderr, "Evaluating", "case")  # a bar on a terminal, else a few lines
    try:
        report = run_eval(pipeline, splits, out_dir, writer, progress=progress, baseline=base)
    finally:
        progress.close()
    s = report["summary"]
    compared = (f"the thresholds and the baseline {baseline_path}" if base is not None
                else "the thresholds only (this run writes the baseline)" if write_baseline
                else "the thresholds only (--baseline FILE compares a cases file of your own with a baseline)")
    click.echo(f"Checked on the {report['gate']} split" + (" (dev beside it: "
               + " ".join(f"hit@3 {name} {sp['retrieval']['system']['hit@3']:.3f}" for name, sp in report["splits"].items())
               + ")" if len(report["splits"]) > 1 else "") + f" against {compared}")
    click.echo(f"{'retrieval':<10} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6} {'nDCG@10':>8}")
    rows = list(s["retrieval"].items()) + [(f"  {k}", v) for k, v in s["retrieval_by_language"].items()]
    for name, m in rows:
        click.echo(f"{name:<10} {m['hit@1']:>6.3f} {m['hit@3']:>6.3f} {m['hit@5']:>6.3f} {m['mrr']:>6.3f} {m['ndcg@10']:>8.3f}")
    for lang, m in s["citations_by_language"].items():
        click.echo(f"{'cited@3, ' + lang:<20} {m['cited@3']:>8.3f}")
    click.echo(f"{'evidence chunk hit@3':<20} {s['evidence']['chunk_hit@3']:>8.3f}")
    for name, value in s["answers"].items():
        click.echo(f"{name:<20} {value:>8.3f}" if isinstance(value, float) else f"{name:<20} {value:>8}")
    failed = [c for c in report["checks"] if not c["ok"] and c["gate"]]
    for c in report["checks"]:
        if not c["gate"]:
            click.echo(f"{'target met' if c['ok'] else 'TARGET MISSED'}: {c['metric']} = {c['value']}"
                       + (f" ({c['why']})" if c["why"] else ""))
    for c in failed:
        click.secho(f"FAILED {c['metric']} = {c['value']}: {c['why']}", fg="red", err=True)
    bad_cases = [c["id"] for c in report["cases"] if not c["passed"]]
    click.echo(f"{report['n_cases'] - len(bad_cases)}/{report['n_cases']} cases passed; report: {out_dir / 'report.md'}")
    if write_baseline:
        save_baseline(baseline_path, s)
        click.echo(f"Baseline written: {baseline_path}")
    if failed:
        sys.exit(1)


def chosen_baseline(settings: Settings, cases: str | None, baseline: str | None,
                    write_baseline: bool) -> tuple[Path | None, dict[str, float] | None]:
    """The baseline file a run compares with or writes (None: neither), and its metrics (None: not compared).

    The golden set's baseline (MENTOR_EVAL_BASELINE, else the embedder's) holds the test split's numbers: a
    cases file of your own is compared with a baseline, or writes one, only when --baseline names the file, and
    never writes the golden set's. Checked before the run, so a wrong file costs no eval run.
    """
    from ..evals.baseline import check_writable, read_baseline

    golden = settings.resolved_eval_baseline
    path = Path(baseline) if baseline else None if cases else golden
    if write_baseline and cases and (path is None or path.resolve() == golden.resolve()):
        raise EvalError(f"--write-baseline with --cases does not write the golden set's baseline {golden}: it holds "
                        f"the test split's numbers, not those of {cases}.",
                        "Give --baseline FILE to write this set's baseline to a file of its own, or leave out --cases "
                        "to write the golden set's.")
    if path is None:
        return None, None
    if write_baseline:
        check_writable(path)
        return path, None
    return path, read_baseline(path)
