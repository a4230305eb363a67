# `make demo` and `make test` each set themselves up from nothing:
# only Python 3.10+, git and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-install only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Renders every script in scripts/ into out/, with the feed and the site.
demo: $(VENV)/.installed
	$(BIN)/qacast build .
	@echo "Episodes, feed and site are in $(CURDIR)/out/ (try: $(BIN)/qacast serve .)"

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
