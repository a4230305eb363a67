"""What espeak-ng carries from one synthesis to the next, shown on the bundled library.

Drives libespeak-ng directly (ctypes, synchronous mode), no qacast code:

1. one process says S, then another sentence, then S twice more: sample
   counts and where the first S and the later ones part;
2. the same with a variant that turns the pitch flutter off (written into a
   copy of the voice data): what is left once the flutter phase is out;
3. forks of a process that initialised espeak-ng but never synthesized: S
   alone in two forks, and S after another sentence in a third;
4. a breath-noise variant (+f2) in two separate runs, without and with a
   fixed random seed (each run is a new process, seeded from the clock).

    python espeak_state.py
"""

from __future__ import annotations

import array
import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import espeakng_loader

S = "How did the program start in 1993?"
OTHER = "A radio. It never worked. I learned a lot from it."
SYNCHRONOUS, CHARS_UTF8, ENDPAUSE, POS_CHARACTER = 2, 1, 0x1000, 1
RATE, VOLUME, PITCH = 1, 2, 3  # espeak_PARAMETER values

Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class Espeak:
    def __init__(self, data_path: str) -> None:
        os.environ["ESPEAK_DATA_PATH"] = data_path
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        self._chunks: list[bytes] = []
        self._callback = Callback(self._collect)
        if self.lib.espeak_Initialize(SYNCHRONOUS, 500, None, 0) != 22050:
            raise SystemExit("could not initialise espeak-ng")
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: object, count: int, events: object) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def say(self, text: str, voice: str = "en-us", seed: int | None = None) -> bytes:
        self.lib.espeak_SetVoiceByName(voice.encode())
        for parameter, value in ((RATE, 170), (PITCH, 40), (VOLUME, 100)):
            self.lib.espeak_SetParameter(parameter, value, 0)
        if seed is not None:
            self.lib.espeak_ng_SetRandSeed(seed)
        self._chunks = []
        data = text.encode()
        self.lib.espeak_Synth(data, len(data) + 1, 0, POS_CHARACTER, 0, ENDPAUSE | CHARS_UTF8,
                              None, None)  # fmt: skip
        return b"".join(self._chunks)


def samples(pcm: bytes) -> int:
    return len(pcm) // 2


def first_difference(a: bytes, b: bytes) -> str:
    x, y = array.array("h", a), array.array("h", b)
    for index, (p, q) in enumerate(zip(x, y, strict=False)):
        if p != q:
            return f"first difference at sample {index:,}"
    return "identical" if len(x) == len(y) else f"same start, lengths {len(x)} and {len(y)}"


def in_one_process(espeak: Espeak, voice: str) -> None:
    alone = espeak.say(S, voice)
    espeak.say(OTHER, voice)
    after = [espeak.say(S, voice) for _ in range(4)]
    print(f"  {voice}: S first {samples(alone):,} samples; after another sentence, four times: "
          f"{', '.join(f'{samples(a):,}' for a in after)}")  # fmt: skip
    print(
        f"    first S vs the next: {first_difference(alone, after[0])}; "
        f"2nd vs 3rd: {first_difference(after[0], after[1])}; "
        f"2nd vs 4th: {first_difference(after[0], after[2])}"
    )


def in_a_fork(espeak: Espeak, texts: list[str]) -> str:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        said = [espeak.say(text) for text in texts][-1]
        os.write(
            write_fd, f"{samples(said):,} samples, {hashlib.sha256(said).hexdigest()[:12]}".encode()
        )
        os._exit(0)
    os.close(write_fd)
    answer = os.read(read_fd, 200).decode()
    os.waitpid(pid, 0)
    return answer


def main() -> None:
    if len(sys.argv) == 3:  # a child run of step 4: print one digest
        espeak = Espeak(espeakng_loader.get_data_path())
        seed = None if sys.argv[2] == "none" else int(sys.argv[2])
        print(hashlib.sha256(espeak.say(S, sys.argv[1], seed)).hexdigest()[:12])
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "espeak-ng-data"
        shutil.copytree(espeakng_loader.get_data_path(), data)
        (data / "voices" / "!v" / "noflutter").write_text("name noflutter\nflutter 0\n")
        espeak = Espeak(str(data))
        if os.fork() == 0:
            print("1-2. one process, several sentences:")
            in_one_process(espeak, "en-us")
            in_one_process(espeak, "en-us+noflutter")
            os._exit(0)
        os.wait()
        print("3. forks of a process that never synthesized:")
        print(f"  S alone:          {in_a_fork(espeak, [S])}")
        print(f"  S alone again:    {in_a_fork(espeak, [S])}")
        print(f"  S after another:  {in_a_fork(espeak, [OTHER, S])}")
    print("4. en-us+f2 in two separate runs:")
    for seed in ("none", "1"):
        runs = []
        for _ in range(2):
            time.sleep(1.1)  # the library seeds itself from the clock, in seconds
            child = [sys.executable, __file__, "en-us+f2", seed]
            done = subprocess.run(child, capture_output=True, text=True, check=True)
            runs.append(done.stdout.strip())
        print(
            f"  seed {seed}: {runs[0]} and {runs[1]}: {'same' if runs[0] == runs[1] else 'DIFFER'}"
        )


if __name__ == "__main__":
    main()
