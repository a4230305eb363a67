"""Where the test fixtures and the repository's own files are, from any test folder.

Test files live one folder down (tests/script/, tests/build/, ...), so a path
taken from a test file's own location would depend on which folder it is in.
"""

from __future__ import annotations

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
REPO_DIR = TESTS_DIR.parent
SAMPLE_SCRIPT = REPO_DIR / "scripts" / "mvp-interview.txt"
