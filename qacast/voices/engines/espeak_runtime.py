"""Make pyttsx3's espeak driver use the libespeak-ng shipped in the espeakng-loader wheel.

pyttsx3 loads ``libespeak-ng.so.1`` by soname. Loading the wheel's copy first with
RTLD_GLOBAL makes that lookup resolve to it, and ESPEAK_DATA_PATH points espeak-ng
at the wheel's voice data, so no system espeak-ng is needed.
"""

from __future__ import annotations

import ctypes
import os
import sys

_loaded = False
SEED_FUNCTION = "espeak_ng_SetRandSeed"  # espeak-ng 1.52 and later
RANDOM_SEED = 1  # set before every utterance (espeak_driver.py)

# Measured with the bundled espeak-ng 1.52: one sentence, said by "en-us+NAME"
# in fresh processes for each of the 104 variants in espeak-ng-data/voices/!v.
# Forks of one template agree for every variant. Two separate runs disagree for
# the variants listed under False, whose breath noise draws random numbers that
# espeak-ng seeds from the clock at start-up; with the seed fixed before each
# utterance (True: the bundled library can do it) no variant differs.
NONDETERMINISTIC_VARIANTS: dict[bool, frozenset[str]] = {  # keyed by: can the seed be fixed?
    True: frozenset(),
    False: frozenset(
        {"alicia", "demonic", "f2", "f3", "f5", "sandro", "victor", "whisper", "whisperf"}
    ),
}


def prepare_espeak() -> None:
    """Load the bundled espeak-ng; call before ``import pyttsx3``. Idempotent."""
    global _loaded
    if _loaded or not sys.platform.startswith("linux"):
        # macOS and Windows use pyttsx3's own nsss / sapi5 drivers.
        return
    import espeakng_loader  # installed on Linux only

    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    _loaded = True


def _library() -> ctypes.CDLL:
    # Loading the library runs no espeak-ng code: safe in the parent process.
    import espeakng_loader  # installed on Linux only; asked on Linux only

    return ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)


def is_nondeterministic(voice_id: str) -> bool:
    """Whether this espeak-ng voice sounds different from one run to the next."""
    if not sys.platform.startswith("linux"):
        return False  # nsss / sapi5 voices: no espeak-ng variants
    variant = voice_id.partition("+")[2].lower()
    return variant in NONDETERMINISTIC_VARIANTS[hasattr(_library(), SEED_FUNCTION)]


def espeak_version() -> str:
    """The version of the bundled espeak-ng, for cache keys and reports."""
    if not sys.platform.startswith("linux"):
        return "system"
    lib = _library()
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    info = lib.espeak_Info(None)
    return info.decode("ascii", "replace") if info else "unknown"
