"""Write chunks into a generation's Chroma collection, embedding only those without a vector.

A chunk is either a fresh `Chunk` or a dict {"id", "document", "meta"} carried over
from the previous generation; `chunk_id`, `metadata`, `embed_text` and `document`
read both. Batches are written as they are embedded, so a run that dies leaves
vectors the next run reuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..records import Chunk

BATCH = 256


def chunk_id(c: Chunk | dict) -> str:
    return c.chunk_id if isinstance(c, Chunk) else c["id"]


def metadata(c: Chunk | dict) -> dict:
    return c.metadata() | {"embed_text": c.embed_text} if isinstance(c, Chunk) else c["meta"]


def embed_text(c: Chunk | dict) -> str:
    return metadata(c)["embed_text"]


def document(c: Chunk | dict) -> str:
    return c.text if isinstance(c, Chunk) else c["document"]


def fill(collection: Any, wanted: dict[str, Chunk | dict], vectors: dict[str, Any], embeddings: Any,
         progress: Callable[[int, int], None] | None) -> None:
    """Write every wanted chunk into `collection`, embedding only those without a vector."""
    present = set(collection.get(include=[])["ids"]) if collection.count() else set()
    todo = [c for cid, c in wanted.items() if cid not in present]
    fresh = [c for c in todo if chunk_id(c) not in vectors]
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

        found = embeddings.encode_passages([embed_text(c) for c in batch], progress=step)
        for c, vector in zip(batch, found):
            vectors[chunk_id(c)] = vector
        _add(collection, batch, vectors)  # written as we go, so a later run can reuse them
    fresh_ids = {chunk_id(c) for c in fresh}
    reused = [c for c in todo if chunk_id(c) not in fresh_ids]
    for i in range(0, len(reused), BATCH):
        _add(collection, reused[i : i + BATCH], vectors)


def _add(collection: Any, batch: list[Chunk | dict], vectors: dict[str, Any]) -> None:
    import numpy as np

    collection.add(
        ids=[chunk_id(c) for c in batch],
        embeddings=np.asarray([vectors[chunk_id(c)] for c in batch], dtype="float32"),
        documents=[document(c) for c in batch],
        metadatas=[metadata(c) for c in batch],
    )
