"""Where an index's manifest, its generation files (BM25, sentence and question vectors, chunks) and its lock live.

`LocalHome` keeps them in MENTOR_HOME/index beside the embedded Chroma database;
`ServerHome` (server_home.py) keeps them with the Chroma server, so every app host
reads the same index and the index folder only caches verified copies. The
manifest is written last and atomically and names one generation (plus the ones it
superseded, kept for readers a grace period); it records each file's checksum, so a
cut or changed file is found, never read as if healthy.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError
from .lock import FileLock

MANIFEST = "manifest.json"
LOCK_FILE = "index.lock"
REPAIR = "Run `mentor index`: it writes a damaged or missing index file anew."
GENERATION_FILES = ("lexical_g*", "sentences_g*", "questions_g*", "english_g*", "chunks_g*")  # with their .tmp leftovers
SERVER_CACHE = "from-server"  # a host's copies of a Chroma server's files (apart from an embedded index's own)


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
    checksums: dict[str, str] = field(default_factory=dict)  # generation file -> sha256
    chunk_file: str = ""  # the chunks for readers on this machine (snapshot.py); none for a server's or a large index
    question_file: str = ""  # the vectors of the questions the chunks' sections answer and the packs' off-topic ones
    english_file: str = ""  # the English quotable sentences' vectors under the English sentence model (none without it)
    english_model_id: str = ""  # the English sentence model that made them
    # Superseded generations still kept for readers: {"generation", "collection", "files", "retired_at" (epoch s)}
    retired: list[dict] = field(default_factory=list)

    def own_files(self) -> list[str]:
        return [name for name in (self.lexical_file, self.sentence_file, self.question_file, self.english_file,
                                  self.chunk_file) if name]


def read_manifest(index_dir: Path) -> Manifest | None:
    """The manifest in a local index folder, or None when no index was ever built there."""
    path = index_dir / MANIFEST
    if not path.exists():
        return None
    try:
        return parse_manifest(path.read_text(encoding="utf-8"), str(path))
    except OSError as err:
        raise IndexCorruptError(f"The index manifest {path} cannot be read ({err}).") from err


def parse_manifest(text: str, where: str) -> Manifest:
    try:
        return Manifest(**json.loads(text))
    except (ValueError, TypeError) as err:
        raise IndexCorruptError(f"The index manifest {where} cannot be read ({err}).") from err


def manifest_json(manifest: Manifest) -> str:
    return json.dumps(asdict(manifest), ensure_ascii=False, indent=1)


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically: readers see the old one or the new one, never half."""
    path = index_dir / MANIFEST
    tmp = path.with_name(MANIFEST + ".tmp")
    tmp.write_text(manifest_json(manifest), encoding="utf-8")
    os.replace(tmp, path)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_problem(path: Path, checksum: str) -> str | None:
    """What is wrong with a generation file, or None when it is there and matches its checksum."""
    if not path.is_file():
        return f"{path.name} is missing"
    if checksum and sha256(path) != checksum:
        return f"{path.name} is damaged (cut or changed: its checksum does not match the manifest)"
    return None


def local_generation_files(index_dir: Path) -> set[str]:
    return {p.name for pattern in GENERATION_FILES for p in index_dir.glob(pattern)}


class LocalHome:
    """Manifest, generation files and lock in the index folder (the embedded Chroma database's neighbours)."""

    shared = False  # only this machine sees it

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def read_manifest(self) -> Manifest | None:
        return read_manifest(self.index_dir)

    def write_manifest(self, manifest: Manifest) -> None:
        write_manifest(self.index_dir, manifest)

    def publish(self, name: str) -> None:
        """Make a file written into the index folder visible to readers: here, it already is."""

    def path(self, name: str, checksum: str) -> Path:
        """A verified generation file, as a local path."""
        problem = file_problem(self.index_dir / name, checksum)
        if problem:
            raise IndexCorruptError(f"The index file {problem}.", REPAIR)
        return self.index_dir / name

    def problem(self, name: str, checksum: str) -> str | None:
        return file_problem(self.index_dir / name, checksum)

    def file_names(self) -> set[str]:
        return local_generation_files(self.index_dir)

    def remove_file(self, name: str) -> None:
        (self.index_dir / name).unlink(missing_ok=True)

    def lock(self) -> FileLock:
        return FileLock(self.index_dir / LOCK_FILE)


def open_home(index_dir: Path, client: Any = None, url: str = "", prefix: str = "mentor") -> Any:
    """The index's home: with a Chroma server (`url`), on the server; else the local index folder."""
    if url:
        from .server_home import ServerHome

        return ServerHome(client, prefix, index_dir / SERVER_CACHE)
    return LocalHome(index_dir)
