"""An episode page in a real headless Chromium, served by qacast's own server.

Needs Debian's chromium at /usr/bin/chromium (CI installs it); nothing is
downloaded by Playwright. Waits are on page state, never on elapsed time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from qacast.publish.feed import build_feed
from qacast.publish.serve import make_app_server
from qacast.publish.site import build_site

from publish_helpers import TinyShow, build_tiny_show, mp3_seconds, with_base_url

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TinyShow, str]]:
    tiny = build_tiny_show(tmp_path_factory.mktemp("browser"))
    server = make_app_server(tiny.out_dir, "127.0.0.1", 0)
    base_url = f"http://127.0.0.1:{server.server_port}/"
    tiny_here = with_base_url(tiny, base_url)
    (tiny.out_dir / "feed.xml").write_bytes(
        build_feed(tiny_here.show, tiny.episodes, out_dir=tiny.out_dir)
    )
    build_site(tiny_here.show, tiny.episodes, out_dir=tiny.out_dir)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tiny_here, base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser(site: tuple[TinyShow, str]) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def open_episode(browser: Browser, base_url: str, slug: str) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page()
    console_errors: list[str] = []
    outside_requests: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith(base_url):
            outside_requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.on("request", on_request)
    page.goto(f"{base_url}{slug}.html")
    # Once the page has loaded, qacast.js has the player fetch its metadata:
    # the duration arrives without playing anything.
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    return page, console_errors, outside_requests


def test_episode_page_in_chromium(browser: Browser, site: tuple[TinyShow, str]) -> None:
    tiny, base_url = site
    published = tiny.episodes[0]
    page, console_errors, outside_requests = open_episode(browser, base_url, published.slug)
    try:
        duration_s = page.evaluate("document.getElementById('player').duration")
        assert abs(duration_s - mp3_seconds(published.audio[0].path)) < 0.1

        # Clicking the second chapter moves the player to its start.
        second = published.chapters[1]
        page.locator("button[data-seek]").nth(1).click()
        current_s = page.evaluate("document.getElementById('player').currentTime")
        assert current_s == pytest.approx(second.start_ms / 1000, abs=0.001)
        page.wait_for_selector("ol.chapters li.active[data-start='1.500']")

        # Setting the time inside a cue highlights that cue, and only that one.
        page.evaluate("document.getElementById('player').currentTime = 0.9")
        page.wait_for_selector(".cue.active[data-start='0.800']")
        assert page.locator(".cue.active").count() == 1
        page.evaluate("document.getElementById('player').currentTime = 1.3")
        page.wait_for_selector(".cue.active[data-start='1.200']")
        assert page.locator(".cue.active").count() == 1

        # The <script> in the title and the transcript stayed text.
        assert page.evaluate("document.scripts.length") == 1
        assert "<script>" in page.locator("h1").inner_text()

        assert console_errors == []
        assert outside_requests == []
    finally:
        page.close()


def test_index_page_in_chromium(browser: Browser, site: tuple[TinyShow, str]) -> None:
    _, base_url = site
    page = browser.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    try:
        response = page.goto(base_url)
        assert response is not None and response.status == 200
        links = page.locator("ol.episodes a").evaluate_all("els => els.map(e => e.href)")
        assert links == [f"{base_url}second-episode.html", f"{base_url}first-episode.html"]
        # A phone-width viewport does not scroll sideways.
        page.set_viewport_size({"width": 360, "height": 740})
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert errors == []
    finally:
        page.close()
