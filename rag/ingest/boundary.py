"""The corpus boundary: which files under the corpus folder may be read at all, and their bytes.

Every reader of the corpus (the Markdown loader, renderings, the roadmap, any new
kind of card) gets its files from here, so all pass the same checks: inside the
corpus folder once links are resolved, a regular file, not hidden, not too large,
readable. A file that fails becomes a `CorpusProblem` naming it; it never stops
the others. This module reads bytes only; it does not decode or parse them.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..records import CorpusProblem

MAX_FILE_BYTES = 2_000_000
ROADMAP_FILE = Path("roadmap") / "roadmap.yaml"  # the roadmap, read by rag.ingest.roadmap (and its skills by papers)


@dataclass(frozen=True)
class CorpusFile:
    """A file that passed the boundary: its path relative to the corpus (forward slashes) and its bytes."""

    rel: str
    path: Path
    data: bytes


def walk(corpus_dir: Path) -> tuple[list[CorpusFile], list[CorpusProblem]]:
    """Every visible file below `corpus_dir` that may be read, in sorted path order, and the problems.

    Folders and files whose name starts with "." are skipped silently. A link to a folder is not followed
    (one that leads outside the corpus is reported); a folder named like a file (`x.md`) is reported.
    """
    root = corpus_dir.resolve()
    files: list[CorpusFile] = []
    problems: list[CorpusProblem] = []
    for folder, dirs, names in os.walk(corpus_dir, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            path = here / name
            rel = path.relative_to(corpus_dir).as_posix()
            if path.is_symlink():
                dirs.remove(name)
                if not _inside(path, root):
                    problems.append(CorpusProblem(rel, "is a link to a folder outside the corpus; refused "
                                                       "(only files inside the corpus folder are read)"))
            elif Path(name).suffix:
                problems.append(CorpusProblem(rel, "is a folder, not a file, so it was skipped"))
        for name in sorted(n for n in names if not n.startswith(".")):
            checked = read_checked(corpus_dir, (here / name).relative_to(corpus_dir).as_posix())
            (problems if isinstance(checked, CorpusProblem) else files).append(checked)
    return sorted(files, key=lambda f: f.rel), sorted(problems, key=lambda p: p.path)


def read_checked(corpus_dir: Path, rel: str) -> CorpusFile | CorpusProblem:
    """One file of the corpus, `rel` relative to it, read if it passes the boundary; else what is wrong.

    >>> import tempfile; d = Path(tempfile.mkdtemp()); _ = (d / "a.md").write_bytes(b"hi")
    >>> read_checked(d, "a.md").data, str(read_checked(d, "gone.md"))
    (b'hi', 'gone.md: does not exist')
    """
    path = corpus_dir / rel
    root = corpus_dir.resolve()
    try:
        info = path.lstat()
    except OSError:
        return CorpusProblem(rel, "does not exist")
    if stat.S_ISLNK(info.st_mode) and not path.exists():
        return CorpusProblem(rel, "is a link to a file that does not exist (a dangling link); remove or fix it")
    if not _inside(path, root):
        return CorpusProblem(rel, "is a link to a file outside the corpus; refused "
                                  "(only files inside the corpus folder are read)")
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        return CorpusProblem(rel, "is a folder, not a file, so it was skipped")
    if not stat.S_ISREG(info.st_mode):
        return CorpusProblem(rel, "is not a regular file (a pipe, socket or device), so it was skipped")
    if info.st_size > MAX_FILE_BYTES:
        return CorpusProblem(rel, f"is too large ({info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    try:
        data = path.read_bytes()
    except OSError as err:
        return CorpusProblem(rel, f"cannot be read ({err.strerror or type(err).__name__}); check its permissions")
    return CorpusFile(rel, path, data)


def _inside(path: Path, root: Path) -> bool:
    """Does `path`, every link resolved, stay inside `root`?"""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False
