"""Optional LLM answer backends: a local GGUF (llama.cpp), an Ollama server, any OpenAI-compatible server.

The pipeline decides first: refusals, routes, retrieval and support stay exactly
as it decides them, and only a grounded search answer is handed to a model, with
the same retrieved chunks as context (`Result.hits`). Citations are attached in
code (rag.llm.grounding). Any failure (no package, no model file, no server)
gives back the embedded answer with a one-sentence notice, never an exception.
Nothing is imported, loaded or connected until a backend is used; no model is
downloaded.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from importlib import import_module
from typing import Any

from ..answer.citations import check_citations
from ..answer.pipeline import Result
from ..config import Settings
from ..errors import BackendError
from ..lang import registry as languages
from ..records import Answer, Hit
from ..ingest.screening import without_flagged
from ..ingest.sentences import shown_text
from . import registry
from .grounding import attach_citations

SYSTEM = (
    "You are a mentor for people who want to become machine-learning engineers. Answer the question "
    "using only the numbered context passages. Write 2 to 5 short sentences, each stating one thing the "
    "context says, close to its wording. Add nothing that the context does not say. If the context does "
    "not cover the question, say that the guides do not cover it."
)


def build_prompt(question: str, hits: Sequence[Hit], language: str) -> list[tuple[str, str]]:
    """The chat messages for `question`: instructions, numbered context blocks, the answer language.

    >>> hit = Hit("c", "d", "Guide", "Steps", "u", "guide", "先学 Python。", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> build_prompt("What first?", [hit], "en")[1][1]
    'Context:\\n[1] Guide — Steps\\n先学 Python。\\n\\nQuestion: What first?\\nAnswer in English.'
    """
    blocks = [f"[{n}] {hit.title}{f' — {hit.heading}' if hit.heading else ''}\n{without_flagged(shown_text(hit)).strip()}"
              for n, hit in enumerate(hits, start=1)]
    answer_in = languages.phrase("answer_in", language)
    user = "Context:\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}\n{answer_in}"
    return [("system", f"{SYSTEM} {answer_in}"), ("human", user)]


def chat_model(name: str, settings: Settings) -> Any:
    """The LangChain chat model of backend `name`, built from settings.

    Loads a GGUF (seconds) but connects to nothing: a server is first reached when asked.
    Raises BackendError for an unknown name, a missing package or a missing model file.
    """
    backend = registry.get(name)
    if not backend.module:
        raise BackendError(f"The {name} backend is the mentor's own composer, not a chat model.")
    try:
        with warnings.catch_warnings():  # langchain-community says it is being sunset; ChatLlamaCpp still works
            warnings.simplefilter("ignore", DeprecationWarning)
            for dependency in backend.needs:
                import_module(dependency)
            chat_class = getattr(import_module(backend.module), backend.class_name)
    except ImportError as err:
        raise BackendError(f"The {name} backend needs the module {err.name}, which is not installed.",
                           f"pip install -e '.[{backend.extra}]'") from err
    if name == "llamacpp":
        path = settings.resolved_llm_model
        if not path.is_file():
            raise BackendError(f"The model file {path} does not exist.", "mentor setup-llm")
        # rope_freq_* = 0 keeps the GGUF's own values: ChatLlamaCpp's default base (10000) would
        # override Qwen2.5's (1000000) and garble the text. Its default n_batch (8) reads prompts slowly.
        return chat_class(model_path=str(path), n_ctx=settings.llm_context_tokens, max_tokens=settings.llm_max_tokens,
                          temperature=0.0, n_threads=os.cpu_count() or 2, n_batch=512, rope_freq_base=0.0,
                          rope_freq_scale=0.0, verbose=False)
    import httpx  # installed with either server backend

    timeout = httpx.Timeout(settings.llm_timeout, connect=settings.llm_connect_timeout)
    if name == "ollama":
        return chat_class(model=settings.ollama_model, base_url=settings.ollama_url, temperature=0.0,
                          num_predict=settings.llm_max_tokens, client_kwargs={"timeout": timeout})
    # Local OpenAI-compatible servers accept any key, but the client insists on one.
    return chat_class(model=settings.openai_model, base_url=settings.openai_base_url,
                      api_key=settings.openai_api_key or "no-key", timeout=timeout, max_retries=0,
                      temperature=0.0, max_tokens=settings.llm_max_tokens)


class LLMBackend:
    """A chat model that rewrites grounded answers from their retrieved chunks, cited in code.

    Give it to `Pipeline.stream(…, writer=LLMBackend("ollama", settings))`. `model` injects any
    LangChain chat model (tests pass a scripted fake); otherwise it is built on first use.
    """

    def __init__(self, name: str, settings: Settings, model: Any = None) -> None:
        self.name = registry.get(name).name
        self.settings = settings
        self._model = model
        self._lock = threading.Lock()
        self._turn: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if registry.get(name).one_at_a_time else contextlib.nullcontext())

    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = chat_model(self.name, self.settings)
            return self._model

    def stream(self, result: Result) -> Iterator[str | Result]:
        """The model's text as it comes (unchecked: a preview only), then the final checked Result."""
        answer = result.answer
        messages = build_prompt(answer.resolved_question or answer.question, result.hits, answer.language)
        started = time.perf_counter()
        pieces: list[str] = []
        try:
            model = self.model()
            with self._turn:
                for chunk in model.stream(messages):
                    piece = chunk.content if isinstance(chunk.content, str) else chunk.text
                    if piece:
                        pieces.append(piece)
                        yield piece
        except Exception as err:  # a foreign library or server: whatever it raises, the embedded answer stands
            yield replace(result, answer=replace(answer, notice=self.failure(err)))
            return
        yield replace(result, answer=self.finish(answer, result.hits, "".join(pieces), time.perf_counter() - started))

    def finish(self, answer: Answer, hits: list[Hit], text: str, seconds: float) -> Answer:
        """The model's `text` as a checked answer, or the embedded `answer` when none of it holds."""
        lines, citations, dropped = attach_citations(text, hits, self.settings.llm_min_support, answer.language)
        body = "\n".join([languages.phrase("lead", answer.language), *lines])
        if not citations:
            return replace(answer, notice="None of the model's sentences is supported by the sources; "
                                          "this is the embedded answer.")
        problems = check_citations(body, citations, hits)
        if problems:  # never expected: every quote was taken from its own chunk
            return replace(answer, notice=f"The model's answer failed the citation check ({problems[0]}); "
                                          "this is the embedded answer.")
        ms = round(seconds * 1000, 1)
        timings = {**answer.timings_ms, "generate": ms, "total": round(answer.timings_ms.get("total", 0.0) + ms, 1)}
        notice = ""
        if dropped:
            notice = (f"{dropped} sentence{'s' if dropped > 1 else ''} without support in the sources "
                      f"{'were' if dropped > 1 else 'was'} removed.")
        return replace(answer, answer=body, citations=citations, backend=self.name, timings_ms=timings, notice=notice)

    def failure(self, err: BaseException) -> str:
        """One sentence saying why the model gave no answer."""
        if isinstance(err, BackendError):
            reason = f"{str(err).rstrip('.')} (fix: {err.hint})"
        elif unreachable(err):
            where = {"ollama": f"The Ollama server at {self.settings.ollama_url}",
                     "openai": f"The OpenAI-compatible server at {self.settings.openai_base_url}"}
            reason = f"{where.get(self.name, f'The {self.name} backend')} did not answer"
        else:
            detail = " ".join(str(err).split())
            reason = f"The {self.name} backend failed ({type(err).__name__}: {detail[:160]})"
        return f"{reason}; this is the embedded answer."


# Matched by name so that neither httpx nor openai is imported to recognise their errors.
UNREACHABLE = {"APIConnectionError", "APITimeoutError", "ConnectError", "ConnectTimeout", "ReadTimeout",
               "WriteTimeout", "PoolTimeout", "RemoteProtocolError"}


def unreachable(err: BaseException | None) -> bool:
    """Is a refused connection or a timeout anywhere in the exception's chain?"""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, (ConnectionError, TimeoutError)) or type(err).__name__ in UNREACHABLE:
            return True
        err = err.__cause__ or err.__context__
    return False


def backend_for(name: str, settings: Settings) -> LLMBackend | None:
    """The writer for backend `name`: None for the embedded composer; a BackendError for an unknown name."""
    return None if registry.get(name).name == registry.EMBEDDED else LLMBackend(name, settings)

