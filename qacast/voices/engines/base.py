"""The interface every speech engine implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from qacast.models import VoicePreset


@dataclass(frozen=True)
class SpeechAudio:
    pcm: bytes  # signed 16-bit little-endian mono
    sample_rate_hz: int


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers, as `qacast voices` lists it."""

    engine: str
    voice_id: str  # what a preset or front matter writes as `voice`
    language: str  # BCP 47-style code, lower case ("en-gb"); "" when unknown
    gender: str  # "female", "male" or "" when the engine does not say
    description: str = ""


class SpeechEngine(Protocol):
    """One engine instance lives in one worker process (see pool.py)."""

    name: str

    def version(self) -> str:
        """Engine and voice-data version: part of every synthesis cache key."""
        ...

    def synthesize(self, text: str, voice: VoicePreset) -> SpeechAudio:
        """Speak one utterance; raise EngineError when the engine fails."""
        ...
