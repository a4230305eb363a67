"""Speech engines, registered explicitly: adding one is one module (its engine
class and its ``SPEC``, see ``base.EngineSpec``) and one row in ``ENGINES``.

Importing this package loads each engine's module, never the engine itself:
the modules import their speech libraries only when an engine is created
(in a synthesis process, never in the parent).
"""

from __future__ import annotations

from qacast.voices.engines import piper_engine, pyttsx3_engine
from qacast.voices.engines.base import (
    EngineSpec,
    FolderVoice,
    SpeechAudio,
    SpeechEngine,
    UnknownVoiceError,
    VoiceInfo,
)

DEFAULT_ENGINE = pyttsx3_engine.NAME  # needs nothing beyond `pip install qacast`
ENGINES: dict[str, EngineSpec] = {
    spec.name: spec
    for spec in (
        pyttsx3_engine.SPEC,
        piper_engine.SPEC,
    )
}

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "EngineSpec",
    "FolderVoice",
    "SpeechAudio",
    "SpeechEngine",
    "UnknownVoiceError",
    "VoiceInfo",
]
