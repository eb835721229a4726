"""A folder made read-only for the tests' own process, as a read-only mount or a copy without write permission is."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` read-only until the block ends: as root (who writes whatever the permissions say) a read-only bind
    mount of it over itself, else every write permission in it taken away. Either way what a link in it points to
    stays as it was (a test links the session's index into a read-only home)."""
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True, text=True)
        if mounted.returncode:
            pytest.skip(f"cannot mount a folder read-only here: {mounted.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)  # even while a client still holds a file
        return
    modes = {path: path.stat().st_mode for path in (folder, *folder.rglob("*")) if not path.is_symlink()}
    for path, mode in modes.items():
        path.chmod(mode & ~0o222)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
