"""The app's chat messages as profile rows and back: what a reload needs to show an earlier conversation.

An assistant message keeps its Markdown, citations and the passages its source cards quote (only those of
the chunks it cites), so a reopened answer looks as it did. Pure functions; rag.profile stores the rows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..records import Citation

KEPT = ("id", "question", "language", "markdown", "refused", "reason", "notice", "backend", "ms", "proposal", "route",
        "resolved")


class Passage(NamedTuple):
    """What a source card needs of a hit."""

    chunk_id: str
    text: str


def to_row(msg: dict) -> tuple[str, str, dict]:
    """(role, content, data) of an app message."""
    if msg["role"] == "user":
        return "user", msg["content"], {}
    if msg.get("error"):
        return "assistant", msg["error"], {"error": msg["error"], "hint": msg.get("hint", "")}
    cited = {c.chunk_id for c in msg.get("citations", [])}
    data = {key: msg[key] for key in KEPT if key in msg}
    data["citations"] = [c.to_dict() for c in msg.get("citations", [])]
    data["passages"] = {h.chunk_id: h.text for h in msg.get("hits", []) if h.chunk_id in cited}
    return "assistant", msg.get("answer", ""), data


def from_row(row: dict) -> dict:
    """The app message of a stored row.

    >>> from_row({"role": "user", "content": "What is CS50?", "data": {}})
    {'role': 'user', 'content': 'What is CS50?'}
    """
    if row["role"] == "user":
        return {"role": "user", "content": row["content"]}
    data: dict[str, Any] = dict(row["data"])
    if data.get("error"):
        return {"role": "assistant", "error": data["error"], "hint": data.get("hint", "")}
    data["citations"] = [Citation(**c) for c in data.get("citations", [])]
    data["hits"] = [Passage(chunk_id, text) for chunk_id, text in data.pop("passages", {}).items()]
    return {"role": "assistant", "answer": row["content"], "refused": False, "reason": "", "notice": "",
            "backend": "embedded", "ms": 0.0, **data}
