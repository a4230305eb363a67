"""Everything that shapes an episode's bytes, listed once, and the two ways a
build tells whether it changed since the last render.

``RenderInputs`` names each input once: files by their path, everything else
by its value. From it come

- the **stamp** (``stamp()``): files by their metadata (qacast/stamps.py),
  a few stat calls; equal stamps mean nothing changed, and nothing is read;
- the **fingerprint** (``fingerprint()``): files by their bytes; asked only
  when the stamp moved, it decides whether the episode is rendered again (a
  file touched but not changed hashes the same).

Both walk the same fields, so an input added here reaches both; a test
changes each field in turn and requires both to move. What does not shape an
episode (the feed's fields, the base URL, the show's description) is not
here: changing it re-renders nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from qacast import __version__
from qacast.config import LoudnessTarget
from qacast.manifest import fingerprint
from qacast.models import EncodeSettings, VoiceOverride
from qacast.script.speech.lexicon import LEXICON_FILE
from qacast.stamps import engine_versions, file_metadata, own_code

if TYPE_CHECKING:
    from qacast.render_env import RenderSettings
    from qacast.script.speech.lexicon import Lexicon

# How one input is known in a stamp or a fingerprint (see _by_metadata, _by_content).
View: TypeAlias = Callable[[object], object]


@dataclass(frozen=True)
class QacastCode:
    """qacast itself: exactly, its version; cheaply, its source files' metadata,
    so a checkout edited without a new version hashes every input once again."""

    version: str


@dataclass(frozen=True)
class RenderInputs:
    """What one episode's render reads, each input once (files as paths)."""

    script: Path
    # The episode's number, tagged as the track; not its place among the
    # scripts, so adding a script re-renders no other episode.
    number: int | None
    date: dt.date | None  # tagged when the script gives none: the day it was first published
    show: tuple[str, str]  # title and author: the tags, and the cover drawn for an episode
    # The show's language and whether qacast.toml sets it (else each
    # episode's is detected: setting one changes how the text is read).
    language: tuple[str, bool]
    preset: Path  # the cast preset file
    people: tuple[tuple[str, VoiceOverride], ...]  # [people."Name"] voices, by name
    lexicon: tuple[Lexicon | None, Path | None]  # qacast.toml's [lexicon], voices/lexicon.toml
    # Intro, sting and outro: the setting, and the file it names when there is one.
    music: tuple[tuple[str, str | None, Path | None], ...]
    formats: tuple[EncodeSettings, ...]
    loudness: LoudnessTarget
    cover: bytes  # the show's cover; b"" without one (each episode's is drawn)
    image: Path | None  # the episode's own artwork, front matter's image (over the cover)
    engines: str  # every speech engine's version
    code: QacastCode

    def stamp(self) -> str:
        """Files by their metadata as it is now: a few stat calls, nothing read."""
        return self._digest(_by_metadata)

    def fingerprint(self) -> str:
        """Files by their content as it is now: every input read and hashed."""
        return self._digest(_by_content)

    def _digest(self, view: View) -> str:
        return fingerprint((f.name, repr(view(getattr(self, f.name)))) for f in fields(self))


def render_inputs(
    script: Path,
    settings: RenderSettings,
    number: int | None,
    date: dt.date | None,
    image: Path | None = None,
) -> RenderInputs:
    """The inputs of ``script``'s render with ``settings``, as the episode
    numbered ``number`` and first published on ``date``, with ``image`` (the
    file its front matter's image names) as its artwork."""
    show = settings.show
    lexicon_file = show.show_dir / LEXICON_FILE
    return RenderInputs(
        script=script,
        number=number,
        date=date,
        show=(show.title, show.author),
        language=(show.language, show.language_set),
        preset=settings.preset.path,
        people=tuple(sorted(show.people_voices.items())),
        lexicon=(show.lexicon, lexicon_file if lexicon_file.is_file() else None),
        music=tuple((kind, source, show.music_file(source)) for kind, source in show.music.items()),
        formats=settings.formats,
        loudness=settings.loudness,
        cover=settings.cover[0] if settings.cover else b"",
        image=image,
        engines=engine_versions(),
        code=QacastCode(__version__),
    )


# Files and qacast's code are known by one of these two views; bytes by their
# digest; tuples item by item; any other value by its repr.


def _by_metadata(value: object) -> object:
    if isinstance(value, Path):
        return (str(value), file_metadata(value))
    if isinstance(value, QacastCode):
        return (value.version, own_code())
    return _items(value, _by_metadata)


def _by_content(value: object) -> object:
    if isinstance(value, Path):
        return hashlib.sha256(value.read_bytes()).hexdigest()
    if isinstance(value, QacastCode):
        return value.version
    return _items(value, _by_content)


def _items(value: object, view: View) -> object:
    if isinstance(value, bytes):
        return _digest(value)
    if isinstance(value, tuple):
        return tuple(view(item) for item in value)
    return value


@functools.lru_cache(maxsize=4)
def _digest(data: bytes) -> str:
    """The show's cover is the same for every episode: hashed once per build."""
    return hashlib.sha256(data).hexdigest()
