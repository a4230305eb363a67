from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import tomllib
from PIL import Image

from qacast.apple import APPLE_CATEGORIES
from qacast.config import (
    CONFIG_NAME,
    DEFAULT_BASE_URL,
    FIELDS,
    ShowConfig,
    load_show,
)
from qacast.errors import ConfigError
from qacast.publish.feed import podcast_guid
from qacast.scaffold import init_show
from qacast.script.front.frontmatter import split_front_matter


def write_config(show_dir: Path, text: str) -> None:
    show_dir.mkdir(parents=True, exist_ok=True)
    (show_dir / CONFIG_NAME).write_text(text, encoding="utf-8")


def test_every_show_field_is_settable_from_the_file() -> None:
    # language_set only says whether the file set language; people_voices are
    # the voices the same [people."Name"] tables cast (the "people" field).
    derived = {"show_dir", "language_set", "people_voices"}
    settable = {f.name for f in dataclasses.fields(ShowConfig)} - derived
    assert set(FIELDS) == settable


def test_missing_file_gives_defaults_from_the_folder(tmp_path: Path) -> None:
    show_dir = tmp_path / "Night Owls"
    show_dir.mkdir()
    show = load_show(show_dir)
    assert show.title == "Night Owls"
    assert show.description == "Night Owls"  # RSS needs a channel description
    assert show.language == "en"
    assert show.language_set is False  # each episode's language is detected
    assert show.category == "Technology"
    assert show.subcategory is None
    assert show.explicit is False
    assert show.base_url == DEFAULT_BASE_URL
    assert show.cover is None
    assert show.voices == "default"
    assert show.formats == ("mp3",)
    assert show.loudness == "mono"
    assert show.show_dir == show_dir.resolve()
    assert show.feed_url == DEFAULT_BASE_URL + "feed.xml"


def test_full_file_is_read(tmp_path: Path) -> None:
    show_dir = tmp_path / "show"
    (show_dir / "art").mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(show_dir / "art" / "cover.png")
    namespace = uuid.uuid4()
    write_config(
        show_dir,
        f"""
title = "Builders"
author = "Ada"
description = "Talks."
language = "en-us"
category = "Business"
subcategory = "Careers"
explicit = true
base_url = "https://example.org/pod/"
owner_name = "Ada"
owner_email = "ada@example.org"
copyright = "© Ada"
cover = "art/cover.png"
voices = "warm"
formats = ["mp3", "m4a"]
loudness = "stereo"
guid_namespace = "{namespace}"
""",
    )
    show = load_show(show_dir)
    assert show.title == "Builders"
    assert show.language == "en-us"
    assert (show.category, show.subcategory) == ("Business", "Careers")
    assert show.explicit is True
    assert show.base_url == "https://example.org/pod/"
    assert show.cover == (show_dir / "art" / "cover.png").resolve()
    assert show.formats == ("mp3", "m4a")
    assert show.loudness == "stereo"
    assert show.guid_namespace == namespace


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("language = 42", "language", "must be an ISO 639 code like 'en', got 42"),
        ('language = "English"', "language", "must be an ISO 639 code"),
        ('category = "Tech"', "category", "must be an Apple Podcasts category"),
        ('category = "Arts"\nsubcategory = "Tech News"', "subcategory", "subcategory of 'Arts'"),
        ('base_url = "http://example.org/pod"', "base_url", "must end with '/'"),
        ('base_url = "ftp://example.org/"', "base_url", "must be an http(s) URL"),
        ("explicit = 'no'", "explicit", "must be true or false"),
        ('owner_email = "nobody"', "owner_email", "must be an email address"),
        ('cover = "../outside.png"', "cover", "inside the show folder"),
        ('cover = "missing.png"', "cover", "name an existing file"),
        ('cover = "cover.gif"', "cover", "must be a .jpg or .png file"),
        ('formats = ["aiff"]', "formats", "must be a list of distinct formats"),
        ('loudness = "loud"', "loudness", "must be one of"),
        ('title = ""', "title", "must not be empty"),
        ("title = 3", "title", "must be a string"),
        ('guid_namespace = "nope"', "guid_namespace", "must be a UUID"),
    ],
)
def test_bad_field_is_one_line_naming_file_and_field(
    tmp_path: Path, line: str, field: str, expected: str
) -> None:
    show_dir = tmp_path / "show"
    write_config(show_dir, line + "\n")
    (tmp_path / "outside.png").write_bytes(b"x")
    with pytest.raises(ConfigError) as caught:
        load_show(show_dir)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{show_dir.resolve() / CONFIG_NAME}: field '{field}' ")
    assert expected in message


def test_language_message_matches_the_documented_form(tmp_path: Path) -> None:
    write_config(tmp_path, "language = 42\n")
    with pytest.raises(ConfigError, match=r"qacast\.toml: field 'language' must be an ISO 639"):
        load_show(tmp_path)


def test_unknown_field_is_an_error(tmp_path: Path) -> None:
    write_config(tmp_path, 'titel = "Typo"\n')
    with pytest.raises(ConfigError, match="unknown field 'titel'"):
        load_show(tmp_path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    write_config(tmp_path, "title = \n")
    with pytest.raises(ConfigError, match=r"qacast\.toml: invalid TOML"):
        load_show(tmp_path)


def test_category_table_holds_apples_names() -> None:
    assert "Technology" in APPLE_CATEGORIES
    assert "Tech News" in APPLE_CATEGORIES["News"]
    assert APPLE_CATEGORIES["True Crime"] == ()


def test_init_extends_an_existing_gitignore_once(tmp_path: Path) -> None:
    show_dir = tmp_path / "show"
    show_dir.mkdir()
    (show_dir / ".gitignore").write_text("*.wav", encoding="utf-8")  # no final newline
    init_show(show_dir)
    lines = (show_dir / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "*.wav"
    assert lines.count("/.qacast/") == 1


def test_init_scaffolds_a_show_that_loads(tmp_path: Path) -> None:
    show_dir = tmp_path / "my-show"
    init_show(show_dir)
    for sub in ("scripts", "audio", "voices", "out"):
        assert (show_dir / sub).is_dir()
    # out/ is uploaded as is: nothing in it but what a build makes.
    assert list((show_dir / "out").iterdir()) == []
    # The build state and cache are per machine, never committed.
    assert "/.qacast/" in (show_dir / ".gitignore").read_text(encoding="utf-8").splitlines()
    show = load_show(show_dir)
    assert show.title == "my-show"
    assert show.guid_namespace is not None
    assert show.cover is not None
    with Image.open(show.cover) as cover:
        assert cover.size == (1400, 1400)  # Apple's minimum
        assert cover.mode == "RGB"
    scripts = list((show_dir / "scripts").iterdir())
    assert len(scripts) == 1
    front, body = split_front_matter(
        scripts[0].read_text(encoding="utf-8"), source_name=scripts[0].name
    )
    assert front.episode == 1
    assert front.date is not None
    assert body.splitlines()[0].strip()  # a title line
    assert "SI:" in body and "NJP:" in body


def test_init_quotes_odd_folder_names(tmp_path: Path) -> None:
    show_dir = tmp_path / 'The "Best" \\ Show'
    init_show(show_dir)
    data = tomllib.loads((show_dir / CONFIG_NAME).read_text(encoding="utf-8"))
    assert data["title"] == 'The "Best" \\ Show'


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    write_config(tmp_path, 'title = "Mine"\n')
    with pytest.raises(ConfigError, match="already exists"):
        init_show(tmp_path)
    assert (tmp_path / CONFIG_NAME).read_text(encoding="utf-8") == 'title = "Mine"\n'


def test_init_gives_each_show_its_own_guid_namespace(tmp_path: Path) -> None:
    init_show(tmp_path / "a")
    init_show(tmp_path / "b")
    assert load_show(tmp_path / "a").guid_namespace != load_show(tmp_path / "b").guid_namespace


def test_init_leaves_the_podcast_guid_to_the_feed_address(tmp_path: Path) -> None:
    init_show(tmp_path / "a")
    init_show(tmp_path / "b")
    text = (tmp_path / "a" / CONFIG_NAME).read_text(encoding="utf-8")
    assert "# podcast_guid" in text and "import_feed" in text and "[subscribe]" in text
    first, second = load_show(tmp_path / "a"), load_show(tmp_path / "b")
    assert first.podcast_guid is None and second.podcast_guid is None
    assert first.base_url == second.base_url == DEFAULT_BASE_URL
    # On this computer's address the title tells two shows apart.
    assert podcast_guid(first) != podcast_guid(second)


def test_reading_a_show_imports_no_stage() -> None:
    # A fresh interpreter: this one has already imported every stage.
    code = (
        "import sys, qacast.config; print(sorted(m for m in sys.modules if m.startswith('qacast')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(done.stdout))
    # What the settings are made of: plain data (Apple's rules, the format
    # records, the limits every value keeps to, the models, file checks) and
    # the lexicon's reader for its [lexicon] table; no audio, voice or
    # publishing code, and none of the script parser.
    assert loaded <= {"qacast", "qacast.errors", "qacast.config", "qacast.apple",
                      "qacast.formats", "qacast.limits", "qacast.models", "qacast.fsutil",
                      "qacast.script", "qacast.script.speech",
                      "qacast.script.speech.lexicon"}  # fmt: skip


def test_funding_and_license_are_show_settings(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        'license = "CC BY 4.0"\nfunding_url = "https://example.org/give"\n'
        'funding_text = "Support us"\n',
    )
    show = load_show(tmp_path)
    assert (show.license, show.funding_url, show.funding_text) == (
        "CC BY 4.0",
        "https://example.org/give",
        "Support us",
    )
    write_config(tmp_path, 'funding_url = "not a url"\n')
    with pytest.raises(ConfigError, match="funding_url"):
        load_show(tmp_path)


def test_people_links_are_checked_urls(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        '[people."Ada Host"]\nhref = "https://example.org/ada"\nimg = "https://example.org/a.jpg"\n',
    )
    show = load_show(tmp_path)
    assert show.people["Ada Host"].href == "https://example.org/ada"
    assert show.people["Ada Host"].img == "https://example.org/a.jpg"
    for bad in ('[people."Ada"]\nhref = "ada"\n', '[people."Ada"]\nphoto = "https://x.org/a"\n'):
        write_config(tmp_path, bad)
        with pytest.raises(ConfigError, match="field 'people' must"):
            load_show(tmp_path)
