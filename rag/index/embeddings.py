"""LangChain `Embeddings` over a local model folder, with e5 prefixes: the shared base and the
sentence-transformers reference (the ONNX Runtime one is `onnx_embeddings`).

Queries are embedded as "query: …" and passages as "passage: …" (what e5 models
were trained on); vectors are L2-normalised so cosine similarity is a dot
product. Loads only from a local folder, never from a model hub.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ..errors import ModelError
from .environment import prepare_library_environment


class PrefixedEmbeddings(Embeddings):
    """A LangChain `Embeddings` over a local model folder, e5 prefixes, unit vectors, batches with progress.

    A subclass says how a batch is encoded (`_encode`) and how wide its vectors are (`dim`).
    """

    def __init__(
        self,
        model_dir: str | Path,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        batch_size: int = 16,
    ) -> None:
        self.model_dir = Path(model_dir)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.model_id = model_fingerprint(self.model_dir)
        self._model: Any = None  # loaded on first use: a no-change index run never needs it

    @property
    def dim(self) -> int:
        raise NotImplementedError

    def _encode(self, texts: list[str]) -> Any:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_queries([text])[0].tolist()

    def encode_queries(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> Any:
        """Query vectors as a float32 numpy array, one row per text; `progress(n)` after each n done."""
        if len(texts) == 1 and progress is None:  # a learner's question: one batch, nothing to sort
            return self._encode([self.query_prefix + texts[0]])
        return self._encode_many([self.query_prefix + t for t in texts], progress)

    def encode_passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> Any:
        """Passage vectors as a float32 numpy array in the order of `texts`; `progress(n)` after each n done."""
        return self._encode_many([self.passage_prefix + t for t in texts], progress)

    def _encode_many(self, texts: list[str], progress: Callable[[int], None] | None) -> Any:
        """Many prefixed texts, in batches cut from the texts sorted by length, so a batch pads its short texts
        up to a similar length rather than to the longest chunk of the corpus (attention costs grow with the
        padded length)."""
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = []
        for i in range(0, len(order), self.batch_size):
            batch = [texts[j] for j in order[i : i + self.batch_size]]
            parts.append(self._encode(batch))
            if progress:
                progress(len(batch))
        if not parts:
            return np.zeros((0, self.dim), dtype="float32")
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype="float32")
        vectors[order] = np.concatenate(parts)
        return vectors


class SentenceEmbeddings(PrefixedEmbeddings):
    """Embed text with a local sentence-transformers folder (the reference; loads torch: seconds)."""

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = _load(self.model_dir)
        return self._model

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def _encode(self, texts: list[str]) -> Any:
        return self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )


def model_fingerprint(model_dir: Path) -> str:
    """A short id of the model in `model_dir`: its name plus a hash of its config and weights size.

    The index records it, so vectors from two different models are never mixed.
    """
    if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
        raise ModelError(f"No sentence-transformers model folder at {model_dir}.")
    digest = hashlib.sha256()
    for name in ("mentor_model.json", "config.json", "modules.json", "tokenizer.json"):
        path = model_dir / name
        if path.is_file():
            digest.update(name.encode() + path.read_bytes())
    for weights in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    marker = model_dir / "mentor_model.json"
    name = model_dir.name
    if marker.is_file():
        try:
            name = json.loads(marker.read_text()).get("name", name)
        except (ValueError, OSError):
            pass
    return f"{name}@{digest.hexdigest()[:12]}"


def _load(model_dir: Path) -> Any:
    prepare_library_environment()
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    except Exception as err:  # any failure to load is the same problem for the user
        raise ModelError(f"The embedding model at {model_dir} could not be loaded ({type(err).__name__}: {err}).") from err
