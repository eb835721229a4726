"""`mentor profile` (show, set, export, import, delete), `mentor done` and `mentor next`: the learner's profile.

The learner is --learner, else MENTOR_LEARNER, else the single default learner ("me"); `profile import`'s is
--learner, else the one the file names. Only what records something for a learner makes one (`profile set`, an
import, `ask`, `plan --learner`), and says so when it is new (a typo is noticed); a command that only reads a
profile takes the default learner as blank until something is saved, and any other name the database does not
hold (MENTOR_LEARNER's too) is an error naming those it does. `profile list` shows them all. Profiles live in
MENTOR_HOME/profiles.sqlite3 (rag.profile). `done` and `profile` need no model or index; `next` answers
through the pipeline with the profile.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ..config import Settings
from .base import confirmed, examples, handled, language_codes, print_json


def learner_option(description: str = "Whose profile (default MENTOR_LEARNER, else the default learner).") -> Any:
    return click.option("--learner", default=None, help=description)


def _open(learner: str | None) -> tuple[Settings, Any, str]:
    from ..profile import ProfileStore, clean_name

    settings = Settings.from_env()
    return settings, ProfileStore(settings.profile_db), clean_name(learner or settings.learner)


def _items(settings: Settings) -> tuple[Any, list]:
    from ..ingest.roadmap import load_roadmap
    from ..profile import catalogue
    from ..profile.items import corpus_titles

    roadmap = load_roadmap(settings.corpus_dir)
    return roadmap, catalogue(roadmap, corpus_titles(settings.corpus_dir))


def is_default(settings: Settings, name: str) -> bool:
    """Whether `name` is the default learner (MENTOR_LEARNER, else "me"; in any case, as names are found)."""
    from ..profile import clean_name

    return name.casefold() == clean_name(settings.learner).casefold()


def may_be_blank(name: str) -> bool:
    """Whether `name` is the built-in default learner ("me"), whose profile is blank until something is saved. Any
    other name, MENTOR_LEARNER's too, was typed: one the database does not hold may be a typo."""
    return name.casefold() == Settings.learner.casefold()


def saved_or_blank(store: Any, name: str, unchanged: str = "") -> Any:
    """The learner's saved profile; the built-in default learner's is blank until something is saved (nothing is
    written to show it); any other name the database does not hold is a ProfileError naming those it does."""
    from ..profile import Learner

    person = store.get(name)
    if person is None and may_be_blank(name):
        return Learner.blank(name)
    if person is None:
        raise unknown_learner(store, name, unchanged)
    return person


def unknown_learner(store: Any, name: str, unchanged: str = "") -> Any:
    """The store's ProfileError for a learner it does not hold (those it does named, and how to start one on
    purpose), saying that `unchanged`."""
    from ..errors import ProfileError

    err = store.unknown_learner(name)
    return ProfileError(f"{err} {unchanged}".strip(), err.hint)


def say_if_new(store: Any, name: str, was_new: bool) -> None:
    """Say on standard error, once, that `name` is a learner just made, naming the others (a typo is noticed)."""
    from ..profile.store import closest_name

    if not was_new or may_be_blank(name):
        return
    others = [n for n in store.learners() if n.casefold() != name.casefold()]
    close = closest_name(name, others)
    said = f"the others: {', '.join(others)}" + (f"; did you mean {close!r}?" if close else "") if others \
        else "the first here"
    click.secho(f"Note: {name!r} is a new learner ({said}). `mentor profile list` shows every learner.", fg="yellow",
                err=True)


def saved_start(settings: Settings, start: Any) -> Any:
    """A start date to save: one a plan can start on (the bounds are `plan_start`'s, Settings.plan_years); else a
    QueryError that names the allowed range."""
    from ..answer.inputs import plan_start
    from ..errors import QueryError

    try:
        return plan_start(settings, start)
    except QueryError as err:
        raise QueryError(f"{err} Nothing was saved.", "Give --start YYYY-MM-DD within those dates.") from err


def progress_of(learner: Any) -> Any:
    """The learner's known skills, checked items and hours a week (none for a learner who has no profile yet: None)."""
    from ..profile import Progress

    return Progress.of(learner)


@click.group(invoke_without_command=True, epilog=examples(
    "mentor profile                                   # show it: skills, hours, goal, progress",
    "mentor profile set --know python,git --hours-per-week 12 --goal \"ML engineer job\"",
    "mentor profile list                              # every learner: hours, goal, skills, last activity",
    "mentor profile export ada.json   /   mentor profile import ada.json",
    "MENTOR_LEARNER=ada mentor profile                # another learner (or --learner ada)",
))
@learner_option()
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
@click.pass_context
@handled
def profile(ctx: click.Context, learner: str | None, as_json: bool) -> None:
    """Show the learner's profile: what they know, hours a week, goal, start date and progress per stage."""
    if ctx.invoked_subcommand:
        ctx.obj = learner
        return
    from ..lang import registry
    from ..profile import next_milestone, per_stage

    settings, store, name = _open(learner)
    person = saved_or_blank(store, name)
    if as_json:
        print_json(person.to_dict())
        return
    roadmap, items = _items(settings)
    lang = person.language or registry.DEFAULT

    def line(label: str, value: object) -> None:
        click.echo(registry.ui("profile_line", lang, label=registry.ui(label, lang), value=value).rstrip())

    progress = progress_of(person)
    line("learner", person.name)
    line("knows", ", ".join(person.skills) or "—")
    line("hours_a_week", f"{person.hours_per_week:g}")
    line("goal", person.goal or "—")
    line("start", person.start_date or "—")
    line("language", person.language or "auto")
    line("progress", "")
    for row in per_stage(roadmap, progress):
        click.echo(f"  {row.done}/{row.total}  {registry.pick(row.stage.title, lang)}")
    upcoming = next_milestone(roadmap, progress)
    if upcoming:
        line("next_milestone", registry.pick(upcoming[0].milestones[upcoming[1]], lang))
    line("checked", "; ".join(i.name(lang) for i in items if i.key in person.checked) or "—")
    click.echo(registry.ui("profile_counts", lang, conversations=len(store.conversations(name)),
                           plans=len(store.plans(name))))


@profile.command("set", epilog=examples("mentor profile set --know python,git --hours-per-week 12",
                                        'mentor profile set --goal "ML engineer job" --start 2027-01-04 --lang zh'))
@click.option("--know", default=None, help="Comma-separated skills you have (replaces the list).")
@click.option("--hours-per-week", type=click.FloatRange(1, 80), default=None)
@click.option("--goal", default=None)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="When you started, the first day of your plans (YYYY-MM-DD, in {}–{}).".format(*Settings.plan_years))
@click.option("--lang", type=click.Choice(language_codes()), default=None, help="The language the mentor speaks to you.")
@learner_option()
@click.pass_obj
@handled
def profile_set(chosen: str | None, learner: str | None, know: str | None, hours_per_week: float | None,
                goal: str | None, start: Any, lang: str | None) -> None:
    """Change parts of the profile; what you leave out stays as it is."""
    from ..answer.inputs import within
    from ..ingest.roadmap import load_roadmap, parse_known

    settings, store, name = _open(learner or chosen)
    new = store.get(name) is None
    # Everything is checked before the first write: a rejected option saves nothing.
    skills = None if know is None else sorted(parse_known(
        load_roadmap(settings.corpus_dir), within("--know list", know, settings.max_skills_chars).split(",")))
    fields = {"hours_per_week": hours_per_week, "language": lang,
              "goal": None if goal is None else within("goal", goal, settings.max_goal_chars),
              "start_date": saved_start(settings, start.date()).isoformat() if start else None}
    if skills is not None:
        store.set_skills(name, skills)
    store.update(name, **{k: v for k, v in fields.items() if v is not None})
    saved = store.learner(name).name  # "Bob" saves to "bob" when that is how the learner was first named
    click.echo(f"Saved the profile of {saved}.")
    say_if_new(store, saved, new)


@profile.command("list", epilog=examples("mentor profile list", "mentor profile list --json"))
@click.option("--json", "as_json", is_flag=True, help="Print the learners as JSON.")
@handled
def profile_list(as_json: bool) -> None:
    """Every learner: hours a week, goal, how many skills, last activity (UTC)."""
    _, store, _ = _open(None)
    rows = store.summaries()
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("No learner has a profile yet: start one with `mentor profile set --learner NAME --hours-per-week 10`.")
        return
    table = [("Learner", "Hours a week", "Skills", "Last activity", "Goal")]
    table += [(r["name"], f"{r['hours_per_week']:g}", str(r["skills"]), r["last_activity"][:16].replace("T", " "),
               r["goal"] or "—") for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        click.echo("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[4]]))


@profile.command("export", epilog=examples("mentor profile export ada.json", "mentor profile export - > ada.json"))
@click.argument("file", default="-")
@learner_option()
@click.pass_obj
@handled
def profile_export(chosen: str | None, learner: str | None, file: str) -> None:
    """Write the whole profile (skills, checks, plans, conversations) as JSON to FILE ('-': stdout)."""
    import json

    from ..profile import export_profile

    _, store, name = _open(learner or chosen)
    text = json.dumps(export_profile(store, name), ensure_ascii=False, indent=2)  # an unknown learner: nothing written
    if file == "-":
        click.echo(text)
    else:
        with open(file, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        click.echo(f"Exported {name}'s profile to {file}.")


@profile.command("import", epilog=examples("mentor profile import ada.json                  # as the learner the file names",
                                           "mentor profile import --learner bob ada.json --yes"))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace a learner who has a profile without asking.")
@learner_option("Import as this learner (default: the learner the file names; MENTOR_LEARNER is not used).")
@click.pass_obj
@handled
def profile_import(chosen: str | None, learner: str | None, file: str, yes: bool) -> None:
    """Import an export as a learner, replacing their profile if they have one (asked first; all or nothing: a
    malformed file changes nothing)."""
    from ..errors import ProfileError
    from ..profile import clean_name, import_profile, read_export

    settings, store, _ = _open(learner or chosen)
    try:
        text = open(file, encoding="utf-8").read()
    except UnicodeDecodeError as err:
        raise ProfileError(f"{file} is not UTF-8 text. Nothing was changed.", "Import a file written by `mentor profile export`.") from err
    named_in_file = clean_name(read_export(text)["learner"]["name"])  # a malformed file is said before anything is asked
    existing = store.get(learner or chosen or named_in_file)
    if existing and not yes and not confirmed(f"Replace every row of {existing.name}'s profile (skills, checks, plans, "
                                              f"conversations) with {file}?"):
        click.echo("Nothing was imported. (--yes replaces without asking.)", err=True)
        sys.exit(1)
    who = import_profile(store, text, learner or chosen)
    from_file = not (learner or chosen) and not is_default(settings, who)
    click.echo(f"Imported the profile of {who}" + (" (the learner the file names; --learner imports it as another)."
                                                   if from_file else "."))


@profile.command("delete", epilog=examples("mentor profile delete --learner ada --yes"))
@click.option("--yes", is_flag=True, help="Do not ask first.")
@learner_option()
@click.pass_obj
@handled
def profile_delete(chosen: str | None, learner: str | None, yes: bool) -> None:
    """Delete the learner and every row of theirs: skills, checks, plans, conversations."""
    _, store, name = _open(learner or chosen)
    store.learner(name, create=False)  # an unknown name is said (with the learners there are) before asking
    if not yes and not confirmed(f"Delete every row of {name}'s profile?"):
        click.echo("Nothing was deleted. (--yes deletes without asking.)", err=True)
        sys.exit(1)
    store.delete_learner(name)
    click.echo(f"Deleted the profile of {name}.")


@click.command(epilog=examples('mentor done "Andrew Ng\'s Machine Learning Specialization"', 'mentor done "吴恩达的课程"',
                               "mentor done --undo milestone:classic-ml:0"))
@click.argument("item", nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Uncheck it instead.")
@learner_option()
@handled
def done(item: tuple[str, ...], undo: bool, learner: str | None) -> None:
    """Check off a milestone or resource you finished (loose words are matched; unknown ones list the closest)."""
    from ..lang import registry
    from ..profile import find

    settings, store, name = _open(learner)
    if not undo:  # a typo makes no learner
        saved_or_blank(store, name, "Nothing was recorded.")
    phrase = " ".join(item)
    found, close = find(_items(settings)[1], phrase, registry.detect(phrase))
    changed = store.check(name, found.key, done=not undo)
    lang = registry.detect(phrase)
    said = {(False, True): "done_recorded", (False, False): "done_already",
            (True, True): "done_undone", (True, False): "done_not_checked"}[undo, changed]
    click.echo(registry.phrase(said, lang, item=found.name(lang).rstrip(".。")))
    if close:
        names = registry.phrase("list_separator", lang).join(f"“{c.name(lang).rstrip('.。')}”" for c in close)
        click.echo(registry.ui("also_close", lang, items=names))


@click.command("next", epilog=examples("mentor next", "mentor next --learner ada --lang zh"))
@learner_option()
@click.option("--lang", type=click.Choice(language_codes()), default=None,
              help="Default: the profile's language (no 'auto': there is no question to detect it from).")
@handled
def next_command(learner: str | None, lang: str | None) -> None:
    """What to learn next, from the profile: known skills and checked milestones, cited to the guides."""
    from ..answer.render import answer_markdown
    from ..engine import open_pipeline

    settings, store, name = _open(learner)
    person = saved_or_blank(store, name)
    language = lang or person.language or "en"
    question = {"en": "What should I learn next?", "zh": "接下来我应该学什么？"}[language]
    result = open_pipeline(settings).ask(question, language=language, progress=progress_of(person))
    click.echo(answer_markdown(result.answer))
