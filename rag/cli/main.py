"""The `mentor` command group: every subcommand, with examples in --help. Commands import their work lazily."""

from __future__ import annotations

import click

from .answer_commands import ask, paper, plan
from .base import examples
from .eval_command import eval_command
from .index_commands import index, search, setup, setup_llm, status
from .profile_commands import done, next_command, profile


@click.group(
    epilog=examples(
        "mentor setup                      # prepare the embedding model (once, offline)",
        "mentor index                      # index corpus/ (seconds when nothing changed)",
        'mentor search "What should I learn after Python?"',
        'mentor ask "What should I learn after Python?"',
        'mentor ask --json "学完 Python 之后我应该学什么？"',
        "mentor plan --know python,git --hours-per-week 10",
        'mentor paper "Attention Is All You Need" --hours-per-week 8',
        'mentor search "学完 Python 之后我应该学什么？" -k 3 --json',
        "mentor status                     # corpus, model, index, staleness",
        "mentor profile set --know python --hours-per-week 10   # your profile (--learner / MENTOR_LEARNER)",
        'mentor done "Andrew Ng\'s course"   # check off a milestone; mentor next: what comes after',
    ), context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mentor")
def main() -> None:
    """mentor: an offline ML-engineering mentor that answers from cited guides and notes.

    State lives in MENTOR_HOME (default ~/.mentor); the corpus in MENTOR_CORPUS
    (default: the corpus/ folder of this project).
    """


for command in (setup, setup_llm, index, search, status, ask, plan, paper, eval_command, profile, done, next_command):
    main.add_command(command)
