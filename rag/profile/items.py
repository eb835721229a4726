"""What a learner can check off: the roadmap's milestones and resources, and finding one from loose words.

Keys are stable: "milestone:<stage>:<n>" and "resource:<note id>". Matching compares the words of the
learner's phrase (Latin words, and character pairs for Chinese) with each item's names in every language; a
resource named in words its stage's milestone holds too ("CS50") is that milestone. Pure functions over the
roadmap and the resources' titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProfileError
from ..ingest.corpus import parse_file
from ..ingest.roadmap import Roadmap

HAN = re.compile(r"[\u3400-\u9fff]+")
LATIN = re.compile(r"[a-z0-9][a-z0-9+#.]*")
IGNORED = frozenset("a an and the of my i i've ve s his her their with course's to for or on in it just "
                    "finished finish completed complete done 学完 完成 的 了".split())
CLEAR = 0.6  # a phrase names an item when it holds at least this share of the phrase's terms…
MARGIN = 0.15  # …and beats the runner-up by this much


@dataclass(frozen=True)
class Item:
    key: str
    stage_id: str
    names: dict[str, str]  # language -> name

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


def catalogue(roadmap: Roadmap, title: Callable[[str], str | None]) -> list[Item]:
    """Every milestone and resource of the roadmap, in roadmap order; `title(note_id)` names a resource."""
    items, seen = [], set()
    for stage in roadmap.stages:
        for n, milestone in enumerate(stage.milestones):
            items.append(Item(f"milestone:{stage.id}:{n}", stage.id, dict(milestone)))
        for note in stage.resources:
            if note not in seen:
                seen.add(note)
                items.append(Item(f"resource:{note}", stage.id, {"en": title(note) or note, "id": note.replace("-", " ")}))
    return items


def corpus_titles(corpus_dir: Path) -> Callable[[str], str | None]:
    """Resource titles read from the notes' front matter (no index needed): note id -> title, None if unreadable."""

    def title(note: str) -> str | None:
        path = corpus_dir / "notes" / f"{note}.md"
        try:
            doc = parse_file(f"notes/{note}.md", path.read_bytes())
        except OSError:
            return None
        return getattr(doc, "title", None)

    return title


def terms(text: str) -> set[str]:
    """Latin words (a trailing 's dropped) and pairs of Chinese characters, less filler words.

    >>> sorted(terms("Andrew Ng's course")), sorted(terms("吴恩达的课程"))
    (['andrew', 'course', 'ng'], ['吴恩', '恩达', '的课', '课程', '达的'])
    """
    lowered = text.lower().replace("’", "'").replace("'s ", " ").replace("'s", "")
    found = {w.strip(".") for w in LATIN.findall(lowered)}
    for run in HAN.findall(lowered):
        found |= {run[i:i + 2] for i in range(len(run) - 1)} or {run}
    return {t for t in found if t and t not in IGNORED}


def ranked(items: list[Item], phrase: str) -> list[tuple[float, Item]]:
    """Items by the share of the phrase's terms their names hold (an exact key counts fully), best first."""
    wanted = terms(phrase)
    scored = []
    for item in items:
        if phrase.strip().lower() in (item.key, item.key.split(":")[-1]):
            scored.append((2.0, item))
            continue
        have = set().union(*(terms(n) for n in item.names.values()))
        scored.append((len(wanted & have) / len(wanted) if wanted else 0.0, item))
    # On a tie a milestone goes first: "I finished CS50" is the milestone more than the resource.
    return sorted(scored, key=lambda pair: (-pair[0], not pair[1].key.startswith("milestone:")))


def milestone_of(items: list[Item], resource: Item, phrase: str) -> Item:
    """The milestone of the resource's stage whose name holds every term of the phrase, else the resource: finishing
    "CS50" (a note's id) is "Finished CS50 or an equivalent introduction…", as finishing "Andrew Ng's course" is
    its milestone. Only the full key ("resource:cs50") always names the resource itself."""
    wanted = terms(phrase)
    if not resource.key.startswith("resource:") or not wanted or phrase.strip().lower() == resource.key:
        return resource
    return next((item for item in items if item.key.startswith("milestone:") and item.stage_id == resource.stage_id
                 and wanted <= set().union(*(terms(n) for n in item.names.values()))), resource)


def match(items: list[Item], phrase: str) -> tuple[Item | None, list[Item]]:
    """The item a phrase names (or None) and the closest others, for suggestions."""
    ranking = ranked(items, phrase)
    close = [item for score, item in ranking[:4] if score > 0]
    runner_up = next((score for score, item in ranking[1:] if item.key.startswith("milestone:")
                      or not ranking[0][1].key.startswith("milestone:")), 0.0)
    if ranking and ranking[0][0] >= CLEAR and ranking[0][0] - runner_up >= MARGIN:
        best = milestone_of(items, ranking[0][1], phrase)
        return best, [item for item in close if item is not best][:3]
    return None, close[:3]


def find(items: list[Item], phrase: str, language: str) -> tuple[Item, list[Item]]:
    """`match`, or a ProfileError listing the closest items."""
    item, close = match(items, phrase)
    if item is None:
        listed = "; ".join(f"“{c.name(language)}”" for c in close)
        said = f"The closest: {listed}." if close else "None comes close to it either."
        raise ProfileError(f"No milestone or resource matches {phrase!r}. {said}",
                           'Give more of its name, e.g. mentor done "Andrew Ng\'s Machine Learning Specialization".')
    return item, close
