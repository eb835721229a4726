"""The Paper plan page's card panel as safe Markdown: summary, prerequisites (known ones ticked), datasets,
reproduction targets and compute, in the UI's language. Pure; card text is corpus data, so every piece of
it is escaped (web addresses shown as code, never as links).
"""

from __future__ import annotations

from ..ingest.papers import Card
from ..lang import registry
from .markdown import escape_text

KNOWN, TODO = "✅", "⬜"


def card_markdown(card: Card, prerequisites: list[dict], lang: str) -> str:
    """The card in `lang`; `prerequisites` as rag.answer.paper_plan.prerequisites gives them (with "known").

    >>> from rag.ingest.papers import Card
    >>> meta = {"year": 1998, "authors": ["A <b>"], "summary": {"en": "*Small* net."}, "datasets": [],
    ...         "targets": [], "compute": {"laptop_cpu": {"en": "1 min"}, "one_gpu": {"en": "1 s"}}}
    >>> print(card_markdown(Card("x", "X [1]", "https://x.org", "papers/x.md", meta), [], "en").splitlines()[0])
    #### X \\[1\\] (1998)
    """
    meta = card.meta

    def t(key: str) -> str:
        return registry.label(key, lang)

    lines = [f"#### {escape_text(card.title)} ({meta['year']})", "",
             f"{escape_text(', '.join(meta['authors']))} · {escape_text(card.url)}", "",
             escape_text(registry.pick(meta["summary"], lang).strip()), "", f"**{t('prerequisites')}**", ""]
    lines += [f"- {KNOWN if p['known'] else TODO} {escape_text(p['name'])}" for p in prerequisites]
    lines += ["", f"**{t('datasets')}**", ""]
    for d in meta["datasets"]:
        first = f" ({t('first_choice')})" if d.get("first_choice") else ""
        lines.append(f"- {escape_text(d['name'])}{first}: {escape_text(registry.pick(d['size'], lang))}")
    lines += ["", f"**{t('targets')}**", ""]
    for g in meta["targets"]:
        mark = "" if g.get("verified", True) else f", {t('unverified')}"
        lines.append(f"- {escape_text(registry.pick(g['metric'], lang))}: **{escape_text(str(g['value']))}** "
                     f"({escape_text(g['source'])}{mark})")
    compute = meta["compute"]
    lines += ["", f"**{t('compute')}**", "", f"- {t('laptop_cpu')}: {escape_text(registry.pick(compute['laptop_cpu'], lang))}",
              f"- {t('one_gpu')}: {escape_text(registry.pick(compute['one_gpu'], lang))}"]
    return "\n".join(lines)
