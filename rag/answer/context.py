"""Points that read on their own: a sentence that goes on from the one before it ("If it doesn't, try…",
"Then you enter the industry…", "但是…") or briefly answers a question the text just asked ("Not at all." after
"Do I need a PhD?") is shown together with that sentence, and a sentence the next one goes on from or resolves
("Learning alone is hard." before "Joining a community can solve this problem.") together with that one; two points
in a row in one chunk where the second goes on from the first are one point. All stay verbatim: the quote becomes
the span of the chunk that holds them (only white space between), and its rendering their renderings. Pure
functions.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..ingest.sentences import Quotable, quotables
from ..records import Hit
from .citations import joined
from .introductions import asks, refers_back

# Besides a word pointing back (rag.answer.introductions.refers_back): a connective that goes on ("Then…",
# "But…", "If it doesn't…", "但是…", "然后…"), or an example, read with the claim before it that it illustrates
# ("For example, the model trains…", "例如，…").
CONNECTIVE = re.compile(r"(?:then|but|however|so|also|otherwise|instead|if (?:it|so|not|they|that|this)"
                        r"|the (?:problem|catch|trouble) is|don['’]t get me wrong|for (?:example|instance))\b"
                        r"|(?:但|然后|所以|不过|否则|因此|而且|同时|如果不|如果没有|问题(?:是|在于)(?!什么)|别误会|例如|比如|譬如|举个例子)", re.I)
# A sentence that resolves the one before it without opening on a word pointing back ("Joining a community can
# solve this problem.").
# ("You can do this by doing internships…", "…来实现这一点") says how to do what the sentence before it asks.
RESOLVES = re.compile(r"\b(?:this|that|the) (?:problem|issue|challenge|gap)\b"
                      r"|\b(?:do|achieve|accomplish) (?:this|that)(?= by\b|[.,;:!?])"
                      r"|这个问题|这一问题|这个挑战|这个缺口|(?:实现|做到|达到)这一点", re.I)
# An answer this short (in characters) reads only with the question before it; a longer one stands on its own.
SHORT_ANSWER = 60


def goes_on(quotable: Quotable) -> bool:
    """Does the sentence open by going on from the one before it?

    >>> goes_on(Quotable("如果没有，你可以自己做一个项目。", "If it doesn't, you can do a project of your own."))
    True
    >>> goes_on(Quotable("例如，模型训练顺利完成。", "For example, the model trains successfully."))
    True
    >>> goes_on(Quotable("先学 Python。", "Learn Python first.")), goes_on(Quotable("Thesis first.", "Thesis first."))
    (False, False)
    """
    return refers_back(quotable) or any(CONNECTIVE.match(text.lstrip("*“\"'-– "))
                                        for text in (quotable.original, quotable.shown))


def resolves(quotable: Quotable) -> bool:
    """Does the sentence go on from the one before it, or resolve it ("A community can solve this problem.")?

    >>> resolves(Quotable("加入社区可以解决这个问题。", "Joining a community can solve this problem.")), resolves(Quotable("Rest.", "Rest."))
    (True, False)
    """
    return goes_on(quotable) or any(RESOLVES.search(text) for text in (quotable.original, quotable.shown))


def in_context(hit: Hit, quotable: Quotable, shown: Collection[str] = frozenset()) -> Quotable:
    """`quotable` of `hit`, joined with the sentence before it when it goes on from that one or answers it
    (a question), and with the sentence after it when that one goes on from it or resolves it ("Joining a
    community solves this problem." after the problem); unchanged when that sentence is another paragraph's, a
    list item's, or already among the `shown` originals.

    >>> h = Hit("c", "d", "T", "", "u", "guide", "Do I need a PhD? Not at all.\\n\\n- Then learn Go.", 0, 0, 0, 1, None, 1, 1)
    >>> in_context(h, Quotable("Not at all.", "Not at all.")).shown
    'Do I need a PhD? Not at all.'
    >>> in_context(h, Quotable("Then learn Go.", "Then learn Go.")).shown  # a list item: no sentence before it here
    'Then learn Go.'
    >>> long = Hit("c", "d", "T", "", "u", "guide", "What math? Calculus, linear algebra and probability, at the level of a first course.", 0, 0, 0, 1, None, 1, 1)
    >>> in_context(long, Quotable(*["Calculus, linear algebra and probability, at the level of a first course."] * 2)).shown
    'Calculus, linear algebra and probability, at the level of a first course.'
    >>> alone = Hit("c", "d", "T", "", "u", "guide", "Learning alone is hard. A community solves this problem. Also, rest.", 0, 0, 0, 1, None, 1, 1)
    >>> in_context(alone, Quotable(*["Learning alone is hard."] * 2)).shown
    'Learning alone is hard. A community solves this problem.'
    """
    offered = quotables(hit)
    span = _span(offered, quotable)
    if span is None:
        return quotable
    first, last = span
    result = quotable
    if first > 0:
        before = offered[first - 1]
        answers_it = asks(before.original) and len(quotable.shown) < SHORT_ANSWER  # "Not at all.", "Probably not."
        if before.original not in shown and (goes_on(offered[first]) or answers_it):
            result = _together(hit, before, result) or result
    if last + 1 < len(offered) and not asks(offered[last].original):  # a question's answer is read with it already
        after = offered[last + 1]
        if after.original not in shown and resolves(after):
            result = _together(hit, result, after) or result
    return result


def _span(offered: list[Quotable], quotable: Quotable) -> tuple[int, int] | None:
    """The positions of the first and last of the chunk's quotables that `quotable` is made of (one sentence, or
    several in a row joined by `_together`); None when it is none of them."""
    exact = next((k for k, q in enumerate(offered) if q.original == quotable.original), None)
    if exact is not None:
        return exact, exact
    for first, q in enumerate(offered):
        if not quotable.original.startswith(q.original):
            continue
        cursor = 0
        for last in range(first, len(offered)):
            found = quotable.original.find(offered[last].original, cursor)
            if found < 0:
                break
            cursor = found + len(offered[last].original)
            if cursor == len(quotable.original):
                return first, last
    return None


def _together(hit: Hit, first: Quotable, second: Quotable) -> Quotable | None:
    """Two quotables in a row in the chunk (only white space between, one line break at most: not another
    paragraph) as one; None when they are not."""
    together = re.search(re.escape(first.original) + r"[ \t]*\n?[ \t]*" + re.escape(second.original), hit.text)
    if not together:
        return None
    if first.shown == first.original and second.shown == second.original:  # quoted as written
        return Quotable(together.group(), together.group())
    return Quotable(together.group(), joined(first.shown, second.shown))


def read_on_their_own(picks: list[tuple[Hit, Quotable]]) -> list[tuple[Hit, Quotable]]:
    """Every pick in context (`in_context`); a sentence already shown as (part of) a point is not joined to another,
    but picks where one goes on from the other ("Don't get me wrong, some do…" after "Many think they will play with
    fancy models.") become one point, in reading order, where the earlier-ranked of them stood."""
    picks = merged_neighbours(picks)
    shown = {q.original for hit, pick in picks for q in _sentences_of(quotables(hit), pick)}
    return [(hit, in_context(hit, q, shown)) for hit, q in picks]


def _sentences_of(offered: list[Quotable], quotable: Quotable) -> list[Quotable]:
    """The chunk's quotables that `quotable` is made of (none when it is none of them)."""
    span = _span(offered, quotable)
    return [] if span is None else offered[span[0] : span[1] + 1]


def merged_neighbours(picks: list[tuple[Hit, Quotable]]) -> list[tuple[Hit, Quotable]]:
    """The picks, each two in a row in one chunk where the first sentence of the second goes on from (or resolves)
    the last of the first joined into one point where the earlier-ranked of the two stood, until no two are; a
    question is not joined to what follows it (its answer is read with it already).

    >>> chunk = Hit("c", "d", "T", "", "u", "guide", "Learning alone is hard. But a community helps. Then you improve. "
    ...             "Rest as well.", 0, 0, 0, 1, None, 1, 1)
    >>> [q.original for _, q in merged_neighbours([(chunk, Quotable(*["Then you improve."] * 2)),
    ...     (chunk, Quotable(*["Learning alone is hard."] * 2)), (chunk, Quotable(*["But a community helps."] * 2))])]
    ['Learning alone is hard. But a community helps. Then you improve.']
    """
    out = list(picks)
    while True:
        found = next(((i, j, joined_up) for i, (hit, first) in enumerate(out) for j, (other, second) in enumerate(out)
                      if i != j and other.chunk_id == hit.chunk_id
                      and (joined_up := _going_on(hit, first, second)) is not None), None)
        if found is None:
            return out
        i, j, joined_up = found
        out[min(i, j)] = (out[i][0], joined_up)
        del out[max(i, j)]


def _going_on(hit: Hit, first: Quotable, second: Quotable) -> Quotable | None:
    """`first` and `second` as one quote when `second` comes right after `first` in the chunk and opens by going on
    from it (or resolves it), and the two can be quoted as one span; else None."""
    offered = quotables(hit)
    a, b = _span(offered, first), _span(offered, second)
    if a is None or b is None or b[0] != a[1] + 1 or not resolves(offered[b[0]]) or asks(offered[a[1]].original):
        return None
    return _together(hit, first, second)
