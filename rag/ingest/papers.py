"""Paper cards (corpus/papers/*.md, kind: paper): the record, and the checks a card must pass to be used.

A card's front matter is its data (catalogue/TEMPLATE.md shows every field); its body is the rendering of
that data (rag.ingest.card_render), so answers can quote it. A card is used only when its fields are
complete, its URLs well formed, every number it takes from the paper (training recipe, reproduction
targets) names where in the paper it comes from, its prerequisites exist in the roadmap and the
catalogue, its aliases belong to no other card, and its body is up to date. A bad card becomes a
`CorpusProblem` naming the file; the others load. The roadmap's skills come from rag.ingest.roadmap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pathlib import Path

import yaml

from ..records import CorpusProblem, SourceDoc
from .boundary import ROADMAP_FILE, CorpusFile
from .card_render import body

KIND = "paper"
FOLDER = "papers"  # where cards live in the corpus; problems of files in it are the catalogue's
FIELDS = ("vision", "sequence-nlp", "generative", "optimisation-regularisation", "reinforcement-learning", "graphs")
LANGS = ("en", "zh")
URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/\S*)?$")
ARXIV = re.compile(r"^https://arxiv\.org/abs/\d{4}\.\d{4,5}$")


@dataclass(frozen=True)
class Card:
    """One checked paper card: `meta` is its front matter."""

    id: str
    title: str
    url: str
    path: str
    meta: dict

    @classmethod
    def from_doc(cls, doc: SourceDoc) -> "Card":
        return cls(doc.doc_id, doc.title, doc.source_url, doc.path, doc.meta)

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(str(a) for a in self.meta.get("aliases") or ())

    @property
    def skills(self) -> tuple[str, ...]:
        return tuple(self.meta["prerequisites"]["skills"])

    @property
    def papers(self) -> tuple[str, ...]:
        return tuple(self.meta["prerequisites"].get("papers") or ())

    @property
    def first_dataset(self) -> dict:
        return next(d for d in self.meta["datasets"] if d.get("first_choice"))

    @property
    def short_name(self) -> str:
        """The name learners use ("ResNet"), else the title."""
        return self.aliases[0] if self.aliases else self.title


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _bilingual(value: Any) -> bool:
    return isinstance(value, dict) and all(_text(value.get(lang)) for lang in LANGS)


def _items(meta: dict, key: str, need_source: bool = False) -> list[str]:
    """Problems of a list of {en, zh[, source, verified]} items."""
    items = meta.get(key)
    if not isinstance(items, list) or not items:
        return [f"{key} must be a non-empty list"]
    problems = []
    for i, item in enumerate(items, 1):
        if not _bilingual(item):
            problems.append(f"{key} item {i} needs an English (en) and a Chinese (zh) text")
        elif need_source and not _text(item.get("source")):
            problems.append(f"{key} item {i} has numbers from the paper but no source (the table, figure or section)")
        elif "verified" in item and not isinstance(item["verified"], bool):
            problems.append(f"{key} item {i}: verified must be true or false")
    return problems


def field_problems(meta: dict) -> list[str]:
    """What is missing or malformed in a card's front matter (no cross-card checks)."""
    problems = []
    url = str(meta.get("url") or "")
    if not URL.match(url):
        problems.append(f"url {url!r} is not a web address (https://…)")
    elif "arxiv.org" in url and not ARXIV.match(url):
        problems.append(f"url {url!r}: an arXiv link must be https://arxiv.org/abs/NNNN.NNNNN")
    authors = meta.get("authors")
    if not isinstance(authors, list) or not authors or not all(_text(a) for a in authors):
        problems.append("authors must be a non-empty list of names")
    if not isinstance(meta.get("year"), int) or not 1900 <= meta["year"] <= 2100:
        problems.append("year must be a year such as 2015")
    if meta.get("field") not in FIELDS:
        problems.append(f"field {meta.get('field')!r} must be one of {', '.join(FIELDS)}")
    aliases = meta.get("aliases")
    if not isinstance(aliases, list) or not aliases or not all(_text(a) for a in aliases):
        problems.append("aliases must be a non-empty list of names")
    if not _bilingual(meta.get("summary")):
        problems.append("summary needs an English (en) and a Chinese (zh) text")
    prereq = meta.get("prerequisites")
    if not isinstance(prereq, dict) or not isinstance(prereq.get("skills"), list) or not isinstance(prereq.get("papers", []), list):
        problems.append("prerequisites needs skills (roadmap skill ids) and papers (card ids) lists")
    else:
        problems += _items(prereq, "explain")
    problems += _dataset_problems(meta.get("datasets"))
    problems += _items(meta, "components") + _items(meta, "recipe", need_source=True)
    problems += _items(meta, "sanity_checks") + _items(meta, "pitfalls")
    problems += _target_problems(meta.get("targets"))
    compute = meta.get("compute")
    if not isinstance(compute, dict) or not all(_bilingual(compute.get(k)) for k in ("laptop_cpu", "one_gpu")):
        problems.append("compute needs laptop_cpu and one_gpu, each in English and Chinese")
    return problems


def _dataset_problems(datasets: Any) -> list[str]:
    if not isinstance(datasets, list) or not datasets:
        return ["datasets must be a non-empty list"]
    problems = []
    for i, d in enumerate(datasets, 1):
        if not isinstance(d, dict) or not _text(d.get("name")) or not _bilingual(d.get("size")) or not _text(d.get("licence")):
            problems.append(f"dataset {i} needs a name, a size (en, zh) and a licence")
        elif not URL.match(str(d.get("source") or "")):
            problems.append(f"dataset {d['name']!r}: source {d.get('source')!r} is not a web address")
    if sum(bool(isinstance(d, dict) and d.get("first_choice")) for d in datasets) != 1:
        problems.append("exactly one dataset must be the laptop-sized first choice (first_choice: true)")
    return problems


def _target_problems(targets: Any) -> list[str]:
    if not isinstance(targets, list) or not targets:
        return ["targets must list one or two reproduction targets"]
    problems = []
    for i, g in enumerate(targets, 1):
        if not isinstance(g, dict) or not _bilingual(g.get("metric")) or not _text(str(g.get("value") or "")):
            problems.append(f"target {i} needs a metric (en, zh) and a value")
        elif not _text(g.get("source")):
            problems.append(f"target {i} ({g['value']}) does not say where in the paper it comes from (source)")
        elif not isinstance(g.get("verified"), bool):
            problems.append(f"target {i} must say whether it was checked against the paper (verified: true/false)")
    return problems


def card_problems(doc: SourceDoc, skills: set[str], card_ids: set[str]) -> list[str]:
    """Everything wrong with one card: its fields, its prerequisites (roadmap `skills`, other cards) and its body."""
    meta = doc.meta
    problems = field_problems(meta)
    if problems:
        return problems
    prereq = meta["prerequisites"]
    unknown = [s for s in prereq["skills"] if s not in skills]
    if unknown:
        problems.append(f"prerequisite skills not in the roadmap: {', '.join(map(str, unknown))}")
    missing = [p for p in prereq.get("papers") or () if p not in card_ids or p == doc.doc_id]
    if missing:
        problems.append(f"prerequisite papers with no card: {', '.join(map(str, missing))}")
    if doc.text[doc.body_start:].strip() != body(meta).strip():
        problems.append(f"its body is not the rendering of its front matter: run python -m rag.ingest.card_render corpus/{doc.path}")
    return problems


def name_key(name: str) -> str:
    """How names are compared: case and spacing ignored.

    >>> name_key("  Residual  Network "), name_key("残差 网络")
    ('residual network', '残差 网络')
    """
    return " ".join(str(name).casefold().split())


def checked_cards(docs: list[SourceDoc], problems: list[CorpusProblem], skills: set[str] | None) -> list[SourceDoc]:
    """`docs` without the paper cards that fail their checks (each added to `problems`); `skills` are the
    roadmap's skill ids (None: the roadmap cannot be read, so no card's prerequisites can be checked)."""
    cards = [d for d in docs if d.kind == KIND]
    # A card file that could not be read still names its paper (its file name): the cards that need it load.
    ids = {d.doc_id for d in cards} | {Path(p.path).stem for p in problems if p.path.startswith(FOLDER + "/")}
    owner: dict[str, str] = {}
    bad: set[str] = set()
    for doc in cards:
        found = card_problems(doc, skills or set(), ids) if skills is not None else \
            ["its prerequisites cannot be checked: the roadmap (roadmap/roadmap.yaml) cannot be read"]
        for name in [doc.title, *(doc.meta.get("aliases") or [])] if not found else []:
            taken = owner.get(name_key(name))
            if taken and taken != doc.path:
                found.append(f"alias {name!r} is already used by {taken}")
        if found:
            bad.add(doc.path)
            problems.append(CorpusProblem(doc.path, "paper card skipped: " + "; ".join(found)))
        else:
            owner.update({name_key(n): doc.path for n in [doc.title, *doc.meta["aliases"]]})
    return [d for d in docs if d.path not in bad]


def roadmap_skills(roadmap: CorpusFile | None, docs: list[SourceDoc]) -> set[str] | CorpusProblem:
    """The roadmap's skill ids, for checking the cards among `docs`, from the roadmap file as the corpus walk read
    it (None: the walk has none); when they cannot be read, the roadmap's own problem saying why (not read at all
    when there is no card). Only its `skills` are read: the whole roadmap is checked against the loaded corpus
    (rag.ingest.roadmap), which is what is being loaded here."""
    rel = ROADMAP_FILE.as_posix()
    if not any(d.kind == KIND for d in docs):
        return set()
    if roadmap is None:
        return CorpusProblem(rel, "does not exist, and the paper cards, plans and roadmap answers need it: put it back "
                                  "(the project ships it as corpus/roadmap/roadmap.yaml)")
    try:
        return set(yaml.safe_load(roadmap.data.decode("utf-8"))["skills"])
    except UnicodeDecodeError as err:
        return CorpusProblem(rel, f"is not UTF-8 text (bad byte at position {err.start}); save it as UTF-8")
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return CorpusProblem(rel, f"is not valid YAML{f' (line {mark.line + 1})' if mark else ''}: "
                                  f"{getattr(err, 'problem', err)}")
    except (KeyError, TypeError):
        return CorpusProblem(rel, "has no 'skills' mapping, so no paper card's prerequisites can be checked")


def is_card_problem(problem: CorpusProblem) -> bool:
    """Is this a problem of a paper card (a file in the papers folder, or one skipped as a card)?"""
    return problem.path.startswith(FOLDER + "/") or problem.problem.startswith("paper card skipped")


def cards_of(docs: Iterable[SourceDoc]) -> list[Card]:
    return [Card.from_doc(d) for d in docs if d.kind == KIND]
