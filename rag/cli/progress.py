"""How `mentor index` shows its embedding progress: a bar on a terminal, a few plain lines anywhere else."""

from __future__ import annotations

from typing import Any

import click


class EmbeddingProgress:
    """`progress(done, total)` of an index run (texts: the chunks, then the quotable sentences and section questions
    no earlier generation had): a bar on a terminal; else (piped, a log file) a plain line at each quarter, since a
    bar's updates would be thousands of lines there."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.quarters = stream, -1
        self.bar: Any = None  # tqdm, made at the first update
        self.terminal = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not total:
            return
        if not self.terminal:
            if (quarter := 4 * done // total) > self.quarters:
                self.quarters = quarter
                click.echo(f"Embedding: {done} of {total} texts ({100 * done // total}%)", file=self.stream)
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="text", desc="Embedding", file=self.stream, dynamic_ncols=True)
        self.bar.total, self.bar.n = total, done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
