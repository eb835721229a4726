"""The mentor's Streamlit app: chat, learning plan, paper plan, library, evals. UI only; logic lives in `rag`.

A sidebar radio picks the page (AppTest drives it like any widget). The model and
the index load once per process (st.cache_resource); a conversation lives only in
its browser session's st.session_state. Corpus text is escaped before it is shown
(rag.ui). Errors become a message and the fix, never a traceback.
"""

from __future__ import annotations

import inspect
import os
import time
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import streamlit as st

from rag import feedback, ui
from rag.config import PACKAGE_ROOT, Settings
from rag.errors import IndexCorruptError, IndexMissingError, MentorError, ModelMismatchError

PAGES = ("chat", "plan", "paper", "library", "evals")


@dataclass(frozen=True)
class Options:
    lang: str  # the UI's language, "en" or "zh"
    language: str | None  # what Mentor.ask gets: None (auto), "en" or "zh"
    backend: str
    k: int


def t(key: str, **values: Any) -> str:
    lang = "zh" if st.session_state.get("lang") == "zh" else "en"
    return ui.TEXT[lang][key].format(**values)


@st.cache_resource(show_spinner="Loading the model and the index…", max_entries=4)
def load_mentor(_settings: Settings, key: str) -> Any:
    """engine.open_mentor, once per process for each settings and index generation (`key`)."""
    from rag.engine import open_mentor

    return open_mentor(_settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def mentor_with_k(_base: Any, key: str, k: int) -> Any:
    """The same reader and roadmap, answering with at most `k` points (sources)."""
    from rag.mentor import Mentor

    return Mentor(_base.reader, replace(_base.settings, max_points=k))


def get_mentor(settings: Settings, k: int | None = None) -> Any:
    from rag.store import read_manifest

    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        raise IndexMissingError(f"No index has been built yet in {settings.index_dir}.")
    key = f"{settings!r}|{manifest.generation}|{manifest.built_at}"  # an index rebuilt elsewhere is reloaded
    base = load_mentor(settings, key)
    return base if k in (None, settings.max_points) else mentor_with_k(base, key, k)


def build_index(settings: Settings, rebuild: bool = False) -> None:
    """Prepare the model if needed and sync the index, with a progress bar; then reload the mentor."""
    from rag import engine
    from rag.indexer import sync_index

    bar = st.progress(0.0, text=t("embedding"))
    engine.prepare_model(settings)
    try:
        embeddings = get_mentor(settings).reader.embeddings
    except MentorError:
        embeddings = engine.load_embeddings(settings)

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{t('embedding')}: {done}/{total}")

    report = sync_index(settings, embeddings, rebuild=rebuild, progress=progress)
    bar.progress(1.0, text=t("built", n=report.chunk_count, s=report.seconds))
    load_mentor.clear()
    mentor_with_k.clear()


def show_error(err: Exception, settings: Settings | None) -> None:
    """A MentorError as its message and fix (with a build button for index problems); anything else in one line."""
    if not isinstance(err, MentorError):
        st.error(f"Unexpected {type(err).__name__}: {' '.join(str(err).split())[:200]}")
        return
    if isinstance(err, IndexMissingError):
        st.warning(t("no_index"))
    st.error(str(err))
    if err.hint:
        st.info(err.hint)
    index_problem = isinstance(err, (IndexMissingError, IndexCorruptError, ModelMismatchError))
    if settings and index_problem and st.button(t("build" if isinstance(err, IndexMissingError) else "rebuild"),
                                                key="build-index", type="primary"):
        rebuild = not isinstance(err, IndexMissingError)
        guarded(lambda: (build_index(settings, rebuild=rebuild), st.rerun()), None)  # None: no second button


def guarded(action: Any, settings: Settings | None) -> None:
    try:
        action()
    except Exception as err:  # the edge: every error becomes a message (st.stop/st.rerun are not Exceptions)
        if os.environ.get("MENTOR_DEBUG"):
            raise
        show_error(err, settings)


def sidebar(settings: Settings) -> tuple[str, Options]:
    with st.sidebar:
        st.markdown("## :material/explore: mentor")
        choice = st.segmented_control("Language · 语言", ["auto", "en", "zh"], default="auto", key="language",
                                      format_func={"auto": "Auto", "en": "EN", "zh": "中文"}.get)
        lang = st.session_state.lang = "zh" if choice == "zh" else "en"
        # format_func must not read session state: AppTest calls it outside the script run
        page = st.radio(t("page"), PAGES, format_func=ui.TEXT[lang].get, key="page")
        backends = {b.name: b for b in ui.configured_backends(os.environ, getattr(settings, "resolved_llm_model", None))}
        status = {name: backend_status(name) for name in backends}
        default = getattr(settings, "llm_backend", "embedded")
        backend = st.selectbox(t("backend"), list(backends), key="backend",
                               index=list(backends).index(default) if default in backends else 0,
                               format_func=lambda n: f"{status[n][0]} {backends[n].label}")
        st.caption(f"{backends[backend].detail} · {status[backend][1]}".strip(" ·"))
        k = st.slider(t("k"), 1, 8, settings.max_points, key="k")
        if page == "chat":
            st.button(t("clear"), key="clear", on_click=lambda: st.session_state.pop("messages", None))
    return page, Options(st.session_state.lang, choice if choice in ("en", "zh") else None, backend, k)


def backend_status(name: str) -> tuple[str, str]:
    """A status dot and a few words; servers are not contacted (a dead one falls back to the embedded answer)."""
    if name == "embedded":
        return "🟢", ""
    try:
        from rag.llm import CHAT_MODELS, stream_answer  # noqa: F401  (optional: not in every version)
    except ImportError:
        return "⚪", "configured; this version answers with the embedded backend"
    module, _, extra, needs = CHAT_MODELS[name]
    if any(find_spec(m.split(".")[0]) is None for m in (module, *needs)):
        return "🔴", f"needs: pip install -e '.[{extra}]'"
    return "🟢", "falls back to the embedded answer if it fails"


@st.cache_resource(show_spinner=False, max_entries=4)
def llm_backend(_settings: Settings, key: str, name: str) -> Any:
    """rag.llm's backend `name`, built once per process (it loads or connects on first use)."""
    from rag.llm import backend_for

    return backend_for(name, _settings)


def answer_with(mentor: Any, question: str, history: list[str], opts: Options, settings: Settings) -> Any:
    """The Answer; with an LLM backend, its unchecked text streams as a preview that the checked answer replaces."""
    if opts.backend == "embedded" or backend_status(opts.backend)[0] != "🟢":
        return mentor.ask(question, history=history, language=opts.language)
    from rag.llm import stream_answer

    final: list[Any] = []

    def preview() -> Any:
        for item in stream_answer(mentor, question, llm_backend(settings, repr(settings), opts.backend), history,
                                  opts.language):
            if isinstance(item, str):
                yield ui.escape_md(item)
            else:
                final.append(item)

    placeholder = st.empty()
    with placeholder.container():
        st.write_stream(preview())
    placeholder.empty()
    return final[-1]


def ask(mentor: Any, question: str, history: list[str], opts: Options, settings: Settings) -> dict:
    """Ask the mentor; return the message to keep in the session (safe Markdown and source cards)."""
    answer = answer_with(mentor, question, history, opts, settings)
    msg_id = uuid.uuid4().hex[:8]
    passages = {cid: text for cid, (text, _) in mentor.reader.fetch([c.chunk_id for c in answer.citations]).items()}
    return {"role": "assistant", "id": msg_id, "question": question, "answer": answer.answer,
            "markdown": ui.answer_markdown(answer.answer, {c.n for c in answer.citations}, f"src-{msg_id}"),
            "cards": ui.source_cards(answer.citations, passages), "refused": answer.refused, "reason": answer.reason,
            "notice": answer.notice, "backend": answer.backend, "ms": answer.timings_ms.get("total", 0.0)}


def slow_stream(markdown: str) -> Any:
    pieces = list(ui.stream_pieces(markdown))
    pause = min(0.02, 0.25 / max(len(pieces), 1))  # at most a quarter second in all
    for piece in pieces:
        yield piece
        time.sleep(pause)


def show_cards(cards: list[ui.SourceCard], anchor: str) -> None:
    st.markdown(f"**{t('sources')}**")
    for card in cards:
        st.markdown(ui.card_html(card, anchor), unsafe_allow_html=True)


def show_answer(msg: dict, settings: Settings, stream: bool = False) -> None:
    if msg.get("error"):
        st.error(msg["error"])
        if msg.get("hint"):
            st.info(msg["hint"])
        return
    if msg["refused"]:
        st.badge(t("not_covered") if msg["reason"] == "not_covered" else t("refused"), icon=":material/block:", color="orange")
    else:
        st.badge(t("grounded", n=len(msg["cards"])), icon=":material/verified:", color="green")
    if msg["notice"]:
        st.caption(msg["notice"])
    if stream:
        st.write_stream(slow_stream(msg["markdown"]))
    else:
        st.markdown(msg["markdown"])
    if msg["cards"]:
        show_cards(msg["cards"], f"src-{msg['id']}")
    st.caption(f"{msg['backend']} · {msg['ms']:.0f} ms")
    rating_key = f"rating-{msg['id']}"
    st.feedback("thumbs", key=rating_key, on_change=save_feedback, args=(msg, settings))
    if st.session_state.get(rating_key) is not None:
        st.text_input(t("comment"), key=f"comment-{msg['id']}", on_change=save_feedback, args=(msg, settings))


def save_feedback(msg: dict, settings: Settings) -> None:
    """Store the answer's rating, then its comment, in one row per answer."""
    value = st.session_state.get(f"rating-{msg['id']}")
    rating = None if value is None else ("up" if value == 1 else "down")
    comment = st.session_state.get(f"comment-{msg['id']}", "")
    path = settings.home / feedback.FILE_NAME
    if msg.get("feedback_id"):
        feedback.update(path, msg["feedback_id"], rating=rating, comment=comment)
    elif rating:
        msg["feedback_id"] = feedback.add(path, msg["question"], msg["answer"], rating, comment, msg["backend"],
                                          datetime.now(timezone.utc).isoformat(timespec="seconds"))
        st.toast(t("thanks"))


def chat_page(settings: Settings, opts: Options) -> None:
    mentor = get_mentor(settings, opts.k)
    messages = st.session_state.setdefault("messages", [])
    starters, clicked = st.empty(), None
    if not messages:
        with starters.container():
            st.caption(t("try"))
            columns = st.columns(2)
            for i, question in enumerate(ui.STARTERS):
                if columns[i // 3].button(question, key=f"starter-{i}", width="stretch"):
                    clicked = question
    prompt = st.chat_input(t("ask"), key="question") or clicked
    if prompt:
        starters.empty()
        messages.append({"role": "user", "content": prompt})
    for msg in messages:
        with st.chat_message(msg["role"]):
            if msg["role"] == "user":
                st.markdown(ui.escape_md(msg["content"]))
            else:
                show_answer(msg, settings)
    if prompt:
        history = [m["content"] for m in messages[:-1] if m["role"] == "user"]
        with st.chat_message("assistant"):
            try:
                msg = ask(mentor, prompt, history, opts, settings)
            except MentorError as err:
                msg = {"role": "assistant", "error": str(err), "hint": err.hint}
            messages.append(msg)
            show_answer(msg, settings, stream=msg.get("backend") == "embedded")


def show_plan(plan: Any, mentor: Any, name: str) -> None:
    import altair as alt
    from rag.render import plan_markdown

    st.subheader(ui.escape_md(plan.title))
    st.caption(f"{plan.start_date} → {plan.end_date} · {plan.total_weeks} {t('weeks').lower()}")
    st.dataframe(ui.plan_rows(plan), hide_index=True)
    chart = alt.Chart(alt.Data(values=ui.timeline_rows(plan))).mark_bar(cornerRadius=3).encode(
        x=alt.X("start:T", title=None), x2="end:T", y=alt.Y("phase:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("phase:N", legend=None), tooltip=["phase:N", "start:T", "end:T"])
    st.altair_chart(chart, width="stretch")
    anchor = f"{name}-src"
    numbers = {c.n for c in plan.citations}
    if plan.notes:
        st.markdown(f"**{t('facts')}**\n\n" + "\n".join(ui.answer_markdown(f"- {text} {''.join(f'[{n}]' for n in cites)}",
                                                                             numbers, anchor) for text, cites in plan.notes))
    st.markdown(f"**{t('assumptions')}**\n\n" + "\n".join(f"- {ui.escape_md(a)}" for a in plan.assumptions))
    passages = {cid: text for cid, (text, _) in mentor.reader.fetch([c.chunk_id for c in plan.citations]).items()}
    show_cards(ui.source_cards(plan.citations, passages), anchor)
    st.download_button(t("download"), plan_markdown(plan), file_name=f"{name}.md", mime="text/markdown",
                       key=f"{name}-download", on_click="ignore", icon=":material/download:")


def plan_language(opts: Options, text: str) -> str:
    from rag.language import detect_language

    return opts.language or (detect_language(text) if text.strip() else opts.lang)


def plan_page(settings: Settings, opts: Options) -> None:
    from rag.plan import learning_plan

    mentor = get_mentor(settings)
    roadmap = mentor.roadmap
    with st.form("plan-form"):
        st.markdown(f"**{t('known')}**")
        columns = st.columns(2)
        known = {skill for i, (skill, info) in enumerate(roadmap.skills.items())
                 if columns[i % 2].checkbox(info[opts.lang], key=f"know-{skill}")}
        hours = st.number_input(t("hours"), 1.0, 80.0, 10.0, step=1.0, key="plan-hours")
        goal = st.text_input(t("goal"), key="plan-goal", placeholder="ML engineer job")
        start = st.date_input(t("start"), value=date.today(), key="plan-start")
        if st.form_submit_button(t("make_plan"), type="primary", key="plan-submit"):
            st.session_state.plan = learning_plan(roadmap, mentor.reader, known, hours, start,
                                                  plan_language(opts, goal), goal.strip())
    if st.session_state.get("plan"):
        show_plan(st.session_state.plan, mentor, "learning-plan")


def paper_page(settings: Settings, opts: Options) -> None:
    from rag.plan import paper_plan

    mentor = get_mentor(settings)
    with st.form("paper-form"):
        title = st.text_input(t("title"), key="paper-title", placeholder="Attention Is All You Need")
        url = st.text_input(t("url"), key="paper-url", placeholder="https://arxiv.org/abs/1706.03762")
        abstract = st.text_area(t("abstract"), key="paper-abstract", height=100)
        weeks = st.number_input(t("weeks"), 1, 52, 4, key="paper-weeks")
        start = st.date_input(t("start"), value=date.today(), key="paper-start")
        if st.form_submit_button(t("make_paper"), type="primary", key="paper-submit"):
            if title.strip():
                st.session_state.paper = paper_plan(mentor.roadmap, mentor.reader, title, int(weeks), start,
                                                    plan_language(opts, title), url, abstract)
            else:
                st.warning(t("need_title"))
    if st.session_state.get("paper"):
        show_plan(st.session_state.paper, mentor, "paper-plan")


def library_page(settings: Settings, opts: Options) -> None:
    from rag.corpus import load_corpus
    from rag.engine import status

    s = status(settings)
    st.subheader(t("status"))
    cols = st.columns(3)
    cols[0].metric(t("model"), s.manifest.model_id.split("@")[0] if s.manifest else "—")
    cols[1].metric(t("chunks"), s.manifest.chunk_count if s.manifest else 0)
    cols[2].metric(t("stale"), t("yes") if s.stale_files or not s.manifest else t("no"))
    st.caption(f"{s.index_dir} · " + (f"built {s.manifest.built_at} by {s.manifest.model_id}" if s.manifest
                                       else "no index yet") + f" · model {s.model_dir}")
    if s.stale_files:
        st.warning("Changed since the last index run: " + ", ".join(s.stale_files))
    if st.button(t("reindex") if s.manifest else t("build"), key="reindex", type="primary"):
        guarded(lambda: build_index(settings), settings)
    st.subheader(t("corpus"))
    docs, problems = load_corpus(settings.corpus_dir) if settings.corpus_dir.is_dir() else ([], [])
    st.dataframe([{"title": d.title, "kind": d.kind, "language": ", ".join(d.lang), "link": ui.safe_url(d.source_url),
                   "file": d.path} for d in docs], hide_index=True,
                 column_config={"link": st.column_config.LinkColumn("link")})
    st.subheader(t("problems"))
    if problems:
        st.dataframe([{"file": p.path, "problem": p.problem} for p in problems], hide_index=True)
    else:
        st.success(t("no_problems"))


def evals_page(settings: Settings, opts: Options) -> None:
    path = Path(os.environ.get("MENTOR_EVAL_REPORT") or PACKAGE_ROOT / "evals" / "reports" / "latest" / "report.json")
    report = ui.load_json(path)
    if report is None:
        st.info(t("no_report", path=path))
    else:
        show_report(report, path.parent)
    run_eval_button(settings, path.parent)
    st.subheader(t("feedback"))
    db = settings.home / feedback.FILE_NAME
    rows = feedback.list_feedback(db)
    if rows:
        st.dataframe(rows, hide_index=True)
        st.download_button(t("export"), feedback.export_csv(db), file_name="feedback.csv", mime="text/csv",
                           key="feedback-csv", on_click="ignore", icon=":material/download:")
    else:
        st.caption(t("no_feedback"))


def baseline_path() -> Path:
    return Path(os.environ.get("MENTOR_EVAL_BASELINE") or PACKAGE_ROOT / "evals" / "baseline.json")


def show_report(report: dict, folder: Path) -> None:
    baseline = ui.load_json(baseline_path()) or {}
    st.subheader(t("report"))
    flat = ui.flatten(report.get("summary", {}))
    st.badge("passed" if report.get("passed") else "failed", color="green" if report.get("passed") else "red")
    st.caption(f"{report.get('created_at', '')} · {report.get('backend', '')} · {report.get('n_cases', 0)} cases · "
               f"{report.get('cases_file', '')}")
    present = ui.headline(flat)
    for row in range(0, len(present), 4):
        for col, (name, label) in zip(st.columns(4), present[row:row + 4]):
            before = baseline.get(name)
            col.metric(label, f"{flat[name]:.3g}", None if before is None else f"{flat[name] - before:+.3g}",
                       delta_color="inverse" if any(w in name for w in ui.LOWER_IS_BETTER) else "normal")
    st.subheader(t("checks"))
    st.dataframe(report.get("checks", []), hide_index=True)
    st.subheader(t("cases"))
    st.dataframe([{k: c.get(k) for k in ("passed", "id", "language", "kind", "question", "answer", "hit_rank",
                                         "latency_ms")} | {"failures": "; ".join(c.get("failures", []))}
                  for c in report.get("cases", [])], hide_index=True)
    for chart in ui.chart_files(report, folder):
        st.image(str(chart), caption=chart.name)
    if baseline:
        st.subheader(t("baseline"))
        st.dataframe(ui.baseline_rows(flat, baseline), hide_index=True)


def run_eval_button(settings: Settings, out_dir: Path) -> None:
    try:
        from rag.evaluation import run_eval
    except ImportError:
        st.info(t("no_eval"))
        return
    if st.button(t("run_eval"), key="run-eval"):
        bar = st.progress(0.0)

        def run() -> None:
            takes = inspect.signature(run_eval).parameters
            extra = {"mentor": get_mentor(settings)} if "mentor" in takes else {}  # reuse the loaded model
            if "baseline" in takes:
                extra["baseline"] = ui.load_json(baseline_path())
            run_eval(settings, PACKAGE_ROOT / "evals" / "cases.yaml", out_dir, **extra,
                     progress=lambda done, total: bar.progress(min(done / total, 1.0) if total else 1.0,
                                                               text=f"{done}/{total}"))
            st.rerun()

        guarded(run, settings)


def main() -> None:
    wide = st.session_state.get("page", "chat") != "chat"  # tables want width; a chat reads better narrow
    st.set_page_config(page_title="mentor", page_icon="🧭", layout="wide" if wide else "centered")
    try:
        settings = Settings.from_env()
    except MentorError as err:
        show_error(err, None)
        st.stop()
    page, opts = sidebar(settings)
    pages = {"chat": chat_page, "plan": plan_page, "paper": paper_page, "library": library_page, "evals": evals_page}
    guarded(lambda: pages[page](settings, opts), settings)


main()
