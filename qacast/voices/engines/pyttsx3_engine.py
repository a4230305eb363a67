"""pyttsx3 as a qacast speech engine, built around its measured traps (noted where met).

Created once in the template process that synthesis processes are forked from
(see engines/preload.py), never in the parent: each forked child inherits it
initialised and says one utterance with it.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import wave
from pathlib import Path
from typing import Any

from qacast.errors import EngineError
from qacast.models import VoicePreset
from qacast.voices.engines.base import SpeechAudio
from qacast.voices.engines.espeak_runtime import prepare_espeak

# A clip whose loudest sample stays under this is silence, not speech (about -50 dBFS).
SILENT_PEAK = 100
UTTERANCE_WAIT_S = 60.0


def _driver_name() -> str | None:
    if not sys.platform.startswith("linux"):
        return None  # pyttsx3's own nsss / sapi5 drivers
    from qacast.voices.engines.espeak_driver import install

    return install()


class Pyttsx3Engine:
    name = "pyttsx3"

    def __init__(self) -> None:
        prepare_espeak()
        import pyttsx3

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
        from qacast.voices.engines import ENGINES

        return ENGINES[self.name].version()

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
    import array

    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return 0
    return max(max(samples), -min(samples))
