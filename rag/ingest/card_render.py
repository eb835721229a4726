"""A paper card's Markdown body, rendered from its front matter; run as a script it rewrites card files.

The front matter is the data; the body repeats its strings verbatim under an English and a Chinese
section, so that the index chunks both and answers can quote them. `rag.ingest.papers` checks that a
card's body is the rendering of its front matter. Usage (from the project folder):
`python -m rag.ingest.card_render corpus/papers/<id>.md`. Does not validate the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

# The headings and labels of a card body: part of the card format (corpus data), not the mentor's phrases.
LABELS = {
    "en": {"section": "English", "summary": "Summary", "prereq": "Prerequisites", "datasets": "Datasets",
           "components": "Build order", "recipe": "Training recipe", "targets": "Reproduction targets",
           "sanity": "Sanity checks", "compute": "Compute", "pitfalls": "Pitfalls", "laptop": "Laptop CPU",
           "gpu": "One GPU", "first": "start here", "licence": "licence", "source": "source", "from": "from",
           "unverified": "unverified"},
    "zh": {"section": "中文", "summary": "概要", "prereq": "前置知识", "datasets": "数据集", "components": "实现顺序",
           "recipe": "训练设置", "targets": "复现目标", "sanity": "自检步骤", "compute": "算力估计", "pitfalls": "常见陷阱",
           "laptop": "笔记本 CPU", "gpu": "单块 GPU", "first": "建议先用", "licence": "许可", "source": "来源", "from": "出处",
           "unverified": "未核实"},
}


def where(item: dict, lang: str) -> str:
    """ " (from: Table 6)" — where in the paper a number comes from, marked when it was not checked."""
    t = LABELS[lang]
    if not item.get("source"):
        return ""
    mark = "" if item.get("verified", True) else f", {t['unverified']}"
    return f" ({t['from']}: {item['source']}{mark})"


def dataset_line(d: dict, lang: str) -> str:
    """ "CIFAR-10 (start here): 60,000 … images" — the part of a dataset's line that plans quote."""
    return f"{d['name']}{' (' + LABELS[lang]['first'] + ')' if d.get('first_choice') else ''}: {d['size'][lang]}"


def target_line(g: dict, lang: str) -> str:
    return f"{g['metric'][lang]}: {g['value']}{where(g, lang)}"


def body(meta: dict) -> str:
    """The body of a card: one section a language, each with the same parts in the same order."""
    out: list[str] = []
    for lang, t in LABELS.items():
        out += [f"## {t['section']}", "", f"### {t['summary']}", "", meta["summary"][lang].strip(), ""]
        out += [f"### {t['prereq']}", ""] + [f"- {p[lang]}" for p in meta["prerequisites"]["explain"]] + [""]
        out += [f"### {t['datasets']}", ""]
        out += [f"- {dataset_line(d, lang)}; {t['licence']}: {d['licence']}; {t['source']}: {d['source']}"
                for d in meta["datasets"]]
        out += ["", f"### {t['components']}", ""] + [f"{i}. {c[lang]}" for i, c in enumerate(meta["components"], 1)] + [""]
        out += [f"### {t['recipe']}", ""] + [f"- {r[lang]}{where(r, lang)}" for r in meta["recipe"]] + [""]
        out += [f"### {t['targets']}", ""] + [f"- {target_line(g, lang)}" for g in meta["targets"]] + [""]
        out += [f"### {t['sanity']}", ""] + [f"- {s[lang]}{where(s, lang)}" for s in meta["sanity_checks"]] + [""]
        c = meta["compute"]
        out += [f"### {t['compute']}", "", f"- {t['laptop']}: {c['laptop_cpu'][lang]}", f"- {t['gpu']}: {c['one_gpu'][lang]}", ""]
        out += [f"### {t['pitfalls']}", ""] + [f"- {p[lang]}" for p in meta["pitfalls"]] + [""]
    return "\n".join(out).rstrip() + "\n"


def render_file(path: Path) -> None:
    """Rewrite the body of the card at `path` from its front matter (the front matter is kept byte for byte)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        raise SystemExit(f"{path}: a card starts with front matter between '---' lines.")
    front = text[4:text.index("\n---\n", 4)]
    path.write_text("---\n" + front + "\n---\n\n" + body(yaml.safe_load(front)), encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        render_file(Path(name))
        print("rendered", name)
