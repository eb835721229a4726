"""The on-disk index: a Chroma collection of vectors, a BM25 file and a manifest naming both.

The manifest (written last, atomically) says which Chroma collection and which
lexical file are current and which model built them. Readers open exactly what
it names, so an index run that dies halfway leaves the previous index in use.
This module opens and reads; `indexer` decides what to write.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError, IndexMissingError, IndexUnavailableError, ModelMismatchError
from ..records import Hit
from .lexical import BM25Index
from .sentences import SentenceVectors

MANIFEST = "manifest.json"
# Cosine distance; one insertion thread so that the same chunks always build the same graph
# (multi-threaded HNSW inserts are not deterministic, and the eval gate must not flake), and a
# wide search beam so the approximate neighbours equal the exact ones at this corpus size.
HNSW = {"space": "cosine", "num_threads": 1, "ef_construction": 200, "ef_search": 200}
CHROMA_DIR = "chroma"
STORED_CHUNKS = 20_000  # chunks a reader keeps read (text and metadata, ~2 KB each); past it, it starts again
# What SQLite says of a file that is damaged (SQLITE_CORRUPT, SQLITE_NOTADB): only then is a store corrupt.
CORRUPT = re.compile(r"file is not a database|database disk image is malformed|\(code: (?:11|26)\)")


@dataclass(frozen=True)
class Manifest:
    """What the current index holds and how it was built."""

    model_id: str
    dim: int
    collection: str
    lexical_file: str
    generation: int
    chunk_count: int
    built_at: str
    files: dict[str, dict] = field(default_factory=dict)  # corpus path -> {"sha256", "doc_id"}
    sentence_file: str = ""  # the quotable sentences' vectors (an index built before them has none)


def read_manifest(index_dir: Path) -> Manifest | None:
    """The current manifest, or None when no index was ever built here."""
    path = index_dir / MANIFEST
    if not path.exists():
        return None
    try:
        return Manifest(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as err:
        raise IndexCorruptError(f"The index manifest {path} cannot be read ({err}).") from err


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically: readers see the old one or the new one, never half."""
    path = index_dir / MANIFEST
    tmp = path.with_name(MANIFEST + ".tmp")
    tmp.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def open_client(index_dir: Path, url: str = "") -> Any:
    """A Chroma PersistentClient on `index_dir/chroma`, or an HttpClient on a server `url`; telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if url:
        from urllib.parse import urlparse

        parts = urlparse(url)
        try:
            client = chromadb.HttpClient(
                host=parts.hostname or "127.0.0.1", port=parts.port or (443 if parts.scheme == "https" else 8000),
                ssl=parts.scheme == "https", settings=ChromaSettings(anonymized_telemetry=False),
            )
            client.heartbeat()
            return client
        except Exception as err:  # the client's own errors (httpx, chromadb): all mean "not reachable"
            raise IndexUnavailableError(
                f"The Chroma server at {url} does not answer ({type(err).__name__}).",
                f"Start it with `chroma run --path <folder> --port {parts.port or 8000}`, or unset MENTOR_CHROMA_URL.",
            ) from err
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(index_dir / CHROMA_DIR),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
    except Exception as err:  # chromadb reports damage and file-system trouble alike (InternalError)
        raise opening_error(index_dir / CHROMA_DIR, err) from err


def opening_error(where: Path, err: BaseException) -> Exception:
    """A damaged store is corrupt (`mentor index --rebuild` sets it aside); anything else (permissions, a lock,
    a full disk) only makes it unavailable, and nothing is set aside.

    >>> type(opening_error(Path("x"), RuntimeError("error returned from database: (code: 26) file is not a database")))
    <class 'rag.errors.IndexCorruptError'>
    >>> type(opening_error(Path("x"), RuntimeError("Permission denied (os error 13)")))
    <class 'rag.errors.IndexUnavailableError'>
    """
    detail = " ".join(str(err).split())[:200]
    if CORRUPT.search(detail):
        return IndexCorruptError(f"The vector store in {where} is damaged ({detail}).")
    return IndexUnavailableError(f"The vector store in {where} cannot be opened ({detail}).")


def collection_for(client: Any, name: str, embeddings: Any, create: bool = False, metadata: dict | None = None) -> Any:
    """Get (or create) a cosine-distance collection with our embedding function."""
    from .chroma_function import ChromaEmbeddingFunction  # imports chromadb: not for `mentor status`

    ef = ChromaEmbeddingFunction(embeddings)
    if create:
        return client.get_or_create_collection(name, embedding_function=ef, configuration={"hnsw": HNSW}, metadata=metadata)
    return client.get_collection(name, embedding_function=ef)


class IndexReader:
    """The current index, opened for queries: dense search, lexical search, chunk lookup."""

    def __init__(self, index_dir: Path, embeddings: Any, client: Any | None = None, url: str = "") -> None:
        manifest = read_manifest(index_dir)
        if manifest is None:
            raise IndexMissingError(f"No index has been built yet in {index_dir}.")
        if manifest.model_id != embeddings.model_id:
            raise ModelMismatchError(
                f"The index was built with the model {manifest.model_id}, "
                f"but the configured model is {embeddings.model_id}."
            )
        self.manifest = manifest
        self.embeddings = embeddings
        try:
            self.collection = collection_for(client or open_client(index_dir, url), manifest.collection, embeddings)
            count = self.collection.count()
        except (IndexCorruptError, IndexUnavailableError):
            raise
        except Exception as err:  # chromadb: a missing collection, a damaged or unreachable store
            from chromadb.errors import NotFoundError

            if isinstance(err, NotFoundError):
                raise IndexCorruptError(f"The index names the vector collection {manifest.collection}, "
                                        "which does not exist.") from err
            raise opening_error(index_dir / CHROMA_DIR, err) from err
        if count != manifest.chunk_count:
            raise IndexCorruptError(
                f"The vector collection holds {count} chunks but the manifest says {manifest.chunk_count}."
            )
        self.lexical = BM25Index.load(index_dir / manifest.lexical_file)
        self.sentences = (SentenceVectors.load(index_dir / manifest.sentence_file) if manifest.sentence_file
                          else SentenceVectors.empty())

    def dense(self, query_vector: Any, n: int, kind: str | None = None) -> list[tuple[str, float]]:
        """The `n` nearest chunks (of `kind`, when given) as (chunk id, cosine similarity), best first."""
        n = min(n, self.manifest.chunk_count)
        if n <= 0:
            return []
        vector = [float(x) for x in query_vector]
        where = {"kind": kind} if kind else None
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]

    def fetch(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Text and metadata of the given chunks, by id; kept once read (this reader's collection never changes,
        and a warm question then reads only the chunks no earlier question brought in: saves a Chroma read)."""
        stored = self.__dict__.setdefault("_stored", {})
        ids = list(dict.fromkeys(ids))  # Chroma refuses duplicate ids
        missing = [cid for cid in ids if cid not in stored]
        if missing:
            if len(stored) + len(missing) > STORED_CHUNKS:
                stored.clear()
            got = self.collection.get(ids=missing, include=["documents", "metadatas"])
            stored.update((cid, (doc, meta)) for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]))
        return {cid: stored[cid] for cid in ids if cid in stored}

    def similarities(self, query_vector: Any, ids: list[str]) -> dict[str, float]:
        """Cosine similarity of the query to the given chunks (vectors are normalised; kept once read, as `fetch`)."""
        import numpy as np

        vectors = self.__dict__.setdefault("_vectors", {})
        missing = [cid for cid in dict.fromkeys(ids) if cid not in vectors]
        if missing:
            if len(vectors) + len(missing) > STORED_CHUNKS:
                vectors.clear()
            got = self.collection.get(ids=missing, include=["embeddings"])
            vectors.update((cid, np.asarray(vec, dtype="float32")) for cid, vec in zip(got["ids"], got["embeddings"]))
        q = np.asarray(query_vector, dtype="float32")
        return {cid: float(np.dot(vectors[cid], q)) for cid in ids if cid in vectors}

    def find_quote(self, doc_id: str, quote: str, language: str | None = None) -> Any:
        """The chunk of `doc_id` whose text contains `quote`, as a Hit (or None); with `language`, found
        through the chunk's rendering in that language when it has one (so the Hit carries the alignment)."""
        cache = self.__dict__.setdefault("_doc_chunks", {})
        if doc_id not in cache:
            got = self.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
            cache[doc_id] = sorted(zip(got["ids"], got["documents"], got["metadatas"]), key=lambda r: r[2]["ordinal"])
        rows = cache[doc_id]
        for cid, text, meta in rows:
            if not meta.get("original") and quote in text:
                twin = next((r for r in rows if r[2].get("original") == cid and r[2].get("view") == language), None)
                return Hit.from_stored(*(twin or (cid, text, meta)))
        return None

    def note(self, doc_id: str) -> dict | None:
        """Title and URL of a corpus document, from the metadata of its first chunk."""
        got = self.collection.get(where={"doc_id": doc_id}, include=["metadatas"], limit=1)
        if not got["ids"]:
            return None
        meta = got["metadatas"][0]
        return {"id": doc_id, "title": meta["title"], "url": meta["source_url"]}

    def named_docs(self, question: str) -> list[str]:
        """Non-guide documents (notes) whose name the question mentions, e.g. "CS50", "Papers with Code"."""
        if "_name_pattern" not in self.__dict__:
            self.__dict__["_name_pattern"], self.__dict__["_name_doc"] = self._name_index()
        pattern, doc_of = self.__dict__["_name_pattern"], self.__dict__["_name_doc"]
        if pattern is None:
            return []
        lowered = " ".join(question.lower().split())
        found = {doc_of[m.group(0)] for text in (lowered, lowered.replace(" ", "")) for m in pattern.finditer(text)}
        return sorted(found)

    def _name_index(self) -> tuple[Any, dict[str, str]]:
        """One regex over every note's name variants (read page by page: Chroma limits one read)."""
        import re

        doc_of: dict[str, str] = {}
        for meta in self._all_metadatas(where={"kind": {"$ne": "guide"}}):
            if meta.get("ordinal") != 0:
                continue
            title = re.split(r"[(:（]", meta["title"])[0].strip().lower()
            for variant in (title, title.replace(" ", ""), meta["doc_id"].replace("-", " ")):
                if len(variant) >= 3:
                    doc_of.setdefault(variant, meta["doc_id"])
        if not doc_of:
            return None, doc_of
        names = sorted(doc_of, key=len, reverse=True)
        return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, names)) + r")(?![a-z0-9])"), doc_of

    def _all_metadatas(self, where: dict | None = None, page: int = 5000) -> list[dict]:
        metadatas: list[dict] = []
        offset = 0
        while True:
            got = self.collection.get(where=where, include=["metadatas"], limit=page, offset=offset)
            metadatas += got["metadatas"]
            if len(got["ids"]) < page:
                return metadatas
            offset += page

    def chunks_of(self, doc_ids: list[str]) -> list[str]:
        """Chunk ids of the given documents, in document order."""
        if not doc_ids:
            return []
        got = self.collection.get(where={"doc_id": {"$in": doc_ids}}, include=["metadatas"])
        rows = sorted(zip(got["ids"], got["metadatas"]), key=lambda r: (doc_ids.index(r[1]["doc_id"]), r[1]["ordinal"]))
        return [cid for cid, _ in rows]
