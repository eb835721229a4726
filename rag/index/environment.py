"""The environment the model libraries (onnxruntime, tokenizers, torch, transformers) are imported under,
and numpy's BLAS threads when answering.

Set just before they are first imported, never on importing this module: never reach a model hub, no
progress bars, and OpenMP threads that wait passively (spinning ones make one query encode take
0.2–2 s instead of ~20 ms when another process shares the 2 cores, measured by bench/). A light module,
so that asking whether a model is exported (`mentor status`) imports nothing heavy.
"""

from __future__ import annotations

import os
from functools import cache

LIBRARY_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                       "HF_HUB_DISABLE_PROGRESS_BARS": "1", "OMP_WAIT_POLICY": "PASSIVE"}


def prepare_library_environment() -> None:
    """Apply LIBRARY_ENVIRONMENT, leaving any variable the user set alone."""
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


@cache
def single_threaded_numpy() -> None:
    """numpy's OpenBLAS on one thread, for this process: answering multiplies a query by a few thousand
    vectors (0.3 ms on one thread), and OpenBLAS's spinning threads made that product take ~8 ms when the
    encoder or another process shared the 2 cores (measured). Torch's own BLAS, if loaded, is left alone."""
    import numpy  # noqa: F401  (loaded, so that its OpenBLAS can be found)
    from threadpoolctl import ThreadpoolController

    ThreadpoolController().select(internal_api="openblas").limit(limits=1)
