"""Speech engines, registered explicitly: adding one is one module and one line."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from qacast.voices.engines.base import SpeechAudio, SpeechEngine


@dataclass(frozen=True)
class EngineSpec:
    create: Callable[[], SpeechEngine]  # called once, inside a worker process
    version: Callable[[], str]  # callable in the parent: part of every cache key


def _create_pyttsx3() -> SpeechEngine:
    # Imported lazily: loading pyttsx3's driver pulls in the native engine, which
    # only worker processes may do (PITFALLS 5).
    from qacast.voices.engines.pyttsx3_engine import Pyttsx3Engine

    return Pyttsx3Engine()


@functools.cache  # asked once per episode and sentence batch; loading the library is not free
def _pyttsx3_version() -> str:
    from qacast.voices.engines.espeak_runtime import espeak_version

    return f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng-{espeak_version()}"


ENGINES: dict[str, EngineSpec] = {
    "pyttsx3": EngineSpec(create=_create_pyttsx3, version=_pyttsx3_version),
}

__all__ = ["ENGINES", "EngineSpec", "SpeechAudio", "SpeechEngine"]
