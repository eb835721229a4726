"""The answer pipeline: clean → guard → resolve follow-up → route → retrieve → compose → check.

One object that the CLI, the app, the evals and every LLM backend call the same
way; `ask` returns the checked Answer together with the chunks it was made from
(`Result.hits`), so no caller rebuilds a step. The embedded composer needs no
LLM: it picks verbatim sentences, and every [n] is verified against the chunks
before the answer leaves; an answer that fails the check becomes a refusal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from ..config import Settings
from ..errors import QueryError
from ..ingest.catalogue import Catalogue, load_catalogue
from ..ingest.roadmap import Roadmap, load_roadmap
from ..lang import registry
from ..lang.base import Thresholds
from ..profile.progress import Progress
from ..records import Answer, Citation, Hit
from . import paper_routes, routes
from .citations import Citations, check_citations, in_reading_order, number_citations, render_points
from .compose import pick, score_sentences
from .context import read_on_their_own
from .followup import resolve
from .guard import refusal_reason
from .intent import Route, route
from .off_topic import Lead, OffTopicQuestions, off_topic_lead
from .paper_intent import implement_sentences, without_instruments
from .paper_match import card_by_authors, cards_named_in
from .question import clean_question
from .retrieval import Retrieved, retrieve
from .sources import primary_sources
from .study_budget import hours_per_week


@dataclass(frozen=True)
class Result:
    """An answer and what it was made from."""

    answer: Answer
    hits: list[Hit]  # the chunks it may cite: the retrieved ones, or the roadmap quotes' chunks
    route: str  # "refusal", "search", "next", "duration", "plan", "paper", "suggest", "catalogue", "sources" or "done"
    proposal: str = ""  # for "done": the item key to record once the learner confirms ("" when none matched)


class Writer(Protocol):
    """An answer backend that rewrites a grounded search answer from its hits (rag.llm)."""

    name: str

    def stream(self, result: Result) -> Iterator[str | Result]: ...


class Pipeline:
    """Answers questions from one opened index. Safe to share between threads (read-only)."""

    def __init__(self, reader: Any, settings: Settings, today: Callable[[], date] = date.today) -> None:
        self.reader = reader
        self.settings = settings
        self.today = today
        self._roadmap: Roadmap | None = None
        self._catalogue: Catalogue | None = None
        self._lock = threading.Lock()
        self._off_topic = OffTopicQuestions(lambda texts: self.reader.embeddings.encode_queries(texts))

    @property
    def roadmap(self) -> Roadmap:
        with self._lock:
            if self._roadmap is None:
                self._roadmap = load_roadmap(self.settings.corpus_dir)
            return self._roadmap

    @property
    def catalogue(self) -> Catalogue:
        """The paper cards (rag.ingest.catalogue), read once."""
        with self._lock:
            if self._catalogue is None:
                self._catalogue = load_catalogue(self.settings.corpus_dir)
            return self._catalogue

    def ask(self, question: str, history: Sequence[str] = (), language: str | None = None,
            k: int | None = None, progress: Progress | None = None, surface: str = "cli") -> Result:
        """Answer `question`; `history` holds the conversation's earlier questions, oldest first;
        `k` is the most sources the answer may cite (default: settings.sources_per_answer); `progress` is
        the learner's profile (what they know and checked, their hours a week); `surface` ("cli" or "app") picks the closing hints."""
        started = time.perf_counter()
        k = k or self.settings.sources_per_answer
        text = clean_question(question, self.settings.max_question_chars)
        self.reader.refresh()  # each answer on the current index generation
        written_in = registry.detect(text)
        lang = language or written_in
        reason = refusal_reason(text)
        if reason:
            return self._refusal(text, text, lang, reason, [], started)
        searched = resolve(text, self._earlier(history))
        chosen = route(text, searched, self.default_hours(progress),
                       lambda: routes.knows_where_they_are(self.roadmap, searched, progress),
                       lambda: self._papers_named(text))
        if chosen.kind == "done":
            return self._done(chosen.title, text, lang, started, k, progress, surface)
        if chosen.kind != "search":
            return self._roadmap_answer(chosen, text, searched, lang, k, started, progress, surface)
        # Searched in the language the question is written in; `lang` is only the language of the mentor's words.
        # asked for ResNet's weight decay, BERT's is no answer: other papers' cards are no hits
        named_papers = [card.id for card in cards_named_in(self.catalogue.cards, text)]
        found, searched = self._search(text, searched, written_in, named_papers)
        retrieved = time.perf_counter()
        s = self.settings
        scored = score_sentences(found.terms, found.hits, lang, self.reader.lexical.idf, **self.sentence_scoring(found))
        best_point = max((x.relevance for x in scored), default=0.0)
        # a question that a named paper's card holds all of ("ResNet-20 test error on CIFAR-10") is the catalogue's,
        # however near an off-topic question it sits
        sure_point = self.thresholds(written_in).sure_point
        card_holds_it = any(x.relevance >= sure_point for x in scored if found.hits[x.hit].doc_id in named_papers)
        off_topic = None if card_holds_it else self.off_topic(found, written_in)
        if not self.supported(found, written_in, best_point, off_topic):
            # nearest topics only for a question in the guides' words (a driver fix, not a lasagna recipe)
            near = found.best_lexical >= self.thresholds(written_in).min_lexical
            return self._refusal(text, searched, lang, "not_covered", found.hits, started, near=near)
        picks = pick(scored, found.hits, s.point_ratios, max_sources=k, per_chunk=s.points_per_chunk,
                     floor=s.point_floor, best_floor=self.thresholds(lang).min_point)
        if not picks:  # retrieved, but no sentence bears on the question
            return self._refusal(text, searched, lang, "not_covered", found.hits, started)
        picks, see_also = primary_sources(picks, self.reader, lang)
        citations = number_citations(read_on_their_own(picks))
        lines = [registry.phrase("lead", lang), *render_points(citations, lang)]
        lines += [registry.phrase("see_also", lang, title=h.title, url=h.source_url) for h in see_also]
        hits = list({h.chunk_id: h for h in [*found.hits, *(h for h, _ in picks)]}.values())  # + the guides cited instead
        return self._checked(text, searched, lang, "\n".join(lines), citations, hits, "search", started, retrieved)

    def stream(self, question: str, history: Sequence[str] = (), language: str | None = None, k: int | None = None,
               writer: Writer | None = None, progress: Progress | None = None,
               surface: str = "cli") -> Iterator[str | Result]:
        """`ask`, then let `writer` rewrite a grounded search answer: its unchecked text pieces as they come
        (a preview), then the checked Result, always last. Without a writer, only the Result."""
        result = self.ask(question, history, language, k, progress=progress, surface=surface)
        if writer is None or result.route != "search" or result.answer.refused:
            yield result
            return
        yield from writer.stream(result)

    def _search(self, text: str, searched: str, language: str, papers: list[str]) -> tuple[Retrieved, str]:
        """The hits for a question and the text they were searched with: a follow-up (`searched`, joined with the
        previous question) unless the question alone names something specific (settings.specific_term_idf: "Is it
        free?" does not) and comes followup_alone_margin closer, hub-free, to a question a section answers; then it
        was a new question, searched on its own."""
        s = self.settings
        found = retrieve(self.reader, searched, s.answer_hits, s, language, steer_question=searched == text,
                         papers=papers)
        if searched == text:
            return found, text
        alone = retrieve(self.reader, text, s.answer_hits, s, language, steer_question=True, papers=papers)
        specific = self._names_something_specific(alone)
        closer = (alone.best_question_hub_free or 0.0) >= (found.best_question_hub_free or 0.0) + s.followup_alone_margin
        return (alone, text) if specific and closer else (found, searched)

    def _names_something_specific(self, found: Retrieved) -> bool:
        """Does one of the question's search terms reach settings.specific_term_idf ("internships?" does, "is it
        free?" does not)?"""
        return max(map(self.reader.lexical.idf, found.terms), default=0.0) >= self.settings.specific_term_idf

    def supported(self, found: Retrieved, language: str, best_point: float = 0.0, off_topic: Lead | None = None) -> bool:
        """Is the best retrieved support strong enough to answer from (the language's thresholds)? `best_point` is
        the most relevant sentence's relevance: a short question ("internships?") leaves every chunk a low BM25
        score, but a sentence that holds all it asks is support enough, when it asks about something specific (a
        term as rare as settings.specific_term_idf: "is it free?" names nothing). `off_topic` is how much closer the
        question comes to an off-topic question than to any the guides answer (rag.answer.off_topic; None: not
        measured): hub-free, from off_topic_margin up it is refused; far closer to the guides', by plain cosines
        (sure_in_domain) or hub-free (sure_in_domain_hub_free), it is theirs though BM25 finds little, and with
        BM25's support as well, though no chunk's cosine reaches min_similarity (a backstop for what the rest miss)."""
        if not found.hits:
            return False
        similarity = found.best_similarity
        t = self.thresholds(language)
        if off_topic is not None and off_topic.hub_free >= t.off_topic_margin:
            return False
        in_domain = off_topic is not None and (-off_topic.raw >= t.sure_in_domain
                                               or -off_topic.hub_free >= t.sure_in_domain_hub_free)
        specific = self._names_something_specific(found)
        lexical = found.best_lexical >= t.min_lexical
        if in_domain and lexical:  # "too embarrassed to enter kaggle, i'd probably come dead last" (cosine 0.808)
            return True
        return similarity >= t.min_similarity and (lexical or similarity >= t.sure_similarity
                                                   or (best_point >= t.sure_point and specific) or in_domain)

    def off_topic(self, found: Retrieved, language: str) -> Lead | None:
        """How much closer the question comes to one of `language`'s off-topic questions than to any question the
        guides answer, by plain cosines and hub-free (rag.answer.off_topic; None: not measured)."""
        if found.best_question is None or found.best_question_hub_free is None:  # no sections' questions to compare
            return None
        closest = self._off_topic.closest(language, found.vector, self.reader.questions, self.settings.question_commonness)
        if closest is None:
            return None
        return Lead(off_topic_lead(closest[0], found.best_question), off_topic_lead(closest[1], found.best_question_hub_free))

    def thresholds(self, language: str) -> Thresholds:
        """The language's refusal thresholds for this index's vectors (the default language's when it has none)."""
        embedder = self.settings.embedder
        return registry.pack(language).thresholds_for(embedder) or registry.pack(registry.DEFAULT).thresholds_for(embedder)

    def sentence_scoring(self, found: Retrieved) -> dict[str, Any]:
        """How this pipeline scores the sentences of `found` (rag.answer.compose.score_sentences' weights and the
        question's sentence similarity): what `ask` scores sentences with before `pick`, and `evals/tune.py --margins`
        measures."""
        s, lifted = self.settings, self._answers(found)  # once per question, read for each hit
        return {"other_weight": s.other_language_section, "similarity": lambda shown: self._similarity(found, shown),
                "sentence_weight": s.sentence_weight, "introduction_weight": s.introduction_weight,
                "section_match": lambda hit: self._section_match(found, hit),
                "answer_match": lambda hit: lifted.get(hit.chunk_id, {}), "hit_decay": s.hit_decay}

    def _similarity(self, found: Retrieved, shown: str) -> float | None:
        """How much closer than `sentence_base` a sentence's vector is to the question's, less point_commonness times
        its commonness (None: no vector)."""
        s, sentences = self.settings, self.reader.sentences
        cosine = sentences.similarity(found.vector, shown)
        return None if cosine is None else cosine - s.sentence_base - s.point_commonness * sentences.commonness_of(shown)

    def _section_match(self, found: Retrieved, hit: Hit) -> float:
        """section_weight times how much closer than question_floor the question comes to one its section answers."""
        cosine = self.reader.questions.closest_in(found.vector, hit.chunk_id)
        return 0.0 if cosine is None else self.settings.section_weight * max(0.0, cosine - self.settings.question_floor)

    def _answers(self, found: Retrieved) -> dict[str, dict[str, float]]:
        """For each hit, {a stretch of one of its sentences: how much more relevant it is}: the sentences that the
        questions files name as the answer to the question closest to the learner's (or within answer_margin of it),
        when that one is above question_floor: answer_weight × (cosine − question_floor)."""
        s = self.settings
        cosines = [(hit.chunk_id, stretch, cosine) for hit in found.hits for question, stretch in hit.answered
                   if (cosine := self.reader.questions.similarity(found.vector, question)) is not None]
        best = max((cosine for _, _, cosine in cosines), default=1.0)
        lifted: dict[str, dict[str, float]] = {}
        for chunk_id, stretch, cosine in cosines:
            if cosine > s.question_floor and cosine >= best - s.answer_margin:
                mine = lifted.setdefault(chunk_id, {})
                mine[stretch] = max(mine.get(stretch, 0.0), s.answer_weight * (cosine - s.question_floor))
        return lifted

    def default_hours(self, progress: Progress | None) -> float:
        """The hours a week a plan is made at when the question names none: the learner's, else the settings'."""
        return (progress.hours_per_week if progress else None) or self.settings.default_hours_per_week

    def _papers_named(self, text: str) -> list[str]:
        """The catalogue cards a question names as what to implement, by name or else by their authors ("Kipf 跟
        Welling 那篇"): those of the sentences asking to implement something, else of the whole question ("…the
        U-shaped network. I'd love to implement it myself."); a model it would use for a task ("text classification
        with BERT") is not one."""
        cards = self.catalogue.cards
        # the asking clauses, then the whole question ("…implement it"); the same text is read once
        for target in dict.fromkeys((without_instruments(implement_sentences(text)), without_instruments(text))):
            named = cards_named_in(cards, target) or [card for card in [card_by_authors(cards, target)] if card]
            if named:
                return [card.short_name for card in named]
        return []

    def _earlier(self, history: Sequence[str]) -> list[str]:
        """Earlier questions, cleaned; one that can no longer be asked (too long, empty) is left out."""
        earlier = []
        for turn in history:
            try:
                earlier.append(clean_question(turn, self.settings.max_question_chars))
            except QueryError:
                continue
        return earlier

    def _roadmap_answer(self, chosen: Route, text: str, searched: str, lang: str, k: int, started: float,
                        progress: Progress | None, surface: str) -> Result:
        """A plan, next steps, a paper plan, paper suggestions or the guides' estimates. What the learner knows and has
        implemented is read from `searched`, the question with the turn it follows up on ("I taught myself Python."
        → "那之后呢？")."""
        cited = Citations()
        roadmap, reader, today = self.roadmap, self.reader, self.today()
        if chosen.kind == "paper":
            hours = hours_per_week(text, self.default_hours(progress))
            lines = paper_routes.paper_answer(self.catalogue, roadmap, reader, chosen.title, text, hours,
                                              self.settings.paper_weeks, today, lang, k, cited, surface, progress)
        elif chosen.kind == "suggest":
            lines = paper_routes.suggestion_answer(self.catalogue, roadmap, reader, searched, lang, k, cited, surface,
                                                   progress)
        elif chosen.kind == "catalogue":
            lines = paper_routes.catalogue_answer(self.catalogue, reader, lang, k, cited, surface)
        elif chosen.kind == "plan":
            lines = routes.plan_summary(roadmap, reader, searched, chosen.hours, today, lang, k, cited, progress, surface)
        elif chosen.kind == "next":
            lines = routes.next_steps(roadmap, reader, searched, lang, k, cited, progress, surface)
        elif chosen.kind == "sources":
            lines = routes.sources(reader, lang, k, cited)
        else:
            lines = routes.duration(roadmap, reader, lang, k, cited, surface)
        asked = searched if chosen.kind == "duration" else text
        now = time.perf_counter()
        return self._checked(text, asked, lang, "\n".join(lines), cited.citations, cited.hits, chosen.kind, started, now)

    def _done(self, item: str, text: str, lang: str, started: float, k: int, progress: Progress | None,
              surface: str) -> Result:
        """ "I finished …": a question back to the learner (nothing is recorded until they confirm), then what comes
        next on the roadmap once it is done, cited; an item it cannot match gets the closest ones, citing nothing."""
        lines, key, stage_id = routes.finished(self.roadmap, self.reader, item, lang)
        cited = Citations()
        more = routes.after_finishing(self.roadmap, self.reader, text, stage_id, lang, k, cited, progress, surface) if key else []
        if more:
            result = self._checked(text, text, lang, "\n".join([*lines, "", *more]), cited.citations, cited.hits, "done",
                                   started, time.perf_counter())
            if not result.answer.refused:
                return replace(result, proposal=key)
        now = time.perf_counter()
        answer = Answer(question=text, answer="\n".join(lines), language=lang, grounded=False, refused=False,
                        citations=[], backend="embedded", timings_ms=_ms(started, now, now), resolved_question=text)
        return Result(answer, [], "done", key)

    def _checked(self, text: str, searched: str, lang: str, body: str, citations: list[Citation], hits: list[Hit],
                 kind: str, started: float, retrieved: float) -> Result:
        """The answer, its sources numbered in reading order, if every [n] holds against `hits`; else a refusal (never
        expected, never shown unchecked)."""
        body, citations = in_reading_order(body, citations)
        if not citations or check_citations(body, citations, hits):
            return self._refusal(text, searched, lang, "not_covered", hits, started)
        done = time.perf_counter()
        answer = Answer(question=text, answer=body, language=lang, grounded=True, refused=False, citations=citations,
                        backend="embedded", timings_ms=_ms(started, retrieved, done), resolved_question=searched)
        return Result(answer, hits, kind)

    def _refusal(self, text: str, searched: str, lang: str, reason: str, hits: list[Hit], started: float,
                 near: bool = True) -> Result:
        lines = [registry.phrase(reason, lang)]
        # Topics near a question the guides almost cover; none for one far from them (banana bread is near nothing,
        # and `near` is False for one that shares too few of their words).
        topics = nearest_topics([h for h in hits if (h.similarity or 0.0) >= self.thresholds(lang).min_similarity]) \
            if near else []
        if reason == "not_covered" and topics:
            lines += ["", registry.phrase("nearest", lang), *[f"- {t}" for t in topics]]
        lines += ["", registry.phrase("try", lang)]
        now = time.perf_counter()
        answer = Answer(question=text, answer="\n".join(lines), language=lang, grounded=False, refused=True,
                        citations=[], backend="embedded", timings_ms=_ms(started, now, now), reason=reason,
                        resolved_question=searched)
        return Result(answer, hits, "refusal")


def final_result(items: Iterator[str | Result]) -> Result:
    """The Result that ends a `Pipeline.stream` (for callers that show no preview)."""
    results = [item for item in items if isinstance(item, Result)]
    if not results:
        raise ValueError("a pipeline stream ends with its Result")
    return results[-1]


def nearest_topics(hits: list[Hit], n: int = 3) -> list[str]:
    """Section names of the nearest chunks, to suggest what the corpus does cover (no citation): a section under its
    chunk's top heading (in the language the chunk was found in), or under the document's title when the chunk has
    one heading (a note's)."""
    languages = {p.name.lower() for p in registry.packs()}  # a bilingual note's sections are named by language
    topics: list[str] = []
    for hit in hits:
        parts = [p for p in hit.heading.split(" > ") if p.lower() not in languages]
        if len(parts) > 1:
            topic = f"{parts[0]} › {parts[-1]}"
        else:
            topic = f"{hit.title} › {parts[0]}" if parts else hit.title
        if topic not in topics:
            topics.append(topic)
    return topics[:n]


def _ms(started: float, retrieved: float, done: float) -> dict[str, float]:
    return {
        "retrieve": round((retrieved - started) * 1000, 1),
        "compose": round((done - retrieved) * 1000, 1),
        "total": round((done - started) * 1000, 1),
    }
