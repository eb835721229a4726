"""Resolve a follow-up question ("how long does that take?", "那数学呢？") against earlier turns.

A question that leans on what came before (a pronoun, an ellipsis like "what
about…", a bare "…呢？", "instead", "有免费的吗？") is searched together with the previous question of the
conversation. The pattern is the pack's of the script the question is written
in. Pure functions; the conversation is a list of earlier questions.
"""

from __future__ import annotations

from ..lang import registry
from ..lang.text import script_pack


def is_followup(question: str) -> bool:
    """Does the question lean on an earlier turn?

    >>> is_followup("How long does that take?"), is_followup("那数学呢？"), is_followup("What is CS50?")
    (True, True, False)
    """
    text = question.strip()
    pattern = registry.pack(script_pack(text)).intents.followup
    return bool(pattern and pattern.search(text))


def resolve(question: str, history: list[str]) -> str:
    """The question to search: joined with the previous one when it is a follow-up. (Joining a chain of
    follow-ups back to where it started was level on dev's 79 conversations, so the previous one alone.)

    >>> resolve("那数学呢？", ["学完 Python 之后我应该学什么？"])
    '学完 Python 之后我应该学什么？ 那数学呢？'
    >>> resolve("What is CS50?", ["What should I learn after Python?"])
    'What is CS50?'
    >>> resolve("有免费的课吗？", ["我想转机器学习工程师，怎么规划", "软件工程那块要学到啥程度？"])
    '软件工程那块要学到啥程度？ 有免费的课吗？'
    """
    if history and is_followup(question):
        return f"{history[-1]} {question}"
    return question
