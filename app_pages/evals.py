"""The Evals page: the latest eval report against the baseline, a button to run the set, and feedback export."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app_pages._shared import guarded, pipeline, settings, t
from rag.app import feedback, tables


def show_report(report: dict, folder: Path, baseline: dict) -> None:
    st.subheader(t("report"))
    flat = tables.flatten(report.get("summary", {}))
    passed = report.get("passed")
    st.badge(t("passed") if passed else t("failed"), color="green" if passed else "red")
    st.caption(f"{report.get('created_at', '')} · {report.get('backend', '')} · {t('n_cases', n=report.get('n_cases', 0))}")
    present = tables.headline(flat)
    for row in range(0, len(present), 4):
        for col, (name, label) in zip(st.columns(4), present[row:row + 4]):
            before = baseline.get(name)
            col.metric(label, f"{flat[name]:.3g}", None if before is None else f"{flat[name] - before:+.3g}",
                       delta_color="inverse" if any(w in name for w in tables.LOWER_IS_BETTER) else "normal")
    st.subheader(t("checks"))
    st.dataframe(report.get("checks", []), hide_index=True)
    st.subheader(t("cases"))
    st.dataframe([{k: c.get(k) for k in ("passed", "split", "id", "language", "kind", "question", "answer", "hit_rank",
                                         "latency_ms")} | {"failures": "; ".join(c.get("failures", []))}
                  for c in report.get("cases", [])], hide_index=True)
    for chart in tables.chart_files(report, folder):
        st.image(str(chart), caption=chart.name)
    if baseline:
        st.subheader(t("baseline"))
        st.dataframe(tables.baseline_rows(flat, baseline), hide_index=True)


def run_button(out_dir: Path, baseline: dict) -> None:
    if st.button(t("run_eval"), key="run-eval"):
        from rag.evals.runner import run_eval

        bar = st.progress(0.0)

        def run() -> None:
            run_eval(pipeline(), {"dev": settings().eval_dev, "test": settings().eval_test}, out_dir, baseline=baseline or None,
                     progress=lambda done, total: bar.progress(min(done / total, 1.0) if total else 1.0,
                                                               text=f"{done}/{total}"))
            st.rerun()

        guarded(run)


def page() -> None:
    s = settings()
    report, baseline = tables.load_json(s.eval_report), tables.load_json(s.resolved_eval_baseline) or {}
    if report is None:
        st.info(t("no_report"))
    else:
        show_report(report, s.eval_report.parent, baseline)
    run_button(s.eval_report.parent, baseline)
    st.subheader(t("feedback"))
    db = s.home / feedback.FILE_NAME
    rows = feedback.list_feedback(db)
    if rows:
        st.dataframe(rows, hide_index=True)
        st.download_button(t("export"), feedback.export_csv(db), file_name="feedback.csv", mime="text/csv",
                           key="feedback-csv", on_click="ignore", icon=":material/download:")
    else:
        st.caption(t("no_feedback"))


guarded(page)
