"""Introductions in a chunk: which sentences announce what a quotable sentence goes on to say.

A Markdown list ("- …", "1. …", also inside a "> " quote) is introduced by the paragraph just before it
("These include:", "Here are some things you don't want to do on Kaggle:"); a question the text asks
("Do you need a PhD?") is answered by the sentences after it. What they announce is what a learner asking
the same thing wants, so a question that matches the introduction is answered by what follows. The other way
round, a sentence that the next one explains ("It's a fundamental concept…") answers what its explanation
answers. Pure functions on the chunk's text; a list that starts the chunk has no introduction here.
"""

from __future__ import annotations

import re

from ..ingest.decoration import undecorated
from ..ingest.sentences import Quotable
from ..records import Hit

QUOTE_MARKS = re.compile(r"^\s*(?:>\s*)*")
ITEM = re.compile(r"(?:[-*+]|\d+[.、)])\s+")
# A question the text asks introduces this many sentences after it.
ANSWERED_BY = 2


def _line_kind(line: str) -> str:
    """ "blank", "item" (a list item's first line) or "text"."""
    body = QUOTE_MARKS.sub("", line)
    if not body.strip():
        return "blank"
    return "item" if ITEM.match(body) else "text"


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_item) of the chunk's blocks: a paragraph of text lines, or one list item with the
    lines that continue it."""
    blocks: list[tuple[int, int, bool]] = []
    offset = 0
    current: list[int] | None = None  # [start, end, is_item]
    for line in text.splitlines(keepends=True):
        kind = _line_kind(line)
        start, end = offset, offset + len(line.rstrip("\n"))
        offset += len(line)
        if kind == "blank":
            if current:
                blocks.append((current[0], current[1], bool(current[2])))
            current = None
        elif kind == "item" or current is None:
            if current:
                blocks.append((current[0], current[1], bool(current[2])))
            current = [start, end, kind == "item"]
        else:
            current[1] = end
    if current:
        blocks.append((current[0], current[1], bool(current[2])))
    return blocks


# A sentence that opens with one of these ("It's a fundamental concept…", "这些知识…") is about the one before it.
REFERS_BACK = re.compile(r"(?:it|this|that|these|those|they|such)\b|(?:这|它|此|那些|该)(?!里|样|么)", re.I)


def refers_back(quotable: Quotable) -> bool:
    """Does the sentence open by pointing back at the one before it ("It's a fundamental concept…", "这是…")?

    >>> refers_back(Quotable("这是深度学习中的一个基本概念。", "It's a fundamental concept in deep learning."))
    True
    >>> refers_back(Quotable("学习数据扩充。", "Learn data augmentation."))
    False
    """
    return any(REFERS_BACK.match(text.lstrip("*“\"'-– ")) for text in (quotable.original, quotable.shown))


def explained(quotables: list[Quotable]) -> list[bool]:
    """For each quotable, does the next one explain it (refer back to it)? Such a sentence answers whatever its
    explanation answers: "Learn data augmentation." before "It's a fundamental concept, because networks overfit."

    >>> explained([Quotable("a", "Learn data augmentation."), Quotable("b", "It matters."), Quotable("c", "Go.")])
    [True, False, False]
    """
    return [i + 1 < len(quotables) and refers_back(quotables[i + 1]) for i in range(len(quotables))]


LEAD_IN_ENDS = (":", "：", "—", "–")
# A paragraph's last words that announce a list after a quotable sentence ("这涉及：", "Key steps include:"), short.
ANNOUNCING = 24


def announces(hit: Hit, quotable: Quotable) -> bool:
    """Does the rest of the sentence's paragraph announce the list after it ("你通常需要找到并准备自己的数据。这涉及："):
    a few words ending with a colon or a dash? The sentence then leads in to the list as much as one that ends so.

    >>> from rag.ingest.sentences import Quotable
    >>> chunk = Hit("c", "d", "T", "", "u", "guide", "**1) 数据**：你需要准备数据。这涉及：\\n\\n- 识别数据来源", 0, 0, 0, 1, None, 1, 1)
    >>> announces(chunk, Quotable("**1) 数据**：你需要准备数据。", "Data: you prepare data.")), announces(chunk, Quotable("识别数据来源", "x"))
    (True, False)
    """
    found = hit.text.find(quotable.original)
    if found < 0:
        return False
    rest, _, after = hit.text[found + len(quotable.original):].partition("\n")
    rest = undecorated(rest)
    if rest:
        return len(rest) <= ANNOUNCING and rest.endswith(LEAD_IN_ENDS) or (len(rest) <= STILL_LEADING and _announced(after))
    return _announced(after)


# The rest of a sentence's paragraph may say this much more before a line that announces the list ("还有其他职业可以考虑。
# 这些职业通常有重叠的要求…" before "考虑以下工作:").
STILL_LEADING = 80


def _announced(text: str) -> bool:
    """Does the text open with a short line that announces a list, the list after it ("考虑以下工作:\\n\\n- …")?"""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (len(lines) >= 2 and _line_kind(lines[0]) == "text" and len(lines[0]) <= ANNOUNCING
            and undecorated(lines[0]).endswith(LEAD_IN_ENDS) and _line_kind(lines[1]) == "item")


# "…what if I told you there are no leaderboards in the real world?!?": a question and an exclamation at once says
# something (a rhetorical question), it asks nothing.
RHETORICAL = re.compile(r"(?:[?？][!！]|[!！][?？])[?？!！]*$")


def asks(sentence: str) -> bool:
    """Is the sentence a question (not a rhetorical one, "…?!"), closing quotes and bold marks aside?

    >>> asks("Do I need a PhD?"), asks("What if I told you there are no leaderboards in the real world?!?")
    (True, False)
    """
    text = sentence.rstrip("”\"'* ")
    return text.endswith(("?", "？")) and not RHETORICAL.search(text)


def introductions(hit: Hit, quotables: list[Quotable]) -> list[tuple[int, ...]]:
    """For each of the chunk's quotables, the positions of the quotables that introduce it: the paragraph
    before the list it is an item of, else a question among the `ANSWERED_BY` sentences before it (empty
    when neither).

    >>> from rag.ingest.sentences import quotables as of
    >>> chunk = lambda text: Hit("c", "d", "T", "", "u", "guide", text, 0, 0, 0, 1, None, 1, 1)
    >>> h = chunk("Avoid these things:\\n\\n- Never copy code. Write your own.\\n- Do not tune much.\\n\\nThat is the list.")
    >>> introductions(h, of(h))
    [(), (0,), (0,), (0,), ()]
    >>> faq = chunk("Do I need a PhD? Not at all. Many are self-taught. Start learning today.")
    >>> introductions(faq, of(faq))
    [(), (0,), (0,), ()]
    """
    blocks = _blocks(hit.text)
    starts, cursor = [], 0
    for q in quotables:  # each original is verbatim in the chunk, in reading order
        found = hit.text.find(q.original, cursor)
        if found < 0:
            found = hit.text.find(q.original)
        starts.append(found)
        if found >= 0:
            cursor = found + len(q.original)
    block_of = [next((b for b, (a, z, _) in enumerate(blocks) if a <= s < z), None) if s >= 0 else None
                for s in starts]
    lead_of: dict[int, int] = {}  # item block -> the text block before its list
    lead = None
    for b, (_, _, is_item) in enumerate(blocks):
        if is_item:
            if lead is not None:
                lead_of[b] = lead
        else:
            lead = b
    members: dict[int, tuple[int, ...]] = {}
    for position, b in enumerate(block_of):
        if b is not None:
            members[b] = members.get(b, ()) + (position,)
    out = [members.get(lead_of[b], ()) if b is not None and b in lead_of else () for b in block_of]
    for position in range(len(quotables)):
        asked = [p for p in range(max(0, position - ANSWERED_BY), position) if asks(quotables[p].original)]
        if not out[position] and asked:
            out[position] = (asked[-1],)
    return out
