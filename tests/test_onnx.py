"""The ONNX Runtime embedder: the export's recorded check, its vectors against sentence-transformers, and
answering without torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from rag.config import PACKAGE_ROOT, Settings
from rag.errors import ModelError
from rag.index.onnx_export import CHECK_FILE, CHECK_TEXTS, ONNX_DIR, is_exported

pytestmark = pytest.mark.slow


def test_the_export_is_checked_and_the_check_recorded(model_dir):
    recorded = json.loads((model_dir / ONNX_DIR / CHECK_FILE).read_text(encoding="utf-8"))
    assert recorded["fp32"]["texts"] >= 20 and recorded["fp32"]["min_cosine"] >= 0.9999
    assert recorded["fp32"]["token_ids_equal"] and is_exported(model_dir, "fp32")
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in CHECK_TEXTS) >= 10  # Chinese texts too


def test_onnx_vectors_equal_sentence_transformers_and_share_its_model_id(model_dir, embeddings):
    from rag.index.onnx_embeddings import OnnxEmbeddings

    onnx = OnnxEmbeddings(model_dir)
    texts = ["What should I learn after Python?", "学完 Python 之后我应该学什么？", "x" * 3000]  # one past 512 tokens
    cosines = np.sum(onnx.encode_passages(texts) * embeddings.encode_passages(texts), axis=1)
    assert cosines.min() >= 0.9999 and onnx.model_id == embeddings.model_id and onnx.dim == embeddings.dim


def test_a_missing_export_is_a_clear_error(tmp_path, model_dir):
    import shutil

    from rag.index.onnx_embeddings import OnnxEmbeddings

    bare = tmp_path / "model"
    shutil.copytree(model_dir, bare, ignore=shutil.ignore_patterns(ONNX_DIR))
    with pytest.raises(ModelError, match="no checked ONNX fp32 export") as err:
        OnnxEmbeddings(bare)
    assert "mentor setup" in err.value.hint


def test_mentor_ask_answers_without_importing_torch(corpus_index):
    settings, _ = corpus_index
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    env |= {"MENTOR_HOME": str(settings.home), "MENTOR_MODEL": str(settings.model_dir)}
    probe = ("import sys\nfrom rag.cli import main\ntry:\n    main(['ask', 'How much math do I need?'], standalone_mode=False)\n"
             "finally:\n    print('loaded:', sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "[1]" in done.stdout and "loaded: []" in done.stdout


def test_the_embedder_is_a_setting():
    assert Settings().embedder == "onnx"
    assert Settings.from_env({"MENTOR_EMBEDDER": "sentence-transformers"}).embedder == "sentence-transformers"
    with pytest.raises(Exception, match="MENTOR_EMBEDDER must be one of"):
        Settings.from_env({"MENTOR_EMBEDDER": "gpu"})
