"""Starting points: which of the guides' own estimates fits a learner, and the hours it gives each stage.

A starting point is an estimate of the roadmap (corpus/roadmap/roadmap.yaml) with `after` (the stages done
when a learner starts there), `covers` (the stages its figure is for) and `basis` ("guide": the guide's
figure; "project": the guide gives none and the numbers are this project's reading). The guide's hours are
split between the stages it covers by the roadmap's weights; a stage it does not cover gets this project's
own estimate (its share of the from-scratch route). Pure functions; nothing here dates a plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import CorpusError
from ..ingest.roadmap import Roadmap, Stage, done_stages, remaining

WEEKS_PER_MONTH = 52 / 12
FROM_SCRATCH = "from-scratch"


@dataclass(frozen=True)
class StageHours:
    stage: Stage
    hours: float
    basis: str  # "guide": part of the starting point's estimate; "project": this project's own estimate


def estimate_hours(estimate: dict) -> float:
    """The estimate's total hours: months × 52/12 weeks × hours a week.

    >>> round(estimate_hours({"months": 18, "hours_per_week": 40}))
    3120
    """
    return estimate["months"] * WEEKS_PER_MONTH * estimate["hours_per_week"]


def starting_points(roadmap: Roadmap) -> list[str]:
    """The ids of the estimates that are starting points (they say which stages they cover)."""
    return [key for key, e in roadmap.estimates.items() if "covers" in e]


def starting_point(roadmap: Roadmap, known: set[str], choice: str | None = None) -> dict:
    """The estimate for a learner who knows `known`: `choice` when given, else the most specific one whose
    `after` stages are all done and that covers a stage still to do (from scratch when none does)."""
    if choice:
        if choice not in starting_points(roadmap):
            raise CorpusError(f"There is no starting point {choice!r}.",
                              f"Use one of: {', '.join(starting_points(roadmap))}.")
        return roadmap.estimates[choice]
    done, todo = done_stages(roadmap, known), {s.id for s in remaining(roadmap, known)}
    fitting = [roadmap.estimates[key] for key in starting_points(roadmap)
               if set(roadmap.estimates[key]["after"]) <= done and set(roadmap.estimates[key]["covers"]) & todo]
    return max(fitting, key=lambda e: len(e["after"])) if fitting else roadmap.estimates[FROM_SCRATCH]


def stage_hours(roadmap: Roadmap, known: set[str], estimate: dict) -> list[StageHours]:
    """Every stage still to do from this starting point, in roadmap order, with its hours and their basis."""
    covered = [s for s in roadmap.stages if s.id in estimate["covers"]]
    covered_weight = sum(s.weight for s in covered)
    scratch = roadmap.estimates[FROM_SCRATCH]
    scratch_weight = sum(s.weight for s in roadmap.stages)
    todo = [s for s in remaining(roadmap, known) if s.id not in estimate["after"]]
    out = []
    for stage in todo:
        if stage.id in estimate["covers"]:
            out.append(StageHours(stage, estimate_hours(estimate) * stage.weight / covered_weight, "guide"))
        else:
            out.append(StageHours(stage, estimate_hours(scratch) * stage.weight / scratch_weight, "project"))
    return out


def weeks_at(hours: list[float], hours_per_week: float) -> int:
    """Weeks for stages of `hours` at a pace, each stage a whole number of weeks (at least one).

    >>> weeks_at([100.0, 55.0], 10)
    16
    """
    return sum(max(1, math.ceil(h / hours_per_week)) for h in hours)


def paces(hours: list[float], own: float, guide_pace: float) -> list[dict]:
    """The pace trade-off: weeks at 10 and 20 hours a week, at the guide's pace and at the learner's own."""
    chosen = sorted({10.0, 20.0, float(guide_pace), float(own)})
    return [{"hours_per_week": h, "weeks": weeks_at(hours, h), "yours": h == own, "guide": h == guide_pace}
            for h in chosen]
