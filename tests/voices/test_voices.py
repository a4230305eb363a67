"""Casting a producer can do: voices by any espeak-ng spelling, by gender, listed and previewed."""

from __future__ import annotations

from pathlib import Path

import mutagen
import pytest
from click.testing import CliRunner

from qacast.cli import main
from qacast.errors import ConfigError
from qacast.models import Episode, EpisodeMeta, Speaker, VoiceOverride
from qacast.voices.engines import ENGINES, UnknownVoiceError
from qacast.voices.presets import cast, load_preset

from conftest import DEFAULT_PRESET

ESPEAK = ENGINES["pyttsx3"]

TWO_EXCHANGES = """\
SI: How did the programme start?

NJP: It started with a handful of volunteers in one city.

SI: And where is it going next?

NJP: Into schools, if the funding holds.
"""


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("en-gb", "en"),  # a language code, espeak-ng's own priority picks the file
        ("en-gb+m3", "en+m3"),  # the README's example
        ("en-us+f3", "en-us+f3"),
        ("en-GB-x-rp", "en-gb-x-rp"),  # a file name, any case
        ("EN-US", "en-us"),
        ("fr", "fr"),
        ("de+f4", "de+f4"),
    ],
)
def test_every_espeak_spelling_resolves_to_one_canonical_voice(
    written: str, canonical: str
) -> None:
    assert ESPEAK.resolve_voice(written) == canonical


@pytest.mark.parametrize("written", ["xx-nonexistent", "en-zz", "en-gb+nosuchvariant"])
def test_an_unknown_voice_names_alternatives_that_exist(written: str) -> None:
    with pytest.raises(UnknownVoiceError) as caught:
        ESPEAK.resolve_voice(written)
    message = str(caught.value)
    assert "\n" not in message
    alternatives = message.split("(try ")[1].split(";")[0]
    names = [name.strip(" '") for name in alternatives.split(",")]
    assert names
    for name in names:
        assert ESPEAK.resolve_voice(name)  # each suggestion is a real voice


def test_the_message_never_suggests_the_voice_it_rejects() -> None:
    with pytest.raises(UnknownVoiceError) as caught:
        ESPEAK.resolve_voice("en-gb+zz")
    assert "'en-gb+zz'" not in str(caught.value).split("(try ")[1]


def _episode(*roles: str) -> Episode:
    speakers = tuple(Speaker(f"S{i}", f"Speaker {i}", role) for i, role in enumerate(roles))  # type: ignore[arg-type]
    return Episode(EpisodeMeta(title="t"), speakers, (), ())


def test_gender_female_alone_casts_a_female_voice_from_the_default_preset() -> None:
    preset = load_preset(DEFAULT_PRESET)
    episode = _episode("interviewer", "interviewee")
    default = cast(episode, preset)
    assert preset.gender_of(default.voices["S1"]) == "male"  # the guest's role voice
    female = cast(episode, preset, {"S1": VoiceOverride(gender="female")})
    assert preset.gender_of(female.voices["S1"]) == "female"
    assert female.voices["S1"] != female.voices["S0"]


def test_two_women_get_two_different_female_voices() -> None:
    preset = load_preset(DEFAULT_PRESET)
    both = {"S0": VoiceOverride(gender="female"), "S1": VoiceOverride(gender="female")}
    casting = cast(_episode("interviewer", "interviewee"), preset, both)
    assert {preset.gender_of(v) for v in casting.voices.values()} == {"female"}
    assert casting.voices["S0"] != casting.voices["S1"]


def test_pitch_and_rate_override_only_what_they_name() -> None:
    preset = load_preset(DEFAULT_PRESET)
    casting = cast(
        _episode("interviewer", "interviewee"),
        preset,
        {"S1": VoiceOverride(pitch=80, rate_wpm=140)},
    )
    assert (casting.voices["S1"].pitch, casting.voices["S1"].rate_wpm) == (80, 140)
    assert casting.voices["S1"].voice_id == preset.interviewee.voice_id


def test_out_of_range_pitch_is_one_clear_error() -> None:
    preset = load_preset(DEFAULT_PRESET)
    with pytest.raises(ConfigError, match="pitch"):
        cast(_episode("interviewer", "interviewee"), preset, {"S1": VoiceOverride(pitch=300)})


def _script(tmp_path: Path, cast_line: str) -> Path:
    script = tmp_path / "cast.txt"
    script.write_text(f"---\ncast:\n  NJP: {cast_line}\n---\n{TWO_EXCHANGES}", encoding="utf-8")
    return script


@pytest.mark.slow
@pytest.mark.parametrize(
    "cast_line",
    [
        "{voice: en-gb}",
        "{voice: en-gb+m3}",  # the README's front matter example
        "{voice: en-us+f3}",
        "{gender: female}",
        "{voice: en-gb, pitch: 60, rate_wpm: 150}",
    ],
)
def test_front_matter_casts_render(tmp_path: Path, cast_line: str) -> None:
    script = _script(tmp_path, cast_line)
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(script), "-o", str(out_dir), "-j", "1"])
    assert result.exit_code == 0, result.output
    audio = mutagen.File(out_dir / "cast.mp3")
    assert audio is not None and audio.info.length > 2


def test_parse_rejects_an_unknown_front_matter_voice(tmp_path: Path) -> None:
    script = _script(tmp_path, "{voice: en-nowhere}")
    result = CliRunner().invoke(main, ["parse", str(script)])
    assert result.exit_code == 3
    assert "en-nowhere" in result.output and "Traceback" not in result.output


def test_voices_lists_espeak_voices_with_language_and_gender() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[1:]]
    ids = {row[1] for row in rows}
    assert {"en-us", "en-gb-x-rp", "fr", "de", "en-us+f3"} <= ids
    assert {row[0] for row in rows} <= {"pyttsx3", "piper"}
    assert {"female", "male"} <= {row[3] for row in rows if len(row) > 3}


def test_voices_filters_by_language() -> None:
    result = CliRunner().invoke(main, ["voices", "--language", "fr"])
    assert result.exit_code == 0
    languages = {line.split()[2] for line in result.output.splitlines()[1:]}
    assert languages and all(lang.startswith("fr") for lang in languages)


@pytest.mark.slow
def test_preview_writes_a_valid_audio_file(tmp_path: Path) -> None:
    out = tmp_path / "sample.wav"
    result = CliRunner().invoke(
        main, ["voices", "--preview", "en-gb+m3", "Testing one two three.", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    audio = mutagen.File(out)  # read back by a library that did not write it
    assert audio is not None
    assert audio.info.sample_rate == 22050
    assert 0.5 < audio.info.length < 10


def test_preview_of_an_unknown_voice_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "sample.wav"
    result = CliRunner().invoke(main, ["voices", "--preview", "zz-top", "-o", str(out)])
    assert result.exit_code == 3
    assert "zz-top" in result.output
    assert not out.exists()


def test_the_show_casts_a_person_by_name_and_front_matter_wins(tmp_path: Path) -> None:
    from qacast.voices.presets import merge_overrides

    episode = Episode(
        EpisodeMeta(title="t"),
        (Speaker("SI", "Stephen Ibaraki", "interviewer"), Speaker("NJP", "Nestor", "interviewee")),
        (),
        (),
    )
    show = {"Stephen Ibaraki": VoiceOverride(voice="en-gb", pitch=40), "Nobody": VoiceOverride()}
    script = {"SI": VoiceOverride(pitch=60), "NJP": VoiceOverride(gender="female")}
    merged = merge_overrides(episode, show, script)
    assert merged["SI"] == VoiceOverride(voice="en-gb", pitch=60)
    assert merged["NJP"] == VoiceOverride(gender="female")
    casting = cast(episode, load_preset(DEFAULT_PRESET), merged)
    assert (casting.voices["SI"].voice_id, casting.voices["SI"].pitch) == ("en", 60)


@pytest.mark.slow
def test_qacast_toml_people_table_casts_a_voice(tmp_path: Path) -> None:
    from qacast.config import load_show

    (tmp_path / "qacast.toml").write_text(
        'title = "T"\n[people."Nestor J. Portillo"]\nvoice = "en-us+f3"\ngender = "female"\n',
        encoding="utf-8",
    )
    show = load_show(tmp_path)
    voice = show.people_voices["Nestor J. Portillo"]
    assert (voice.voice, voice.gender) == ("en-us+f3", "female")
    assert show.people["Nestor J. Portillo"].href == ""
    (tmp_path / "qacast.toml").write_text(
        'title = "T"\n[people."X"]\npitch = "high"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"pitch|whole number"):
        load_show(tmp_path)
