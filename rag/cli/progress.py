"""How long commands show their progress (`mentor index` embedding, `mentor eval` asking): a bar on a terminal, a few
plain lines anywhere else."""

from __future__ import annotations

from typing import Any

import click


class RunProgress:
    """`progress(done, total)` of a long run (an index run's texts: the chunks, then the quotable sentences and section
    questions no earlier generation had; an eval's cases): a bar on a terminal; else (piped, a log file) a plain line
    at each quarter, since a bar's updates would be thousands of lines there."""

    def __init__(self, stream: Any, label: str = "Embedding", unit: str = "text") -> None:
        self.stream, self.quarters, self.label, self.unit = stream, -1, label, unit
        self.bar: Any = None  # tqdm, made at the first update
        self.terminal = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not total:
            return
        if not self.terminal:
            if (quarter := 4 * done // total) > self.quarters:
                self.quarters = quarter
                click.echo(f"{self.label}: {done} of {total} {self.unit}s ({100 * done // total}%)", file=self.stream)
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=self.unit, desc=self.label, file=self.stream, dynamic_ncols=True)
        self.bar.total, self.bar.n = total, done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
