"""``qacast init``: a new show folder that builds as it is.

It writes qacast.toml with every field spelled out, an example script, the
built-in cast preset's folder and a plain cover. ``guid_namespace`` (seeds
every episode guid) is drawn at random here, once, so that two shows never
share an episode guid. The channel's podcast:guid is not: the Podcasting 2.0
rule derives it from the feed address, and the build keeps it once published
(``qacast.publish.continuity``).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from qacast.artwork import starter_cover_png
from qacast.config import CONFIG_NAME, DEFAULT_BASE_URL
from qacast.errors import ConfigError
from qacast.formats import DEFAULT_FORMAT

_TOML_TEMPLATE = """\
# qacast show settings. Every field is optional; see the README.
title = {title}
author = "Your Name"
description = "Conversations with people who build things, read by two voices."
language = "en"
# One of Apple's categories and, optionally, one of its subcategories.
category = "Technology"
# subcategory = "Tech News"
explicit = false
# Where out/ will be published; must end with "/". Use https for a public feed.
base_url = "{base_url}"
owner_name = "Your Name"
owner_email = "you@example.org"
copyright = "© Your Name"
# license = "CC BY 4.0"
# funding_url = "https://example.org/support"
# funding_text = "Support the show"
cover = "audio/cover.png"
voices = "default"
formats = ["{default_format}"]
loudness = "mono"
# Seeds the episode guids: never change it once episodes are published.
guid_namespace = "{guid_namespace}"
# The show's identity for podcast apps (podcast:guid) is derived from the feed
# address and kept once published, when base_url changes too. Set it only to
# keep the one the show already has elsewhere.
# podcast_guid = "..."
# Moving here from another host: the old feed saved in the show folder keeps
# the show's podcast:guid and every episode's guid. Moving away: the new address.
# import_feed = "old-feed.xml"
# new_feed_url = "https://example.org/new/feed.xml"
# hosts = ["Your Name"]          # podcast:person credits for the whole show
# txt = {{ verify = "token" }}     # podcast:txt, e.g. a directory's ownership check
# The site's subscribe links: apple, spotify, youtube, amazon, pocketcasts,
# overcast, antennapod, castbox, podcastaddict, fountain, podcastindex.
# [subscribe]
# apple = "https://podcasts.apple.com/podcast/id0000000000"
# How to say words the voices get wrong: whole words, case-aware (also voices/lexicon.toml).
# [lexicon]
# FCIPS = "F C I P S"
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
        cover.write_bytes(starter_cover_png())
    title = show_dir.resolve().name or "My Podcast"
    text = _TOML_TEMPLATE.format(
        # A TOML basic string is a JSON string for the characters a title holds.
        title=_toml_string(title),
        base_url=DEFAULT_BASE_URL,
        default_format=DEFAULT_FORMAT,
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
