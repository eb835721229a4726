"""Index generations: each index run writes a new Chroma collection (and BM25 and sentence files) named by a
generation number; this module finds them, opens the store for writing, reuses vectors they hold and
removes the ones no longer current.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import IndexCorruptError
from .store import CHROMA_DIR, MANIFEST, open_client


def generations(client: Any, settings: Settings) -> list[str]:
    prefix = f"{settings.collection_prefix}_g"
    return [c.name for c in client.list_collections() if c.name.startswith(prefix) and c.name[len(prefix):].isdigit()]


def highest_generation(client: Any, settings: Settings) -> int:
    prefix = len(settings.collection_prefix) + 2
    return max((int(name[prefix:]) for name in generations(client, settings)), default=0)


def open_for_writing(index_dir: Path, rebuild: bool, url: str = "") -> Any:
    """Open the vector store; on --rebuild, set a damaged local one aside and start afresh (one that is only
    unavailable, for a permission, a lock or a full disk, is an error and stays as it is)."""
    try:
        return open_client(index_dir, url)
    except IndexCorruptError:
        if not rebuild or url:
            raise
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        (index_dir / CHROMA_DIR).rename(index_dir / f"{CHROMA_DIR}.corrupt-{int(time.time())}")
        (index_dir / MANIFEST).unlink(missing_ok=True)
        return open_client(index_dir)


def reusable_vectors(client: Any, settings: Settings, model_id: str, wanted: set[str]) -> dict[str, Any]:
    """Vectors this model already computed for wanted ids: in the current generation or one a dead run left."""
    vectors: dict[str, Any] = {}
    for name in generations(client, settings):
        collection = client.get_collection(name, embedding_function=None)
        if (collection.metadata or {}).get("model_id") != model_id:
            continue
        for offset in range(0, collection.count(), 2000):
            got = collection.get(include=["embeddings"], limit=2000, offset=offset)
            for cid, vector in zip(got["ids"], got["embeddings"]):
                if cid in wanted:
                    vectors.setdefault(cid, vector)
    return vectors


def drop_other_generations(client: Any, settings: Settings, keep: str, index_dir: Path, keep_files: set[str]) -> None:
    for name in generations(client, settings):
        if name != keep:
            client.delete_collection(name)
    for path in [*index_dir.glob("lexical_g*.json*"), *index_dir.glob("sentences_g*.npz*")]:
        if path.name not in keep_files:
            path.unlink(missing_ok=True)
