"""Progress along the roadmap from a learner's profile: per stage done/total, the stages finished, the next
milestone, and the skills that count as known when the rest of a plan is re-dated.

A stage is finished when every one of its milestones is checked; its key skill then counts as known, so a
plan made from today leaves it out. Pure functions over the roadmap and the checked item keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..ingest.roadmap import Roadmap, Stage, done_stages, next_stages


@dataclass(frozen=True)
class Progress:
    """What the mentor knows of a learner when answering: skills they said they have, items they checked, the hours a
    week they study (None: not known; a question that names its hours wins over them)."""

    known: frozenset[str] = frozenset()
    checked: frozenset[str] = frozenset()
    hours_per_week: float | None = None

    @classmethod
    def of(cls, learner: Any) -> "Progress":
        """A saved (or blank) learner's progress (rag.profile.Learner); None: nothing known."""
        if learner is None:
            return cls()
        return cls(frozenset(learner.skills), frozenset(learner.checked), learner.hours_per_week)


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    done: int
    total: int


def milestone_keys(stage: Stage) -> list[str]:
    return [f"milestone:{stage.id}:{n}" for n in range(len(stage.milestones))]


def per_stage(roadmap: Roadmap, progress: Progress) -> list[StageProgress]:
    """Checked milestones of each stage (a stage done by a known skill counts as all checked)."""
    done_by_skill = done_stages(roadmap, set(progress.known))
    rows = []
    for stage in roadmap.stages:
        keys = milestone_keys(stage)
        done = len(keys) if stage.id in done_by_skill else sum(k in progress.checked for k in keys)
        rows.append(StageProgress(stage, done, len(keys)))
    return rows


def finished(roadmap: Roadmap, progress: Progress) -> set[str]:
    """Stages whose milestones are all checked."""
    return {s.id for s in roadmap.stages if s.milestones and all(k in progress.checked for k in milestone_keys(s))}


def effective_known(roadmap: Roadmap, progress: Progress) -> set[str]:
    """The known skills plus the key skill of every finished stage."""
    by_id = {s.id: s for s in roadmap.stages}
    return set(progress.known) | {by_id[s].skills[0] for s in finished(roadmap, progress) if by_id[s].skills}


def next_milestone(roadmap: Roadmap, progress: Progress) -> tuple[Stage, int] | None:
    """The first unchecked milestone of the next stages (stage, its index), or None when all are checked."""
    known = effective_known(roadmap, progress)
    for stage in [*next_stages(roadmap, known, n=len(roadmap.stages)), *roadmap.stages]:
        for n, key in enumerate(milestone_keys(stage)):
            if key not in progress.checked and stage.id not in done_stages(roadmap, known):
                return stage, n
    return None


def checked_names(items: Iterable, progress: Progress, language: str) -> list[str]:
    """The names of the checked items, in roadmap order."""
    return [item.name(language).rstrip(".。") for item in items if item.key in progress.checked]
