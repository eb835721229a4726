"""Bring the index in line with the corpus: embed new chunks, reuse unchanged ones, drop removed ones.

Ids are content hashes, so an unchanged chunk keeps its vector. One run at a time
holds the index lock (a second one waits, or says who holds it). Changes are
written into a fresh Chroma collection (a new generation); only when it and its
BM25, sentence, question and chunk files are complete does the manifest switch to them. The old
generation is retired: kept for its readers a grace period, then collected with
any orphans. A run that dies halfway leaves the previous index answering; the next
run reuses the vectors the dead run had already computed. A run with nothing to
change writes nothing, unless a file of the index is damaged: then it writes it anew.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from ..config import Settings
from ..errors import IndexCorruptError, ModelMismatchError
from ..ingest.chunking import chunk_document
from ..ingest.corpus import load_corpus
from ..ingest.sentences import quotables
from ..lang import registry
from ..records import Chunk, CorpusProblem, Hit
from .client import collection_for, is_not_found, open_client
from .failures import write_errors
from .fill import chunk_id, document, embed_text, fill, metadata
from .generations import collect, highest_generation, open_for_writing, retire, reusable_vectors
from .home import Manifest, open_home, sha256
from .lexical import BM25Index
from .lock import Holder
from .preflight import ready_to_index
from .sentences import SentenceVectors, manifest_vectors
from .sentences import build as build_sentences
from .sentences import with_commonness
from .snapshot import MAX_CHUNKS, PAGE, ChunkSnapshot
from .steering import fit_steering


@dataclass
class IndexReport:
    """What an index run did, in files and in chunks."""

    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("added", "changed", "removed", "unchanged"), 0))
    chunks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("added", "updated", "removed", "unchanged"), 0))
    problems: list[CorpusProblem] = field(default_factory=list)
    kept_from_previous: list[str] = field(default_factory=list)  # broken files whose old chunks were kept
    repaired: list[str] = field(default_factory=list)  # damaged or missing parts of the index, written anew
    collected: list[str] = field(default_factory=list)  # generations and orphans removed
    chunk_count: int = 0
    seconds: float = 0.0
    wrote: bool = False


def sync_index(
    settings: Settings,
    embeddings: Any,
    *,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    on_wait: Callable[[Holder | None], None] | None = None,
    clock: Callable[[], float] = time.time,
    english: Any = None,
) -> IndexReport:
    """Index `settings.corpus_dir` into `settings.index_dir` (or the Chroma server), holding the index lock;
    `progress(done, total)` while embedding, `on_wait(holder)` once if another run holds the lock. `english`: the
    English sentence model (rag.engine.load_english) that also embeds the English sentences (None: it does not)."""
    started = time.perf_counter()
    ready_to_index(settings)
    index_dir, url = settings.index_dir, settings.chroma_url
    index_dir.mkdir(parents=True, exist_ok=True)
    client = open_client(index_dir, url) if url else None  # a server's lock lives in the server
    home = open_home(index_dir, client, url, settings.collection_prefix)
    lock = home.lock()
    lock.acquire(settings.index_lock_wait, on_wait)
    try:
        with write_errors(index_dir, url):
            client = client or open_for_writing(index_dir, rebuild)
            report = _sync(settings, embeddings, home, client, rebuild, progress, clock(), english)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _sync(settings: Settings, embeddings: Any, home: Any, client: Any, rebuild: bool,
          progress: Callable[[int, int], None] | None, now: float, english: Any = None) -> IndexReport:
    stored = _stored_manifest(home, rebuild)
    old = None if rebuild else stored
    if old and old.model_id != embeddings.model_id:
        raise ModelMismatchError(
            f"The index was built with {old.model_id}; the configured model is {embeddings.model_id}."
        )
    report = IndexReport()
    docs, report.problems = load_corpus(settings.corpus_dir)
    chunks = [c for doc in docs for c in chunk_document(doc, settings.chunk_max_chars, settings.chunk_min_chars)]
    files = {doc.path: {"sha256": doc.sha256, "doc_id": doc.doc_id} for doc in docs}

    previous = _previous_chunks(client, old, embeddings) if old else {}
    if old and old.chunk_count and not previous:
        report.repaired.append(f"the vector collection {old.collection} is missing")
    report.repaired += [problem for name in (old.own_files() if old else [])
                        if (problem := home.problem(name, old.checksums.get(name, "")))]
    if old and not old.checksums:  # an index from before checksums: written once more, so it can be verified
        report.repaired.append("the index files had no checksums to verify them by")
    if old and not old.chunk_file and wants_chunk_file(home, old.chunk_count):
        report.repaired.append("the index had no chunk file to answer from without Chroma")
    broken = {p.path for p in report.problems}
    for path, info in (old.files if old else {}).items():
        if path in broken and info["doc_id"] not in {d.doc_id for d in docs}:
            # A file that indexed before and is broken now keeps its old chunks.
            files[path] = info
            report.kept_from_previous.append(path)
            chunks += [c for c in previous.values() if c["meta"]["doc_id"] == info["doc_id"]]
    _count_files(report, old.files if old else {}, files)

    wanted = {chunk_id(c): c for c in chunks}
    _count_chunks(report, previous, wanted)
    report.chunk_count = len(wanted)
    unchanged = report.chunks["added"] == report.chunks["updated"] == report.chunks["removed"] == 0
    if old and old.sentence_file and unchanged and not report.repaired and (stale := _stale_vectors(home, old, wanted, english)):
        report.repaired.append(stale)
    if old and old.sentence_file and unchanged and not report.repaired:
        if files != old.files:  # e.g. only white space changed: same chunks, new file hashes
            old = replace(old, files=files)
            home.write_manifest(old)
        report.collected = collect(client, home, settings, old, now)[1]
        return report

    retired_generations = [r["generation"] for r in (stored.retired if stored else [])]
    generation = max(stored.generation if stored else 0, *retired_generations, highest_generation(client, settings)) + 1
    manifest = _write_generation(settings, embeddings, home, client, generation, wanted, old, rebuild, progress, english)
    manifest = replace(manifest, files=files, retired=retire(stored, now))
    home.write_manifest(manifest)
    report.collected = collect(client, home, settings, manifest, now)[1]
    report.wrote = True
    return report


def quotable_texts(chunks: Iterable[Chunk | dict]) -> list[tuple[str, str]]:
    """(chunk id, sentence) for every quotable sentence of the chunks: what the sentence vectors must hold."""
    return [(chunk_id(c), q.shown) for c in chunks for q in quotables(Hit.from_stored(chunk_id(c), document(c), metadata(c)))]


def asked_texts(chunks: Iterable[Chunk | dict]) -> list[tuple[str, str]]:
    """(chunk id, question) for every question the chunks' sections answer: what the question vectors hold. The
    chunks that hold a question's answer (`answered`) come first, so a question ranks its answer's chunk before the
    rest of its section (rag.index.sentences.SentenceVectors.best_chunks)."""
    pairs = [(chunk_id(c), q, q in answers) for c in chunks for answers in [answered_questions(c)]
             for q in metadata(c).get("asked", "").splitlines() if q]
    return [(cid, q) for cid, q, answers in pairs if answers] + [(cid, q) for cid, q, answers in pairs if not answers]


def situation_texts(chunks: Iterable[Chunk | dict]) -> set[str]:
    """The chunks' questions told as a learner's situation (their `situations` metadata, one a line)."""
    return {q for c in chunks for q in metadata(c).get("situations", "").splitlines() if q}


def answered_questions(chunk: Chunk | dict) -> set[str]:
    """The questions whose answer the chunk holds (its `answered` metadata: JSON [[question, stretch], …])."""
    answered = metadata(chunk).get("answered")
    return {question for question, _ in json.loads(answered)} if answered else set()


def off_topic_texts() -> list[tuple[str, str]]:
    """("", question) for every language pack's off-topic questions (rag.answer.off_topic): kept with the questions
    the sections answer, embedded the same way, held by no chunk."""
    return [("", q) for pack in registry.packs() for q in pack.off_topic]


def english_texts(owned: list[tuple[str, str]], wanted: dict[str, Chunk | dict]) -> list[tuple[str, str]]:
    """Of the quotable sentences `owned` (quotable_texts of `wanted`), the English ones of the chunks an English
    question searches (the English view and the chunks of every language): what the English sentence vectors hold."""
    return [(cid, text) for cid, text in owned
            if metadata(wanted[cid]).get("view", "*") in ("en", "*") and registry.detect(text) == "en"]


def _previous_vectors(home: Any, old: Manifest | None, name: str) -> SentenceVectors:
    """The previous generation's vectors file `name` (sentences or questions), when intact: its texts are not
    encoded again."""
    if not old or not name or home.problem(name, old.checksums.get(name, "")):
        return SentenceVectors.empty()
    return manifest_vectors(home, old, name)


def _stale_vectors(home: Any, old: Manifest, wanted: dict[str, Chunk | dict], english: Any = None) -> str | None:
    """Why the generation's vectors files are out of date though its chunks are not (None: they are not). The rules
    that cut chunks into sentences can change (an upgrade), a pack's off-topic questions can, and files written
    before commonness or the query steering lack them; an `english` model the generation has no English sentence
    vectors of: the run then writes a generation, reusing every vector it has. Each file is read (and its
    checksum verified) once."""
    owned = quotable_texts(wanted.values())
    if english is not None and (old.english_model_id != english.model_id or _lacks(
            manifest_vectors(home, old, old.english_file), [text for _, text in english_texts(owned, wanted)])):
        return "the English sentence vectors were missing or made by another model"
    sentences = manifest_vectors(home, old, old.sentence_file)
    if _lacks(sentences, [text for _, text in owned]):
        return "the sentence vectors lacked sentences of the chunks (the sentence rules changed)"
    questions = manifest_vectors(home, old, old.question_file)
    listed = [text for _, text in off_topic_texts()]
    unlisted = {text for text, owners in zip(questions.texts, questions.owner_ids) if not owners} - set(listed)
    if _lacks(questions, listed) or unlisted:
        return "the question vectors did not hold the language packs' off-topic questions as listed (a list changed)"
    if not sentences.measured:
        return "the sentence vectors had no commonness measured (written before it was)"
    if old.question_file and questions.steering is None:
        return "the question vectors had no query steering (written before it was)"
    return None


def with_steering(questions: SentenceVectors, collection: Any, dim: int) -> SentenceVectors:
    """The questions with the query steering (rag.index.steering) learned from each one held by a chunk and the
    vector of its first chunk (its answer's, when the questions file names it: asked_texts puts that one first).
    For a question in either language that is the Chinese original: pairing the English questions with the English
    twins instead scored the same on dev (keyword coverage 0.887 against 0.892)."""
    import numpy as np

    pairs = [(row, ids[0]) for row, ids in enumerate(questions.owner_ids) if ids]
    wanted = list(dict.fromkeys(cid for _, cid in pairs))
    vector_of: dict[str, Any] = {}
    for start in range(0, len(wanted), PAGE):  # Chroma refuses very large single reads
        got = collection.get(ids=wanted[start : start + PAGE], include=["embeddings"])
        vector_of.update(zip(got["ids"], got["embeddings"]))
    pairs = [(row, cid) for row, cid in pairs if cid in vector_of]
    asked = questions.vectors[[row for row, _ in pairs]] if pairs else np.zeros((0, dim), "float32")
    answers = np.asarray([vector_of[cid] for _, cid in pairs], "float32").reshape(len(pairs), dim)
    return SentenceVectors(questions.texts, questions.vectors, questions.owners,
                           questions.commonness if questions.measured else None, fit_steering(asked, answers),
                           questions.situations)


def _lacks(held: SentenceVectors, texts: list[str]) -> bool:
    """Does the vectors file `held` (sentences or questions) lack one of `texts`?"""
    return any(text not in held.row for text in texts)


def _stored_manifest(home: Any, rebuild: bool) -> Manifest | None:
    """The current manifest; a damaged one only stops a run that needs it (not --rebuild)."""
    try:
        return home.read_manifest()
    except IndexCorruptError:
        if not rebuild:
            raise
        return None


def _write_generation(settings: Settings, embeddings: Any, home: Any, client: Any, generation: int,
                      wanted: dict[str, Chunk | dict], old: Manifest | None, rebuild: bool,
                      progress: Callable[[int, int], None] | None, english: Any = None) -> Manifest:
    """Generation `generation`: its collection filled, its BM25, sentence, question, English sentence (with an
    `english` model) and chunk files written and published."""
    index_dir = home.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"{settings.collection_prefix}_g{generation}"
    vectors = {} if rebuild else reusable_vectors(client, settings, embeddings.model_id, set(wanted))
    collection = collection_for(client, name, embeddings, create=True, metadata={"model_id": embeddings.model_id})
    ordered = sorted(wanted.values(), key=lambda c: (metadata(c)["doc_id"], metadata(c)["ordinal"]))
    before = _previous_vectors(home, old, old.sentence_file if old else "")
    asked_before = _previous_vectors(home, old, old.question_file if old else "")
    owned, asked = quotable_texts(ordered), asked_texts(ordered) + off_topic_texts()
    in_english = english_texts(owned, wanted) if english is not None else []
    english_before = _previous_vectors(home, old, old.english_file) \
        if old and english is not None and old.english_model_id == english.model_id else SentenceVectors.empty()
    new_texts = sum(len({t for _, t in pairs if t not in held.row})
                    for pairs, held in ((owned, before), (asked, asked_before), (in_english, english_before)))
    chunk_total = [0]

    def chunk_progress(done: int, total: int) -> None:  # chunks first, then sentences and questions: one bar
        chunk_total[0] = total
        if progress:
            progress(done, total + new_texts)

    fill(collection, wanted, vectors, embeddings, chunk_progress)
    sentence_file = f"sentences_g{generation}.npz"
    step = [0]

    def advance(n: int) -> None:
        step[0] += n
        if progress:
            progress(chunk_total[0] + step[0], chunk_total[0] + new_texts)

    sentences = build_sentences(owned, lambda batch: embeddings.encode_passages(batch, progress=advance), before)
    question_file = f"questions_g{generation}.npz" if asked else ""  # matched with a learner's question as queries
    questions = build_sentences(asked, lambda batch: embeddings.encode_queries(batch, progress=advance), asked_before)
    sentences, questions = with_commonness(sentences, questions)
    questions = with_steering(questions, collection, embeddings.dim).with_situations(situation_texts(ordered))
    sentences.save(index_dir / sentence_file)
    if question_file:
        questions.save(index_dir / question_file)
    english_file = f"english_g{generation}.npz" if english is not None else ""
    if english_file:
        build_sentences(in_english, lambda batch: english.encode_passages(batch, progress=advance),
                        english_before).save(index_dir / english_file)
    lexical_file = f"lexical_g{generation}.json"
    BM25Index.build([chunk_id(c) for c in ordered], [embed_text(c) for c in ordered],
                    [metadata(c)["kind"] for c in ordered],
                    [metadata(c).get("view", "*") for c in ordered]).save(index_dir / lexical_file)
    chunk_file = f"chunks_g{generation}.npz" if wants_chunk_file(home, len(wanted)) else ""
    if chunk_file:
        ChunkSnapshot.from_collection(collection).save(index_dir / chunk_file)
    written = [f for f in (lexical_file, sentence_file, question_file, english_file, chunk_file) if f]
    for file_name in written:
        home.publish(file_name)
    return Manifest(model_id=embeddings.model_id, dim=embeddings.dim, collection=name, lexical_file=lexical_file,
                    sentence_file=sentence_file, question_file=question_file, chunk_file=chunk_file,
                    english_file=english_file, english_model_id=english.model_id if english is not None else "",
                    generation=generation, chunk_count=len(wanted),
                    built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    checksums={f: sha256(index_dir / f) for f in written})


def wants_chunk_file(home: Any, chunk_count: int) -> bool:
    """Readers on this machine answer from a chunk file (snapshot.py): a local index up to MAX_CHUNKS chunks."""
    return not home.shared and chunk_count <= MAX_CHUNKS


def _previous_chunks(client: Any, old: Manifest, embeddings: Any) -> dict[str, dict]:
    """The chunks of the current generation, by id ({} when its collection is gone: then it is written anew)."""
    try:
        collection = collection_for(client, old.collection, embeddings)
    except Exception as err:  # chromadb's NotFoundError
        if is_not_found(err):
            return {}
        raise
    previous: dict[str, dict] = {}
    for offset in range(0, collection.count(), 5000):  # page: Chroma refuses very large single reads
        got = collection.get(include=["documents", "metadatas"], limit=5000, offset=offset)
        for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
            previous[cid] = {"id": cid, "document": doc, "meta": meta}
    return previous


def _count_files(report: IndexReport, before: dict[str, dict], after: dict[str, dict]) -> None:
    for path, info in after.items():
        if path not in before:
            report.files["added"] += 1
        elif before[path]["sha256"] != info["sha256"]:
            report.files["changed"] += 1
        else:
            report.files["unchanged"] += 1
    report.files["removed"] = len(set(before) - set(after))


def _count_chunks(report: IndexReport, previous: dict[str, dict], wanted: dict[str, Chunk | dict]) -> None:
    for cid, chunk in wanted.items():
        if cid not in previous:
            report.chunks["added"] += 1
        elif previous[cid]["meta"] != metadata(chunk) or previous[cid]["document"] != document(chunk):
            report.chunks["updated"] += 1
        else:
            report.chunks["unchanged"] += 1
    report.chunks["removed"] = len(set(previous) - set(wanted))
