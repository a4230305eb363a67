"""Lighthouse's four scores for a built show's site, as `qacast serve` hands it out.

    python benchmarks/lighthouse.py                 # a two-episode show with a 3000 px cover
    python benchmarks/lighthouse.py --show myshow   # a show of your own (built first if needed)
    python benchmarks/lighthouse.py --install-only  # just install Lighthouse

Audits the front page (``/``) and the newest episode's page with Lighthouse
(the npm package, at the version benchmarks/lighthouse-npm/package-lock.json
pins, installed there with ``npm ci`` on first use) in the system's Chromium,
headless, with Lighthouse's default mobile settings (a mid-range phone on a
slow 4G link, simulated). Prints performance, accessibility, best practices
and SEO for each page, the median of ``--runs`` runs (performance moves a
point or two between runs on a busy machine; the other three do not), and
every audit that cost a point. ``--json FILE`` writes the same as JSON.

Needs Node.js with npm (18.16 or newer) and Chromium (Debian's chromium, or
CHROME_PATH). The default show is built under benchmarks/work/ and needs the
speech engine `qacast build` uses.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NPM_DIR = REPO / "benchmarks" / "lighthouse-npm"  # package.json and its lock
WORK = REPO / "benchmarks" / "work"
TWO_EPISODES = REPO / "tests" / "data" / "show-two-episodes"
QACAST = [sys.executable, "-m", "qacast.cli"]

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
# Headless as a server would run it; no sandbox, as root in a container has none.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
AUDIT_TIMEOUT_S = 300

# Directories the default show lists, so the front page has its subscribe links.
DEMO_SUBSCRIBE = """
[subscribe]
apple = "https://podcasts.apple.com/podcast/id1234567890"
spotify = "https://open.spotify.com/show/0000000000000000000000"
pocketcasts = "https://pca.st/example"
overcast = "https://overcast.fm/itunes1234567890"
"""


class MissingToolError(Exception):
    """A tool the audit needs is not installed; the message says which and how."""


@dataclass(frozen=True)
class Tools:
    lighthouse: Path  # the CLI in NPM_DIR's node_modules
    chromium: str


@dataclass(frozen=True)
class PageScores:
    page: str  # the path audited, "/" for the front page
    scores: dict[str, int]  # category -> 0-100, the median of the runs
    runs: list[dict[str, int]]
    lost: list[str]  # "category: audit id (score)" for each audit below full marks


def find_chromium() -> str:
    for candidate in (os.environ.get("CHROME_PATH", ""), *CHROMIUM_CANDIDATES):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    raise MissingToolError(
        "Chromium is missing: install Debian's chromium package or set CHROME_PATH"
    )


def lighthouse_cli() -> Path:
    return NPM_DIR / "node_modules" / ".bin" / "lighthouse"


def install() -> Path:
    """Lighthouse at the lock's versions, installed into NPM_DIR unless it is there."""
    cli = lighthouse_cli()
    if cli.exists():
        return cli
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise MissingToolError("Node.js and npm are missing: install them to run Lighthouse")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NPM_DIR, check=True)
    return cli


def tools() -> Tools:
    return Tools(lighthouse=install(), chromium=find_chromium())


def make_demo_show(root: Path) -> Path:
    """The tests' two-episode show with a cover as large and as busy as
    directories take (3000 px, photo-like noise) and four directories listed."""
    from PIL import Image, ImageFilter  # qacast's own dependency

    show_dir = root / "lighthouse-show"
    if show_dir.exists():
        shutil.rmtree(show_dir)
    shutil.copytree(TWO_EPISODES, show_dir)
    (show_dir / "audio").mkdir(exist_ok=True)
    noise = Image.effect_noise((3000, 3000), 60).filter(ImageFilter.GaussianBlur(1.5))
    ramp = Image.linear_gradient("L").resize((3000, 3000))
    Image.merge("RGB", (noise, ramp, ramp.rotate(90))).save(
        show_dir / "audio" / "cover.jpg", quality=90
    )
    config = show_dir / "qacast.toml"
    text = config.read_text(encoding="utf-8").replace('"audio/cover.png"', '"audio/cover.jpg"')
    config.write_text(text + DEMO_SUBSCRIBE, encoding="utf-8")
    return show_dir


def build(show_dir: Path) -> None:
    done = subprocess.run([*QACAST, "build", str(show_dir)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"qacast build {show_dir} failed: {done.stderr.strip()}")


@contextmanager
def serving(show_dir: Path) -> Iterator[str]:
    """`qacast serve SHOW --port 0`; yields its address, stops it by its pid."""
    process = subprocess.Popen(
        [*QACAST, "serve", str(show_dir), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if match:
                yield match.group(1)
                return
        sys.exit(f"qacast serve exited ({process.wait()}) before printing its address")
    finally:
        process.terminate()
        process.wait(timeout=30)


def audit_once(tools: Tools, url: str, report: Path) -> dict[str, object]:
    """One Lighthouse run of ``url``; its JSON report."""
    env = dict(os.environ, CHROME_PATH=tools.chromium)
    command = [
        str(tools.lighthouse), url, "--quiet", f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}",
    ]  # fmt: skip
    subprocess.run(command, env=env, check=True, timeout=AUDIT_TIMEOUT_S)
    result: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return result


def scores_of(report: dict[str, object]) -> dict[str, int]:
    categories = report["categories"]
    assert isinstance(categories, dict)
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def lost_points(report: dict[str, object]) -> list[str]:
    """The audits that kept a category from 100 (performance: weighted metrics only)."""
    categories, audits = report["categories"], report["audits"]
    assert isinstance(categories, dict) and isinstance(audits, dict)
    lost = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            audit = audits[ref["id"]]
            score = audit.get("score")
            if score is not None and score < 1 and ref.get("weight", 0) > 0:
                shown = audit.get("displayValue", "")
                lost.append(f"{name}: {ref['id']} ({score:g}{', ' + shown if shown else ''})")
    return lost


def audit_page(tools: Tools, base: str, page: str, runs: int, work: Path) -> PageScores:
    reports = [
        audit_once(tools, base + page.lstrip("/"), work / f"report-{index}.json")
        for index in range(runs)
    ]
    each = [scores_of(report) for report in reports]
    median = {name: round(statistics.median(run[name] for run in each)) for name in CATEGORIES}
    lost = sorted({line for report in reports for line in lost_points(report)})
    return PageScores(page, median, each, lost)


def newest_episode_page(out_dir: Path) -> str:
    """The first episode the front page lists (the newest)."""
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<ol class="episodes"[^>]*>\s*<li[^>]*>\s*<a href="([^"]+)"', index)
    if match is None:
        sys.exit(f"{out_dir / 'index.html'} lists no episode to audit")
    return match.group(1)


def audit_show(show_dir: Path, runs: int) -> list[PageScores]:
    found = tools()
    if not (show_dir / "out" / "feed.xml").is_file():
        build(show_dir)
    pages = ["/", newest_episode_page(show_dir / "out")]
    work = WORK / "lighthouse-reports"
    work.mkdir(parents=True, exist_ok=True)
    with serving(show_dir) as base:
        return [audit_page(found, base, page, runs, work) for page in pages]


def print_table(results: Sequence[PageScores]) -> None:
    print(f"{'page':<24}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for result in results:
        row = "".join(f"{result.scores[name]:>16}" for name in CATEGORIES)
        print(f"{result.page:<24}{row}")
    for result in results:
        for line in result.lost:
            print(f"  {result.page}: {line}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--show", type=Path, help="a show folder (default: a demo show)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--json", type=Path, help="write the scores to this file too")
    parser.add_argument("--install-only", action="store_true", help="install Lighthouse, exit")
    args = parser.parse_args(argv)
    try:
        if args.install_only:
            print(install())
            return 0
        if args.show is None:
            WORK.mkdir(parents=True, exist_ok=True)
            show_dir = make_demo_show(WORK)
            build(show_dir)
        else:
            show_dir = args.show.resolve()
        results = audit_show(show_dir, max(1, args.runs))
    except MissingToolError as missing:
        print(f"lighthouse: {missing}", file=sys.stderr)
        return 3
    print_table(results)
    if args.json:
        args.json.write_text(
            json.dumps([vars(result) for result in results], indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
