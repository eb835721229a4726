"""The answer backends: one registry that the CLI's and the app's choice lists are generated from.

"embedded" is the mentor's own composer (no LLM); every other backend names the
LangChain chat model that writes the answer, the optional extra that installs
it, how to build it from Settings and when it counts as configured. Nothing is
imported here: a backend's package loads only when it is used (rag.llm.backends).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import BackendError

EMBEDDED = "embedded"


@dataclass(frozen=True)
class Backend:
    name: str  # what --backend and MENTOR_LLM_BACKEND take
    label: str  # what the app shows
    module: str = ""  # the LangChain chat model: module and class
    class_name: str = ""
    extra: str = ""  # pip install -e '.[extra]'
    needs: tuple[str, ...] = ()  # modules it needs besides its own
    # The model file or server the backend would use, when the learner configured one (else None).
    configured: Callable[[Settings, Mapping[str, str]], str | None] = lambda settings, environ: "built in"
    one_at_a_time: bool = False  # one model in this process cannot write two answers at once


def _gguf(settings: Settings, environ: Mapping[str, str]) -> str | None:
    path = Path(environ["MENTOR_LLM_MODEL"]).expanduser() if environ.get("MENTOR_LLM_MODEL") else settings.resolved_llm_model
    return str(path) if path.is_file() else None


BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend(EMBEDDED, "Embedded (offline, verbatim quotes)"),
    Backend("llamacpp", "llama.cpp", "langchain_community.chat_models", "ChatLlamaCpp", "llamacpp", ("llama_cpp",),
            configured=_gguf, one_at_a_time=True),
    Backend("ollama", "Ollama", "langchain_ollama", "ChatOllama", "ollama",
            configured=lambda settings, environ: environ.get("MENTOR_OLLAMA_URL") or None),
    Backend("openai", "OpenAI-compatible", "langchain_openai", "ChatOpenAI", "openai",
            configured=lambda settings, environ: environ.get("MENTOR_OPENAI_BASE_URL") or None),
)}


def names() -> list[str]:
    """Every backend's name, the embedded one first: the CLI's --backend choices."""
    return list(BACKENDS)


def get(name: str) -> Backend:
    """The backend called `name`, or a BackendError listing the others."""
    if name not in BACKENDS:
        raise BackendError(f"There is no answer backend called {name!r}.", f"Use one of: {', '.join(BACKENDS)}.")
    return BACKENDS[name]


def missing_package(backend: Backend) -> str | None:
    """The pip command that installs what `backend` needs, when something is missing (nothing is imported)."""
    from importlib.util import find_spec

    if backend.module and any(find_spec(m.split(".")[0]) is None for m in (backend.module, *backend.needs)):
        return f"pip install -e '.[{backend.extra}]'"
    return None


def configured(settings: Settings, environ: Mapping[str, str]) -> list[tuple[Backend, str]]:
    """(backend, its model file or server) for the embedded backend and each configured one; nothing is contacted."""
    found = []
    for backend in BACKENDS.values():
        detail = backend.configured(settings, environ)
        if detail:
            found.append((backend, detail))
    return found
