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

PREVIEW_TEXT = "Hello, and welcome to the show. Here is how this voice sounds in an interview."


def installed_voices(language: str | None = None) -> tuple[VoiceInfo, ...]:
    """Every engine's voices; with ``language``, those whose code starts with it ("fr" -> fr-be)."""
    found = [voice for spec in ENGINES.values() if spec.installed() for voice in spec.voices()]
    if language:
        wanted = language.lower()
        found = [v for v in found if v.language == wanted or v.language.startswith(f"{wanted}-")]
    return tuple(found)


def write_preview(
    voice_id: str, out_path: Path, text: str = PREVIEW_TEXT, engine: str = DEFAULT_ENGINE
) -> VoicePreset:
    """Speak ``text`` with ``voice_id`` into a WAV file at ``out_path``; returns the voice used."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine '{engine}' (known: {', '.join(ENGINES)})")
    if not text.strip():
        raise ConfigError("the preview text is empty")
    try:
        canonical = ENGINES[engine].resolve_voice(voice_id)
    except UnknownVoiceError as err:
        raise ConfigError(str(err)) from None
    spec = ENGINES[engine]  # the voice as it is: its engine's own pace and pitch
    voice = VoicePreset(engine, canonical, spec.default_rate_wpm, spec.default_pitch)
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
