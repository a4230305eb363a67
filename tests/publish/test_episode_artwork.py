"""An episode's own artwork (front matter `image:` or `cover:`, a path beside
the script) through a real `qacast build`: the feed item's itunes:image, the
cover embedded in its MP3 and M4A (read back with mutagen), its page and the
list of episodes; checked as the show's cover is, with one line per problem;
and a changed image renders the episode again.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's readers are unannotated.)

from __future__ import annotations

import io
from pathlib import Path

import feedparser
import mutagen
import pytest
from build_helpers import SLUGS, build, make_show, run_qacast, session_cache
from mutagen.id3 import ID3
from PIL import Image

from qacast.errors import ExitStatus

ART = "radios-art.png"


def png(size: tuple[int, int], colour: tuple[int, int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour if mode == "RGB" else None).save(buffer, format="PNG")
    return buffer.getvalue()


def give_artwork(show: Path, key: str = "image") -> None:
    """Episode 1 names ART, beside it in scripts/."""
    script = show / "scripts" / f"{SLUGS[0]}.txt"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("date: 2024-01-15\n", f"date: 2024-01-15\n{key}: {ART}\n"),
                      encoding="utf-8")  # fmt: skip


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_cache(tmp_path_factory)


def test_the_episode_artwork_is_its_feed_image_embedded_cover_page_and_list_entry(
    tmp_path: Path, cache: Path
) -> None:
    show = make_show(tmp_path)
    art = png((1400, 1400), (200, 40, 40))
    (show / "scripts" / ART).write_bytes(art)
    give_artwork(show, key="cover")
    result = build(show, cache, "--format", "mp3,m4a")
    assert "radios-art" not in result.stderr  # an image beside the scripts is no stray file
    out = show / "out"
    own = f"{SLUGS[0]}.episode.png"
    assert (out / own).read_bytes() == art
    items = {e.link.rsplit("/", 1)[-1]: e for e in feedparser.parse(out / "feed.xml").entries}
    assert items[f"{SLUGS[0]}.html"].image.href == f"http://127.0.0.1:8000/{own}"
    # The other episode keeps the show's cover.
    other = items[f"{SLUGS[1]}.html"].image.href.rsplit("/", 1)[-1]
    assert (out / other).read_bytes() == (out / "cover.png").read_bytes()
    apic = ID3(out / f"{SLUGS[0]}.mp3").getall("APIC")
    assert [(a.type, a.mime, a.data) for a in apic] == [(3, "image/png", art)]
    m4a = mutagen.File(out / f"{SLUGS[0]}.m4a")
    assert [bytes(cover) for cover in m4a.tags["covr"]] == [art]
    # Pages show a small copy of it, made from it (the site's cover copies).
    shown = f"{SLUGS[0]}.episode.thumb.jpg"
    with Image.open(out / shown) as copy:
        assert max(copy.size) <= 480
    assert f'<img class="cover" src="{shown}"' in (out / f"{SLUGS[0]}.html").read_text("utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="episode-cover"') == 1 and f'src="{shown}"' in index
    checked = run_qacast("check", show)
    assert checked.returncode == 0, checked.stdout

    # A new image renders the episode again, and only it.
    redder = png((1400, 1400), (250, 0, 0))
    (show / "scripts" / ART).write_bytes(redder)
    again = build(show, cache, "--format", "mp3,m4a")
    assert "built 1, unchanged 1" in again.stderr
    assert ID3(out / f"{SLUGS[0]}.mp3").getall("APIC")[0].data == redder


# What is wrong with the image -> what the one error line says.
BAD_ARTWORK: dict[str, tuple[bytes, str]] = {
    "not square": (png((1400, 1200), (1, 2, 3)), "1400x1200 px is not square"),
    "too small": (png((1000, 1000), (1, 2, 3)), "1000x1000 px is too small"),
    "not an image": (b"GIF89a no picture", "not a readable JPEG or PNG image"),
}


@pytest.mark.parametrize("problem", list(BAD_ARTWORK))
def test_bad_episode_artwork_fails_that_episode_in_one_line(
    tmp_path: Path, cache: Path, problem: str
) -> None:
    show = make_show(tmp_path)
    data, says = BAD_ARTWORK[problem]
    (show / "scripts" / ART).write_bytes(data)
    give_artwork(show)
    result = run_qacast("build", show, "--cache-dir", cache)
    assert result.returncode == ExitStatus.SOME_FAILED, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("qacast: error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{SLUGS[0]}.txt: front matter image " in errors[0] and says in errors[0], errors[0]


def test_episode_artwork_in_another_colour_mode_is_published_in_rgb(
    tmp_path: Path, cache: Path
) -> None:
    show = make_show(tmp_path)
    Image.new("P", (1400, 1400)).save(show / "scripts" / ART)
    give_artwork(show)
    build(show, cache)
    with Image.open(show / "out" / f"{SLUGS[0]}.episode.jpg") as image:
        assert (image.mode, image.size) == ("RGB", (1400, 1400))
    assert run_qacast("check", show).returncode == 0
