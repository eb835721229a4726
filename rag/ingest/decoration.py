"""The Markdown decoration a reader looks through: images (dropped), links (their words kept), bold and emphasis
marks, and the markers that open a line (lists, quotes, headings). Code spans stay as written. A `*` counts as
emphasis by its neighbours alone, never paired across a text: at the edge of a word ("*deploy*", "设计*和*构建",
an unpaired "*机器学习…"), not inside one ("a*b", "2*3") nor before a symbol ("*.py"). Pure functions: the app's
source cards and the answers' points read a quote the same way.
"""

from __future__ import annotations

import re

ASCII_WORD = "A-Za-z0-9_"
DECORATION = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|!\[[^\]\n]*\]\((?:[^()\n]|\([^()\n]*\))*\)"
    r"|\[(?P<words>[^\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)"
    r"|\*\*"
    rf"|(?<![{ASCII_WORD}*])\*(?=[^\s*.,;:!?)\]}}])|(?<=[^\s*(\[{{])\*(?![{ASCII_WORD}*])"
    r"|^[ \t]*(?:[-*+][ \t]+|>[ \t]?|#{1,6}[ \t]+|\d+[.)][ \t]+)", re.M)
WHITE_SPACE = re.compile(r"\s+")


def visible(text: str) -> list[tuple[int, int]]:
    """The spans of `text` a reader sees once its Markdown decoration is taken away.

    >>> t = "- **Kaggle** ![x](y) [Papers](https://p.com)"
    >>> "".join(t[a:b] for a, b in visible(t))
    'Kaggle  Papers'
    """
    spans, pos = [], 0
    for m in DECORATION.finditer(text):
        if m.group("code"):
            continue  # kept whole, in the span that goes on past it
        spans.append((pos, m.start()))
        if m.group("words") is not None:
            spans.append((m.start("words"), m.end("words")))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if b > a]


def undecorated(text: str) -> str:
    """`text` as a reader sees it, on one line.

    >>> undecorated("Use [libraries](https://x.org/a_(b)) to *deploy* **fast**\\nmodels: a*b, `**kwargs`, *.py")
    'Use libraries to deploy fast models: a*b, `**kwargs`, *.py'
    >>> undecorated("我们可以说 *机器学习是人工智能的一个子集。"), undecorated("如 [*BERT*](https://b.org) 和*大型*模型")
    ('我们可以说 机器学习是人工智能的一个子集。', '如 BERT 和大型模型')
    """
    for _ in range(2):  # twice: a link's words may be decorated themselves ("[*BERT*](…)")
        text = "".join(text[a:b] for a, b in visible(text))
    return WHITE_SPACE.sub(" ", text).strip()
