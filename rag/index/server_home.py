"""The index's manifest, generation files and lock kept on the Chroma server, shared by every app host.

With MENTOR_CHROMA_URL, a collection `<prefix>_meta` holds the manifest (one
record) and each generation file (BM25, sentence and question vectors) in pieces of base64
text; a host copies the files it reads into its own index folder, verified against
the manifest's checksums, and fetches them again when a copy is missing or damaged.
The lock is a `ChromaLock`. Records carry a one-number placeholder vector: Chroma
stores vectors, these records are only text.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError
from .home import REPAIR, Manifest, file_problem, local_generation_files, manifest_json, parse_manifest, sha256
from .lock import ChromaLock

PIECE = 1 << 20  # characters of base64 per record: well under any request limit
MANIFEST_ID = "manifest"


class ServerHome:
    """Manifest, files and lock in the Chroma server; `index_dir` is this host's verified cache of the files."""

    shared = True  # every host of the server sees it

    def __init__(self, client: Any, prefix: str, index_dir: Path) -> None:
        self.client, self.prefix, self.index_dir = client, prefix, index_dir
        self._meta: Any = None

    @property
    def meta(self) -> Any:
        if self._meta is None:
            self._meta = self.client.get_or_create_collection(f"{self.prefix}_meta", embedding_function=None)
        return self._meta

    def read_manifest(self) -> Manifest | None:
        got = self.meta.get(ids=[MANIFEST_ID], include=["documents"])
        if not got["ids"]:
            return None
        return parse_manifest(got["documents"][0], f"in the Chroma collection {self.prefix}_meta")

    def write_manifest(self, manifest: Manifest) -> None:
        """One record replaced in one write: readers on every host see the old manifest or the new one."""
        self.meta.upsert(ids=[MANIFEST_ID], documents=[manifest_json(manifest)], embeddings=[[0.0]],
                         metadatas=[{"record": "manifest"}])

    def publish(self, name: str) -> None:
        """Upload a generation file written into the index folder, in pieces, replacing any older copy."""
        text = base64.b64encode((self.index_dir / name).read_bytes()).decode("ascii")
        pieces = [text[i : i + PIECE] for i in range(0, len(text), PIECE)] or [""]
        self.meta.delete(where={"file": name})
        for i, piece in enumerate(pieces):
            self.meta.add(ids=[f"file:{name}:{i}"], documents=[piece], embeddings=[[0.0]],
                          metadatas=[{"record": "file", "file": name, "piece": i, "pieces": len(pieces)}])

    def path(self, name: str, checksum: str) -> Path:
        """This host's copy of a generation file, fetched from the server when missing or not matching."""
        local = self.index_dir / name
        if file_problem(local, checksum) is None:
            return local
        got = self.meta.get(where={"file": name}, include=["documents", "metadatas"])
        pieces = sorted(zip(got["metadatas"], got["documents"]), key=lambda r: r[0]["piece"])
        if not pieces or len(pieces) != pieces[0][0]["pieces"]:
            raise IndexCorruptError(f"The index file {name} is missing from the Chroma server.", REPAIR)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        tmp = local.with_name(name + ".download")
        tmp.write_bytes(base64.b64decode("".join(text for _, text in pieces)))
        if checksum and sha256(tmp) != checksum:
            tmp.unlink()
            raise IndexCorruptError(f"The index file {name} on the Chroma server is damaged (its checksum does not "
                                    "match).", REPAIR)
        os.replace(tmp, local)
        return local

    def prune(self, manifest: Manifest) -> None:
        """Drop this host's copies of files no manifest generation names any more (readers hold theirs in memory)."""
        live = {*manifest.own_files(), *(f for r in manifest.retired for f in r["files"])}
        for name in local_generation_files(self.index_dir) - live:
            (self.index_dir / name).unlink(missing_ok=True)

    def problem(self, name: str, checksum: str) -> str | None:
        try:
            self.path(name, checksum)
        except IndexCorruptError as err:
            return str(err).removeprefix("The index file ").rstrip(".")
        return None

    def file_names(self) -> set[str]:
        got = self.meta.get(where={"record": "file"}, include=["metadatas"])
        return {m["file"] for m in got["metadatas"]} | local_generation_files(self.index_dir)

    def remove_file(self, name: str) -> None:
        self.meta.delete(where={"file": name})
        (self.index_dir / name).unlink(missing_ok=True)

    def lock(self) -> ChromaLock:
        return ChromaLock(self.client, f"{self.prefix}_lock")
