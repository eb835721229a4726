"""Diagnostic: one question's encode time under the current thread settings, in a fresh process.

`python -m bench.probe MODEL_DIR` prints JSON: the median encode with torch's default
thread count and with one thread. OpenMP reads OMP_WAIT_POLICY when torch loads, so
the caller sets it (or not) in this process's environment; that is the comparison.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from rag.index.embeddings import SentenceEmbeddings

from .shipped import UNIT_QUESTION


def median_ms(embeddings: SentenceEmbeddings, reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        embeddings.encode_queries([UNIT_QUESTION])
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def main() -> None:
    import torch

    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    embeddings = SentenceEmbeddings(sys.argv[1])
    embeddings.encode_queries(["warm up"])
    threads = torch.get_num_threads()
    default_ms = median_ms(embeddings, reps)
    torch.set_num_threads(1)
    embeddings.encode_queries(["warm up"])
    one_ms = median_ms(embeddings, reps)
    print(json.dumps({"omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"), "torch_threads": threads,
                      "default_threads_ms": default_ms, "one_thread_ms": one_ms}))


if __name__ == "__main__":
    main()
