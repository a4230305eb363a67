"""A pyttsx3 driver for espeak-ng that synthesizes synchronously.

pyttsx3 picks drivers by module name under ``pyttsx3.drivers``; ``install()``
registers this one as ``pyttsx3.drivers.qacast_espeak``. It is pyttsx3's own
espeak driver with the synthesis path replaced, because the stock one, driven
asynchronously from espeak-ng's callback thread, was measured to:
- return from ``runAndWait()`` before the WAV exists;
- append audio with ``bytes +=``, quadratic in utterance length;
- let one utterance's last chunk land in the next one's buffer, so the same
  text gave different bytes on every run, and sometimes an empty file;
- print "Audio saved to ..." on stdout.
Before each utterance the random seed is fixed, so breath noise repeats too.
Here ``espeak_Synth`` runs in AUDIO_OUTPUT_SYNCHRONOUS mode: every callback
happens on the calling thread before Synth returns, so when ``runAndWait()``
returns the WAV is complete and depends only on the text and the voice.
Properties, voices and the pyttsx3 event API (``finished-utterance``,
``error``) are unchanged.
"""

from __future__ import annotations

import ctypes
import sys
import wave
from typing import Any

from pyttsx3.drivers import _espeak
from pyttsx3.drivers.espeak import EspeakDriver

from qacast.voices.engines.espeak_runtime import RANDOM_SEED, SEED_FUNCTION

DRIVER_NAME = "qacast_espeak"
SAMPLE_RATE_HZ = 22050  # espeak-ng's native rate; the stock driver hard-codes it too
BUFFER_MS = 500  # how much audio espeak-ng hands to each callback


class SynchronousEspeakDriver(EspeakDriver):  # type: ignore[misc]
    def __init__(self, proxy: Any) -> None:
        if not EspeakDriver._moduleInitialized:
            # espeak-ng can be initialised once per process; doing it here first
            # makes the stock constructor keep our synchronous mode.
            if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS) == -1:
                raise RuntimeError("could not initialize espeak-ng")
            EspeakDriver._defaultVoice = "en"
            EspeakDriver._moduleInitialized = True
        self._chunks: list[bytes] = []
        super().__init__(proxy)

    def _onSynth(self, wav: Any, numsamples: int, events: Any) -> int:  # noqa: N802 (pyttsx3's name)
        if numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        return 0

    def _start_synthesis(self, text: str) -> None:
        self._proxy.setBusy(True)
        self._proxy.notify("started-utterance")
        self._chunks = []
        try:
            _seed_random()
            _espeak.Synth(str(text).encode("utf-8"), flags=_espeak.ENDPAUSE | _espeak.CHARS_UTF8)
            if self._save_file:
                with wave.open(self._save_file, "wb") as out:
                    out.setnchannels(1)
                    out.setsampwidth(2)
                    out.setframerate(SAMPLE_RATE_HZ)
                    out.writeframes(b"".join(self._chunks))
        except Exception as exc:
            self._proxy.notify("error", exception=exc)
            self._proxy.notify("finished-utterance", completed=False)
        else:
            self._proxy.notify("finished-utterance", completed=True)
        finally:
            self._chunks = []
            self._proxy.setBusy(False)

    def startLoop(self) -> None:  # noqa: N802 (pyttsx3's name)
        self._looping = True
        # Runs the queued property changes and the save request (and the engine's
        # end-of-loop marker), then synthesizes what was asked, synchronously.
        self._proxy.setBusy(False)
        text: str | None = getattr(self, "_text_to_say", None)
        self._text_to_say = None
        if text:
            self._start_synthesis(text)
        self._looping = False


def _seed_random() -> None:
    # The breath noise of some variants draws random numbers that espeak-ng
    # seeds from the clock (see espeak_runtime.NONDETERMINISTIC_VARIANTS).
    seed = getattr(_espeak.dll, SEED_FUNCTION, None)
    if seed is not None:
        seed.argtypes = [ctypes.c_long]
        seed.restype = None
        seed(RANDOM_SEED)


def buildDriver(proxy: Any) -> SynchronousEspeakDriver:  # noqa: N802 (pyttsx3's name)
    return SynchronousEspeakDriver(proxy)


def install() -> str:
    """Make ``pyttsx3.init(DRIVER_NAME)`` find this driver; returns the name."""
    sys.modules[f"pyttsx3.drivers.{DRIVER_NAME}"] = sys.modules[__name__]
    return DRIVER_NAME
