"""Hybrid retrieval: dense (embeddings in Chroma) and lexical (BM25) rankings fused by RRF.

Reciprocal rank fusion scores a chunk by the sum of weight / (rrf_k + rank)
over the rankings that returned it; it needs no score calibration between the
retrievers. Besides the plain dense ranking, the question steered towards answers (rag.index.steering) ranks
the chunks again. The question is cut into terms once, searched lexically once
(its best score is kept for the refusal check) and embedded once. The chunk the question ranking puts first
(its section's question is the closest to the learner's, hub-free) is always a hit when the closest question is
close enough (Settings.question_pin). Exposed as
`retrieve` (hits with what was measured) and `hybrid_search` (hits); the
LangChain retriever is in `retriever`.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Collection
from typing import Any

from ..config import Settings
from ..index.steering import steer
from ..lang import registry
from ..lang.text import question_terms
from ..records import Hit
from .question import clean_question


@dataclass(frozen=True)
class Retrieved:
    """The hits for a question and what the answerer reuses: its search terms and best BM25 score."""

    hits: list[Hit]
    terms: list[str]  # the glossary-expanded question's search terms
    best_lexical: float  # the best BM25 score over every chunk (0 when nothing shares a term)
    vector: Any = None  # the question's embedding
    best_similarity: float = 0.0  # the best cosine over every chunk in the question's language (the hits' best
    # when the dense ranking is not used)
    best_question: float | None = None  # the best cosine over the questions those chunks' sections answer, those told
    # as a learner's situation less situation_handicap (None: none)
    best_question_hub_free: float | None = None  # the same, each less question_commonness times its commonness


def fuse(rankings: list[tuple[list[str], float]], rrf_k: int) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists, each with a weight; best first.

    >>> fuse([(["a", "b"], 1.0), (["b", "c"], 1.0)], rrf_k=60)[0][0]
    'b'
    """
    scores: dict[str, float] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    for which, (ids, weight) in enumerate(rankings):
        for rank, cid in enumerate(ids, start=1):
            scores[cid] = scores.get(cid, 0.0) + weight / (rrf_k + rank)
            first_seen.setdefault(cid, (rank, which))
    return sorted(scores.items(), key=lambda item: (-item[1], first_seen[item[0]]))


def retrieve(reader: Any, question: str, k: int, settings: Settings, language: str | None = None,
             steer_question: bool = True, papers: Collection[str] = ()) -> Retrieved:
    """The `k` best chunks for `question` from the index behind `reader`, searched in the question's
    language (`language`, else detected): an English question searches the guides' English rendering
    and the notes' English sections. A language the index has no chunks for searches them all. `steer_question`: also
    rank by the question steered towards answers (False for a follow-up joined to the question before it: two
    questions in one are not what the steering learned from, and the first one's topic would outweigh the new).
    An English question also ranks chunks by their closest English sentence under the English sentence model
    (when the index holds its vectors). `papers`: the catalogue papers the question names; the other papers' cards are
    no hits then."""
    c = settings
    text = clean_question(question, c.max_question_chars)
    lexical_index = reader.lexical
    view = language or registry.detect(text)
    view = view if view in lexical_index.view_codes else None
    terms = question_terms(text)
    vector = reader.embeddings.encode_queries([text])[0]
    use_dense, use_lexical = c.retrieval_mode in ("hybrid", "dense"), c.retrieval_mode in ("hybrid", "bm25")
    # A dense query deep enough to rank one chunk kind (the guides) from it too; chunk kinds and languages come
    # from the lexical index, so the query fetches ids and distances only.
    answering = lexical_index.answering(view)
    pool = [(cid, sim) for cid, sim in (reader.dense(vector, c.candidates * 4) if use_dense else []) if cid in answering]
    dense = pool[: c.candidates]
    # A second, as deep, with the question steered towards the passages that answer questions like it
    # (rag.index.steering): its ranking counts with steered_weight, and the guides' dense ranking comes from it
    # (from the plain one when steered_weight is 0 or the question is not steered); the plain pool's cosines stay
    # what the thresholds read.
    steering = reader.questions.steering
    steered = [(cid, sim) for cid, sim in reader.dense(steer(vector, steering), c.candidates * 4) if cid in answering] \
        if steer_question and use_dense and c.steered_weight and steering is not None else pool
    scores = lexical_index.scores(terms)  # once a question: both lexical rankings below rank these
    found = lexical_index.rank(scores, c.candidates, view=view)  # also the refusal check's evidence, in every mode
    lexical = found if use_lexical else []
    rankings = [([cid for cid, _ in dense], c.dense_weight), ([cid for cid, _ in lexical], c.lexical_weight)]
    if steered is not pool:
        rankings.append(([cid for cid, _ in steered[: c.candidates]], c.steered_weight))
    if c.primary_weight and c.primary_kind:
        primary = lexical_index.of_kind(c.primary_kind)
        primary_dense = [(cid, sim) for cid, sim in steered if cid in primary][: c.candidates]
        primary_lexical = lexical_index.rank(scores, c.candidates, kind=c.primary_kind, view=view) if use_lexical else []
        rankings += [([cid for cid, _ in primary_dense], c.primary_weight),
                     ([cid for cid, _ in primary_lexical], c.primary_weight)]
    card = set(reader.chunks_of(list(papers))) if papers else set()
    if card:  # the named papers' cards rank as the primary sources do: asked about ResNet, its card comes first
        rankings += [([cid for cid, _ in steered if cid in card][: c.candidates], c.primary_weight),
                     ([cid for cid, _ in lexical_index.rank(scores, c.candidates * 4, view=view) if cid in card]
                      if use_lexical else [], c.primary_weight)]
    if c.sentence_rank_weight and use_dense:  # chunks ranked by their closest quotable sentence
        sentences = reader.sentences.within(str(view), answering.__contains__)
        rankings.append((sentences.best_chunks(vector, c.candidates, commonness_weight=c.sentence_commonness),
                         c.sentence_rank_weight))
    asked = reader.questions.within(str(view), answering.__contains__)  # the questions their sections answer
    cosines = asked.cosines(vector)  # once, for the question ranking, the pin and the off-topic check's best
    checked = cosines - c.situation_handicap * asked.situations  # a story counts for the off-topic check, less close
    best_question = float(checked.max()) if len(checked) else None
    hub_free = float((checked - c.question_commonness * asked.commonness).max()) if len(checked) else None
    by_question = asked.best_chunks(vector, c.candidates, c.question_floor, cosines, c.question_commonness) \
        if use_dense else []
    if c.question_rank_weight and by_question:  # chunks ranked by the closest question their section answers
        rankings.append((by_question, c.question_rank_weight))
    words_weight = registry.pack(view).question_words_weight if view else 0.0
    if words_weight and use_lexical:  # … and by the words they share (BM25 over the same questions)
        rankings.append((asked.best_chunks_by_words(terms, c.candidates, c.question_words_floor), words_weight))
    named = [cid for cid in reader.chunks_of(reader.named_docs(text)) if cid in answering] \
        if c.named_weight else []
    if named:  # the question names a resource: its note ranks as a retriever of its own
        order = {cid: i for i, (cid, _) in enumerate(pool)}
        rankings.append((sorted(named, key=lambda cid: order.get(cid, len(order))), c.named_weight))
    english = reader.english_sentences  # held by the chunks an English question searches only (indexer.english_texts)
    if view == "en" and c.english_rank_weight and use_dense and english.texts:
        # chunks ranked by their closest English sentence under the English sentence model: a second opinion
        rankings.append((english.best_chunks(reader.english.encode_queries([text])[0], c.candidates),
                         c.english_rank_weight))
    fused = fuse(rankings, c.rrf_k)
    if papers:
        others = lexical_index.of_kind(c.paper_kind) - card
        fused = [(cid, score) for cid, score in fused if cid not in others]
    if c.paper_weight != 1.0:
        weighed = lexical_index.of_kind(c.paper_kind) - set(named)  # a paper the question names keeps its weight
        fused = sorted(((cid, score * c.paper_weight if cid in weighed else score) for cid, score in fused),
                       key=lambda item: -item[1])  # stable: ties keep fusion's order
    # The question ranking's first chunk is always a hit when the closest question (by plain cosine) reaches the pin
    # (in place of the last, past max_per_doc if need be); fused holds it unless question_rank_weight is 0, and then
    # it comes with no fused score.
    pinned = by_question[:1] if len(cosines) and float(cosines.max()) >= c.question_pin else []
    head = fused[: k * 4]
    considered = head + [(cid, dict(fused).get(cid, 0.0)) for cid in pinned if cid not in dict(head)]
    stored = reader.fetch([cid for cid, _ in considered])
    chosen = diversify(considered, {cid: stored[cid][1]["doc_id"] for cid, _ in considered}, k, c.max_per_doc,
                       unlimited=set(papers))
    if pinned and pinned[0] not in dict(chosen):
        chosen = chosen[: k - 1] + [item for item in considered if item[0] == pinned[0]]
    similarity = dict(pool)
    missing = [cid for cid, _ in chosen if cid not in similarity]
    if missing:  # lexical-only hits: compute their cosine from the stored vectors
        similarity.update(reader.similarities(vector, missing))
    dense_ids, lexical_ids = rankings[0][0], rankings[1][0]  # the first two rankings: all kinds
    hits = [
        Hit.from_stored(cid, *stored[cid], score, similarity.get(cid),
                        dense_ids.index(cid) + 1 if cid in dense_ids else None,
                        lexical_ids.index(cid) + 1 if cid in lexical_ids else None)
        for cid, score in chosen
    ]
    seen: set[str] = set()
    unique = [hit for hit in hits if not (hit.chunk_id in seen or seen.add(hit.chunk_id))]  # a chunk and its rendering: once
    best_similarity = max([sim for _, sim in pool[:1]] + [h.similarity or 0.0 for h in unique], default=0.0)
    return Retrieved(unique, terms, found[0][1] if found else 0.0, vector, best_similarity, best_question, hub_free)


def hybrid_search(reader: Any, question: str, k: int, settings: Settings, language: str | None = None) -> list[Hit]:
    """The `k` best chunks for `question`."""
    return retrieve(reader, question, k, settings, language).hits


def diversify(ranked: list[tuple[str, float]], doc_of: dict[str, str], k: int, max_per_doc: int,
              unlimited: Collection[str] = ()) -> list[tuple[str, float]]:
    """The first `k` of `ranked`, skipping chunks past `max_per_doc` of one document while others remain; the
    `unlimited` documents (the papers a question names) have no cap.

    >>> diversify([("a1", 3), ("a2", 2), ("b1", 1)], {"a1": "a", "a2": "a", "b1": "b"}, k=2, max_per_doc=1)
    [('a1', 3), ('b1', 1)]
    >>> diversify([("a1", 3), ("a2", 2), ("b1", 1)], {"a1": "a", "a2": "a", "b1": "b"}, k=2, max_per_doc=1, unlimited={"a"})
    [('a1', 3), ('a2', 2)]
    """
    chosen, held, per_doc = [], [], {}
    for cid, score in ranked:
        doc = doc_of.get(cid, cid)
        if doc in unlimited or per_doc.get(doc, 0) < max_per_doc:
            per_doc[doc] = per_doc.get(doc, 0) + 1
            chosen.append((cid, score))
        else:
            held.append((cid, score))
        if len(chosen) == k:
            return chosen
    return sorted(chosen + held[: k - len(chosen)], key=lambda item: -item[1])
