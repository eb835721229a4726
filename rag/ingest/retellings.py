"""Retellings: a note sentence that retells a guide names the guide sentence it retells (front matter `retells`).

An answer that picks such a sentence cites the guide (the primary source) instead and shows the note as
"see also". Checked when the corpus loads: the note sentence must be the note's own and the quote a
sentence of the named guide; a link that does not hold is a problem naming the note, and is dropped.
"""

from __future__ import annotations

from dataclasses import replace

from ..records import CorpusProblem, SourceDoc
from .chunking import split_sentences


def checked_retellings(docs: list[SourceDoc], problems: list[CorpusProblem]) -> list[SourceDoc]:
    """The documents with only the `retells` links that hold (the others become problems)."""
    texts = {d.doc_id: d for d in docs}
    out = []
    for doc in docs:
        links = doc.meta.get("retells")
        if not links:
            out.append(doc)
            continue
        sentences = {doc.text[a:b] for a, b in split_sentences(doc.text, doc.body_start, len(doc.text))}
        kept = []
        for i, link in enumerate(links if isinstance(links, list) else [], start=1):
            problem = _problem(link, sentences, texts)
            if isinstance(link, dict) and link.get("guide") not in texts:
                continue  # a corpus without that guide (a partial copy): nothing to link to, nothing wrong
            if problem:
                problems.append(CorpusProblem(doc.path, f"retells entry {i}: {problem}"))
            else:
                kept.append({"note": link["note"], "guide": link["guide"], "quote": link["quote"]})
        out.append(replace(doc, meta={**doc.meta, "retells": kept}))
    return out


def _problem(link: object, sentences: set[str], docs: dict[str, SourceDoc]) -> str:
    if not isinstance(link, dict) or not all(isinstance(link.get(k), str) for k in ("note", "guide", "quote")):
        return "needs note, guide and quote"
    if link["note"] not in sentences:
        return f"{link['note'][:40]!r} is not a sentence of this note"
    guide = docs.get(link["guide"])
    if guide is None:
        return f"names {link['guide']!r}, which is not in the corpus"
    if link["quote"] not in guide.text[guide.body_start:]:
        return f"{link['quote'][:40]!r} is not in {link['guide']}"
    return ""
