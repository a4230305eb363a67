# `make demo` and `make test` each set themselves up from nothing:
# only Python 3.10+, git and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo serve test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# Two stamps, so that `make demo` installs what qacast needs to run and no more,
# and `make test` adds the test tools on top (in either order). Each re-installs
# only when the project's dependencies change. -qq: errors only, not setuptools'
# notes about editable installs.
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.installed-runtime
	$(BIN)/python -m pip install -qq -e '.[dev]'
	touch $@

# Renders every script in scripts/ into out/, with the feed and the site.
demo: $(VENV)/.installed-runtime
	$(BIN)/qacast build .
	@echo "Episodes, feed and site are in $(CURDIR)/out/."
	@echo "qacast is $(CURDIR)/$(BIN)/qacast (or run 'source $(BIN)/activate' to call it qacast)."
	@echo "Listen, or subscribe from a podcast app on this machine: make serve"

# Serves out/ on http://127.0.0.1:8000/ until Ctrl-C.
serve: $(VENV)/.installed-runtime
	$(BIN)/qacast serve .

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check qacast tests benchmarks
	$(BIN)/ruff format --check qacast tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed
	cd benchmarks && ../$(BIN)/python bench_render.py && ../$(BIN)/python bench_master.py \
		&& ../$(BIN)/python bench_build.py all

clean:
	rm -rf out/*.mp3 .qacast $(VENV)
