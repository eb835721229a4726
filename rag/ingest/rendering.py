"""A guide's rendering in another language: the project's own translation of each sentence, aligned one to one.

`corpus/guides/<id>.<lang>.yaml` lists `segments` {zh, en, heading?} in reading
order: every heading and sentence of the guide as `units` cuts it, the original
verbatim beside its rendering. Loading checks the alignment: every unit has
exactly one rendering and the original is unchanged; a missing or misaligned
segment is a problem naming the file and the sentence, and the guide indexes
without the rendering. Does not translate anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml

from ..records import CorpusProblem, SourceDoc
from .chunking import FENCE, HEADING, clean_heading, split_sentences
from .questions import SUFFIX as QUESTIONS


@dataclass(frozen=True)
class Segment:
    """One heading or sentence of the original (text[start:end] for sentences) and its rendering."""

    start: int
    end: int
    original: str
    rendering: str
    heading: int = 0  # the heading level; 0 for a sentence


@dataclass(frozen=True)
class Rendering:
    language: str  # the rendering's language, e.g. "en"
    path: str  # relative to the corpus folder
    segments: tuple[Segment, ...]

    def within(self, start: int, end: int) -> list[Segment]:
        """The sentences that lie wholly inside text[start:end], in order."""
        return [s for s in self.segments if not s.heading and start <= s.start and s.end <= end]

    def heading_path(self, path: str) -> str:
        """A chunk's heading path ("A > B") with each heading rendered (an unknown one stays as it is)."""
        names = {s.original: s.rendering for s in self.segments if s.heading}
        return " > ".join(names.get(part, part) for part in path.split(" > ")) if path else ""


def units(text: str, start: int) -> list[tuple[int, int, str, int]]:
    """(start, end, text, heading level) of every heading and sentence of text[start:], in reading order.

    Sentences are cut as the chunker cuts them; a heading's text is cleaned of Markdown (its span is the line).

    >>> [u[2:] for u in units("# 标题\\n先学 Python。再学数学。\\n", 0)]
    [('标题', 1), ('先学 Python。', 0), ('再学数学。', 0)]
    """
    found: list[tuple[int, int, str, int]] = []
    body, pos, in_fence = start, start, False

    def sentences(a: int, b: int) -> None:
        found.extend((s, e, text[s:e], 0) for s, e in split_sentences(text, a, b))

    for line in text[start:].splitlines(keepends=True):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line.rstrip("\r\n"))
        if match:
            sentences(body, pos)
            found.append((pos, pos + len(line), clean_heading(match.group(2)), len(match.group(1))))
            body = pos + len(line)
        pos += len(line)
    sentences(body, pos)
    return found


def rendering_files(doc_rel: str, files: Iterable[str]) -> list[str]:
    """The rendering files beside a document, among the corpus files `files`: <stem>.<lang>.yaml.

    >>> rendering_files("guides/g.md", ["guides/g.en.yaml", "guides/g.yaml", "guides/g.a.b.yaml", "notes/g.en.yaml",
    ...                                 "guides/g.questions.yaml"])
    ['guides/g.en.yaml']
    """
    doc = PurePosixPath(doc_rel)
    return sorted(rel for rel in files if (p := PurePosixPath(rel)).parent == doc.parent and p.suffix == ".yaml"
                  and p.stem.count(".") == 1 and p.stem.split(".")[0] == doc.stem and not rel.endswith(QUESTIONS))


def load_rendering(doc: SourceDoc, rel: str, raw: bytes) -> Rendering | CorpusProblem:
    """The checked rendering of `doc` in the file `rel` (its bytes `raw`), or the first problem with it."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        return CorpusProblem(rel, f"cannot be read as a UTF-8 YAML rendering ({type(err).__name__})")
    language = PurePosixPath(rel).stem.split(".")[-1]
    rows = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return CorpusProblem(rel, "has no list of segments")
    expected = units(doc.text, doc.body_start)
    for i, (unit, row) in enumerate(zip(expected, rows), start=1):
        original = row.get("zh") if isinstance(row, dict) else None
        rendering = row.get(language) if isinstance(row, dict) else None
        if original != unit[2]:
            return CorpusProblem(rel, f"segment {i} is {str(original)[:40]!r} where the guide has {unit[2][:40]!r}")
        if not isinstance(rendering, str) or not rendering.strip():
            return CorpusProblem(rel, f"segment {i} ({unit[2][:40]!r}) has no {language} rendering")
    if len(rows) != len(expected):
        missing = expected[len(rows)][2][:40] if len(rows) < len(expected) else "(none)"
        return CorpusProblem(rel, f"has {len(rows)} segments where the guide has {len(expected)} "
                                  f"(first unmatched: {missing!r})")
    segments = tuple(Segment(s, e, text, row[language].strip(), level) for (s, e, text, level), row in zip(expected, rows))
    return Rendering(language, rel, segments)
