"""The chat's messages as profile rows and back: what a reload needs to show an earlier conversation.

An assistant message keeps its Markdown, citations and the passages its source cards quote (only those of
the chunks it cites), so a reopened answer looks as it did. The app and `mentor ask` make their messages
here (`assistant_message`), so a conversation from either opens in the app. Pure functions; rag.profile
stores the rows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..records import Citation
from .markdown import answer_markdown

KEPT = ("id", "question", "language", "markdown", "refused", "reason", "notice", "backend", "ms", "proposal", "route",
        "resolved")


class Passage(NamedTuple):
    """What a source card needs of a hit."""

    chunk_id: str
    text: str


def assistant_message(question: str, result: Any, msg_id: str) -> dict:
    """The chat message of a pipeline `Result` for `question`; `msg_id` keys its source-card anchors."""
    a = result.answer
    return {"role": "assistant", "id": msg_id, "question": question, "answer": a.answer, "language": a.language,
            "markdown": answer_markdown(a.answer, {c.n for c in a.citations}, f"src-{msg_id}"), "citations": a.citations,
            "hits": result.hits, "refused": a.refused, "reason": a.reason, "notice": a.notice, "backend": a.backend,
            "ms": a.timings_ms.get("total", 0.0), "route": result.route, "proposal": result.proposal,
            "resolved": a.resolved_question}


def questions_of(rows: list[dict]) -> list[str]:
    """The learner's questions of stored rows, oldest first: a follow-up's history (not those rejected unasked).

    >>> questions_of([{"role": "user", "content": "What is CS50?"}, {"role": "assistant", "content": "…"},
    ...               {"role": "user", "content": "   ", "rejected": True}])
    ['What is CS50?']
    """
    return [row["content"] for row in rows if row["role"] == "user" and not row.get("rejected")]


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
