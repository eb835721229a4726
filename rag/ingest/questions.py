"""The questions a section answers, asked as a learner would: data that helps retrieval find the section.

`corpus/guides/<id>.questions.yaml` lists `sections`, each {section: <its heading,
as the chunks name it: the words without Markdown, e.g. a link as its text>,
<language code>: [questions]}: the mentor project's own words, matched against a
learner's question at search time (rag.answer.retrieval) and never quoted. A question
may name the sentence that answers it: {q: <question>, a: <a verbatim stretch of that
sentence>}; a learner's question close to it then ranks that sentence first
(rag.answer.compose). Loading checks each entry: one that names no section with text of
its own (or a heading that several sections share), lists no questions, or names a
section already listed is a problem naming the file and the section; the others are
kept. An answer that is no stretch of one of the section's sentences is a problem too;
its question is kept without it.

A section may also list `situations`: {<language code>: [questions]}, the same kinds of
entries told as a learner's situation or symptom rather than by the section's topic
("my PM shrugged at my AUC gain", "a senior told me 'enjoy your SQL'"). They find the
section as the others do, but say less about whether a question is one the guides
answer: a story of a manager taking credit is nearly as close to "a senior told me this job
is janitorial work" as to the off-topic questions, so the off-topic check counts them a
little less close (Settings.situation_handicap, rag.answer.off_topic).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath

import yaml

from ..records import CorpusProblem, SourceDoc
from .chunking import split_sections, split_sentences

SUFFIX = ".questions.yaml"


def question_file(doc_rel: str, files: Iterable[str]) -> str | None:
    """The questions file beside a document, among the corpus files `files`: <stem>.questions.yaml.

    >>> question_file("guides/g.md", ["guides/g.en.yaml", "guides/g.questions.yaml", "notes/g.questions.yaml"])
    'guides/g.questions.yaml'
    """
    doc = PurePosixPath(doc_rel)
    wanted = str(doc.with_name(doc.stem + SUFFIX))
    return wanted if wanted in set(files) else None


def load_questions(doc: SourceDoc, rel: str, raw: bytes, languages: Iterable[str]
                   ) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[tuple[str, str], ...]], tuple[str, ...],
                              list[CorpusProblem]]:
    """The questions of `doc`'s sections from the file `rel` (its bytes `raw`): {heading: questions}, the answers
    some of them name {heading: ((question, stretch of the answering sentence), …)}, those told as a learner's
    situation, and a problem for each entry or answer that cannot be used (or one for the whole file)."""
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        return {}, {}, (), [CorpusProblem(rel, f"cannot be read as UTF-8 YAML questions ({type(err).__name__})")]
    rows = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return {}, {}, (), [CorpusProblem(rel, "has no list of sections")]
    sections = [section for section in split_sections(doc.text, doc.body_start) if section.path]
    headings = Counter(section.path[-1] for section in sections)
    found: dict[str, tuple[str, ...]] = {}
    answers: dict[str, tuple[tuple[str, str], ...]] = {}
    told: list[str] = []
    problems = []
    for i, row in enumerate(rows, start=1):
        section = row.get("section") if isinstance(row, dict) else None
        why = _unusable(section, headings, found)
        told_as = row.get("situations", {}) if not why else {}
        asked = () if why else _questions(row, languages)
        situations = _questions(told_as, languages) if isinstance(told_as, dict) else ()
        if not why and not asked + situations:
            why = "lists no questions (a list of texts under a language code, e.g. en:)"
        if not why and not isinstance(told_as, dict):
            problems.append(CorpusProblem(rel, f"section {i} ({section[:40]!r}): its situations are no list of questions "
                                               "under language codes (situations: {en: [...]}); they are left out, its "
                                               "other questions are used", skipped=False))
        if why:
            problems.append(CorpusProblem(rel, f"section {i} ({str(section)[:40]!r}) {why}; that entry is left out, "
                                               "the others are used", skipped=False))
            continue
        asked += situations
        found[section] = tuple(question for question, _ in asked)
        told += [question for question, _ in situations]
        where = next(s for s in sections if s.path[-1] == section)
        sentences = [doc.text[a:b] for a, b in split_sentences(doc.text, where.start, where.end)]
        kept = []
        for question, answer in ((q, a) for q, a in asked if a):
            if any(answer in sentence for sentence in sentences):
                kept.append((question, answer))
            else:
                problems.append(CorpusProblem(rel, f"section {i} ({section[:40]!r}): the answer {answer[:30]!r} of "
                                                   f"{question[:40]!r} is no stretch of one of its sentences; the "
                                                   "question is kept without it", skipped=False))
        if kept:
            answers[section] = tuple(kept)
    return found, answers, tuple(dict.fromkeys(told)), problems


def _unusable(section: object, headings: Counter, found: dict) -> str | None:
    """Why an entry's `section` cannot take questions, or None."""
    if not isinstance(section, str) or not headings.get(section):
        return "is not the heading of a section with text of its own"
    if headings[section] > 1:
        return f"names {headings[section]} sections (the heading repeats)"
    if section in found:
        return "is listed twice"
    return None


def _questions(row: dict, languages: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The entry's questions in the packs' languages, each on one line (a list per language code of texts, or
    of {q: text, a: answer}), each with the stretch of its answer ("" when it names none)."""
    found = []
    for lang in languages:
        for item in row.get(lang) if isinstance(row.get(lang), list) else ():
            question, answer = (item.get("q"), item.get("a")) if isinstance(item, dict) else (item, "")
            if isinstance(question, str) and question.strip():
                found.append((" ".join(question.split()), answer.strip() if isinstance(answer, str) else ""))
    return tuple(found)
