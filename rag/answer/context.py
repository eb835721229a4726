"""Points that read on their own: a sentence that goes on from the one before it ("If it doesn't, try…",
"Then you enter the industry…", "但是…") or briefly answers a question the text just asked ("Not at all." after
"Do I need a PhD?") is shown together with that sentence. Both stay verbatim: the quote becomes the span of the chunk
that holds them (only white space between), and its rendering the two renderings. Pure functions.
"""

from __future__ import annotations

import re

from ..ingest.sentences import Quotable, quotables
from ..records import Hit
from .introductions import asks

# How a sentence opens when it cannot be read without the one before it: a pronoun or demonstrative that points
# back, or a connective that goes on ("Then…", "But…", "If it doesn't…", "但是…", "然后…").
GOES_ON = re.compile(r"(?:it|this|that|these|those|they|such|then|but|however|so|also|otherwise|instead"
                     r"|if (?:it|so|not|they|that|this))\b"
                     r"|(?:这|它|此|那些|该|但|然后|所以|不过|否则|因此|而且|此外|同时|如果不|如果没有)(?!里|样|么)", re.I)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# An answer this short (in characters) reads only with the question before it; a longer one stands on its own.
SHORT_ANSWER = 60


def goes_on(quotable: Quotable) -> bool:
    """Does the sentence open by going on from the one before it?

    >>> goes_on(Quotable("如果没有，你可以自己做一个项目。", "If it doesn't, you can do a project of your own."))
    True
    >>> goes_on(Quotable("先学 Python。", "Learn Python first.")), goes_on(Quotable("Thesis first.", "Thesis first."))
    (False, False)
    """
    return any(GOES_ON.match(text.lstrip("*“\"'-– ")) for text in (quotable.original, quotable.shown))


def in_context(hit: Hit, quotable: Quotable, shown: set[str] = frozenset()) -> Quotable:
    """`quotable` of `hit`, joined with the sentence before it when it goes on from that one or answers it
    (a question); unchanged when that sentence is another paragraph's, a list item's, or already among the
    `shown` originals.

    >>> h = Hit("c", "d", "T", "", "u", "guide", "Do I need a PhD? Not at all.\\n\\n- Then learn Go.", 0, 0, 0, 1, None, 1, 1)
    >>> in_context(h, Quotable("Not at all.", "Not at all.")).shown
    'Do I need a PhD? Not at all.'
    >>> in_context(h, Quotable("Then learn Go.", "Then learn Go.")).shown  # a list item: no sentence before it here
    'Then learn Go.'
    >>> long = Hit("c", "d", "T", "", "u", "guide", "What math? Calculus, linear algebra and probability, at the level of a first course.", 0, 0, 0, 1, None, 1, 1)
    >>> in_context(long, Quotable(*["Calculus, linear algebra and probability, at the level of a first course."] * 2)).shown
    'Calculus, linear algebra and probability, at the level of a first course.'
    """
    offered = quotables(hit)
    position = next((i for i, q in enumerate(offered) if q.original == quotable.original), 0)
    if position == 0:
        return quotable
    before = offered[position - 1]
    answers_it = asks(before.original) and len(quotable.shown) < SHORT_ANSWER  # "Not at all.", "Probably not."
    if before.original in shown or not (goes_on(quotable) or answers_it):
        return quotable
    start = hit.text.find(before.original)
    end = hit.text.find(quotable.original, start + len(before.original)) if start >= 0 else -1
    gap = hit.text[start + len(before.original):end] if end >= 0 else "x"
    if gap.strip() or PARAGRAPH_BREAK.search(gap):
        return quotable
    original = hit.text[start:end + len(quotable.original)]
    if quotable.shown == quotable.original:  # quoted as written
        return Quotable(original, original)
    return Quotable(original, f"{before.shown} {quotable.shown}")


def read_on_their_own(picks: list[tuple[Hit, Quotable]]) -> list[tuple[Hit, Quotable]]:
    """Every pick in context (`in_context`); a sentence already shown as a point is not joined to another."""
    shown = {q.original for _, q in picks}
    return [(hit, in_context(hit, q, shown)) for hit, q in picks]
