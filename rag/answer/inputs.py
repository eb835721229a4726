"""Checks on what a learner types besides the question (rag.answer.question cleans that one): text that is
not valid Unicode (an argument in another encoding), each text's length against its limit in `Settings`,
a plan's start date. Pure functions; each returns the value or raises a QueryError that says the fix.
"""

from __future__ import annotations

import re
from datetime import date

from ..config import Settings
from ..errors import QueryError

# What Python makes of bytes that are not UTF-8 in an argument (surrogateescape): lone surrogates.
UNDECODABLE = re.compile(r"[\ud800-\udfff]")


def decodable(what: str, text: str) -> str:
    """`text` when it is valid Unicode; else a QueryError naming the bytes that are not UTF-8.

    >>> decodable("question", "学 Python")
    '学 Python'
    >>> decodable("question", "caf\\udce9")
    Traceback (most recent call last):
    rag.errors.QueryError: The question is not UTF-8 text (it holds the byte 0xe9, from another encoding).
    """
    bad = [f"0x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else f"U+{ord(c):04X}"
           for c in UNDECODABLE.findall(text)]
    if bad:
        raise QueryError(f"The {what} is not UTF-8 text (it holds the byte{'s' if len(bad) > 1 else ''} "
                         f"{', '.join(dict.fromkeys(bad))}, from another encoding).",
                         "Type it again in a terminal set to UTF-8 (e.g. LANG=C.UTF-8); if it is a file's name, rename the "
                         "file with UTF-8 characters.")
    return text


def within(what: str, text: str, limit: int) -> str:
    """`text` when it is at most `limit` characters long; else a QueryError with the limit.

    >>> within("goal", "ML engineer job", 200)
    'ML engineer job'
    """
    decodable(what, text)
    if len(text) > limit:
        raise QueryError(f"The {what} is {len(text):,} characters long; the limit is {limit:,}.",
                         f"Shorten the {what} to at most {limit:,} characters and try again.")
    return text


def paper_inputs(settings: Settings, title: str, url: str = "", abstract: str = "") -> tuple[str, str, str]:
    """A paper plan's title, link and abstract, each checked against its limit."""
    return (within("paper title", title, settings.max_title_chars), within("paper link", url, settings.max_url_chars),
            within("abstract", abstract, settings.max_abstract_chars))


def plan_start(settings: Settings, start: date) -> date:
    """A plan's first day when it lies within `settings.plan_years`; else a QueryError.

    >>> plan_start(Settings(), date(9999, 12, 1))
    Traceback (most recent call last):
    rag.errors.QueryError: A plan cannot start on 9999-12-01: the start must lie between 2000-01-01 and 2100-12-31.
    """
    first, last = settings.plan_years
    if not first <= start.year <= last:
        raise QueryError(f"A plan cannot start on {start.isoformat()}: the start must lie between {first}-01-01 and "
                         f"{last}-12-31.", "Give a start date in that window as YYYY-MM-DD, or leave it out for today.")
    return start
