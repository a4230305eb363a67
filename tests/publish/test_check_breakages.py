"""`qacast check` on a built show broken in each way a producer's copy breaks.

A real show is built once; each case copies it, breaks one thing as a slip,
a bad upload or a hand edit would (audio zeroed or of another kind, chapters
or captions that are no such file, channel tags removed, a duration or a date
that cannot be, a page deleted, a base URL with a typo), and runs the real
`qacast check` (with `--online` where only the host can tell). Each must exit
non-zero naming the rule; the unbroken show passes, offline and online.

The online cases serve the show from a plain static HTTP server on a free
port, as a host would, and give the feed a base URL there.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from build_helpers import SLUGS, build, make_show, qacast_command, session_cache

from qacast.audio.ffmpeg import ffmpeg_exe
from qacast.errors import ExitStatus

BUILT_BASE = "http://127.0.0.1:8000/"
# Before 2030 and after both episodes' dates (2024), far from any midnight.
NOW = "2026-06-15T12:00:00+00:00"
MP3 = f"{SLUGS[0]}.mp3"


@dataclass(frozen=True)
class Served:
    root: Path  # the host's folder: the show is at root/podcast/
    base_url: str  # http://127.0.0.1:PORT/podcast/


@pytest.fixture(scope="module")
def built_show(tmp_path_factory: pytest.TempPathFactory) -> Path:
    show_dir = make_show(tmp_path_factory.mktemp("breakages"))
    build(show_dir, session_cache(tmp_path_factory))
    return show_dir


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A static web server (Python's own, as many hosts are plain file servers)."""
    root = tmp_path_factory.mktemp("host")
    handler = partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/podcast/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def check(show: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QACAST_NOW": NOW}
    return subprocess.run(
        [*qacast_command(), "check", str(show), *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def rewrite(path: Path, pattern: str, new: str, count: int = 1) -> None:
    text, done = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=count)
    assert done, pattern
    path.write_text(text, encoding="utf-8")


def move_base(show: Path, base_url: str, old: str = BUILT_BASE) -> None:
    """The show as built for ``base_url``: every address in the feed and pages under it."""
    for path in (show / "out").iterdir():
        if path.suffix in (".xml", ".html"):
            text = path.read_text(encoding="utf-8").replace(old, base_url)
            path.write_text(text, encoding="utf-8")


def publish_to(show: Path, host: Served) -> None:
    """out/ copied to the host, for the base URL the show gives."""
    target = host.root / "podcast"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(show / "out", target)


# --- the breakages --------------------------------------------------------------------


def zeroed_mp3(show: Path, host: Served) -> None:
    path = show / "out" / MP3
    path.write_bytes(bytes(path.stat().st_size))


def wav_in_mp3(show: Path, host: Served) -> None:
    """WAV bytes under the .mp3 name, the feed's length made to match them."""
    path = show / "out" / MP3
    wav = path.with_suffix(".wav")
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-c:a", "pcm_s16le",
                    str(wav)], check=True)  # fmt: skip
    old_size = path.stat().st_size
    wav.replace(path)
    rewrite(show / "out" / "feed.xml", f'length="{old_size}"', f'length="{path.stat().st_size}"',
            count=0)  # fmt: skip


def bad_chapters(show: Path, host: Served) -> None:
    (show / "out" / f"{SLUGS[0]}.chapters.json").write_text(
        '{"version": "1.2.0", "chapters": [{"title": "no start", "startTime": "zero"}]}',
        encoding="utf-8",
    )


def garbage_vtt(show: Path, host: Served) -> None:
    (show / "out" / f"{SLUGS[0]}.vtt").write_text("garbage, no captions here\n", encoding="utf-8")


def garbage_srt(show: Path, host: Served) -> None:
    (show / "out" / f"{SLUGS[0]}.srt").write_text("1\nnot a time\nhello\n", encoding="utf-8")


def no_author(show: Path, host: Served) -> None:
    rewrite(show / "out" / "feed.xml", r"\s*<itunes:author>[^<]*</itunes:author>", "")


def no_owner(show: Path, host: Served) -> None:
    rewrite(show / "out" / "feed.xml", r"(?s)\s*<itunes:owner>.*?</itunes:owner>", "")


def long_duration(show: Path, host: Served) -> None:
    rewrite(show / "out" / "feed.xml", r"<itunes:duration>\d+<", "<itunes:duration>9999<")


def pub_date_2030(show: Path, host: Served) -> None:
    rewrite(
        show / "out" / "feed.xml", r"<pubDate>[^<]*<", "<pubDate>Fri, 15 Mar 2030 12:00:00 +0000<"
    )


def pub_date_next_month(show: Path, host: Served) -> None:
    """A day within the years an episode may carry, but a month after now."""
    rewrite(
        show / "out" / "feed.xml", r"<pubDate>[^<]*<", "<pubDate>Wed, 15 Jul 2026 12:00:00 +0000<"
    )


def no_index(show: Path, host: Served) -> None:
    (show / "out" / "index.html").unlink()


def no_episode_page(show: Path, host: Served) -> None:
    (show / "out" / f"{SLUGS[0]}.html").unlink()


def host_typo(show: Path, host: Served) -> None:
    """Published to the host, but built for a host name with a typo (an https
    one, as a real host's: the name is looked up before anything else)."""
    publish_to(show, host)
    typo = host.base_url.replace("http://127.0.0.1", "https://podcasts.invalid")
    move_base(show, typo, host.base_url)


def path_typo(show: Path, host: Served) -> None:
    """Published to the host, but built for a path with a typo."""
    publish_to(show, host)
    move_base(show, host.base_url.replace("/podcast/", "/podacst/"), host.base_url)


@dataclass(frozen=True)
class Breakage:
    damage: Callable[[Path, Served], None]
    says: str  # what check prints: "problem: RULE: " on stdout, or the online error on stderr
    online: bool = False


BREAKAGES: dict[str, Breakage] = {
    "an MP3 of the right size, zeroed": Breakage(zeroed_mp3, "problem: audio: "),
    "WAV bytes in a .mp3": Breakage(wav_in_mp3, "problem: audio: "),
    "chapters JSON not of the Podcasting 2.0 schema": Breakage(
        bad_chapters, "problem: podcast:chapters: "
    ),
    "a garbage VTT": Breakage(garbage_vtt, "problem: podcast:transcript: "),
    "a garbage SRT": Breakage(garbage_srt, "problem: podcast:transcript: "),
    "itunes:author removed": Breakage(no_author, "problem: itunes:author: "),
    "itunes:owner removed": Breakage(no_owner, "problem: itunes:owner: "),
    "itunes:duration 9999 for a short file": Breakage(long_duration, "problem: itunes:duration: "),
    "a pubDate in 2030": Breakage(pub_date_2030, "problem: pubDate: "),
    "a pubDate a month ahead": Breakage(pub_date_next_month, "problem: pubDate: "),
    "index.html deleted": Breakage(no_index, "problem: site: "),
    "an episode page deleted": Breakage(no_episode_page, "problem: site: "),
    "a typo in the base URL's host": Breakage(host_typo, "no such host", online=True),
    "a typo in the base URL's path": Breakage(path_typo, "HTTP 404", online=True),
}  # fmt: skip


@pytest.fixture
def show(built_show: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "show"
    shutil.copytree(built_show, copy)
    return copy


def test_check_passes_the_unbroken_show_offline_and_online(show: Path, host: Served) -> None:
    move_base(show, host.base_url)
    publish_to(show, host)
    result = check(show, "--online")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "problem" not in result.stdout
    assert f"online: {host.base_url}feed.xml and the " in result.stdout


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_check_names_each_breakage(show: Path, host: Served, name: str) -> None:
    breakage = BREAKAGES[name]
    if breakage.online:
        move_base(show, host.base_url)
    breakage.damage(show, host)
    result = check(show, *(["--online"] if breakage.online else []))
    assert result.returncode == ExitStatus.REJECTED, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if breakage.online:
        # Offline the show is whole; the host says where it is not.
        assert "problem" not in result.stdout, result.stdout
        assert result.stderr.count("\n") == 1 and breakage.says in result.stderr, result.stderr
    else:
        assert breakage.says in result.stdout, result.stdout
