"""`qacast voices`: what every installed engine offers, and how a voice sounds."""

from __future__ import annotations

import io
import wave
from pathlib import Path

from qacast.errors import ConfigError
from qacast.fsutil import atomic_write_bytes
from qacast.models import VoicePreset
from qacast.voices.engines import DEFAULT_ENGINE, ENGINES, UnknownVoiceError, VoiceInfo
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import resolve_voice

PREVIEW_TEXT = "Hello, and welcome to the show. Here is how this voice sounds in an interview."


def installed_voices(
    language: str | None = None, folder: Path | None = None
) -> tuple[VoiceInfo, ...]:
    """Every engine's voices and the usable voice files of ``folder`` (the
    show's voices/); with ``language``, those whose code starts with it ("fr" -> fr-be)."""
    found = [voice for spec in ENGINES.values() if spec.installed() for voice in spec.voices()]
    if folder is not None:
        found += [
            file.info
            for spec in ENGINES.values()
            for file in spec.folder_voices(folder)
            if not file.problem
        ]
    if language:
        wanted = language.lower()
        found = [v for v in found if v.language == wanted or v.language.startswith(f"{wanted}-")]
    return tuple(found)


def voice_file_problems(folder: Path) -> tuple[str, ...]:
    """One line for each voice file of ``folder`` that cannot speak, and why."""
    return tuple(
        file.problem
        for spec in ENGINES.values()
        for file in spec.folder_voices(folder)
        if file.problem
    )


def _resolve(voice_id: str, engine: str | None, folder: Path | None) -> tuple[str, str]:
    """(engine, canonical id) of the voice to preview: the named engine's, else
    the first engine that has it (the default engine's error when none does)."""
    if engine is not None and engine not in ENGINES:
        raise ConfigError(f"unknown engine '{engine}' (known: {', '.join(ENGINES)})")
    tried = [engine] if engine else [DEFAULT_ENGINE, *(n for n in ENGINES if n != DEFAULT_ENGINE)]
    first_error: UnknownVoiceError | None = None
    for name in tried:
        try:
            return name, resolve_voice(name, voice_id, (folder,) if folder else ())
        except UnknownVoiceError as err:
            first_error = first_error or err
    raise ConfigError(str(first_error)) from None


def write_preview(
    voice_id: str, out_path: Path, text: str = PREVIEW_TEXT, engine: str | None = None,
    folder: Path | None = None,
) -> VoicePreset:  # fmt: skip
    """Speak ``text`` with ``voice_id`` into a WAV file at ``out_path``; returns the voice used."""
    if not text.strip():
        raise ConfigError("the preview text is empty")
    name, canonical = _resolve(voice_id, engine, folder)
    spec = ENGINES[name]  # the voice as it is: its engine's own pace and pitch
    voice = VoicePreset(name, canonical, spec.default_rate_wpm, spec.default_pitch)
    with SynthesisPool(1) as pool:
        ((_, audio),) = list(pool.synthesize([SynthesisRequest(" ".join(text.split()), voice)]))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate_hz)
        out.writeframes(audio.pcm)
    atomic_write_bytes(out_path, buffer.getvalue())
    return voice
