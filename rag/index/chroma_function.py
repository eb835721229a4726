"""Chroma's view of the mentor's embeddings: passages for documents, the query prefix for queries.

Given explicitly to every collection, so Chroma never falls back to its default
function (which would try to download a model). Registered with Chroma and
rebuildable from its stored config (the local model folder and prefixes); the
model itself loads only when something is embedded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.utils.embedding_functions import register_embedding_function


@register_embedding_function
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    def __init__(self, embeddings: Any) -> None:
        self._embeddings = embeddings

    def __call__(self, input: Documents) -> Any:
        return list(self._embeddings.encode_passages(list(input)))

    def embed_query(self, input: Documents) -> Any:
        return list(self._embeddings.encode_queries(list(input)))

    @staticmethod
    def name() -> str:
        return "mentor-sentence-transformers"

    def get_config(self) -> dict[str, Any]:
        e = self._embeddings
        return {"model_id": e.model_id, "model_dir": str(e.model_dir), "query_prefix": e.query_prefix,
                "passage_prefix": e.passage_prefix}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "ChromaEmbeddingFunction":
        from .embeddings import SentenceEmbeddings

        return ChromaEmbeddingFunction(SentenceEmbeddings(Path(config["model_dir"]), config["query_prefix"],
                                                          config["passage_prefix"]))

    def default_space(self) -> Any:
        return "cosine"
