"""What an index run needs before it starts: a corpus folder, and an index folder it can write.

Asked before any work, so `mentor index` says what is missing before it loads the model, and by
`mentor status`. A read-only MENTOR_HOME (a read-only mount, a copy without write permission) still answers
questions: only writing the index fails (and Chroma refuses to open its database there at all). Found with
`os.access` and the file system's read-only flag: nothing is written to find out. Free space is not checked
here (rag.index.failures reports a full disk).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..config import Settings
from ..errors import CorpusError, IndexUnavailableError
from .client import CHROMA_DIR
from .home import LOCK_FILE

# What an index run writes in place, beside new files in the folder itself: Chroma's database and the lock.
REWRITTEN = (CHROMA_DIR, f"{CHROMA_DIR}/chroma.sqlite3", LOCK_FILE)
CORPUS_FIX = "Set MENTOR_CORPUS to the folder of Markdown files (unset, the project's corpus/ folder is used)."
WRITABLE_FIX = "Make MENTOR_HOME writable, or set MENTOR_HOME to a writable copy of it, then run `mentor index` again."


def ready_to_index(settings: Settings) -> None:
    """Raise the error that would stop an index run halfway: no corpus folder, or an index folder it cannot write."""
    if problem := corpus_missing(settings.corpus_dir):
        raise CorpusError(f"The corpus folder {settings.corpus_dir} {problem}.", CORPUS_FIX)
    if problem := unwritable(settings.index_dir):
        raise IndexUnavailableError(f"The index cannot be written: {problem}. Nothing was changed.", WRITABLE_FIX)


def corpus_missing(corpus_dir: Path) -> str | None:
    """What is wrong with the corpus folder itself (None: it is a folder)."""
    if corpus_dir.is_dir():
        return None
    return "is not a folder" if corpus_dir.exists() else "does not exist"


def unwritable(index_dir: Path) -> str | None:
    """What keeps an index run from writing `index_dir` (None: nothing): the folder (or, before it exists, the
    nearest folder above it, where it would be made) or a file in it that is rewritten in place."""
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    for path in (folder, *(index_dir / name for name in REWRITTEN)):
        if path.exists() and not os.access(path, os.W_OK):
            return f"{path} is {'on a read-only file system' if _read_only_mount(path) else 'not writable by this user'}"
    return None


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False
