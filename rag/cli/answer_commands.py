"""`mentor ask`, `plan` and `paper`: answers and plans, cited to the guides."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..config import Settings
from ..errors import ProfileError, QueryError
from ..llm import registry as backends
from .base import (StartingPointChoice, confirmed, examples, handled, language, language_option, print_json,
                   read_lines, read_text)
from .profile_commands import may_be_blank, progress_of, saved_or_blank, say_if_new


@click.command(epilog=examples(
    'mentor ask "What should I learn after Python?"',
    'mentor ask --json "学完 Python 之后我应该学什么？"',
    "mentor ask --file questions.txt --json      # one JSON object a line",
    'echo "How long until I can get an MLE job?" | mentor ask --file - --json',
    'mentor ask -k 2 "How much math do I need?"    # at most two sources',
    'mentor ask --continue "And which books?"      # a follow-up in your latest conversation',
    'mentor ask --backend ollama "需要多少数学？"   # an LLM writes, cited in code; falls back to embedded',
))
@click.argument("question", nargs=-1)
@click.option("--file", "file", type=str, metavar="FILE",
              help="Ask every line of this file ('-' for stdin), loading the model once.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object a line with --file).")
@click.option("-k", "--sources", type=click.IntRange(1, 12), default=None,
              help="The most sources an answer cites (default MENTOR_SOURCES_PER_ANSWER, else 4).")
@language_option()
@click.option("--backend", type=click.Choice(backends.names()), default=None,
              help="Who writes the answer (default MENTOR_LLM_BACKEND, else embedded); an LLM that fails falls back.")
@click.option("--learner", default=None, help="Whose profile answers use (default MENTOR_LEARNER, else the default learner).")
@click.option("--continue", "resume", is_flag=True,
              help="Continue the learner's latest conversation: a follow-up is read with its earlier questions.")
@click.option("--no-save", is_flag=True, help="Keep this question and answer out of the learner's conversations.")
@handled
def ask(question: tuple[str, ...], file: str | None, as_json: bool, sources: int | None, lang: str,
        backend: str | None, learner: str | None, resume: bool, no_save: bool) -> None:
    """Answer a question from the guides and notes, with numbered sources.

    The answer quotes the corpus verbatim and marks each point with [n]; when the
    corpus does not cover the question it says so and cites nothing. A question and
    its answer are kept in the learner's conversations (the app lists them), a new
    one each time unless --continue; questions from --file are not kept.
    """
    from ..answer.pipeline import final_result
    from ..answer.question import clean_question
    from ..answer.render import answer_markdown
    from ..engine import open_pipeline
    from ..llm.backends import backend_for

    if file and resume:
        raise click.UsageError("--continue takes one question, not --file.")
    if file and question:
        raise click.UsageError("Give a question or --file, not both: the questions come from the file.")
    settings = Settings.from_env()
    questions = read_lines(file) if file else [" ".join(question)]
    if not file:
        try:
            clean_question(questions[0], settings.max_question_chars)  # fail fast, before loading the model
        except QueryError as err:
            if as_json:
                print_json(question_error(questions[0], err))
            raise
    if not questions:
        raise QueryError(f"{file} has no questions in it.", "Put one question on each line.")
    store, name = profile_of(settings, learner)
    saves = not file and not no_save  # else the profile is only read: a learner it does not hold is an error
    person = store.get(name) if saves else saved_or_blank(store, name, "Nothing was asked.")
    conversation, earlier = latest_conversation(store, name) if resume else (None, [])
    writer = backend_for(backend or settings.llm_backend, settings)
    pipeline = open_pipeline(settings)
    rejected = 0
    for text in questions:
        try:
            result = final_result(pipeline.stream(text, earlier, language=None if lang == "auto" else lang, k=sources,
                                                  writer=writer, progress=progress_of(person)))
            answer = result.answer
        except QueryError as err:
            if as_json:
                print_json(question_error(text, err), one_line=bool(file))
            if not file:
                raise
            rejected += 1
            if not as_json:
                click.echo(f"Skipped a question: {err}")
            continue
        if saves:
            keep_turn(store, name, conversation, text, result)
            say_if_new(store, name, person is None)
        if as_json:
            print_json(answer.to_dict(), one_line=bool(file))
        else:
            click.echo(answer_markdown(answer) + ("\n" if file else ""))
        if result.proposal and not file and not as_json and confirmed("Record it?", err=True):
            store.check(name, result.proposal)
            click.echo(f"Recorded for {name}.")
    if rejected:
        where = ('each is a JSON line with its "error" and "fix" on standard output' if as_json
                 else 'each is a "Skipped a question" line in the output')
        click.secho(f"{rejected} of {len(questions)} questions could not be asked ({where}).", fg="red", err=True)
        sys.exit(1)


def question_error(question: str, err: QueryError) -> dict[str, str]:
    """A question that could not be asked, as `ask --json` prints it: the question, the error and its fix."""
    return {"question": question, "error": str(err), "fix": err.hint}


def profile_of(settings: Settings, learner: str | None) -> tuple[Any, str]:
    from ..profile import ProfileStore, clean_name

    return ProfileStore(settings.profile_db), clean_name(learner or settings.learner)


def latest_conversation(store: Any, name: str) -> tuple[int | None, list[str]]:
    """The learner's latest conversation and its questions, oldest first (None and [] when there is none)."""
    from ..app.history import questions_of

    latest = store.conversations(name)
    return (latest[0]["id"], questions_of(store.messages(latest[0]["id"]))) if latest else (None, [])


def keep_turn(store: Any, name: str, conversation: int | None, question: str, result: Any) -> int:
    """Add the question and its answer to `conversation` (a new one, titled by the question, when None)."""
    import uuid

    from ..app.history import assistant_message, to_row

    conversation = conversation or store.start_conversation(name, question)
    for msg in ({"role": "user", "content": question}, assistant_message(question, result, uuid.uuid4().hex[:8])):
        store.add_message(conversation, *to_row(msg))
    return conversation


def show_plan(result: Any, fmt: str) -> None:
    from ..answer.render import plan_markdown

    if fmt == "json":
        print_json(result.to_dict())
    else:
        click.echo(plan_markdown(result))


@click.command(epilog=examples(
    "mentor plan --know python,git --hours-per-week 10",
    'mentor plan --know python,ml --hours-per-week 15 --goal "ML engineer job" --start 2027-01-04',
    "mentor plan --know python,web --starting-point developer   # the guide's estimate for developers",
    "mentor plan --learner me          # from your profile (checked milestones left out), saved to it",
    "mentor plan --hours-per-week 40 --format json",
))
@click.option("--know", default=None, help="Comma-separated skills you have (python, git, ml, math, pytorch, sql, …).")
@click.option("--hours-per-week", type=click.FloatRange(1, 80), default=None,
              help=f"Hours you can study each week (1 to 80; default the profile's, else "
                   f"{Settings.default_hours_per_week:g}).")
@click.option("--goal", default=None, help="What you aim for, shown in the plan's title.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day of the plan (default the profile's start date, else today).")
@click.option("--starting-point", type=StartingPointChoice(), default=None,
              help="The guides' estimate to use, in any case (default: the one --know fits).")
@click.option("--learner", default=None, help="Whose profile fills in what you leave out (default MENTOR_LEARNER, else the "
              "default learner); naming one also saves the plan to their profile.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@language_option()
@handled
def plan(know: str | None, hours_per_week: float | None, goal: str | None, start: Any, starting_point: str | None,
         learner: str | None, fmt: str, lang: str) -> None:
    """A dated learning plan from what you know to an ML-engineering job, from the guides' own estimate for
    your starting point, cited to the guides.

    What you leave out (skills, hours, goal, start date, language) comes from the profile; checked stages are
    left out of the plan. The plan is saved to the profile when you name the learner with --learner.
    """
    from datetime import date

    from ..answer.inputs import plan_start, within
    from ..answer.plan import learning_plan
    from ..engine import load_embeddings, open_reader
    from ..ingest.roadmap import load_roadmap, parse_known
    from ..lang import registry
    from ..profile import Learner, effective_known

    settings = Settings.from_env()
    goal = None if goal is None else within("goal", goal, settings.max_goal_chars)
    know = None if know is None else within("--know list", know, settings.max_skills_chars)
    store, name = profile_of(settings, learner)
    # Named, the plan is saved to the learner, who is made if new (said, once the plan is made); else the profile is
    # only read: a learner it does not hold is an error, and a database that cannot be read leaves the plan to the
    # options (said).
    saved = store.get(name) if learner else profile_read(settings, None)
    person = saved or (Learner.blank(name) if learner else None)
    first_day = plan_start(settings, start.date()) if start else profile_start(settings, person) or date.today()
    roadmap = load_roadmap(settings.corpus_dir)
    known = parse_known(roadmap, know.split(",")) if know is not None else set(person.skills if person else ())
    if person:
        known = effective_known(roadmap, progress_of(person)) | known
    hours = hours_per_week or (person.hours_per_week if person else settings.default_hours_per_week)
    goal = goal if goal is not None else (person.goal if person else "")
    if lang == "auto" and person and person.language in registry.codes():
        lang = person.language
    reader = open_reader(settings, load_embeddings(settings))
    result = learning_plan(roadmap, reader, known, hours, first_day, language(lang, goal), goal, starting=starting_point)
    show_plan(result, fmt)  # shown before it is saved: a home that cannot be written still gets its plan
    if learner:
        store.save_plan(name, "learning", result.to_dict())
        say_if_new(store, name, saved is None)


def profile_start(settings: Settings, person: Any) -> Any:
    """The start date saved in the learner's profile, checked as --start is (None when none is saved)."""
    from datetime import date

    from ..answer.inputs import plan_start

    if not (person and person.start_date):
        return None
    fix = "Give --start YYYY-MM-DD, or save another start date with `mentor profile set --start YYYY-MM-DD`."
    try:
        saved = date.fromisoformat(person.start_date)
    except ValueError:
        raise QueryError(f"The start date saved in the profile, {person.start_date!r}, is not a date.", fix) from None
    try:
        return plan_start(settings, saved)
    except QueryError as err:
        raise QueryError(f"{str(err).rstrip('.')} (the start date saved in the profile).", fix) from err


@click.command(epilog=examples(
    'mentor paper resnet --know python,pytorch --hours-per-week 8',
    'mentor paper resnet --learner me         # what you know and your hours a week from your profile',
    'mentor paper "Attention Is All You Need" --format json',
    'mentor paper 残差网络 --start 2027-01-04',
    'mentor paper --list                      # the papers in the catalogue (--format json: as data)',
    'mentor paper "My Unlisted Paper" --url https://arxiv.org/abs/2401.00001 --weeks 6 --abstract-file abstract.txt',
))
@click.argument("title", nargs=-1)
@click.option("--list", "list_papers", is_flag=True, help="List the papers in the catalogue, by field, instead of planning one.")
@click.option("--know", default="", help="Comma-separated skills you have, ticked among the paper's prerequisites "
              "(besides those the profile records).")
@click.option("--hours-per-week", type=click.FloatRange(1, 80), default=None,
              help=f"Hours you can give each week (default the profile's, else {Settings.default_hours_per_week:g}).")
@click.option("--url", default="", help="Where the paper is (shown as given; for a paper not in the catalogue).")
@click.option("--weeks", type=click.IntRange(1, 52), default=None,
              help="Weeks to time-box a paper not in the catalogue to (default 4; a catalogue paper's plan is timed "
                   "by its card and your hours a week).")
@click.option("--abstract-file", type=click.Path(dir_okay=False), default=None,
              help="A text file with the abstract (for a paper not in the catalogue: its task, datasets, metrics).")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="First day (default today).")
@click.option("--learner", default=None, help="Whose profile fills in what you leave out: skills known, hours a week, "
              "language (default MENTOR_LEARNER, else the default learner).")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@language_option()
@handled
def paper(title: tuple[str, ...], list_papers: bool, know: str, hours_per_week: float | None, url: str,
          weeks: int | None, abstract_file: str | None, start: Any, learner: str | None, fmt: str, lang: str) -> None:
    """A dated plan for implementing a paper, cited to its card and to the guides.

    A paper in the catalogue (title or alias: ResNet, 残差网络, "Attention Is All
    You Need", …) gets its prerequisites, laptop-sized dataset, components in
    build order, a sanity check and the paper's reproduction target; any other
    paper gets the guides' method and what its abstract names. What you leave out
    (skills, hours a week) comes from the learner's profile. --list shows the
    catalogue.
    """
    from datetime import date

    from ..answer.inputs import paper_inputs, plan_start, within
    from ..answer.paper_plan import plan_for_paper
    from ..engine import load_embeddings, open_reader
    from ..ingest.catalogue import load_catalogue
    from ..ingest.roadmap import load_roadmap, parse_known
    from ..lang import registry
    from ..profile import effective_known

    settings = Settings.from_env()
    if list_papers:
        if title:
            raise QueryError("--list shows the whole catalogue, so it takes no title.", "Give a title or --list, not both.")
        show_catalogue(load_catalogue(settings.corpus_dir), fmt, lang)
        return
    if not title:
        raise QueryError("No paper title was given.", "Give the paper's title (mentor paper resnet), or --list to see "
                                                      "the catalogue.")
    name, url, abstract = paper_inputs(settings, " ".join(title), url,
                                       read_text(abstract_file, "abstract file").strip() if abstract_file else "")
    first_day = plan_start(settings, start.date() if start else date.today())
    roadmap = load_roadmap(settings.corpus_dir)
    known = parse_known(roadmap, within("--know list", know, settings.max_skills_chars).split(","))
    person = profile_read(settings, learner)
    if person:
        known |= effective_known(roadmap, progress_of(person))
        lang = person.language if lang == "auto" and person.language in registry.codes() else lang
    catalogue = load_catalogue(settings.corpus_dir)
    reader = open_reader(settings, load_embeddings(settings))
    # A title is often English in a Chinese conversation: only a Chinese title picks the language.
    written_in = registry.detect(name)
    result = plan_for_paper(catalogue, roadmap, reader, name, first_day,
                            language(lang, name if written_in != registry.DEFAULT else ""), known,
                            hours_per_week or (person.hours_per_week if person else settings.default_hours_per_week),
                            weeks or settings.paper_weeks, url, abstract)
    unused = [option for option, given in (("--weeks", weeks), ("--url", url), ("--abstract-file", abstract_file))
              if given] if result.inputs.get("in_catalogue", True) else []
    if unused:  # said, not silently dropped: the card gives what these would
        click.echo(f"Note: {', '.join(unused)} {'is' if len(unused) == 1 else 'are'} for a paper not in the catalogue; "
                   f"this plan comes from the card of {result.title}.", err=True)
    show_plan(result, fmt)


def profile_read(settings: Settings, learner: str | None) -> Any:
    """The profile that fills in a plan it is not saved to: the learner named (--learner, else MENTOR_LEARNER; an
    error when the database does not hold them), else the built-in default learner's when there is one (None; a
    database that cannot be read is said, not fatal)."""
    store, name = profile_of(settings, learner)
    try:
        person = store.get(name)
    except ProfileError as err:
        if learner:
            raise
        click.secho(f"Note: the profile was not read ({err}); planning from the options alone.", fg="yellow", err=True)
        return None
    if person is None and not may_be_blank(name):
        saved_or_blank(store, name, "Nothing was planned.")
    return person


def show_catalogue(catalogue: Any, fmt: str, lang: str) -> None:
    """The catalogue's papers by field, each with the id `mentor paper` takes; as data with --format json."""
    from ..answer.paper_routes import by_field
    from ..lang import registry

    lang = language(lang)
    groups = by_field(catalogue.cards)
    skipped = [{"file": p.path, "problem": p.problem} for p in catalogue.problems if p.skipped]
    if fmt == "json":
        print_json({"papers": [{"id": c.id, "name": c.short_name, "title": c.title, "year": c.meta["year"],
                                "field": field, "authors": c.meta["authors"], "url": c.url, "aliases": list(c.aliases)}
                               for field, cards in groups for c in cards], "skipped": skipped})
    else:
        lines = [f"# {registry.label('catalogue', lang)}: {registry.label('papers_count', lang, n=len(catalogue.cards))}"]
        for field, cards in groups:
            lines += ["", f"## {registry.label(f'field_{field}', lang)}", ""]
            lines += [f"- {c.short_name} — {c.title} ({c.meta['year']}) · `{c.id}`" for c in cards]
        click.echo("\n".join(lines))
    if skipped:
        click.echo(f"Note: {len(skipped)} card file(s) skipped with problems; `mentor status` names them.", err=True)
