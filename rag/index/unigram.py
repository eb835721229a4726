"""multilingual-e5's SentencePiece-unigram tokenizer for answering: the same token ids as `tokenizers`, a
fraction of its memory.

`tokenizers` keeps the 250k pieces in a byte trie of hash maps (about 260 MB resident, most of what a
cold `mentor ask` would hold besides the model). Here the pieces sit in one dict and the best
segmentation is the same Viterbi search `tokenizers` runs (same scores, same tie-breaking, unknown
characters fused into one `<unk>`); normalisation, pre-tokenisation and special tokens are still
`tokenizers`' own, from tokenizer.json with a one-piece model that returns each pre-token whole.
`mentor setup` packs what it needs into one file (`pack`) and checks the ids against
sentence-transformers' tokenizer; tests compare them with `tokenizers` on the whole corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

KNOWN_WORDS = 50_000  # segmentations kept; past it, the cache starts again
UNK_PENALTY = 10.0  # what SentencePiece (and `tokenizers`) subtract from the lowest score for an unknown character


def pack(tokenizer_json: Path, target: Path) -> None:
    """Write what the tokenizer needs from tokenizer.json into one .npz that loads in milliseconds (parsing
    the 16 MB JSON of 250k [piece, score] pairs takes most of a second): pieces, scores, each first
    character's longest piece and the pipeline without its model."""
    import numpy as np

    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram" or any("\n" in piece for piece, _ in model["vocab"]):
        raise ValueError(f"{tokenizer_json} does not hold a unigram model this tokenizer can read")
    pieces = [piece for piece, _ in model["vocab"]]
    longest: dict[str, int] = {}
    for piece in pieces:
        if piece and len(piece) > longest.get(piece[0], 0):
            longest[piece[0]] = len(piece)
    # Its one piece never matches, so every pre-token comes back whole (as one fused unknown, id 0);
    # special tokens written in the text come back as themselves, with ids after 0.
    spec["model"] = {"type": "Unigram", "unk_id": 0, "vocab": [["\u0000", 0.0]], "byte_fallback": False}
    spec["post_processor"] = spec["truncation"] = spec["padding"] = None
    with target.open("wb") as out:
        np.savez(out, pieces=np.frombuffer("\n".join(pieces).encode("utf-8"), dtype="uint8"),
                 scores=np.array([score for _, score in model["vocab"]], dtype="float64"),
                 longest=np.frombuffer(json.dumps(longest).encode("utf-8"), dtype="uint8"),
                 pipeline=np.frombuffer(json.dumps(spec).encode("utf-8"), dtype="uint8"),
                 unk_id=np.array(model["unk_id"]))


class UnigramTokenizer:
    """tokenizer.json's pipeline with a light unigram model (from `pack`'s file): texts in, token ids
    (with <s> … </s>) out."""

    def __init__(self, packed: Path, max_tokens: int = 512) -> None:
        import numpy as np
        from tokenizers import Tokenizer

        with np.load(packed) as data:
            pieces = data["pieces"].tobytes().decode("utf-8").split("\n")
            self.scores: list[float] = data["scores"].tolist()
            self.longest: dict[str, int] = json.loads(data["longest"].tobytes())
            pipeline = data["pipeline"].tobytes().decode("utf-8")
            self.unk_id = int(data["unk_id"])
        self.ids = dict(zip(pieces, range(len(pieces))))
        self.unk_score = min(self.scores) - UNK_PENALTY
        spec = json.loads(pipeline)
        self.special = {t["content"]: t["id"] for t in spec["added_tokens"]}
        self.bos, self.eos, self.pad = self.special["<s>"], self.special["</s>"], self.special["<pad>"]
        self.max_pieces = max_tokens - 2
        self._pipeline = Tokenizer.from_str(pipeline)
        self._known: dict[str, list[int]] = {}  # words already segmented (words repeat: most of a passage's are known)

    def encode(self, text: str) -> list[int]:
        """The token ids of `text`, truncated like `tokenizers` (at most max_tokens with <s> and </s>)."""
        words = self._pipeline.encode(text, add_special_tokens=False)
        ids: list[int] = []
        known = self._known
        for word, whole in zip(words.tokens, words.ids):
            if whole:
                ids.append(self.special[word])
                continue
            pieces = known.get(word)
            if pieces is None:
                if len(known) >= KNOWN_WORDS:
                    known.clear()
                pieces = known[word] = self._segment(word)
            ids += pieces
            if len(ids) >= self.max_pieces:
                break
        return [self.bos, *ids[: self.max_pieces], self.eos]

    def _segment(self, word: str) -> list[int]:
        """The best-scoring segmentation of one pre-token (Viterbi; the first of equal paths wins)."""
        size = len(word)
        best = [0.0] * (size + 1)
        start = [-1] * (size + 1)
        piece = [0] * (size + 1)
        ids, scores, unk = self.ids, self.scores, self.unk_id
        for begin in range(size):
            so_far = best[begin]
            single = False
            for end in range(begin + 1, min(size, begin + self.longest.get(word[begin], 0)) + 1):
                found = ids.get(word[begin:end])
                if found is None:
                    continue
                score = so_far + scores[found]
                if start[end] < 0 or score > best[end]:
                    best[end], start[end], piece[end] = score, begin, found
                single = single or end == begin + 1
            if not single:
                score = so_far + self.unk_score
                if start[begin + 1] < 0 or score > best[begin + 1]:
                    best[begin + 1], start[begin + 1], piece[begin + 1] = score, begin, unk
        out: list[int] = []
        end = size
        while end > 0:  # back from the end; runs of unknown characters become one <unk>
            if not (piece[end] == unk and out and out[-1] == unk):
                out.append(piece[end])
            end = start[end]
        return out[::-1]
