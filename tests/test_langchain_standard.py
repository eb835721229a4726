"""LangChain's own standard test suites, run on the project's Embeddings and retriever."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from rag.embeddings import SentenceEmbeddings
from rag.retrieval import HybridRetriever

pytestmark = pytest.mark.slow
_state: dict = {}


@pytest.fixture(autouse=True)
def _real_parts(model_dir, corpus_index):
    _state["model_dir"] = model_dir
    _state["reader"] = corpus_index[1]


class TestSentenceEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self):
        return SentenceEmbeddings

    @property
    def embedding_model_params(self):
        return {"model_dir": _state["model_dir"]}


class TestSentenceEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self):
        return SentenceEmbeddings

    @property
    def embedding_model_params(self):
        return {"model_dir": _state["model_dir"]}


class TestHybridRetriever(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self):
        return HybridRetriever

    @property
    def retriever_constructor_params(self):
        return {"reader": _state["reader"]}

    @property
    def retriever_query_example(self):
        return "What should I learn after Python?"
