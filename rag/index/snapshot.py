"""A generation's chunks in one file, for readers on this machine: ids, texts, metadata and vectors.

An index run on a local home writes it beside the BM25 and sentence files (up to MAX_CHUNKS chunks),
read back from the Chroma collection it has just filled, so it holds exactly what the collection
holds. A reader whose manifest names it answers from it: an exact cosine search in numpy (about 0.1 ms
over a thousand vectors, against a Chroma query's 2 ms) and no `chromadb` import, which is most of
the time a cold `mentor ask` spends opening the index (about 0.8 s of 2). The Chroma collection stays
the store of record: index runs reuse its vectors, and a server's index (shared by many hosts) or a
larger one is read from Chroma.

`ChunkSnapshot` answers the part of a Chroma collection's interface that `IndexReader` calls (`count`,
`query`, `get`, with `where` filters of the forms `{key: value}`, `{key: {"$ne": value}}` and
`{key: {"$in": [values]}}`), so the reader reads either one the same way.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError

MAX_CHUNKS = 20_000  # past it (vectors, texts and metadata held in memory), readers query Chroma instead
PAGE = 5000  # Chroma refuses very large single reads


class ChunkSnapshot:
    """Chunks held in memory, searched and read like the Chroma collection they were copied from."""

    def __init__(self, ids: list[str], documents: list[str], metadatas: list[dict], vectors: Any) -> None:
        import numpy as np

        self.ids, self.documents, self.metadatas = ids, documents, metadatas
        self.vectors = np.asarray(vectors, dtype="float32").reshape(len(ids), -1)
        self.row = {cid: i for i, cid in enumerate(ids)}
        self._filtered: dict[str, list[int]] = {}

    def count(self) -> int:
        return len(self.ids)

    def query(self, query_embeddings: list[Any], n_results: int, where: dict | None = None,
              include: list[str] | tuple[str, ...] = ("distances",)) -> dict:
        """The `n_results` nearest chunks to each query vector, as Chroma answers: ids and cosine distances."""
        import numpy as np

        rows = self._rows(where)
        vectors = self.vectors if rows is None else self.vectors[rows]
        ids, distances = [], []
        for vector in query_embeddings:
            similarity = vectors @ np.asarray(vector, dtype="float32")
            n = min(n_results, len(similarity))
            top = np.argpartition(-similarity, n - 1)[:n] if 0 < n < len(similarity) else np.arange(n)
            best = top[np.lexsort((top, -similarity[top]))]  # by similarity, then stored order
            ids.append([self.ids[i if rows is None else rows[i]] for i in best])
            distances.append([1.0 - float(similarity[i]) for i in best])
        return {"ids": ids, "distances": distances}

    def get(self, ids: list[str] | None = None, where: dict | None = None,
            include: list[str] | tuple[str, ...] = ("documents", "metadatas"), limit: int | None = None,
            offset: int = 0) -> dict:
        """Chunks by id (unknown ids are left out) or by `where`, in stored order, with what `include` names."""
        if ids is not None:
            rows = [self.row[cid] for cid in ids if cid in self.row]
            rows = [i for i in rows if matches(self.metadatas[i], where)] if where else rows
        else:
            rows = self._rows(where) if where else list(range(len(self.ids)))
        rows = rows[offset:] if limit is None else rows[offset:offset + limit]
        got: dict[str, Any] = {"ids": [self.ids[i] for i in rows]}
        if "documents" in include:
            got["documents"] = [self.documents[i] for i in rows]
        if "metadatas" in include:
            got["metadatas"] = [self.metadatas[i] for i in rows]
        if "embeddings" in include:
            got["embeddings"] = self.vectors[rows]
        return got

    def _rows(self, where: dict | None) -> list[int] | None:
        """The rows `where` lets through (None: all of them), kept per filter: the snapshot never changes."""
        if not where:
            return None
        key = json.dumps(where, sort_keys=True)
        if key not in self._filtered:
            self._filtered[key] = [i for i, meta in enumerate(self.metadatas) if matches(meta, where)]
        return self._filtered[key]

    def save(self, path: Path) -> None:
        """One .npz (no pickles): the vectors, and ids, texts and metadata as UTF-8 JSON bytes; written under a
        temporary name and renamed when complete."""
        import numpy as np

        records = json.dumps({"ids": self.ids, "documents": self.documents, "metadatas": self.metadatas},
                             ensure_ascii=False).encode("utf-8")
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, records=np.frombuffer(records, dtype="uint8"), vectors=self.vectors)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "ChunkSnapshot":
        import numpy as np

        try:
            with np.load(path, allow_pickle=False) as data:
                records = json.loads(data["records"].tobytes().decode("utf-8"))
                return cls(records["ids"], records["documents"], records["metadatas"], data["vectors"])
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as err:
            raise IndexCorruptError(f"The chunk file {path.name} cannot be read ({err}).") from err

    @classmethod
    def from_collection(cls, collection: Any) -> "ChunkSnapshot":
        """Everything a Chroma collection holds, read page by page."""
        ids: list[str] = []
        documents: list[str] = []
        metadatas: list[dict] = []
        vectors: list[Any] = []
        for offset in range(0, collection.count(), PAGE):
            got = collection.get(include=["documents", "metadatas", "embeddings"], limit=PAGE, offset=offset)
            ids += got["ids"]
            documents += got["documents"]
            metadatas += got["metadatas"]
            vectors += list(got["embeddings"])
        return cls(ids, documents, metadatas, vectors)


def matches(meta: dict, where: dict) -> bool:
    """Does chunk metadata pass a `where` filter (every key: a value, {"$ne": value} or {"$in": values})?

    >>> matches({"kind": "note", "doc_id": "cs50"}, {"kind": {"$ne": "guide"}})
    True
    >>> matches({"kind": "note", "doc_id": "cs50"}, {"doc_id": {"$in": ["fast-ai"]}})
    False
    """
    for key, wanted in where.items():
        value = meta.get(key)
        if isinstance(wanted, dict):
            (operator, operand), = wanted.items()
            if operator == "$ne":
                ok = value != operand
            elif operator == "$in":
                ok = value in operand
            elif operator == "$eq":
                ok = value == operand
            else:
                raise ValueError(f"unsupported filter operator {operator}")
            if not ok:
                return False
        elif value != wanted:
            return False
    return True
