"""Render a paper card's Markdown body from its front matter, and write the card file.

Usage: python3 catalogue/render_cards.py catalogue/papers/<id>.md   (re-renders the body below the front matter)
The front matter is the data; the body repeats its strings verbatim so that answers can quote them.
"""
import sys
from pathlib import Path
import yaml

LABELS = {
    "en": {"summary": "Summary", "prereq": "Prerequisites", "datasets": "Datasets", "components": "Build order",
           "recipe": "Training recipe", "targets": "Reproduction targets", "sanity": "Sanity checks",
           "compute": "Compute", "pitfalls": "Pitfalls", "laptop": "Laptop CPU", "gpu": "One GPU",
           "first": "start here", "licence": "licence", "source": "source", "from": "from", "unverified": "unverified"},
    "zh": {"summary": "概要", "prereq": "前置知识", "datasets": "数据集", "components": "实现顺序",
           "recipe": "训练设置", "targets": "复现目标", "sanity": "自检步骤",
           "compute": "算力估计", "pitfalls": "常见陷阱", "laptop": "笔记本 CPU", "gpu": "单块 GPU",
           "first": "建议先用", "licence": "许可", "source": "来源", "from": "出处", "unverified": "未核实"},
}


def where(item, lang):
    t = LABELS[lang]
    src = item.get("source")
    if not src:
        return ""
    mark = "" if item.get("verified", True) else f", {t['unverified']}"
    return f" ({t['from']}: {src}{mark})"


def body(meta):
    out = []
    for lang, head in (("en", "English"), ("zh", "中文")):
        t = LABELS[lang]
        out += [f"## {head}", "", f"### {t['summary']}", "", meta["summary"][lang].strip(), ""]
        out += [f"### {t['prereq']}", ""] + [f"- {p[lang]}" for p in meta["prerequisites"]["explain"]] + [""]
        out += [f"### {t['datasets']}", ""]
        for d in meta["datasets"]:
            first = f" ({t['first']})" if d.get("first_choice") else ""
            out.append(f"- {d['name']}{first}: {d['size'][lang]}; {t['licence']}: {d['licence']}; {t['source']}: {d['source']}")
        out += ["", f"### {t['components']}", ""] + [f"{i}. {c[lang]}" for i, c in enumerate(meta["components"], 1)] + [""]
        out += [f"### {t['recipe']}", ""] + [f"- {r[lang]}{where(r, lang)}" for r in meta["recipe"]] + [""]
        out += [f"### {t['targets']}", ""] + [f"- {g['metric'][lang]}: {g['value']}{where(g, lang)}" for g in meta["targets"]] + [""]
        out += [f"### {t['sanity']}", ""] + [f"- {s[lang]}{where(s, lang)}" for s in meta["sanity_checks"]] + [""]
        c = meta["compute"]
        out += [f"### {t['compute']}", "", f"- {t['laptop']}: {c['laptop_cpu'][lang]}", f"- {t['gpu']}: {c['one_gpu'][lang]}", ""]
        out += [f"### {t['pitfalls']}", ""] + [f"- {p[lang]}" for p in meta["pitfalls"]] + [""]
    return "\n".join(out).rstrip() + "\n"


def render(path):
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith("---\n"), "front matter first"
    end = text.index("\n---\n", 4)
    front = text[4:end]
    meta = yaml.safe_load(front)
    Path(path).write_text("---\n" + front + "\n---\n\n" + body(meta), encoding="utf-8")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        render(p)
        print("rendered", p)
