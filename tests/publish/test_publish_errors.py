"""What goes wrong when publishing says so in one line, with its exit code.

Bad addresses fail before anything is contacted (3); a host that cannot be
reached, refuses the credentials or has no such bucket fails with 8; a show
that is published but cannot be fetched from its base URL fails the check that
follows with 7. Each against the real servers of the other publish tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from build_helpers import build, free_port, make_show, qacast_command, session_cache

from qacast.errors import ExitStatus

from publish_servers import BUCKET, S3Server, SftpServer, s3_environment, write_key

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built show whose base URL nothing serves; the publishes here only read it."""
    root = tmp_path_factory.mktemp("built")
    show_dir = make_show(root, base_url=f"http://127.0.0.1:{free_port()}/")
    build(show_dir, session_cache(tmp_path_factory))
    return show_dir


def publish(show_dir: Path, to: str, env: dict[str, str], *args: str) -> tuple[int, str]:
    """Exit status and stderr of a quiet publish (-q: only the error line is printed)."""
    result = subprocess.run(
        [*qacast_command(), "publish", str(show_dir), "--to", to, "-q", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("qacast: error: ")
    return lines[0]


def test_an_unbuilt_show_is_refused(tmp_path: Path) -> None:
    show_dir = make_show(tmp_path)
    status, stderr = publish(show_dir, str(tmp_path / "www"), s3_environment(tmp_path))
    assert status == ExitStatus.BAD_INPUT
    assert "nothing built yet" in one_line(stderr)
    assert not (tmp_path / "www").exists()


@pytest.mark.parametrize(
    ("to", "args", "words"),
    [
        ("ftp://example.org/show", (), "unknown kind of destination"),
        ("s3://", (), "s3://BUCKET"),
        ("s3://bucket/show", ("--endpoint-url", "minio.local:9000"), "must start with https://"),
        ("sftp://me:secret@127.0.0.1/show", (), "QACAST_SFTP_PASSWORD"),
        ("sftp://me@127.0.0.1:99999/show", (), "port"),
        ("sftp:///show", (), "sftp://USER@HOST"),
        ("/tmp/www", ("--endpoint-url", "https://example.org"), "s3:// destinations only"),
        ("file://example.org/www", (), "this machine only"),
    ],
)
def test_bad_addresses_fail_before_anything_is_contacted(
    built: Path, tmp_path: Path, to: str, args: tuple[str, ...], words: str
) -> None:
    status, stderr = publish(built, to, s3_environment(tmp_path), *args)
    assert status == ExitStatus.BAD_INPUT
    assert words in one_line(stderr)


def test_a_destination_inside_out_is_refused(built: Path, tmp_path: Path) -> None:
    status, stderr = publish(built, str(built / "out" / "copy"), s3_environment(tmp_path))
    assert status == ExitStatus.BAD_INPUT
    assert "inside out/" in one_line(stderr)
    assert not (built / "out" / "copy").exists()


def _s3_env(server: S3Server, home: Path, **changes: str) -> dict[str, str]:
    env = {**s3_environment(home), "AWS_ENDPOINT_URL": server.endpoint, "AWS_MAX_ATTEMPTS": "1"}
    env.update(changes)
    return {k: v for k, v in env.items() if v}


@pytest.mark.parametrize(
    ("to", "changes", "words"),
    [
        (f"s3://{BUCKET}/x", {"AWS_SECRET_ACCESS_KEY": "not-the-secret"}, "secret key does not"),
        (f"s3://{BUCKET}/x", {"AWS_ACCESS_KEY_ID": "someone-else"}, "does not know the access key"),
        ("s3://no-such-bucket/x", {}, "there is no bucket 'no-such-bucket'"),
        (
            f"s3://{BUCKET}/x",
            {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
            "no S3 credentials",
        ),
    ],
)
def test_s3_refusals_are_one_line(
    built: Path, tmp_path: Path, s3_server: S3Server, to: str, changes: dict[str, str], words: str
) -> None:
    status, stderr = publish(built, to, _s3_env(s3_server, tmp_path, **changes))
    assert status == ExitStatus.PUBLISH
    assert words in one_line(stderr)


def test_an_unreachable_s3_endpoint_is_one_line(
    built: Path, tmp_path: Path, s3_server: S3Server
) -> None:
    env = _s3_env(s3_server, tmp_path)
    closed = f"http://127.0.0.1:{free_port()}"
    status, stderr = publish(built, f"s3://{BUCKET}/x", env, "--endpoint-url", closed)
    assert status == ExitStatus.PUBLISH
    assert "cannot reach" in one_line(stderr) and closed in stderr


def _home_with(tmp_path: Path, server: SftpServer, key: bool, known: bool) -> dict[str, str]:
    """A HOME whose ~/.ssh has the server's client key (or another) and maybe its host key."""
    ssh = tmp_path / "home" / ".ssh"
    ssh.mkdir(parents=True)
    if key:
        shutil.copy(server.home / ".ssh" / "id_rsa", ssh / "id_rsa")
    else:
        write_key(ssh / "id_rsa")
    if known:
        shutil.copy(server.home / ".ssh" / "known_hosts", ssh / "known_hosts")
    return {**server.environment(), "HOME": str(tmp_path / "home")}


@pytest.mark.parametrize(
    ("key", "known", "words"),
    [(True, False, "unknown host key"), (False, True, "login refused")],
)
def test_sftp_refusals_are_one_line(
    built: Path, tmp_path: Path, sftp_server: SftpServer, key: bool, known: bool, words: str
) -> None:
    env = _home_with(tmp_path, sftp_server, key, known)
    status, stderr = publish(built, sftp_server.url("/refused"), env)
    assert status == ExitStatus.PUBLISH
    assert words in one_line(stderr)
    assert not (sftp_server.root / "refused").exists()


def test_an_unreachable_sftp_host_is_one_line(built: Path, tmp_path: Path) -> None:
    port = free_port()
    status, stderr = publish(built, f"sftp://me@127.0.0.1:{port}/show", dict(os.environ))
    assert status == ExitStatus.PUBLISH
    assert f"cannot reach 127.0.0.1:{port}" in one_line(stderr)


@pytest.mark.parametrize("wrong", ["path", "host"])
def test_a_wrong_base_url_fails_the_check_after_publishing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, s3_server: S3Server, wrong: str
) -> None:
    """Published to s3://BUCKET/right/, but built for .../wrong/ or for a host that is
    not there: the upload succeeds, the check over HTTP says the feed is not there."""
    base = {
        "path": f"{s3_server.endpoint}/{BUCKET}/wrong-{tmp_path.name}/",
        "host": f"http://127.0.0.1:{free_port()}/{BUCKET}/right/",
    }[wrong]
    show_dir = make_show(tmp_path, base_url=base)
    build(show_dir, session_cache(tmp_path_factory))
    to = f"s3://{BUCKET}/right-{tmp_path.name}"
    status, stderr = publish(show_dir, to, _s3_env(s3_server, tmp_path))
    assert status == ExitStatus.REJECTED
    line = one_line(stderr)
    assert base + "feed.xml" in line
    assert ("HTTP 404" if wrong == "path" else "connection refused") in line
    assert "--no-verify" not in line
    status, stderr = publish(show_dir, to, _s3_env(s3_server, tmp_path), "--no-verify")
    assert status == 0, stderr


def test_without_the_publish_extra_the_error_says_what_to_install(
    built: Path, tmp_path: Path
) -> None:
    hide_boto3 = (
        "import sys; sys.modules['boto3'] = None; sys.argv[0] = 'qacast'; "
        "from qacast.cli import run; run()"
    )
    result = subprocess.run(
        [sys.executable, "-c", hide_boto3, "publish", str(built), "--to", "s3://bucket/show"],
        capture_output=True, text=True, env=s3_environment(tmp_path), timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == ExitStatus.BAD_INPUT
    assert "pip install 'qacast[publish]'" in one_line(result.stderr)
