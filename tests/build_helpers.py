"""Real shows built by the real CLI: `qacast build` and `qacast serve` as subprocesses.

The show is tests/data/show-two-episodes (two short scripts, every feed field
set) copied into a temporary folder, with a cover drawn by Pillow and the
base URL pointed at where the test serves it. Speech is cached in one folder
per test session, so only the first build of a session synthesizes.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

DATA = Path(__file__).resolve().parent / "data"
TWO_EPISODES = DATA / "show-two-episodes"
SLUGS = ("01-radios", "02-escaping")
# Episode 2's title as written in its front matter: markup, quotes, an emoji.
NASTY_TITLE = 'Tom & Jerry <script>alert("x")</script> say "hi" 🎙️'


def qacast_command() -> list[str]:
    """The installed `qacast` entry point next to this Python, else `python -m qacast.cli`."""
    script = Path(sys.executable).with_name("qacast")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "qacast.cli"]


def run_qacast(
    *args: str | Path, cache_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI; never raises on a non-zero exit (tests check it)."""
    env = dict(os.environ)
    env.pop("QACAST_CACHE_DIR", None)
    if cache_dir is not None:
        env["QACAST_CACHE_DIR"] = str(cache_dir)
    return subprocess.run(
        [*qacast_command(), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One synthesis cache for the whole session, inside pytest's temporary folder."""
    path = tmp_path_factory.getbasetemp() / "qacast-synthesis-cache"
    path.mkdir(exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def set_base_url(show_dir: Path, base_url: str) -> None:
    config = show_dir / "qacast.toml"
    text = config.read_text(encoding="utf-8")
    text, count = re.subn(r'(?m)^base_url = ".*"$', f'base_url = "{base_url}"', text)
    assert count == 1, "qacast.toml has no base_url line"
    config.write_text(text, encoding="utf-8")


def make_show(root: Path, *, base_url: str = "http://127.0.0.1:8000/", name: str = "show") -> Path:
    """A copy of the two-episode show under ``root``, cover included, not built yet."""
    show_dir = root / name
    shutil.copytree(TWO_EPISODES, show_dir)
    (show_dir / "audio").mkdir(exist_ok=True)
    # Apple's minimum artwork size; one colour, so the PNG stays a few kB.
    Image.new("RGB", (1400, 1400), (30, 60, 90)).save(show_dir / "audio" / "cover.png")
    set_base_url(show_dir, base_url)
    return show_dir


def build(show_dir: Path, cache_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`qacast build SHOW --cache-dir CACHE`; fails the test unless it exits 0."""
    result = run_qacast("build", show_dir, "--cache-dir", cache_dir, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def snapshot(out_dir: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under out/ (hidden ones too): relative path -> (bytes, mtime_ns)."""
    return {
        path.relative_to(out_dir).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class Serving:
    """A running `qacast serve` process and what it printed first."""

    process: subprocess.Popen[str]
    url: str  # "http://127.0.0.1:PORT/"
    port: int
    banner: list[str]  # the lines printed before serving


@contextmanager
def qacast_serve(show_dir: Path, port: int = 0) -> Iterator[Serving]:
    """Start `qacast serve SHOW --port PORT`, wait for its URL line, stop it afterwards."""
    process = subprocess.Popen(
        [*qacast_command(), "serve", str(show_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # Werkzeug's request log
        text=True,
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        match = None
        while match is None:
            line = process.stdout.readline()
            if not line:
                pytest.fail(f"qacast serve exited ({process.wait()}) before printing its URL")
            banner.append(line.rstrip("\n"))
            match = re.search(r"(http://127\.0\.0\.1:(\d+)/)", line)
        banner.append(process.stdout.readline().rstrip("\n"))  # the loopback line
        yield Serving(process, match.group(1), int(match.group(2)), banner)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def raw_request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request to 127.0.0.1:``port``; the path goes on the wire exactly as given
    (putrequest does not normalise it), so path-escape attempts reach the server."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()
