"""Index generations: each index run writes a new Chroma collection (and BM25, sentence and question files) named by a
generation number; this module finds them, opens the store for writing, reuses vectors they hold, and
retires and collects them.

A superseded generation is retired, not removed: it stays for `generation_grace` seconds, so readers that
opened it finish on it. Collecting removes retired generations past their grace and orphans: collections,
files and HNSW folders no manifest names (left by killed runs, or by Chroma, which keeps a deleted
collection's folder). Only an index run collects, under the index lock.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import IndexCorruptError
from .home import MANIFEST, Manifest
from .client import CHROMA_DIR, open_client


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


def retire(old: Manifest | None, now: float) -> list[dict]:
    """The superseded generations a new manifest keeps: the old current one (retired now) and those it kept."""
    if old is None:
        return []
    return [{"generation": old.generation, "collection": old.collection, "files": old.own_files(), "retired_at": now},
            *old.retired]


@dataclass(frozen=True)
class Inventory:
    """What the index holds beside its current generation."""

    retired: list[tuple[int, float]]  # (generation, seconds left before it is collected), kept for readers
    orphans: list[str]  # collections, files and folders that no manifest names


def inventory(client: Any, home: Any, settings: Settings, manifest: Manifest | None, now: float) -> Inventory:
    kept = [r for r in (manifest.retired if manifest else []) if now - r["retired_at"] < settings.generation_grace]
    live_collections = {manifest.collection, *(r["collection"] for r in kept)} if manifest else set()
    live_files = {*manifest.own_files(), *(f for r in kept for f in r["files"])} if manifest else set()
    orphans = sorted(set(generations(client, settings)) - live_collections)
    orphans += sorted(home.file_names() - live_files)
    if not home.shared:
        orphans += [f"{CHROMA_DIR}/{p.name}" for p in orphan_folders(home.index_dir / CHROMA_DIR)]
    retired = [(r["generation"], r["retired_at"] + settings.generation_grace - now) for r in kept]
    return Inventory(retired, orphans)


def collect(client: Any, home: Any, settings: Settings, manifest: Manifest, now: float) -> tuple[Manifest, list[str]]:
    """Remove retired generations past their grace and every orphan; the manifest to keep, and what went."""
    found = inventory(client, home, settings, manifest, now)
    kept = {g for g, _ in found.retired}
    pruned = replace(manifest, retired=[r for r in manifest.retired if r["generation"] in kept])
    if pruned != manifest:
        home.write_manifest(pruned)  # first, so no reader is sent to what goes next
    names = set(generations(client, settings))
    removed = []
    for orphan in found.orphans:
        if orphan in names:
            client.delete_collection(orphan)
        elif not orphan.startswith(f"{CHROMA_DIR}/"):
            home.remove_file(orphan)
        removed.append(orphan)
    if not home.shared:  # the folders of the collections just deleted too (Chroma leaves them behind)
        for folder in orphan_folders(home.index_dir / CHROMA_DIR):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(f"{CHROMA_DIR}/{folder.name}")
    return pruned, list(dict.fromkeys(removed))


def orphan_folders(chroma_dir: Path) -> list[Path]:
    """HNSW folders of the embedded database that no vector segment owns (Chroma leaves a deleted
    collection's folder behind)."""
    database = chroma_dir / "chroma.sqlite3"
    if not database.is_file():
        return []
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:  # Chroma's own table of segments
        owned = {row[0] for row in db.execute("SELECT id FROM segments")}
    return sorted(p for p in chroma_dir.iterdir() if p.is_dir() and _uuid_like(p.name) and p.name not in owned)


def _uuid_like(name: str) -> bool:
    return len(name) == 36 and name.count("-") == 4
