"""Lazy imports: `mentor --help`, `mentor status` and errors come back without loading the model libraries
or Chroma (each command runs in a fresh interpreter, and the test reads what it imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rag.config import PACKAGE_ROOT

MODEL_LIBRARIES = ("onnxruntime", "tokenizers", "torch", "transformers", "sentence_transformers")
PROBE = """import json, sys
from rag.cli import main
try:
    main({args}, standalone_mode=False)
except SystemExit:
    pass
finally:
    print("\\nloaded: " + json.dumps(sorted(m for m in {watched} if m in sys.modules)))
"""


def imported_by(args: list[str], env: dict[str, str], watched: tuple[str, ...]) -> tuple[str, list[str]]:
    """Run `mentor ARGS` in a new interpreter: its output and which of `watched` it imported."""
    probe = PROBE.format(args=repr(args), watched=repr(watched))
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=PACKAGE_ROOT, capture_output=True, text=True,
                          timeout=300)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    output, _, loaded = done.stdout.rpartition("\nloaded: ")
    return output + done.stderr, json.loads(loaded)


def environment(**mentor: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_")}
    return env | {f"MENTOR_{name.upper()}": value for name, value in mentor.items()}


def test_help_imports_no_model_library_chroma_or_langchain(tmp_path):
    watched = (*MODEL_LIBRARIES, "chromadb", "langchain_core", "numpy")
    output, loaded = imported_by(["--help"], environment(home=str(tmp_path)), watched)
    assert "mentor ask" in output and loaded == []


@pytest.mark.slow
def test_status_and_errors_import_neither_the_model_nor_chroma(tmp_path, model_dir):
    env = environment(home=str(tmp_path), model=str(model_dir))
    output, loaded = imported_by(["status"], env, (*MODEL_LIBRARIES, "chromadb", "langchain_core"))
    assert "(ready)" in output and "not built" in output and loaded == []
    for args, message in ((["ask", "How much math do I need?"], "No index has been built yet"),
                          (["search", "   "], "The question is empty."),
                          (["ask", "--file", str(tmp_path / "absent.txt")], "absent.txt")):
        output, loaded = imported_by(args, env, (*MODEL_LIBRARIES, "chromadb"))
        assert message in output and loaded == [], args
