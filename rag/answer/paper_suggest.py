"""Which catalogue papers to implement first, for what a learner knows: ranked cards with their reasons.

Pure: a card fits when the learner has its prerequisite skills (a skill counts as had when the learner
names it or has finished a roadmap stage that needs it: whoever knows deep learning has the Python and
math behind it). Cards are ranked by the papers to implement first (entry papers first), then by missing
skills, then by how many skills they need, then by year (the classics first). The answer lines (cited to the cards) are rag.answer.paper_routes'.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest.catalogue import Catalogue
from ..ingest.papers import Card
from ..ingest.roadmap import Roadmap, done_stages


@dataclass(frozen=True)
class Suggestion:
    card: Card
    missing_skills: tuple[str, ...]  # roadmap skill ids the learner still needs
    papers_first: tuple[str, ...]  # short names of the papers its card says to implement first

    @property
    def ready(self) -> bool:
        return not self.missing_skills


def skills_had(roadmap: Roadmap, known: set[str]) -> set[str]:
    """The skills named, and every skill of the roadmap stages those skills finish."""
    done = done_stages(roadmap, known)
    return set(known) | {skill for stage in roadmap.stages if stage.id in done for skill in stage.skills}


def suggest(catalogue: Catalogue, roadmap: Roadmap, known: set[str], n: int = 3) -> list[Suggestion]:
    """The `n` cards that fit `known` best, best first."""
    had = skills_had(roadmap, known)
    ranked = []
    for card in catalogue.cards:
        missing = tuple(s for s in card.skills if s not in had)
        first = tuple(other.short_name if (other := catalogue.get(p)) else p for p in card.papers)
        ranked.append(((len(first), len(missing), len(card.skills), card.meta["year"], card.id),
                       Suggestion(card, missing, first)))
    return [s for _, s in sorted(ranked, key=lambda r: r[0])][:n]
