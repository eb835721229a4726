"""Read the corpus folder: Markdown files with YAML front matter, validated one by one.

A bad file (binary, not UTF-8, empty, malformed or incomplete front matter, a
duplicate id) becomes a `CorpusProblem` naming the file; the good files are
still returned. This module only reads; it does not chunk or index.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
import re
from pathlib import Path

import yaml

from ..records import CorpusProblem, SourceDoc
from .papers import checked_cards, roadmap_skills
from .rendering import load_rendering, rendering_paths
from .retellings import checked_retellings

MAX_FILE_BYTES = 2_000_000
DATA_SUFFIXES = {".yaml", ".yml"}
KINDS = {"guide", "course", "book", "tool", "site", "method", "paper"}
REQUIRED = ("id", "title", "kind", "lang")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def load_corpus(corpus_dir: Path) -> tuple[list[SourceDoc], list[CorpusProblem]]:
    """Read every visible Markdown file below `corpus_dir`; return the usable docs and the problems.

    YAML files are data: a document's renderings (<stem>.<lang>.yaml, read with it) and the roadmap
    (rag.ingest.roadmap).

    Files are visited in sorted path order, so results are deterministic.
    """
    docs: list[SourceDoc] = []
    problems: list[CorpusProblem] = []
    seen: dict[str, str] = {}
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(corpus_dir).as_posix()
        if any(part.startswith(".") for part in path.relative_to(corpus_dir).parts):
            continue
        if path.suffix.lower() in DATA_SUFFIXES:
            continue  # structured data (the roadmap), read by rag.roadmap, not indexed as text
        if path.suffix.lower() != ".md":
            problems.append(CorpusProblem(rel, "is not a Markdown (.md) file, so it was skipped"))
            continue
        result = parse_file(rel, path.read_bytes())
        if isinstance(result, CorpusProblem):
            problems.append(result)
        elif result.doc_id in seen:
            problems.append(CorpusProblem(rel, f"id '{result.doc_id}' is already used by {seen[result.doc_id]}"))
        else:
            seen[result.doc_id] = rel
            docs.append(with_renderings(result, path, corpus_dir, problems))
    docs = checked_cards(docs, problems, roadmap_skills(corpus_dir, docs))  # paper cards: rag.ingest.papers
    return checked_retellings(docs, problems), problems


def with_renderings(doc: SourceDoc, path: Path, corpus_dir: Path, problems: list[CorpusProblem]) -> SourceDoc:
    """The document with the renderings that load cleanly (the others become problems); its hash covers them."""
    found, digest = [], hashlib.sha256(doc.sha256.encode())
    for rendering_path in rendering_paths(path):
        rel = rendering_path.relative_to(corpus_dir).as_posix()
        loaded = load_rendering(doc, rendering_path, rel)
        if isinstance(loaded, CorpusProblem):
            problems.append(loaded)
        else:
            found.append(loaded)
        digest.update(rendering_path.read_bytes())
    return replace(doc, renderings=tuple(found), sha256=digest.hexdigest()) if rendering_paths(path) else doc


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
