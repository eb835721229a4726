"""The benchmark: `python -m bench.run [--quick] [--part embedders] [--out bench/results.md]`.

One run measures, on the shipped corpus in a temporary folder: index builds, one
question's encode time (the unit of every ratio), retrieval and answer latency over
the golden questions and variants, where search time goes, memory, a plain LangChain
pipeline beside ours, synthetic 10k/100k-chunk indexes in child processes, and the
three embedders side by side (bench.embedders). It writes results.md and PNG charts
next to it and judges the targets (bench.targets).

`--part embedders` runs only that part. Its results replace that part's key in the
results JSON beside --out when there is one (the full report is written again, with
the other parts as they were); otherwise the report holds that part alone.

It sets OMP_WAIT_POLICY=PASSIVE unless told `--as-shipped` (see bench/README.md): on
a 2-core machine that is also running other work, torch's spinning OpenMP threads
turn a 25 ms encode into 0.2-2 s, which would swamp every ratio. The thread probe
section of the report measures both settings in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = ("embedders",)
# --quick times answers over this many of the golden questions and their variants (evenly spaced), not all
# (some 6,700: about 20 minutes on a 2-core machine). Checked on the latencies of one `mentor eval` (3,739 cases):
# the p95 of 1,500 evenly spaced ones was 70.2 ms against 73.6 ms for all, random samples of 1,500 71.7–73.3 ms.
QUICK_QUESTIONS = 1500


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"scale part with 10k chunks only (not 100k), latency over {QUICK_QUESTIONS} of the questions")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md", help="the Markdown report")
    parser.add_argument("--as-shipped", action="store_true", help="leave OMP_WAIT_POLICY as it is (see README)")
    parser.add_argument("--part", choices=PARTS, help="run only this part (merged into the results JSON beside --out "
                                                        "when there is one)")
    args = parser.parse_args(argv)
    if not args.as_shipped:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads: OpenMP reads it once
    started = time.perf_counter()
    results = measure_part(args.part, started) if args.part else measure(args.quick, started)
    results["meta"]["total_s"] = round(time.perf_counter() - started, 1)
    if args.part:
        results = merged(results, args.part, args.out.with_suffix(".json"), started)

    from .report import write_report

    args.out.parent.mkdir(parents=True, exist_ok=True)
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    write_report(results, args.out)
    log(started, f"done in {(time.perf_counter() - started) / 60:.1f} min: {args.out}")


def log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {message}", flush=True)


def meta(**extra: object) -> dict:
    """What the report says about the machine and the run."""
    from .measure import load_average

    return {"date": datetime.now().isoformat(timespec="seconds"), **extra, "cpus": os.cpu_count(),
            "python": platform.python_version(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
            "load_start": load_average()}


def measure_part(part: str, started: float) -> dict:
    """One part alone (`--part`): its results under its own key, and the run's meta."""
    from . import embedders
    from .measure import load_average

    results = {"meta": meta(part=part)}
    log(started, f"part {part} only")
    results[part] = embedders.run(lambda message: log(started, message))
    results["meta"]["load_end"] = load_average()
    return results


def merged(results: dict, part: str, previous: Path, started: float) -> dict:
    """A part's results put into the results JSON at `previous` (a full run), if there is one; else unchanged."""
    try:
        earlier = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return results
    if "latency" not in earlier:  # not a full run: nothing else to keep
        return results
    log(started, f"{part}: replacing that part of {previous} (the other parts stay as they were)")
    return earlier | {part: results[part]}


def measure(quick: bool, started: float) -> dict:
    import torch

    from rag.evals.cases import load_cases
    from rag.answer.followup import resolve

    from . import baseline, embedders, shipped
    from .measure import load_average, peak_rss_mb, ru_maxrss_mb, summary, timed

    say = lambda message: log(started, message)  # noqa: E731
    baseline.require()
    results: dict = {"meta": meta(quick=quick, torch_threads=torch.get_num_threads()), "memory": {}}
    with tempfile.TemporaryDirectory(prefix="mentor-bench-") as tmp:
        work = Path(tmp)
        say("1/9 converting the model and loading it")
        settings, prep = shipped.prepare(work, say)
        embeddings, results["model_load_s"] = shipped.load_model(settings)
        english = shipped.load_english(settings)
        results["convert_s"] = prep["convert_s"]
        shipped.memory_now("after_model_load", results["memory"])
        say(f"2/9 the unit: one question's encode, {50} times")
        first = shipped.encode_unit(embeddings)
        say(f"encode p50 {summary(first)['p50_ms']} ms")
        say("3/9 index: cold build, no-change re-index, one file changed")
        results["index"] = shipped.index_runs(settings, embeddings, english, say)
        shipped.memory_now("after_index", results["memory"])

        cases = load_cases(REPO / "evals" / "dev.yaml")
        rows = shipped.questions(cases, QUICK_QUESTIONS if quick else None)
        say(f"4/9 latency over {len(rows)} questions (encode, hybrid_search k=5, Pipeline.ask)")
        mentor = shipped.open_pipeline(settings, embeddings, english)
        results["latency"] = shipped.latency(mentor, settings, rows, say)
        results["profile"] = shipped.profile(settings, embeddings, english, rows)
        shipped.memory_now("after_queries", results["memory"])
        results["memory"]["python_heap"] = shipped.python_heap(settings, embeddings, english, rows)
        results["memory"]["shipped_peak_rss_mb"] = peak_rss_mb()
        results["memory"]["shipped_ru_maxrss_mb"] = ru_maxrss_mb()

        say("5/9 plain LangChain pipeline: split, Chroma.from_documents, similarity_search(k=3)")
        index_s, (store, chunks) = timed(baseline.build, settings.corpus_dir, embeddings, work / "plain")
        results["langchain"] = {"index_s": round(index_s, 2), "chunks": len(chunks), "space": baseline.distance_space(store),
                                "chars_embedded": sum(len(c.page_content) for c in chunks)}
        say(f"LangChain index: {len(chunks)} chunks in {index_s:.1f} s, distance {results['langchain']['space']}")
        for _ in range(3):
            store.similarity_search("warm up", k=3)
        golden = [{"searched": resolve(c.question, list(c.turns[:-1])), "expected_docs": c.expected_docs,
                   "language": c.language} for c in cases if c.expected_docs]
        results["compare"] = baseline.compare(mentor.reader, settings, store, golden)
        say(f"hit@3 ours {results['compare']['ours_hit3']} vs LangChain {results['compare']['langchain_hit3']}")
        results["memory"]["after_langchain_peak_rss_mb"] = peak_rss_mb()

        say("6/9 the unit again, after the queries (machine drift)")
        last = shipped.encode_unit(embeddings)
        results["unit_runs"] = {"start": summary(first), "end": summary(last)}
        results["unit"] = summary(first + last)  # both runs' samples: drift during the run is in the unit
        say(f"unit: {results['unit']['p50_ms']} ms (start {summary(first)['p50_ms']}, end {summary(last)['p50_ms']})")
        del store, mentor

        say("7/9 thread probe: the same encode with and without OMP_WAIT_POLICY=PASSIVE (new processes)")
        results["probe"] = [probe(settings.resolved_model_dir, policy) for policy in (None, "PASSIVE")]
    say("8/9 scale: synthetic chunks in Chroma and BM25 (new processes)")
    results["scale"] = {str(n): scale(n) for n in ((10_000,) if quick else (10_000, 100_000))}
    say("9/9 embedders: sentence-transformers, onnx and onnx-int8 side by side (bench.embedders)")
    results["embedders"] = embedders.run(say)
    results["meta"]["load_end"] = load_average()
    return results


def probe(model_dir: Path, policy: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"} | ({"OMP_WAIT_POLICY": policy} if policy else {})
    done = subprocess.run([sys.executable, "-m", "bench.probe", str(model_dir), "8"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        return {"omp_wait_policy": policy or "(unset)", "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mentor-bench-scale-out-") as tmp:
        out = Path(tmp) / "scale.json"
        subprocess.run([sys.executable, "-m", "bench.scale", "--n", str(n), "--out", str(out)], cwd=REPO, check=True)
        return json.loads(out.read_text())


if __name__ == "__main__":
    main()
