"""Thumbs up/down and comments on answers, kept in a local SQLite file (settings.home / "feedback.sqlite3").

Each call opens the file, does one thing and closes it, so the app's sessions can
share it safely. A row rating a chat answer names that answer (`message`), so rating it
again, in any session, changes its one row. Nothing leaves the machine; `export_csv` is
how feedback is read elsewhere. The clock comes in as an argument (`created_at`), as an
ISO-8601 string.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing
from pathlib import Path

FILE_NAME = "feedback.sqlite3"
RATINGS = ("up", "down")
COLUMNS = ("id", "created_at", "rating", "comment", "backend", "question", "answer")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    backend TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    message TEXT
)
"""
# The answer a row rates (a file made before it has no such column: it is added); NULL for rows without one.
MESSAGE_COLUMN = "ALTER TABLE feedback ADD COLUMN message TEXT"
MESSAGE_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS feedback_message ON feedback (message)"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=5)
    db.execute(SCHEMA)
    if "message" not in {row[1] for row in db.execute("PRAGMA table_info(feedback)")}:
        db.execute(MESSAGE_COLUMN)
    db.execute(MESSAGE_INDEX)
    return db


def _rating(rating: str | None) -> str | None:
    if rating is not None and rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS} or None, not {rating!r}")
    return rating


def add(path: Path, question: str, answer: str, rating: str | None, comment: str = "", backend: str = "",
        created_at: str = "") -> int:
    """Store one piece of feedback; returns its id.

    >>> import tempfile; db = Path(tempfile.mkdtemp()) / FILE_NAME
    >>> add(db, "Q?", "A.", "up", created_at="2026-01-01T00:00:00+00:00")
    1
    """
    with closing(_connect(path)) as db, db:
        cursor = db.execute(
            "INSERT INTO feedback (created_at, rating, comment, backend, question, answer) VALUES (?, ?, ?, ?, ?, ?)",
            (created_at, _rating(rating), comment.strip(), backend, question, answer),
        )
        return int(cursor.lastrowid or 0)


def update(path: Path, row_id: int, *, rating: str | None, comment: str) -> None:
    """Set a stored row's rating (None: the learner took it back) and comment."""
    with closing(_connect(path)) as db, db:
        db.execute("UPDATE feedback SET rating = ?, comment = ? WHERE id = ?", (_rating(rating), comment.strip(), row_id))


def rate(path: Path, message: str, question: str, answer: str, rating: str | None, comment: str = "",
         backend: str = "", created_at: str = "") -> None:
    """Store the rating and comment of the answer `message` in its one row: made by the first rating, changed by
    the next (a rating of None, taken back, is kept as None; with no row yet it stores nothing).

    >>> import tempfile; db = Path(tempfile.mkdtemp()) / FILE_NAME
    >>> rate(db, "7/a1", "Q?", "A.", None); rate(db, "7/a1", "Q?", "A.", "up"); rate(db, "7/a1", "Q?", "A.", "down", "short")
    >>> [(r["rating"], r["comment"]) for r in list_feedback(db)], ratings(db, ["7/a1", "7/b2"])
    ([('down', 'short')], {'7/a1': ('down', 'short')})
    """
    with closing(_connect(path)) as db, db:
        if rating is None:
            db.execute("UPDATE feedback SET rating = NULL, comment = ? WHERE message = ?", (comment.strip(), message))
            return
        db.execute("INSERT INTO feedback (created_at, rating, comment, backend, question, answer, message) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (message) DO UPDATE SET rating = excluded.rating, comment = excluded.comment",
                   (created_at, _rating(rating), comment.strip(), backend, question, answer, message))


def ratings(path: Path, messages: list[str]) -> dict[str, tuple[str | None, str]]:
    """{message: (rating, comment)} of the answers among `messages` that were rated; {} when there is no file."""
    if not messages or not path.is_file():
        return {}
    with closing(_connect(path)) as db:
        marks = ", ".join("?" * len(messages))
        rows = db.execute(f"SELECT message, rating, comment FROM feedback WHERE message IN ({marks})", messages).fetchall()
    return {message: (rating, comment) for message, rating, comment in rows}


def list_feedback(path: Path) -> list[dict]:
    """Every row, newest first; an empty list when the file does not exist yet."""
    if not path.is_file():
        return []
    with closing(_connect(path)) as db:
        rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id DESC").fetchall()
    return [dict(zip(COLUMNS, row)) for row in rows]


def export_csv(path: Path) -> str:
    """All feedback as CSV text with a header row (only the header when there is none). A cell that a
    spreadsheet would read as a formula (=, +, -, @, tab, CR) starts with ' so it stays text.

    >>> import tempfile; db = Path(tempfile.mkdtemp()) / FILE_NAME
    >>> _ = add(db, "=HYPERLINK(1)", "A.", "up", created_at="2026-01-01T00:00:00+00:00")
    >>> export_csv(db).splitlines()[1]
    "1,2026-01-01T00:00:00+00:00,up,,,'=HYPERLINK(1),A."
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _as_text(v) for k, v in row.items()} for row in list_feedback(path))
    return out.getvalue()


def _as_text(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
