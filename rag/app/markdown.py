"""Safe Markdown for the app: the mentor's answers with [n] links, corpus text escaped so it shows as typed.

Corpus text is untrusted: every Markdown-active character is backslashed; only
the structure the mentor itself adds (bullets, **titles**, `code`, [n] markers)
stays Markdown. Pure functions, no Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MARKER = re.compile(r"\[(\d+)\]")
CODE = re.compile(r"(`[^`\n]+`)")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>$&])")
BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*")
BULLET = re.compile(r"^(\s*)([-*] )(.*)$")
# A web address in corpus text: shown as code, so the renderer's autolinker neither links it nor swallows
# the escapes around it (which made `paperswithcode.com/%5C` of "…com/)").
URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+")


def escape_md(text: str) -> str:
    r"""Backslash every Markdown-active character, so text shows as typed.

    >>> escape_md("<b>5 * $3</b> [x](y)")
    '\\<b\\>5 \\* \\$3\\</b\\> \\[x\\]\\(y\\)'
    """
    return MD_SPECIAL.sub(r"\\\1", text)


def escape_text(text: str) -> str:
    """Text shown as typed: Markdown escaped, web addresses as code (never a link, no stray backslash).

    >>> escape_text("[Papers](https://paperswithcode.com/) 是好地方。")
    '\\\\[Papers\\\\]\\\\(`https://paperswithcode.com/`\\\\) 是好地方。'
    """
    out, pos = [], 0
    for m in URL.finditer(text):
        url = m.group().rstrip(".,;:!?'")
        out.append(escape_md(text[pos:m.start()]) + f"`{url}`")
        pos = m.start() + len(url)
    return "".join(out) + escape_md(text[pos:])


def _inline(text: str, numbers: set[int], anchor: str) -> str:
    """One line's content: code spans kept (they show literally), [n] linked, the rest escaped."""
    out = []
    for part in CODE.split(text):
        if CODE.fullmatch(part):
            out.append(part)
            continue
        pos = 0
        for m in MARKER.finditer(part):
            if int(m[1]) in numbers:
                out.append(escape_text(part[pos:m.start()]) + f"[\\[{m[1]}\\]](#{anchor}-{m[1]})")
                pos = m.end()
        out.append(escape_text(part[pos:]))
    return "".join(out)


def answer_markdown(text: str, numbers: set[int], anchor: str) -> str:
    """The mentor's answer as safe Markdown, each known [n] a link to the card `#{anchor}-{n}`.

    >>> answer_markdown("Lead:\\n- A <i>quote</i>. [1]", {1}, "src")
    'Lead:\\n- A \\\\<i\\\\>quote\\\\</i\\\\>. [\\\\[1\\\\]](#src-1)'
    """
    lines, in_list = [], False
    for line in text.splitlines():
        bullet = BULLET.match(line)
        if bullet:
            lines.append(bullet[1] + "- " + _inline(bullet[3], numbers, anchor))
        elif line.startswith(" ") and in_list:  # continuation of a list item
            lines.append(line[: len(line) - len(line.lstrip())] + _inline(line.lstrip(), numbers, anchor))
        else:
            bold = BOLD_LEAD.match(line)
            body = (f"**{_inline(bold[1], numbers, anchor)}**" + _inline(line[bold.end():], numbers, anchor)
                    if bold else _inline(line, numbers, anchor))
            if in_list and line.strip():
                lines.append("")  # else Markdown would fold the line into the list item above
            lines.append(body)
        in_list = bool(bullet) or (in_list and line.startswith(" "))
    return "\n".join(lines)


def stream_pieces(markdown: str, size: int = 12) -> Iterator[str]:
    """Split Markdown into small pieces for st.write_stream, never inside a [n] link or a \\ escape.

    >>> "".join(stream_pieces("abc [\\\\[1\\\\]](#s-1)", 2)) == "abc [\\\\[1\\\\]](#s-1)"
    True
    """
    for i, part in enumerate(re.split(r"(\[\\\[\d+\\\]\]\(#[^)\s]*\))", markdown)):
        if i % 2:  # a whole [n] link
            yield part
            continue
        start = 0
        while start < len(part):
            end = min(start + size, len(part))
            while end < len(part) and part[end - 1] == "\\":
                end += 1
            yield part[start:end]
            start = end
