"""What goes wrong while an index is written, as a sentence and a fix: a full disk, a Chroma server that died.

Both leave the previous index current (the manifest is written last) and the
vectors already written reusable, and each message says so. Chroma's word for a
write it could not make names no cause: on a local disk that is nearly full or
under a file size limit it counts as a full disk. Anything else is a bug and is
left to surface as one.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from ..errors import DiskFullError, IndexUnavailableError, MentorError

# What the OS, SQLite and Chroma's Rust core say when a disk or the file size limit runs out (SQLite reports a
# write refused for the size limit as SQLITE_IOERR_WRITE, code 778: "disk I/O error").
FULL = re.compile(r"no space left|disk is full|disk quota|file too large|database or disk is full|disk I/O error"
                  r"|os error (?:27|28|122)|\(code: (?:13|778)\)", re.IGNORECASE)
FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
# What Chroma's Rust core says of a write it could not make, whatever the cause (a full disk among them).
UNEXPLAINED = re.compile(r"error in compaction|failed to apply logs", re.IGNORECASE)
KEPT = "Nothing was switched: the previous index is still the one answering."


@contextmanager
def write_errors(index_dir: Path, url: str) -> Iterator[None]:
    """Turn a full disk or a dead Chroma server met while writing the index into a `MentorError`."""
    try:
        yield
    except MentorError:
        raise
    except Exception as err:
        full = DiskFullError(f"The index could not be written in {index_dir}: the disk is full, a file size limit "
                             f"was reached, or the disk failed. {KEPT}")
        if disk_full(err):
            raise full from err
        if url and server_gone(err):
            port = urlparse(url).port or 8000
            raise IndexUnavailableError(
                f"The Chroma server at {url} stopped answering while the index was written ({type(err).__name__}). {KEPT}",
                f"Start it again (`chroma run --path <folder> --port {port}`), then run `mentor index`: the vectors "
                "already written are reused.") from err
        if not url and unexplained(err) and out_of_room(index_dir):  # Chroma's, on a local disk with no room
            raise full from err
        raise


def _chain(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def disk_full(err: BaseException) -> bool:
    """
    >>> disk_full(OSError(errno.ENOSPC, "No space left on device"))
    True
    >>> disk_full(RuntimeError("error returned from database: (code: 13) database or disk is full"))
    True
    >>> disk_full(ValueError("bad value"))
    False
    """
    return any((isinstance(e, OSError) and e.errno in FULL_ERRNOS) or FULL.search(str(e)) for e in _chain(err))


def unexplained(err: BaseException) -> bool:
    """Is it Chroma's word for a write it could not make, which names no cause?

    >>> unexplained(RuntimeError("Error in compaction: Failed to apply logs to the metadata segment"))
    True
    >>> unexplained(KeyError("id"))
    False
    """
    return any(UNEXPLAINED.search(str(e)) for e in _chain(err))


def out_of_room(index_dir: Path, margin: int = 64 * 2**20) -> bool:
    """Is the disk holding `index_dir` within `margin` bytes of full, or is a file size limit set? Asked of an
    `unexplained` write error of a local index: Chroma's core reports a write refused for either in those words."""
    import resource
    import shutil

    if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
        return True
    try:
        return shutil.disk_usage(index_dir).free < margin
    except OSError:
        return False


def server_gone(err: BaseException) -> bool:
    """A connection refused, reset or cut: the client's errors (httpx's, the OS's) anywhere in the chain."""
    import httpx

    return any(isinstance(e, (httpx.TransportError, ConnectionError)) for e in _chain(err))
