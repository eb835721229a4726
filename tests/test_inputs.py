"""Every input a learner gives: a sentence and a fix with the right exit code for arguments that are not UTF-8,
dates out of range and texts over their limit; formula cells neutralised in the feedback export; the app
listening on loopback only."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from rag.answer.inputs import paper_inputs, plan_start
from rag.app import feedback
from rag.cli import main
from rag.config import PACKAGE_ROOT, Settings
from rag.errors import QueryError

from .test_browser import running_app


def run(*args, **kwargs):
    result = CliRunner().invoke(main, list(args), **kwargs)
    assert "Traceback" not in result.output and "unexpected" not in result.output
    return result


def test_an_argument_that_is_not_utf8_is_a_sentence_and_a_fix(tmp_path):
    """The real command line: the shell hands Python bytes, which it keeps as lone surrogates."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), "MENTOR_HOME": str(tmp_path / "home"),
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    cases = [([b"ask", b"caf\xe9 au lait?"], "The question is not UTF-8 text (it holds the byte 0xe9"),
             ([b"paper", b"R\xe9sNet"], "The title is not UTF-8 text (it holds the byte 0xe9"),
             ([b"plan", b"--goal", b"\xff\xfe"], "The --goal argument is not UTF-8 text (it holds the bytes 0xff, 0xfe")]
    for args, says in cases:
        done = subprocess.run([sys.executable, "-m", "rag.cli", *args], env=env, capture_output=True, timeout=120)
        err = done.stderr.decode()
        assert done.returncode == 1 and says in err and "Fix: " in err and "Traceback" not in err, err


@pytest.mark.parametrize("args, says", [
    (["plan", "--start", "9999-12-01"], "cannot start on 9999-12-01"),
    (["paper", "Attention", "--start", "1066-10-14"], "cannot start on 1066-10-14"),
    (["paper", "x" * 1_000_000], "paper title is 1,000,000 characters long; the limit is 300"),
    (["paper", "ResNet", "--url", "https://arxiv.org/" + "a" * 600], "paper link is 618 characters long"),
    (["plan", "--goal", "g" * 201], "goal is 201 characters long; the limit is 200"),
    (["plan", "--know", "python," * 100], "--know list is 700 characters long"),
])
def test_out_of_range_dates_and_over_long_texts_are_refused_before_any_work(args, says):
    result = run(*args)
    assert result.exit_code == 1 and says in result.output and "Fix:" in result.output


def test_an_over_long_abstract_file_is_refused(tmp_path):
    abstract = tmp_path / "abstract.txt"
    abstract.write_text("We propose a network. " * 400, encoding="utf-8")
    result = run("paper", "ResNet", "--abstract-file", str(abstract))
    assert result.exit_code == 1 and "abstract is 8,799 characters long; the limit is 5,000" in result.output


def test_limits_live_in_settings_and_a_start_inside_them_passes():
    from datetime import date

    settings = Settings()
    assert paper_inputs(settings, "ResNet", "https://arxiv.org/abs/1512.03385", "") == (
        "ResNet", "https://arxiv.org/abs/1512.03385", "")
    assert plan_start(settings, date(2100, 12, 31)) == date(2100, 12, 31)
    with pytest.raises(QueryError, match="limit is 10"):
        paper_inputs(Settings(max_title_chars=10), "Deep Residual Learning", "", "")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_feedback_export_neutralises_every_formula_start(tmp_path, start):
    db = tmp_path / feedback.FILE_NAME
    cell = f"{start}HYPERLINK(\"https://x.example\",\"click\")"
    feedback.add(db, cell, cell, "down", comment="=1+1 " + cell, backend=cell, created_at="2026-01-01T00:00:00+00:00")
    (row,) = list(csv.DictReader(io.StringIO(feedback.export_csv(db))))
    assert [row[c] for c in ("question", "answer", "backend")] == ["'" + cell] * 3
    assert row["comment"] == "'=1+1 " + cell


def test_the_app_config_binds_loopback():
    config = tomllib.loads((PACKAGE_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False


def listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net writes them) of the sockets listening on `port`."""
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if table.exists():
            for line in table.read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the listening sockets from /proc/net (Linux)")
def test_plain_streamlit_run_listens_on_loopback_only(tmp_path):
    """`streamlit run app.py` with no --server.address, as a user types it: the config binds 127.0.0.1."""
    settings = {"MENTOR_HOME": str(tmp_path / "home"), "MENTOR_EVAL_REPORT": str(tmp_path / "no-report.json")}
    with running_app(settings, tmp_path / "streamlit.log", flags=()) as (_, port):
        addresses = listening(port)
    assert addresses == {"0100007F"}, addresses  # 127.0.0.1; never 00000000 (all interfaces) or ::
