"""A learner's profile as JSON: export every row of theirs, import it back (all or nothing).

Import checks the whole file before it writes, then replaces that learner's rows in one transaction:
a malformed file changes nothing. The format is versioned (`format`, `version`).
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ProfileError
from .connection import connect, transaction
from .store import FIELDS, ProfileStore, clean_name

FORMAT, VERSION = "mentor-profile", 1


def export_profile(store: ProfileStore, name: str) -> dict:
    """Everything stored about one learner, as plain data."""
    learner = store.learner(name, create=False)
    conversations = [{**c, "messages": store.messages(c["id"])} for c in reversed(store.conversations(name))]
    return {"format": FORMAT, "version": VERSION, "learner": {k: getattr(learner, k) for k in ("name", *FIELDS)},
            "skills": list(learner.skills), "checks": [{"item": i, "checked_at": t} for i, t in learner.checked.items()],
            "plans": [{k: p[k] for k in ("kind", "created_at", "body")} for p in store.plans(name)],
            "conversations": [{k: c[k] for k in ("title", "created_at", "updated_at", "messages")} for c in conversations]}


def _need(ok: bool, what: str) -> None:
    if not ok:
        raise ProfileError(f"The profile file is malformed: {what}. Nothing was changed.",
                           "Import a file written by `mentor profile export`.")


def _check(data: Any) -> None:
    """Raise a ProfileError naming the first thing wrong with an export's data."""
    _need(isinstance(data, dict) and data.get("format") == FORMAT, f'it is not a "{FORMAT}" export')
    _need(data.get("version") == VERSION, f"version {data.get('version')!r} is not {VERSION}")
    learner = data.get("learner")
    _need(isinstance(learner, dict) and isinstance(learner.get("name"), str), "the learner has no name")
    hours = learner.get("hours_per_week")
    _need(isinstance(hours, (int, float)) and 1 <= hours <= 80, "hours_per_week must be between 1 and 80")
    _need(all(isinstance(learner.get(k, ""), str) for k in FIELDS[1:]), "goal, start_date and language are text")
    _need(isinstance(data.get("skills"), list) and all(isinstance(s, str) for s in data["skills"]), "skills is a list of words")
    for key, fields in {"checks": ("item", "checked_at"), "plans": ("kind", "created_at"),
                        "conversations": ("title", "created_at", "updated_at")}.items():
        rows = data.get(key)
        _need(isinstance(rows, list) and all(isinstance(r, dict) and all(isinstance(r.get(f), str) for f in fields)
                                             for r in rows), f"every entry of {key} needs {', '.join(fields)}")
    for conversation in data["conversations"]:
        messages = conversation.get("messages")
        _need(isinstance(messages, list) and all(
            isinstance(m, dict) and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)
            and isinstance(m.get("data", {}), dict) and isinstance(m.get("created_at"), str) for m in messages),
            "every message needs a role (user or assistant), content and created_at")


def read_export(text: str) -> dict:
    """An export's data, checked whole; a ProfileError naming what is wrong (nothing changed) when it is not one."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ProfileError(f"The profile file is not JSON ({err}). Nothing was changed.",
                           "Import a file written by `mentor profile export`.") from err
    _check(data)
    return data


def import_profile(store: ProfileStore, text: str, name: str | None = None) -> str:
    """Replace a learner's rows with an export's (`name` overrides the file's); returns the learner's name (as saved
    already when only its case differs: "Bob" replaces "bob")."""
    data = read_export(text)
    who = clean_name(name or data["learner"]["name"])
    existing = store.get(who)
    who = existing.name if existing else who
    with connect(store.path) as db, transaction(db):
        db.execute("DELETE FROM learners WHERE name = ?", (who,))
        now = store.now()
        values = [data["learner"].get(k, "") for k in FIELDS]
        learner_id = db.execute(
            f"INSERT INTO learners (name, {', '.join(FIELDS)}, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (who, *values, now, now)).lastrowid
        db.executemany("INSERT OR IGNORE INTO skills (learner_id, skill) VALUES (?, ?)",
                       [(learner_id, s) for s in data["skills"]])
        db.executemany("INSERT OR IGNORE INTO checks (learner_id, item, checked_at) VALUES (?, ?, ?)",
                       [(learner_id, c["item"], c["checked_at"]) for c in data["checks"]])
        db.executemany("INSERT INTO plans (learner_id, kind, created_at, body) VALUES (?, ?, ?, ?)",
                       [(learner_id, p["kind"], p["created_at"], json.dumps(p.get("body", {}), ensure_ascii=False))
                        for p in data["plans"]])
        for c in data["conversations"]:
            conversation = db.execute("INSERT INTO conversations (learner_id, title, created_at, updated_at) "
                                      "VALUES (?, ?, ?, ?)", (learner_id, c["title"], c["created_at"], c["updated_at"]))
            db.executemany("INSERT INTO messages (conversation_id, role, content, data, created_at) VALUES (?, ?, ?, ?, ?)",
                           [(conversation.lastrowid, m["role"], m["content"], json.dumps(m.get("data", {}), ensure_ascii=False),
                             m["created_at"]) for m in c["messages"]])
    return who
