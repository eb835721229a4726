"""Evals: the golden cases, the runner that asks them through the pipeline, metrics, report, thresholds."""
