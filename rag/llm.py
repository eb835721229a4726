"""Optional LLM answer backends: a local GGUF (llama.cpp), an Ollama server, any OpenAI-compatible server.

The embedded answerer decides first: refusals, retrieval and support stay exactly
as it decides them, and only a grounded answer is handed to a model, with the same
retrieved chunks as context. The model's text is untrusted: it never writes
citations reliably, so they are attached here, each sentence to the retrieved
sentence that supports it best, quoted verbatim; a sentence without support is
dropped. Any failure (no package, no model file, no server) gives back the
embedded answer with a one-sentence notice, never an exception. Nothing is
imported, loaded or connected until a backend is used; no model is downloaded.
"""

from __future__ import annotations

import contextlib
import copy
import math
import os
import re
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from importlib import import_module
from typing import Any

from .chunking import split_sentences
from .citations import check_citations, number_citations
from .compose import LIST_MARKER, bigrams, candidate_sentences
from .config import LLM_BACKENDS as BACKENDS
from .config import Settings
from .errors import BackendError
from .glossary import expand
from .language import phrase
from .lexical import STOPWORDS, WORD, tokenize
from .records import Answer, Citation, Hit

# backend: (module, class, extra to install, modules it needs besides)
CHAT_MODELS = {
    "llamacpp": ("langchain_community.chat_models", "ChatLlamaCpp", "llamacpp", ("llama_cpp",)),
    "ollama": ("langchain_ollama", "ChatOllama", "ollama", ()),
    "openai": ("langchain_openai", "ChatOpenAI", "openai", ()),
}
WRITTEN_MARKER = re.compile(r"\s*[\[【]\d+(?:\s*[,，、-]\s*\d+)*[\]】]")
NON_WORD = re.compile(r"\W+")
# "No" in English and Chinese; 不 and 无 also start words that say no such thing (不同 different, 无论 whatever).
NEGATION = re.compile(r"\b(?:not|no|never|none|nor|without|cannot)\b|n't|没|未(?!来)|非(?!常)"
                      r"|(?<!不得)不(?!同|断|少|错|仅|过|久|论|管|但|然|如|得不)|无(?!论|数|限)")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MIN_WORD_CHARS = 4  # shorter fragments ("1.", "答：") are neither cited nor counted as dropped
SYSTEM = (
    "You are a mentor for people who want to become machine-learning engineers. Answer the question "
    "using only the numbered context passages. Write 2 to 5 short sentences, each stating one thing the "
    "context says, close to its wording. Add nothing that the context does not say. If the context does "
    "not cover the question, say that the guides do not cover it."
)
ANSWER_IN = {"en": "Answer in English.", "zh": "用中文回答。"}


def build_prompt(question: str, hits: Sequence[Hit], language: str) -> list[tuple[str, str]]:
    """The chat messages for `question`: instructions, numbered context blocks, the answer language.

    >>> hit = Hit("c", "d", "Guide", "Steps", "u", "guide", "先学 Python。", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> build_prompt("What first?", [hit], "en")[1][1]
    'Context:\\n[1] Guide — Steps\\n先学 Python。\\n\\nQuestion: What first?\\nAnswer in English.'
    """
    blocks = [f"[{n}] {hit.title}{f' — {hit.heading}' if hit.heading else ''}\n{hit.text.strip()}"
              for n, hit in enumerate(hits, start=1)]
    lang = "zh" if language == "zh" else "en"
    user = "Context:\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}\n{ANSWER_IN[lang]}"
    return [("system", f"{SYSTEM} {ANSWER_IN[lang]}"), ("human", user)]


def model_sentences(text: str) -> list[str]:
    """The model's sentences, without the [n] markers it wrote, list markers or bold.

    >>> model_sentences("- **先学 Python** [2]。然后学数学！\\n1. Then Kaggle [1][3].")
    ['先学 Python。', '然后学数学！', 'Then Kaggle.']
    """
    text = WRITTEN_MARKER.sub("", text).replace("**", "")
    sentences = (LIST_MARKER.sub("", text[a:b]).strip() for a, b in split_sentences(text, 0, len(text)))
    return [" ".join(s.split()) for s in sentences if s]


def units(text: str) -> set[str]:
    """The pieces two texts are compared by: character bigrams of the Chinese runs, words of the rest.

    Character bigrams stand in for Chinese words (no segmenter needed); for English they
    would not do, as any two English sentences share many ("en", "er", "th").

    >>> sorted(units("先学 Python，再学数学。"))
    ['python', '先学', '再学', '学数', '数学']
    """
    found = {b for run in HAN_RUN.findall(text) for b in (bigrams(run) if len(run) > 1 else {run})}
    return found | (set(WORD.findall(HAN_RUN.sub(" ", text.lower()))) - STOPWORDS)


def _sentence_features(sentence: str) -> tuple[list[set[str]], list[set[str]]]:
    """A sentence's units, and its terms, each with its glossary translations. The terms are what
    let an English sentence meet a Chinese quote; a Chinese sentence is held to its units alone,
    which are stricter than jieba's coarser words."""
    terms = [] if HAN_RUN.search(sentence) else [{w, *tokenize(expand(w))} for w in sorted(set(tokenize(sentence)))]
    return [{u} for u in sorted(units(sentence))], terms


def _quote_features(quote: str) -> tuple[set[str], set[str]]:
    return units(quote), set(tokenize(quote))


def _support(mine: tuple[list[set[str]], list[set[str]]], theirs: tuple[set[str], set[str]],
             weight: Callable[[str], float]) -> float:
    def share(pieces: list[set[str]], found: set[str]) -> float:
        weights = [max(map(weight, alternatives)) for alternatives in pieces]
        held = sum(w for w, alternatives in zip(weights, pieces) if alternatives & found)
        return held / sum(weights) if sum(weights) else 0.0

    return max(share(mine[0], theirs[0]), share(mine[1], theirs[1]))


def support(sentence: str, quote: str, weight: Callable[[str], float] = lambda piece: 1.0) -> float:
    """How much of `sentence` the retrieved `quote` carries, from 0 to 1: the (weighted) share of
    its units (Chinese bigrams, English words) found in the quote or, for an English sentence,
    of its terms, if larger (an English term also counts when its glossary translation is there).

    >>> support("先学 Python。", "要先学 Python。"), support("Learn math.", "学习数学。"), support("Play chess.", "学习数学。")
    (1.0, 1.0, 0.0)
    """
    return _support(_sentence_features(sentence), _quote_features(quote), weight)


def rarity(features: Sequence[tuple[set[str], set[str]]]) -> Callable[[str], float]:
    """Weights from the retrieved sentences: a piece that most of them hold (the bigrams of
    机器学习工程师, in this corpus) says little about whether one of them supports a claim."""
    held = Counter(piece for found_units, found_terms in features for piece in found_units | found_terms)
    return lambda piece: math.log(1 + len(features) / (1 + held[piece]))


def negated(text: str) -> bool:
    """Does the sentence say no? A claim and its support must agree (不需要学位 does not support 需要学位).

    >>> negated("你不需要学位。"), negated("不同的路径都需要数学。"), negated("You don't need a PhD.")
    (True, False, True)
    """
    return bool(NEGATION.search(text.lower()))


def attach_citations(text: str, hits: Sequence[Hit], min_support: float) -> tuple[list[str], list[Citation], int]:
    """Points "- sentence “quote” [n]" for the model's supported sentences, their citations, and
    how many sentences were dropped for want of support.

    Each quote is a verbatim sentence of the chunk numbered n, so `check_citations` can verify
    it (quotes holding “ or ” are skipped: they would end the quote early). Only a quote that
    agrees with the sentence on negation can support it; ties go to the better-ranked chunk.
    """
    quotes = [(hit, q) for hit in hits for q in candidate_sentences(hit) if "“" not in q and "”" not in q]
    features = [_quote_features(q) for _, q in quotes]
    weight = rarity(features)
    picks: list[tuple[Hit, str]] = []
    kept: list[str] = []
    dropped = 0
    for sentence in model_sentences(text):
        if len(NON_WORD.sub("", sentence)) < MIN_WORD_CHARS:
            continue
        mine, no = _sentence_features(sentence), negated(sentence)
        scored = [(_support(mine, features[i], weight), -i) for i, (_, q) in enumerate(quotes) if negated(q) == no]
        best = max(scored, default=(0.0, 0))
        if best[0] < min_support:
            dropped += 1
            continue
        picks.append(quotes[-best[1]])
        kept.append(sentence)
    citations = number_citations(picks)
    lines = [f"- {point_text(s, c.quote)} [{c.n}]" for s, c in zip(kept, citations)]
    unique = list({(c.chunk_id, c.quote): c for c in citations}.values())
    return lines, unique, dropped


def point_text(sentence: str, quote: str) -> str:
    """The model's sentence followed by the source's words in “…”, or the quote alone when the
    model copied it."""
    return quote if sentence == quote else f"{sentence} “{quote}”"


def chat_model(name: str, settings: Settings) -> Any:
    """The LangChain chat model of backend `name`, built from settings.

    Loads a GGUF (seconds) but connects to nothing: a server is first reached when asked.
    Raises BackendError for an unknown name, a missing package or a missing model file.
    """
    if name not in CHAT_MODELS:
        raise BackendError(f"There is no LLM backend called {name!r}.", f"use one of: {', '.join(BACKENDS)}")
    module, class_name, extra, needs = CHAT_MODELS[name]
    try:
        with warnings.catch_warnings():  # langchain-community says it is being sunset; ChatLlamaCpp still works
            warnings.simplefilter("ignore", DeprecationWarning)
            for dependency in needs:
                import_module(dependency)
            chat_class = getattr(import_module(module), class_name)
    except ImportError as err:
        raise BackendError(f"The {name} backend needs the module {err.name}, which is not installed.",
                           f"pip install -e '.[{extra}]'") from err
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

    Plug it in as `Mentor(reader, settings, llm=LLMBackend("ollama", settings))`. `model` injects
    any LangChain chat model (tests pass a scripted fake); otherwise it is built on first use.
    """

    def __init__(self, name: str, settings: Settings, model: Any = None) -> None:
        self.name = name
        self.settings = settings
        self._model = model
        self._lock = threading.Lock()
        # One llama.cpp model in this process cannot generate two answers at once; servers can.
        self._turn: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if name == "llamacpp" else contextlib.nullcontext())

    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = chat_model(self.name, self.settings)
            return self._model

    def __call__(self, answer: Answer, hits: list[Hit]) -> Answer:
        final = answer
        for item in self.stream(answer, hits):
            final = item if isinstance(item, Answer) else final
        return final

    def stream(self, answer: Answer, hits: list[Hit]) -> Iterator[str | Answer]:
        """The model's text as it comes (unchecked: a preview only), then the final checked Answer."""
        if answer.refused or not answer.grounded or not hits:
            yield answer
            return
        started = time.perf_counter()
        pieces: list[str] = []
        try:
            messages = build_prompt(answer.resolved_question or answer.question, hits, answer.language)
            model = self.model()
            with self._turn:
                for chunk in model.stream(messages):
                    piece = chunk.content if isinstance(chunk.content, str) else chunk.text
                    if piece:
                        pieces.append(piece)
                        yield piece
        except Exception as err:  # a foreign library or server: whatever it raises, the embedded answer stands
            yield replace(answer, notice=self.failure(err))
            return
        yield self.finish(answer, hits, "".join(pieces), time.perf_counter() - started)

    def finish(self, answer: Answer, hits: list[Hit], text: str, seconds: float) -> Answer:
        """The model's `text` as a checked answer, or the embedded `answer` when none of it holds."""
        lines, citations, dropped = attach_citations(text, hits, self.settings.llm_min_support)
        body = "\n".join([phrase("lead", answer.language), *lines])
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
    """The backend called `name`, or None for the embedded answerer."""
    return None if name == "embedded" else LLMBackend(name, settings)


def stream_answer(mentor: Any, question: str, backend: Any = None, history: Sequence[str] = (),
                  language: str | None = None) -> Iterator[str | Answer]:
    """Ask `mentor` and stream: the model's text pieces as they come (unchecked, for the app to show
    as a preview), then the final checked Answer, always last. Refusals, the roadmap and plan
    answers and the embedded backend yield the Answer alone. `backend` defaults to `mentor.llm`.
    """
    backend = backend if backend is not None else getattr(mentor, "llm", None)
    handed: list[tuple[Answer, list[Hit]]] = []
    probe = copy.copy(mentor)  # the shared mentor is left alone: the app serves several sessions

    def keep(answer: Answer, hits: list[Hit]) -> Answer:
        handed.append((answer, hits))
        return answer

    probe.llm = keep
    answer = probe.ask(question, history, language)
    if backend is None or not handed:
        yield answer
    elif hasattr(backend, "stream"):
        yield from backend.stream(*handed[0])
    else:
        yield backend(*handed[0])
