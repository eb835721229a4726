"""The environment the model libraries (onnxruntime, tokenizers, torch, transformers) are imported under.

Set just before they are first imported, never on importing this module: never reach a model hub, no
progress bars, and OpenMP threads that wait passively (spinning ones make one query encode take
0.2–2 s instead of ~20 ms when another process shares the 2 cores, measured by bench/). A light module,
so that asking whether a model is exported (`mentor status`) imports nothing heavy.
"""

from __future__ import annotations

import os

LIBRARY_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                       "HF_HUB_DISABLE_PROGRESS_BARS": "1", "OMP_WAIT_POLICY": "PASSIVE"}


def prepare_library_environment() -> None:
    """Apply LIBRARY_ENVIRONMENT, leaving any variable the user set alone."""
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
