"""The learner-profile store: learners, skills, checked items, saved plans, conversations and messages.

One SQLite file under MENTOR_HOME (rag.profile.connection: WAL, foreign keys, migrations). Each method opens
a connection, does one thing and closes it; every write is one small transaction of inserts or single-field
updates, never a read-modify-write of a whole profile, so two sessions of the same learner writing at once
lose nothing. The clock comes in as an argument.
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import Settings
from ..errors import ProfileError
from .connection import connect, transaction

FILE_NAME = "profiles.sqlite3"
FIELDS = ("hours_per_week", "goal", "start_date", "language")
NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,60}$")
# A new learner's hours a week: the one default of rag.config, written with every learner the store creates (the
# learners table's DEFAULT, in a migration that never changes, decides nothing).
DEFAULT_HOURS = Settings.default_hours_per_week


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def closest_name(name: str, names: list[str]) -> str | None:
    """The saved name `name` is most likely a typo of, if any.

    >>> closest_name("adda", ["me", "ada"]), closest_name("zzzz", ["me", "ada"])
    ('ada', None)
    """
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def clean_name(name: str) -> str:
    """A learner's name, trimmed; an empty or odd one is a ProfileError.

    >>> clean_name("  Ada ")
    'Ada'
    """
    text = " ".join((name or "").split())
    if not NAME.match(text):
        shown = repr(name) if len(name or "") <= 60 else f"{name[:40]!r}… ({len(name):,} characters)"
        raise ProfileError(f"{shown} cannot be a learner's name.", "Use 1 to 60 characters, e.g. --learner ada.")
    return text


@dataclass(frozen=True)
class Learner:
    id: int
    name: str
    hours_per_week: float
    goal: str
    start_date: str
    language: str
    skills: tuple[str, ...]
    checked: dict[str, str]  # item key -> when it was checked

    @classmethod
    def blank(cls, name: str) -> "Learner":
        """A learner who has saved nothing yet, as the database would create them (not saved)."""
        return cls(0, name, DEFAULT_HOURS, "", "", "", (), {})

    def to_dict(self) -> dict:
        return {"name": self.name, "hours_per_week": self.hours_per_week, "goal": self.goal,
                "start_date": self.start_date, "language": self.language, "skills": list(self.skills),
                "checked": dict(self.checked)}


class ProfileStore:
    """Every learner's profile in one database file."""

    def __init__(self, path: Path, now: Callable[[], str] = utc_now) -> None:
        self.path = path
        self.now = now

    def _find(self, db: sqlite3.Connection, name: str) -> int | None:
        """The learner's id: the name as saved, else the one saved name that differs from it only in case ("Bob"
        finds "bob"; no learner is made twice over a capital letter). Several such names is a ProfileError."""
        name = clean_name(name)
        row = db.execute("SELECT id FROM learners WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        rows = db.execute("SELECT id, name FROM learners ORDER BY id")
        alike = [(i, n) for i, n in rows if n.casefold() == name.casefold()]
        if len(alike) > 1:
            raise ProfileError(f"{name!r} could be any of the learners {', '.join(n for _, n in alike)}.",
                               "Name one exactly as it is written, e.g. --learner " + alike[0][1] + ".")
        return alike[0][0] if alike else None

    def _id(self, db: sqlite3.Connection, name: str, create: bool = True) -> int:
        name = clean_name(name)
        found = self._find(db, name)
        if found is not None:
            return found
        if not create:
            raise self.unknown_learner(name)
        now = self.now()
        db.execute("INSERT OR IGNORE INTO learners (name, hours_per_week, created_at, updated_at) VALUES (?, ?, ?, ?)",
                   (name, DEFAULT_HOURS, now, now))
        return db.execute("SELECT id FROM learners WHERE name = ?", (name,)).fetchone()[0]

    def unknown_learner(self, name: str) -> ProfileError:
        """The error for a learner the database does not hold: those it does, the closest of them, and how to start
        a profile of that name on purpose."""
        name, names = clean_name(name), self.learners()
        start = f"start a profile for {name} with `mentor profile set --learner {shlex.quote(name)} …`."
        if not names:
            return ProfileError(f"No learner named {name!r}: no learner has a profile in {self.path} yet.",
                                f"Check MENTOR_HOME, or {start}")
        close = closest_name(name, names)
        return ProfileError(f"No learner named {name!r}. Learners: {', '.join(names)}."
                            + (f" Did you mean {close!r}?" if close else ""), f"Name one with --learner, or {start}")

    def summaries(self) -> list[dict]:
        """Every learner, as first saved: name, hours a week, goal, how many skills, and their last activity (the
        latest change, check, plan or conversation; an ISO time)."""
        if not self.path.exists():
            return []
        latest = " ".join(f"COALESCE((SELECT MAX({at}) FROM {table} WHERE learner_id = l.id), ''),"
                          for table, at in (("checks", "checked_at"), ("plans", "created_at"), ("conversations", "updated_at")))
        with connect(self.path) as db:
            rows = db.execute(f"SELECT name, hours_per_week, goal, (SELECT COUNT(*) FROM skills WHERE learner_id = l.id), "
                              f"MAX({latest} l.updated_at) FROM learners l ORDER BY created_at, id").fetchall()
        return [{"name": n, "hours_per_week": h, "goal": g, "skills": s, "last_activity": a} for n, h, g, s, a in rows]

    def learners(self) -> list[str]:
        if not self.path.exists():  # nothing saved yet: reading creates no database
            return []
        with connect(self.path) as db:
            return [r[0] for r in db.execute("SELECT name FROM learners ORDER BY created_at, id")]

    def get(self, name: str) -> Learner | None:
        """The learner's profile, or None when there is none; never creates anything."""
        if not self.path.exists():
            return None
        with connect(self.path) as db:
            learner_id = self._find(db, name)
            return None if learner_id is None else self._read(db, learner_id)

    def learner(self, name: str, create: bool = True) -> Learner:
        """The learner's profile, created empty on first use (unless `create` is False: then a ProfileError)."""
        if not create:
            found = self.get(name)
            if found is None:
                raise self.unknown_learner(name)
            return found
        with connect(self.path) as db:
            return self._read(db, self._id(db, name))

    @staticmethod
    def _read(db: sqlite3.Connection, learner_id: int) -> Learner:
        row = db.execute("SELECT name, hours_per_week, goal, start_date, language FROM learners WHERE id = ?",
                         (learner_id,)).fetchone()
        skills = tuple(r[0] for r in db.execute("SELECT skill FROM skills WHERE learner_id = ? ORDER BY skill",
                                                (learner_id,)))
        checked = dict(db.execute("SELECT item, checked_at FROM checks WHERE learner_id = ? ORDER BY checked_at",
                                  (learner_id,)).fetchall())
        return Learner(learner_id, row[0], row[1], row[2], row[3], row[4], skills, checked)

    def update(self, name: str, **fields: object) -> None:
        """Set some of hours_per_week, goal, start_date, language (each its own column: no lost update)."""
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ProfileError(f"A profile has no {', '.join(sorted(unknown))}.", f"Set one of: {', '.join(FIELDS)}.")
        hours = fields.get("hours_per_week")
        if hours is not None and not 1 <= float(hours) <= 80:  # type: ignore[arg-type]
            raise ProfileError(f"{hours} hours a week cannot make a plan.", "Give between 1 and 80 hours a week.")
        with connect(self.path) as db, transaction(db):
            learner_id = self._id(db, name)
            for key, value in fields.items():
                db.execute(f"UPDATE learners SET {key} = ?, updated_at = ? WHERE id = ?", (value, self.now(), learner_id))

    def set_skills(self, name: str, skills: Iterable[str], replace: bool = True) -> None:
        with connect(self.path) as db, transaction(db):
            learner_id = self._id(db, name)
            if replace:
                db.execute("DELETE FROM skills WHERE learner_id = ?", (learner_id,))
            db.executemany("INSERT OR IGNORE INTO skills (learner_id, skill) VALUES (?, ?)",
                           [(learner_id, s) for s in skills])

    def check(self, name: str, item: str, done: bool = True) -> bool:
        """Check (or uncheck) a milestone or resource by its key; False when it already was (or was not)."""
        if not done and self.get(name) is None:  # nothing to uncheck: no learner is made for it
            return False
        with connect(self.path) as db, transaction(db):
            learner_id = self._id(db, name)
            if done:
                cur = db.execute("INSERT OR IGNORE INTO checks (learner_id, item, checked_at) VALUES (?, ?, ?)",
                                 (learner_id, item, self.now()))
            else:
                cur = db.execute("DELETE FROM checks WHERE learner_id = ? AND item = ?", (learner_id, item))
            return cur.rowcount > 0

    def save_plan(self, name: str, kind: str, body: dict) -> int:
        with connect(self.path) as db, transaction(db):
            learner_id = self._id(db, name)
            cur = db.execute("INSERT INTO plans (learner_id, kind, created_at, body) VALUES (?, ?, ?, ?)",
                             (learner_id, kind, self.now(), json.dumps(body, ensure_ascii=False)))
            return int(cur.lastrowid or 0)

    def plans(self, name: str) -> list[dict]:
        if not self.path.exists():
            return []
        with connect(self.path) as db:
            learner_id = self._find(db, name)
            rows = db.execute("SELECT id, kind, created_at, body FROM plans WHERE learner_id = ? ORDER BY id",
                              (learner_id,)).fetchall()
        return [{"id": i, "kind": k, "created_at": c, "body": json.loads(b)} for i, k, c, b in rows]

    def start_conversation(self, name: str, title: str) -> int:
        with connect(self.path) as db, transaction(db):
            learner_id, now = self._id(db, name), self.now()
            cur = db.execute("INSERT INTO conversations (learner_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                             (learner_id, " ".join(title.split())[:120], now, now))
            return int(cur.lastrowid or 0)

    def add_message(self, conversation: int, role: str, content: str, data: dict | None = None) -> int:
        with connect(self.path) as db, transaction(db):
            now = self.now()
            try:
                cur = db.execute("INSERT INTO messages (conversation_id, role, content, data, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 (conversation, role, content, json.dumps(data or {}, ensure_ascii=False), now))
            except sqlite3.IntegrityError as err:
                raise ProfileError(f"There is no conversation {conversation}.", "Start a new conversation.") from err
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation))
            return int(cur.lastrowid or 0)

    def conversations(self, name: str) -> list[dict]:
        """The learner's conversations, the latest first, each with its number of messages."""
        if not self.path.exists():
            return []
        with connect(self.path) as db:
            learner_id = self._find(db, name)
            rows = db.execute(
                "SELECT c.id, c.title, c.created_at, c.updated_at, COUNT(m.id) FROM conversations c "
                "LEFT JOIN messages m ON m.conversation_id = c.id WHERE c.learner_id = ? "
                "GROUP BY c.id ORDER BY c.updated_at DESC, c.id DESC", (learner_id,)).fetchall()
        return [{"id": i, "title": t, "created_at": c, "updated_at": u, "messages": n} for i, t, c, u, n in rows]

    def messages(self, conversation: int) -> list[dict]:
        with connect(self.path) as db:
            rows = db.execute("SELECT role, content, data, created_at FROM messages WHERE conversation_id = ? "
                              "ORDER BY id", (conversation,)).fetchall()
        return [{"role": r, "content": c, "data": json.loads(d), "created_at": t} for r, c, d, t in rows]

    def delete_conversation(self, name: str, conversation: int) -> None:
        with connect(self.path) as db, transaction(db):
            db.execute("DELETE FROM conversations WHERE id = ? AND learner_id = ?", (conversation, self._id(db, name)))

    def delete_learner(self, name: str) -> None:
        """Remove the learner and every row of theirs (skills, checks, plans, conversations, messages)."""
        self.learner(name, create=False)  # an unknown name is an error that lists the learners, before any write
        with connect(self.path) as db, transaction(db):
            db.execute("DELETE FROM learners WHERE id = ?", (self._id(db, name, create=False),))
