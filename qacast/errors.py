"""Errors a user can act on, and the exit codes they map to.

Library code raises a ``QacastError`` subclass with a one-line message; only
``cli.py`` turns it into a stderr line and an exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # an unexpected failure while rendering
    USAGE = 2  # Click's own code for bad options
    BAD_INPUT = 3  # a script, preset, config or asset the user must fix
    OUTPUT = 4  # the output could not be written
    ENGINE = 5  # the speech engine or the encoder failed
    SOME_FAILED = 6  # a build in which some episodes failed and the others were built
    REJECTED = 7  # qacast check: a podcast directory would reject the built show
    PUBLISH = 8  # qacast publish: the destination could not be reached or refused the upload
    INTERRUPTED = 130


class QacastError(Exception):
    """Base error; ``str(err)`` is the one-line message shown to the user."""

    exit_status: ExitStatus = ExitStatus.ERROR


class ScriptError(QacastError):
    """A transcript that cannot be read or understood."""

    exit_status = ExitStatus.BAD_INPUT


class NoDialogueError(ScriptError):
    """A transcript in which the parser found no speaker labels nor any question layout."""


class ConfigError(QacastError):
    """A cast preset, show config or option value that is wrong."""

    exit_status = ExitStatus.BAD_INPUT


class AssetError(QacastError):
    """A sound or image asset that cannot be used."""

    exit_status = ExitStatus.BAD_INPUT


class OutputError(QacastError):
    """The output directory or a file in it cannot be written."""

    exit_status = ExitStatus.OUTPUT


class SomeEpisodesFailedError(QacastError):
    """A build in which some scripts failed (each already reported)."""

    exit_status = ExitStatus.SOME_FAILED


class EngineError(QacastError):
    """The speech engine or the encoder failed."""

    exit_status = ExitStatus.ENGINE


class ShowRejectedError(QacastError):
    """``qacast check`` found problems (each already printed)."""

    exit_status = ExitStatus.REJECTED


class PublishError(QacastError):
    """The destination of ``qacast publish`` cannot be reached, refused the
    credentials, has no such bucket, or failed an upload."""

    exit_status = ExitStatus.PUBLISH


class OnlineCheckError(QacastError):
    """What is online at the show's base URL is not what was published: the feed
    cannot be fetched there, or a file it links is missing or differs."""

    exit_status = ExitStatus.REJECTED
