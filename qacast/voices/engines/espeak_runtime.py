"""Make pyttsx3's espeak driver use the libespeak-ng shipped in the espeakng-loader wheel.

pyttsx3 loads ``libespeak-ng.so.1`` by soname. Loading the wheel's copy first with
RTLD_GLOBAL makes that lookup resolve to it, and ESPEAK_DATA_PATH points espeak-ng
at the wheel's voice data, so no system espeak-ng is needed (PITFALLS 9).
"""

from __future__ import annotations

import ctypes
import os
import sys

_loaded = False


def prepare_espeak() -> None:
    """Load the bundled espeak-ng; call before ``import pyttsx3``. Idempotent."""
    global _loaded
    if _loaded or not sys.platform.startswith("linux"):
        # macOS and Windows use pyttsx3's own nsss / sapi5 drivers.
        return
    import espeakng_loader

    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    _loaded = True


def espeak_version() -> str:
    """The version of the bundled espeak-ng, for cache keys and reports."""
    if not sys.platform.startswith("linux"):
        return "system"
    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    info = lib.espeak_Info(None)
    return info.decode("ascii", "replace") if info else "unknown"
