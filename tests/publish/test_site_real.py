"""Episode pages of a real build, served by `qacast serve` (the CLI, as a
subprocess), in headless Chromium driven by Playwright.

tests/publish/test_site_browser.py does the same against a synthetic site; this one
opens what `qacast build` wrote. Needs Debian's chromium at /usr/bin/chromium
(CI installs it); nothing is downloaded. Waits are on page state, never time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import NASTY_TITLE, build, make_show, qacast_serve, session_cache
from mutagen.mp3 import MP3

from qacast.publish.site import parse_webvtt

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    sync_playwright,
)
from test_site_browser import CHROMIUM_ARGS  # noqa: E402


@dataclass(frozen=True)
class Site:
    out_dir: Path
    url: str  # where `qacast serve` listens, ending in "/"


@dataclass
class Opened:
    page: Page
    problems: list[str]  # console errors, page errors, dialogs
    outside: list[str]  # requests that left the site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    # The pages link by relative URLs: the base URL in the feed does not matter here.
    show_dir = make_show(tmp_path_factory.mktemp("site-real"))
    build(show_dir, session_cache(tmp_path_factory))
    with qacast_serve(show_dir) as serving:
        yield Site(show_dir / "out", serving.url)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def open_page(browser: Browser, site: Site) -> Iterator[Callable[[str], Opened]]:
    pages: list[Page] = []

    def open_episode(slug: str) -> Opened:
        page = browser.new_page()
        pages.append(page)
        opened = Opened(page, [], [])

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                opened.problems.append(message.text)

        def on_dialog(dialog: Dialog) -> None:
            opened.problems.append(f"dialog: {dialog.message}")
            dialog.dismiss()

        def on_request(request: Request) -> None:
            if not request.url.startswith(site.url):
                opened.outside.append(request.url)

        page.on("console", on_console)
        page.on("pageerror", lambda error: opened.problems.append(str(error)))
        page.on("dialog", on_dialog)
        page.on("request", on_request)
        response = page.goto(f"{site.url}{slug}.html")
        assert response is not None and response.status == 200
        # Once the page has loaded, qacast.js has the player fetch its metadata:
        # the duration arrives without playing anything.
        page.wait_for_function("document.getElementById('player').readyState >= 1")
        return opened

    yield open_episode
    for page in pages:
        page.close()


def player(page: Page, prop: str) -> float:
    value: float = page.evaluate(f"document.getElementById('player').{prop}")
    return value


def test_player_chapters_and_transcript_on_a_real_episode(
    open_page: Callable[[str], Opened], site: Site
) -> None:
    slug = "01-radios"
    opened = open_page(slug)
    page = opened.page

    # The player knows the duration, and it is the file's.
    info = MP3(site.out_dir / f"{slug}.mp3").info  # type: ignore[no-untyped-call]
    audio_s = float(info.length)  # type: ignore[attr-defined]
    assert player(page, "duration") == pytest.approx(audio_s, abs=0.1)

    # Clicking the second chapter moves the player to that chapter's start.
    chapters = json.loads((site.out_dir / f"{slug}.chapters.json").read_text(encoding="utf-8"))
    second = chapters["chapters"][1]
    buttons = page.locator("ol.chapters button[data-seek]")
    assert buttons.count() == len(chapters["chapters"])
    buttons.nth(1).click()
    assert player(page, "currentTime") == pytest.approx(second["startTime"], abs=0.001)
    page.wait_for_selector(f"ol.chapters li.active[data-start='{second['startTime']:.3f}']")
    assert page.locator("ol.chapters li.active").count() == 1

    # At a given time, the cue spoken then is the one highlighted, and only it.
    cues = parse_webvtt((site.out_dir / f"{slug}.vtt").read_text(encoding="utf-8"))
    assert len(cues) >= 3
    for cue in (cues[2], cues[0], cues[-1]):
        middle_s = (cue.start_ms + cue.end_ms) / 2000
        page.evaluate(f"document.getElementById('player').currentTime = {middle_s}")
        active = page.wait_for_selector(f".cue.active[data-start='{cue.start_ms / 1000:.3f}']")
        assert active is not None and cue.text in active.inner_text()
        assert page.locator(".cue.active").count() == 1

    assert opened.problems == []
    assert opened.outside == []


def test_markup_in_a_real_episode_stays_inert(open_page: Callable[[str], Opened]) -> None:
    opened = open_page("02-escaping")
    page = opened.page
    assert page.locator("h1").inner_text() == NASTY_TITLE
    assert page.title().startswith(NASTY_TITLE)
    # Only qacast.js runs: the <script> in the title and transcript is text.
    assert page.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))") == [
        "qacast.js"
    ]
    assert "Jane <Doe> & Co" in page.locator("#transcript").inner_text()
    assert page.locator("#transcript b").count() == 0
    assert opened.problems == []  # no alert() dialog, no error
    assert opened.outside == []
