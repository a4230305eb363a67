"""A server over SFTP (any SSH server with SFTP, OpenSSH's included), through paramiko.

``sftp://user@host:port/path``: the path is absolute; ``/~/path`` is relative
to the login folder. Keys come from the SSH agent and ~/.ssh (id_ed25519,
id_ecdsa, id_rsa), as for ssh; a password, where the server asks for one, only
from QACAST_SFTP_PASSWORD (a command line is seen by every user of the
machine, and kept in shell histories). The server must be known: its host key
in ~/.ssh/known_hosts, as ssh itself would have it.

Each file is written under a temporary dotted name beside its target and then
renamed over it (OpenSSH's posix-rename), so a web server serving the folder
hands out the old file or the new one, never half.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import posixpath
import secrets
import socket
import stat
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote

from qacast.errors import ConfigError, PublishError
from qacast.publish.hosts import EXTRA_HINT
from qacast.publish.plan import RemoteFile

PASSWORD_VARIABLE = "QACAST_SFTP_PASSWORD"
DEFAULT_PORT = 22
_TIMEOUT_S = 20.0
_FILE_MODE = 0o644  # what a web server reading the folder needs
_Errors = tuple[type[BaseException], ...]


class SftpHost:
    def __init__(self, address: str, where: str, client: Any, root: str, errors: _Errors) -> None:
        self.address, self._client, self._root = address, client, root
        self._errors = errors  # what a dropped connection or a refusal raises
        self._sftp = client.open_sftp()
        if root.startswith("~"):  # relative to the login folder
            home = self._sftp.normalize(".")
            self._root = posixpath.join(home, root[1:].lstrip("/")).rstrip("/") or "/"
        self.identity = f"sftp://{where}{self._root}"
        self._made: set[str] = set()

    def _remote(self, path: str) -> str:
        return posixpath.join(self._root, path)

    def listing(self) -> dict[str, RemoteFile]:
        files: dict[str, RemoteFile] = {}
        folders = [""]
        while folders:
            folder = folders.pop()
            try:
                entries = self._sftp.listdir_attr(self._remote(folder) if folder else self._root)
            except FileNotFoundError:
                continue  # nothing published here yet
            except self._errors as err:
                raise _failed(self.address, "cannot list", folder or "/", err) from None
            for entry in entries:
                path = posixpath.join(folder, entry.filename) if folder else entry.filename
                if stat.S_ISDIR(entry.st_mode or 0):
                    folders.append(path)
                    self._made.add(path)
                else:  # SFTP gives times in whole seconds: a hand edit shows later
                    files[path] = RemoteFile(int(entry.st_size or 0), str(entry.st_mtime))
        return files

    def read(self, path: str) -> bytes | None:
        try:
            with self._sftp.open(self._remote(path), "rb") as handle:
                return bytes(handle.read())
        except FileNotFoundError:
            return None
        except self._errors as err:
            raise _failed(self.address, "cannot read", path, err) from None

    def upload(
        self, source: Path | bytes, path: str, content_type: str, cache_control: str
    ) -> RemoteFile:
        target = self._remote(path)
        folder, name = posixpath.split(target)
        temporary = posixpath.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            self._make_folders(posixpath.dirname(path))
            if isinstance(source, bytes):
                with self._sftp.open(temporary, "wb") as handle:
                    handle.write(source)
            else:
                self._sftp.put(str(source), temporary, confirm=True)
            with contextlib.suppress(OSError):  # a server may not let modes be set
                self._sftp.chmod(temporary, _FILE_MODE)
            self._replace(temporary, target)
            status = self._sftp.stat(target)
        except self._errors as err:
            # On Ctrl-C the channel may still be busy with the transfer, so no
            # clean-up is tried then: the next publish deletes the leftover.
            with contextlib.suppress(*self._errors):
                self._sftp.remove(temporary)
            raise _failed(self.address, "cannot upload", path, err) from None
        return RemoteFile(int(status.st_size or 0), str(status.st_mtime))

    def _replace(self, temporary: str, target: str) -> None:
        try:
            self._sftp.posix_rename(temporary, target)
        except OSError:
            # A server without posix-rename: SFTP's own rename refuses to
            # overwrite, so the old file goes first (for a moment, no file).
            with contextlib.suppress(FileNotFoundError):
                self._sftp.remove(target)
            self._sftp.rename(temporary, target)

    def _make_folders(self, folder: str) -> None:
        parts = [part for part in folder.split("/") if part]
        for depth in range(len(parts) + 1):
            relative = "/".join(parts[:depth])
            if relative in self._made:
                continue
            remote = self._remote(relative) if relative else self._root
            try:
                self._sftp.stat(remote)
            except FileNotFoundError:
                self._sftp.mkdir(remote)
            self._made.add(relative)

    def delete(self, path: str) -> None:
        try:
            self._sftp.remove(self._remote(path))
        except FileNotFoundError:
            pass
        except self._errors as err:
            raise _failed(self.address, "cannot delete", path, err) from None

    def close(self) -> None:
        self._sftp.close()
        self._client.close()


def _failed(address: str, doing: str, path: str, err: BaseException) -> PublishError:
    return PublishError(f"{address}: {doing} {path}: {getattr(err, 'strerror', None) or err}")


def open_sftp(address: str, parts: SplitResult) -> SftpHost:
    try:
        import paramiko
    except ImportError:
        raise ConfigError(f"publishing over sftp:// needs paramiko: {EXTRA_HINT}") from None
    if parts.password is not None:
        raise ConfigError(f"--to: put no password in the address; set {PASSWORD_VARIABLE} instead")
    try:
        host, port = parts.hostname, parts.port or DEFAULT_PORT
    except ValueError:
        raise ConfigError(f"--to {address}: the port is not a number from 1 to 65535") from None
    if not host or parts.query or parts.fragment:
        raise ConfigError(f"--to {address}: write sftp://USER@HOST[:PORT]/PATH")
    path = unquote(parts.path) or "/"
    root = "~" + path[2:] if path.startswith("/~") else path
    user = unquote(parts.username) if parts.username else getpass.getuser()
    where = f"{user}@{host}:{port}"
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        client.connect(
            host, port=port, username=user, password=os.environ.get(PASSWORD_VARIABLE) or None,
            timeout=_TIMEOUT_S, banner_timeout=_TIMEOUT_S, auth_timeout=_TIMEOUT_S,
        )  # fmt: skip
        errors = (OSError, EOFError, paramiko.SSHException)
        return SftpHost(address, where, client, root.rstrip("/") or "/", errors)
    except paramiko.BadHostKeyException:
        client.close()
        raise PublishError(
            f"{where}: the server's host key differs from the one in ~/.ssh/known_hosts; "
            "if the server was really reinstalled, remove its old line"
        ) from None
    except paramiko.AuthenticationException:
        client.close()
        raise PublishError(
            f"{where}: login refused: no key from the SSH agent or ~/.ssh was accepted "
            f"(or set {PASSWORD_VARIABLE} if the server takes a password)"
        ) from None
    except paramiko.SSHException as err:
        client.close()
        if "known_hosts" in str(err):
            scan = f"ssh-keyscan -p {port} {host} >> ~/.ssh/known_hosts"
            raise PublishError(
                f"{where}: unknown host key; check it and add it with: {scan}"
            ) from None
        raise PublishError(f"{where}: SSH failed: {err}") from None
    except (OSError, socket.gaierror) as err:
        client.close()
        raise PublishError(f"cannot reach {host}:{port}: {err.strerror or err}") from None
