"""Hybrid retrieval: dense (embeddings in Chroma) and lexical (BM25) rankings fused by RRF.

Reciprocal rank fusion scores a chunk by the sum of weight / (rrf_k + rank)
over the rankings that returned it; it needs no score calibration between the
two retrievers. Exposed both as a function returning `Hit`s and as a LangChain
`BaseRetriever` returning `Document`s.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .config import Settings
from .errors import QueryError
from .glossary import expand
from .records import Hit

MAX_QUESTION_CHARS = 2000
FULLWIDTH = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(r[0], r[1] + 1)}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


def clean_question(question: str) -> str:
    """Normalise a question (NFC, full-width letters and digits to ASCII, no control characters,
    single spaces) or say why it can't be searched. Chinese punctuation stays as typed.

    >>> clean_question("  What\\x00 after\\tＰｙｔｈｏｎ？ ")
    'What after Python？'
    """
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", question or "").translate(FULLWIDTH))
    text = " ".join(text.split())
    if not text:
        raise QueryError("The question is empty.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QueryError(
            f"The question is {len(text):,} characters long; the limit is {MAX_QUESTION_CHARS:,}.",
            "Shorten it to the question itself (a sentence or two) and ask again.",
        )
    return text


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


def hybrid_search(reader: Any, question: str, k: int = 5, config: Settings | None = None) -> list[Hit]:
    """The `k` best chunks for `question` from the index behind `reader`."""
    c = config or Settings()
    text = clean_question(question)
    lexical_query = expand(text)
    vector = reader.embeddings.encode_queries([text])[0]
    use_dense, use_lexical = c.retrieval_mode in ("hybrid", "dense"), c.retrieval_mode in ("hybrid", "bm25")
    # One dense query, deep enough that the primary kind (the guides) can be ranked from it too;
    # chunk kinds come from the lexical index, so the query fetches ids and distances only.
    pool = reader.dense(vector, c.candidates * 4) if use_dense else []
    dense = pool[: c.candidates]
    lexical = reader.lexical.search(lexical_query, c.candidates) if use_lexical else []
    rankings = [([cid for cid, _ in dense], c.dense_weight), ([cid for cid, _ in lexical], c.lexical_weight)]
    if c.primary_weight and c.primary_kind:
        primary_dense = [(cid, sim) for cid, sim in pool if reader.lexical.kind(cid) == c.primary_kind][: c.candidates]
        primary_lexical = reader.lexical.search(lexical_query, c.candidates, kind=c.primary_kind) if use_lexical else []
        rankings += [([cid for cid, _ in primary_dense], c.primary_weight),
                     ([cid for cid, _ in primary_lexical], c.primary_weight)]
    named = reader.chunks_of(reader.named_docs(text)) if c.named_weight else []
    if named:  # the question names a resource: its note ranks as a retriever of its own
        order = {cid: i for i, (cid, _) in enumerate(pool)}
        rankings.append((sorted(named, key=lambda cid: order.get(cid, len(order))), c.named_weight))
    fused = fuse(rankings, c.rrf_k)
    stored = reader.fetch([cid for cid, _ in fused[: k * 4]])
    chosen = diversify(fused[: k * 4], {cid: stored[cid][1]["doc_id"] for cid, _ in fused[: k * 4]}, k, c.max_per_doc)
    similarity = dict(pool)
    missing = [cid for cid, _ in chosen if cid not in similarity]
    if missing:  # lexical-only hits: compute their cosine from the stored vectors
        similarity.update(reader.similarities(vector, missing))
    dense_ids, lexical_ids = rankings[0][0], rankings[1][0]  # the first two rankings: all kinds
    return [
        Hit.from_stored(cid, *stored[cid], score, similarity.get(cid),
                        dense_ids.index(cid) + 1 if cid in dense_ids else None,
                        lexical_ids.index(cid) + 1 if cid in lexical_ids else None)
        for cid, score in chosen
    ]


def diversify(ranked: list[tuple[str, float]], doc_of: dict[str, str], k: int, max_per_doc: int) -> list[tuple[str, float]]:
    """The first `k` of `ranked`, skipping chunks past `max_per_doc` of one document while others remain.

    >>> diversify([("a1", 3), ("a2", 2), ("b1", 1)], {"a1": "a", "a2": "a", "b1": "b"}, k=2, max_per_doc=1)
    [('a1', 3), ('b1', 1)]
    """
    chosen, held, per_doc = [], [], {}
    for cid, score in ranked:
        doc = doc_of.get(cid, cid)
        if per_doc.get(doc, 0) < max_per_doc:
            per_doc[doc] = per_doc.get(doc, 0) + 1
            chosen.append((cid, score))
        else:
            held.append((cid, score))
        if len(chosen) == k:
            return chosen
    return sorted(chosen + held[: k - len(chosen)], key=lambda item: -item[1])


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the mentor index: `invoke(question, k=3)` gives Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    reader: Any
    k: int = 5
    config: Settings = Settings()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        hits = hybrid_search(self.reader, query, k or self.k, self.config)
        return [hit_to_document(hit) for hit in hits]


def hit_to_document(hit: Hit) -> Document:
    """A LangChain Document: the chunk text, with everything else as metadata."""
    meta = hit.to_dict()
    text = meta.pop("text")
    return Document(page_content=text, metadata=meta, id=hit.chunk_id)
