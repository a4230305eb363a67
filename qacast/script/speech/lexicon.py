"""Pronunciation lexicon: how to say the words the rules would get wrong.

A show has one in ``voices/lexicon.toml`` and/or a ``[lexicon]`` table in
``qacast.toml`` (which wins where both name a word); a script adds its own in
front matter (``lexicon:``), which wins over both. Either file looks like::

    FCIPS = "F C I P S"          # every language
    Portillo = "Por-tee-yo"
    [fr]                          # only for episodes in French ([lexicon.fr] in qacast.toml)
    Portillo = "Porti-yo"

Entries are whole words and case-aware: "FCIPS" matches only that spelling,
a word written in lower case ("gif") matches it in any case. The reading is
said as written; no later normalisation rule touches it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qacast.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

LEXICON_FILE = Path("voices") / "lexicon.toml"
ALL_LANGUAGES = ""  # the key of entries that hold in every language

Entries = tuple[tuple[str, str], ...]  # (word as written, reading)

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Lexicon:
    """Readings by language: ``("", entries)`` for all languages, ``("fr", entries)``..."""

    tables: tuple[tuple[str, Entries], ...] = ()

    def __bool__(self) -> bool:
        return any(entries for _, entries in self.tables)

    def table(self, language: str) -> dict[str, str]:
        return dict(next((e for code, e in self.tables if code == language), ()))

    def for_language(self, language: str) -> dict[str, str]:
        """Entries for every language, then the base language's, then the region's."""
        code = language.lower()
        merged: dict[str, str] = {}
        for key in dict.fromkeys((ALL_LANGUAGES, code.split("-")[0], code)):
            merged.update(self.table(key))
        return merged

    def overridden_by(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries winning, language by language."""
        codes = dict.fromkeys([code for code, _ in self.tables] + [c for c, _ in other.tables])
        return Lexicon(
            tuple(
                (code, tuple({**self.table(code), **other.table(code)}.items())) for code in codes
            )
        )


def parse_lexicon(data: Mapping[str, Any], where: str) -> Lexicon:
    """A TOML table (``{"FCIPS": "F C I P S", "fr": {...}}``) as a Lexicon; one-line errors."""
    common: dict[str, str] = {}
    tables: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            if not _LANGUAGE.match(key):
                raise ConfigError(
                    f"{where}: lexicon table [{key}] must be named by a language code like 'fr'"
                )
            tables[key.lower()] = {
                word: _reading(word, said, where) for word, said in value.items()
            }
        else:
            common[key] = _reading(key, value, where)
    return Lexicon(
        tuple((code, tuple(entries.items())) for code, entries in
              [(ALL_LANGUAGES, common), *tables.items()] if entries)
    )  # fmt: skip


def _reading(word: str, said: Any, where: str) -> str:
    if not word.strip() or _CONTROL.search(word):
        raise ConfigError(f"{where}: lexicon word {word!r} must be a word")
    if not isinstance(said, str) or not said.strip() or _CONTROL.search(said):
        raise ConfigError(f"{where}: lexicon entry {word!r} must be the text to say, got {said!r}")
    return said.strip()


def read_lexicon_file(path: Path) -> Lexicon:
    """``voices/lexicon.toml`` of a show; an absent file is an empty lexicon."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Lexicon()
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({err})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML ({err})") from None
    return parse_lexicon(data, str(path))


def show_lexicon(show_dir: Path, config_lexicon: Lexicon | None = None) -> Lexicon:
    """The show's lexicon: ``voices/lexicon.toml``, then qacast.toml's ``[lexicon]`` over it."""
    lexicon = read_lexicon_file(show_dir / LEXICON_FILE)
    return lexicon.overridden_by(config_lexicon) if config_lexicon else lexicon


def episode_readings(show: Lexicon | None, script: Entries, language: str) -> dict[str, str]:
    """What one episode uses: the show's entries for its language, the script's over them."""
    readings = show.for_language(language) if show else {}
    readings.update(script)
    return readings
