# `make demo` and `make test` each set themselves up from nothing:
# only Python 3.10+, git and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# Every package comes at the version uv.lock pins, checked against its hashes.
# uv itself is pinned here and kept apart from the project's packages (in its
# own folder of the venv, outside site-packages), so syncing never touches it;
# the folder is named by the version, so a new pin installs the new uv.
UV_VERSION := 0.13.9
UV_DIR := $(VENV)/uv-$(UV_VERSION)
UV := $(UV_DIR)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
# The venv's Python is the one to use: never fetch another.
export UV_PYTHON_DOWNLOADS := never
# Bytecode compiled at install, as pip does: a first run neither pays for it nor
# shows the warnings a dependency's source raises while being compiled.
export UV_COMPILE_BYTECODE := 1

.PHONY: demo serve test lint bench lock check-lock sync clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The venv's own pip, whatever its age, installs uv's wheel (a single binary).
$(UV): | $(BIN)/python
	$(BIN)/python -m pip install -qq --disable-pip-version-check --target $(UV_DIR) \
		uv==$(UV_VERSION)

# Fails, saying what to do, when uv.lock no longer matches pyproject.toml. uv
# exits 1 for that, and 2 for its own trouble (no network), which gets no advice.
define check_lock
@$(UV) lock --check -q; rc=$$?; \
if [ $$rc = 1 ]; then \
	echo "uv.lock is stale: pyproject.toml changed since it was made." \
		"Run 'make lock' and commit uv.lock." >&2; \
fi; exit $$rc
endef

# Two stamps, so that `make demo` installs what qacast needs to run and no more,
# and `make test` adds the test tools on top (in either order). Each re-syncs
# only when the project's dependencies or the lock change. qacast itself is
# installed editable. --locked: a lock that no longer matches pyproject.toml
# stops the install (run `make lock`), never silently re-resolved. --inexact: the
# runtime sync leaves the test tools (and any extra added by hand) in place.
$(VENV)/.installed-runtime: pyproject.toml uv.lock | $(UV)
	$(check_lock)
	$(UV) sync -q --locked --inexact
	touch $@

$(VENV)/.installed: pyproject.toml uv.lock $(VENV)/.installed-runtime
	$(check_lock)
	$(UV) sync -q --locked --inexact --extra dev
	touch $@

# The venv with more extras, at the lock's versions: `make sync EXTRAS="dev neural"`
# adds the Piper voices that their tests need.
sync: $(VENV)/.installed-runtime
	$(UV) sync -q --locked --inexact $(addprefix --extra ,$(EXTRAS))

# Re-resolves uv.lock after a change to pyproject.toml's dependencies, keeping
# every other pin as it is (`$(UV) lock --upgrade` moves them all to the newest).
lock: | $(UV)
	$(UV) lock

check-lock: | $(UV)
	$(check_lock)

# Renders every script in scripts/ into out/, with the feed and the site.
demo: $(VENV)/.installed-runtime
	$(BIN)/qacast build .
	@echo "Episodes, feed and site are in $(CURDIR)/out/."
	@echo "qacast is $(CURDIR)/$(BIN)/qacast (or run 'source $(BIN)/activate' to call it qacast)."
	@echo "Listen, or subscribe from a podcast app on this machine: make serve"

# Serves out/ on http://127.0.0.1:8000/ until Ctrl-C.
serve: $(VENV)/.installed-runtime
	$(BIN)/qacast serve .

# One line per test file as it runs; at the end, the slowest files and why
# each skipped test was skipped.
test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check qacast tests benchmarks .ci
	$(BIN)/ruff format --check qacast tests benchmarks .ci
	$(BIN)/mypy
	$(BIN)/mypy .ci/plain_install_check.py

bench: $(VENV)/.installed
	cd benchmarks && ../$(BIN)/python bench_render.py && ../$(BIN)/python bench_master.py \
		&& ../$(BIN)/python bench_build.py all

clean:
	rm -rf out/*.mp3 .qacast $(VENV)
