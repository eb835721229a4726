"""Export the converted embedding model to ONNX (fp32, and dynamic int8 quantised from it) and check it.

The sentence-transformers folder (its XLM-R encoder, eager attention) is traced with mean pooling and
L2 normalisation inside the graph (inputs inputs_embeds and attention_mask, opset 17), and ONNX
Runtime's transformer optimiser fuses each layer's attention, bias-GELU and skip-LayerNorm (fused
attention keeps long passages' attention scores out of memory: about 1.5× the passage throughput).
The word-embedding table (250k × 384 floats, 384 MB: four fifths of the weights) is left out of the
graph and saved as a .npy that answering memory-maps, so a query reads only its tokens' rows; the
tokenizer's pieces are packed beside it (`unigram.pack`), or, for a WordPiece model (the English sentence
model, rag.index.english_model), its tokenizer.json is saved with the model's truncation. Then everything is checked against
sentence-transformers on English and Chinese texts: equal token ids, and a cosine of at least 0.9999
(fp32) or 0.98 (int8, quantised from the checked fp32 export on request). The check is
recorded beside the model (onnx/check.json) with the weights' size, time and sha256: a copied folder (new
times, same bytes) is recognised by its hash at setup and recorded again, not exported again. Files are
written under temporary names and renamed only after the check passes, so a failed export leaves the
previous model in place. Needs torch and sentence-transformers (at setup only, never when answering).
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError
from .environment import prepare_library_environment
from .unigram import pack

ONNX_DIR = "onnx"
FILES = {"fp32": "model.onnx", "int8": "model_int8.onnx"}
WORD_EMBEDDINGS = "word_embeddings.npy"  # shared by both variants: int8 quantises the graph, not the table
TOKENIZER = "tokenizer.npz"  # a unigram model's packed pieces (e5)
WORDPIECE_TOKENIZER = "tokenizer.json"  # a WordPiece model's tokenizer, truncating as sentence-transformers does
FORMAT = 2  # 2: inputs_embeds graph, memory-mapped word embeddings, packed tokenizer (1 took input_ids)
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


def runtime_files(model_dir: Path, variant: str) -> tuple[Path, Path, Path]:
    """What answering loads: the graph, the word-embedding table and the tokenizer (packed, or a WordPiece one)."""
    folder = model_dir / ONNX_DIR
    packed = folder / TOKENIZER
    return onnx_path(model_dir, variant), folder / WORD_EMBEDDINGS, packed if packed.is_file() else folder / WORDPIECE_TOKENIZER


def tokenizer_file(model_dir: Path) -> str:
    """The name the export gives the model's tokenizer: packed pieces for a unigram model, tokenizer.json else."""
    kind = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["type"]
    return TOKENIZER if kind == "Unigram" else WORDPIECE_TOKENIZER


def is_exported(model_dir: Path, variant: str) -> bool:
    """Is the variant there and recorded as checked against this model folder's weights? What `mentor status` and
    loading the model both ask."""
    recorded = _recorded(model_dir)
    return (onnx_path(model_dir, variant).is_file() and variant in recorded and recorded.get("format") == FORMAT
            and recorded.get("source") == _source_id(model_dir))


def export(model_dir: Path, variant: str = "fp32", progress: Callable[[str], None] | None = None) -> Path:
    """Export (and check) `variant` of the model in `model_dir`; a no-op when it is already there."""
    say = progress or (lambda message: None)
    prepare_library_environment()
    if is_exported(model_dir, variant):  # quiet: only work is reported
        return onnx_path(model_dir, variant)
    if _checked_weights(model_dir, variant):  # a copied folder: the files' times changed, not the weights
        say(f"{model_dir.name}: its ONNX {variant} export was checked against these same weights; recorded again")
        return onnx_path(model_dir, variant)
    folder = model_dir / ONNX_DIR
    folder.mkdir(exist_ok=True)
    if variant == "int8" and not is_exported(model_dir, "fp32"):
        export(model_dir, "fp32", progress)
    final = {"graph": onnx_path(model_dir, variant)}
    try:
        tokenizer = folder / tokenizer_file(model_dir)
    except (OSError, ValueError, KeyError) as err:
        raise ModelError(f"The model in {model_dir} has no readable tokenizer.json ({err}).",
                         "Run `mentor setup` again, or point MENTOR_MODEL / MENTOR_ENGLISH_MODEL at a complete folder.") from err
    if variant == "fp32":
        final |= {"table": folder / WORD_EMBEDDINGS, "tokenizer": tokenizer}
    staged = {part: path.with_name(path.name + ".tmp") for part, path in final.items()}
    shared = {"table": folder / WORD_EMBEDDINGS, "tokenizer": tokenizer} | staged
    try:
        if variant == "fp32":
            say(f"Exporting {model_dir.name} to ONNX (fp32)…")
            _trace(model_dir, staged["graph"], staged["table"])
            _write_tokenizer(model_dir, staged["tokenizer"])
        else:
            say(f"Quantising the ONNX export of {model_dir.name} to int8…")
            import logging

            from onnxruntime.quantization import QuantType, quantize_dynamic

            logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice to pre-process is for vision models
            # The fused contrib ops have no shape inference: their outputs are float32.
            quantize_dynamic(str(onnx_path(model_dir, "fp32")), str(staged["graph"]), weight_type=QuantType.QInt8,
                             extra_options={"DefaultTensorType": 1})  # onnx.TensorProto.FLOAT
        say("Checking it against sentence-transformers…")
        result = check(model_dir, shared["graph"], shared["table"], shared["tokenizer"])
    except ModelError:
        _discard(staged)
        raise
    except Exception as err:  # torch, onnx, onnxruntime: any failure means the export cannot be trusted
        _discard(staged)
        raise ModelError(f"Exporting {model_dir.name} to ONNX failed ({type(err).__name__}: {err}).",
                         "Set MENTOR_EMBEDDER=sentence-transformers to answer without ONNX, and report this.") from err
    if result["min_cosine"] < MIN_COSINE[variant] or not result["token_ids_equal"]:
        _discard(staged)
        raise ModelError(f"The ONNX {variant} model does not match sentence-transformers (lowest cosine "
                         f"{result['min_cosine']:.5f}, token ids equal: {result['token_ids_equal']}); the previous "
                         "model is left in place.", "Set MENTOR_EMBEDDER=sentence-transformers and report this.")
    for part, path in staged.items():
        os.replace(path, final[part])
    _record(model_dir, variant, result)
    say(f"{model_dir.name}: ONNX {variant} export ready: lowest cosine {result['min_cosine']:.5f} "
        f"on {result['texts']} texts")
    return onnx_path(model_dir, variant)


def _write_tokenizer(model_dir: Path, target: Path) -> None:
    """The model's tokenizer as answering reads it: packed pieces (unigram), or tokenizer.json truncating at the
    model's max_seq_length (WordPiece)."""
    if target.name.startswith(TOKENIZER):
        pack(model_dir / "tokenizer.json", target)
        return
    from tokenizers import Tokenizer

    limit = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))["max_seq_length"]
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(int(limit))
    tokenizer.save(str(target))


def _discard(staged: dict[str, Path]) -> None:
    for path in staged.values():
        path.unlink(missing_ok=True)


def _trace(model_dir: Path, target: Path, word_embeddings: Path) -> None:
    """The encoder from token vectors to pooled unit vectors, into `target`; its word-embedding table
    into `word_embeddings`."""
    import numpy as np
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    # Eager attention traces to the MatMul/Softmax pattern the optimiser fuses (SDPA's does not).
    encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager").eval()
    table = encoder.embeddings.word_embeddings.weight.detach().numpy().astype("float32")
    encoder.embeddings.word_embeddings = torch.nn.Embedding(1, table.shape[1])  # unused: the graph takes vectors

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    vectors, mask = torch.zeros((2, 8, table.shape[1])), torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad(), warnings.catch_warnings():
        # Two warnings that do not apply here (and `check` compares the graph with sentence-transformers on texts of
        # many lengths): transformers' mask code branches on a shape that, with no cache, takes the same branch for
        # every input, and indexes the mask with arange indices, which are never negative.
        warnings.filterwarnings("ignore", r"Converting a tensor to a Python boolean", torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", r"Exporting aten::index operator of advanced indexing", UserWarning)
        torch.onnx.export(Pooled(), (vectors, mask), str(target), input_names=["inputs_embeds", "attention_mask"],
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                        "embedding": {0: "batch"}})
    _optimise(target, num_heads=encoder.config.num_attention_heads, hidden_size=table.shape[1])
    with word_embeddings.open("wb") as out:
        np.save(out, table)


def _optimise(path: Path, num_heads: int = 12, hidden_size: int = 384) -> None:
    """Fuse attention, bias-GELU and skip-LayerNorm in place (ONNX Runtime's BERT optimiser)."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(str(path), model_type="bert", num_heads=num_heads, hidden_size=hidden_size, opt_level=0)
    model.save_model_to_file(str(path))


def check(model_dir: Path, onnx_file: Path, word_embeddings: Path, tokenizer: Path) -> dict:
    """Compare an ONNX export with sentence-transformers on CHECK_TEXTS: token ids and cosine."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from .onnx_runtime import OnnxEncoder

    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    encoder = OnnxEncoder(onnx_file, word_embeddings, tokenizer)
    expected = reference.encode(list(CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True)
    got = encoder.encode(list(CHECK_TEXTS))
    ids_reference = [reference.tokenizer(t, truncation=True, max_length=reference.max_seq_length)["input_ids"]
                     for t in CHECK_TEXTS]
    ids_onnx = [encoder.tokenizer.encode(t) for t in CHECK_TEXTS]
    cosines = np.sum(expected * got, axis=1)
    return {"texts": len(CHECK_TEXTS), "min_cosine": round(float(cosines.min()), 6), "token_ids_equal": ids_reference == ids_onnx}


def _source_id(model_dir: Path) -> str:
    """The weights as `is_exported` knows them: size and time, a stat (hashing e5's 470 MB took 0.4 s warm and 1.4 s
    cold, at every load). A copy changes the time: then `_checked_weights` hashes them, once."""
    weights = model_dir / "model.safetensors"
    return f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}" if weights.is_file() else ""


def _weights_sha256(model_dir: Path) -> str:
    """The sha256 of the model's safetensors weights; "" for a folder with other weights (a copy of it is then
    exported again rather than recognised)."""
    try:
        with open(model_dir / "model.safetensors", "rb") as weights:
            return hashlib.file_digest(weights, "sha256").hexdigest()
    except FileNotFoundError:
        return ""


def _checked_weights(model_dir: Path, variant: str) -> bool:
    """Was the export in place checked against weights of these very bytes (a copied folder)? Then it is recorded
    again under the copy's size and time, and nothing is exported."""
    recorded = _recorded(model_dir)
    if not (variant in recorded and recorded.get("format") == FORMAT and recorded.get("weights_sha256")
            and all(path.is_file() for path in runtime_files(model_dir, variant))):
        return False
    try:
        if _weights_sha256(model_dir) != recorded["weights_sha256"]:
            return False
    except OSError:
        return False
    _write_record(model_dir, recorded | {"source": _source_id(model_dir)})
    return True


def _recorded(model_dir: Path) -> dict:
    try:
        recorded = json.loads((model_dir / ONNX_DIR / CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def _record(model_dir: Path, variant: str, result: dict) -> None:
    recorded = _recorded(model_dir)
    if recorded.get("source") != _source_id(model_dir) or recorded.get("format") != FORMAT:
        recorded = {"source": _source_id(model_dir), "format": FORMAT, "weights_sha256": _weights_sha256(model_dir)}
    _write_record(model_dir, recorded | {variant: result})


def _write_record(model_dir: Path, recorded: dict) -> None:
    path = model_dir / ONNX_DIR / CHECK_FILE
    tmp = path.with_name(CHECK_FILE + ".tmp")
    tmp.write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    os.replace(tmp, path)
