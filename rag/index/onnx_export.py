"""Export the converted embedding model to ONNX (fp32, and dynamic int8 on request) and check it.

The sentence-transformers folder (its XLM-R encoder) is traced with mean pooling and L2 normalisation
inside the graph (inputs input_ids and attention_mask, opset 17), then checked against
sentence-transformers on English and Chinese texts: equal token ids, and a cosine of at least 0.9999
(fp32) or 0.98 (int8). The check is recorded beside the model (onnx/check.json). Files are written
under temporary names and renamed only after the check passes, so a failed export leaves the previous
model in place. Needs torch and sentence-transformers (at setup only, never when answering).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError
from .embeddings import LIBRARY_ENVIRONMENT

ONNX_DIR = "onnx"
FILES = {"fp32": "model.onnx", "int8": "model_int8.onnx"}
MIN_COSINE = {"fp32": 0.9999, "int8": 0.98}
CHECK_FILE = "check.json"
CHECK_TEXTS = (
    "What should I learn after Python?", "How much math do I need to become a machine learning engineer?",
    "Is it worth entering Kaggle competitions as a beginner?", "Should I learn PyTorch or TensorFlow?",
    "Machine learning engineers spend most of their time on data cleaning and infrastructure.",
    "Deploy the model behind an API and monitor it in production.", "CS50 is a free introduction to computer science.",
    "Implement the paper yourself before reading the authors' code.", "A portfolio of projects on GitHub matters.",
    "Logistic regression is often a strong baseline.", "How long until I can get an MLE job?", "passage: Learn git early.",
    "学完 Python 之后我应该学什么？", "机器学习工程师需要掌握哪些数学知识？", "初学者值得参加 Kaggle 比赛吗？",
    "深度学习框架应该选 PyTorch 还是 TensorFlow？", "机器学习工程师的大部分时间都花在数据清理和基础设施上。",
    "先从浅层机器学习算法开始学习。", "复现论文时先自己实现，再去看作者的代码。", "成为机器学习工程师需要博士学位吗？",
    "在 GitHub 上建立作品集。", "部署模型时要权衡延迟和成本。", "转行需要多长时间？", "passage: 学习 git 和 GitHub。",
)


def onnx_path(model_dir: Path, variant: str) -> Path:
    return model_dir / ONNX_DIR / FILES[variant]


def is_exported(model_dir: Path, variant: str) -> bool:
    """Is the variant there and recorded as checked against this model folder's weights?"""
    check = model_dir / ONNX_DIR / CHECK_FILE
    if not (onnx_path(model_dir, variant).is_file() and check.is_file()):
        return False
    try:
        recorded = json.loads(check.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return variant in recorded and recorded.get("source") == _source_id(model_dir)


def export(model_dir: Path, variant: str = "fp32", progress: Callable[[str], None] | None = None) -> Path:
    """Export (and check) `variant` of the model in `model_dir`; a no-op when it is already there."""
    say = progress or (lambda message: None)
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if is_exported(model_dir, variant):
        say(f"ONNX {variant} model already checked: {onnx_path(model_dir, variant)}")
        return onnx_path(model_dir, variant)
    folder = model_dir / ONNX_DIR
    folder.mkdir(exist_ok=True)
    fp32 = onnx_path(model_dir, "fp32")
    if variant == "int8" and not is_exported(model_dir, "fp32"):
        export(model_dir, "fp32", progress)
    tmp = folder / f"{FILES[variant]}.tmp"
    try:
        if variant == "fp32":
            say("Exporting the embedding model to ONNX (fp32)…")
            _trace(model_dir, tmp)
        else:
            say("Quantising the ONNX model to int8…")
            import logging

            from onnxruntime.quantization import QuantType, quantize_dynamic

            logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice to pre-process is for vision models
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
        say("Checking it against sentence-transformers…")
        result = check(model_dir, tmp)
    except ModelError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as err:  # torch, onnx, onnxruntime: any failure means the export cannot be trusted
        tmp.unlink(missing_ok=True)
        raise ModelError(f"Exporting the embedding model to ONNX failed ({type(err).__name__}: {err}).",
                         "Set MENTOR_EMBEDDER=sentence-transformers to answer without ONNX, and report this.") from err
    if result["min_cosine"] < MIN_COSINE[variant] or not result["token_ids_equal"]:
        tmp.unlink(missing_ok=True)
        raise ModelError(f"The ONNX {variant} model does not match sentence-transformers (lowest cosine "
                         f"{result['min_cosine']:.5f}, token ids equal: {result['token_ids_equal']}); the previous "
                         "model is left in place.", "Set MENTOR_EMBEDDER=sentence-transformers and report this.")
    os.replace(tmp, onnx_path(model_dir, variant))
    _record(model_dir, variant, result)
    say(f"ONNX {variant} model ready: lowest cosine {result['min_cosine']:.5f} on {result['texts']} texts")
    return onnx_path(model_dir, variant)


def _trace(model_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    ids = torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(Pooled(), (ids, torch.ones_like(ids)), str(target), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                        "embedding": {0: "batch"}})


def check(model_dir: Path, onnx_file: Path) -> dict:
    """Compare an ONNX file with sentence-transformers on CHECK_TEXTS: token ids and cosine."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from .onnx_runtime import OnnxEncoder

    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    encoder = OnnxEncoder(model_dir, onnx_file)
    expected = reference.encode(list(CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True)
    got = encoder.encode(list(CHECK_TEXTS))
    ids_reference = [reference.tokenizer(t, truncation=True, max_length=512)["input_ids"] for t in CHECK_TEXTS]
    ids_onnx = [e.ids for e in encoder.tokenize(list(CHECK_TEXTS), pad=False)]
    cosines = np.sum(expected * got, axis=1)
    return {"texts": len(CHECK_TEXTS), "min_cosine": round(float(cosines.min()), 6), "token_ids_equal": ids_reference == ids_onnx}


def _source_id(model_dir: Path) -> str:
    weights = model_dir / "model.safetensors"
    return f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}" if weights.is_file() else ""


def _record(model_dir: Path, variant: str, result: dict) -> None:
    path = model_dir / ONNX_DIR / CHECK_FILE
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        recorded = {}
    if recorded.get("source") != _source_id(model_dir):
        recorded = {"source": _source_id(model_dir)}
    recorded[variant] = result
    tmp = path.with_name(CHECK_FILE + ".tmp")
    tmp.write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    os.replace(tmp, path)
