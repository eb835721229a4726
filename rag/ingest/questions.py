"""The questions a section answers, asked as a learner would: data that helps retrieval find the section.

`corpus/guides/<id>.questions.yaml` lists `sections`, each {section: <the heading as
the document has it>, <language code>: [questions]}: the mentor project's own words,
matched against a learner's question at search time (rag.answer.retrieval) and never
quoted. Loading checks each section: one that names no heading of the document, or
lists no questions, is a problem naming the file and the section; the others are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

import yaml

from ..records import CorpusProblem, SourceDoc
from .chunking import split_sections

SUFFIX = ".questions.yaml"


def question_file(doc_rel: str, files: Iterable[str]) -> str | None:
    """The questions file beside a document, among the corpus files `files`: <stem>.questions.yaml.

    >>> question_file("guides/g.md", ["guides/g.en.yaml", "guides/g.questions.yaml", "notes/g.questions.yaml"])
    'guides/g.questions.yaml'
    """
    doc = PurePosixPath(doc_rel)
    wanted = str(doc.with_name(doc.stem + SUFFIX))
    return wanted if wanted in set(files) else None


def load_questions(doc: SourceDoc, rel: str, raw: bytes, languages: Iterable[str]) -> tuple[dict[str, tuple[str, ...]], list[CorpusProblem]]:
    """The questions of `doc`'s sections from the file `rel` (its bytes `raw`): {heading: questions}, with a
    problem for each section that cannot be used (or one for the whole file)."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        return {}, [CorpusProblem(rel, f"cannot be read as UTF-8 YAML questions ({type(err).__name__})")]
    rows = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return {}, [CorpusProblem(rel, "has no list of sections")]
    headings = {section.path[-1] for section in split_sections(doc.text, doc.body_start) if section.path}
    found: dict[str, tuple[str, ...]] = {}
    problems = []
    for i, row in enumerate(rows, start=1):
        section = row.get("section") if isinstance(row, dict) else None
        asked = tuple(q.strip() for lang in languages for q in (row.get(lang) or [] if isinstance(row, dict) else [])
                      if isinstance(q, str) and q.strip())
        if section not in headings:
            problems.append(CorpusProblem(rel, f"section {i} ({str(section)[:40]!r}) is not a heading of {doc.path}; "
                                               "its questions were skipped", skipped=False))
        elif not asked:
            problems.append(CorpusProblem(rel, f"section {i} ({section[:40]!r}) lists no questions", skipped=False))
        else:
            found[section] = found.get(section, ()) + asked
    return found, problems
