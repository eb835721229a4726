"""The paper catalogue: the checked cards of a corpus folder, and the problems of the ones skipped.

Reads the corpus through rag.ingest.corpus (so the catalogue holds exactly the cards that are indexed) and
keeps the paper cards; looks cards up by id. Matching a learner's words to a card is
rag.answer.paper_match's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..records import CorpusProblem
from .corpus import load_corpus
from .papers import Card, cards_of, is_card_problem


@dataclass(frozen=True)
class Catalogue:
    cards: tuple[Card, ...]
    problems: tuple[CorpusProblem, ...]

    def get(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)


def load_catalogue(corpus_dir: Path) -> Catalogue:
    """Every usable card of `corpus_dir`, in file order, and the card files that could not be used."""
    docs, problems = load_corpus(corpus_dir) if corpus_dir.is_dir() else ([], [])
    return Catalogue(tuple(cards_of(docs)), tuple(p for p in problems if is_card_problem(p)))
