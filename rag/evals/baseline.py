"""A baseline file (evals/baseline.json): the flat {metric: number} an eval run is compared with, read and checked,
and written whole.

Which file a run compares with, or writes, is the caller's choice (`mentor eval`); nothing here picks one.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from ..errors import EvalError
from .summary import baseline_values
from .thresholds import CHECKS

PATH_FIX = ("Check the path given with --baseline (or MENTOR_EVAL_BASELINE); `mentor eval --write-baseline` writes "
            "a baseline from a run.")
FORMAT_FIX = ("A baseline is a JSON object of metric names and numbers, as `mentor eval --write-baseline` writes it: "
              "fix the file, give another with --baseline, or write it anew with `mentor eval --write-baseline`.")
WRITE_FIX = "Give --baseline a file in a folder you can write."


def read_baseline(path: Path) -> dict[str, float]:
    """The metrics in the baseline file `path`; an EvalError says what is wrong with a missing or malformed one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalError(f"The baseline file {path} does not exist.", PATH_FIX) from None
    except OSError as err:
        raise EvalError(f"The baseline file {path} cannot be read: {err.strerror}.", PATH_FIX) from err
    except UnicodeDecodeError:
        raise EvalError(f"The baseline file {path} is not UTF-8 text.", FORMAT_FIX) from None
    except json.JSONDecodeError as err:
        raise EvalError(f"The baseline file {path} is not valid JSON ({err.msg} at line {err.lineno}, column "
                        f"{err.colno}).", FORMAT_FIX) from None
    if not isinstance(data, dict):
        raise EvalError(f"The baseline file {path} is not a JSON object of metrics.", FORMAT_FIX)
    odd = [name for name, value in data.items() if not _number(value)]
    if odd:
        raise EvalError(f"The baseline file {path} has values that are not numbers: {', '.join(odd[:5])}"
                        f"{' …' if len(odd) > 5 else ''}.", FORMAT_FIX)
    if not set(data) & {check.metric for check in CHECKS}:
        raise EvalError(f"The baseline file {path} names none of the metrics the eval checks "
                        f"(such as {CHECKS[0].metric}).", FORMAT_FIX)
    return {name: float(value) for name, value in data.items()}


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_writable(path: Path) -> None:
    """Raise an EvalError when a baseline cannot be written at `path` (asked before a run, not after it)."""
    folder = path.parent
    problem = ("is a folder" if path.is_dir()
               else f"is in {folder}, which does not exist" if not folder.exists()
               else f"is in {folder}, which is not a folder" if not folder.is_dir()
               else f"is in {folder}, which this user cannot write" if not os.access(folder, os.W_OK) else "")
    if problem:
        raise EvalError(f"The baseline cannot be written: {path} {problem}.", WRITE_FIX)


def save_baseline(path: Path, summary: dict) -> None:
    """Write the summary's checked metrics to `path` whole (a run cut short leaves the old file as it was)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(baseline_values(summary), indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:
        raise EvalError(f"The baseline cannot be written to {path}: {err.strerror}.", WRITE_FIX) from err
