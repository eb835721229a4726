"""The structured roadmap (corpus/roadmap/roadmap.yaml): stages, skills, estimates, the paper method.

Loading validates the shape and that every cited quote is a verbatim sentence of
the guide it names, so a plan can never cite text that is not there. Also maps
what a learner says they know onto skills, and finds the next stages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import CorpusError
from ..lang import registry
from ..records import CorpusProblem
from .boundary import ROADMAP_FILE, read_checked
from .corpus import load_corpus

# Never "remove it": plans, roadmap answers and the paper cards' checks need the roadmap.
RESTORE = ("Put the roadmap back (the project ships it as corpus/roadmap/roadmap.yaml), or set MENTOR_CORPUS to a "
           "corpus folder that has one, then run `mentor index`.")
REPAIR = ("Fix the roadmap file named above (or put back the project's copy, corpus/roadmap/roadmap.yaml), "
          "then run `mentor index`.")


@dataclass(frozen=True)
class Quote:
    doc: str
    quote: str


@dataclass(frozen=True)
class Stage:
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    skills: tuple[str, ...]
    requires: tuple[str, ...]
    weight: float
    resources: tuple[str, ...]
    project: dict[str, str]
    milestones: tuple[dict[str, str], ...]
    cite: tuple[Quote, ...]
    implies: tuple[str, ...] = ()  # stages taken as done by whoever has done this one, though not required to start it


@dataclass(frozen=True)
class Step:
    """One step of a method (the paper-implementation method)."""

    id: str
    weight: float
    text: dict[str, str]
    cite: tuple[Quote, ...]


@dataclass(frozen=True)
class Roadmap:
    stages: tuple[Stage, ...]
    skills: dict[str, dict]
    estimates: dict[str, dict]
    paper_method: tuple[Step, ...]
    problems: tuple[str, ...] = ()  # quotes and resources left out because their corpus file could not be read


def load_roadmap(corpus_dir: Path) -> Roadmap:
    """Read and check the roadmap file of a corpus folder.

    The roadmap and the guides it quotes come through the corpus loader, with its checks: an unusable
    corpus file (binary, not UTF-8, a link out of the corpus, …) never stops the roadmap. A quote from a
    guide that could not be read, or a resource whose note could not be, is left out and named in
    `problems`; a quote that a readable guide does not hold is an error in the roadmap itself.
    """
    path = corpus_dir / ROADMAP_FILE
    checked = read_checked(corpus_dir, ROADMAP_FILE.as_posix())
    if isinstance(checked, CorpusProblem):
        raise CorpusError(f"The roadmap {path} cannot be read: it {checked.problem}.",
                          REPAIR if path.exists() or path.is_symlink() else RESTORE)
    docs, _ = load_corpus(corpus_dir)
    guides = {d.doc_id: d.text for d in docs}
    problems: list[str] = []
    try:
        data = yaml.safe_load(checked.data.decode("utf-8"))

        def quotes(items: list[dict]) -> tuple[Quote, ...]:
            found = []
            for q in (Quote(i["doc"], i["quote"]) for i in items):
                if q.doc not in guides:
                    problems.append(f"a quote from {q.doc} was left out: that file could not be read")
                elif q.quote not in guides[q.doc]:
                    raise CorpusError(f"{path}: the quote {q.quote[:40]!r}… is not in {q.doc}.", REPAIR)
                else:
                    found.append(q)
            return tuple(found)

        def resources(stage: dict) -> tuple[str, ...]:
            missing = [r for r in stage["resources"] if r not in guides]
            problems.extend(f"stage {stage['id']}: the resource {r} was left out: it has no readable note" for r in missing)
            return tuple(r for r in stage["resources"] if r in guides)

        stages = tuple(
            Stage(
                id=s["id"], title=s["title"], summary=s["summary"], skills=tuple(s["skills"]),
                requires=tuple(s["requires"]), weight=float(s["weight"]), resources=resources(s),
                project=s["project"], milestones=tuple(s["milestones"]), cite=quotes(s["cite"]),
                implies=tuple(s.get("implies") or ()),
            )
            for s in data["stages"]
        )
        steps = tuple(Step(s["id"], float(s["weight"]), {"en": s["en"], "zh": s["zh"]}, quotes(s["cite"]))
                      for s in data["paper_method"])
        estimates = {e["id"]: {**e, "cite": quotes(e["cite"]), "then": quotes(e.get("then", []))}
                     for e in data["estimates"]}
        return Roadmap(stages, data["skills"], estimates, steps, tuple(problems))
    except CorpusError:
        raise
    except (UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise CorpusError(f"The roadmap {path} cannot be read ({type(err).__name__}: {err}).", REPAIR) from err


def parse_known(roadmap: Roadmap, words: list[str]) -> set[str]:
    """Skills named by the learner's words (skill ids or their aliases); unknown words are an error.

    Words are matched case-insensitively; spaces and underscores count as dashes.
    """
    lookup = {}
    for skill, info in roadmap.skills.items():
        lookup[skill] = skill
        for alias in info.get("aliases", []):
            lookup[str(alias).lower()] = skill
    known, unknown = set(), []
    for word in words:
        key = word.strip().lower().replace(" ", "-").replace("_", "-")
        if not key:
            continue
        if key in lookup:
            known.add(lookup[key])
        else:
            unknown.append(word.strip())
    if unknown:
        raise CorpusError(
            f"Unknown skill(s): {', '.join(unknown)}.",
            f"Use some of: {', '.join(sorted(roadmap.skills))} (or an alias such as pytorch, sql, docker).",
        )
    return known


CLAUSE_PARTS = re.compile(r"[,;，；、|]|\band\b|\bbut\b|和|但是?|不过")


def skills_in_text(roadmap: Roadmap, text: str) -> set[str]:
    """Skills the learner says they have, read from every language's "I know …" clauses ("after …", "学完…"); a name
    after a "no" in its part of the clause ("…and never touched deep learning", "but not PyTorch", "没学过机器学习")
    or just before a "don't know" ("深度学习完全不懂") is not one.

    >>> from rag.config import Settings
    >>> roadmap = load_roadmap(Settings().corpus_dir)
    >>> sorted(skills_in_text(roadmap, "I want to be an ML engineer; I know Python and git"))
    ['git', 'python']
    >>> sorted(skills_in_text(roadmap, "I did Excel reporting for a retailer, no programming")), sorted(skills_in_text(roadmap, "我会Python，但是没学过机器学习"))
    ([], ['python'])
    >>> sorted(skills_in_text(roadmap, "学完Python不知道干嘛了")), sorted(skills_in_text(roadmap, "I know Python, SQL and no-code tools"))
    (['python'], ['python', 'software-engineering'])
    >>> sorted(skills_in_text(roadmap, "I know Python and never touched deep learning")), sorted(skills_in_text(roadmap, "学完吴恩达的机器学习课，深度学习完全不懂"))
    (['python'], ['classic-ml'])
    >>> sorted(skills_in_text(roadmap, "did CS50, so python is fine")), sorted(skills_in_text(roadmap, "sklearn 用得挺顺了，线代概率没问题"))
    (['python'], ['classic-ml', 'math'])
    >>> sorted(skills_in_text(roadmap, "My teacher said Python is fine")), sorted(skills_in_text(roadmap, "python is not my strong suit"))
    ([], [])
    >>> sorted(skills_in_text(roadmap, "用Mac学机器学习没问题吧？")), sorted(skills_in_text(roadmap, "I know nothing about coding"))
    ([], [])
    """
    patterns = [p.intents.known for p in registry.packs() if p.intents.known]
    negations = [p.negation for p in registry.packs() if p.negation]
    unknowns = [p.intents.unknown for p in registry.packs() if p.intents.unknown]
    clauses = " | ".join(m.group("known") or m.groupdict().get("stated") or "" for pattern in patterns
                         for m in pattern.finditer(text)).lower()
    found = set()
    for skill, info in roadmap.skills.items():
        # A skill is named by its id too, unless the roadmap says the id is an everyday word of other names
        # ("specialization": Andrew Ng's "ML Specialization" is a course, not a specialization done).
        for name in [*([skill] if info.get("match_id", True) else []), *info.get("aliases", [])]:
            name = str(name).lower()
            # A Latin name must stand alone ("r" is not in "rust"); a Chinese one is found anywhere.
            pattern = rf"(?<![a-z]){re.escape(name)}(?![a-z])" if name.isascii() else re.escape(name)
            for match in re.finditer(pattern, clauses):
                before = CLAUSE_PARTS.split(clauses[: match.start()])[-1]
                after = clauses[match.end():]
                if not any(n.search(before) for n in negations) and not any(u.search(after) for u in unknowns):
                    found.add(skill)
    return found


def is_done(stage: Stage, known: set[str]) -> bool:
    """A stage is done when its first (key) skill is known; a stage without skills never is."""
    return bool(stage.skills) and stage.skills[0] in known


def done_stages(roadmap: Roadmap, known: set[str]) -> set[str]:
    """Stages done: those whose key skill is known, and every stage they require or imply (whoever has finished
    deep learning has the programming behind it, and the math the roadmap builds beside the ML basics)."""
    by_id = {s.id: s for s in roadmap.stages}
    done, todo = set(), [s.id for s in roadmap.stages if is_done(s, known)]
    while todo:
        stage = todo.pop()
        if stage not in done and stage in by_id:
            done.add(stage)
            todo.extend((*by_id[stage].requires, *by_id[stage].implies))
    return done


def remaining(roadmap: Roadmap, known: set[str]) -> list[Stage]:
    """Stages still to do, in roadmap order."""
    done = done_stages(roadmap, known)
    return [s for s in roadmap.stages if s.id not in done]


def next_stages(roadmap: Roadmap, known: set[str], n: int = 2) -> list[Stage]:
    """The first `n` stages to do whose required stages are all done.

    >>> from rag.config import Settings
    >>> [s.id for s in next_stages(load_roadmap(Settings().corpus_dir), {"deep-learning"})]
    ['software-engineering', 'specialization']
    """
    done = done_stages(roadmap, known)
    ready = [s for s in remaining(roadmap, known) if set(s.requires) <= done]
    return (ready or remaining(roadmap, known))[:n]
