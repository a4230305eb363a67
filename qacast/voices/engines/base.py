"""What every speech engine is: the interface it implements, and its record.

An engine is one module (``pyttsx3_engine.py``, ``piper_engine.py``) that
defines its ``SPEC``, an ``EngineSpec``, and one row in ``ENGINES``
(``engines/__init__.py``). Everything else (presets, the pool, the cache,
``qacast voices``, ``qacast parse``) asks the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from qacast.models import VoicePreset


class UnknownVoiceError(ValueError):
    """A voice the engine does not have; the message names real alternatives."""


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


@dataclass(frozen=True)
class FolderVoice:
    """A voice file a producer dropped in the show's voices/ folder."""

    info: VoiceInfo  # as `qacast voices` lists it; info.voice_id is what a preset writes
    names: tuple[str, ...]  # every way a preset may name it ("alan", "alan.onnx")
    canonical_id: str  # what the engine is handed: the file's absolute path
    problem: str = ""  # one line saying why it cannot speak; "" when it can


class SpeechEngine(Protocol):
    """One engine instance lives in one worker process (see pool.py)."""

    name: str

    def version(self) -> str:
        """Engine and voice-data version: part of every synthesis cache key."""
        ...

    def synthesize(self, text: str, voice: VoicePreset) -> SpeechAudio:
        """Speak one utterance; raise EngineError when the engine fails."""
        ...


@dataclass(frozen=True)
class EngineSpec:
    """What the parent process may ask of an engine without loading it for speech."""

    name: str  # what a preset's ``engine`` says: "pyttsx3"
    create: Callable[[], SpeechEngine]  # never in the parent: see engines/preload.py
    version: Callable[[], str]  # callable in the parent: part of every cache key
    # A voice as written by a producer -> the engine's canonical id, or
    # UnknownVoiceError. Checked before any worker starts: espeak-ng only
    # reports an unknown voice as an error event and otherwise keeps speaking
    # with the previous one.
    resolve_voice: Callable[[str], str]
    voices: Callable[[], tuple[VoiceInfo, ...]]  # what `qacast voices` lists
    gender: Callable[[str], str | None]  # of a canonical voice id; None when unknown
    installed: Callable[[], bool]  # whether it can speak here (an optional extra may be absent)
    # What a preset's voice table takes when it leaves them out: the voice's
    # own pitch and pace on the preset scales (pitch 0-99, words per minute).
    default_pitch: int
    default_rate_wpm: int
    example_voice: str  # a voice that messages suggest when one is missing
    # (canonical voice id, language code) -> a voice of the same character that
    # speaks that language; UnknownVoiceError names the nearest supported ones.
    for_language: Callable[[str, str], str] = lambda voice_id, language: voice_id
    # What a cache key adds for one voice beyond the engine's version (a model
    # file's content hash); "" when the engine version already says it all.
    voice_version: Callable[[str], str] = lambda voice_id: ""
    # Whether the engine may be created in the template process that synthesis
    # processes are forked from; if not, each of them creates its own.
    template_safe: Callable[[], bool] = lambda: False
    # Says each utterance the same whatever it said before (Piper with its noise
    # off): one spawned process per pool slot says many, instead of a fork each.
    stateless: bool = False
    # Whether a voice id sounds different from one run to the next (warned at cast time).
    nondeterministic: Callable[[str], bool] = lambda voice_id: False
    # The voice files of a folder (the show's voices/) this engine can speak with,
    # each checked; () for an engine whose voices are not files.
    folder_voices: Callable[[Path], tuple[FolderVoice, ...]] = lambda folder: ()
