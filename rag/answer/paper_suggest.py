"""Which catalogue papers to implement first, for what a learner knows: ranked cards with their reasons.

Pure: a card fits when the learner has its prerequisite skills (a skill counts as had when the learner names it
or has finished a roadmap stage that needs it: whoever knows deep learning has the Python and math behind it;
whoever has implemented a paper has its skills). Papers the learner has implemented are not suggested again;
they count as implemented among the papers a card says to implement first. Cards are ranked by whether they are
in a field the learner names, then by whether they build on a paper the learner implemented (the next steps after
it), then by the papers still to implement first (entry papers first), then by how many implemented papers they
build on, then by missing skills, then by how many skills they need, then by year (the classics first). The answer
lines (cited to the cards) are rag.answer.paper_routes'.
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


def suggest(catalogue: Catalogue, roadmap: Roadmap, known: set[str], n: int = 3, done: frozenset[str] = frozenset(),
            fields: frozenset[str] = frozenset()) -> list[Suggestion]:
    """The `n` cards that fit `known` best, best first; `done` holds the ids of the papers the learner has
    implemented, `fields` the catalogue fields they asked for (none: any)."""
    had = skills_had(roadmap, set(known) | {skill for card in catalogue.cards if card.id in done for skill in card.skills})
    ranked = []
    for card in catalogue.cards:
        if card.id in done:
            continue
        missing = tuple(s for s in card.skills if s not in had)
        first = tuple(other.short_name if (other := catalogue.get(p)) else p for p in card.papers if p not in done)
        builds_on = sum(1 for p in card.papers if p in done)
        off_field = bool(fields) and card.meta.get("field") not in fields
        ranked.append(((off_field, builds_on == 0, len(first), -builds_on, len(missing), len(card.skills), card.meta["year"], card.id),
                       Suggestion(card, missing, first)))
    return [s for _, s in sorted(ranked, key=lambda r: r[0])][:n]
