"""The small records passed between modules: corpus documents, chunks, problems and hits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDoc:
    """One corpus file, read and validated. `text` is the whole decoded file."""

    doc_id: str
    path: str  # relative to the corpus folder, with forward slashes
    title: str
    source_url: str
    kind: str  # guide, course, book, tool, site, method
    lang: tuple[str, ...]
    text: str
    body_start: int  # offset in `text` where the Markdown body begins (after front matter)
    sha256: str  # of the file, and of its renderings and questions file when it has them
    meta: dict = field(default_factory=dict, hash=False, compare=False)
    renderings: tuple = ()  # rag.ingest.rendering.Rendering: the guide in other languages, aligned
    questions: tuple = ()  # (heading, questions a learner might ask that its section answers): rag.ingest.questions
    answers: tuple = ()  # (heading, ((question, a stretch of the section's sentence that answers it), …))
    situations: tuple = ()  # of `questions`, those told as a learner's situation (rag.ingest.questions)
    flags: tuple = ()  # rag.ingest.screening.Flag: sentences that read as orders, never quoted as advice


@dataclass(frozen=True)
class CorpusProblem:
    """A corpus file that could not be used, and why; or (`skipped` False) one that is used but clashes with
    another (the first of two files with one id)."""

    path: str
    problem: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class Chunk:
    """A verbatim slice of a corpus file: `text == file_text[start:end]`; or a rendering of one (`original_id`
    set), whose `text` is the aligned translation and `original_text == file_text[start:end]`."""

    chunk_id: str
    doc_id: str
    title: str
    source_url: str
    kind: str
    heading: str  # heading path joined with " > ", "" before the first heading
    ordinal: int  # position of the chunk within its document, from 0
    start: int
    end: int
    text: str
    embed_text: str  # what the model reads: title, heading and text
    view: str = "*"  # the language of the questions it answers ("*": any)
    original_id: str = ""  # a rendering's original chunk
    original_text: str = ""
    alignment: str = ""  # a rendering's sentences: JSON [[start, end, rendering], …] (file offsets of the original)
    retells: str = ""  # a note's sentences that retell a guide: JSON [[sentence, guide id, guide sentence], …]
    asked: str = ""  # questions a learner might ask that its section answers, one a line (rag.ingest.questions)
    answered: str = ""  # those whose answer is in this chunk: JSON [[question, stretch of the answering sentence], …]
    situations: str = ""  # of `asked`, those told as a learner's situation, one a line

    def metadata(self) -> dict:
        """The flat metadata stored next to the vector (Chroma takes str/int/float only)."""
        meta = {
            "doc_id": self.doc_id,
            "title": self.title,
            "source_url": self.source_url,
            "kind": self.kind,
            "heading": self.heading,
            "ordinal": self.ordinal,
            "start": self.start,
            "end": self.end,
            "view": self.view,
        }
        if self.original_id:
            meta |= {"original": self.original_id, "original_text": self.original_text, "alignment": self.alignment}
        if self.retells:
            meta["retells"] = self.retells
        if self.asked:
            meta["asked"] = self.asked
        if self.answered:
            meta["answered"] = self.answered
        if self.situations:
            meta["situations"] = self.situations
        return meta


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk_id: str
    doc_id: str
    title: str
    heading: str
    source_url: str
    kind: str
    text: str
    start: int
    end: int
    ordinal: int
    score: float  # reciprocal-rank-fusion score (higher is better)
    similarity: float | None  # cosine similarity of the query and chunk embeddings
    dense_rank: int | None  # 1-based; None when the dense retriever did not return it
    lexical_rank: int | None
    language: str = ""  # the language it was found in (its view), "" when any
    # Found through a rendering: the original's sentences, each with its rendering in `language`.
    alignment: tuple[tuple[str, str], ...] = ()
    # A note's sentences that retell a guide: (sentence, guide id, the guide's sentence).
    retells: tuple[tuple[str, str, str], ...] = ()
    # Questions its section answers whose answer is in it: (question, a stretch of the answering sentence).
    answered: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict, score: float = 1.0, similarity: float | None = None,
                    dense_rank: int | None = None, lexical_rank: int | None = None) -> "Hit":
        """A Hit from a chunk's stored text and metadata (see `Chunk.metadata`); a rendering becomes its
        original chunk (id and verbatim text) with the aligned sentences."""
        start = int(meta["start"])
        alignment: tuple[tuple[str, str], ...] = ()
        if meta.get("original"):
            original = meta["original_text"]
            alignment = tuple((original[a - start:b - start], rendered) for a, b, rendered in json.loads(meta["alignment"]))
            chunk_id, text = meta["original"], original
        view = meta.get("view", "*")
        return cls(
            chunk_id=chunk_id,
            doc_id=meta["doc_id"],
            title=meta["title"],
            heading=meta["heading"],
            source_url=meta["source_url"],
            kind=meta["kind"],
            text=text,
            start=start,
            end=int(meta["end"]),
            ordinal=int(meta["ordinal"]),
            score=round(score, 6),
            similarity=round(similarity, 4) if similarity is not None else None,
            dense_rank=dense_rank,
            lexical_rank=lexical_rank,
            language="" if view == "*" else view,
            alignment=alignment,
            retells=tuple(tuple(r) for r in json.loads(meta["retells"])) if meta.get("retells") else (),
            answered=tuple(tuple(a) for a in json.loads(meta["answered"])) if meta.get("answered") else (),
        )

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: the chunk it points at and the verbatim text it supports."""

    n: int
    doc_id: str
    title: str
    source_url: str
    heading: str
    quote: str  # verbatim, in the chunk's text
    chunk_id: str
    quote_translation: str = ""  # what the answer shows: the aligned rendering in the answer's language, if any
    quote_language: str = ""  # the language `quote` is written in

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Answer:
    """What the mentor says to one question, with everything needed to check it."""

    question: str
    answer: str  # Markdown: a lead line, then points marked [n]
    language: str  # "en" or "zh"
    grounded: bool
    refused: bool
    citations: list[Citation]
    backend: str
    timings_ms: dict[str, float]
    reason: str = ""  # why it refused: not_covered, injection, live_data, personal_data, worked_problem, writing_task, empty
    resolved_question: str = ""  # the question after follow-up resolution, as searched
    notice: str = ""  # e.g. an LLM server that did not answer and the fallback used

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["citations"] = [c.to_dict() for c in self.citations]
        return data
