"""The embedded answerer's core: pick the sentences of the retrieved chunks that answer the question.

No model: sentences are scored by how much of the question's (glossary-expanded)
search terms they carry, weighted by BM25 idf, times a prior from the chunk's rank
and a language preference (an English question prefers a bilingual note's section
headed "English" to its "中文" twin: section names are the packs' names). A sentence that something in its
chunk introduces (a list item after "These include:", the answer after a question the text asks) shares in
the introduction's relevance; one that the next sentence explains ("It's a fundamental concept…") is as relevant as
its explanation. Near-duplicates are skipped, at most `per_chunk` sentences come from one
chunk, and the picks are returned best first. Deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..ingest.sentences import Quotable, quotables
from ..lang import registry
from ..lang.text import tokenize
from ..records import Hit
from .introductions import LEAD_IN_ENDS, announces, asks, explained, introductions

MIN_CHARS = 8


def is_lead_in(shown: str) -> bool:
    """Does the sentence end announcing what follows ("…such as—", "These include:", "以下是：")?"""
    return shown.rstrip().endswith(LEAD_IN_ENDS)


def language_factor(hit: Hit, language: str, other_weight: float) -> float:
    """Prefer the section of a bilingual note written in the question's language (its pack's boost);
    a section in another language weighs `other_weight`; text outside such sections 1.

    >>> h = Hit("c", "d", "T", "CS50 > English", "u", "course", "", 0, 0, 0, 1, None, 1, 1)
    >>> language_factor(h, "en", 0.3), language_factor(h, "zh", 0.3)
    (1.25, 0.3)
    """
    section = hit.heading.rsplit(" > ", 1)[-1].strip().lower()
    for pack in registry.packs():
        if section == pack.name.lower():
            return pack.section_boost if pack.code == language else other_weight
    return 1.0


def bigrams(text: str) -> set[str]:
    compact = re.sub(r"\s+", "", text.lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def near_duplicate(a: str, b: str, threshold: float = 0.6) -> bool:
    """Character-bigram Jaccard similarity at or above `threshold` (works for Chinese and English)."""
    x, y = bigrams(a), bigrams(b)
    return bool(x and y) and len(x & y) / len(x | y) >= threshold


@dataclass(frozen=True)
class Scored:
    score: float  # what orders the points: relevance, times the chunk's rank prior and the language preference
    relevance: float  # how much the sentence bears on the question (the floor applies to this)
    hit: int  # index of the hit
    position: int  # position in the hit
    quotable: Quotable
    plain: float | None = None  # the score without what answering a question like the learner's added (None: same)

    @property
    def unlifted(self) -> float:
        """The score the sentence earns by what it holds, without the lift."""
        return self.score if self.plain is None else self.plain


def score_sentences(question_terms: list[str], hits: list[Hit], language: str, idf: Callable[[str], float],
                    other_weight: float, similarity: Callable[[str], float | None] = lambda shown: None,
                    sentence_weight: float = 0.0, introduction_weight: float = 0.0,
                    section_match: Callable[[Hit], float] = lambda hit: 0.0,
                    answer_match: Callable[[Hit], dict[str, float]] = lambda hit: {},
                    hit_decay: float = 0.25) -> list[Scored]:
    """Every candidate sentence, scored: relevance times a prior that falls with its hit's rank, 1 / (1 + hit_decay × i).

    Relevance is the idf-weighted share of the question's terms in the shown sentence (plus its section
    heading's share for a section's first sentences), plus `sentence_weight` times the question's cosine
    similarity to the sentence (`similarity`: from sentence vectors made at index time; None when unknown).
    A sentence adds `introduction_weight` times the relevance of what introduces it (rag.answer.introductions: the
    paragraph before its list, or a question just before it): "These include:" promises what the items say.
    A hit whose section answers questions like this one (`section_match`, a share) weighs that much more, and a
    sentence that answers such a question (`answer_match`: {a stretch of the sentence: how much it adds}) is that
    much more relevant.
    """
    terms = set(question_terms)
    total = sum(idf(t) for t in terms) or 1.0

    def overlap(text: str) -> float:
        return sum(idf(t) for t in terms & set(tokenize(text))) / total

    scored = []
    for i, hit in enumerate(hits):
        prior = 1.0 / (1.0 + hit_decay * i)
        factor = language_factor(hit, language, other_weight) * (1.0 + section_match(hit))
        # A section whose heading matches the question answers it in its first sentences.
        heading = overlap(hit.heading.rsplit(" > ", 1)[-1])
        offered = quotables(hit)
        answering = answer_match(hit)
        own = [overlap(q.shown) + heading * (0.5 if position < 2 else 0.2)
               + sentence_weight * (similarity(q.shown) or 0.0) for position, q in enumerate(offered)]
        leads = introductions(hit, offered) if introduction_weight else [()] * len(offered)
        explains = explained(offered)
        for position, q in enumerate(offered):
            # a list's item the question names may be a word ("worth learning Scala?": "- Scala")
            if len(q.shown) < MIN_CHARS and not (leads[position] and overlap(q.shown) > 0):
                continue
            # A lead-in ("以下是：") or a question ("So what math do you need?") is no answer in itself.
            weight = 0.6 if is_lead_in(q.shown) else 0.3 if asks(q.shown) else 1.0
            relevance = own[position] + introduction_weight * max((own[p] for p in leads[position]), default=0.0)
            if explains[position]:  # the next sentence explains this one: it answers what that one answers
                relevance = max(relevance, own[position + 1])
            lift = max((more for stretch, more in answering.items() if stretch in q.original), default=0.0)
            plain = prior * factor * weight * (0.3 + relevance)
            scored.append(Scored(plain + prior * factor * weight * lift, relevance + lift, i, position, q,
                                 plain if lift else None))
    return scored


def select(question_terms: list[str], hits: list[Hit], language: str, idf: Callable[[str], float], max_points: int,
           other_weight: float = 0.3, per_chunk: int = 2, keep_ratio: float = 0.35, floor: float = 0.0,
           similarity: Callable[[str], float | None] = lambda shown: None,
           sentence_weight: float = 0.0, introduction_weight: float = 0.0,
           best_floor: float = 0.0) -> list[tuple[Hit, Quotable]]:
    """The sentences that answer the question (its search terms), best first: `pick` among `score_sentences`,
    up to `max_points`, each within `keep_ratio` of the opening's score."""
    scored = score_sentences(question_terms, hits, language, idf, other_weight, similarity, sentence_weight,
                             introduction_weight)
    return pick(scored, hits, (1.0, *[keep_ratio] * (max_points - 1)), per_chunk=per_chunk, floor=floor,
                best_floor=best_floor)


def pick(scored: list[Scored], hits: list[Hit], ratios: Sequence[float], max_sources: int | None = None,
         per_chunk: int = 2, floor: float = 0.0, best_floor: float = 0.0) -> list[tuple[Hit, Quotable]]:
    """The opening point, then the supporting ones, from the scored sentences of `hits`: at most `len(ratios)`
    points from at most `max_sources` chunks, the n-th (from 0) only when its score reaches `ratios[n]` of the
    opening's, so later points must bear more. A sentence under the relevance `floor` is not shown; none is when
    the most relevant sentence is under `best_floor`, and the question is then not covered."""
    scored = sorted((s for s in scored if s.relevance > floor), key=lambda s: (-s.score, s.hit, s.position))
    if not scored or max(s.relevance for s in scored) < best_floor:
        return []
    best = max(s.unlifted for s in scored)  # a sentence lifted by answering a question like this one sets no bar
    chosen: list[Scored] = []
    for item in scored:
        if len(chosen) == len(ratios) or item.score < best * ratios[len(chosen)]:
            break  # sorted: no later sentence reaches it either
        sources = {c.hit for c in chosen}
        if item.hit not in sources and max_sources is not None and len(sources) >= max_sources:
            continue
        if sum(1 for c in chosen if c.hit == item.hit) >= per_chunk:
            continue
        if any(near_duplicate(item.quotable.shown, c.quotable.shown) for c in chosen):
            continue
        chosen.append(item)
    return [(hits[c.hit], c.quotable) for c in with_items(chosen, scored, hits, per_chunk, len(ratios))]


def with_items(chosen: list[Scored], scored: list[Scored], hits: list[Hit], per_chunk: int,
               max_points: int) -> list[Scored]:
    """The chosen points, each chosen lead-in ("ML engineers carry out many tasks, such as—", or a sentence whose
    paragraph ends announcing a list: "…自己的数据。这涉及：") followed by the items it introduces
    (rag.answer.introductions): its best-scored ones in the chunk's order, where the lead-in or the first of them was
    chosen, as many as the chunk's other chosen points leave room for (a list never crowds out the sentence beside
    it that answers: "ML engineers carry out many tasks" does not take the place of "they work with…"); alone, a
    lead-in promises an answer it does not give, so one with no item to show is left out. At most `per_chunk` points
    come from one chunk and `max_points` in all; a lead-in's items come before its chunk's other points."""
    rank = {(c.hit, c.position): i for i, c in enumerate(chosen)}
    groups: list[tuple[int, list[Scored]]] = []  # (where it stands, its points)
    claimed: set[tuple[int, int]] = set()
    for lead in (c for c in chosen if is_lead_in(c.quotable.shown) or announces(hits[c.hit], c.quotable)):
        leads = introductions(hits[lead.hit], quotables(hits[lead.hit]))
        # introduced by the lead-in, or by the line between it and its list ("…可以考虑。" then "考虑以下工作:")
        items = [s for s in scored if s.hit == lead.hit and (s.hit, s.position) not in claimed
                 and any(lead.position <= p < s.position for p in leads[s.position])]
        # the chunk's other chosen points keep their places: the list's items take the room they leave
        others = sum(1 for c in chosen if c.hit == lead.hit and c is not lead and c not in items)
        item_room = max(1, per_chunk - 1 - others)
        best = sorted(sorted(items, key=lambda s: -s.score)[:item_room], key=lambda s: s.position)
        if not best and not is_lead_in(lead.quotable.shown):
            continue  # a whole sentence before a list ("…自己的数据。这涉及：") stands alone too
        members = [(x.hit, x.position) for x in (lead, *best)]
        claimed |= set(members)
        if best:
            groups.append((min(rank.get(m, len(chosen)) for m in members), [lead, *best]))
    groups += [(i, [c]) for i, c in enumerate(chosen) if (c.hit, c.position) not in claimed]
    shown: list[Scored] = []
    for _, group in sorted(groups, key=lambda g: g[0]):
        room = min(per_chunk - sum(1 for s in shown if s.hit == group[0].hit), max_points - len(shown))
        if room >= len(group) or (len(group) > 1 and room >= 2):  # a lead-in only with an item after it
            shown += group[:room]
    return shown
