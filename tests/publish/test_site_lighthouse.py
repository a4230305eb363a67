"""Lighthouse on a real build served by `qacast serve`: benchmarks/lighthouse.py
run as a producer would run it, on the front page and the newest episode page.

Accessibility, best practices and SEO are judged on the pages' markup and
headers, so each must be 100 on any machine. Performance is measured with a
simulated phone and link, but on this machine's clock: it is reported, never
asserted (benchmarks/README.md has the figures).

Needs Chromium (Debian's chromium) and Lighthouse installed by
`python benchmarks/lighthouse.py --install-only` (npm ci of the pinned
version; CI's .ci/run does it): nothing is downloaded while testing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from build_helpers import build, make_show, session_cache

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "lighthouse.py"
CLI = REPO / "benchmarks" / "lighthouse-npm" / "node_modules" / ".bin" / "lighthouse"

if shutil.which("node") is None:
    pytest.skip("Node.js is missing: Lighthouse runs on it", allow_module_level=True)
if not CLI.exists():
    pytest.skip(
        "Lighthouse is not installed: run python benchmarks/lighthouse.py --install-only",
        allow_module_level=True,
    )
if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium is missing: install Debian's chromium", allow_module_level=True)


def test_site_scores_full_marks_but_for_speed(tmp_path_factory: pytest.TempPathFactory) -> None:
    show_dir = make_show(tmp_path_factory.mktemp("lighthouse"))
    build(show_dir, session_cache(tmp_path_factory))
    report = tmp_path_factory.mktemp("lighthouse-report") / "scores.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--show", str(show_dir), "--runs", "1", "--json", report],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(report.read_text(encoding="utf-8"))
    assert [result["page"] for result in results] == ["/", "02-escaping.html"]
    for result in results:
        scores = result["scores"]
        assert 0 <= scores["performance"] <= 100
        judged = {name: scores[name] for name in ("accessibility", "best-practices", "seo")}
        assert judged == {"accessibility": 100, "best-practices": 100, "seo": 100}, result["lost"]
    print(done.stdout)  # the four scores, in the test log
