"""Opening the learner-profile database: WAL, foreign keys, a busy timeout, migrations, corruption.

Every caller gets a fresh connection and closes it (the app's sessions and CLI processes share the file).
A file that is not a readable SQLite database is never recreated or overwritten: a copy is kept beside it
and a ProfileError says what to do. Before an older database is migrated, a copy of it is kept too.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from ..errors import ProfileError
from .schema import MIGRATIONS, VERSION

BUSY_MS = 15000


def backup_path(path: Path, tag: str) -> Path:
    """A free name beside `path` for a copy: profiles.sqlite3.<tag>, .<tag>-2, …"""
    candidate, n = path.with_name(f"{path.name}.{tag}"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{tag}-{n}")
    return candidate


def _keep_copy(path: Path, tag: str) -> Path:
    copy = backup_path(path, tag)
    shutil.copy2(path, copy)
    return copy


def _corrupt(path: Path, err: Exception) -> ProfileError:
    copy = _keep_copy(path, "corrupt")
    return ProfileError(
        f"The profile database {path} cannot be read ({err}); it was left as it is and a copy kept as {copy.name}.",
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


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """An open, migrated connection (autocommit; use `transaction` to group writes); closed afterwards."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    try:
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA foreign_keys = ON")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("its integrity check failed")
            _migrate(db, path)
        except sqlite3.DatabaseError as err:
            if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
                raise ProfileError(f"The profile database {path} is busy.", "Try again in a moment.") from err
            raise _corrupt(path, err) from err
        yield db
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
