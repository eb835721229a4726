"""The embedders part: sentence-transformers, ONNX (fp32) and ONNX int8 side by side in one run.

Each embedder gets its own temporary home (model, index) and its own copy of corpus/ (never
~/.mentor), and the same measurements; where there are several runs they are interleaved
(A B C A B C …) so drift on a shared machine hits all three alike:

1. cold index: `mentor index` of the shipped corpus in a new process (after `mentor setup`, not counted);
2. cold ask: `mentor ask` in a new process, wall time and peak RSS, 1 warm-up round then 7;
3. in this process: query encode of 100 real questions (evals/test.yaml), question by question, and
   passage encode of corpus chunks as the index embeds them, batch by batch;
4. warm hybrid_search (k=6) and Pipeline.ask with onnx, in units of its own encode p50;
5. hit@3 and MRR on the test split (`run_eval`) for each embedder;
6. the app in a real browser: tests/test_browser_speed.py in a pytest process records how soon the chat
   input box is ready after the page opens on a freshly started server (the model warming meanwhile);

and, to explain a miss, the time and RSS at each step of one `mentor ask` in a new process per
embedder (`python -m bench.embedders probe`, run with that embedder's MENTOR_* variables).

New processes are started through LAUNCHER, a small Python process that runs the command and
reads RUSAGE_CHILDREN: there ru_maxrss is the command's own peak. Read in this process it would
be at least this process's own peak, since ru_maxrss survives fork and exec.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from rag.config import Settings

REPO = Path(__file__).resolve().parent.parent
EMBEDDERS = ("sentence-transformers", "onnx", "onnx-int8")
REFERENCE, FAST, INT8 = EMBEDDERS
ASK_QUESTION = "How much math do I need?"
ASK_WARMUP, ASK_ROUNDS = 1, 7
WARM_REPEATS = 3  # per question, encode and search alternating; the fastest of each
INDEX_ROUNDS = 2  # interleaved; the fastest build of each counts (noise only adds time)
ENCODES = 100
PASSAGES = 64
SEARCH_K = 6
Log = Callable[[str], None]

LAUNCHER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"seconds": seconds, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               "returncode": done.returncode, "stdout": done.stdout[-4000:], "stderr": done.stderr[-4000:]}, out)
"""


def run(log: Log) -> dict:
    """The whole part in a temporary folder: every measurement, as plain dicts (bench.targets judges them)."""
    from .measure import load_average

    started = time.perf_counter()
    meta = {"date": datetime.now().isoformat(timespec="seconds"), "load_start": load_average(),
            "versions": _versions(), "ask_question": ASK_QUESTION}
    with tempfile.TemporaryDirectory(prefix="mentor-bench-embedders-") as tmp:
        work = Path(tmp)
        log("embedders 1/7: `mentor setup` for each embedder, own home and corpus copy (not counted)")
        settings, setup_s = prepare(work, log)
        log(f"embedders 2/7: cold `mentor index` of the shipped corpus, {INDEX_ROUNDS} interleaved rounds, new processes")
        index = cold_index(settings, log)
        log(f"embedders 3/7: cold `mentor ask`, {ASK_WARMUP} warm-up + {ASK_ROUNDS} rounds, interleaved")
        ask = cold_asks(settings, log)
        probes = {name: probe(settings[name]) for name in EMBEDDERS}
        log(f"embedders 4/7: in process, query encode ({ENCODES} test questions) and passage encode "
            f"({PASSAGES} corpus chunks), interleaved")
        models, load_s = load_models(settings)
        rows = test_questions(settings[FAST])
        encode = encode_latency(models, [r["searched"] for r in spread(rows, ENCODES)])
        log(", ".join(f"{n} p50 {encode['by_embedder'][n]['p50_ms']} ms" for n in EMBEDDERS))
        passages = passage_rate(models, settings[FAST])
        log(", ".join(f"{n} {passages['chunks_per_s'][n]} chunks/s" for n in EMBEDDERS))
        log(f"embedders 5/7: warm hybrid_search (k={SEARCH_K}) and Pipeline.ask with onnx, {len(rows)} questions")
        warm = warm_latency(settings[FAST], models[FAST], rows)
        log("embedders 6/7: hit@3 and MRR on the test split, each embedder")
        quality = test_quality(settings, models, work / "evals", log)
        sizes = model_sizes(settings)
    log("embedders 7/7: the app in a real browser (pytest tests/test_browser_speed.py)")
    app = app_speed()
    log(f"app: {app}")
    meta |= {"load_end": load_average(), "seconds": round(time.perf_counter() - started, 1)}
    return {"meta": meta, "embedders": list(EMBEDDERS), "setup_s": setup_s, "model_mb": sizes, "cold_index": index,
            "cold_ask": ask, "probe": probes, "load_s": load_s, "encode": encode, "passages": passages, "warm": warm,
            "quality": quality, "app": app}


def prepare(workdir: Path, log: Log) -> tuple[dict[str, Settings], dict[str, float]]:
    """A home and a corpus copy per embedder, prepared by `mentor setup` in a new process.

    The int8 home starts from a copy of the fp32 home's model folder (its setup only quantises);
    every home is prepared and checked by `mentor setup` itself.
    """
    settings: dict[str, Settings] = {}
    seconds: dict[str, float] = {}
    for name in (FAST, INT8, REFERENCE):
        root = workdir / name
        shutil.copytree(REPO / "corpus", root / "corpus")
        settings[name] = replace(Settings(), home=root / "home", corpus_dir=root / "corpus", embedder=name)
        if name == INT8:
            shutil.copytree(settings[FAST].home / "models", settings[name].home / "models")  # keeps mtimes
        seconds[name] = round(run_cli(["setup"], settings[name])["seconds"], 1)
        log(f"{name}: setup {seconds[name]} s")
    return {name: settings[name] for name in EMBEDDERS}, {name: seconds[name] for name in EMBEDDERS}


def mentor_command() -> list[str]:
    """The installed `mentor` script next to this interpreter (else the same entry point by -c)."""
    script = Path(sys.executable).with_name("mentor")
    return [str(script)] if script.is_file() else [sys.executable, "-c", "from rag.cli import main; main()"]


def cli_env(settings: Settings) -> dict[str, str]:
    """This environment without any MENTOR_* variable, plus the embedder's home, corpus and name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    return env | {"MENTOR_HOME": str(settings.home), "MENTOR_CORPUS": str(settings.corpus_dir),
                  "MENTOR_EMBEDDER": settings.embedder}


def run_cli(args: list[str], settings: Settings, timeout: float = 3600) -> dict:
    """`mentor ARGS` in a new process for one embedder: wall seconds, peak RSS (MB), stdout. Raises if it fails."""
    with tempfile.TemporaryDirectory(prefix="mentor-bench-launch-") as tmp:
        out = Path(tmp) / "run.json"
        subprocess.run([sys.executable, "-c", LAUNCHER, str(out), *mentor_command(), *args], env=cli_env(settings),
                       cwd=settings.home.parent, check=True, timeout=timeout)
        done = json.loads(out.read_text(encoding="utf-8"))
    if done["returncode"]:
        tail = (done["stderr"].strip() or done["stdout"].strip())[-600:]
        raise RuntimeError(f"`mentor {' '.join(args)}` with {settings.embedder} exited {done['returncode']}: {tail}")
    return {"seconds": done["seconds"], "rss_mb": round(done["maxrss_kb"] / 1024, 1), "stdout": done["stdout"]}


def cold_index(settings: dict[str, Settings], log: Log) -> dict:
    """`mentor index` into each embedder's empty index, INDEX_ROUNDS interleaved rounds (the index removed
    between them): each embedder's fastest build (seconds, peak RSS, chunks); the ratio of the fastest."""
    runs: dict[str, dict] = {}
    for round_ in range(INDEX_ROUNDS):
        for name in EMBEDDERS:
            shutil.rmtree(settings[name].index_dir, ignore_errors=True)
            done = run_cli(["index"], settings[name])
            if "Index updated" not in done["stdout"]:
                raise RuntimeError(f"`mentor index` with {name} did not build the index: {done['stdout'][-600:]}")
            build = {"seconds": round(done["seconds"], 2), "rss_mb": done["rss_mb"], "chunks": _chunks(done["stdout"])}
            log(f"{name}: cold index {build['seconds']} s, {build['chunks']} chunks, peak RSS {done['rss_mb']} MB "
                f"(round {round_ + 1} of {INDEX_ROUNDS})")
            if name not in runs or build["seconds"] < runs[name]["seconds"]:
                runs[name] = build | {"rounds": [*runs.get(name, {}).get("rounds", []), build["seconds"]]}
            else:
                runs[name]["rounds"].append(build["seconds"])
    return {"by_embedder": runs, "rounds": INDEX_ROUNDS,
            "reference_over_onnx": round(runs[REFERENCE]["seconds"] / runs[FAST]["seconds"], 3)}


def _chunks(stdout: str) -> int | None:
    """The chunk count from `mentor index`'s summary ("(328 in the index)")."""
    for line in stdout.splitlines():
        if "in the index)" in line:
            return int(line.rsplit("(", 1)[1].split()[0])
    return None


def cold_asks(settings: dict[str, Settings], log: Log) -> dict:
    """`mentor ask ASK_QUESTION` in new processes, rounds of A B C (warm-up rounds dropped).

    The sentence-transformers ÷ onnx ratio is taken pair by pair (same round), then its median.
    """
    from rag.evals.metrics import percentile

    runs: dict[str, list[dict]] = {name: [] for name in EMBEDDERS}
    for i in range(ASK_WARMUP + ASK_ROUNDS):
        round_ = {name: run_cli(["ask", ASK_QUESTION], settings[name]) for name in EMBEDDERS}
        if i >= ASK_WARMUP:
            for name, done in round_.items():
                runs[name].append({"seconds": round(done["seconds"], 3), "rss_mb": done["rss_mb"]})
        log(f"ask round {i + 1}/{ASK_WARMUP + ASK_ROUNDS}{' (warm-up)' if i < ASK_WARMUP else ''}: "
            + ", ".join(f"{n} {d['seconds']:.2f} s {d['rss_mb']:.0f} MB" for n, d in round_.items()))

    def stats(rs: list[dict]) -> dict:
        seconds, rss = [r["seconds"] for r in rs], [r["rss_mb"] for r in rs]
        return {"p50_s": round(percentile(seconds, 50), 3), "min_s": min(seconds), "max_s": max(seconds),
                "rss_p50_mb": percentile(rss, 50), "rss_max_mb": max(rss), "runs": rs}

    def ratio(over: str) -> dict:
        pairs = [round(a["seconds"] / b["seconds"], 3) for a, b in zip(runs[REFERENCE], runs[over])]
        return {"pairs": pairs, "median": round(percentile(pairs, 50), 3)}

    return {"question": ASK_QUESTION, "warmup_rounds": ASK_WARMUP, "rounds": ASK_ROUNDS,
            "by_embedder": {name: stats(rs) for name, rs in runs.items()},
            "reference_over_onnx": ratio(FAST), "reference_over_int8": ratio(INT8)}


def probe(settings: Settings) -> dict:
    """Seconds and RSS at each step of one `mentor ask`, in a new process (`python -m bench.embedders probe`)."""
    done = subprocess.run([sys.executable, "-m", "bench.embedders", "probe"], cwd=REPO, env=cli_env(settings),
                          capture_output=True, text=True, timeout=900)
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _probe_main() -> None:
    """The probe itself: the same steps as `mentor ask` (rag.cli.answer_commands.ask), timed and measured."""
    from .measure import peak_rss_mb, rss_mb

    start, stages = time.perf_counter(), []

    def mark(stage: str) -> None:
        stages.append({"stage": stage, "t_s": round(time.perf_counter() - start, 3), "rss_mb": rss_mb(),
                       "peak_mb": peak_rss_mb()})

    mark("Python started (with bench.embedders)")
    import_module("rag.cli.main")  # what the `mentor` script imports
    from rag.answer.pipeline import Pipeline, final_result
    from rag.answer.render import answer_markdown
    from rag.engine import load_embeddings, open_reader

    settings = Settings.from_env()
    mark("imports of `mentor ask`")
    embeddings = load_embeddings(settings)
    reader = open_reader(settings, embeddings)  # engine.open_pipeline's order: the index, then the model
    mark("index opened")
    embeddings.encode_queries(["warm up"])
    mark("model loaded (first encode)")
    pipeline = Pipeline(reader, settings)
    answer_markdown(final_result(pipeline.stream(ASK_QUESTION)).answer)
    mark("answered")
    print(json.dumps({"embedder": settings.embedder, "stages": stages}))


def load_models(settings: dict[str, Settings]) -> tuple[dict[str, Any], dict[str, float]]:
    """Each embedder's model in this process, loaded by a first encode (seconds; torch may already be imported)."""
    from rag.engine import load_embeddings

    from .measure import timed

    models, seconds = {}, {}
    for name in (FAST, INT8, REFERENCE):
        models[name] = load_embeddings(settings[name])
        seconds[name] = round(timed(models[name].encode_queries, ["warm up"])[0], 3)
    return {n: models[n] for n in EMBEDDERS}, {n: seconds[n] for n in EMBEDDERS}


def test_questions(settings: Settings) -> list[dict]:
    """Every test-split case's last question, its earlier turns, and what is searched for it."""
    from rag.answer.followup import resolve
    from rag.evals.cases import load_cases

    return [{"question": c.question, "history": list(c.turns[:-1]), "language": c.language,
             "searched": resolve(c.question, list(c.turns[:-1]))} for c in load_cases(settings.eval_test)]


def spread(rows: list, n: int) -> list:
    """`n` rows spread evenly over `rows` (repeating them when there are fewer).

    >>> spread([1, 2, 3, 4], 2)
    [1, 3]
    """
    return [rows[i * len(rows) // n] for i in range(n)] if len(rows) >= n else [rows[i % len(rows)] for i in range(n)]


def encode_latency(models: dict[str, Any], texts: list[str]) -> dict:
    """Each text encoded alone by every model in turn (after a warm-up): p50/p95 per model, and the p50 ratio."""
    from .measure import summary, timed

    for model in models.values():
        for text in texts[:5]:
            model.encode_queries([text])
    seconds: dict[str, list[float]] = {name: [] for name in models}
    for text in texts:
        for name, model in models.items():
            seconds[name].append(timed(model.encode_queries, [text])[0])
    by = {name: summary(s) for name, s in seconds.items()}
    return {"texts": len(texts), "by_embedder": by,
            "reference_over_onnx_p50": round(by[REFERENCE]["p50_ms"] / by[FAST]["p50_ms"], 3)}


def passage_rate(models: dict[str, Any], settings: Settings) -> dict:
    """Corpus chunks embedded as the index embeds them (`encode_passages`, batches of embed_batch_size), every
    model in turn batch by batch: chunks per second, the index build's encoder alone with drift averaged out."""
    from rag.ingest.chunking import chunk_document
    from rag.ingest.corpus import load_corpus

    from .measure import timed

    docs, _ = load_corpus(settings.corpus_dir)
    chunks = [c.embed_text for d in docs for c in chunk_document(d, settings.chunk_max_chars, settings.chunk_min_chars)]
    texts, batch = spread(chunks, PASSAGES), settings.embed_batch_size
    for model in models.values():
        model.encode_passages(texts[:4])
    seconds = dict.fromkeys(models, 0.0)
    for i in range(0, len(texts), batch):
        for name, model in models.items():
            seconds[name] += timed(model.encode_passages, texts[i:i + batch])[0]
    return {"chunks": len(texts), "batch": batch,
            "chunks_per_s": {name: round(len(texts) / s, 2) for name, s in seconds.items()},
            "reference_over_onnx": round(seconds[REFERENCE] / seconds[FAST], 3)}


def warm_latency(settings: Settings, embeddings: Any, rows: list[dict]) -> dict:
    """Per question, back to back after a warm-up: encode alone and hybrid_search (k=SEARCH_K), each the fastest of
    WARM_REPEATS alternating runs (a single run's ratio is as noisy as its two timings), then Pipeline.ask once."""
    from rag.answer.pipeline import Pipeline
    from rag.answer.retrieval import hybrid_search
    from rag.engine import open_reader

    from .measure import summary, timed

    mentor = Pipeline(open_reader(settings, embeddings), settings, today=lambda: date(2025, 1, 6))
    for row in rows[:4]:  # warm-up: jieba, the roadmap, the named-document cache
        hybrid_search(mentor.reader, row["searched"], SEARCH_K, settings)
        mentor.ask(row["question"], history=row["history"])
    encode, search, ask = [], [], []
    for row in rows:  # each question's encode and search WARM_REPEATS times, alternating: the fastest of each
        pairs = [(timed(embeddings.encode_queries, [row["searched"]])[0],
                  timed(hybrid_search, mentor.reader, row["searched"], SEARCH_K, settings)[0]) for _ in range(WARM_REPEATS)]
        encode.append(min(e for e, _ in pairs))
        search.append(min(s for _, s in pairs))
        ask.append(timed(mentor.ask, row["question"], history=row["history"])[0])
    own = sorted(s / e for s, e in zip(search, encode))
    return {"embedder": settings.embedder, "questions": len(rows), "k": SEARCH_K, "repeats": WARM_REPEATS, "encode": summary(encode),
            "search": summary(search), "ask": summary(ask),
            "search_over_own_encode_p95": round(own[min(len(own) - 1, int(len(own) * 0.95))], 3)}


def test_quality(settings: dict[str, Settings], models: dict[str, Any], out: Path, log: Log) -> dict:
    """hit@3, MRR, refusal accuracy and keyword coverage on the test split (`run_eval`, as `mentor eval` scores it) for each embedder,
    dense-only hit@3 and MRR, and the dev split's keyword coverage (more answers to compare)."""
    from rag.answer.pipeline import Pipeline
    from rag.engine import open_reader
    from rag.evals.runner import run_eval

    scores = {}
    for name in EMBEDDERS:
        s = settings[name]
        report = run_eval(Pipeline(open_reader(s, models[name]), s), {"dev": s.eval_dev, "test": s.eval_test}, out / name)
        retrieval = report["splits"]["test"]["retrieval"]
        scores[name] = {"hit@3": retrieval["system"]["hit@3"], "mrr": retrieval["system"]["mrr"],
                        "refusal_accuracy": report["splits"]["test"]["answers"]["refusal_accuracy"],
                        "keyword_coverage": report["splits"]["test"]["answers"]["keyword_coverage"],
                        "dev_keyword_coverage": report["splits"]["dev"]["answers"]["keyword_coverage"],
                        "n": retrieval["system"]["n"], "dense_hit@3": retrieval["dense"]["hit@3"],
                        "dense_mrr": retrieval["dense"]["mrr"], "mode": report["retrieval_mode"]}
        log(f"{name}: test hit@3 {scores[name]['hit@3']}, MRR {scores[name]['mrr']} "
            f"(dense only {scores[name]['dense_hit@3']}, {scores[name]['dense_mrr']})")
    return scores


def model_sizes(settings: dict[str, Settings]) -> dict[str, float]:
    """The size of the weights each embedder loads, MB (for ONNX the graph; its word-embedding table is
    memory-mapped, "word_embeddings")."""
    from rag.index.onnx_export import runtime_files

    graph, table, _ = runtime_files(settings[FAST].resolved_model_dir, "fp32")
    files = {REFERENCE: settings[REFERENCE].resolved_model_dir / "model.safetensors", FAST: graph,
             INT8: runtime_files(settings[INT8].resolved_model_dir, "int8")[0], "word_embeddings": table}
    return {name: round(path.stat().st_size / 2**20, 1) for name, path in files.items()}


def app_speed() -> dict:
    """tests/test_browser_speed.py in a pytest process (its own model and index): the seconds it records, or why
    there are none (no Chromium here, a failure)."""
    record = REPO / "test-artifacts" / "browser-speed.json"
    record.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/test_browser_speed.py", "-q", "-p", "no:cacheprovider"],
                          cwd=REPO, capture_output=True, text=True, timeout=3600)
    if not record.is_file():
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        return {"error": (lines or ["no output"])[-1][:300]}
    return json.loads(record.read_text(encoding="utf-8"))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("onnxruntime", "torch", "sentence-transformers"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "(not installed)"
    return found


if __name__ == "__main__":
    if sys.argv[1:] == ["probe"]:
        _probe_main()
    else:
        raise SystemExit("usage: python -m bench.embedders probe   (the part itself: python -m bench.run --part embedders)")
