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
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qacast.errors import ConfigError, QacastError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = "qacast.toml"

# Apple Podcasts categories and their subcategories, as Apple lists them.
# itunes:category values outside this list make Apple reject the feed.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# Audio formats an episode can be encoded to; the first listed in a show's
# ``formats`` becomes the feed enclosure.
AUDIO_FORMATS: tuple[str, ...] = ("mp3", "m4a", "opus")

# mono targets -19 LUFS, stereo -16 LUFS (they play equally loud; PITFALLS 17).
LOUDNESS_PROFILES: tuple[str, ...] = ("mono", "stereo")

# Apple accepts JPEG or PNG artwork only.
COVER_SUFFIXES: tuple[str, ...] = (".jpg", ".jpeg", ".png")

DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
DEFAULT_MAX_SCRIPT_BYTES = 5_000_000


@dataclass(frozen=True, kw_only=True)
class ShowConfig:
    title: str
    show_dir: Path  # absolute; relative paths in qacast.toml are read from here
    author: str = ""
    description: str = ""
    language: str = "en"  # ISO 639 code, optionally with a region: "en", "en-us"
    category: str = "Technology"  # a key of APPLE_CATEGORIES
    subcategory: str | None = None  # one of APPLE_CATEGORIES[category]
    explicit: bool = False
    base_url: str = DEFAULT_BASE_URL  # where out/ is published; ends with "/"
    owner_name: str = ""
    owner_email: str = ""
    copyright: str = ""
    cover: Path | None = None  # resolved, inside show_dir; JPEG or PNG
    voices: str = "default"  # cast preset name
    formats: tuple[str, ...] = ("mp3",)  # first is the feed enclosure
    loudness: str = "mono"  # "mono", "stereo", "-19" (LUFS) or "-16/-1.5" (LUFS/dBTP)
    # Music: "jingle" (qacast's own), "sting" (its first bars), a file inside
    # the show folder, or None for none.
    intro_music: str | None = None
    outro_music: str | None = None
    sting: str | None = None
    # Seeds episode guids; written once by ``init_show`` so that renaming the
    # show or moving it to another host never changes them.
    guid_namespace: uuid.UUID | None = None
    # podcast:guid of the channel; None computes it from the feed URL. Set it
    # before moving the feed to a new address so apps keep the same show.
    podcast_guid: uuid.UUID | None = None
    # A script larger than this is refused before it is parsed: parsing is
    # not meant for book-sized input (50 MB took over a minute and 620 MB).
    max_script_bytes: int = DEFAULT_MAX_SCRIPT_BYTES

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"


# --- field validators ----------------------------------------------------------
#
# Each takes the raw TOML value and the show folder, returns the converted value
# or raises ValueError whose text completes "field 'x' must ...".

Validator = Callable[[Any, Path], Any]

_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PRESET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, DEL,
# U+FFFE/U+FFFF): in a title they would make the feed unwritable.
NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


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
    if not isinstance(value, str) or not _LANGUAGE.match(value):
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
        or any(item not in AUDIO_FORMATS for item in value)
        or len(set(value)) != len(value)
    ):
        raise ValueError(f"be a list of distinct formats from {list(AUDIO_FORMATS)}")
    return tuple(value)


def _loudness(value: Any, _show_dir: Path) -> str:
    from qacast.audio.loudness import parse_loudness_target

    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"be one of {list(LOUDNESS_PROFILES)} or LUFS like '-19' or '-16/-1.5'")
    try:
        parse_loudness_target(str(value))
    except QacastError:
        raise ValueError(
            f"be one of {list(LOUDNESS_PROFILES)} or LUFS like '-19' or '-16/-1.5'"
        ) from None
    return str(value)


def _music(value: Any, show_dir: Path) -> str:
    from qacast.audio.music import BUILTIN_JINGLE, BUILTIN_STING

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
    "intro_music": _music,
    "outro_music": _music,
    "sting": _music,
    "guid_namespace": _uuid,
    "podcast_guid": _uuid,
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


# --- scaffolding -----------------------------------------------------------------

_TOML_TEMPLATE = """\
# qacast show settings. Every field is optional; see qacast/config.py.
title = {title}
author = "Your Name"
description = "Conversations with people who build things, read by two voices."
language = "en"
# One of Apple's categories and, optionally, one of its subcategories.
category = "Technology"
# subcategory = "Tech News"
explicit = false
# Where out/ will be published; must end with "/". `qacast serve` uses this one.
base_url = "{base_url}"
owner_name = "Your Name"
owner_email = "you@example.org"
copyright = "© Your Name"
cover = "audio/cover.png"
voices = "default"
formats = ["mp3"]
loudness = "mono"
# Seeds the episode guids: never change it once episodes are published.
guid_namespace = "{guid_namespace}"
# Scripts larger than this many bytes are refused (default 5 MB).
# max_script_bytes = 5000000
"""

_EXAMPLE_SCRIPT = """\
---
# Optional front matter; the title line below is used when no title is set here.
episode: 1
season: 1
date: 2024-01-15
description: How a habit of taking radios apart became a career.
keywords: [engineering, careers]
# Names for labels the text does not spell out ("SI" is never written in full).
cast:
  SI: {name: Stephen Ibaraki, role: interviewer}
#   NJP: {name: Nestor J. Portillo, role: interviewee, voice: en-us+m3}
---
Building Things Together: A Conversation with Nestor J. Portillo

SI: Welcome to the show. Today I am talking with Nestor J. Portillo. Nestor, \
how did you get started?

NJP: Thank you, Stephen. I started by fixing radios for my neighbours, and \
I never really stopped taking things apart.

SI: What would you tell someone starting out today?

NJP: Find a small problem that annoys you, and solve it in public. People \
will help you more than you expect.

SI: Thank you, Nestor.

NJP: Thank you for having me.
"""

COVER_SIZE_PX = 1400  # Apple's minimum square artwork size


def _write_cover(path: Path) -> None:
    """A plain square cover so a new show builds a valid feed at once."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (COVER_SIZE_PX, COVER_SIZE_PX), (32, 56, 88))
    draw = ImageDraw.Draw(image)
    # Two speech bubbles: the interviewer and the interviewee.
    draw.ellipse((200, 300, 800, 800), fill=(240, 180, 60))
    draw.ellipse((600, 650, 1200, 1150), fill=(120, 200, 220))
    image.save(path, format="PNG", optimize=False)


def init_show(show_dir: Path) -> None:
    """Scaffold a show that builds as is; never overwrite an existing qacast.toml."""
    config_path = show_dir / CONFIG_NAME
    if config_path.exists():
        raise ConfigError(f"{config_path}: already exists; not overwriting it")
    try:
        show_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("scripts", "audio", "voices", "out"):
            (show_dir / sub).mkdir(exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(f"{show_dir}: a file is in the way of the show folder; "
                          "choose another name") from None  # fmt: skip
    except OSError as err:
        raise ConfigError(f"{show_dir}: cannot create the show ({err.strerror or err})") from None
    _ignore_build_state(show_dir / ".gitignore")
    example = show_dir / "scripts" / "building-things-together.txt"
    if not example.exists():
        example.write_text(_EXAMPLE_SCRIPT, encoding="utf-8")
    cover = show_dir / "audio" / "cover.png"
    if not cover.exists():
        _write_cover(cover)
    title = show_dir.resolve().name or "My Podcast"
    text = _TOML_TEMPLATE.format(
        # A TOML basic string is a JSON string for the characters a title holds.
        title=_toml_string(title),
        base_url=DEFAULT_BASE_URL,
        guid_namespace=uuid.uuid4(),
    )
    try:
        # "x" mode: a file created meanwhile by someone else is not clobbered.
        with config_path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ConfigError(f"{config_path}: already exists; not overwriting it") from None


# The build state and cache (see qacast/manifest.py): per machine, never shared.
GITIGNORE_LINE = "/.qacast/"


def _ignore_build_state(path: Path) -> None:
    """Add the build-state folder to the show's .gitignore, keeping what is there."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({err})") from None
    lines = {line.strip() for line in text.splitlines()}
    if lines & {GITIGNORE_LINE, ".qacast/", ".qacast", "/.qacast"}:
        return
    separator = "" if not text or text.endswith("\n") else "\n"
    note = "# qacast's build state and synthesis cache\n"
    try:
        path.write_text(f"{text}{separator}{note}{GITIGNORE_LINE}\n", encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{path}: cannot be written ({err.strerror or err})") from None


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'
