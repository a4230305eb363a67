"""What shapes an episode's bytes is listed once, in RenderInputs: change any
one input and the build renders the episode again; change nothing, or touch a
file without changing it, or change what only the feed shows, and it does not.

Each case changes a real show folder (or the options over it) and asks the
build's own decision (``build.current_inputs``, ``build.is_current``) against
a record of the inputs before. A field of RenderInputs without a case here
fails the first test: a new input is added with the change that proves it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from qacast.build import current_inputs, is_current
from qacast.cli import RenderOptions, render_settings
from qacast.manifest import EpisodeRecord
from qacast.render_inputs import QacastCode, RenderInputs, render_inputs

from conftest import DEFAULT_PRESET

SCRIPT = "Q: What did the first radio sound like?\n\nA: Mostly static, and then a voice.\n"
FIRST_DAY = dt.date(2026, 3, 2)


def cover_jpeg(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 1400), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@dataclass
class Show:
    """A small show folder, the options a build is given, and the episode's identity."""

    root: Path
    settings_toml: dict[str, str] = field(
        default_factory=lambda: {"title": '"Radio Days"', "intro_music": '"audio/intro.wav"'}
    )
    tables: str = ""  # TOML tables after the settings ([people."..."], [lexicon])
    formats: str | None = None
    loudness: str | None = None
    number: int = 1
    first_day: dt.date = FIRST_DAY

    def __post_init__(self) -> None:
        (self.root / "scripts").mkdir(parents=True)
        (self.root / "voices").mkdir()
        (self.root / "audio").mkdir()
        self.script.write_text(SCRIPT, encoding="utf-8")
        (self.root / "voices" / "default.toml").write_bytes(DEFAULT_PRESET.read_bytes())
        warm = DEFAULT_PRESET.read_text(encoding="utf-8").replace("pitch = 35", "pitch = 30")
        (self.root / "voices" / "warm.toml").write_text(warm, encoding="utf-8")
        (self.root / "voices" / "lexicon.toml").write_text('radio = "ray dee oh"\n', "utf-8")
        (self.root / "audio" / "intro.wav").write_bytes(b"RIFF intro")
        (self.root / "cover.jpg").write_bytes(cover_jpeg("navy"))
        self.artwork.write_bytes(cover_jpeg("teal"))
        self.settings_toml["cover"] = '"cover.jpg"'
        self.write_settings()

    @property
    def artwork(self) -> Path:
        """The episode's own artwork: the file its front matter's image names."""
        return self.root / "scripts" / "radio-art.jpg"

    @property
    def script(self) -> Path:
        return self.root / "scripts" / "01-radio.txt"

    def write_settings(self) -> None:
        lines = [f"{key} = {value}" for key, value in self.settings_toml.items()]
        (self.root / "qacast.toml").write_text("\n".join(lines) + "\n" + self.tables, "utf-8")

    def set(self, key: str, value: str) -> None:
        self.settings_toml[key] = value
        self.write_settings()

    def inputs(self) -> RenderInputs:
        """The inputs as a build gathers them: qacast.toml and the options read afresh."""
        options = RenderOptions(None, self.formats, None, self.loudness, 1, None, False)
        settings = render_settings(self.root, options)
        return render_inputs(self.script, settings, self.number, self.first_day, self.artwork)


def rendered_from(inputs: RenderInputs, out_dir: Path) -> EpisodeRecord:
    """The record a build keeps of a render made from ``inputs`` as they are now."""
    out_dir.mkdir(exist_ok=True)
    (out_dir / "01-radio.jpg").write_bytes(b"the episode's image")
    return EpisodeRecord("01-radio", inputs.fingerprint(), (), {}, (), out_dir / "01-radio.jpg",
                         FIRST_DAY, stamp=inputs.stamp())  # fmt: skip


def renders_again(record: EpisodeRecord, now: RenderInputs) -> bool:
    """The build's own decision."""
    _, fingerprint = current_inputs(now, record)
    return not is_current(record, fingerprint)


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def touch_later(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 5_000_000_000))


# A change to a show: edits its folder or options; returns the inputs gathered
# afresh, or, for what is not the show's to change (the installed engines,
# qacast itself), the inputs of another installation.
Change = Callable[[Show], RenderInputs | None]


def changed(**fields: object) -> Change:
    return lambda show: dataclasses.replace(show.inputs(), **fields)  # type: ignore[arg-type]


def edit_script(show: Show) -> None:
    rewrite(show.script, "Mostly static", "Mostly hiss")


def edit_preset(show: Show) -> None:
    rewrite(show.root / "voices" / "default.toml", "sentence_ms = 350", "sentence_ms = 400")


def set_people_voice(show: Show) -> None:
    show.tables += '[people."Ada Host"]\nvoice = "en-gb"\n'
    show.write_settings()


def edit_lexicon_file(show: Show) -> None:
    (show.root / "voices" / "lexicon.toml").write_text('radio = "ray-dio"\n', encoding="utf-8")


def set_lexicon_table(show: Show) -> None:
    show.tables += '[lexicon]\nstatic = "stat-ick"\n'
    show.write_settings()


def edit_music_file(show: Show) -> None:
    (show.root / "audio" / "intro.wav").write_bytes(b"RIFF other")


def replace_cover(show: Show) -> None:
    (show.root / "cover.jpg").write_bytes(cover_jpeg("maroon"))


def replace_artwork(show: Show) -> None:
    show.artwork.write_bytes(cover_jpeg("olive"))


# field of RenderInputs -> every change of it that must render the episode again
CASES: dict[str, list[Change]] = {
    "script": [lambda show: edit_script(show)],
    "number": [lambda show: setattr(show, "number", 2)],
    "date": [lambda show: setattr(show, "first_day", FIRST_DAY + dt.timedelta(days=1))],
    "show": [lambda show: show.set("title", '"Radio Nights"'),
             lambda show: show.set("author", '"Ada Host"')],
    "language": [lambda show: show.set("language", '"en"')],
    "preset": [lambda show: edit_preset(show),
               lambda show: show.set("voices", '"warm"')],
    "people": [lambda show: set_people_voice(show)],
    "lexicon": [lambda show: edit_lexicon_file(show),
                lambda show: (show.root / "voices" / "lexicon.toml").unlink(),
                lambda show: set_lexicon_table(show)],
    "music": [lambda show: edit_music_file(show),
              lambda show: show.set("intro_music", '"jingle"'),
              lambda show: show.set("outro_music", '"jingle"')],
    "formats": [lambda show: setattr(show, "formats", "mp3,opus")],
    "loudness": [lambda show: setattr(show, "loudness", "-18/-1.5")],
    "cover": [lambda show: replace_cover(show)],
    "image": [lambda show: replace_artwork(show)],
    "engines": [changed(engines="{'pyttsx3': 'another espeak-ng'}")],
    "code": [changed(code=QacastCode("another version"))],
}  # fmt: skip


def test_every_input_has_a_change_that_proves_it_is_covered() -> None:
    assert set(CASES) == {f.name for f in dataclasses.fields(RenderInputs)}


@pytest.mark.parametrize(
    ("name", "change"),
    [(name, change) for name, changes in CASES.items() for change in changes],
    ids=[f"{name}-{i}" for name, changes in CASES.items() for i in range(len(changes))],
)
def test_changing_one_input_renders_again(name: str, change: Change, tmp_path: Path) -> None:
    show = Show(tmp_path / "show")
    before = show.inputs()
    record = rendered_from(before, tmp_path / "out")
    now = change(show) or show.inputs()
    # The change is to that input alone (a file edited in place keeps its path).
    others = {f.name for f in dataclasses.fields(RenderInputs)} - {name}
    assert {n for n in others if getattr(now, n) != getattr(before, n)} == set()
    assert now.stamp() != record.stamp and now.fingerprint() != record.inputs
    assert renders_again(record, now)


def test_changing_nothing_renders_nothing_and_reads_nothing(tmp_path: Path) -> None:
    show = Show(tmp_path / "show")
    record = rendered_from(show.inputs(), tmp_path / "out")
    now = show.inputs()
    assert now.stamp() == record.stamp
    assert not renders_again(record, now)


@pytest.mark.parametrize(
    "relative", ["scripts/01-radio.txt", "voices/default.toml", "voices/lexicon.toml",
                 "audio/intro.wav"],
)  # fmt: skip
def test_a_file_touched_but_not_changed_is_hashed_and_not_rendered(
    relative: str, tmp_path: Path
) -> None:
    show = Show(tmp_path / "show")
    record = rendered_from(show.inputs(), tmp_path / "out")
    touch_later(show.root / relative)
    now = show.inputs()
    assert now.stamp() != record.stamp and now.fingerprint() == record.inputs
    assert not renders_again(record, now)


@pytest.mark.parametrize(
    ("key", "value"),
    [("description", '"Stories of the first broadcasts"'), ("base_url", '"https://radio.example/"'),
     ("category", '"History"'), ("explicit", "true"), ("max_script_bytes", "10000")],
)  # fmt: skip
def test_a_setting_only_the_feed_shows_renders_nothing_and_hashes_nothing(
    key: str, value: str, tmp_path: Path
) -> None:
    show = Show(tmp_path / "show")
    record = rendered_from(show.inputs(), tmp_path / "out")
    show.set(key, value)
    now = show.inputs()
    assert now.stamp() == record.stamp
    assert not renders_again(record, now)
