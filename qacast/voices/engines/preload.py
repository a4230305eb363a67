"""Imported once by the forkserver, so each forked synthesis process starts warm.

It loads the bundled espeak-ng library and pyttsx3's modules but does not
initialise espeak-ng nor synthesize anything: every child then begins from the
same untouched engine state (see voices/pool.py).
"""

from __future__ import annotations

import sys

from qacast.voices.engines.espeak_runtime import prepare_espeak

if sys.platform.startswith("linux"):
    prepare_espeak()
    import pyttsx3
    import pyttsx3.drivers._espeak  # noqa: F401

    import qacast.voices.engines.espeak_driver
    import qacast.voices.engines.pyttsx3_engine  # noqa: F401
