"""The mentor index as a LangChain `BaseRetriever`: `invoke(question, k=3)` gives Documents."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..config import Settings
from ..records import Hit
from .retrieval import hybrid_search


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the mentor index: `invoke(question, k=3)` gives Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    reader: Any
    settings: Settings  # no default: settings come from the caller (Settings.from_env() reads MENTOR_*)
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        hits = hybrid_search(self.reader, query, k or self.k, self.settings)
        return [hit_to_document(hit) for hit in hits]


def hit_to_document(hit: Hit) -> Document:
    """A LangChain Document: the chunk text, with everything else as metadata."""
    meta = hit.to_dict()
    text = meta.pop("text")
    return Document(page_content=text, metadata=meta, id=hit.chunk_id)
