"""Primary sources: a picked note sentence that retells a guide is replaced by the guide sentence it retells,
and the note is kept as "see also" (it points at a resource). The guide sentence is quoted in the
question's language where the guide has a rendering in it.
"""

from __future__ import annotations

from typing import Any

from ..errors import CorpusError
from ..ingest.sentences import Quotable, bare
from ..records import Hit
from .citations import find_quote, rendering_of


def primary_sources(picks: list[tuple[Hit, Quotable]], reader: Any,
                    language: str) -> tuple[list[tuple[Hit, Quotable]], list[Hit]]:
    """The picks with every retelling replaced by its guide sentence, and the notes to show as "see also"."""
    out: list[tuple[Hit, Quotable]] = []
    see_also: list[Hit] = []
    for note_hit, q in picks:
        hit, shown = note_hit, q
        link = next(((guide, quote) for note, guide, quote in note_hit.retells if bare(note) == q.original), None)
        guide_hit = _find(reader, link[0], link[1], language) if link else None
        if link and guide_hit:
            original = bare(link[1])
            hit, shown = guide_hit, Quotable(original, rendering_of(guide_hit, original) or original)
            if note_hit.doc_id not in {h.doc_id for h in see_also}:
                see_also.append(note_hit)
        if not any(h.chunk_id == hit.chunk_id and p.original == shown.original for h, p in out):
            out.append((hit, shown))
    return out, see_also


def _find(reader: Any, guide: str, quote: str, language: str) -> Hit | None:
    try:
        return find_quote(reader, guide, quote, language)
    except CorpusError:  # the index lags the corpus: the note's own sentence stays
        return None
