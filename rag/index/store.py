"""The index opened for reading: the Chroma client (embedded or server), what counts as a damaged store, and
`IndexReader` over one generation (its chunks, a BM25 file, sentence and question vectors).

A local index's chunks are read from the generation's chunk file (snapshot.py: no chromadb import, exact
search in numpy); a server's, or a local index too large for one, from the Chroma collection.

The manifest (`home`, written last, atomically) says which generation is current
and which model built it. Readers open exactly what it names, so an index run that
dies halfway leaves the previous index in use. This module opens and reads;
`indexer` decides what to write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError, IndexMissingError, IndexUnavailableError, ModelMismatchError
from ..records import Hit
from .client import CHROMA_DIR, collection_for, is_not_found, open_client, opening_error
from .environment import single_threaded_numpy
from .home import Manifest, open_home
from .lexical import BM25Index
from .sentences import SentenceVectors, manifest_vectors
from .snapshot import ChunkSnapshot

STORED_CHUNKS = 20_000  # chunks a reader keeps read (text and metadata, ~2 KB each); past it, it starts again


class IndexReader:
    """The current index, opened for queries: dense search, lexical search, chunk lookup.

    It pins the generation the manifest named when it opened. That generation outlives a later index run by a
    grace period; a reader that outlives the grace too follows the current generation at its next query.
    """

    def __init__(self, index_dir: Path, embeddings: Any, client: Any | None = None, url: str = "",
                 prefix: str = "mentor", english: Any = None) -> None:
        self.index_dir, self.embeddings, self.url = index_dir, embeddings, url
        self.english = english  # the English sentence model (rag.engine.load_english; None: no English ranking)
        single_threaded_numpy()
        self.client = client if client is not None or not url else open_client(index_dir, url)
        self.home = open_home(index_dir, self.client, url, prefix)
        self._open()
        self.collection = _Following(self)

    def _open(self) -> None:
        """Open what the manifest names; a generation removed meanwhile means a newer manifest: read it again."""
        for attempt in range(3):
            manifest = self.home.read_manifest()
            try:
                self._open_generation(manifest)
                return
            except IndexCorruptError:
                if attempt == 2 or self.home.read_manifest() == manifest:
                    raise

    def refresh(self) -> None:
        """Between questions: move to the current generation when a newer one was published, so no answer starts
        on a generation that may be removed while it runs (the old one outlives it by the grace period)."""
        if self.superseded():
            self._open()

    def superseded(self) -> bool:
        """Has a newer generation become current since this reader opened its own?"""
        try:
            current = self.home.read_manifest()
        except Exception:  # unreadable now: not a reason to leave the pinned generation
            return False
        return current is not None and current.generation != self.manifest.generation

    def _open_generation(self, manifest: Manifest | None) -> None:
        if manifest is None:
            where = f"on the Chroma server at {self.url}" if self.url else f"in {self.index_dir}"
            raise IndexMissingError(f"No index has been built yet {where}.")
        if manifest.model_id != self.embeddings.model_id:
            raise ModelMismatchError(
                f"The index was built with the model {manifest.model_id}, "
                f"but the configured model is {self.embeddings.model_id}."
            )
        collection, count = self._chunks(manifest)
        if count != manifest.chunk_count:
            raise IndexCorruptError(
                f"The vector collection holds {count} chunks but the manifest says {manifest.chunk_count}."
            )
        lexical = BM25Index.load(self.home.path(manifest.lexical_file, manifest.checksums.get(manifest.lexical_file, "")))
        sentences, questions = (manifest_vectors(self.home, manifest, name) for name in (manifest.sentence_file, manifest.question_file))
        english = self._english_sentences(manifest)
        if self.home.shared:
            self.home.prune(manifest)
        for cache in ("_doc_chunks", "_name_pattern", "_name_doc"):  # what was read from the previous generation
            self.__dict__.pop(cache, None)
        self.manifest, self._collection, self.lexical, self.sentences = manifest, collection, lexical, sentences
        self.questions = questions  # the questions the chunks' sections answer (and the off-topic ones), as queries
        self.english_sentences = english  # the English sentences under the English model (empty: no English ranking)
        self._stored, self._vectors = {}, {}  # what `fetch` and `similarities` keep, for this generation

    def _english_sentences(self, manifest: Manifest) -> SentenceVectors:
        """The generation's English sentence vectors, for this reader's English model: none without one or when the
        generation has none (built without it); made by another model, `mentor index` must write them anew."""
        if self.english is None or not manifest.english_file:
            return SentenceVectors.empty()
        if manifest.english_model_id != self.english.model_id:
            raise ModelMismatchError(f"The index's English sentence vectors were made by {manifest.english_model_id}, "
                                     f"but the configured English sentence model is {self.english.model_id}.")
        return manifest_vectors(self.home, manifest, manifest.english_file)

    def _chunks(self, manifest: Manifest) -> tuple[Any, int]:
        """The generation's chunks and their count: its chunk file when it has one (on this machine), else its
        Chroma collection (a missing collection or a damaged store says so here, not at the first question)."""
        if manifest.chunk_file and not self.url:
            chunks = ChunkSnapshot.load(self.home.path(manifest.chunk_file, manifest.checksums.get(manifest.chunk_file, "")))
            return chunks, chunks.count()
        try:
            if self.client is None:
                self.client = open_client(self.index_dir)
            collection = collection_for(self.client, manifest.collection, self.embeddings)
            return collection, collection.count()
        except (IndexCorruptError, IndexUnavailableError):
            raise
        except Exception as err:  # chromadb: a missing collection, a damaged or unreachable store
            if is_not_found(err):
                raise IndexCorruptError(f"The index names the vector collection {manifest.collection}, "
                                        "which does not exist.") from err
            raise opening_error(self.index_dir / CHROMA_DIR, err) from err

    def dense(self, query_vector: Any, n: int, kind: str | None = None) -> list[tuple[str, float]]:
        """The `n` nearest chunks (of `kind`, when given) as (chunk id, cosine similarity), best first."""
        n = min(n, self.manifest.chunk_count)
        if n <= 0:
            return []
        where = {"kind": kind} if kind else None
        result = self.collection.query(query_embeddings=[query_vector], n_results=n, where=where, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]

    def fetch(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        """Text and metadata of the given chunks, by id; kept once read (this reader's collection never changes,
        and a warm question then reads only the chunks no earlier question brought in: saves a Chroma read)."""
        stored = self._stored
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

        vectors = self._vectors
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
        rows = self._doc_rows(doc_id)
        for cid, text, meta in rows:
            if not meta.get("original") and quote in text:
                twin = next((r for r in rows if r[2].get("original") == cid and r[2].get("view") == language), None)
                return Hit.from_stored(*(twin or (cid, text, meta)))
        return None

    def _doc_rows(self, doc_id: str) -> list[tuple[str, str, dict]]:
        """The chunks of `doc_id` (renderings too) as (id, text, metadata), in document order; read once, kept."""
        cache = self.__dict__.setdefault("_doc_chunks", {})
        if doc_id not in cache:
            got = self.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
            cache[doc_id] = sorted(zip(got["ids"], got["documents"], got["metadatas"]), key=lambda r: r[2]["ordinal"])
        return cache[doc_id]

    def first_chunk(self, doc_id: str) -> Any:
        """The first chunk of `doc_id` as written (not a rendering), as a Hit; None when the index has none."""
        return next((Hit.from_stored(cid, text, meta) for cid, text, meta in self._doc_rows(doc_id)
                     if not meta.get("original")), None)

    def guide_ids(self) -> list[str]:
        """The ids of the guides (documents of kind "guide"), sorted."""
        got = self.collection.get(where={"kind": "guide"}, include=["metadatas"])
        return sorted({meta["doc_id"] for meta in got["metadatas"]})

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


class _Following:
    """The pinned generation's collection; when that generation was removed (Chroma says "not found", or fails
    mid-query while a newer manifest is current), the reader opens the current one and the call is made again
    there (chunk ids are content hashes: the same chunk has the same id in both)."""

    def __init__(self, reader: IndexReader) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return getattr(self._reader._collection, name)(*args, **kwargs)
            except Exception as err:
                if not (is_not_found(err) or self._reader.superseded()):
                    raise
                self._reader._open()
                return getattr(self._reader._collection, name)(*args, **kwargs)

        return call
