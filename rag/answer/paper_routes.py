"""The paper answerers of the chat: "plan how I implement <paper>", "which paper should I implement first?" and
"which papers are in the catalogue?".

A paper in the catalogue gets its card's plan (rag.answer.paper_plan), each step on one line with a quote
from the card or the guide that backs it, at most `k` sources; a step whose source would pass `k` is
listed without a quote. A paper the catalogue lacks gets the guides' method (rag.answer.routes.paper) and
the word that it is not in the catalogue (and the card spelled like it). Suggestions and the catalogue's list quote
each card's laptop-sized dataset line. What the learner knows is what the question says and what their profile
records. Returns lines; the pipeline checks every [n].
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..ingest.card_render import dataset_line
from ..ingest.catalogue import Catalogue
from ..ingest.papers import FIELDS, Card
from ..ingest.roadmap import Roadmap, skills_in_text
from ..lang import registry
from ..profile.progress import Progress, effective_known
from . import routes
from .citations import Citations, point
from .paper_intent import asking_sentences, done_parts, excluded_parts, fields_asked
from .paper_match import cards_named_in, find_card
from .paper_plan import card_plan_quotes, cite_card, shown_quote, unknown_paper_note
from .paper_suggest import suggest

# Steps whose sources are numbered first, in this order, so `k` never drops them: the card's dataset and target,
# the guide's "compare and rewrite", the card's sanity checks.
FIRST_CITED = ("dataset", "target", "compare", "sanity")
QUOTE_MARKS = set("“”")  # a quote holding these cannot be shown in “…” and checked


def said_and_known(roadmap: Roadmap, question: str, progress: Progress | None) -> tuple[set[str], set[str]]:
    """The skills the question names or the profile records (named back to the learner), and those with the key
    skill of every stage the profile has finished (what plans and suggestions count as known)."""
    progress = progress or Progress()
    said = skills_in_text(roadmap, question) | set(progress.known)
    return said, said | effective_known(roadmap, progress)


def paper_answer(catalogue: Catalogue, roadmap: Roadmap, reader: Any, name: str, question: str, hours: float,
                 weeks: int, today: date, lang: str, k: int, cited: Citations, surface: str = "cli",
                 progress: Progress | None = None) -> list[str]:
    """The chat's paper plan: from the card when the catalogue has the paper, else the guides' method."""
    card = find_card(catalogue.cards, name)
    if card is None:
        lines = routes.paper(roadmap, reader, name, weeks, today, lang, k, cited, surface)
        return [unknown_paper_note(catalogue, name, lang, surface)[0], "", *lines]
    known = said_and_known(roadmap, question, progress)[1]
    plan_cited = Citations()
    plan, first = card_plan_quotes(card, catalogue, roadmap, reader, known, hours, today, lang, plan_cited)
    quoted: dict[str, tuple[int, str]] = {}  # step id -> this answer's [n] for its first quote, and the quote shown
    order = {step: i for i, step in enumerate(FIRST_CITED)}
    for phase in sorted(plan.phases, key=lambda p: order.get(p.stage_id, len(order))):
        if not phase.cites:
            continue
        quote = first[phase.stage_id]
        hit, shown = shown_quote(plan_cited, _quoting(plan_cited, phase.cites, quote), quote)
        if not QUOTE_MARKS & set(shown) and (cited.has(hit.chunk_id) or cited.sources < k):
            quoted[phase.stage_id] = cited.add(hit, quote, shown), shown
    mark = registry.phrase("card_known_mark", lang)
    items = registry.phrase("list_separator", lang).join(
        f"{p['name']} ({mark})" if p["known"] else p["name"] for p in plan.inputs["prerequisites"])
    lines = [registry.phrase("card_lead", lang, name=card.short_name, title=card.title, hours=hours,
                             start=plan.start_date, end=plan.end_date),
             registry.phrase("card_prereq_line", lang, items=items)]
    for phase in plan.phases:
        head = f"{phase.start_date} → {phase.end_date}: {phase.title}"
        if phase.stage_id not in quoted or QUOTE_MARKS & set(head):
            lines.append(f"- {head}")
            continue
        n, shown = quoted[phase.stage_id]
        quote = first[phase.stage_id]
        # A step named by the card's own words quotes them in place ("…: “CIFAR-10 test error…: 8.75%…”").
        text = f"{head[:-len(shown)]}“{shown}”" if head.endswith(shown) else f"{head} “{shown}”"
        lines.append(point(text, n, shown != quote, lang))
    return lines + ["", *plan.assumptions, "", routes.hint("hint_card", lang, surface, name=card.short_name)]


def _quoting(cited: Citations, cites: list[int], quote: str) -> int:
    """Which of a plan step's sources holds its first quote: its numbers ascend, so not always the first."""
    return next((n for n in cites if any(c.n == n and c.quote == quote for c in cited.citations)), cites[0])


def suggestion_answer(catalogue: Catalogue, roadmap: Roadmap, reader: Any, question: str, lang: str, k: int,
                      cited: Citations, surface: str = "cli", progress: Progress | None = None) -> list[str]:
    """The cards that fit what the learner says they know and have implemented (the papers named in a sentence that
    says they are done: "I've built ResNet. Which paper next?"), in the field they ask for, each with its reasons and
    its dataset quoted; a paper they name and have not done is listed first, one they leave out ("besides ResNet")
    is not listed."""
    said, known = said_and_known(roadmap, question, progress)
    done_cards = [card for part in done_parts(question) for card in cards_named_in(catalogue.cards, part)]
    left_out = {card.id for part in excluded_parts(question) for card in cards_named_in(catalogue.cards, part)}
    done = frozenset(card.id for card in done_cards)
    asked = [card for card in cards_named_in(catalogue.cards, asking_sentences(question))  # "ViT or U-Net?"
             if card.id not in done | left_out]
    sep = registry.phrase("list_separator", lang)
    names = sep.join(registry.pick(roadmap.skills[s], lang) for s in sorted(said))
    told = (registry.phrase("next_known", lang, skills=names) if said else "") + (
        registry.phrase("suggest_done", lang, papers=sep.join(dict.fromkeys(c.short_name for c in done_cards))) if done else "")
    lines = [registry.phrase("suggest_lead", lang, known=told) if told else registry.phrase("suggest_lead_unknown", lang)]
    ranked = [s for s in suggest(catalogue, roadmap, known, n=len(catalogue.cards), done=done,
                                 fields=frozenset(fields_asked(question))) if s.card.id not in left_out]
    # The papers the learner names and has not done come first: they ask about them ("Is LeNet a good first paper?").
    for s in sorted(ranked, key=lambda s: s.card not in asked)[:k]:
        card = s.card
        skills = sep.join(registry.pick(roadmap.skills[x], lang) for x in (s.missing_skills or card.skills))
        reasons = [registry.phrase("suggest_missing" if s.missing_skills else "suggest_ready", lang, skills=skills),
                   registry.phrase("suggest_read_first", lang, papers=sep.join(s.papers_first)) if s.papers_first
                   else registry.phrase("suggest_no_papers", lang)]
        between = registry.phrase("suggest_separator", lang)
        lines.append(_with_dataset(cited, reader, card, f"{_named(card)}: {between.join(reasons)}", lang, k))
    return lines + ["", routes.hint("hint_suggest", lang, surface)]


def by_field(cards: tuple[Card, ...]) -> list[tuple[str, list[Card]]]:
    """The cards grouped by field (in rag.ingest.papers.FIELDS' order), the oldest paper first in each."""
    return [(field, sorted((c for c in cards if c.meta["field"] == field), key=lambda c: (c.meta["year"], c.id)))
            for field in FIELDS if any(c.meta["field"] == field for c in cards)]


def catalogue_answer(catalogue: Catalogue, reader: Any, lang: str, k: int, cited: Citations,
                     surface: str = "cli") -> list[str]:
    """Every paper of the catalogue by field, named with its title and year; the first `k` with their laptop-sized
    dataset quoted from the card, the rest listed."""
    lines = [registry.phrase("catalogue_lead", lang, n=len(catalogue.cards))]
    for field, cards in by_field(catalogue.cards):
        lines.append(f"**{registry.label(f'field_{field}', lang)}**")
        lines += [_with_dataset(cited, reader, card, _named(card), lang, k) for card in cards]
    return lines + ["", routes.hint("hint_catalogue", lang, surface)]


def _named(card: Card) -> str:
    return f"{card.short_name} ({card.title}, {card.meta['year']})"


def _with_dataset(cited: Citations, reader: Any, card: Card, head: str, lang: str, k: int) -> str:
    """ "- head; “the card's laptop-sized dataset line” [n]", or "- head" once `k` sources are cited."""
    quote = dataset_line(card.first_dataset, lang)
    if QUOTE_MARKS & set(quote) or cited.sources >= k:
        return f"- {head}"
    n = cite_card(cited, reader, card, quote)
    quote = next(c.quote for c in cited.citations if c.n == n and c.quote in quote)
    return point(f"{head}{registry.phrase('suggest_separator', lang)}“{quote}”", n, False, lang)
