"""The ONNX Runtime side of the exported model: its tokenizer, word-embedding table and an inference
session, texts in and unit vectors out. Imports onnxruntime, tokenizers and numpy only (no torch).

The table is memory-mapped and its rows gathered in numpy, so a query brings in the pages of its own
tokens, not 384 MB; the session holds the rest of the encoder (about 86 MB).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

from .environment import prepare_library_environment
from .unigram import UnigramTokenizer

MAX_TOKENS = 512  # what multilingual-e5-small reads; sentence-transformers truncates there too (a WordPiece
# tokenizer.json carries its own limit)


class WordPieceTokenizer:
    """A WordPiece tokenizer.json (the English sentence model's, saved at export with its truncation) through
    `tokenizers`: texts in, token ids ([CLS] … [SEP]) out."""

    def __init__(self, path: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(path))
        self.pad = self._tokenizer.token_to_id("[PAD]")

    def encode(self, text: str) -> list[int]:
        return self._tokenizer.encode(text).ids


class OnnxEncoder:
    """The tokenizer, the word-embedding table and an ONNX Runtime session: texts in, unit vectors out."""

    def __init__(self, onnx_file: Path, word_embeddings: Path, tokenizer: Path) -> None:
        prepare_library_environment()
        import numpy as np
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        # Idle threads sleep instead of spinning: on 2 shared cores a spinning pool made one query encode
        # about 3× slower when another process was busy (measured by bench/), like OMP_WAIT_POLICY=PASSIVE.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self.table = np.load(word_embeddings, mmap_mode="r")
        # packed pieces are an .npz (a zip file); a WordPiece tokenizer is its tokenizer.json
        self.tokenizer = UnigramTokenizer(tokenizer, MAX_TOKENS) if zipfile.is_zipfile(tokenizer) else WordPieceTokenizer(tokenizer)

    def encode(self, texts: list[str]) -> Any:
        """Unit vectors (float32), one row per text; a batch is padded to its longest text."""
        return self.encode_tokens([self.tokenizer.encode(t) for t in texts])

    def encode_tokens(self, encoded: list[list[int]]) -> Any:
        """Unit vectors (float32) of tokenised texts, one row each, in one run padded to the longest."""
        import numpy as np

        if not encoded:
            return np.zeros((0, self.table.shape[1]), dtype="float32")
        width = max(map(len, encoded))
        ids = np.full((len(encoded), width), self.tokenizer.pad, dtype="int64")
        mask = np.zeros((len(encoded), width), dtype="int64")
        for row, tokens in enumerate(encoded):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        (vectors,) = self.session.run(None, {"inputs_embeds": self.table[ids], "attention_mask": mask})
        return vectors.astype("float32")
