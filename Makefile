# The two commands of the README: `make run` (set up, index, start) and `make test`.
# Every step is skipped when already done, so a second `make run` takes seconds.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run install setup index test clean help

help:
	@echo "make run    set up everything (venv, model, index) and run the mentor"
	@echo "make test   run the whole test suite"
	@echo "make clean  remove the virtualenv (your index in MENTOR_HOME stays)"

run: index
	$(BIN)/mentor search "What should I learn after Python?"

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

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)
