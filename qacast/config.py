"""The show: ``qacast.toml`` read into a frozen ``ShowConfig``.

Every key the file may hold is declared once in ``FIELDS`` with the function
that checks and converts it, so adding a setting is one line there and one
field on ``ShowConfig``. Unknown keys are errors: a typo such as ``titel``
must not silently leave the default in place.

A show folder without ``qacast.toml`` still builds: the title is the folder's
name, the description repeats the title (RSS requires one), and every other
field takes its default below. ``qacast init`` writes a file with every field
spelled out, including a random ``guid_namespace`` that keeps episode guids
stable for the life of the show (see ``qacast.publish.catalog.episode_guid``).

Only settings live here: this module imports plain data (the format
records, Apple's categories, the limits every value keeps to) and the
lexicon's reader, no stage, so reading a show costs no audio, voice or
publishing code.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qacast.apple import APPLE_CATEGORIES
from qacast.errors import ConfigError
from qacast.formats import DEFAULT_FORMAT, FORMATS
from qacast.fsutil import not_a_file
from qacast.limits import DEFAULT_MAX_SCRIPT_BYTES, NOT_XML_CHARS, is_language_tag
from qacast.models import MusicKind, VoiceOverride
from qacast.script.speech.lexicon import Lexicon, parse_lexicon

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = "qacast.toml"

# mono targets -19 LUFS, stereo -16 LUFS (they play equally loud: two identical
# channels measure 3 LU louder than one).
LOUDNESS_PROFILES: tuple[str, ...] = ("mono", "stereo")

# Apple accepts JPEG or PNG artwork only.
COVER_SUFFIXES: tuple[str, ...] = (".jpg", ".jpeg", ".png")

DEFAULT_BASE_URL = "http://127.0.0.1:8000/"

# Directories a show may list under [subscribe] -> the name its link shows, in
# the order the site lists them (the feed's own link comes last, always).
SUBSCRIBE_DIRECTORIES: dict[str, str] = {
    "apple": "Apple Podcasts",
    "spotify": "Spotify",
    "youtube": "YouTube Music",
    "amazon": "Amazon Music",
    "pocketcasts": "Pocket Casts",
    "overcast": "Overcast",
    "antennapod": "AntennaPod",
    "castbox": "Castbox",
    "podcastaddict": "Podcast Addict",
    "fountain": "Fountain",
    "podcastindex": "Podcast Index",
}

# Music settings that name qacast's own sounds rather than a file.
BUILTIN_JINGLE = "jingle"
BUILTIN_STING = "sting"

# The show's music, in the order it plays: where each piece sits -> the
# qacast.toml setting that names it. The settings, the render, its fingerprint
# and the build's checks all take the three from here.
MUSIC_SETTINGS: dict[MusicKind, str] = {
    "intro": "intro_music",
    "sting": "sting",
    "outro": "outro_music",
}


# --- loudness targets ------------------------------------------------------------------


@dataclass(frozen=True)
class LoudnessTarget:
    integrated_lufs: float = -19.0  # -19 LUFS mono plays as -16 on stereo devices
    true_peak_dbtp: float = -1.0  # headroom for lossy encoders and players


LOUDNESS_PRESETS: dict[str, LoudnessTarget] = {
    "mono": LoudnessTarget(-19.0, -1.0),
    "stereo": LoudnessTarget(-16.0, -1.0),
}

# Outside these, the value is a typo or would sound broken, not a taste.
LUFS_RANGE = (-40.0, -5.0)
DBTP_RANGE = (-9.0, 0.0)

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_TARGET_TEXT = re.compile(rf"^\s*({_NUMBER})\s*(?:/\s*({_NUMBER})\s*)?$")


def parse_loudness_target(text: str) -> LoudnessTarget:
    """Parse "mono", "stereo", "-19" (LUFS) or "-16/-1.5" (LUFS/dBTP) into a target."""
    preset = LOUDNESS_PRESETS.get(text.strip().lower())
    if preset is not None:
        return preset
    match = _TARGET_TEXT.match(text)
    if match is None:
        presets = ", ".join(LOUDNESS_PRESETS)
        raise ConfigError(
            f"loudness {text!r}: expected {presets}, LUFS like -19, or LUFS/dBTP like -16/-1.5"
        )
    lufs = float(match.group(1))
    dbtp = float(match.group(2)) if match.group(2) is not None else LoudnessTarget().true_peak_dbtp
    if not LUFS_RANGE[0] <= lufs <= LUFS_RANGE[1]:
        raise ConfigError(
            f"loudness {text!r}: {lufs:g} LUFS is outside {LUFS_RANGE[0]:g} to {LUFS_RANGE[1]:g}"
        )
    if not DBTP_RANGE[0] <= dbtp <= DBTP_RANGE[1]:
        raise ConfigError(
            f"loudness {text!r}: true peak {dbtp:g} dBTP is outside "
            f"{DBTP_RANGE[0]:g} to {DBTP_RANGE[1]:g}"
        )
    return LoudnessTarget(lufs, dbtp)


@dataclass(frozen=True)
class PersonLinks:
    """Where a recurring person's podcast:person credit points ([people."Name"]
    href and img). How their voice is cast is ``ShowConfig.people_voices``."""

    href: str = ""
    img: str = ""


@dataclass(frozen=True, kw_only=True)
class ShowConfig:
    title: str
    show_dir: Path  # absolute; relative paths in qacast.toml are read from here
    author: str = ""
    description: str = ""
    language: str = "en"  # ISO 639 code, optionally with a region: "en", "en-us"
    # Whether qacast.toml sets ``language``: when it does not, the feed still says
    # "en" but each episode's language is detected from its words.
    language_set: bool = False
    category: str = "Technology"  # a key of APPLE_CATEGORIES
    subcategory: str | None = None  # one of APPLE_CATEGORIES[category]
    explicit: bool = False
    base_url: str = DEFAULT_BASE_URL  # where out/ is published; ends with "/"
    owner_name: str = ""
    owner_email: str = ""
    copyright: str = ""
    cover: Path | None = None  # resolved, inside show_dir; JPEG or PNG
    voices: str = "default"  # cast preset name
    formats: tuple[str, ...] = (DEFAULT_FORMAT,)  # keys of FORMATS; the first is the enclosure
    loudness: str = "mono"  # "mono", "stereo", "-19" (LUFS) or "-16/-1.5" (LUFS/dBTP)
    # Music (MUSIC_SETTINGS): "jingle" (qacast's own), "sting" (its first
    # bars), a file inside the show folder, or None for none.
    intro_music: str | None = None
    outro_music: str | None = None
    sting: str | None = None
    # Seeds episode guids; written once by ``init_show`` so that renaming the
    # show or moving it to another host never changes them.
    guid_namespace: uuid.UUID | None = None
    # podcast:guid of the channel; None keeps the one already published (the
    # imported feed's, or out/feed.xml's), else derives it from the feed URL.
    podcast_guid: uuid.UUID | None = None
    # A show that moves: the feed it had elsewhere, saved inside the show folder
    # (its podcast:guid and its items' guids are kept), and, on a feed left
    # behind, the address it moved to (itunes:new-feed-url).
    import_feed: Path | None = None
    new_feed_url: str = ""
    # Channel podcast:person credits (role host), linked by their [people] tables.
    hosts: tuple[str, ...] = ()
    # podcast:txt: purpose -> text (a directory's ownership token); "" for none.
    txt: Mapping[str, str] = field(default_factory=dict)
    # Directory -> the show's page there, for the site's subscribe links
    # (keys of SUBSCRIBE_DIRECTORIES).
    subscribe: Mapping[str, str] = field(default_factory=dict)
    # Podcasting 2.0 channel tags, written only when set: podcast:license
    # ("CC BY 4.0" or a licence name) and podcast:funding (a page and its label).
    license: str = ""
    funding_url: str = ""
    funding_text: str = ""
    # podcast:locked "yes" asks other hosts not to import the feed without
    # the owner's consent (confirmed by mail to owner_email).
    locked: bool = False
    # Speaker name -> links for their podcast:person credit ([people."Name"] tables).
    people: Mapping[str, PersonLinks] = field(default_factory=dict)
    # Speaker name -> how their voice is cast in every episode they speak in
    # (the same tables' voice, pitch, rate_wpm and gender); only people with one.
    people_voices: Mapping[str, VoiceOverride] = field(default_factory=dict)
    # [lexicon]: how to say words ("FCIPS" = "F C I P S"), over voices/lexicon.toml.
    lexicon: Lexicon | None = None
    # A script larger than this is refused before it is parsed: parsing is
    # not meant for book-sized input (50 MB took over a minute and 620 MB).
    max_script_bytes: int = DEFAULT_MAX_SCRIPT_BYTES

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"

    @property
    def music(self) -> dict[MusicKind, str | None]:
        """Where each piece of music plays -> its source, in the order it plays."""
        return {kind: getattr(self, setting) for kind, setting in MUSIC_SETTINGS.items()}

    def music_file(self, source: str | None) -> Path | None:
        """The file a music setting names; None for none or qacast's own sounds."""
        if source is None or source in (BUILTIN_JINGLE, BUILTIN_STING):
            return None
        return self.show_dir / source


# --- field validators ----------------------------------------------------------
#
# Each takes the raw TOML value and the show folder, returns the converted value
# or raises ValueError whose text completes "field 'x' must ...".

Validator = Callable[[Any, Path], Any]

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PRESET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _text(value: Any, _show_dir: Path) -> str:
    if not isinstance(value, str):
        raise ValueError("be a string")
    if NOT_XML_CHARS.search(value):
        raise ValueError("hold no control characters")
    return value.strip()


def _nonempty_text(value: Any, show_dir: Path) -> str:
    text = _text(value, show_dir)
    if not text:
        raise ValueError("not be empty")
    return text


def _boolean(value: Any, _show_dir: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError("be true or false")
    return value


def _language(value: Any, _show_dir: Path) -> str:
    if not isinstance(value, str) or not _LANGUAGE.match(value) or not is_language_tag(value):
        raise ValueError("be an ISO 639 code like 'en'")
    return value


def _category(value: Any, _show_dir: Path) -> str:
    # isinstance first: a TOML array or table is unhashable and cannot be looked up.
    if not isinstance(value, str) or value not in APPLE_CATEGORIES:
        raise ValueError("be an Apple Podcasts category like 'Technology' or 'Business'")
    return str(value)


def _subcategory(value: Any, _show_dir: Path) -> str:
    # Checked against the category once both are known (see _check_subcategory).
    if not isinstance(value, str) or not value:
        raise ValueError("be an Apple Podcasts subcategory like 'Tech News'")
    return value


def _base_url(value: Any, _show_dir: Path) -> str:
    # Every feed and site URL is this prefix plus a file name: a space, query
    # or fragment in it would make each of them broken.
    if not isinstance(value, str) or not re.match(r"^https?://[^/?#\s]+/[^?#\s]*$", value):
        raise ValueError("be an http(s) URL like 'https://example.org/show/'")
    if not value.endswith("/"):
        raise ValueError("end with '/'")
    return value


def _web_url(value: Any, _show_dir: Path) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^/?#\s]+(/\S*)?$", value):
        raise ValueError("be an http(s) URL like 'https://example.org/support'")
    return value


def _whole(value: Any, _show_dir: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("be a whole number")
    return value


def _gender(value: Any, _show_dir: Path) -> str:
    if value not in ("female", "male"):
        raise ValueError("be female or male")
    return str(value)


# What a [people."Name"] table may hold: its credit links and its casting.
PERSON_FIELDS: dict[str, Validator] = {
    "href": lambda url, show_dir: _web_url(url, show_dir),
    "img": lambda url, show_dir: _web_url(url, show_dir),
    "voice": lambda voice, show_dir: _text(voice, show_dir),
    "pitch": _whole,
    "rate_wpm": _whole,
    "gender": _gender,
}


CREDIT_FIELDS = ("href", "img")  # the rest of a [people."Name"] table casts the voice


def _people(value: Any, show_dir: Path) -> tuple[dict[str, PersonLinks], dict[str, VoiceOverride]]:
    """The [people."Name"] tables: each person's credit links, and the voice of
    those whose table casts one."""
    message = 'be tables like [people."Ada Host"] with href, img, voice, pitch, rate_wpm or gender'
    if not isinstance(value, dict):
        raise ValueError(message)
    links, voices = {}, {}
    for name, table in value.items():
        if not isinstance(table, dict) or not set(table) <= set(PERSON_FIELDS):
            raise ValueError(message)
        try:
            checked = {key: PERSON_FIELDS[key](raw, show_dir) for key, raw in table.items()}
        except ValueError as err:
            raise ValueError(f"{message} ({name}: {err})") from None
        links[name] = PersonLinks(**{k: v for k, v in checked.items() if k in CREDIT_FIELDS})
        voice = VoiceOverride(**{k: v for k, v in checked.items() if k not in CREDIT_FIELDS})
        if voice != VoiceOverride():
            voices[name] = voice
    return links, voices


def _email(value: Any, _show_dir: Path) -> str:
    if (
        not isinstance(value, str)
        or (value and not _EMAIL.match(value))
        or NOT_XML_CHARS.search(value)
    ):
        raise ValueError("be an email address like 'host@example.org'")
    return value


def _cover(value: Any, show_dir: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ValueError("be a path to a JPEG or PNG file inside the show folder")
    path = (show_dir / value).resolve()
    if not path.is_relative_to(show_dir.resolve()):
        raise ValueError("be a path inside the show folder")
    if path.suffix.lower() not in COVER_SUFFIXES:
        raise ValueError("be a .jpg or .png file")
    if not path.is_file():
        raise ValueError("name an existing file")
    return path


def _preset(value: Any, _show_dir: Path) -> str:
    if not isinstance(value, str) or not _PRESET.match(value):
        raise ValueError("be a cast preset name like 'default'")
    return value


def _formats(value: Any, _show_dir: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or any(not isinstance(item, str) or item not in FORMATS for item in value)
        or len(set(value)) != len(value)
    ):
        raise ValueError(f"be a list of distinct formats from {list(FORMATS)}")
    return tuple(value)


def _loudness(value: Any, _show_dir: Path) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"be one of {list(LOUDNESS_PROFILES)} or LUFS like '-19' or '-16/-1.5'")
    try:
        parse_loudness_target(str(value))
    except ConfigError:
        raise ValueError(
            f"be one of {list(LOUDNESS_PROFILES)} or LUFS like '-19' or '-16/-1.5'"
        ) from None
    return str(value)


def _music(value: Any, show_dir: Path) -> str:
    if value in (BUILTIN_JINGLE, BUILTIN_STING):
        return str(value)
    if not isinstance(value, str) or not value:
        raise ValueError("be 'jingle', 'sting' or the path of an audio file inside the show folder")
    path = (show_dir / value).resolve()
    if not path.is_relative_to(show_dir.resolve()):
        raise ValueError("be a path inside the show folder")
    if not path.is_file():
        raise ValueError("name an existing audio file")
    return value


def _positive_int(value: Any, _show_dir: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("be a whole number of at least 1")
    return value


def _uuid(value: Any, _show_dir: Path) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise ValueError("be a UUID like '5f0b7c2e-1d3a-4c8e-9b6f-2a7d9e1c4b80'")


def _show_file(value: Any, show_dir: Path) -> Path:
    if not isinstance(value, str) or not value:
        raise ValueError("be the path of a file inside the show folder")
    path = (show_dir / value).resolve()
    if not path.is_relative_to(show_dir.resolve()):
        raise ValueError("be a path inside the show folder")
    if not path.is_file():
        raise ValueError("name an existing file")
    return path


def _names(value: Any, show_dir: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError('be a list of names like ["Ada Host"]')
    names = tuple(_nonempty_text(item, show_dir) for item in value)
    if len(set(names)) != len(names):
        raise ValueError("name each person once")
    return names


# podcast:txt limits: a purpose of at most 128 characters, a text of at most 4000.
TXT_PURPOSE_MAX = 128
TXT_TEXT_MAX = 4000


def _txt(value: Any, show_dir: Path) -> dict[str, str]:
    if isinstance(value, str):
        value = {"": value}
    message = 'be a text or a table of purpose = "text" like { verify = "S6lpp-7ZCn8-dZfGc-OoyaG" }'
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ValueError(message)
    checked = {purpose: _nonempty_text(text, show_dir) for purpose, text in value.items()}
    if any(len(p) > TXT_PURPOSE_MAX or len(t) > TXT_TEXT_MAX for p, t in checked.items()):
        raise ValueError(f"keep purposes to {TXT_PURPOSE_MAX} and texts to {TXT_TEXT_MAX} chars")
    return checked


def _subscribe(value: Any, show_dir: Path) -> dict[str, str]:
    known = ", ".join(SUBSCRIBE_DIRECTORIES)
    if not isinstance(value, dict) or not set(value) <= set(SUBSCRIBE_DIRECTORIES):
        raise ValueError(f"be a table of directory = URL, directories from: {known}")
    # In the table's order, whatever order the file lists them in: same site bytes.
    return {
        name: _web_url(value[name], show_dir) for name in SUBSCRIBE_DIRECTORIES if name in value
    }


def _lexicon(value: Any, show_dir: Path) -> Lexicon:
    if not isinstance(value, dict):
        raise ValueError('be a table of words and readings like { FCIPS = "F C I P S" }')
    # Its own one-line ConfigError names the entry that is wrong.
    return parse_lexicon(value, f"{show_dir / CONFIG_NAME} [lexicon]")


FIELDS: dict[str, Validator] = {
    "title": _nonempty_text,
    "author": _text,
    "description": _text,
    "language": _language,
    "category": _category,
    "subcategory": _subcategory,
    "explicit": _boolean,
    "base_url": _base_url,
    "owner_name": _text,
    "owner_email": _email,
    "copyright": _text,
    "cover": _cover,
    "voices": _preset,
    "formats": _formats,
    "loudness": _loudness,
    **dict.fromkeys(MUSIC_SETTINGS.values(), _music),
    "guid_namespace": _uuid,
    "podcast_guid": _uuid,
    "import_feed": _show_file,
    "new_feed_url": _web_url,
    "hosts": _names,
    "txt": _txt,
    "subscribe": _subscribe,
    "license": _text,
    "funding_url": _web_url,
    "funding_text": _text,
    "locked": _boolean,
    "people": _people,
    "lexicon": _lexicon,
    "max_script_bytes": _positive_int,
}


def _field_error(config_path: Path, name: str, message: str, value: Any) -> ConfigError:
    return ConfigError(f"{config_path}: field '{name}' must {message}, got {value!r}")


def parse_show(data: Mapping[str, Any], *, show_dir: Path, config_path: Path) -> ShowConfig:
    """Check the keys of a parsed ``qacast.toml`` and build the ShowConfig."""
    values: dict[str, Any] = {}
    for name, raw in data.items():
        validator = FIELDS.get(name)
        if validator is None:
            known = ", ".join(FIELDS)
            raise ConfigError(f"{config_path}: unknown field '{name}' (known fields: {known})")
        try:
            values[name] = validator(raw, show_dir)
        except ValueError as err:
            raise _field_error(config_path, name, str(err), raw) from None
    values["language_set"] = "language" in values
    if "people" in values:  # one table per person: a credit, and maybe a voice
        values["people"], values["people_voices"] = values["people"]
    values.setdefault("title", show_dir.name or "Podcast")
    values.setdefault("description", values["title"])
    if not values["description"]:
        values["description"] = values["title"]  # RSS requires a channel description
    category = values.setdefault("category", "Technology")
    subcategory = values.get("subcategory")
    if subcategory is not None and subcategory not in APPLE_CATEGORIES[category]:
        allowed = list(APPLE_CATEGORIES[category]) or "none"
        raise _field_error(
            config_path,
            "subcategory",
            f"be a subcategory of '{category}' ({allowed})",
            subcategory,
        )
    return ShowConfig(show_dir=show_dir, **values)


def load_show(show_dir: Path) -> ShowConfig:
    """Read ``show_dir/qacast.toml``; without one, defaults derived from the folder."""
    show_dir = show_dir.resolve()
    config_path = show_dir / CONFIG_NAME
    if not show_dir.is_dir():
        raise ConfigError(f"{show_dir}: show folder does not exist")
    try:
        kind = not_a_file(config_path.stat().st_mode)
        if kind is not None:  # a named pipe would never finish reading
            raise ConfigError(f"{config_path}: is {kind}, not a settings file")
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return parse_show({}, show_dir=show_dir, config_path=config_path)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{config_path}: cannot be read ({err})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{config_path}: invalid TOML ({err})") from None
    return parse_show(data, show_dir=show_dir, config_path=config_path)
