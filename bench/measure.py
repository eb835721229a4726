"""Timing and memory helpers: a stopwatch, percentile summaries, RSS, and a call recorder.

`Recorder.wrap` times chosen methods of any object, so the benchmark can see where a
search spends its time (model, Chroma, BM25, Python) without editing rag/. Nothing
here knows about mentor beyond `rag.metrics.percentile` (nearest rank, as the evals use).
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rag.evals.metrics import percentile


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def summary(seconds: list[float]) -> dict[str, float]:
    """p50/p95/mean/max in milliseconds of a list of durations in seconds.

    >>> summary([0.001, 0.002, 0.003, 0.004])["p50_ms"]
    2.0
    """
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0, "p50_ms": float("nan"), "p95_ms": float("nan"), "mean_ms": float("nan"), "max_ms": float("nan")}
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
            "mean_ms": round(sum(ms) / len(ms), 2), "max_ms": round(max(ms), 2)}


def peak_rss_mb() -> float:
    """The process's peak resident memory so far: VmHWM on Linux, else ru_maxrss.

    VmHWM belongs to the current address space; ru_maxrss survives exec, so a child
    started by a 1.5 GB parent would report at least the parent's size.
    """
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return ru_maxrss_mb()


def ru_maxrss_mb() -> float:
    """resource.getrusage's ru_maxrss (kilobytes on Linux), in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb() -> float:
    """The process's resident memory now (Linux /proc; the peak elsewhere)."""
    try:
        pages = int(open("/proc/self/statm").read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def load_average() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


def dir_size_mb(path: os.PathLike) -> float:
    total = sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
    return round(total / 2**20, 1)


class Recorder:
    """Collects (label, seconds) events from wrapped objects; `take()` returns and clears them."""

    def __init__(self) -> None:
        self.events: list[tuple[str, float]] = []

    def wrap(self, inner: Any, label: str, methods: set[str]) -> Any:
        return _Timed(inner, label, methods, self.events)

    def take(self) -> list[tuple[str, float]]:
        events, self.events[:] = list(self.events), []
        return events


class _Timed:
    """Passes every attribute through to `inner`; the named methods are timed into `events`."""

    def __init__(self, inner: Any, label: str, methods: set[str], events: list[tuple[str, float]]) -> None:
        self._inner, self._label, self._methods, self._events = inner, label, methods, events

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in self._methods:
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self._events.append((f"{self._label}.{name}", time.perf_counter() - start))

        return call


@contextmanager
def instrumented(reader: Any, recorder: Recorder) -> Iterator[Any]:
    """An IndexReader whose search stages are recorded, for the duration of the `with` block.

    Chroma calls are counted at the collection, BM25 at the lexical index, the model at
    `encode_queries` (the English sentence model's too; wrapped in place, since the reader's own methods call them); the
    yielded proxy also times the reader's methods. Everything is unwrapped afterwards.
    """
    saved = reader.collection, reader.lexical, reader.embeddings, reader.english
    reader.collection = recorder.wrap(reader.collection, "chroma", {"query", "get"})
    reader.lexical = recorder.wrap(reader.lexical, "bm25", {"search"})
    reader.embeddings = recorder.wrap(reader.embeddings, "model", {"encode_queries"})
    if reader.english is not None:  # it encodes English questions only
        reader.english = recorder.wrap(reader.english, "english_model", {"encode_queries"})
    try:
        yield recorder.wrap(reader, "reader", {"dense", "fetch", "similarities", "chunks_of", "named_docs"})
    finally:
        reader.collection, reader.lexical, reader.embeddings, reader.english = saved


def stage_breakdown(searches: list[tuple[float, list[tuple[str, float]]]]) -> dict[str, Any]:
    """Mean milliseconds and calls per search, by stage, from (total seconds, events) per search.

    "python" is what is left of the total after the model, Chroma and BM25: fusion, glossary
    expansion, question cleaning, result building.
    """
    n = len(searches) or 1
    per_label: dict[str, list[float]] = {}
    for _, events in searches:
        for label, seconds in events:
            per_label.setdefault(label, []).append(seconds)
    total = sum(t for t, _ in searches)
    leaf = {label: sum(v) for label, v in per_label.items() if not label.startswith("reader.")}
    stages = {label: {"ms_per_search": round(sum(v) * 1000 / n, 2), "calls_per_search": round(len(v) / n, 2),
                      "p95_ms_per_call": round(percentile([s * 1000 for s in v], 95), 2)}
              for label, v in sorted(per_label.items())}
    stages["python"] = {"ms_per_search": round((total - sum(leaf.values())) * 1000 / n, 2),
                        "calls_per_search": 1.0, "p95_ms_per_call": float("nan")}
    chroma_calls = sum(len(v) for label, v in per_label.items() if label.startswith("chroma."))
    return {"searches": len(searches), "mean_total_ms": round(total * 1000 / n, 2),
            "chroma_calls_per_search": round(chroma_calls / n, 2), "stages": stages}
