"""Where a show is published: a folder, an S3-compatible bucket, a server over SFTP.

Each destination is a ``Host``: it lists what it holds, reads and writes the
publish manifest, uploads one file so that a reader sees the old object or
the new one and never half of one, and deletes. ``open_host`` turns the
``--to`` address into one; the S3 and SFTP hosts live in their own modules,
which import their client library only when used (``qacast[publish]``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from qacast.errors import ConfigError, OutputError
from qacast.fsutil import atomic_write_bytes, copy_atomically
from qacast.publish.plan import RemoteFile

EXTRA_HINT = "pip install 'qacast[publish]'"


class Host(Protocol):
    @property
    def address(self) -> str:
        """The destination as the producer wrote it, for messages."""

    @property
    def identity(self) -> str:
        """The same destination however it is written: names its local record."""

    def listing(self) -> dict[str, RemoteFile]:
        """Every file under the destination: path relative to it -> size and tag."""

    def read(self, path: str) -> bytes | None:
        """A small file's bytes (the manifest), None when it is not there."""

    def upload(self, source: Path | bytes, path: str, content_type: str,
               cache_control: str) -> RemoteFile:  # fmt: skip
        """Put ``source`` at ``path`` atomically; what the host lists for it after."""

    def delete(self, path: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class FolderHost:
    """A folder on this machine or a mounted share; a web server serves it.

    Content-Type and Cache-Control are the web server's to send, so only the
    bytes are written (through a temporary file and a rename)."""

    root: Path
    address: str

    @property
    def identity(self) -> str:
        return self.root.as_uri()

    def listing(self) -> dict[str, RemoteFile]:
        files: dict[str, RemoteFile] = {}
        for directory, _folders, names in os.walk(self.root):
            for name in names:
                path = Path(directory) / name
                try:
                    status = path.stat()
                except OSError:
                    continue  # removed while listed
                key = path.relative_to(self.root).as_posix()
                files[key] = RemoteFile(status.st_size, str(status.st_mtime_ns))
        return files

    def read(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            raise OutputError(f"cannot read {self.root / path}: {err.strerror or err}") from err

    def upload(
        self, source: Path | bytes, path: str, content_type: str, cache_control: str
    ) -> RemoteFile:
        target = self.root / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create {target.parent}: {err.strerror or err}") from err
        if isinstance(source, bytes):
            atomic_write_bytes(target, source)
        else:
            copy_atomically(source, target)
        status = target.stat()
        return RemoteFile(status.st_size, str(status.st_mtime_ns))

    def delete(self, path: str) -> None:
        try:
            (self.root / path).unlink(missing_ok=True)
        except OSError as err:
            raise OutputError(f"cannot delete {self.root / path}: {err.strerror or err}") from err

    def close(self) -> None:
        pass


def open_host(address: str, endpoint_url: str | None = None) -> Host:
    """The host that ``--to`` names: a folder path or file:// URL, s3://bucket/prefix,
    or sftp://user@host:port/path. Bad addresses fail before anything is contacted."""
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if endpoint_url is not None and scheme != "s3":
        raise ConfigError("--endpoint-url is for s3:// destinations only")
    if scheme == "s3":
        from qacast.publish.host_s3 import open_s3

        return open_s3(address, parts, endpoint_url)
    if scheme == "sftp":
        from qacast.publish.host_sftp import open_sftp

        return open_sftp(address, parts)
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"--to {address}: a file:// address names this machine only")
        return _folder(Path(unquote(parts.path)), address)
    if scheme and len(scheme) > 1:  # "c:" is a Windows drive, not a scheme
        raise ConfigError(
            f"--to {address}: unknown kind of destination '{scheme}://'; "
            "use a folder, file://, s3:// or sftp://"
        )
    return _folder(Path(address), address)


def _folder(root: Path, address: str) -> FolderHost:
    if root.exists() and not root.is_dir():
        raise ConfigError(f"--to {address}: is a file, not a folder")
    return FolderHost(root.absolute(), address)
