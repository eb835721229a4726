"""Embeddings with ONNX Runtime and `tokenizers`: the exported model (onnx_export), no torch.

The vectors of sentence-transformers (checked at export: a cosine of at least 0.9999 for fp32, 0.98 for
int8), a few times faster per query and a fraction of the import time and memory (the word-embedding table
is memory-mapped). fp32 is what answering and indexing use by default (MENTOR_EMBEDDER=onnx); int8
(onnx-int8) is selectable. The fp32 export shares the model's id with sentence-transformers (their vectors
agree to a cosine of 0.9999); int8 has its own id (…+int8-unbatched), so an index is never a silent mix:
an index built with another embedder asks for `mentor index --rebuild`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..errors import ModelError
from .embeddings import PrefixedEmbeddings
from .onnx_export import is_exported, runtime_files
from .onnx_runtime import OnnxEncoder


class OnnxEmbeddings(PrefixedEmbeddings):
    """The exported model (`variant` fp32 or int8) behind the LangChain `Embeddings` interface."""

    def __init__(self, model_dir: str | Path, query_prefix: str = "query: ", passage_prefix: str = "passage: ",
                 batch_size: int = 16, variant: str = "fp32") -> None:
        super().__init__(model_dir, query_prefix, passage_prefix, batch_size)
        if not is_exported(self.model_dir, variant):
            raise ModelError(f"The embedding model in {self.model_dir} has no checked ONNX {variant} export.",
                             "Run `mentor setup` to export it (or set MENTOR_EMBEDDER=sentence-transformers).")
        self.variant = variant
        # int8 vectors are made one text per run (see _encode_many): int8's id says so, so that an index whose int8
        # vectors were made in batches is rebuilt rather than mixed with these (fp32's are the same either way)
        self.model_id = self.model_id if variant == "fp32" else f"{self.model_id}+{variant}-unbatched"

    @property
    def model(self) -> OnnxEncoder:
        if self._model is None:
            self._model = OnnxEncoder(*runtime_files(self.model_dir, self.variant))
        return self._model

    @property
    def dim(self) -> int:
        return int(json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))["hidden_size"])

    def _encode(self, texts: list[str]) -> Any:
        return self._encode_many(texts, None)

    def _encode_many(self, texts: list[str], progress: Callable[[int], None] | None) -> Any:
        """Runs of texts with the same number of tokens (fp32: up to batch_size a run; int8: one text a run),
        on a thread per core (ONNX Runtime releases the GIL while it runs).

        A run is never padded, so a text's vector does not depend on its neighbours: fp32's equals its vector
        alone to within 1e-7. int8 takes one text a run because its dynamic quantisation scales each
        activation by the range of the whole run (cosine 0.992–0.997 to its vector alone in a batch). On this
        2-core CPU, runs of equal-length texts made the index's short sentences 1.3× faster than one a run,
        and a thread per core its chunks 1.1× faster; a padded batch of chunks was slower than one a run."""
        import numpy as np

        tokens = [self.model.tokenizer.encode(t) for t in texts]
        runs = equal_length_runs([len(t) for t in tokens], self.batch_size if self.variant == "fp32" else 1)
        vectors = np.empty((len(texts), self.model.table.shape[1]), dtype="float32")

        def encode_run(run: list[int]) -> Any:
            return self.model.encode_tokens([tokens[i] for i in run])

        if len(runs) <= 1:  # a query: no thread
            return place(vectors, runs, map(encode_run, runs), progress)
        with ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="onnx") as pool:  # per call: fork-safe
            return place(vectors, runs, pool.map(encode_run, runs), progress)


def place(vectors: Any, runs: list[list[int]], found: Iterable[Any], progress: Callable[[int], None] | None) -> Any:
    """Each run's vectors into its rows of `vectors`, reporting progress as runs come back."""
    for run, run_vectors in zip(runs, found):
        vectors[run] = run_vectors
        if progress:
            progress(len(run))
    return vectors


def equal_length_runs(lengths: list[int], size: int) -> list[list[int]]:
    """Positions grouped by length (shortest first), each group cut into runs of at most `size`."""
    groups: dict[int, list[int]] = {}
    for position, length in enumerate(lengths):
        groups.setdefault(length, []).append(position)
    return [group[i : i + size] for _, group in sorted(groups.items()) for i in range(0, len(group), size)]
