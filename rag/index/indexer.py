"""Bring the index in line with the corpus: embed new chunks, reuse unchanged ones, drop removed ones.

Ids are content hashes, so an unchanged chunk keeps its vector. Changes are
written into a fresh Chroma collection (a new generation); only when it and its
BM25 file are complete does the manifest switch to them and the old generation
go away. A run that dies halfway leaves the previous index answering; the next
run reuses the vectors the dead run had already computed. A run with nothing
to change writes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from ..config import Settings
from ..errors import CorpusError, ModelMismatchError
from ..ingest.chunking import chunk_document
from ..ingest.corpus import load_corpus
from ..ingest.sentences import quotables
from ..records import Chunk, CorpusProblem, Hit
from .lexical import BM25Index
from .sentences import SentenceVectors
from .sentences import build as build_sentences
from .generations import drop_other_generations, highest_generation, open_for_writing, reusable_vectors
from .store import Manifest, collection_for, read_manifest, write_manifest

BATCH = 256


@dataclass
class IndexReport:
    """What an index run did, in files and in chunks."""

    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("added", "changed", "removed", "unchanged"), 0))
    chunks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("added", "updated", "removed", "unchanged"), 0))
    problems: list[CorpusProblem] = field(default_factory=list)
    kept_from_previous: list[str] = field(default_factory=list)  # broken files whose old chunks were kept
    chunk_count: int = 0
    seconds: float = 0.0
    wrote: bool = False


def sync_index(
    settings: Settings,
    embeddings: Any,
    *,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    client: Any | None = None,
) -> IndexReport:
    """Index `settings.corpus_dir` into `settings.index_dir`; `progress(done, total)` while embedding."""
    started = time.perf_counter()
    if not settings.corpus_dir.is_dir():
        raise CorpusError(f"The corpus folder {settings.corpus_dir} does not exist.", "Set MENTOR_CORPUS to the folder of Markdown files.")
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    old = None if rebuild else read_manifest(index_dir)
    if old and old.model_id != embeddings.model_id:
        raise ModelMismatchError(
            f"The index was built with {old.model_id}; the configured model is {embeddings.model_id}."
        )
    client = client or open_for_writing(index_dir, rebuild, settings.chroma_url)
    report = IndexReport()
    docs, report.problems = load_corpus(settings.corpus_dir)
    chunks = [c for doc in docs for c in chunk_document(doc, settings.chunk_max_chars, settings.chunk_min_chars)]
    files = {doc.path: {"sha256": doc.sha256, "doc_id": doc.doc_id} for doc in docs}

    previous = _previous_chunks(client, old, embeddings) if old else {}
    broken = {p.path for p in report.problems}
    for path, info in (old.files if old else {}).items():
        if path in broken and info["doc_id"] not in {d.doc_id for d in docs}:
            # A file that indexed before and is broken now keeps its old chunks.
            files[path] = info
            report.kept_from_previous.append(path)
            chunks += [c for c in previous.values() if c["meta"]["doc_id"] == info["doc_id"]]
    _count_files(report, old.files if old else {}, files)

    wanted = {_id(c): c for c in chunks}
    _count_chunks(report, previous, wanted)
    report.chunk_count = len(wanted)
    if old and old.sentence_file and report.chunks["added"] == report.chunks["updated"] == report.chunks["removed"] == 0:
        if files != old.files:  # e.g. only white space changed: same chunks, new file hashes
            write_manifest(index_dir, replace(old, files=files))
        report.seconds = time.perf_counter() - started
        return report

    generation = max(old.generation if old else 0, highest_generation(client, settings)) + 1
    name = f"{settings.collection_prefix}_g{generation}"
    vectors = {} if rebuild else reusable_vectors(client, settings, embeddings.model_id, set(wanted))
    collection = collection_for(client, name, embeddings, create=True, metadata={"model_id": embeddings.model_id})
    ordered = sorted(wanted.values(), key=lambda c: (_meta(c)["doc_id"], _meta(c)["ordinal"]))
    before = SentenceVectors.load(index_dir / old.sentence_file) if old and old.sentence_file and not rebuild \
        else SentenceVectors.empty()
    owned = [(_id(c), q.shown) for c in ordered for q in quotables(Hit.from_stored(_id(c), _document(c), _meta(c)))]
    new_texts = len({t for _, t in owned if t not in before.row})
    chunk_total = [0]

    def chunk_progress(done: int, total: int) -> None:  # chunks first, then sentences: one bar for both
        chunk_total[0] = total
        if progress:
            progress(done, total + new_texts)

    _fill(collection, wanted, vectors, embeddings, chunk_progress)
    sentence_file = f"sentences_g{generation}.npz"
    step = [0]

    def encode_sentences(batch: list[str]) -> Any:
        def advance(n: int) -> None:
            step[0] += n
            if progress:
                progress(chunk_total[0] + step[0], chunk_total[0] + new_texts)

        return embeddings.encode_passages(batch, progress=advance)

    build_sentences(owned, encode_sentences, before).save(index_dir / sentence_file)
    lexical_file = f"lexical_g{generation}.json"
    BM25Index.build([_id(c) for c in ordered], [_embed_text(c) for c in ordered], [_meta(c)["kind"] for c in ordered],
                    [_meta(c).get("view", "*") for c in ordered]).save(index_dir / lexical_file)
    write_manifest(
        index_dir,
        Manifest(model_id=embeddings.model_id, dim=embeddings.dim, collection=name, lexical_file=lexical_file,
                 sentence_file=sentence_file,
                 generation=generation, chunk_count=len(wanted),
                 built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), files=files),
    )
    drop_other_generations(client, settings, keep=name, index_dir=index_dir, keep_files={lexical_file, sentence_file})
    report.wrote = True
    report.seconds = time.perf_counter() - started
    return report


# A chunk is either a fresh `Chunk` or a dict {"id", "document", "meta", "embed_text"} carried
# over from the previous generation; these helpers read both.
def _id(c: Chunk | dict) -> str:
    return c.chunk_id if isinstance(c, Chunk) else c["id"]


def _meta(c: Chunk | dict) -> dict:
    return c.metadata() | {"embed_text": c.embed_text} if isinstance(c, Chunk) else c["meta"]


def _embed_text(c: Chunk | dict) -> str:
    return _meta(c)["embed_text"]


def _document(c: Chunk | dict) -> str:
    return c.text if isinstance(c, Chunk) else c["document"]


def _previous_chunks(client: Any, old: Manifest, embeddings: Any) -> dict[str, dict]:
    collection = collection_for(client, old.collection, embeddings)
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
        elif previous[cid]["meta"] != _meta(chunk) or previous[cid]["document"] != _document(chunk):
            report.chunks["updated"] += 1
        else:
            report.chunks["unchanged"] += 1
    report.chunks["removed"] = len(set(previous) - set(wanted))


def _fill(collection: Any, wanted: dict[str, Chunk | dict], vectors: dict[str, Any], embeddings: Any,
          progress: Callable[[int, int], None] | None) -> None:
    """Write every wanted chunk into `collection`, embedding only those without a vector."""
    present = set(collection.get(include=[])["ids"]) if collection.count() else set()
    todo = [c for cid, c in wanted.items() if cid not in present]
    fresh = [c for c in todo if _id(c) not in vectors]
    done = 0
    if progress:
        progress(0, len(fresh))
    for i in range(0, len(fresh), BATCH):
        batch = fresh[i : i + BATCH]

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(fresh))

        found = embeddings.encode_passages([_embed_text(c) for c in batch], progress=step)
        for c, vector in zip(batch, found):
            vectors[_id(c)] = vector
        _add(collection, batch, vectors)  # written as we go, so a later run can reuse them
    fresh_ids = {_id(c) for c in fresh}
    reused = [c for c in todo if _id(c) not in fresh_ids]
    for i in range(0, len(reused), BATCH):
        _add(collection, reused[i : i + BATCH], vectors)


def _add(collection: Any, batch: list[Chunk | dict], vectors: dict[str, Any]) -> None:
    import numpy as np

    collection.add(
        ids=[_id(c) for c in batch],
        embeddings=np.asarray([vectors[_id(c)] for c in batch], dtype="float32"),
        documents=[_document(c) for c in batch],
        metadatas=[_meta(c) for c in batch],
    )
