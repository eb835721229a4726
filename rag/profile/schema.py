"""The learner-profile database's schema, as numbered migrations (PRAGMA user_version holds the applied one).

A migration is a list of SQL statements applied in one transaction; a database is only ever moved forward.
Version 1: learners, their skills, checked items, saved plans, conversations and messages. Version 2: the
language a learner prefers. Nothing here opens a file. A migration is history and is never edited: the learners
table's DEFAULT 10 hours a week is what the default was then; the store writes a new learner's hours itself, from
Settings.default_hours_per_week (rag.profile.store.DEFAULT_HOURS).
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1
        """CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            hours_per_week REAL NOT NULL DEFAULT 10 CHECK (hours_per_week BETWEEN 1 AND 80),
            goal TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE skills (
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            skill TEXT NOT NULL,
            PRIMARY KEY (learner_id, skill))""",
        """CREATE TABLE checks (
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            PRIMARY KEY (learner_id, item))""",
        """CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            body TEXT NOT NULL)""",
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL)""",
        "CREATE INDEX messages_by_conversation ON messages (conversation_id, id)",
        "CREATE INDEX conversations_by_learner ON conversations (learner_id, updated_at)",
    ),
    (  # 2
        "ALTER TABLE learners ADD COLUMN language TEXT NOT NULL DEFAULT ''",
    ),
)

VERSION = len(MIGRATIONS)
