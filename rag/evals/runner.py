"""Run the golden eval set through the answering pipeline: the dev split (the only one tuned on) and the
held-out test split side by side, checked on the gate split (test), reported and charted.

Every case is asked exactly as a learner's question is (`Pipeline.stream`, with the configured writer);
retrieval is scored on the hits that answer came from, for the configured mode ("system") and, on the gate
split only, with the same pipeline on other settings, for hybrid, dense-only and BM25-only retrieval (asking every
dev case three ways would triple the eval's time for figures no check reads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..answer.pipeline import Pipeline
from .cases import load_cases
from .scoring import evaluate_case
from .summary import MODES, baseline_values, lookup, run_checks, summarize

__all__ = ["baseline_values", "lookup", "run_checks", "run_eval", "summarize"]


def run_eval(pipeline: Pipeline, splits: dict[str, Path], out_dir: Path, writer: Any = None,
             progress: Callable[[int, int], None] | None = None, baseline: dict[str, float] | None = None,
             gate: str | None = None) -> dict:
    """Evaluate every case of every split with `pipeline` (and `writer`, an LLM backend or None); check the
    `gate` split (default: the last) against thresholds and `baseline`; write report.json, report.md and charts
    into `out_dir`; return the report."""
    from .report import write_report

    loaded = {name: load_cases(path) for name, path in splits.items()}
    gate = gate or list(splits)[-1]
    system = pipeline.settings.retrieval_mode
    ablations = {mode: pipeline if mode == system else Pipeline(pipeline.reader, replace(pipeline.settings, retrieval_mode=mode),
                                                                pipeline.today) for mode in MODES}
    total, done, rows, summaries = sum(len(c) for c in loaded.values()), 0, [], {}
    for name, cases in loaded.items():
        pipelines = ablations if name == gate else {system: pipeline}
        results = []
        for case in cases:
            results.append(evaluate_case(case, pipelines, system, writer))
            done += 1
            if progress:
                progress(done, total)
        summaries[name] = summarize(results)
        rows += [r.to_dict() | {"split": name} for r in results]
    summary = dict(summaries[gate])
    if "dev" in summaries and gate != "dev":  # how much better the tuned split looks than the held-out one
        summary["gap"] = {"hit@3": round(lookup(summaries["dev"], "retrieval.system.hit@3") -
                                         lookup(summary, "retrieval.system.hit@3"), 4)}
    checks = run_checks(summary, baseline)
    report = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cases_file": ", ".join(f"{name}: {path.name}" for name, path in splits.items()),
        "backend": writer.name if writer else "embedded",
        "n_cases": len(rows),
        "gate": gate,
        "retrieval_mode": system,
        "passed": all(c["ok"] for c in checks if c["gate"]),
        "summary": summary,
        "splits": summaries,
        "checks": checks,
        "cases": rows,
    }
    report["charts"] = write_report(report, Path(out_dir))
    return report
