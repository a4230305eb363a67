"""Intro and outro music and a sting between questions, mixed under the speech.

Music is optional and comes from the show's audio/ folder, or is the jingle
qacast makes itself ("jingle"; its first bars are the "sting"). It plays at
about speech loudness where nobody speaks and is ducked well under the speech
where they overlap, so words are never masked.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qacast.audio.ffmpeg import ffmpeg_exe
from qacast.audio.jingle import jingle_pcm
from qacast.audio.loudness import loudness_of_pcm
from qacast.config import BUILTIN_JINGLE, BUILTIN_STING
from qacast.errors import AssetError
from qacast.models import Cue, MusicCue, MusicKind

# numpy is imported where it is used: importing the render pipeline (as a
# build with nothing to render does) should not cost numpy's start-up.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

STING_MS = 1600
STING_FADE_MS = 500
FREE_LEVEL_LU = -4.0  # music alone sits a little under the voices
DUCKED_LEVEL_LU = -16.0  # under speech: 12 dB is the promise, 4 more is the margin
DUCK_RAMP_MS = 120  # the music dips this long before a word and recovers after
INTRO_OVERLAP_MS = 1500  # the first words start over the intro's last bars
MAX_MUSIC_S = 120  # a theme, not a second programme


@dataclass(frozen=True)
class Music:
    """Decoded music at the programme's rate (s16le mono); None where not used."""

    sample_rate_hz: int
    intro: bytes | None = None
    sting: bytes | None = None
    outro: bytes | None = None

    def frames(self, kind: str) -> int:
        pcm: bytes | None = getattr(self, kind)
        return len(pcm) // 2 if pcm else 0


def load_music(
    sources: Mapping[MusicKind, str | None], base_dir: Path, sample_rate_hz: int
) -> Music | None:
    """``sources`` maps intro/sting/outro to "jingle", "sting", a path, or None."""
    loaded = {
        kind: _load_one(source, base_dir, sample_rate_hz)
        for kind, source in sources.items()
        if source
    }
    return Music(sample_rate_hz, **loaded) if loaded else None


# Rate used only to check that music decodes: low, so the check is cheap.
_CHECK_RATE_HZ = 16000


def check_music(sources: Mapping[MusicKind, str | None], base_dir: Path) -> None:
    """Raise AssetError for music that cannot be used, before any speech is made.

    ``load_music`` needs the speech's sample rate, known only after synthesis;
    a render should not spend minutes synthesizing a long episode to then fail
    on a broken intro file. Decoding the music once at a low rate is cheap.
    """
    load_music(sources, base_dir, _CHECK_RATE_HZ)


def _load_one(source: str, base_dir: Path, rate_hz: int) -> bytes:
    import numpy as np

    if source == BUILTIN_JINGLE:
        return jingle_pcm(rate_hz)
    if source == BUILTIN_STING:
        return _fade_out(jingle_pcm(rate_hz)[: 2 * (STING_MS * rate_hz // 1000)], rate_hz)
    path = (base_dir / source).resolve()
    if not path.is_file():
        raise AssetError(f"{path}: music file not found")
    result = subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(path), "-t", str(MAX_MUSIC_S),
         "-f", "s16le", "-ac", "1", "-ar", str(rate_hz), "-af", "aresample=resampler=soxr", "-"],
        capture_output=True, check=False,
    )  # fmt: skip
    if result.returncode != 0 or len(result.stdout) < rate_hz // 10 * 2:
        raise AssetError(f"{path}: not a readable audio file")
    if loudness_of_pcm(result.stdout, rate_hz) == -np.inf:
        raise AssetError(f"{path}: the music is silent")
    return result.stdout


def _fade_out(pcm: bytes, rate_hz: int) -> bytes:
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    fade = min(len(samples), STING_FADE_MS * rate_hz // 1000)
    samples[len(samples) - fade :] *= np.linspace(1.0, 0.0, fade)
    return np.rint(samples).astype("<i2").tobytes()


def mix_music(
    pcm_path: Path,
    placements: Sequence[MusicCue],
    cues: Sequence[Cue],
    music: Music,
    speech_lufs: float,
) -> None:
    """Mix each of ``placements`` into the programme file in place, ducked under ``cues``.

    Called span by span as the programme is written (``assemble``): a
    placement is mixed once every cue that can duck it is known.
    """
    import numpy as np

    rate_hz = music.sample_rate_hz
    with pcm_path.open("r+b") as programme:
        for placement in placements:
            pcm = getattr(music, placement.kind)
            window = _music_window(pcm, placement, cues, rate_hz, speech_lufs)
            programme.seek(placement.start_frame * 2)
            speech = np.frombuffer(programme.read(len(window) * 2), dtype="<i2")
            # The programme file may still end inside the placement (an outro is
            # mixed before the tail is written): silence there.
            speech = np.pad(speech, (0, len(window) - len(speech)))
            mixed = np.clip(np.rint(speech + window), -32768, 32767).astype("<i2")
            programme.seek(placement.start_frame * 2)
            programme.write(mixed.tobytes())


def _music_window(
    pcm: bytes, placement: MusicCue, cues: Sequence[Cue], rate_hz: int, speech_lufs: float
) -> npt.NDArray[np.float64]:
    import numpy as np

    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)[: placement.frame_count]
    music_lufs = loudness_of_pcm(pcm, rate_hz)
    free_gain = 10 ** ((speech_lufs + FREE_LEVEL_LU - music_lufs) / 20)
    ducked_gain = 10 ** ((speech_lufs + DUCKED_LEVEL_LU - music_lufs) / 20)
    envelope = np.full(len(samples), free_gain)
    ramp = DUCK_RAMP_MS * rate_hz // 1000
    for cue in cues:
        start = cue.start_ms * rate_hz // 1000 - placement.start_frame
        end = -(-cue.end_ms * rate_hz // 1000) - placement.start_frame
        if end + ramp < 0 or start - ramp >= len(samples):
            continue
        # Fully ducked across the words, with ramps outside them so that no
        # word starts or ends over louder music.
        low, high = max(0, start - ramp), min(len(samples), end + ramp)
        envelope[low:high] = np.minimum(envelope[low:high], ducked_gain)
        for edge_start, edge_end, rising in ((start - 2 * ramp, start - ramp, False),
                                             (end + ramp, end + 2 * ramp, True)):  # fmt: skip
            a, b = max(0, edge_start), min(len(samples), edge_end)
            if a < b:
                steps = np.linspace(0.0, 1.0, edge_end - edge_start)[
                    a - edge_start : b - edge_start
                ]
                shape = ducked_gain + (free_gain - ducked_gain) * (steps if rising else 1 - steps)
                envelope[a:b] = np.minimum(envelope[a:b], shape)
    result: npt.NDArray[np.float64] = samples * envelope
    return result
