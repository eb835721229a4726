"""Source cards: each numbered source of an answer as one HTML block, every corpus character escaped.

A card shows the passage with the quoted sentences marked, the document, the
section and the original link (http(s) only). Pure functions, no Streamlit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..ingest.decoration import visible
from ..records import Citation


@dataclass
class SourceCard:
    """One numbered source of an answer or plan: where it is and what of it is quoted."""

    n: int
    title: str
    heading: str
    url: str
    quotes: list[str] = field(default_factory=list)
    passage: str = ""  # the whole chunk the quotes come from, when known
    translations: list[str] = field(default_factory=list)  # how the answer showed quotes given in translation


def source_cards(citations: list[Citation], passages: Mapping[str, str] | None = None) -> list[SourceCard]:
    """Citations grouped by their number n (one chunk each), in order of n."""
    cards: dict[int, SourceCard] = {}
    for c in citations:
        card = cards.setdefault(c.n, SourceCard(c.n, c.title, c.heading, c.source_url,
                                                passage=(passages or {}).get(c.chunk_id, "")))
        if c.quote not in card.quotes:
            card.quotes.append(c.quote)
        if c.quote_translation and c.quote_translation not in card.translations:
            card.translations.append(c.quote_translation)
    return [cards[n] for n in sorted(cards)]


LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def plain(text: str) -> str:
    """`text` without its Markdown decoration, as escaped HTML."""
    return "".join(_html(text[a:b]) for a, b in visible(text))


def highlight(passage: str, quotes: list[str]) -> str:
    """The passage as plain, escaped HTML with every quote in <mark>; just the quotes when the passage is unknown.

    >>> highlight("a <b> c. Next", ["<b> c."])
    'a <mark>&#60;b&#62; c&#46;</mark> Next'
    >>> highlight("1. **Kaggle** is [good](https://k.com)", ["**Kaggle** is [good](https://k.com)"])
    '<mark>Kaggle is good</mark>'
    """
    marks = sorted((m.start(), m.start() + len(q)) for q in quotes if q for m in re.finditer(re.escape(q), passage))
    if not marks:
        return " … ".join(f"<mark>{plain(q)}</mark>" for q in quotes)
    out = []
    for a, b in visible(passage):
        cuts = sorted({a, b, *(x for s, e in marks for x in (s, e) if a < x < b)})
        for x, y in zip(cuts, cuts[1:]):
            piece = _html(passage[x:y])
            out.append(f"<mark>{piece}</mark>" if any(s <= x and y <= e for s, e in marks) else piece)
    return "".join(out).replace("</mark><mark>", "")


def _html(text: str) -> str:
    """Every character that is not a letter, a digit or a space as an HTML character reference, and every
    kind of line break a <br>: no corpus text can open a tag, end the card's HTML block (a blank line would:
    "\\r\\r" made the rest Markdown) or mean anything to Markdown (`*`, `[`, `!`, `$`, `:`, `.` of an
    address the autolinker would see). The browser shows the characters as typed.

    >>> _html("**a** <b>\\r\\r![x](http://h/i.png)")
    '&#42;&#42;a&#42;&#42; &#60;b&#62;<br><br>&#33;&#91;x&#93;&#40;http&#58;&#47;&#47;h&#47;i&#46;png&#41;'
    """
    return "".join("<br>" if LINE_BREAK.fullmatch(ch) else ch if ch.isalnum() or ch == " " else f"&#{ord(ch)};"
                   for ch in text.replace("\r\n", "\n"))


def safe_url(url: str) -> str:
    """The URL when it is http(s), else "" (a corpus file could hold javascript: links)."""
    return url if re.match(r"^https?://[^\s\"'<>]+$", url or "") else ""


def card_html(card: SourceCard, anchor: str, translation_label: str = "translation") -> str:
    """A source card as one HTML block; every corpus string in it is escaped. Quotes the answer showed in
    translation are listed under the original passage, marked with `translation_label`."""
    url = safe_url(card.url)
    link = (f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{_html(url)}</a>' if url
            else _html(card.url))
    heading = " › ".join(_html(p.strip()) for p in card.heading.split(" > ") if p.strip())
    return (
        f'<div class="mentor-source" id="{anchor}-{card.n}" style="border:1px solid rgba(49,51,63,.2);'
        f'border-radius:.5rem;padding:.6rem .8rem;margin:.4rem 0">'
        f'<div><b>[{card.n}] {_html(card.title)}</b></div>'
        + (f'<div style="opacity:.7;font-size:.85em">§ {heading}</div>' if heading else "")
        + f'<div class="mentor-passage" style="margin:.4rem 0;font-size:.92em">{highlight(card.passage, card.quotes)}</div>'
        + "".join(f'<div class="mentor-translation" style="margin:.2rem 0;font-size:.9em;font-style:italic">'
                  f'“{plain(t)}” <span style="opacity:.7">({_html(translation_label)})</span></div>'
                  for t in card.translations)
        + f'<div style="font-size:.85em">{link}</div></div>'
    )
