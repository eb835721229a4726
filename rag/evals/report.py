"""Write an eval report: report.json, report.md (tables, failing and worst cases) and PNG charts.

Presentation only; the numbers come from `runner`. Charts use matplotlib's
Agg backend, so no display is needed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RETRIEVAL_METRICS = ("hit@1", "hit@3", "hit@5", "mrr", "ndcg@10")
ANSWER_RATES = ("citation_validity", "grounding", "keyword_coverage", "evidence_language", "answer_relevance",
                "point_precision", "refusal_accuracy", "language_match")


def write_report(report: dict, out_dir: Path) -> list[str]:
    """Write every file of the report into `out_dir`; return the chart file names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = write_charts(report["summary"], out_dir)
    report = {**report, "charts": charts}
    _atomic(out_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=1))
    _atomic(out_dir / "report.md", markdown(report))
    return charts


def _atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join("" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |")
    return lines


def markdown(report: dict) -> str:
    s = report["summary"]
    lines = [f"# Eval report — {'PASSED' if report['passed'] else 'FAILED'}", "",
             f"{report['n_cases']} cases ({report['cases_file']}) · checked on `{report['gate']}` · backend "
             f"`{report['backend']}` · retrieval `{report.get('retrieval_mode', 'hybrid')}` · {report['created_at']}", ""]
    splits = report.get("splits", {})
    if len(splits) > 1:  # the tuned split beside the held-out one
        names = list(splits)
        rows = [["hit@3 (system)", *(sp["retrieval"]["system"]["hit@3"] for sp in splits.values())],
                ["MRR (system)", *(sp["retrieval"]["system"]["mrr"] for sp in splits.values())],
                *[[f"hit@3, {lang}", *(sp["retrieval_by_language"].get(lang, {}).get("hit@3") for sp in splits.values())]
                  for lang in s["retrieval_by_language"]],
                *[[f"cited@3, {lang}", *(sp["citations_by_language"].get(lang, {}).get("cited@3") for sp in splits.values())]
                  for lang in s["citations_by_language"]],
                *[[k, *(sp["answers"].get(k) for sp in splits.values())] for k in ANSWER_RATES]]
        lines += ["## Splits side by side", ""] + _table(["metric", *names], rows) + [""]
    lines += ["## Retrieval", ""]
    lines += _table(["retrieval", *RETRIEVAL_METRICS, "n"],
                    [[mode, *(m[k] for k in RETRIEVAL_METRICS), m["n"]] for mode, m in s["retrieval"].items()])
    lines += ["", "By language (system retrieval):", ""]
    lines += _table(["language", *RETRIEVAL_METRICS, "n"],
                    [[lang, *(m[k] for k in RETRIEVAL_METRICS), m["n"]] for lang, m in s["retrieval_by_language"].items()])
    lines += ["", "An expected document among the answer's first three sources, by language: " +
              ", ".join(f"{lang} {m['cited@3']} (n={m['n']})" for lang, m in s["citations_by_language"].items()), ""]
    lines += ["", "## Answers", ""]
    lines += _table(["metric", "value"], [[k, v] for k, v in s["answers"].items()])
    lines += ["", "## Checks", ""]
    lines += _table(["metric", "value", "min", "max", "baseline", "ok", "gate or target", "why"],
                    [[c["metric"], c["value"], c["min"], c["max"], c["baseline"], "✅" if c["ok"] else "❌",
                      "gate" if c.get("gate", True) else "target", c["why"]] for c in report["checks"]])
    failing = [c for c in report["cases"] if not c["passed"]]
    lines += ["", f"## Failing cases ({len(failing)})", ""]
    for case in failing or []:
        lines += [f"### {case['id']} ({case.get('split', '')}, {case['language']}, {case['kind']})", f"Q: {case['question']}", "",
                  "Why: " + "; ".join(case["failures"]), "", "```", case["answer"][:800], "```", ""]
    worst = sorted((c for c in report["cases"] if c["passed"] and c.get("hit_rank")), key=lambda c: -c["hit_rank"])[:5]
    if worst:
        lines += ["## Passing cases with the lowest-ranked expected doc", ""]
        lines += _table(["case", "hit rank", "retrieved"], [[c["id"], c["hit_rank"], ", ".join(c["retrieved_docs"][:3])] for c in worst])
    return "\n".join(lines) + "\n"


def write_charts(summary: dict, out_dir: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []

    def bars(title: str, groups: dict[str, dict], metrics: tuple[str, ...], name: str) -> None:
        fig, ax = plt.subplots(figsize=(8, 3.6), dpi=110)
        width = 0.8 / max(1, len(groups))
        for i, (label, values) in enumerate(groups.items()):
            xs = [j + i * width for j in range(len(metrics))]
            ax.bar(xs, [values.get(m) or 0 for m in metrics], width, label=label)
        ax.set_xticks([j + width * (len(groups) - 1) / 2 for j in range(len(metrics))], metrics, fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.set_title(title)
        ax.legend(fontsize=8, loc="lower right")
        ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        fig.savefig(out_dir / name)
        plt.close(fig)
        names.append(name)

    retrieval = {k: v for k, v in summary["retrieval"].items() if k != "system"}
    bars("Retrieval: hybrid vs dense vs BM25", retrieval, RETRIEVAL_METRICS, "retrieval.png")
    bars("Retrieval by question language", summary["retrieval_by_language"], RETRIEVAL_METRICS, "by_language.png")
    bars("Answers", {"embedded": summary["answers"]}, ANSWER_RATES, "answers.png")
    return names
