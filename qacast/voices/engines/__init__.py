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
    # Whether a voice id sounds different from one run to the next (warned at cast time).
    nondeterministic: Callable[[str], bool] = lambda voice_id: False


def _create_pyttsx3() -> SpeechEngine:
    # Imported lazily: loading pyttsx3's driver pulls in the native engine, which
    # the parent must never do (a process forked after synthesis can hang in it).
    from qacast.voices.engines.pyttsx3_engine import Pyttsx3Engine

    return Pyttsx3Engine()


@functools.cache  # asked once per episode and sentence batch; loading the library is not free
def _pyttsx3_version() -> str:
    from qacast.voices.engines.espeak_runtime import RANDOM_SEED, espeak_version

    # The last part names how clips are made, so clips said one per fresh fork
    # with a fixed seed never mix with clips made otherwise (several said in a
    # row by one process, as before).
    return (
        f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng-{espeak_version()}"
        f"/fork-per-utterance/seed-{RANDOM_SEED}"
    )


def _pyttsx3_nondeterministic(voice_id: str) -> bool:
    from qacast.voices.engines.espeak_runtime import is_nondeterministic

    return is_nondeterministic(voice_id)


def _on_linux() -> bool:
    # espeak-ng in synchronous mode starts no thread, so a process that has
    # initialised it (and never synthesized) forks safely; macOS's and
    # Windows's speech frameworks promise no such thing.
    return sys.platform.startswith("linux")


ENGINES: dict[str, EngineSpec] = {
    "pyttsx3": EngineSpec(
        create=_create_pyttsx3,
        version=_pyttsx3_version,
        template_safe=_on_linux,
        nondeterministic=_pyttsx3_nondeterministic,
    ),
}

__all__ = ["ENGINES", "EngineSpec", "SpeechAudio", "SpeechEngine"]
