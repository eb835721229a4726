"""The Chroma client: the embedded database under MENTOR_HOME/index/chroma or a server; collections with our
embedding function and cosine distance; what Chroma's errors mean (damaged, unavailable, not found).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError, IndexUnavailableError

# Cosine distance; one insertion thread so that the same chunks always build the same graph
# (multi-threaded HNSW inserts are not deterministic, and the eval gate must not flake), and a
# wide search beam so the approximate neighbours equal the exact ones at this corpus size.
HNSW = {"space": "cosine", "num_threads": 1, "ef_construction": 200, "ef_search": 200}
CHROMA_DIR = "chroma"
# What SQLite says of a file that is damaged (SQLITE_CORRUPT, SQLITE_NOTADB): only then is a store corrupt.
CORRUPT = re.compile(r"file is not a database|database disk image is malformed|\(code: (?:11|26)\)")


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
            raise server_error(url, parts.port or 8000, err) from err
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(index_dir / CHROMA_DIR),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
        )
    except Exception as err:  # chromadb reports damage and file-system trouble alike (InternalError)
        raise opening_error(index_dir / CHROMA_DIR, err) from err


def server_error(url: str, port: int, err: BaseException) -> IndexUnavailableError:
    """Why the server at `url` cannot be used, from the network's own words (chromadb wraps them in a ValueError):
    one that answers plain http to https is told apart from one that does not answer.

    >>> ssl = ValueError("Could not connect"); ssl.__context__ = OSError("[SSL: WRONG_VERSION_NUMBER] wrong version number")
    >>> server_error("https://127.0.0.1:8000", 8000, ssl).hint
    'Use http:// in MENTOR_CHROMA_URL: `chroma run` serves plain http.'
    >>> refused = ValueError("Could not connect"); refused.__context__ = OSError("[Errno 111] Connection refused")
    >>> str(server_error("http://127.0.0.1:8000", 8000, refused))
    'The Chroma server at http://127.0.0.1:8000 does not answer (Connection refused).'
    """
    cause = err.__cause__ or err.__context__ or err
    detail = " ".join(str(cause).split())
    if "WRONG_VERSION_NUMBER" in detail or "wrong version number" in detail:
        return IndexUnavailableError(f"The server at {url} does not speak https.",
                                     "Use http:// in MENTOR_CHROMA_URL: `chroma run` serves plain http.")
    reason = re.sub(r"^\[Errno \d+\]\s*", "", detail)[:120] or type(cause).__name__
    return IndexUnavailableError(f"The Chroma server at {url} does not answer ({reason}).",
                                 f"Start it with `chroma run --path <folder> --port {port}`, or unset MENTOR_CHROMA_URL.")


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


def is_not_found(err: BaseException) -> bool:
    from chromadb.errors import NotFoundError

    return isinstance(err, NotFoundError)
