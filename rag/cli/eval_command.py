"""`mentor eval`: the golden set through the answering pipeline; exit 1 when a check fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..config import Settings
from ..llm import registry as backends
from .base import examples, handled
from .progress import RunProgress


@click.command("eval", epilog=examples(
    "mentor eval",
    "mentor eval --cases evals/dev.yaml --out /tmp/report   # one split alone",
    "MENTOR_RETRIEVAL_MODE=dense mentor eval     # see a regression fail the checks",
    "mentor eval --write-baseline                 # accept the current numbers as the baseline",
))
@click.option("--cases", type=click.Path(dir_okay=False), default=None,
              help="One cases file to run and check alone (default: evals/dev.yaml beside evals/test.yaml, checked on test).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Report folder (default evals/reports/latest).")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, help="Baseline file (default evals/baseline.json).")
@click.option("--backend", type=click.Choice(backends.names()), default=backends.EMBEDDED, show_default=True,
              help="Who writes the answers (an LLM that fails falls back to embedded).")
@click.option("--write-baseline", is_flag=True, help="Write this run's metrics as the new baseline.")
@handled
def eval_command(cases: str | None, out: str | None, baseline: str | None, backend: str, write_baseline: bool) -> None:
    """Run the golden eval set; print the summary; exit 1 when a check fails.

    Every case is asked through the same pipeline as `mentor ask`. Retrieval
    (hit@1/3/5, MRR, nDCG@10 of the answer's hits; hybrid, dense and BM25 in one
    run, by language) and answers (citation validity, grounding, keywords,
    refusals, language, ROUGE-L, latency). Writes report.json, report.md, charts.
    """
    from ..engine import open_pipeline
    from ..evals.runner import baseline_values, run_eval
    from ..llm.backends import backend_for

    settings = Settings.from_env()
    splits = {"cases": Path(cases)} if cases else {"dev": settings.eval_dev, "test": settings.eval_test}
    out_dir = Path(out) if out else settings.eval_report.parent
    baseline_path = Path(baseline) if baseline else settings.eval_baseline
    base = json.loads(baseline_path.read_text()) if baseline_path.is_file() and not write_baseline else None
    writer = backend_for(backend, settings)
    pipeline = open_pipeline(settings)
    progress = RunProgress(sys.stderr, "Evaluating", "case")  # a bar on a terminal, else a few lines
    try:
        report = run_eval(pipeline, splits, out_dir, writer, progress=progress, baseline=base)
    finally:
        progress.close()
    s = report["summary"]
    click.echo(f"Checked on the {report['gate']} split" + (" (dev beside it: "
               + " ".join(f"hit@3 {name} {sp['retrieval']['system']['hit@3']:.3f}" for name, sp in report["splits"].items())
               + ")" if len(report["splits"]) > 1 else ""))
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
        baseline_path.write_text(json.dumps(baseline_values(s), indent=1) + "\n")
        click.echo(f"Baseline written: {baseline_path}")
    if failed:
        sys.exit(1)
