"""Read the corpus folder: Markdown files with YAML front matter, validated one by one.

A bad file (outside the corpus, binary, not UTF-8, empty, malformed or incomplete
front matter, a duplicate id) becomes a `CorpusProblem` naming the file; the good
files are still returned. This module only reads; it does not chunk or index.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
import re
from pathlib import Path

import yaml

from ..lang import registry
from ..records import CorpusProblem, SourceDoc
from .boundary import MAX_FILE_BYTES, ROADMAP_FILE, CorpusFile, walk
from .papers import checked_cards, roadmap_skills
from .questions import load_questions, question_file
from .rendering import load_rendering, rendering_files
from .retellings import checked_retellings
from .screening import screen_document

DATA_SUFFIXES = {".yaml", ".yml"}
KINDS = {"guide", "course", "book", "tool", "site", "method", "paper"}
REQUIRED = ("id", "title", "kind", "lang")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def load_corpus(corpus_dir: Path) -> tuple[list[SourceDoc], list[CorpusProblem]]:
    """Read every visible Markdown file below `corpus_dir`; return the usable docs and the problems.

    Files come through the corpus boundary (rag.ingest.boundary): links out of the corpus, dangling links,
    folders named `x.md` and unreadable files are problems. YAML files are data: a document's renderings
    (<stem>.<lang>.yaml) and the questions its sections answer (<stem>.questions.yaml), read with it, and the
    roadmap (rag.ingest.roadmap). Two files with one id are both reported; the first by path is kept, the other
    skipped. Each document carries the sentences screening flagged (rag.ingest.screening).

    Files are visited in sorted path order, so results are deterministic.
    """
    files, problems = walk(corpus_dir)
    data = {f.rel: f for f in files if Path(f.rel).suffix.lower() in DATA_SUFFIXES}
    docs: list[SourceDoc] = []
    kept: dict[str, str] = {}
    for file in files:
        suffix = Path(file.rel).suffix.lower()
        if suffix in DATA_SUFFIXES:
            continue  # structured data (renderings, the roadmap), read by its own loader, not indexed as text
        if suffix != ".md":
            problems.append(CorpusProblem(file.rel, "is not a Markdown (.md) file, so it was skipped"))
            continue
        result = parse_file(file.rel, file.data)
        if isinstance(result, CorpusProblem):
            problems.append(result)
        elif result.doc_id in kept:
            first = kept[result.doc_id]
            problems.append(CorpusProblem(file.rel, f"id '{result.doc_id}' is already used by {first}, which is kept; "
                                                    "this file was skipped: give it an id of its own"))
            problems.append(CorpusProblem(first, f"id '{result.doc_id}' is also claimed by {file.rel} (skipped); "
                                                 "this file is kept", skipped=False))
        else:
            kept[result.doc_id] = file.rel
            docs.append(with_questions(with_renderings(result, data, problems), data, problems))
    skills = roadmap_skills(data.get(ROADMAP_FILE.as_posix()), docs)
    if isinstance(skills, CorpusProblem):  # the cards cannot be checked: say why, unless the corpus walk did
        problems += [] if any(p.path == skills.path for p in problems) else [skills]
        skills = None
    docs = checked_cards(docs, problems, skills)  # paper cards: rag.ingest.papers
    docs = [replace(doc, flags=screen_document(doc)) for doc in checked_retellings(docs, problems)]
    return docs, sorted(problems, key=lambda p: p.path)


def with_renderings(doc: SourceDoc, data: dict[str, CorpusFile], problems: list[CorpusProblem]) -> SourceDoc:
    """The document with the renderings that load cleanly (the others become problems); its hash covers them."""
    found = []
    mine = rendering_files(doc.path, data)
    for rel in mine:
        loaded = load_rendering(doc, rel, data[rel].data)
        if isinstance(loaded, CorpusProblem):
            problems.append(loaded)
        else:
            found.append(loaded)
    return replace(doc, renderings=tuple(found), sha256=covering(doc, [data[rel].data for rel in mine])) if mine else doc


def with_questions(doc: SourceDoc, data: dict[str, CorpusFile], problems: list[CorpusProblem]) -> SourceDoc:
    """The document with the questions its sections answer (sections that cannot take theirs become problems);
    its hash covers the file."""
    rel = question_file(doc.path, data)
    if rel is None:
        return doc
    found, answers, situations, trouble = load_questions(doc, rel, data[rel].data, registry.codes())
    problems += trouble
    return replace(doc, questions=tuple(found.items()), answers=tuple(answers.items()), situations=situations,
                   sha256=covering(doc, [data[rel].data]))


def covering(doc: SourceDoc, companions: list[bytes]) -> str:
    """`doc`'s hash extended over its companion files' bytes (renderings, questions): a change in one re-indexes it."""
    return hashlib.sha256(doc.sha256.encode() + b"".join(companions)).hexdigest()


def parse_file(rel: str, data: bytes) -> SourceDoc | CorpusProblem:
    """Validate one file's bytes and turn them into a SourceDoc, or say what is wrong."""
    if len(data) > MAX_FILE_BYTES:
        return CorpusProblem(rel, f"is too large ({len(data):,} bytes; the limit is {MAX_FILE_BYTES:,})")
    if b"\x00" in data:
        return CorpusProblem(rel, "looks like a binary file (it contains NUL bytes), not Markdown text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return CorpusProblem(rel, f"is not UTF-8 text (bad byte at position {err.start}); save it as UTF-8")
    if not text.strip():
        return CorpusProblem(rel, "is empty")
    match = FRONT_MATTER.match(text)
    if not match:
        return CorpusProblem(rel, "has no front matter: it must start with a '---' line and close with another")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        return CorpusProblem(rel, f"front matter is not valid YAML{where}: {getattr(err, 'problem', err)}")
    problem = _check_meta(meta)
    if problem:
        return CorpusProblem(rel, problem)
    body_start = match.end()
    if not text[body_start:].strip():
        return CorpusProblem(rel, "has no text after the front matter")
    lang = meta["lang"]
    return SourceDoc(
        doc_id=meta["id"],
        path=rel,
        title=str(meta["title"]).strip(),
        source_url=str(meta.get("source_url") or meta.get("url")).strip(),
        kind=meta["kind"],
        lang=tuple(lang) if isinstance(lang, list) else (str(lang),),
        text=text,
        body_start=body_start,
        sha256=hashlib.sha256(data).hexdigest(),
        meta=meta,
    )


def _check_meta(meta: object) -> str | None:
    """Return what is wrong with a front-matter mapping, or None when it is usable."""
    if not isinstance(meta, dict):
        return "front matter must be 'key: value' lines"
    missing = [key for key in REQUIRED if not meta.get(key)]
    if not (meta.get("source_url") or meta.get("url")):
        missing.append("source_url (guides) or url (notes)")
    if missing:
        return "front matter lacks " + ", ".join(missing)
    if not isinstance(meta["id"], str) or not ID_PATTERN.match(meta["id"]):
        return f"id {meta['id']!r} must be lowercase letters, digits and dashes"
    if meta["kind"] not in KINDS:
        return f"kind {meta['kind']!r} must be one of {', '.join(sorted(KINDS))}"
    url = str(meta.get("source_url") or meta.get("url"))
    if not url.startswith(("https://", "http://")):
        return f"url {url!r} must start with https:// or http://"
    return None
