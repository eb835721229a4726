"""Citations: number the chunks an answer quotes, render the points, and check every [n] in code.

One numbering for every answer and plan: `Citations` gives each quoted chunk a
number on first use. An answer's points are lines "- text [n]";
`check_citations` verifies that each n names a citation, that the citation's
chunk was retrieved for this question, and that the marked text is found in
that chunk. Nothing is trusted.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import CorpusError
from ..records import Citation, Hit

POINT = re.compile(r"^- (?P<text>.+?) \[(?P<n>\d+)\]$")
QUOTED = re.compile(r"“(?P<quote>[^“”]+)”$")
MARKER = re.compile(r"\[(\d+)\]")


class Citations:
    """The quotes of one answer: each (chunk, quote) once, chunks numbered [1], [2], … in order of first use.

    Two quotes from the same chunk share its number; `hits` are the chunks, for the check.
    """

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.hits: list[Hit] = []
        self._numbers: dict[str, int] = {}

    def add(self, hit: Hit, quote: str) -> int:
        n = self._numbers.get(hit.chunk_id)
        if n is None:
            n = self._numbers[hit.chunk_id] = len(self._numbers) + 1
            self.hits.append(hit)
        if not any(c.n == n and c.quote == quote for c in self.citations):
            self.citations.append(Citation(n, hit.doc_id, hit.title, hit.source_url, hit.heading, quote, hit.chunk_id))
        return n

    def has(self, chunk_id: str) -> bool:
        return chunk_id in self._numbers

    @property
    def sources(self) -> int:
        """How many distinct chunks are cited."""
        return len(self._numbers)


def find_quote(reader: Any, doc_id: str, quote: str) -> Hit:
    """The indexed chunk of document `doc_id` that holds `quote` (a roadmap quote), or a CorpusError."""
    hit = reader.find_quote(doc_id, quote)
    if hit is None:
        raise CorpusError(f"The roadmap quotes {doc_id}, but the index has no chunk with {quote[:30]!r}…",
                          "Run `mentor index` so the index matches the corpus.")
    return hit


def number_citations(picks: list[tuple[Hit, str]]) -> list[Citation]:
    """One citation per (chunk, quote) pick, numbered from 1 in order of first use of each chunk.

    >>> hit = Hit("c1", "d", "T", "", "https://x", "guide", "先学 Python。再学数学。", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> [c.n for c in number_citations([(hit, "先学 Python。"), (hit, "再学数学。")])]
    [1, 1]
    """
    cited = Citations()
    for hit, quote in picks:
        cited.add(hit, quote)
    return cited.citations


def render_points(citations: list[Citation]) -> list[str]:
    return [f"- {c.quote} [{c.n}]" for c in citations]


def check_citations(answer: str, citations: list[Citation], retrieved: list[Hit]) -> list[str]:
    """Every problem with the answer's [n] markers; an empty list means every citation holds.

    A point is "- text [n]", where text is a verbatim quote, or ends with one in “…”.

    >>> hit = Hit("c1", "d", "T", "", "https://x", "guide", "先学 Python。再学数学。", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> cite = number_citations([(hit, "再学数学。")])
    >>> check_citations("- 再学数学。 [1]", cite, [hit]), check_citations("- 先学 C。 [1]", cite, [hit])
    ([], ['point 1: "先学 C。" is not in the text of [1]'])
    """
    by_n = {c.n: c for c in citations}
    chunks = {h.chunk_id: h for h in retrieved}
    problems = []
    points = [line for line in answer.splitlines() if MARKER.search(line)]
    for i, line in enumerate(points, start=1):
        match = POINT.match(line.strip())
        if not match:
            problems.append(f"point {i}: markers must end a '- text [n]' line: {line!r}")
            continue
        n, text = int(match["n"]), match["text"]
        quoted = QUOTED.search(text)  # "- Step: paraphrase “verbatim quote” [n]": the quote is what is checked
        text = quoted["quote"] if quoted else text
        citation = by_n.get(n)
        if citation is None:
            problems.append(f"point {i}: [{n}] names no citation")
        elif citation.chunk_id not in chunks:
            problems.append(f"point {i}: [{n}] points at a chunk that was not retrieved")
        elif text not in chunks[citation.chunk_id].text:
            problems.append(f'point {i}: "{text}" is not in the text of [{n}]')
    return problems


def sources_block(citations: list[Citation], heading: str) -> str:
    """The numbered Sources list: title, section, original URL; one line per cited chunk."""
    seen: dict[int, Citation] = {}
    for c in citations:
        seen.setdefault(c.n, c)
    lines = [f"{heading}:"]
    for n, c in sorted(seen.items()):
        section = f" — {c.heading}" if c.heading else ""
        lines.append(f"[{n}] {c.title}{section} — {c.source_url}")
    return "\n".join(lines)
