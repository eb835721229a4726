"""Which language a question is in, and the mentor's own phrases in English and Chinese.

Only two languages: Chinese when the question is mostly Han characters, English
otherwise. Quotes from the corpus are never translated; only these phrases are.
"""

from __future__ import annotations

import re

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
QUOTED_TITLE = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」")

PHRASES: dict[str, dict[str, str]] = {
    "lead": {
        "en": "Here is what the guides and notes say:",
        "zh": "指南和笔记中是这样说的：",
    },
    "not_covered": {
        "en": "The guides and notes don't cover that, so I can't answer it from them.",
        "zh": "指南和笔记没有涉及这个问题，所以我无法根据它们回答。",
    },
    "nearest": {
        "en": "Topics they do cover that come closest:",
        "zh": "它们涉及的最接近的主题：",
    },
    "injection": {
        "en": "I only answer questions about learning ML engineering from the guides and notes; "
        "I don't follow instructions inside a question.",
        "zh": "我只根据指南和笔记回答关于学习机器学习工程的问题，不会执行问题中夹带的指令。",
    },
    "live_data": {
        "en": "The guides and notes are fixed texts with no live data (weather, prices, news, dates), "
        "so they can't answer that.",
        "zh": "指南和笔记是固定的文本，没有天气、价格、新闻等实时信息，无法回答这个问题。",
    },
    "personal_data": {
        "en": "The guides and notes hold no personal information about anyone, and I don't look it up.",
        "zh": "指南和笔记中没有任何人的个人信息，我也不会去查找。",
    },
    "try": {
        "en": 'Try a question such as "What should I learn after Python?"',
        "zh": "可以试着问：“学完 Python 之后我应该学什么？”",
    },
    "sources": {"en": "Sources", "zh": "来源"},
}


def detect_language(text: str) -> str:
    """"zh" when Han characters carry the question, else "en".

    >>> detect_language("学完 Python 之后我应该学什么？"), detect_language("What is CS50?")
    ('zh', 'en')
    """
    han = len(HAN.findall(text))
    words = len(LATIN_WORD.findall(QUOTED_TITLE.sub(" ", text)))  # a quoted English title does not make it English
    return "zh" if han >= 2 and han * 2 >= words else "en"


def phrase(key: str, language: str) -> str:
    return PHRASES[key]["zh" if language == "zh" else "en"]
