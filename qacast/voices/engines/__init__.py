"""Speech engines, registered explicitly: adding one is one module and one line."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from qacast.voices.engines.base import SpeechAudio, SpeechEngine, VoiceInfo


class UnknownVoiceError(ValueError):
    """A voice the engine does not have; the message names real alternatives."""


@dataclass(frozen=True)
class EngineSpec:
    """What the parent process may ask of an engine without loading it for speech."""

    create: Callable[[], SpeechEngine]  # never in the parent: see engines/preload.py
    version: Callable[[], str]  # callable in the parent: part of every cache key
    # A voice as written by a producer -> the engine's canonical id, or
    # UnknownVoiceError. Checked before any worker starts: espeak-ng only
    # reports an unknown voice as an error event and otherwise keeps speaking
    # with the previous one.
    resolve_voice: Callable[[str], str]
    voices: Callable[[], tuple[VoiceInfo, ...]]  # what `qacast voices` lists
    gender: Callable[[str], str | None]  # of a canonical voice id; None when unknown
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


def _espeak_resolve(voice_id: str) -> str:
    if not sys.platform.startswith("linux"):
        return voice_id  # nsss / sapi5 voices are checked by the engine itself
    from qacast.voices.engines.espeak_voices import espeak_catalog

    catalog = espeak_catalog()
    canonical = catalog.resolve(voice_id)
    if canonical is None:
        tries = ", ".join(f"'{s}'" for s in catalog.suggestions(voice_id))
        base, plus, variant = voice_id.partition("+")
        what = (
            f"voice '{voice_id}': espeak-ng has no variant '+{variant}'"
            if plus and catalog.resolve(base)
            else f"voice '{voice_id}' is not an espeak-ng voice"
        )
        raise UnknownVoiceError(f"{what} (try {tries}; `qacast voices` lists all)")
    return canonical


def _espeak_for_language(voice_id: str, language: str) -> str:
    if not sys.platform.startswith("linux"):
        return voice_id
    from qacast.voices.engines.espeak_voices import espeak_catalog

    catalog = espeak_catalog()
    found = catalog.for_language(voice_id, language)
    if found is None:
        near = ", ".join(catalog.nearest_languages(language)) or "none close"
        raise UnknownVoiceError(
            f"espeak-ng does not speak language '{language}' (nearest supported: {near})"
        )
    return found


def _espeak_voices() -> tuple[VoiceInfo, ...]:
    from qacast.voices.engines.espeak_voices import espeak_catalog

    return espeak_catalog().voices()


def _espeak_gender(voice_id: str) -> str | None:
    from qacast.voices.engines.espeak_voices import espeak_catalog

    return espeak_catalog().gender(voice_id)


def _create_piper() -> SpeechEngine:
    from qacast.voices.engines.piper_engine import PiperEngine

    return PiperEngine()


def _piper(function: str) -> Callable[..., Any]:
    """A function of the piper module, imported on first call: the extra may be absent."""

    def call(*args: Any) -> Any:
        from qacast.voices.engines import piper_engine

        return getattr(piper_engine, function)(*args)

    return call


DEFAULT_ENGINE = "pyttsx3"  # needs nothing beyond `pip install qacast`
ENGINES: dict[str, EngineSpec] = {
    "pyttsx3": EngineSpec(
        create=_create_pyttsx3,
        version=_pyttsx3_version,
        resolve_voice=_espeak_resolve,
        voices=_espeak_voices,
        gender=_espeak_gender,
        for_language=_espeak_for_language,
        template_safe=_on_linux,
        nondeterministic=_pyttsx3_nondeterministic,
    ),
    "piper": EngineSpec(
        create=_create_piper,
        version=_piper("version"),
        resolve_voice=_piper("resolve_voice"),
        voices=_piper("voices"),
        gender=lambda voice_id: None,
        voice_version=_piper("voice_version"),
        stateless=True,
        for_language=_piper("for_language"),
    ),
}

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "EngineSpec",
    "SpeechAudio",
    "SpeechEngine",
    "UnknownVoiceError",
    "VoiceInfo",
]
