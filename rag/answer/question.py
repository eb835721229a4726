"""Clean a learner's question before anything else reads it, or say why it can't be asked.

NFC, full-width letters and digits to ASCII, no control or bidi characters,
single spaces; Chinese punctuation stays as typed. Pure function.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import QueryError

# Characters a question may not carry: C0 controls (but tab and newline, which become spaces), zero-width and
# bidirectional marks, line/paragraph separators and the byte-order mark.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
FULLWIDTH = {cp: cp - 0xFEE0 for a, b in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(a, b + 1)}


def clean_question(question: str, limit: int) -> str:
    """The question, normalised, or a QueryError when it is empty or longer than `limit` characters.

    >>> clean_question("  What\\x00 after\\tＰｙｔｈｏｎ？ ", 2000)
    'What after Python？'
    """
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", question or "").translate(FULLWIDTH))
    text = " ".join(text.split())
    if not text:
        raise QueryError("The question is empty.")
    if len(text) > limit:
        raise QueryError(
            f"The question is {len(text):,} characters long; the limit is {limit:,}.",
            "Shorten it to the question itself (a sentence or two) and ask again.",
        )
    return text
