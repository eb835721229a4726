"""Opening the learner-profile database: WAL, foreign keys, a busy timeout, migrations, corruption, read-only homes.

Every caller gets a fresh connection and closes it (the app's sessions and CLI processes share the file).
A file that is not a readable SQLite database is never recreated or overwritten: a copy is kept beside it
(one per damaged content: opening the same damaged file again finds its copy and names it) and a ProfileError
says what to do. Before an older database is migrated, a copy of it is kept too.
A database (or home) that cannot be written is opened read-only, so reading still works; a write then is a
ProfileError saying so, never taken for damage.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from ..errors import ProfileError
from .schema import MIGRATIONS, VERSION

BUSY_MS = 15000
# SQLite's result codes for a file or folder it may not write or open (a read-only mount, permissions).
UNWRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def backup_path(path: Path, tag: str) -> Path:
    """A free name beside `path` for a copy: profiles.sqlite3.<tag>, .<tag>-2, …"""
    candidate, n = path.with_name(f"{path.name}.{tag}"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{tag}-{n}")
    return candidate


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def same_copy(path: Path, tag: str) -> Path | None:
    """A copy beside `path` (profiles.sqlite3.<tag>, .<tag>-2, …) holding exactly its bytes: size, then sha256."""
    name = re.compile(re.escape(f"{path.name}.{tag}") + r"(-\d+)?")
    size, digest = path.stat().st_size, ""
    for candidate in sorted(path.parent.iterdir()):
        if name.fullmatch(candidate.name) and candidate.is_file() and candidate.stat().st_size == size:
            digest = digest or _digest(path)
            if _digest(candidate) == digest:
                return candidate
    return None


def _keep_copy(path: Path, tag: str) -> Path:
    """A copy of `path` beside it: the one already kept of these very bytes, else a new one (every open of a
    damaged file would otherwise add a full copy)."""
    copy = same_copy(path, tag)
    if copy is None:
        copy = backup_path(path, tag)
        shutil.copy2(path, copy)
    return copy


def unwritable(err: Exception) -> bool:
    """Whether an error says the file or its folder cannot be written (or opened), rather than damage."""
    if isinstance(err, OSError):
        return True
    return isinstance(err, sqlite3.OperationalError) and str(getattr(err, "sqlite_errorname", "")).startswith(UNWRITABLE)


def not_writable(path: Path, err: Exception) -> ProfileError:
    detail = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return ProfileError(f"The profile database {path} is not writable ({detail}); nothing in it was changed.",
                        f"Point MENTOR_HOME at a folder you can write to, or make {path.parent} writable.")


def _corrupt(path: Path, err: Exception) -> ProfileError:
    try:
        kept = f"a copy of it is kept as {_keep_copy(path, 'corrupt').name}"
    except OSError as copy_err:  # a damaged file on a read-only disk: say so, and that it was left alone
        kept = f"no copy could be kept beside it ({copy_err.strerror})"
    return ProfileError(
        f"The profile database {path} cannot be read ({err}); it was left as it is and {kept}.",
        f"Restore it from a `mentor profile export` file with `mentor profile import`, after moving {path.name} "
        "aside; or set MENTOR_HOME to another folder.")


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > VERSION:
        raise ProfileError(f"The profile database {path} was made by a newer mentor (schema {current}).",
                           "Upgrade mentor, or set MENTOR_HOME to another folder.")
    if current == VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    current = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated meanwhile
    if current and current < VERSION:
        _keep_copy(path, f"v{current}.bak")
    for version in range(current + 1, VERSION + 1):
        for statement in MIGRATIONS[version - 1]:
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {VERSION}")
    db.execute("COMMIT")


def _checked(db: sqlite3.Connection, path: Path, writable: bool) -> sqlite3.Connection:
    """`db` once it passed the integrity check and is migrated (closed when it fails)."""
    try:
        if writable:
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("its integrity check failed")
        _migrate(db, path)
        return db
    except BaseException:
        db.close()
        raise


def _read_only(path: Path) -> sqlite3.Connection:
    """The database opened read-only: for a home that cannot be written. A WAL database there has no
    shared-memory file to read through, so it is read as immutable (nothing can change it)."""
    uri = path.resolve().as_uri()
    try:
        return _checked(sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None), path, writable=False)
    except sqlite3.OperationalError as err:
        if not unwritable(err):
            raise
    return _checked(sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None), path, writable=False)


def _open(path: Path) -> sqlite3.Connection:
    """A checked, migrated connection: read-write, else read-only when only writing is refused."""
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return _checked(sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None), path, writable=True)
        except (OSError, sqlite3.OperationalError) as err:
            if not unwritable(err) or not path.is_file():
                raise
            try:
                return _read_only(path)
            except (OSError, sqlite3.OperationalError) as second:
                raise err from second
    except (OSError, sqlite3.DatabaseError) as err:
        if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
            raise ProfileError(f"The profile database {path} is busy.", "Try again in a moment.") from err
        if unwritable(err):
            raise not_writable(path, err) from err
        raise _corrupt(path, err) from err


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """An open, migrated connection (autocommit; use `transaction` to group writes); closed afterwards."""
    db = _open(path)
    try:
        yield db
    except sqlite3.OperationalError as err:
        if unwritable(err):  # a write to a database opened read-only, or one on a disk that became read-only
            raise not_writable(path, err) from err
        raise
    finally:
        db.close()


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error): writers queue instead of losing each other's rows."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
