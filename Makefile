# The two commands of the README: `make run` (set up, index, start) and `make test`.
# Every step is skipped when already done, so a second `make run` takes seconds.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run install setup index test reliability eval bench browser clean help

help:
	@echo "make run    set up everything (venv, model, index) and open the mentor app"
	@echo "make test   run the whole test suite"
	@echo "make reliability  the reliability suite with its soak test (5,000 questions while the index is rebuilt; ~10 min)"
	@echo "make eval   run the golden eval set (fails when a metric regresses)"
	@echo "make bench  run the benchmark (about 40 min with the embedders part; writes bench/results.md)"
	@echo "make browser  install Chromium, chromedriver and fonts for the browser test (apt; root or sudo)"
	@echo "make clean  remove the virtualenv (your index in MENTOR_HOME stays)"

# The app on http://localhost:8501 (loopback only, no usage stats: .streamlit/config.toml).
run: index
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $${PORT:-8501}

install: $(STAMP)

# torch first, pinned: its CPU wheel. Unpinned, pip would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --quiet torch==2.13.0
	$(BIN)/pip install --disable-pip-version-check --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/mentor setup

index: setup
	$(BIN)/mentor index

# The browser test needs Debian's Chromium: installed first when we may (root or sudo).
# A worker a core (pytest-xdist), a test file to one worker so its module fixtures are built once;
# TEST_WORKERS=0 runs the suite in one process.
test: $(STAMP)
	@scripts/install_browser.sh || echo "(no Chromium: the browser test is skipped outside CI)"
	$(BIN)/python -m pytest -n $${TEST_WORKERS:-auto} --dist loadfile

# Every reliability test, the soak test included (`-m ""` lifts the default `not soak`).
reliability: $(STAMP)
	$(BIN)/python -m pytest -m "" tests/test_reliability.py tests/test_server_mode.py tests/test_corpus_safety.py \
		tests/test_inputs.py tests/test_browser_safety.py

eval: index
	$(BIN)/mentor eval

# The benchmark (bench/README.md): the bench extra (LangChain baseline) once, then `python -m bench.run`.
# BENCH_ARGS=--quick for a faster check (10k synthetic chunks, not 100k; answers timed over 1,500 questions).
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --disable-pip-version-check --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# tests/test_browser.py drives Debian's headless Chromium; this installs it (once; quiet when present).
browser:
	scripts/install_browser.sh

clean:
	rm -rf $(VENV)
