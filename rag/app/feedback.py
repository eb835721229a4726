"""Thumbs up/down and comments on answers, kept in a local SQLite file (settings.home / "feedback.sqlite3").

Each call opens the file, does one thing and closes it, so the app's sessions can
share it safely. Nothing leaves the machine; `export_csv` is how feedback is read
elsewhere. The clock comes in as an argument (`created_at`), as an ISO-8601 string.
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
    answer TEXT NOT NULL
)
"""


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=5)
    db.execute(SCHEMA)
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
