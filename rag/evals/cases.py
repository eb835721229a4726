"""The golden eval set's cases: a YAML file of named questions with what a good answer holds (evals/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import EvalError
from ..lang import registry
from ..profile.progress import Progress

KINDS = {"answer", "refusal", "followup", "plan", "paper", "suggestion"}
PLAN_KEYS = {"dataset", "target", "prerequisites"}  # what a paper plan or suggestion must name (`expect_plan`)
PATH_FIX = "Check the path (the golden set is evals/dev.yaml and evals/test.yaml)."


@dataclass(frozen=True)
class Case:
    id: str
    turns: tuple[str, ...]
    language: str
    kind: str
    expected_docs: tuple[str, ...] = ()
    expected_chunks: tuple[str, ...] = ()
    must_include_any: tuple[str, ...] = ()
    must_not_include: tuple[str, ...] = ()
    expect_refusal: bool = False
    reference: str = ""
    profile: Progress | None = None  # the learner's profile the question is asked with (`profile:` in the file)
    expect_plan: dict = field(default_factory=dict)  # {dataset: str, target: str, prerequisites: [str]}

    @property
    def plan_terms(self) -> tuple[str, ...]:
        """Every name the answer must hold for `expect_plan`: the dataset, the target, each prerequisite."""
        plan = self.expect_plan
        return tuple(t for t in (plan.get("dataset"), plan.get("target"), *(plan.get("prerequisites") or ())) if t)

    @property
    def question(self) -> str:
        return self.turns[-1]


def _profile(row: dict) -> Progress | None | str:
    """A case's `profile: {know: [skills], done: [item keys]}` as Progress; a str says what is wrong with it."""
    data = row.get("profile")
    if data is None:
        return None
    lists = [data.get(key, []) for key in ("know", "done")] if isinstance(data, dict) else None
    if lists is None or set(data) - {"know", "done"} or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lists):
        return "a profile that is not {know: [skills], done: [item keys]}"
    return Progress(frozenset(lists[0]), frozenset(lists[1]))


def load_cases(path: Path) -> list[Case]:
    """Read and validate a cases file (schema: evals/README.md)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalError(f"The eval cases file {path} does not exist.", PATH_FIX) from None
    except OSError as err:
        raise EvalError(f"The eval cases file {path} cannot be read: {err.strerror}.",
                        "Check the path and the file's permissions.") from err
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        raise EvalError(f"The eval cases file {path} cannot be read ({type(err).__name__}).") from err
    rows = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise EvalError(f"{path} must have a non-empty list under 'cases'.")
    cases, seen = [], set()
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not row.get("id"):
            raise EvalError(f"{path}: case {i} has no id.")
        turns = row.get("turns") or ([row["question"]] if row.get("question") else [])
        profile = _profile(row)
        problem = (
            "no question or turns" if not turns or not all(isinstance(t, str) and t.strip() for t in turns)
            else f"language {row.get('language')!r} is not one of {', '.join(registry.codes())}"
            if row.get("language") not in registry.codes()
            else f"kind {row.get('kind')!r} is not one of {', '.join(sorted(KINDS))}" if row.get("kind") not in KINDS
            else "a duplicate id" if row["id"] in seen
            else f"expect_plan keys other than {', '.join(sorted(PLAN_KEYS))}"
            if not isinstance(row.get("expect_plan", {}), dict) or set(row.get("expect_plan") or {}) - PLAN_KEYS else ""
        ) or (profile if isinstance(profile, str) else "")
        if problem:
            raise EvalError(f"{path}: case {row['id']} has {problem}.")
        seen.add(row["id"])
        cases.append(Case(
            id=row["id"], turns=tuple(turns), language=row["language"], kind=row["kind"],
            expected_docs=tuple(row.get("expected_docs") or ()), expected_chunks=tuple(row.get("expected_chunks") or ()),
            must_include_any=tuple(row.get("must_include_any") or ()), must_not_include=tuple(row.get("must_not_include") or ()),
            expect_refusal=bool(row.get("expect_refusal", False)), reference=str(row.get("reference") or ""),
            profile=None if isinstance(profile, str) else profile,
            expect_plan=dict(row.get("expect_plan") or {}),
        ))
    return cases
