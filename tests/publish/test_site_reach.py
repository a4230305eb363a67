"""What the site tells search engines, link previews, feed readers and
assistive technology, read back by tools that did not write it: lxml's HTML
parser for the head and the markup, Pillow for the covers' small copies, and
(where Debian's chromium is installed) a real browser for accessible names
and colour contrast in the light and the dark scheme.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from qacast.publish.serve import make_app_server
from qacast.publish.site import THUMB_BOX_PX, build_site, summary

from publish_helpers import NASTY_TITLE, TinyShow, build_tiny_show, make_jpeg

SUBSCRIBE = {
    # Listed out of order on purpose: the site keeps its own order.
    "overcast": "https://overcast.fm/itunes1234567890",
    "apple": "https://podcasts.apple.com/podcast/id1234567890",
    "pocketcasts": "https://pca.st/abcd",
}


@pytest.fixture()
def tiny(tmp_path: Path) -> TinyShow:
    tiny = build_tiny_show(tmp_path, base_url="https://example.org/show/")
    show = dataclasses.replace(tiny.show, subscribe=SUBSCRIBE)
    return dataclasses.replace(tiny, show=show)


def page(tiny: TinyShow, name: str) -> html.HtmlElement:
    return html.fromstring((tiny.out_dir / name).read_bytes())


def meta(doc: html.HtmlElement, key: str) -> str:
    """The content of <meta property=key> or <meta name=key>; exactly one."""
    (element,) = doc.xpath("//head/meta[@property=$k or @name=$k]", k=key)
    return str(element.get("content"))


def test_index_head_describes_the_show(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    doc = page(tiny, "index.html")
    assert meta(doc, "description") == "A show about <things> & more."
    (alternate,) = doc.xpath("//head/link[@rel='alternate']")
    assert alternate.get("type") == "application/rss+xml"
    assert alternate.get("href") == "https://example.org/show/feed.xml"
    assert alternate.get("title") == "Tiny <Show> & Friends"
    (canonical,) = doc.xpath("//head/link[@rel='canonical']/@href")
    assert canonical == "https://example.org/show/index.html"
    assert meta(doc, "og:type") == "website"
    assert meta(doc, "og:title") == meta(doc, "twitter:title") == "Tiny <Show> & Friends"
    assert meta(doc, "og:url") == canonical
    assert meta(doc, "og:image") == meta(doc, "twitter:image")
    assert meta(doc, "og:image") == "https://example.org/show/cover.jpg"
    assert meta(doc, "og:image:alt") == "Cover of Tiny <Show> & Friends"
    assert meta(doc, "twitter:card") == "summary"
    # No style sheet to wait for: the styles are in the page.
    assert not doc.xpath("//link[@rel='stylesheet']") and doc.xpath("//head/style")


def test_episode_head_describes_the_episode(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    doc = page(tiny, "first-episode.html")
    assert meta(doc, "description") == f"About {NASTY_TITLE}."
    assert meta(doc, "og:type") == "article"
    assert meta(doc, "og:title") == NASTY_TITLE
    assert meta(doc, "og:url") == "https://example.org/show/first-episode.html"
    assert doc.xpath("//head/link[@rel='canonical']/@href") == [meta(doc, "og:url")]
    assert meta(doc, "og:image") == "https://example.org/show/first-episode.jpg"
    assert meta(doc, "og:audio") == "https://example.org/show/first-episode.mp3"
    assert meta(doc, "og:audio:type") == "audio/mpeg"
    assert meta(doc, "article:published_time") == "2024-01-15"


def test_long_descriptions_are_cut_at_a_word() -> None:
    text = "word " * 100
    cut = summary(text)
    assert len(cut) <= 200 and cut.endswith("word…")
    assert summary("  short\n text ") == "short text"


def test_subscribe_links_in_the_sites_order(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    doc = page(tiny, "index.html")
    links = [
        (a.text_content(), a.get("href")) for a in doc.xpath("//section[@class='subscribe']//a")
    ]
    assert links == [
        ("Apple Podcasts", SUBSCRIBE["apple"]),
        ("Pocket Casts", SUBSCRIBE["pocketcasts"]),
        ("Overcast", SUBSCRIBE["overcast"]),
        ("RSS feed", "feed.xml"),
    ]


def test_no_subscribe_links_but_the_feed_unless_listed(tmp_path: Path) -> None:
    tiny = build_tiny_show(tmp_path)
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    doc = page(tiny, "index.html")
    assert doc.xpath("//section[@class='subscribe']//a/@href") == ["feed.xml"]


def test_audio_is_labelled_and_covers_have_alt_text_and_size(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    for name, title in (("index.html", tiny.show.title), ("first-episode.html", NASTY_TITLE)):
        (img,) = page(tiny, name).xpath("//img")
        assert img.get("alt") == f"Cover of {title}"
        assert int(img.get("width")) > 0 and int(img.get("height")) > 0
    (audio,) = page(tiny, "first-episode.html").xpath("//audio")
    assert audio.get("aria-label") == f"Listen to {NASTY_TITLE}"


def test_pages_show_small_copies_of_the_covers(tiny: TinyShow) -> None:
    # A cover of the largest size directories take, and not square: the copy
    # keeps its shape and the page reserves room of that shape.
    wide = tiny.episodes[0].cover
    assert wide is not None
    Image.new("RGB", (3000, 1500), (10, 120, 60)).save(wide, format="JPEG", quality=95)
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    (img,) = page(tiny, "first-episode.html").xpath("//img")
    assert img.get("src") == "first-episode.thumb.jpg"
    with Image.open(tiny.out_dir / "first-episode.thumb.jpg") as thumb:
        assert thumb.format == "JPEG" and thumb.size == (THUMB_BOX_PX, THUMB_BOX_PX // 2)
    assert (img.get("width"), img.get("height")) == ("160", "80")
    (index_img,) = page(tiny, "index.html").xpath("//img")
    assert index_img.get("src") == "cover.thumb.jpg"
    assert (index_img.get("width"), index_img.get("height")) == ("240", "240")


def test_small_copies_follow_their_covers(tiny: TinyShow) -> None:
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    thumb = tiny.out_dir / "first-episode.thumb.jpg"
    made = thumb.stat().st_mtime_ns
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    assert thumb.stat().st_mtime_ns == made  # an unchanged cover is not decoded again
    cover = tiny.episodes[0].cover
    assert cover is not None
    make_jpeg(cover, (250, 250, 0))
    later = thumb.stat().st_mtime_ns + 1_000_000_000
    os.utime(cover, ns=(later, later))
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    with Image.open(thumb) as image:
        red, green, blue = image.convert("RGB").getpixel((5, 5))
    assert red > 200 and green > 200 and blue < 60
    # An episode gone takes its copy along.
    build_site(tiny.show, tiny.episodes[1:], out_dir=tiny.out_dir)
    assert not thumb.exists()
    assert (tiny.out_dir / "second-episode.thumb.jpg").is_file()


# --- in a real browser -------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")

# Each element's text colour against the background behind it, as the browser
# computes them; WCAG AA asks 4.5:1 for text of this size.
CONTRAST_JS = """
() => {
  const parse = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  // The backgrounds behind an element, see-through ones laid over the page's.
  const behind = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const [r, g, b, a = 1] = parse(getComputedStyle(e).backgroundColor);
      if (a > 0) layers.push([r, g, b, a]);
      if (a === 1) break;
    }
    const dark = matchMedia("(prefers-color-scheme: dark)").matches;
    let colour = dark ? [18, 18, 18] : [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      colour = [r, g, b].map((v, i) => v * a + colour[i] * (1 - a));
    }
    return colour;
  };
  const ratio = (x, y) => (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  const selector = "a, p.meta, p.byline, footer.site p, .time, code, h1, h2, li";
  return Array.from(document.querySelectorAll(selector)).map((element) => [
    element.tagName + "." + element.className,
    ratio(lum(parse(getComputedStyle(element).color)), lum(behind(element))),
  ]);
}
"""


@pytest.fixture()
def served(tiny: TinyShow) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser checks")
    build_site(tiny.show, tiny.episodes, out_dir=tiny.out_dir)
    server = make_app_server(tiny.out_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_names_and_contrast_in_chromium(tiny: TinyShow, served: str, scheme: str) -> None:
    from playwright.sync_api import expect, sync_playwright
    from test_site_browser import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            view = browser.new_page(color_scheme=scheme)  # type: ignore[arg-type]
            for name in ("index.html", "first-episode.html"):
                view.goto(served + name)
                low = [(what, ratio) for what, ratio in view.evaluate(CONTRAST_JS) if ratio < 4.5]
                assert not low, (name, scheme, low)
            expect(view.locator("audio")).to_have_accessible_name(f"Listen to {NASTY_TITLE}")
            expect(view.get_by_role("img", name=f"Cover of {NASTY_TITLE}")).to_be_visible()
            view.goto(served + "index.html")
            expect(view.get_by_role("link", name="Apple Podcasts")).to_have_attribute(
                "href", SUBSCRIBE["apple"]
            )
        finally:
            browser.close()
