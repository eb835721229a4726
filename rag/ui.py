"""Pure helpers for the Streamlit app: its words in two languages, safe Markdown for answers, source
cards, backends, plan tables, eval reports.

No Streamlit here, so these are unit-tested directly. Corpus text is untrusted: it is
always escaped (Markdown punctuation backslashed, HTML entity-encoded) before the app
shows it; only the structure the mentor itself adds (bullets, **titles**, `code`,
[n] markers) is kept as Markdown.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator, Mapping

from .records import Citation

# The app's own words in both languages (corpus text is never translated).
STARTERS = ("What should I learn after Python?", "How much math do I need?", "How long until I can get an MLE job?",
            "学完 Python 之后我应该学什么？", "需要多少数学？", "我应该参加 Kaggle 比赛吗？")
# key: (English, 中文). The en and zh tables below are built from these pairs.
WORDS = {
    "chat": (":material/forum: Ask", ":material/forum: 提问"),
    "plan": (":material/calendar_month: Learning plan", ":material/calendar_month: 学习计划"),
    "paper": (":material/description: Paper plan", ":material/description: 论文计划"),
    "library": (":material/library_books: Library", ":material/library_books: 资料库"),
    "evals": (":material/monitoring: Evals", ":material/monitoring: 评测"),
    "page": ("Page", "页面"),
    "backend": ("Answer backend", "回答方式"),
    "k": ("Sources per answer (k)", "每个回答的来源数 (k)"),
    "clear": ("Clear conversation", "清空对话"),
    "ask": ("Ask about becoming an ML engineer…", "问一个关于成为机器学习工程师的问题…"),
    "try": ("Try one of these:", "试试这些问题："),
    "grounded": ("Grounded · {n} source(s)", "有据可查 · {n} 个来源"),
    "not_covered": ("Not covered by the guides", "指南中没有涉及"),
    "refused": ("Refused", "拒绝回答"),
    "sources": ("Sources", "来源"),
    "comment": ("Comment (optional)", "评论（可选）"),
    "thanks": ("Thanks, saved.", "已保存，谢谢。"),
    "known": ("What I already know", "我已经会的"),
    "hours": ("Hours per week", "每周学习小时数"),
    "goal": ("Goal", "目标"),
    "start": ("Start date", "开始日期"),
    "make_plan": ("Make my plan", "生成我的计划"),
    "download": ("Download Markdown", "下载 Markdown"),
    "facts": ("What the guides estimate", "指南的时间估计"),
    "assumptions": ("Assumptions", "假设"),
    "title": ("Paper title", "论文标题"),
    "url": ("Link (optional)", "链接（可选）"),
    "abstract": ("Abstract (optional)", "摘要（可选）"),
    "weeks": ("Weeks", "周数"),
    "make_paper": ("Plan the implementation", "规划复现步骤"),
    "need_title": ("Give the paper's title.", "请填写论文标题。"),
    "status": ("Index", "索引"),
    "model": ("Model", "模型"),
    "chunks": ("Chunks", "片段数"),
    "stale": ("Stale", "需要更新"),
    "reindex": ("Re-index the corpus", "重新建立索引"),
    "corpus": ("Guides and notes", "指南与笔记"),
    "problems": ("Corpus problems", "资料文件的问题"),
    "no_index": ("There is no index yet, so the mentor cannot answer.", "还没有建立索引，所以导师还不能回答。"),
    "build": ("Build the index (about a minute)", "建立索引（约一分钟）"),
    "rebuild": ("Rebuild the index", "重建索引"),
    "built": ("Indexed {n} chunks in {s:.0f} s.", "已索引 {n} 个片段，用时 {s:.0f} 秒。"),
    "embedding": ("Embedding chunks", "正在嵌入片段"),
    "no_report": ("No eval report yet at {path}.", "{path} 还没有评测报告。"),
    "run_eval": ("Run the eval set", "运行评测集"),
    "no_eval": ("The eval runner (rag.evaluation) is not part of this version yet.",
                "这个版本还没有评测运行器 (rag.evaluation)。"),
    "checks": ("Checks", "检查项"),
    "cases": ("Cases", "用例"),
    "baseline": ("Compared with the baseline", "与基线比较"),
    "report": ("Latest eval report", "最新评测报告"),
    "feedback": ("Feedback on answers", "对回答的反馈"),
    "export": ("Export CSV", "导出 CSV"),
    "no_feedback": ("No feedback yet.", "还没有反馈。"),
    "no_problems": ("Every corpus file reads cleanly.", "所有资料文件都能正常读取。"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
}
TEXT = {lang: {key: pair[i] for key, pair in WORDS.items()} for i, lang in enumerate(("en", "zh"))}

MARKER = re.compile(r"\[(\d+)\]")
CODE = re.compile(r"(`[^`\n]+`)")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>$&])")
BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*")
BULLET = re.compile(r"^(\s*)([-*] )(.*)$")


def escape_md(text: str) -> str:
    r"""Backslash every Markdown-active character, so text shows as typed.

    >>> escape_md("<b>5 * $3</b> [x](y)")
    '\\<b\\>5 \\* \\$3\\</b\\> \\[x\\]\\(y\\)'
    """
    return MD_SPECIAL.sub(r"\\\1", text)


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
                out.append(escape_md(part[pos:m.start()]) + f"[\\[{m[1]}\\]](#{anchor}-{m[1]})")
                pos = m.end()
        out.append(escape_md(part[pos:]))
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


@dataclass
class SourceCard:
    """One numbered source of an answer or plan: where it is and what of it is quoted."""

    n: int
    title: str
    heading: str
    url: str
    quotes: list[str] = field(default_factory=list)
    passage: str = ""  # the whole chunk the quotes come from, when known


def source_cards(citations: list[Citation], passages: Mapping[str, str] | None = None) -> list[SourceCard]:
    """Citations grouped by their number n (one chunk each), in order of n."""
    cards: dict[int, SourceCard] = {}
    for c in citations:
        card = cards.setdefault(c.n, SourceCard(c.n, c.title, c.heading, c.source_url,
                                                passage=(passages or {}).get(c.chunk_id, "")))
        if c.quote not in card.quotes:
            card.quotes.append(c.quote)
    return [cards[n] for n in sorted(cards)]


def highlight(passage: str, quotes: list[str]) -> str:
    """The passage as escaped HTML with every quote in <mark>; just the quotes when the passage is unknown.

    >>> highlight("a <b> c. Next.", ["<b> c."])
    'a <mark>&lt;b&gt; c.</mark> Next.'
    """
    spans = sorted((m.start(), m.start() + len(q)) for q in quotes if q for m in re.finditer(re.escape(q), passage))
    if not spans:
        return " … ".join(f"<mark>{_html(q)}</mark>" for q in quotes)
    merged: list[list[int]] = []
    for start, end in spans:  # overlapping quotes share one mark
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(_html(passage[pos:start]) + f"<mark>{_html(passage[start:end])}</mark>")
        pos = end
    out.append(_html(passage[pos:]))
    return "".join(out)


def _html(text: str) -> str:
    """Escape for HTML, and keep Markdown's math and line structure out of it."""
    return html.escape(text).replace("$", "&#36;").replace("\n", "<br>")


def safe_url(url: str) -> str:
    """The URL when it is http(s), else "" (a corpus file could hold javascript: links)."""
    return url if re.match(r"^https?://[^\s\"'<>]+$", url or "") else ""


def card_html(card: SourceCard, anchor: str) -> str:
    """A source card as one HTML block; every corpus string in it is escaped."""
    url = safe_url(card.url)
    link = (f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{_html(url)}</a>' if url
            else _html(card.url))
    heading = _html(" › ".join(p.strip() for p in card.heading.split(" > ") if p.strip()))
    return (
        f'<div class="mentor-source" id="{anchor}-{card.n}" style="border:1px solid rgba(49,51,63,.2);'
        f'border-radius:.5rem;padding:.6rem .8rem;margin:.4rem 0">'
        f'<div><b>[{card.n}] {_html(card.title)}</b></div>'
        + (f'<div style="opacity:.7;font-size:.85em">§ {heading}</div>' if heading else "")
        + f'<div class="mentor-passage" style="margin:.4rem 0;font-size:.92em">{highlight(card.passage, card.quotes)}</div>'
        f'<div style="font-size:.85em">{link}</div></div>'
    )


@dataclass(frozen=True)
class Backend:
    name: str  # what the mentor calls it: embedded, llamacpp, ollama, openai
    label: str
    detail: str  # the model file or server URL it would use


def configured_backends(environ: Mapping[str, str], default_llm_model: Path | None = None) -> list[Backend]:
    """The embedded answerer, then each LLM backend that is configured (no server is contacted).

    llama.cpp counts when MENTOR_LLM_MODEL (or else `default_llm_model`) is an existing file.
    """
    found = [Backend("embedded", "Embedded (offline, verbatim quotes)", "no LLM: quotes the guides")]
    model = Path(environ["MENTOR_LLM_MODEL"]).expanduser() if environ.get("MENTOR_LLM_MODEL") else default_llm_model
    if model and model.is_file():
        found.append(Backend("llamacpp", "llama.cpp", str(model)))
    if environ.get("MENTOR_OLLAMA_URL"):
        found.append(Backend("ollama", "Ollama", environ["MENTOR_OLLAMA_URL"]))
    if environ.get("MENTOR_OPENAI_BASE_URL"):
        found.append(Backend("openai", "OpenAI-compatible", environ["MENTOR_OPENAI_BASE_URL"]))
    return found


def plan_rows(plan: Any) -> list[dict]:
    """One table row per phase of a plan (rag.plan.Plan)."""
    return [{"#": i, "phase": p.title, "start": p.start_date, "end": p.end_date,
             "weeks": p.end_week - p.start_week + 1, "hours": p.hours or None,
             "resources": "; ".join(r["title"] for r in p.resources), "sources": "".join(f"[{n}]" for n in p.cites)}
            for i, p in enumerate(plan.phases, start=1)]


def timeline_rows(plan: Any) -> list[dict]:
    """Bars for a timeline chart: each phase from its first day to the day after its last."""
    return [{"phase": f"{i}. {p.title}", "start": p.start_date,
             "end": (date.fromisoformat(p.end_date) + timedelta(days=1)).isoformat()}
            for i, p in enumerate(plan.phases, start=1)]


HEADLINE = (("hit@3", "retrieval.system.hit@3", "retrieval.hybrid.hit@3"),
            ("MRR", "retrieval.system.mrr", "retrieval.hybrid.mrr"),
            ("citation validity", "answers.citation_validity"), ("grounding", "answers.grounding"),
            ("refusal accuracy", "answers.refusal_accuracy"), ("language match", "answers.language_match"),
            ("keyword coverage", "answers.keyword_coverage"), ("latency p50 (ms)", "answers.latency_p50_ms"))
LOWER_IS_BETTER = ("latency", "forbidden_rate")


def headline(flat: Mapping[str, float]) -> list[tuple[str, str]]:
    """(metric name, label) of the headline metrics the report has; the first name found of each.

    >>> headline({"retrieval.hybrid.mrr": 0.9, "answers.grounding": 1.0})
    [('retrieval.hybrid.mrr', 'MRR'), ('answers.grounding', 'grounding')]
    """
    found = []
    for label, *names in HEADLINE:
        name = next((n for n in names if n in flat), None)
        if name:
            found.append((name, label))
    return found


def load_json(path: Path) -> Any:
    """A JSON file's content, or None when it does not exist."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested metrics as flat dotted names, the form of evals/baseline.json.

    >>> flatten({"answers": {"grounding": 1.0}, "retrieval": {"hybrid": {"mrr": 0.5}}})
    {'answers.grounding': 1.0, 'retrieval.hybrid.mrr': 0.5}
    """
    flat: dict[str, float] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[name] = float(value)
    return flat


def baseline_rows(current: Mapping[str, float], baseline: Mapping[str, float]) -> list[dict]:
    """Metric, baseline, current and change, for every metric the baseline names."""
    rows = []
    for name, before in sorted(baseline.items()):
        now = current.get(name)
        rows.append({"metric": name, "baseline": before, "current": now,
                     "change": None if now is None else round(now - before, 4)})
    return rows


def chart_files(report: Mapping[str, Any], folder: Path) -> list[Path]:
    """The report's chart files that exist inside its folder (names that escape the folder are ignored)."""
    root = folder.resolve()
    found = []
    for name in report.get("charts", []):
        path = (root / str(name)).resolve()
        if path.is_relative_to(root) and path.is_file():
            found.append(path)
    return found
