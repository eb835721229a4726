"""Split a corpus document into chunks along Markdown headings, paragraphs that open in bold (a topic's name) and
sentence ends.

Pure functions, no I/O. Sentences end where any language pack says they do
(Chinese 。！？；, English . ! ? ; before a space) and at line breaks (list
items, paragraphs). A chunk never cuts a sentence unless the sentence alone is longer
than the limit. Every chunk's text is an exact slice of the file, and its
(start, end) span says where, so a quote can be checked against the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from typing import Any

from ..lang import registry
from ..lang.text import sentence_end
from ..records import Chunk, SourceDoc

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
FENCE = re.compile(r"^\s*(```|~~~)")
LEAD = re.compile(r"\*\*[^*\n]+\*\*")  # a paragraph that opens in bold names its topic: "**Keep up with research**"
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Section:
    """The body text under one heading path: text[start:end]."""

    path: tuple[str, ...]
    start: int
    end: int


def clean_heading(raw: str) -> str:
    """Heading text without Markdown decoration.

    >>> clean_heading("**1。学习编码** [Kaggle](https://www.kaggle.com/)")
    '1。学习编码 Kaggle'
    """
    return LINK.sub(r"\1", raw).replace("**", "").replace("__", "").strip()


def split_sections(text: str, start: int = 0) -> list[Section]:
    """Cut text[start:] at Markdown headings (outside code fences).

    >>> t = "intro\\n# A\\none\\n## B\\ntwo\\n"
    >>> [(s.path, t[s.start:s.end]) for s in split_sections(t)]
    [((), 'intro\\n'), (('A',), 'one\\n'), (('A', 'B'), 'two\\n')]
    """
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    body_start = start
    in_fence = False
    pos = start
    for line in text[start:].splitlines(keepends=True):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line.rstrip("\r\n"))
        if match:
            if pos > body_start:
                sections.append(Section(tuple(h for _, h in path), body_start, pos))
            level = len(match.group(1))
            path = [(lvl, h) for lvl, h in path if lvl < level] + [(level, clean_heading(match.group(2)))]
            body_start = pos + len(line)
        pos += len(line)
    if pos > body_start:
        sections.append(Section(tuple(h for _, h in path), body_start, pos))
    return [s for s in sections if text[s.start:s.end].strip()]


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the sentences in text[start:end], trimmed of surrounding white space.

    >>> t = "学习 Python。然后学 git！ Then Kaggle. Done"
    >>> [t[a:b] for a, b in split_sentences(t, 0, len(t))]
    ['学习 Python。', '然后学 git！', 'Then Kaggle.', 'Done']
    """
    spans = []
    cursor = start
    for match in sentence_end().finditer(text, start, end):
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    return [trimmed for a, b in spans if (trimmed := _trim(text, a, b))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def pack_sentences(spans: list[tuple[int, int]], max_chars: int, min_chars: int) -> list[tuple[int, int]]:
    """Group consecutive sentence spans into chunk spans of at most `max_chars`.

    A sentence longer than `max_chars` is cut into pieces; a last piece shorter
    than `min_chars` joins the one before it.

    >>> pack_sentences([(0, 4), (5, 9), (10, 30)], max_chars=10, min_chars=3)
    [(0, 9), (10, 20), (20, 30)]
    """
    pieces = [p for a, b in spans for p in _cut(a, b, max_chars)]
    chunks: list[tuple[int, int]] = []
    for a, b in pieces:
        if chunks and b - chunks[-1][0] <= max_chars:
            chunks[-1] = (chunks[-1][0], b)
        else:
            chunks.append((a, b))
    if len(chunks) > 1 and chunks[-1][1] - chunks[-1][0] < min_chars:
        last = chunks.pop()
        chunks[-1] = (chunks[-1][0], last[1])
    return chunks


def by_topic(text: str, spans: list[tuple[int, int]], min_chars: int) -> list[list[tuple[int, int]]]:
    """Sentence spans in runs that each begin at a paragraph opening in bold (a topic of its own under the
    heading, "**Keep up with research**"), so a chunk holds one topic; a run shorter than `min_chars` joins the next.

    >>> t = "Intro text here.\\n**Libraries**: learn them.\\n**Research**\\nRead papers."
    >>> [[t[a:b] for a, b in run] for run in by_topic(t, split_sentences(t, 0, len(t)), 5)]
    [['Intro text here.'], ['**Libraries**: learn them.'], ['**Research**', 'Read papers.']]
    """
    runs: list[list[tuple[int, int]]] = []
    for a, b in spans:
        opens = LEAD.match(text, a) is not None and (a == 0 or text[a - 1] == "\n")
        if runs and (not opens or runs[-1][-1][1] - runs[-1][0][0] < min_chars):
            runs[-1].append((a, b))
        else:
            runs.append([(a, b)])
    return runs


def _cut(start: int, end: int, size: int) -> list[tuple[int, int]]:
    return [(a, min(a + size, end)) for a in range(start, end, size)]


def chunk_view(doc: SourceDoc, path: tuple[str, ...]) -> str:
    """Which language's questions a chunk answers: its section's, when the section is named for a language
    (a bilingual note's "English" / "中文"); the document's, when it has renderings for the others; else any."""
    names = {pack.name.lower(): pack.code for pack in registry.packs()}
    for part in path:
        if part.lower() in names:
            return names[part.lower()]
    return doc.lang[0] if doc.renderings else "*"


def chunk_document(doc: SourceDoc, max_chars: int = 420, min_chars: int = 60) -> list[Chunk]:
    """All chunks of one document, in reading order, with content-hash ids; then each rendering's twins. A chunk
    carries the questions its section answers (`doc.questions`); a twin, its original's."""
    label = doc.title
    if doc.meta.get("title_zh"):
        label = f"{doc.title} / {doc.meta['title_zh']}"
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    asked, answers, told = dict(doc.questions), dict(doc.answers), set(doc.situations)
    for section in split_sections(doc.text, doc.body_start):
        heading = " > ".join(section.path)
        questions = "\n".join(asked.get(section.path[-1], ())) if section.path else ""
        situations = "\n".join(q for q in questions.splitlines() if q in told)
        answered = answers.get(section.path[-1], ()) if section.path else ()
        sentences = split_sentences(doc.text, section.start, section.end)
        for start, end in (span for part in by_topic(doc.text, sentences, min_chars)
                           for span in pack_sentences(part, max_chars, min_chars)):
            text = doc.text[start:end]
            embed_text = "\n".join(part for part in (label, heading, text) if part)
            key = f"{doc.doc_id}\x1f{embed_text}"
            seen[key] = seen.get(key, -1) + 1
            chunks.append(
                Chunk(
                    chunk_id=content_id(key, seen[key]),
                    doc_id=doc.doc_id,
                    title=doc.title,
                    source_url=doc.source_url,
                    kind=doc.kind,
                    heading=heading,
                    ordinal=len(chunks),
                    start=start,
                    end=end,
                    text=text,
                    embed_text=embed_text,
                    view=chunk_view(doc, section.path),
                    retells=retellings_in(doc, text),
                    asked=questions,
                    answered=answered_in(answered, text),
                    situations=situations,
                )
            )
    return chunks + [twin for rendering in doc.renderings for twin in rendered_chunks(doc, rendering, chunks)]


def answered_in(answered: tuple[tuple[str, str], ...], text: str) -> str:
    """The (question, answer) pairs of a section whose answer is in this chunk's `text`, as JSON ("" when none).

    >>> answered_in((("Q1?", "先学"), ("Q2?", "再学")), "先学 Python。")
    '[["Q1?", "先学"]]'
    """
    found = [[question, answer] for question, answer in answered if answer in text]
    return json.dumps(found, ensure_ascii=False) if found else ""


def retellings_in(doc: SourceDoc, text: str) -> str:
    """The retellings (`retells` links, checked when the corpus loaded) among a chunk's sentences, as JSON."""
    found = [[link["note"], link["guide"], link["quote"]] for link in doc.meta.get("retells") or [] if link["note"] in text]
    return json.dumps(found, ensure_ascii=False) if found else ""


def rendered_chunks(doc: SourceDoc, rendering: Any, chunks: list[Chunk]) -> list[Chunk]:
    """A chunk in the rendering's language for each chunk with whole sentences rendered (`rendering`:
    rag.ingest.rendering.Rendering); its text is those sentences' renderings, its original the chunk."""
    twins: list[Chunk] = []
    seen: dict[str, int] = {}
    for chunk in chunks:
        segments = rendering.within(chunk.start, chunk.end)
        if not segments:
            continue
        text = " ".join(s.rendering for s in segments)
        heading = rendering.heading_path(chunk.heading)
        embed_text = "\n".join(part for part in (doc.title, heading, text) if part)
        key = f"{doc.doc_id}\x1f{rendering.language}\x1f{embed_text}"
        seen[key] = seen.get(key, -1) + 1
        twins.append(replace(
            chunk, chunk_id=content_id(key, seen[key]), heading=heading, text=text, embed_text=embed_text,
            view=rendering.language, original_id=chunk.chunk_id, original_text=chunk.text,
            alignment=json.dumps([[s.start, s.end, s.rendering] for s in segments], ensure_ascii=False),
        ))
    return twins


def content_id(key: str, occurrence: int = 0) -> str:
    """A stable id from content: the same text always gets the same id.

    >>> content_id("a") == content_id("a"), content_id("a") == content_id("a", 1)
    (True, False)
    """
    return hashlib.sha256(f"{key}\x1e{occurrence}".encode()).hexdigest()[:24]
