"""The ONNX Runtime side of the exported model: its tokenizer and an inference session, texts in and unit
vectors out. Imports onnxruntime and tokenizers only (no torch)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .embeddings import LIBRARY_ENVIRONMENT

MAX_TOKENS = 512  # what multilingual-e5-small reads; sentence-transformers truncates there too


class OnnxEncoder:
    """The tokenizer and an ONNX Runtime session: texts in, unit vectors out (float32)."""

    def __init__(self, model_dir: Path, onnx_file: Path) -> None:
        for name, value in LIBRARY_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        pad = self.tokenizer.token_to_id("<pad>")
        self.pad = 1 if pad is None else pad
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])

    def tokenize(self, texts: list[str], pad: bool = True) -> list[Any]:
        if pad:
            self.tokenizer.enable_padding(pad_id=self.pad, pad_token="<pad>")
        else:
            self.tokenizer.no_padding()
        return self.tokenizer.encode_batch(texts)

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype="float32")
        encoded = self.tokenize(texts)
        ids = np.array([e.ids for e in encoded], dtype="int64")
        mask = np.array([e.attention_mask for e in encoded], dtype="int64")
        (vectors,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return vectors.astype("float32")
