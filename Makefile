# Bot Workbench — the two commands a newcomer needs: `make lab` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8888
LAB_ARGS ?=
# JupyterLab refuses to start as root (containers, CI machines) unless told it is fine.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
STAMP := $(VENV)/.installed

.PHONY: lab test install lint typecheck layers unit bench bench-server clean

# The JupyterLab extension (extension/) is built into workbench/labextension by the install
# (hatch-jupyter-builder runs npm): a change of its sources installs again.
EXTENSION_SOURCES := $(wildcard extension/src/*.ts extension/style/*.css) extension/package.json

$(STAMP): pyproject.toml $(EXTENSION_SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# a changed extension source (a stylesheet too) builds the extension again
	$(if $(filter extension/%,$?),rm -rf workbench/labextension)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# bytecode now, as pip does for installed packages: where PYTHONDONTWRITEBYTECODE is set
	# (containers, CI images), every import would compile the sources again
	$(BIN)/python -m compileall -q workbench >/dev/null
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Bot Workbench)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

## make lab: set up (first time) and open JupyterLab on the first tutorial notebook
# JupyterLab prints (and opens) its default URL: that notebook, not the Launcher. In JupyterLab 4
# it is LabApp's setting (LabApp overrides ServerApp.default_url); tests/e2e/test_make_lab.py
# starts JupyterLab with this very command and opens the URL it prints.
TUTORIAL ?= notebooks/01-first-bot.ipynb
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. --port=$(PORT) $(ALLOW_ROOT) --LabApp.default_url=/lab/tree/$(TUTORIAL) $(LAB_ARGS)

## make test: lint, types, layers, then the whole test suite
test: $(STAMP) lint typecheck layers unit

lint: $(STAMP)
	$(BIN)/ruff check workbench tests benchmarks sample_bots
	$(BIN)/ruff format --check workbench tests benchmarks sample_bots

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -q tests sample_bots

# Benchmarks get their own venv: botbuilder-dialogs pins an old babel that breaks JupyterLab.
BENCH_VENV ?= .venv-bench
bench:
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	$(BENCH_VENV)/bin/python benchmarks/engine.py

## make bench-server: workbench serve over HTTP (memory, SQLite, PostgreSQL) beside botbuilder on aiohttp
bench-server:
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	$(BENCH_VENV)/bin/python benchmarks/server.py

clean:
	rm -rf $(VENV) .venv-bench .mypy_cache .ruff_cache .pytest_cache
