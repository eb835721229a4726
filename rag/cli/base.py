"""What every `mentor` command shares: examples in --help, and errors turned into a sentence and a fix.

Every `MentorError` becomes one sentence plus the command that fixes it (exit 1), an argument
that is not UTF-8 included; a usage mistake (click's UsageError, BadParameter, …) is shown as click shows it
(the usage line, exit 2); no traceback reaches the user unless MENTOR_DEBUG=1 is set.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from ..errors import MentorError, QueryError


def examples(*lines: str) -> str:
    """An epilog click prints as written (the \\b line stops it re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def handled(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command's body; turn known errors into a fix-it message and exit code 1."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            decodable_arguments(kwargs)
            return command(*args, **kwargs)
        except MentorError as err:
            click.secho(f"Error: {err}", fg="red", err=True)
            if err.hint:
                click.echo(f"Fix: {err.hint}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted. Nothing already indexed was lost; run the command again to finish.", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):  # click shows these itself
            raise
        except BrokenPipeError:  # the reader went away (`mentor status | head`): nothing to say, nowhere to say it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
            sys.exit(0)
        except Exception as err:  # a bug: say so in one line unless debugging
            if os.environ.get("MENTOR_DEBUG"):
                raise
            detail = " ".join(str(err).split())
            detail = detail if len(detail) <= 200 else detail[:200] + " …"
            click.secho(f"Error: unexpected {type(err).__name__}: {detail}", fg="red", err=True)
            click.echo("Fix: run again with MENTOR_DEBUG=1 to see the details, and report them.", err=True)
            sys.exit(2)

    return run


def confirmed(question: str, err: bool = False) -> bool:
    """The user's yes to `question` (asked on standard error with `err`); no answer (end of input, no terminal,
    Ctrl-C) is a no."""
    try:
        return click.confirm(question, default=False, err=err)
    except click.Abort:
        click.echo("", err=True)
        return False


def decodable_arguments(arguments: dict[str, Any]) -> None:
    """Refuse an argument that is not UTF-8 (Python keeps such bytes as lone surrogates, which no output can
    print) with a sentence naming it, before the command reads it."""
    from ..answer.inputs import decodable

    for name, value in arguments.items():
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str):
                decodable(f"--{name.replace('_', '-')} argument" if name not in ("question", "title") else name, text)


def language(choice: str, *texts: str) -> str:
    """The language asked for, or the first non-empty text's ("auto")."""
    from ..lang import registry

    if choice != "auto":
        return choice
    return next((registry.detect(t) for t in texts if t and t.strip()), registry.DEFAULT)


def language_codes() -> list[str]:
    """The language packs' codes, for a --lang choice."""
    from ..lang import registry

    return list(registry.codes())


def language_option() -> Any:
    from ..lang import registry

    return click.option("--lang", type=click.Choice(["auto", *registry.codes()]), default="auto", show_default=True,
                        help="Language of the mentor's own words (quotes stay as written).")


class StartingPointChoice(click.Choice):
    """The roadmap's starting points (`plan --starting-point`), in any case, read from the configured corpus when
    first needed rather than each time `mentor` starts. A roadmap that cannot be read leaves the value unchecked:
    the command itself then says what is wrong with the roadmap."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=False)
        self.read: dict[Any, tuple[str, ...]] = {}  # by corpus folder

    def starting_points(self) -> tuple[str, ...]:
        from ..answer.starting import starting_points
        from ..config import Settings
        from ..ingest.roadmap import load_roadmap

        try:
            corpus = Settings.from_env().corpus_dir
            if corpus not in self.read:
                self.read[corpus] = tuple(starting_points(load_roadmap(corpus)))
        except MentorError:
            return ()  # not kept: the next command may find the roadmap mended
        self.choices = self.read[corpus]
        return self.choices

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return super().get_metavar(param, ctx) if self.starting_points() else "NAME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(value, param, ctx) if self.starting_points() else value


def read_text(path: str, what: str = "file of questions, one a line,") -> str:
    """A UTF-8 file's text ('-': standard input); `what` names the file in the fix of an error."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
        return data.decode("utf-8-sig")
    except OSError as err:
        raise QueryError(f"Cannot read {path}: {err.strerror}.", f"Give a readable {what} or - for stdin.") from err
    except UnicodeDecodeError as err:
        raise QueryError(f"{path} is not UTF-8 text.", f"Save the {what.rstrip(',')} as UTF-8.") from err


def read_lines(path: str) -> list[str]:
    """The non-empty lines of a UTF-8 file of questions ('-': standard input)."""
    return [line.strip() for line in read_text(path).splitlines() if line.strip()]


def print_json(data: Any, one_line: bool = False) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None if one_line else 2))
