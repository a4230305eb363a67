"""Whatever a producer writes in qacast.toml, front matter or a cast preset: a clear error, never a
traceback.

hypothesis builds files two ways: text of TOML or YAML shape with the fields
qacast knows and values of every type (and some nonsense), and raw text. Each
file is loaded the way `qacast build` loads it; the only exception allowed
out is the error the CLI turns into one line (ConfigError or ScriptError).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qacast.config import load_show
from qacast.errors import ConfigError, ScriptError
from qacast.script.front.frontmatter import split_front_matter
from qacast.voices.presets import load_preset

SHOW_FIELDS = (
    "title", "author", "description", "language", "category", "subcategory", "explicit",
    "base_url", "owner_name", "owner_email", "copyright", "cover", "voices", "formats",
    "loudness", "guid_namespace", "podcast_guid", "intro_music", "sting", "outro_music",
    "license", "funding_url", "funding_text", "locked", "people", "lexicon", "max_script_bytes",
)  # fmt: skip
FRONT_FIELDS = (
    "title", "episode", "season", "date", "description", "summary", "keywords", "tags",
    "categories", "explicit", "cast", "type", "language", "lexicon", "draft", "image", "author",
    "layout", "sesaon", "published",
)  # fmt: skip
VOICE_KEYS = ("engine", "voice", "pitch", "rate_wpm", "gender", "colour")
ROLES = ("interviewer", "interviewee", "narrator", "guests", "pauses", "languages", "extra")

FUZZ = settings(
    max_examples=int(os.environ.get("QACAST_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["en", "fr", "Technology", "mp3", "mono", "-16/-1.5", "2024-01-15",
                     "en-us+f3", "pyttsx3", "female", "http://127.0.0.1:8000/", "\x07", ""]),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _toml_value(value: Any) -> str:
    """A TOML rendering of ``value``; odd keys make TOML that may not parse (on purpose)."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _check(load: Any, text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        try:
            load(path)
        except (ConfigError, ScriptError) as err:
            assert "\n" not in str(err), str(err)


def _load_show(path: Path) -> None:
    load_show(path.parent)


def _load_front(path: Path) -> None:
    split_front_matter(path.read_text(encoding="utf-8"), source_name=path.name)


@FUZZ
@given(st.dictionaries(st.sampled_from(SHOW_FIELDS), values, max_size=8))
def test_any_show_settings_load_or_fail_in_one_line(fields: dict[str, Any]) -> None:
    text = "\n".join(f"{key} = {_toml_value(value)}" for key, value in fields.items())
    _check(_load_show, text, "qacast.toml")


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_qacast_toml_fails_in_one_line(text: str) -> None:
    _check(_load_show, text, "qacast.toml")


@FUZZ
@given(st.dictionaries(st.sampled_from(FRONT_FIELDS), values, max_size=8))
def test_any_front_matter_loads_or_fails_in_one_line(fields: dict[str, Any]) -> None:
    block = "\n".join(f"{key}: {json.dumps(value)}" for key, value in fields.items())
    _check(_load_front, f"---\n{block}\n---\nQ: Why?\n\nA: Because.\n", "script.md")


@FUZZ
@given(st.text(max_size=300))
def test_any_text_as_front_matter_fails_in_one_line(text: str) -> None:
    _check(_load_front, f"---\n{text}\n---\nQ: Why?\n\nA: Because.\n", "script.md")
    _check(_load_front, f"+++\n{text}\n+++\nQ: Why?\n\nA: Because.\n", "script.md")


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(ROLES),
        st.dictionaries(st.sampled_from(VOICE_KEYS), values, max_size=5) | values,
        max_size=6,
    )
)
def test_any_cast_preset_loads_or_fails_in_one_line(tables: dict[str, Any]) -> None:
    lines = []
    for role, table in tables.items():
        if isinstance(table, dict):
            lines.append(f"[{role}]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
        else:
            lines.insert(0, f"{role} = {_toml_value(table)}")
    _check(load_preset, "\n".join(lines), "preset.toml")
