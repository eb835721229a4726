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
        # Vectors are made one text per run (see _encode): int8's id says so, so that an index whose int8
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
        """One text per run. On this CPU that is faster than a batch (20 against 13 corpus chunks a second
        with fp32: a batch pads every text to its longest), and int8 needs it: its dynamic quantisation
        scales each activation by the range of the whole batch, padding included, so in a batch a text's
        vector would depend on its neighbours (cosine 0.992–0.997 to its vector alone)."""
        if len(texts) <= 1:
            return self.model.encode(texts)
        import numpy as np

        return np.concatenate([self.model.encode([text]) for text in texts])
