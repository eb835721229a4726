"""Citations: number the chunks an answer quotes, render the points, and check every [n] in code.

One numbering for every answer and plan: `Citations` gives each quoted chunk a
number on first use. An answer's points are lines "- text [n]"; a quote shown in
translation ends with its pack's tag, "- rendering (translated…) [n]". A quote reads as a reader
sees it (rag.ingest.decoration: links as their words, no emphasis marks, one line).
`check_citations` verifies that each n names a citation, that the citation's
chunk was retrieved for this question, that its original quote is verbatim in
that chunk (as written, or as read), and that a translation shown is the chunk's aligned rendering of it.
Nothing is trusted.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import reduce
from typing import Any

from ..errors import CorpusError
from ..ingest.decoration import undecorated
from ..ingest.sentences import bare
from ..lang import registry
from ..lang.text import spaceless_runs
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

    def add(self, hit: Hit, quote: str, translation: str = "") -> int:
        """Cite `quote` (verbatim in the hit), shown as `translation` when that is not the quote itself."""
        n = self._numbers.get(hit.chunk_id)
        if n is None:
            n = self._numbers[hit.chunk_id] = len(self._numbers) + 1
            self.hits.append(hit)
        shown = translation if translation and translation != quote else ""
        if not any(c.n == n and c.quote == quote for c in self.citations):
            self.citations.append(Citation(n, hit.doc_id, hit.title, hit.source_url, hit.heading, quote, hit.chunk_id,
                                           shown, registry.detect(quote)))
        return n

    def has(self, chunk_id: str) -> bool:
        return chunk_id in self._numbers

    @property
    def sources(self) -> int:
        """How many distinct chunks are cited."""
        return len(self._numbers)


def find_quote(reader: Any, doc_id: str, quote: str, language: str | None = None) -> Hit:
    """The indexed chunk of document `doc_id` that holds `quote` (a roadmap quote), with its rendering in
    `language` when it has one; a CorpusError when the index has none."""
    hit = reader.find_quote(doc_id, quote, language)
    if hit is None:
        raise CorpusError(f"The roadmap quotes {doc_id}, but the index has no chunk with {quote[:30]!r}…",
                          "Run `mentor index` so the index matches the corpus.")
    return hit


def rendering_of(hit: Hit, quote: str) -> str:
    """The hit's aligned rendering of `quote` (a sentence of it, or sentences in a row with only white space
    between: rag.answer.context), or "" when it has none.

    >>> h = Hit("c", "d", "T", "", "u", "guide", "", 0, 0, 0, 1, None, 1, 1, alignment=(("甲。", "A."), ("乙。", "B."), ("丙。", "C.")))
    >>> rendering_of(h, "乙。"), rendering_of(h, "甲。乙。 丙。"), rendering_of(h, "甲。丙。")
    ('B.', 'A. B. C.', '')
    """
    pairs = [(bare(o), bare(r)) for o, r in hit.alignment]
    wanted = bare(quote)
    for start, (original, _) in enumerate(pairs):
        if not wanted.startswith(original):
            continue
        rest, renderings = wanted[len(original):], [pairs[start][1]]
        for following, rendering in pairs[start + 1:]:
            if not rest.strip() or not rest.lstrip().startswith(following):
                break
            rest, renderings = rest.lstrip()[len(following):], [*renderings, rendering]
        if not rest.strip():
            return reduce(joined, renderings)
    return ""


def joined(first: str, second: str) -> str:
    """Two sentences in a row as one text: a space between, none after a sentence written without spaces.

    >>> joined("Learn Python.", "Then math."), joined("先学 Python。", "再学数学。")
    ('Learn Python. Then math.', '先学 Python。再学数学。')
    """
    spaceless = bool(spaceless_runs(first.rstrip()[-2:]))  # the end of a sentence in such a script, or its 。
    return f"{first}{second}" if spaceless or first.endswith(("。", "！", "？")) else f"{first} {second}"


def number_citations(picks: list[tuple[Hit, Any]]) -> list[Citation]:
    """One citation per (chunk, quotable) pick (rag.answer.compose.Quotable), numbered from 1 in order of
    first use of each chunk.

    >>> from rag.ingest.sentences import Quotable
    >>> hit = Hit("c1", "d", "T", "", "https://x", "guide", "先学 Python。再学数学。", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> [c.n for c in number_citations([(hit, Quotable("先学 Python。", "Learn Python first.")), (hit, Quotable("再学数学。", "再学数学。"))])]
    [1, 1]
    """
    cited = Citations()
    for hit, q in picks:
        cited.add(hit, q.original, q.shown)
    return cited.citations


POINT_MARKER = re.compile(r"(?<= )\[(\d+)\]$", re.M)  # the [n] that ends a point (a quote may hold "[3]" too)


def in_reading_order(body: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """`body` and its `citations` numbered in the order its points first cite them (the [n] ending a point; text
    inside a quote is left alone): an answer composed in another order (a paper plan cites its target before its
    sanity check, which comes first) reads [1], [2], …

    >>> c = [Citation(n, "d", "T", "u", "h", f"q{n}", f"c{n}") for n in (1, 2)]
    >>> body, cited = in_reading_order("- b “q2” [2]\\n- a “q1” [1]", c)
    >>> body, [(x.n, x.quote) for x in cited]
    ('- b “q2” [1]\\n- a “q1” [2]', [(1, 'q2'), (2, 'q1')])
    >>> in_reading_order("- b “see [1] below” [2]\\n- a “q1” [1]", c)[0]  # a bracket in a quote stays
    '- b “see [1] below” [1]\\n- a “q1” [2]'
    """
    order = list(dict.fromkeys(int(n) for n in POINT_MARKER.findall(body)))
    order += [c.n for c in citations if c.n not in order]
    number = {old: new for new, old in enumerate(order, start=1)}
    if all(old == new for old, new in number.items()):
        return body, citations
    body = POINT_MARKER.sub(lambda m: f"[{number[int(m.group(1))]}]", body)
    return body, sorted((replace(c, n=number[c.n]) for c in citations), key=lambda c: c.n)


def point(text: str, n: int, translated: bool, language: str) -> str:
    """One point line citing [n], tagged when its quote is a translation. The quote (the text, or its end in “…”)
    reads as a reader sees it: Markdown links as their words, no emphasis marks, one line (`undecorated`)."""
    quoted = QUOTED.search(text)
    text = f"{text[:quoted.start()]}“{undecorated(quoted['quote'])}”" if quoted else undecorated(text)
    if translated:
        return f"- {text} {registry.phrase('translated', language)} [{n}]"
    return f"- {text} [{n}]"


def render_points(citations: list[Citation], language: str) -> list[str]:
    return [point(c.quote_translation or c.quote, c.n, bool(c.quote_translation), language) for c in citations]


def _untagged(text: str) -> str:
    for pack in registry.packs():
        tag = pack.phrases["translated"]
        if text.endswith(" " + tag):
            return text[: -len(tag) - 1]
    return text


def check_citations(answer: str, citations: list[Citation], retrieved: list[Hit]) -> list[str]:
    """Every problem with the answer's [n] markers; an empty list means every citation holds.

    A point is "- text [n]" (a translation: "- text (tag) [n]"), where text is the quote, or ends with it in “…”,
    as written or as read (`undecorated`).

    >>> hit = Hit("c1", "d", "T", "", "https://x", "guide", "先学 Python。再学数学。", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> cite = number_citations([(hit, type("Q", (), {"original": "再学数学。", "shown": "再学数学。"}))])
    >>> check_citations("- 再学数学。 [1]", cite, [hit]), check_citations("- 先学 C。 [1]", cite, [hit])
    ([], ['point 1: "先学 C。" is not in the text of [1]'])
    >>> hit = Hit("c2", "d", "T", "", "https://x", "guide", "要有“软技能”", 0, 9, 0, 1.0, 0.9, 1, 1)
    >>> cite = number_citations([(hit, type("Q", (), {"original": "要有“软技能”", "shown": "要有“软技能”"}))])
    >>> check_citations("- 要有“软技能” [1]", cite, [hit]), check_citations("- 要有“硬技能” [1]", cite, [hit])
    ([], ['point 1: "硬技能" is not in the text of [1]'])
    """
    by_n: dict[int, list[Citation]] = {}
    for c in citations:
        by_n.setdefault(c.n, []).append(c)
    chunks = {h.chunk_id: h for h in retrieved}
    problems = []
    points = [line for line in answer.splitlines() if MARKER.search(line)]
    for i, line in enumerate(points, start=1):
        match = POINT.match(line.strip())
        if not match:
            problems.append(f"point {i}: markers must end a '- text [n]' line: {line!r}")
            continue
        n, text = int(match["n"]), _untagged(match["text"])
        cited = by_n.get(n)
        quoted = QUOTED.search(text)  # "- Step: paraphrase “verbatim quote” [n]": the quote is what is checked,
        # unless the point is a cited sentence that itself ends in a quoted phrase (… similar “soft skills”)
        if quoted and not any(text in (c.quote, c.quote_translation, undecorated(c.quote), undecorated(c.quote_translation))
                              for c in cited or []):
            text = quoted["quote"]
        if not cited:
            problems.append(f"point {i}: [{n}] names no citation")
        elif cited[0].chunk_id not in chunks:
            problems.append(f"point {i}: [{n}] points at a chunk that was not retrieved")
        else:
            problems += _check_point(i, n, text, cited, chunks[cited[0].chunk_id])
    return problems


def _check_point(i: int, n: int, text: str, cited: list[Citation], hit: Hit) -> list[str]:
    translated = [c for c in cited if c.quote_translation and text in (c.quote_translation, undecorated(c.quote_translation))]
    if not translated:
        held = text in hit.text or any(text == undecorated(c.quote) and c.quote in hit.text for c in cited)
        return [] if held else [f'point {i}: "{text}" is not in the text of [{n}]']
    c = translated[0]
    if c.quote not in hit.text:
        return [f'point {i}: the original of "{text[:40]}" is not in the text of [{n}]']
    if rendering_of(hit, c.quote) != c.quote_translation:
        return [f'point {i}: "{text[:40]}" is not the aligned rendering of its original in [{n}]']
    return []


def sources_block(citations: list[Citation], heading: str) -> str:
    """The numbered Sources list: title, section, original URL; under it, the originals of translated quotes."""
    seen: dict[int, Citation] = {}
    for c in citations:
        seen.setdefault(c.n, c)
    lines = [f"{heading}:"]
    for n, c in sorted(seen.items()):
        section = f" — {c.heading}" if c.heading else ""
        lines.append(f"[{n}] {c.title}{section} — {c.source_url}")
        lines += [f"    “{t.quote}”" for t in citations if t.n == n and t.quote_translation]
    return "\n".join(lines)
