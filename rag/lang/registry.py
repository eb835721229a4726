"""The language packs in use: register one, find one by code, detect a text's language, say a phrase.

English and Chinese are registered on import; `register` adds another pack
(say, from a test or a plugin) without touching any other module. Unknown
codes fall back to the default pack, English.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import en, zh
from .base import PHRASE_KEYS, LanguagePack

DEFAULT = "en"
_packs: dict[str, LanguagePack] = {}
_version = [0]  # bumped on every change, so caches built from the packs know when to rebuild


def register(pack: LanguagePack) -> None:
    """Add (or replace) a pack; its phrases must be complete and the default pack must keep its word pattern."""
    missing = sorted(PHRASE_KEYS - set(pack.phrases))
    if missing:
        raise ValueError(f"The language pack {pack.code!r} lacks the phrases: {', '.join(missing)}.")
    _packs[pack.code] = pack
    _version[0] += 1


def unregister(code: str) -> None:
    """Remove a pack (the default pack stays)."""
    if code != DEFAULT and _packs.pop(code, None) is not None:
        _version[0] += 1


def version() -> int:
    return _version[0]


def packs() -> tuple[LanguagePack, ...]:
    """Every registered pack, the default first."""
    return tuple(_packs.values())


def codes() -> tuple[str, ...]:
    return tuple(_packs)


def pack(code: str | None) -> LanguagePack:
    """The pack of `code`; the default pack for None or an unknown code."""
    return _packs.get(code or DEFAULT) or _packs[DEFAULT]


def detect(text: str) -> str:
    """The code of the pack that claims most of `text`; the default when none claims any.

    >>> detect("学完 Python 之后我应该学什么？"), detect("What is CS50?"), detect("?!")
    ('zh', 'en', 'en')
    """
    scores = [(p.score(text), p.priority, p.code) for p in _packs.values()]
    best = max(scores)
    return best[2] if best[0] > 0 else DEFAULT


def phrase(key: str, language: str | None, **values: object) -> str:
    """One of the mentor's phrases in `language`, filled with `values`."""
    text = pack(language).phrases[key]
    return text.format(**values) if values else text


def ui(key: str, language: str | None, default: str | None = None, **values: object) -> str:
    """One of the app's words in `language` (the default pack's when the pack has none, else `default`)."""
    text = pick(pack(language).ui, language, key, {key: default} if default is not None and key not in pack(DEFAULT).ui
                else pack(DEFAULT).ui)
    return text.format(**values) if values else text


def label(key: str, language: str | None, **values: object) -> str:
    """A plan-rendering label in `language` (the default pack's when the pack has none)."""
    text = pick(pack(language).labels, language, key, pack(DEFAULT).labels)
    return text.format(**values) if values else text


def pick(texts: Mapping[str, str], language: str | None, key: str | None = None,
         fallback: Mapping[str, str] | None = None) -> str:
    """`texts[language]` of a {code: text} mapping (or `texts[key]`, with `fallback[key]` when missing).

    Corpus data (the roadmap) has English and Chinese; another language gets the default's text.

    >>> pick({"en": "Python", "zh": "Python 编程"}, "zh"), pick({"en": "Python"}, "fr")
    ('Python 编程', 'Python')
    """
    if key is not None:
        return texts[key] if key in texts else (fallback or {})[key]
    return texts.get(language or DEFAULT) or texts[DEFAULT]


for _builtin in (en.PACK, zh.PACK):
    register(_builtin)
