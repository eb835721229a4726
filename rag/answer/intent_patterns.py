"""What the readers of a request share: every language pack's intent patterns, and where a message's clauses split.

Its readers: rag.answer.intent (the kind of request), rag.answer.paper_intent (what it says about papers) and
rag.answer.study_budget (the hours it gives for study).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..lang import registry


def pack_intents() -> Iterator[Any]:
    """Every language pack's intent patterns, in the registry's order."""
    return (p.intents for p in registry.packs())


CLAUSES = re.compile(r"[.;!?,。；！？，]|\bbut\b|但是?|不过")
