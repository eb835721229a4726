"""Scale: N synthetic chunks in Chroma and in rag.index.lexical.BM25Index, then real-shaped queries.

No model runs here: vectors are random unit vectors (dim 384, numpy), texts are
bilingual word salads sampled from the shipped corpus's own vocabulary and word
frequencies, metadata has the shape the indexer writes. The index is laid out like
a real one (collection, BM25 file, manifest), so `IndexReader` and `hybrid_search`
run unchanged; the "model" returns a random unit vector, so search times exclude encoding.

Run in its own process (`python -m bench.scale --n 10000 --out r.json`) so that its
peak memory is its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.ingest.corpus import load_corpus
from rag.evals.cases import load_cases
from rag.answer.followup import resolve
from rag.lang.text import expand
from rag.index.lexical import BM25Index
from rag.answer.retrieval import hybrid_search
from rag.index.home import Manifest, write_manifest
from rag.index.client import collection_for, open_client
from rag.index.store import IndexReader

from .measure import Recorder, dir_size_mb, instrumented, peak_rss_mb, rss_mb, stage_breakdown, summary, timed

REPO = Path(__file__).resolve().parent.parent
DIM = 384
CHUNKS_PER_DOC = 10
KINDS = ["guide"] * 4 + ["course", "course", "tool", "tool", "book", "site"]  # ~ the shipped mix (39% guides)
ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*")
HAN = re.compile(r"[\u4e00-\u9fff]+")


class RandomEmbeddings:
    """Stands in for the model: a fixed id and a random unit query vector (seeded)."""

    model_id = "synthetic-random@0"
    dim = DIM

    def __init__(self, seed: int = 1) -> None:
        self.rng = np.random.default_rng(seed)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return unit_vectors(self.rng, len(texts))


def unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def vocabulary() -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """English and Chinese words of the shipped corpus with their relative frequencies."""
    import jieba

    jieba.setLogLevel(60)
    docs, _ = load_corpus(REPO / "corpus")
    en, zh = Counter(), Counter()
    for doc in docs:
        body = doc.text[doc.body_start:]
        en.update(w.lower() for w in ENGLISH.findall(body))
        for run in HAN.findall(body):
            zh.update(jieba.lcut(run))
    return (list(en), np.array(list(en.values()), float) / sum(en.values()),
            list(zh), np.array(list(zh.values()), float) / sum(zh.values()))


def synthetic(n: int, seed: int = 0) -> tuple[list[str], list[str], list[dict]]:
    """`n` (id, text, metadata): half English (45 words, some Chinese), half Chinese (90 words, some English)."""
    rng = np.random.default_rng(seed)
    en_words, en_p, zh_words, zh_p = vocabulary()
    en_words, zh_words = np.array(en_words, dtype=object), np.array(zh_words, dtype=object)
    en_draws = rng.choice(len(en_words), size=(n, 50), p=en_p)  # sampled at once: one cumsum, not n
    zh_draws = rng.choice(len(zh_words), size=(n, 95), p=zh_p)
    titles = [" ".join(en_words[en_draws[d, :2]]).title() for d in range(n // CHUNKS_PER_DOC + 1)]
    ids, texts, metas = [], [], []
    for i in range(n):
        doc = i // CHUNKS_PER_DOC
        if i % 2:
            text = "".join(zh_words[zh_draws[i, :90]]) + " " + " ".join(en_words[en_draws[i, :5]])
        else:
            text = " ".join([*en_words[en_draws[i, :45]], *zh_words[zh_draws[i, :5]]])
        ids.append(hashlib.sha256(f"{i}:{text}".encode()).hexdigest()[:16])
        texts.append(text)
        kind = KINDS[doc % len(KINDS)]
        metas.append({"doc_id": f"syn-{doc:06d}", "title": f"{titles[doc]} {doc}", "source_url": f"https://example.invalid/{doc}",
                      "kind": kind, "heading": f"{titles[doc]} > part {i % CHUNKS_PER_DOC}", "ordinal": i % CHUNKS_PER_DOC,
                      "start": 0, "end": len(text), "embed_text": text})
    return ids, texts, metas


def run(n: int, n_queries: int = 40) -> dict:
    result: dict = {"chunks": n, "memory": {"start_rss_mb": rss_mb()}}
    gen_s, (ids, texts, metas) = timed(synthetic, n)
    vectors = unit_vectors(np.random.default_rng(2), n)
    result["generate_s"] = round(gen_s, 1)
    result["memory"]["data_rss_mb"] = rss_mb()
    print(f"  [{n:,}] generated texts and vectors in {gen_s:.1f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="mentor-bench-scale-") as tmp:
        index_dir = Path(tmp) / "index"
        settings = Settings(home=Path(tmp))
        embeddings = RandomEmbeddings()
        client = open_client(index_dir)
        collection = collection_for(client, "mentor_g1", embeddings, create=True, metadata={"model_id": embeddings.model_id})
        batch = min(5000, client.get_max_batch_size())
        start = time.perf_counter()
        for i in range(0, n, batch):
            collection.add(ids=ids[i:i + batch], embeddings=vectors[i:i + batch], documents=texts[i:i + batch],
                           metadatas=metas[i:i + batch])
        result["chroma_add_s"] = round(time.perf_counter() - start, 1)
        result["memory"]["chroma_rss_mb"] = rss_mb()
        print(f"  [{n:,}] Chroma: added in {result['chroma_add_s']} s (batches of {batch})", flush=True)
        build_s, lexical = timed(BM25Index.build, ids, texts, [m["kind"] for m in metas])
        save_s, _ = timed(lexical.save, index_dir / "lexical_g1.json")
        result |= {"bm25_build_s": round(build_s, 1), "bm25_save_s": round(save_s, 1)}
        result["memory"]["bm25_rss_mb"] = rss_mb()
        print(f"  [{n:,}] BM25: built in {build_s:.1f} s, saved in {save_s:.1f} s", flush=True)
        del lexical
        write_manifest(index_dir, Manifest(embeddings.model_id, DIM, "mentor_g1", "lexical_g1.json", 1, n,
                                           datetime.now(timezone.utc).isoformat(timespec="seconds")))
        open_s, reader = timed(IndexReader, index_dir, embeddings, client)
        result["open_s"] = round(open_s, 1)
        result["disk_mb"] = {"chroma": dir_size_mb(index_dir / "chroma"),
                             "bm25": round((index_dir / "lexical_g1.json").stat().st_size / 2**20, 1)}
        result |= queries(reader, settings, n_queries)
        hybrid = result["hybrid"].get("p95_ms", result["hybrid"].get("error"))
        print(f"  [{n:,}] queries: dense p95 {result['dense']['p95_ms']} ms, BM25 p95 {result['bm25']['p95_ms']} ms,"
              f" hybrid p95 {hybrid} ms, without named_docs {result['hybrid_no_names'].get('p95_ms')} ms", flush=True)
    result["memory"]["peak_rss_mb"] = peak_rss_mb()
    return result


def queries(reader: IndexReader, settings: Settings, n: int) -> dict:
    """Dense with random unit vectors, BM25 with real golden questions, and the full hybrid_search."""
    cases = [c for c in load_cases(REPO / "evals" / "dev.yaml") if c.expected_docs]
    en, zh = [c for c in cases if c.language == "en"], [c for c in cases if c.language == "zh"]
    mixed = [c for pair in zip(en, zh) for c in pair][:n]
    asked = [resolve(c.question, list(c.turns[:-1])) for c in mixed]
    rng = np.random.default_rng(3)
    vectors = unit_vectors(rng, n + 2)
    out: dict = {"queries": len(asked)}
    for label, kind in (("dense", None), ("dense_guides", "guide")):
        reader.dense(vectors[-1], settings.candidates, kind=kind)  # warm-up
        out[label] = summary([timed(reader.dense, v, settings.candidates, kind=kind)[0] for v in vectors[:n]])
    for label, kind in (("bm25", None), ("bm25_guides", "guide")):
        out[label] = summary([timed(reader.lexical.search, expand(q), settings.candidates, kind=kind)[0] for q in asked])
    configs = {"hybrid": settings, "hybrid_no_names": replace(settings, named_weight=0.0)}
    for label, config in configs.items():
        try:  # the first call fills the reader's caches (named_docs reads every note chunk's metadata)
            out[f"{label}_first_ms"] = round(timed(hybrid_search, reader, asked[0], 5, config)[0] * 1000, 1)
            out[label] = summary([timed(hybrid_search, reader, q, 5, config)[0] for q in asked])
        except Exception as err:  # reported, not fatal: the other measurements still stand
            out[label] = {"error": f"{type(err).__name__}: {err}"}
    label = next((k for k in configs if "error" not in out[k]), None)
    if label:
        out["stages"] = profile(reader, configs[label], asked[: max(10, n // 2)]) | {"of": label}
    return out


def profile(reader: IndexReader, settings: Settings, asked: list[str]) -> dict:
    recorder = Recorder()
    with instrumented(reader, recorder) as proxy:
        searches = []
        for q in asked:
            seconds, _ = timed(hybrid_search, proxy, q, 5, settings)
            searches.append((seconds, recorder.take()))
    return stage_breakdown(searches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="synthetic chunks")
    parser.add_argument("--out", type=Path, required=True, help="JSON result file")
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    args.out.write_text(json.dumps(run(args.n, args.queries), indent=1))


if __name__ == "__main__":
    main()
