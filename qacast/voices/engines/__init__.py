"""Speech engines, registered explicitly: adding one is one module and one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from qacast.voices.engines.base import SpeechAudio, SpeechEngine


@dataclass(frozen=True)
class EngineSpec:
    create: Callable[[], SpeechEngine]  # never in the parent: see engines/preload.py
    version: Callable[[], str]  # callable in the parent: part of every cache key
    # Whether the engine may be created in the template process that synthesis
    # processes are forked from; if not, each of them creates its own.
    template_safe: Callable[[], bool] = lambda: False


def _create_pyttsx3() -> SpeechEngine:
    # Imported lazily: loading pyttsx3's driver pulls in the native engine, which
    # only worker processes may do (PITFALLS 5).
    from qacast.voices.engines.pyttsx3_engine import Pyttsx3Engine

    return Pyttsx3Engine()


@functools.cache  # asked once per episode and sentence batch; loading the library is not free
def _pyttsx3_version() -> str:
    from qacast.voices.engines.espeak_runtime import espeak_version

    # The last part names how clips are made: clips said one per fresh fork do
    # not mix with clips made before, when a process said several in a row.
    return f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng-{espeak_version()}/{ISOLATION}"


def _on_linux() -> bool:
    # espeak-ng in synchronous mode starts no thread, so a process that has
    # initialised it (and never synthesized) forks safely; macOS's and
    # Windows's speech frameworks promise no such thing.
    return sys.platform.startswith("linux")


ISOLATION = "one-utterance-per-fork"
ENGINES: dict[str, EngineSpec] = {
    "pyttsx3": EngineSpec(
        create=_create_pyttsx3, version=_pyttsx3_version, template_safe=_on_linux
    ),
}

__all__ = ["ENGINES", "EngineSpec", "SpeechAudio", "SpeechEngine"]
