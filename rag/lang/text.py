"""Text functions that depend on every registered language: search terms, sentence ends, glossary, negation.

Each is built from the packs (rag.lang.registry) and rebuilt when a pack is
registered, so a new language changes how questions and corpus text are cut
without any change here. Pure functions apart from that cache.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import registry


@lru_cache(maxsize=4)
def _compiled(version: int) -> dict:
    packs = registry.packs()
    scripted = [p for p in packs if p.script]
    word = re.compile(registry.pack(registry.DEFAULT).word)
    stem = registry.pack(registry.DEFAULT).stem or (lambda w: w)
    return {
        "runs": re.compile("|".join(f"(?P<{p.code}>{p.script}+)" for p in scripted)) if scripted else None,
        "by_code": {p.code: p for p in packs},
        "word": word,
        "stem": stem,
        "stopwords": frozenset().union(*(p.stopwords for p in packs)),
        # a filler's search form: a default-pack word stemmed as tokenize stems it, a scripted one as it is
        "fillers": frozenset(stem(f.lower()) if word.fullmatch(f.lower()) else f for p in packs for f in p.fillers),
        "sentence_end": re.compile("|".join([*(p.sentence_end for p in packs if p.sentence_end), r"\n"])),
        "spaceless": re.compile("|".join(f"{p.script}+" for p in scripted if p.spaceless) or r"(?!x)x"),
    }


def _c() -> dict:
    return _compiled(registry.version())


def tokenize(text: str) -> list[str]:
    """Lower-cased search terms: each script's words by its pack, the rest by the default word pattern.

    >>> tokenize("学完 Python 之后学什么？")
    ['学完', 'python', '学']
    """
    c = _c()
    lowered = text.lower()
    terms: list[str] = []
    cursor = 0

    def words(part: str) -> list[str]:
        return [c["stem"](w) for w in c["word"].findall(part) if w not in c["stopwords"]]

    for match in c["runs"].finditer(lowered) if c["runs"] else ():
        terms.extend(words(lowered[cursor : match.start()]))
        segment = c["by_code"][match.lastgroup].segment
        terms.extend(segment(match.group()) if segment else [match.group()])
        cursor = match.end()
    terms.extend(words(lowered[cursor:]))
    return [t for t in terms if t not in c["stopwords"] and t.strip()]


def question_terms(question: str) -> list[str]:
    """The search terms of a learner's question: its glossary-expanded terms without any pack's fillers
    (words that say nothing about its topic: "kinda", "actually", "does").

    >>> question_terms("ok so does kaggle actually help lol"), question_terms("kaggle w/ friends rn")
    (['kaggle', 'help'], ['kaggle', 'friend'])
    """
    fillers = _c()["fillers"]
    return [t for t in tokenize(expand(question)) if t not in fillers]


def stopwords() -> frozenset[str]:
    """Every pack's stopwords."""
    return _c()["stopwords"]


def sentence_end() -> re.Pattern[str]:
    """Where sentences end in any registered language, and at every line break."""
    return _c()["sentence_end"]


def word_pattern() -> re.Pattern[str]:
    """The default pack's word pattern (Latin words and numbers)."""
    return _c()["word"]


def spaceless_runs(text: str) -> list[str]:
    """Runs of text in scripts written without spaces (compared by character bigrams)."""
    return _c()["spaceless"].findall(text)


def without_spaceless(text: str) -> str:
    return _c()["spaceless"].sub(" ", text)


def expand(question: str) -> str:
    """The question plus every pack's extra search terms for it (the glossary); it only adds.

    >>> expand("需要多少数学？")
    '需要多少数学？ 微积分 线性代数 概率论'
    """
    extra: list[str] = []
    for pack in registry.packs():
        for term in pack.expand(question):
            if term not in extra:
                extra.append(term)
    return f"{question} {' '.join(extra)}" if extra else question


def negated(text: str) -> bool:
    """Does the sentence say no, in any language? A claim and its support must agree.

    >>> negated("你不需要学位。"), negated("不同的路径都需要数学。"), negated("You don't need a PhD.")
    (True, False, True)
    """
    lowered = text.lower()
    return any(p.negation.search(lowered) for p in registry.packs() if p.negation)


def script_pack(text: str) -> str:
    """The code of the first non-default pack whose script appears in `text`, else the default.

    >>> script_pack("那数学呢？"), script_pack("What about math?")
    ('zh', 'en')
    """
    for pack in registry.packs():
        if pack.script and re.search(pack.script, text):
            return pack.code
    return registry.DEFAULT
