"""`qacast publish` against real hosts: SeaweedFS's S3 gateway, rclone's SFTP
server, a folder; and the check over HTTP that follows each publish.

A show is built, published, one script changed, rebuilt and published again:
only the files whose bytes changed move (by the publisher's own progress lines
and by what the server lists), the feed goes up after everything it names,
files the show dropped are deleted only after the new feed, and the host ends
holding out/ byte for byte. A publish killed mid-upload leaves a feed whose
every file is there, and the next run ends where an uninterrupted one would.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from build_helpers import build, make_show, qacast_command, session_cache
from lxml import etree

from qacast.publish.plan import MANIFEST_NAME, cache_control, content_type

from publish_servers import BUCKET, Running, S3Server, rclone_http, s3_environment

pytestmark = pytest.mark.slow
CHANGED_SCRIPT = "02-escaping.txt"


@dataclass
class Target:
    """One destination and how to look at it from the server's side."""

    to: str
    base_url: str  # where the published show is fetched over HTTP
    env: dict[str, str]
    files: Callable[[], dict[str, bytes]]  # what the host holds, read on its side
    stamps: Callable[[], dict[str, Any]]  # per file, what changes when it is rewritten
    server: Running | None  # the process to pause mid-upload
    replace: Callable[[str, bytes], None]  # someone changes a file at the destination


def _folder_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _folder_stamps(root: Path) -> dict[str, Any]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino)
        for p in root.rglob("*")
        if p.is_file()
    }


def _edit_by_hand(path: Path, data: bytes) -> None:
    """Rewrite ``path`` as a person would, some seconds after it was published
    (SFTP lists modification times in whole seconds)."""
    published_s = path.stat().st_mtime
    path.write_bytes(data)
    os.utime(path, (published_s + 10, published_s + 10))


def _s3_target(server: S3Server, prefix: str, home: Path) -> Target:
    client = server.client()

    def files() -> dict[str, bytes]:
        return {
            key: client.get_object(Bucket=BUCKET, Key=prefix + key)["Body"].read()
            for key in server.objects(BUCKET, prefix)
        }

    def stamps() -> dict[str, Any]:
        return {
            key: (item["ETag"], item["LastModified"])
            for key, item in server.objects(BUCKET, prefix).items()
        }

    def replace(path: str, data: bytes) -> None:
        client.put_object(Bucket=BUCKET, Key=prefix + path, Body=data)

    return Target(f"s3://{BUCKET}/{prefix}", f"{server.endpoint}/{BUCKET}/{prefix}",
                  {**s3_environment(home), "AWS_ENDPOINT_URL": server.endpoint},
                  files, stamps, server.running, replace)  # fmt: skip


@pytest.fixture(params=["s3", "sftp", "folder"])
def target(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """A fresh destination on each kind of host (a prefix, a folder)."""
    name = re.sub(r"\W+", "-", request.node.name)[-40:].strip("-")
    with ExitStack() as stack:
        if request.param == "s3":
            server = request.getfixturevalue("s3_server")
            yield _s3_target(server, f"shows/{name}/", tmp_path / "home")
            return
        if request.param == "sftp":
            sftp = request.getfixturevalue("sftp_server")
            root = sftp.root / name
            env = sftp.environment()
            to, running = sftp.url(f"/{name}"), sftp.running
        else:
            root = tmp_path / "www" / "show"
            env, to, running = s3_environment(tmp_path / "home"), str(root), None
        base_url = stack.enter_context(rclone_http(tmp_path_factory.mktemp("http"), root))
        yield Target(to, base_url, env, lambda: _folder_files(root),
                     lambda: _folder_stamps(root), running,
                     lambda path, data: _edit_by_hand(root / path, data))  # fmt: skip


def run_publish(show_dir: Path, target: Target, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*qacast_command(), "publish", str(show_dir), "--to", target.to, *args],
        capture_output=True, text=True, env=target.env, timeout=300, check=False,
    )  # fmt: skip


def events(stderr: str) -> list[tuple[str, str]]:
    """("uploaded"|"deleted", path) in the order the publisher reported them."""
    return re.findall(r"^(uploaded|deleted) \d+ of \d+: (\S+)", stderr, re.M)


def uploaded(stderr: str) -> set[str]:
    return {path for what, path in events(stderr) if what == "uploaded"}


def rank(path: str) -> int:
    """The publishing order: assets, pages, index, feed."""
    return {"feed.xml": 3, "index.html": 2}.get(path, 1 if path.endswith(".html") else 0)


def assert_feed_last(stderr: str) -> None:
    order = events(stderr)
    ups = [path for what, path in order if what == "uploaded"]
    assert [rank(path) for path in ups] == sorted(rank(path) for path in ups), ups
    if "feed.xml" in ups:
        feed_at = order.index(("uploaded", "feed.xml"))
        assert all(what == "deleted" for what, _ in order[feed_at + 1 :]), order
        assert all(what == "uploaded" for what, _ in order[:feed_at]), order


def assert_feed_written_last_by_the_host(stamps: dict[str, Any], changed: set[str]) -> None:
    """By the host's own clock: S3's LastModified (whole seconds, so ties are
    allowed), a file's modification time in nanoseconds for SFTP and folders."""
    when = {
        path: stamp[1] if isinstance(stamp[0], str) else stamp[0] for path, stamp in stamps.items()
    }
    others = [when[path] for path in changed - {"feed.xml"}]
    if isinstance(stamps["feed.xml"][0], str):
        assert max(others) <= when["feed.xml"]
    else:
        assert max(others) < when["feed.xml"]


def out_files(show_dir: Path) -> dict[str, bytes]:
    out = show_dir / "out"
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def assert_host_holds_out(show_dir: Path, target: Target) -> None:
    held = target.files()
    assert MANIFEST_NAME in held
    del held[MANIFEST_NAME]
    expected = out_files(show_dir)
    assert sorted(held) == sorted(expected)
    assert all(held[path] == expected[path] for path in expected)


def change_one_script(show_dir: Path) -> None:
    script = show_dir / "scripts" / CHANGED_SCRIPT
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("A short answer.", "A longer answer, said again."), "utf-8")


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


def built_show(tmp_path: Path, target: Target, cache: Path) -> Path:
    show_dir = make_show(tmp_path, base_url=target.base_url)
    build(show_dir, cache)
    return show_dir


def test_publish_moves_only_changed_files_feed_last_and_host_equals_out(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, target: Target
) -> None:
    cache = session_cache(tmp_path_factory)
    show_dir = built_show(tmp_path, target, cache)

    first = run_publish(show_dir, target)
    assert first.returncode == 0, first.stderr
    assert uploaded(first.stderr) == set(out_files(show_dir))
    assert_feed_last(first.stderr)
    assert_host_holds_out(show_dir, target)
    assert "online: " in first.stdout and "as built" in first.stdout  # the HTTP check ran
    before_out, before_host = digests(out_files(show_dir)), target.stamps()

    change_one_script(show_dir)
    build(show_dir, cache)
    changed = {p for p, d in digests(out_files(show_dir)).items() if before_out.get(p) != d}
    assert {"02-escaping.mp3", "feed.xml"} <= changed < set(before_out)
    second = run_publish(show_dir, target)
    assert second.returncode == 0, second.stderr
    assert uploaded(second.stderr) == changed  # the publisher's own account
    assert_feed_last(second.stderr)
    after_host = target.stamps()
    rewritten = {p for p in after_host if after_host[p] != before_host.get(p)}
    assert rewritten - {MANIFEST_NAME} == changed  # the server's account
    assert_feed_written_last_by_the_host(after_host, changed)
    assert_host_holds_out(show_dir, target)


def test_dropped_episode_is_deleted_after_the_new_feed_and_others_see_the_manifest(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, target: Target
) -> None:
    cache = session_cache(tmp_path_factory)
    show_dir = built_show(tmp_path, target, cache)
    assert run_publish(show_dir, target).returncode == 0
    (show_dir / "scripts" / CHANGED_SCRIPT).unlink()
    build(show_dir, cache)

    plan = run_publish(show_dir, target, "--dry-run")
    assert plan.returncode == 0, plan.stderr
    assert re.search(r"^delete\s+02-escaping\.mp3\s+\d", plan.stdout, re.M), plan.stdout
    assert re.search(r"^upload\s+feed\.xml\s+\d", plan.stdout, re.M), plan.stdout
    assert "02-escaping.mp3" in target.files()  # the dry run changed nothing

    result = run_publish(show_dir, target)
    assert result.returncode == 0, result.stderr
    deleted = {path for what, path in events(result.stderr) if what == "deleted"}
    assert "02-escaping.mp3" in deleted
    assert_feed_last(result.stderr)
    assert_host_holds_out(show_dir, target)

    # Another machine (no local record of this destination): the manifest at
    # the destination says what is there, so nothing moves.
    for record in (show_dir / ".qacast" / "state" / "publish").glob("*.json"):
        record.unlink()
    again = run_publish(show_dir, target, "--dry-run")
    assert re.search(r"would upload 0 .*delete 0", again.stdout), again.stdout


def _feed_links_exist(feed: bytes, base_url: str, held: dict[str, bytes]) -> None:
    root = etree.fromstring(feed)
    for url in root.xpath("//enclosure/@url | //*[local-name()='transcript']/@url"):
        assert str(url).startswith(base_url)
        assert str(url)[len(base_url) :] in held, f"the feed online links {url}, not there"


@pytest.mark.parametrize("target", ["s3", "sftp"], indirect=True)
def test_publish_killed_mid_upload_resumes_to_the_same_end_state(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, target: Target
) -> None:
    cache = session_cache(tmp_path_factory)
    show_dir = built_show(tmp_path, target, cache)
    assert run_publish(show_dir, target).returncode == 0
    old_feed = (show_dir / "out" / "feed.xml").read_bytes()
    # Both episodes change: a dozen files go up before the feed, the first
    # of them on its own before the host is paused.
    change_one_script(show_dir)
    radios = show_dir / "scripts" / "01-radios.txt"
    radios.write_text(radios.read_text("utf-8").replace("Patience, mostly.", "Patience."), "utf-8")
    build(show_dir, cache)

    process = subprocess.Popen(
        [*qacast_command(), "publish", str(show_dir), "--to", target.to],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=target.env,
    )  # fmt: skip
    assert process.stderr is not None and target.server is not None
    for line in process.stderr:  # the first file is up: hold the host mid-way, kill qacast
        if line.startswith("uploaded 1 of "):
            target.server.pause()
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    target.server.resume()
    assert process.returncode == -signal.SIGKILL

    held = target.files()
    assert held["feed.xml"] == old_feed  # the new feed never went up before its files
    _feed_links_exist(held["feed.xml"], target.base_url, held)

    resumed = run_publish(show_dir, target)
    assert resumed.returncode == 0, resumed.stderr
    assert "feed.xml" in uploaded(resumed.stderr)
    assert_feed_last(resumed.stderr)
    assert_host_holds_out(show_dir, target)  # leftover temporary files removed too
    assert run_publish(show_dir, target, "--dry-run").stdout.count("\nupload ") == 0


def test_s3_objects_carry_content_type_and_cache_control(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server
) -> None:
    target = _s3_target(s3_server, "headers/", tmp_path / "home")
    show_dir = built_show(tmp_path, target, session_cache(tmp_path_factory))
    assert run_publish(show_dir, target).returncode == 0
    client = s3_server.client()
    seen = {}
    for path in out_files(show_dir):
        head = client.head_object(Bucket=BUCKET, Key=f"headers/{path}")
        assert head["ContentType"] == content_type(path)
        assert head["CacheControl"] == cache_control(path)
        seen[path.rsplit(".", 1)[-1]] = head["CacheControl"]
    assert seen["mp3"] == "public, max-age=86400"
    assert seen["xml"] == seen["html"] == "public, max-age=300"
    assert seen["vtt"] == "public, max-age=3600"


def test_a_file_replaced_at_the_destination_goes_up_again(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, target: Target
) -> None:
    """The records say what was published; the host's listing says whether it is
    still there as published. A file changed by hand (same size, other bytes)
    no longer matches its ETag or time, and is uploaded again."""
    show_dir = built_show(tmp_path, target, session_cache(tmp_path_factory))
    assert run_publish(show_dir, target).returncode == 0
    original = (show_dir / "out" / "01-radios.vtt").read_bytes()
    target.replace("01-radios.vtt", bytes(len(original)))
    result = run_publish(show_dir, target, "--no-verify")
    assert result.returncode == 0, result.stderr
    assert uploaded(result.stderr) == {"01-radios.vtt"}
    assert_host_holds_out(show_dir, target)
