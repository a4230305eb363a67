"""pyttsx3 as a qacast speech engine, built around its measured traps (noted where met).

Created once in the template process that synthesis processes are forked from
(see engines/preload.py), never in the parent: each forked child inherits it
initialised and says one utterance with it. On Linux it speaks with the
espeak-ng that the espeakng-loader wheel ships (engines/espeak_*.py); on macOS
and Windows with pyttsx3's own drivers.

``SPEC`` is all the rest of qacast knows of it (engines/base.py).
"""

from __future__ import annotations

import array
import functools
import sys
import tempfile
import threading
import wave
from importlib import metadata
from pathlib import Path
from typing import Any

from qacast.errors import EngineError
from qacast.models import VoicePreset
from qacast.voices.engines.base import (
    EngineSpec,
    SpeechAudio,
    SpeechEngine,
    UnknownVoiceError,
    VoiceInfo,
)
from qacast.voices.engines.espeak_runtime import (
    RANDOM_SEED,
    espeak_version,
    is_nondeterministic,
    prepare_espeak,
)
from qacast.voices.engines.espeak_voices import espeak_catalog

NAME = "pyttsx3"
# What a preset's voice gets when it names none: the voice's own pitch (50 on
# the 0-99 scale) and a conversational pace (espeak-ng's own default is 175).
DEFAULT_PITCH = 50
DEFAULT_RATE_WPM = 170

# A clip whose loudest sample stays under this is silence, not speech (about -50 dBFS).
SILENT_PEAK = 100
UTTERANCE_WAIT_S = 60.0


def _driver_name() -> str | None:
    if not sys.platform.startswith("linux"):
        return None  # pyttsx3's own nsss / sapi5 drivers
    # Imported here, in a synthesis process: the driver loads pyttsx3's espeak
    # module, which starts the native engine, and the parent must never do
    # that (a process forked after synthesis can hang in it).
    from qacast.voices.engines.espeak_driver import install

    return install()


class Pyttsx3Engine:
    name = NAME

    def __init__(self) -> None:
        prepare_espeak()
        import pyttsx3  # in a synthesis process only: it loads the native engine

        driver = _driver_name()
        self._espeak = driver is not None
        self._engine: Any = pyttsx3.init(driver)
        self._finished = threading.Event()
        self._errors: list[BaseException] = []
        # The driver holds the engine weakly; self._engine keeps it alive.
        self._engine.connect("finished-utterance", self._on_finished)
        self._engine.connect("error", self._on_error)
        # Found once here, so that the processes forked from this one do not
        # each probe for a usable temporary folder.
        tempfile.gettempdir()

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        self._finished.set()

    def _on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("unknown engine error"))

    def version(self) -> str:
        return version()

    def synthesize(self, text: str, voice: VoicePreset) -> SpeechAudio:
        if not text.strip():
            raise EngineError("refusing to synthesize empty text")
        # A folder per call: every child forked from the template shares its
        # attributes, so a folder made once would be shared by all of them.
        with tempfile.TemporaryDirectory(prefix="qacast-tts-") as scratch:
            return self._synthesize(text, voice, Path(scratch) / "utterance.wav")

    def _synthesize(self, text: str, voice: VoicePreset, wav_path: Path) -> SpeechAudio:
        self._finished.clear()
        self._errors.clear()
        # Properties persist between utterances and a bad voice only shows up as an
        # error event, so set all of them every time and check.
        self._engine.setProperty("voice", voice.voice_id)
        self._engine.setProperty("rate", voice.rate_wpm)
        self._engine.setProperty("volume", voice.volume)
        if self._espeak:
            self._engine.setProperty("pitch", voice.pitch)
        # One save per run: several saves before one run keep only the last.
        self._engine.save_to_file(text, str(wav_path))
        self._engine.runAndWait()
        if self._errors:
            raise EngineError(f"voice {voice.voice_id!r}: {self._errors[0]}")
        # The stock driver returns before the file is written; ours
        # does not, but the wait keeps other drivers honest.
        if not self._finished.wait(UTTERANCE_WAIT_S) or not wav_path.exists():
            raise EngineError(f"the speech engine produced no audio for {text[:40]!r}")
        with wave.open(str(wav_path), "rb") as wav:
            if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                raise EngineError("the speech engine wrote an unexpected WAV layout")
            pcm = wav.readframes(wav.getnframes())
            rate_hz = wav.getframerate()
        if _is_silence(pcm):
            raise EngineError(f"the speech engine returned silence for {text[:40]!r}")
        return SpeechAudio(pcm=pcm, sample_rate_hz=rate_hz)


def _is_silence(pcm: bytes) -> bool:
    # Fast path (C speed, a few µs a second of audio): a sample whose high byte
    # (little-endian) is neither 0x00 nor 0xFF is at least 256 away from zero.
    if pcm[1::2].translate(None, b"\x00\xff"):
        return False
    return _peak(pcm) < SILENT_PEAK


def _peak(pcm: bytes) -> int:
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return 0
    return max(max(samples), -min(samples))


# --- what the parent asks: version, voices, languages ------------------------------


@functools.cache  # asked once per episode and sentence batch; loading the library is not free
def version() -> str:
    # The last part names how clips are made, so clips said one per fresh fork
    # with a fixed seed never mix with clips made otherwise (several said in a
    # row by one process, as before).
    return (
        f"pyttsx3-{metadata.version('pyttsx3')}/espeak-ng-{espeak_version()}"
        f"/fork-per-utterance/seed-{RANDOM_SEED}"
    )


def _on_linux() -> bool:
    # espeak-ng in synchronous mode starts no thread, so a process that has
    # initialised it (and never synthesized) forks safely; macOS's and
    # Windows's speech frameworks promise no such thing.
    return sys.platform.startswith("linux")


def resolve_voice(voice_id: str) -> str:
    if not _on_linux():
        return voice_id  # nsss / sapi5 voices are checked by the engine itself
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


def for_language(voice_id: str, language: str) -> str:
    if not _on_linux():
        return voice_id
    catalog = espeak_catalog()
    found = catalog.for_language(voice_id, language)
    if found is None:
        near = ", ".join(catalog.nearest_languages(language)) or "none close"
        raise UnknownVoiceError(
            f"espeak-ng does not speak language '{language}' (nearest supported: {near})"
        )
    return found


def voices() -> tuple[VoiceInfo, ...]:
    return espeak_catalog().voices(NAME)


def gender(voice_id: str) -> str | None:
    return espeak_catalog().gender(voice_id)


def _create() -> SpeechEngine:
    return Pyttsx3Engine()


SPEC = EngineSpec(
    name=NAME,
    create=_create,
    version=version,
    resolve_voice=resolve_voice,
    voices=voices,
    gender=gender,
    installed=lambda: True,  # a dependency of qacast itself, espeak-ng included
    default_pitch=DEFAULT_PITCH,
    default_rate_wpm=DEFAULT_RATE_WPM,
    example_voice="en-us",
    for_language=for_language,
    template_safe=_on_linux,
    nondeterministic=is_nondeterministic,
)
