"""Tables and report figures for the app: plan rows, timeline bars, headline metrics, baseline deltas.

Pure functions, no Streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

def plan_rows(plan: Any) -> list[dict]:
    """One table row per phase of a plan (rag.plan.Plan)."""
    return [{"#": i, "phase": p.title, "start": p.start_date, "end": p.end_date,
             "weeks": p.end_week - p.start_week + 1, "hours": p.hours or None,
             "resources": "; ".join(r["title"] for r in p.resources), "sources": "".join(f"[{n}]" for n in p.cites)}
            for i, p in enumerate(plan.phases, start=1)]


def timeline_rows(plan: Any) -> list[dict]:
    """Bars for a timeline chart: each phase from its first day to the day after its last."""
    return [{"phase": f"{i}. {p.title}", "start": p.start_date,
             "end": (date.fromisoformat(p.end_date) + timedelta(days=1)).isoformat()}
            for i, p in enumerate(plan.phases, start=1)]


HEADLINE = (("hit@3", "retrieval.system.hit@3", "retrieval.hybrid.hit@3"),
            ("MRR", "retrieval.system.mrr", "retrieval.hybrid.mrr"),
            ("citation validity", "answers.citation_validity"), ("grounding", "answers.grounding"),
            ("refusal accuracy", "answers.refusal_accuracy"), ("language match", "answers.language_match"),
            ("keyword coverage", "answers.keyword_coverage"), ("latency p50 (ms)", "answers.latency_p50_ms"))
LOWER_IS_BETTER = ("latency", "forbidden_rate")


def headline(flat: Mapping[str, float]) -> list[tuple[str, str]]:
    """(metric name, label) of the headline metrics the report has; the first name found of each.

    >>> headline({"retrieval.hybrid.mrr": 0.9, "answers.grounding": 1.0})
    [('retrieval.hybrid.mrr', 'MRR'), ('answers.grounding', 'grounding')]
    """
    found = []
    for label, *names in HEADLINE:
        name = next((n for n in names if n in flat), None)
        if name:
            found.append((name, label))
    return found


def load_json(path: Path) -> Any:
    """A JSON file's content, or None when it does not exist."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested metrics as flat dotted names, the form of evals/baseline.json.

    >>> flatten({"answers": {"grounding": 1.0}, "retrieval": {"hybrid": {"mrr": 0.5}}})
    {'answers.grounding': 1.0, 'retrieval.hybrid.mrr': 0.5}
    """
    flat: dict[str, float] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat


def baseline_rows(current: Mapping[str, float], baseline: Mapping[str, float]) -> list[dict]:
    """Metric, baseline, current and change, for every metric the baseline names."""
    rows = []
    for name, before in sorted(baseline.items()):
        now = current.get(name)
        rows.append({"metric": name, "baseline": before, "current": now,
                     "change": None if now is None else round(now - before, 4)})
    return rows


def chart_files(report: Mapping[str, Any], folder: Path) -> list[Path]:
    """The report's chart files that exist inside its folder (names that escape the folder are ignored)."""
    root = folder.resolve()
    found = []
    for name in report.get("charts", []):
        path = (root / str(name)).resolve()
        if path.is_relative_to(root) and path.is_file():
            found.append(path)
    return found
