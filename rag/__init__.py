"""mentor's library: an offline, bilingual, cited ML-engineering mentor. Re-exports the public API.

`Pipeline` and `Result` are imported on first use, so importing `rag` (every `mentor` command, even
`--help`) does not pay for the answer pipeline's modules.
"""

from __future__ import annotations

import importlib
from typing import Any

from .config import Settings
from .errors import MentorError
from .records import Answer, Chunk, Citation, Hit

__all__ = ["Answer", "Chunk", "Citation", "Hit", "MentorError", "Pipeline", "Result", "Settings"]
_LAZY = {"Pipeline": ".answer.pipeline", "Result": ".answer.pipeline"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name], __name__), name)
