"""LangChain's own standard test suites, run on the project's Embeddings and retriever."""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from rag.answer.retriever import HybridRetriever
from rag.index.embeddings import SentenceEmbeddings
from rag.index.onnx_embeddings import OnnxEmbeddings

pytestmark = pytest.mark.slow
_state: dict = {}


@pytest.fixture(autouse=True)
def _real_parts(model_dir, corpus_index):
    _state["model_dir"] = model_dir
    _state["settings"], _state["reader"] = corpus_index


class OnTheSessionModel:
    """The session's converted model folder as the embeddings' only parameter."""

    @property
    def embedding_model_params(self):
        return {"model_dir": _state["model_dir"]}


class TestSentenceEmbeddingsUnit(OnTheSessionModel, EmbeddingsUnitTests):
    embeddings_class = SentenceEmbeddings


class TestSentenceEmbeddingsIntegration(OnTheSessionModel, EmbeddingsIntegrationTests):
    embeddings_class = SentenceEmbeddings


class TestOnnxEmbeddingsUnit(OnTheSessionModel, EmbeddingsUnitTests):
    embeddings_class = OnnxEmbeddings


class TestOnnxEmbeddingsIntegration(OnTheSessionModel, EmbeddingsIntegrationTests):
    embeddings_class = OnnxEmbeddings


class TestHybridRetriever(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self):
        return HybridRetriever

    @property
    def retriever_constructor_params(self):
        return {"reader": _state["reader"], "settings": _state["settings"]}

    @property
    def retriever_query_example(self):
        return "What should I learn after Python?"


def test_the_retriever_needs_its_settings_and_honours_them(corpus_index):
    from dataclasses import replace

    from pydantic import ValidationError

    settings, reader = corpus_index
    with pytest.raises(ValidationError):  # no hidden Settings() built at import time
        HybridRetriever(reader=reader)
    lexical = HybridRetriever(reader=reader, settings=replace(settings, retrieval_mode="bm25"), k=3)
    assert all(d.metadata["dense_rank"] is None for d in lexical.invoke("Kaggle 比赛"))
