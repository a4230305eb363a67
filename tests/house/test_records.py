"""A format or a speech engine is one record, and every stage reads it there.

Formats: ``qacast.formats.FORMATS`` holds each one's suffix, MIME types,
label, Apple's verdict, tagging and encoder arguments; encoding, tagging, the
show's settings, the site, ``qacast check`` and ``qacast serve`` accept exactly
the formats it lists, no format's suffix or MIME type is spelled anywhere
else, and a row added here is encoded, tagged and published with no other
change. Engines: each engine's module holds its record (``SPEC``), defaults
included, and presets, ``qacast voices`` and ``qacast parse`` take what they
need from it.
"""
# mypy: disallow-untyped-calls=False
# (mutagen's readers are unannotated.)

from __future__ import annotations

import ast
import math
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from readback import probe, probed_duration_ms

import qacast
from qacast.apple import enclosure_types
from qacast.audio.encode import encode, encode_settings
from qacast.audio.tags import TAGGERS, write_tags
from qacast.cli import main
from qacast.config import CONFIG_NAME, parse_show
from qacast.errors import ConfigError, EngineError
from qacast.formats import (
    FORMATS,
    OTHER_AUDIO_TYPES,
    AudioFormat,
    label_of_type,
    served_type_of_suffix,
    types_of_suffix,
)
from qacast.models import Chapter, EpisodeTags, Programme, Timeline, VoicePreset
from qacast.voices.engines import DEFAULT_ENGINE, ENGINES, UnknownVoiceError
from qacast.voices.engines.base import EngineSpec, SpeechAudio, SpeechEngine, VoiceInfo
from qacast.voices.presets import load_preset
from qacast.voices.preview import installed_voices

PACKAGE_DIR = Path(qacast.__file__).parent
NOT_FORMATS = ("aiff", "ogg", "mp4", "aac", "MP3")


# --- formats ------------------------------------------------------------------------


def _accepts(reader: Callable[[str], object], name: str) -> bool:
    try:
        reader(name)
    except (ConfigError, EngineError, KeyError):
        return False
    return True


def _settings_accept(name: str) -> None:
    show_dir = Path("/nonexistent-show")
    parse_show({"formats": [name]}, show_dir=show_dir, config_path=show_dir / CONFIG_NAME)


def _tags_accept(name: str) -> None:
    # The tagger a format's record names; an unknown format has none.
    if name not in FORMATS or FORMATS[name].tags not in TAGGERS:
        raise EngineError(f"no tagger for {name}")


def _site_accepts(name: str) -> None:
    if name not in FORMATS or label_of_type(FORMATS[name].mime_type) != FORMATS[name].label:
        raise KeyError(name)


def _check_accepts(name: str) -> None:
    spec = FORMATS.get(name)
    if spec is None or spec.mime_type not in types_of_suffix(spec.suffix):
        raise KeyError(name)


def _serve_accepts(name: str) -> None:
    spec = FORMATS.get(name)
    if spec is None or served_type_of_suffix(spec.suffix) != spec.served_type:
        raise KeyError(name)


READERS: dict[str, Callable[[str], object]] = {
    "encoding": encode_settings,
    "tagging": _tags_accept,
    "settings": _settings_accept,
    "site": _site_accepts,
    "check": _check_accepts,
    "serve": _serve_accepts,
}


@pytest.mark.parametrize("reader", list(READERS))
def test_every_stage_accepts_exactly_the_formats_the_records_list(reader: str) -> None:
    candidates = (*FORMATS, *NOT_FORMATS)
    accepted = {name for name in candidates if _accepts(READERS[reader], name)}
    assert accepted == set(FORMATS)


def test_each_record_is_self_consistent() -> None:
    for name, spec in FORMATS.items():
        assert spec.name == name
        assert spec.mime_type == spec.mime_types[0]
        assert (spec.mime_type in enclosure_types()) == spec.apple_plays
        assert spec.sample_rates_hz and spec.default_bitrate_kbps != 0
    suffixes = [spec.suffix for spec in FORMATS.values()] + list(OTHER_AUDIO_TYPES)
    assert len(suffixes) == len(set(suffixes))


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_no_module_but_the_records_spells_a_format_s_suffix_or_mime_type() -> None:
    spelled = {t for spec in FORMATS.values() for t in (*spec.mime_types, spec.served_type)}
    spelled |= {spec.suffix for spec in FORMATS.values()}
    spelled |= set(OTHER_AUDIO_TYPES) | {t for ts in OTHER_AUDIO_TYPES.values() for t in ts}
    elsewhere = {
        f"{path.relative_to(PACKAGE_DIR.parent)}: {value!r}"
        for path in PACKAGE_DIR.rglob("*.py")
        if path.name != "formats.py" or path.parent != PACKAGE_DIR
        for value in _string_constants(path) & spelled
    }
    assert not elsewhere, "\n".join(sorted(elsewhere))


# A format qacast does not have: AAC in an ADTS stream, with ID3 tags ahead of it.
AAC = AudioFormat(
    "aac", "aac", "audio/aac", "AAC", apple_plays=False, tags="id3",
    muxer="adts", codec_args=("-c:a", "aac", "-b:a", "{kbps}k"), default_bitrate_kbps=64,
    cutoff_at_nyquist=True,
)  # fmt: skip
TONE_RATE_HZ = 22050


def _tone_programme(directory: Path) -> Programme:
    frames = TONE_RATE_HZ * 2
    samples = (round(9000 * math.sin(2 * math.pi * 440 * i / TONE_RATE_HZ)) for i in range(frames))
    pcm_path = directory / "programme.pcm"
    pcm_path.write_bytes(struct.pack(f"<{frames}h", *samples))
    chapters = (Chapter("One", 0, 1000), Chapter("Two", 1000, 2000))
    return Programme(Timeline((), (), chapters, 2000, TONE_RATE_HZ, frames), pcm_path)


def test_a_new_format_is_one_row_of_the_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(FORMATS, "aac", AAC)
    programme = _tone_programme(tmp_path)
    dest = tmp_path / f"episode{AAC.suffix}"
    encode(programme, encode_settings("aac"), dest)
    tags = EpisodeTags(title="A new format", artist="Ada", album="Show")
    write_tags(dest, "aac", tags, programme.timeline.chapters)
    # Read back by tools that did not write it.
    (stream,) = probe(dest, "-show_streams")["streams"]
    assert stream["codec_name"] == "aac"
    assert abs(probed_duration_ms(dest) - 2000) < 100
    id3 = ID3(dest)
    assert str(id3["TIT2"]) == "A new format" and len(id3.getall("CHAP")) == 2
    # Every other reader takes it from the row.
    for reader in READERS.values():
        assert _accepts(reader, "aac")
    assert "audio/aac" not in enclosure_types()


# --- engines ------------------------------------------------------------------------


class ToneEngine:
    """An engine that says every utterance as a short beep: enough to be one."""

    name = "tone"

    def version(self) -> str:
        return "tone-1"

    def synthesize(self, text: str, voice: VoicePreset) -> SpeechAudio:
        hz = 220 if voice.voice_id == "low" else 440
        samples = (round(6000 * math.sin(2 * math.pi * hz * i / 16000)) for i in range(1600))
        return SpeechAudio(struct.pack("<1600h", *samples), 16000)


def _tone_voice(voice_id: str) -> str:
    if voice_id not in ("low", "high"):
        raise UnknownVoiceError(f"voice '{voice_id}' is not a tone voice (try 'low', 'high')")
    return voice_id


def _tone_engine() -> SpeechEngine:
    return ToneEngine()


def tone_spec(installed: bool = True) -> EngineSpec:
    return EngineSpec(
        name="tone",
        create=_tone_engine,
        version=lambda: "tone-1",
        resolve_voice=_tone_voice,
        voices=lambda: (
            VoiceInfo("tone", "low", "en", "male"),
            VoiceInfo("tone", "high", "en", ""),
        ),
        gender=lambda voice_id: None,
        installed=lambda: installed,
        default_pitch=40,
        default_rate_wpm=150,
        example_voice="low",
    )


PRESET = """
[interviewer]
engine = "{interviewer}"
voice = "{interviewer_voice}"

[interviewee]
engine = "tone"
voice = "high"

[narrator]
engine = "tone"
voice = "low"
"""


def _preset(directory: Path, interviewer: str = "tone", voice: str = "low") -> Path:
    path = directory / "voices" / "tonal.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = PRESET.format(interviewer=interviewer, interviewer_voice=voice)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_engine_is_registered_under_its_record_s_name() -> None:
    assert DEFAULT_ENGINE in ENGINES
    for name, spec in ENGINES.items():
        assert spec.name == name
        assert 0 <= spec.default_pitch <= 99 and spec.default_rate_wpm > 0


def test_an_engine_s_name_is_spelled_in_its_own_module_only() -> None:
    engines_dir = PACKAGE_DIR / "voices" / "engines"
    for name in ENGINES:
        spelled_in = {
            path.relative_to(PACKAGE_DIR).as_posix()
            for path in PACKAGE_DIR.rglob("*.py")
            if name in _string_constants(path)
        }
        assert len(spelled_in) == 1, (name, spelled_in)
        assert (PACKAGE_DIR / next(iter(spelled_in))).parent == engines_dir


def test_a_preset_voice_takes_pitch_and_pace_from_its_engine_s_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(ENGINES, "tone", tone_spec())
    preset = load_preset(_preset(tmp_path, interviewer=DEFAULT_ENGINE, voice="en-us"))
    assert (preset.interviewee.pitch, preset.interviewee.rate_wpm) == (40, 150)
    default = ENGINES[DEFAULT_ENGINE]
    assert (preset.interviewer.pitch, preset.interviewer.rate_wpm) == (
        default.default_pitch,
        default.default_rate_wpm,
    )


def test_voices_lists_the_voices_of_installed_engines_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ENGINES, "tone", tone_spec(installed=False))
    assert not [v for v in installed_voices() if v.engine == "tone"]
    monkeypatch.setitem(ENGINES, "tone", tone_spec(installed=True))
    assert [v.voice_id for v in installed_voices() if v.engine == "tone"] == ["low", "high"]


SCRIPT = """---
cast:
  NJP: {{voice: {guest_voice}}}
  SI: {{voice: {host_voice}}}
---
SI: What got you started on radio repair?

NJP: A friend needed help with an old set, and I never stopped.

SI: What would you tell someone new to it?

NJP: Start small and write down what you learn.
"""


def _parse(tmp_path: Path, guest_voice: str, host_voice: str) -> tuple[int, str]:
    show_dir = tmp_path / "show"
    _preset(show_dir, interviewer=DEFAULT_ENGINE, voice="en-us")
    (show_dir / CONFIG_NAME).write_text('title = "Tones"\nvoices = "tonal"\n', encoding="utf-8")
    script = show_dir / "scripts" / "tones.txt"
    script.parent.mkdir()
    text = SCRIPT.format(guest_voice=guest_voice, host_voice=host_voice)
    script.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["parse", str(script)])
    return result.exit_code, result.output


def test_parse_checks_each_front_matter_voice_with_the_engine_that_speaks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(ENGINES, "tone", tone_spec())
    # The guest is spoken by the tone engine, the host by espeak-ng: each voice
    # is a voice of its own speaker's engine.
    assert _parse(tmp_path / "a", guest_voice="high", host_voice="en-gb")[0] == 0
    status, output = _parse(tmp_path / "b", guest_voice="en-gb", host_voice="en-gb")
    assert status == 3 and "not a tone voice" in output and "NJP" in output
    status, output = _parse(tmp_path / "c", guest_voice="high", host_voice="high")
    assert status == 3 and "espeak-ng" in output and "SI" in output
