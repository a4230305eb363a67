"""The render spine without mastering or extra outputs: the baseline of bench_master.py.

parse -> synthesize (cold: a fresh clip store, nothing cached) -> assemble ->
encode (plain soxr resample, no gain, no limiter) -> ID3 tags with chapters.
MP3 only; no voice levelling, loudness measurement, music, cover, sidecars or
transcript. It calls the same library functions as ``qacast render``.

    python bare_spine.py SCRIPT OUT_DIR [-j JOBS]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from qacast.voices.pool import SynthesisPool

BUILTIN_PRESET = Path(__file__).resolve().parent.parent / "qacast" / "data" / "default-voices.toml"


def bare_render(script: Path, out_dir: Path, pool: SynthesisPool) -> Path:
    # Imported here, as qacast.cli does: the speech workers boot meanwhile.
    from qacast.audio.assemble import ProgrammeFile, assemble
    from qacast.audio.encode import encode, encode_settings
    from qacast.audio.grid import FrameGrid
    from qacast.audio.tags import write_tags
    from qacast.config import ShowConfig
    from qacast.episode import episode_tags, slugify
    from qacast.script import utterances
    from qacast.script.read import read_episode
    from qacast.voices.cache import SynthesisCache
    from qacast.voices.presets import cast, load_preset
    from qacast.voices.synthesize import synthesize_in_order

    episode, voice_ids = read_episode(script)
    casting = cast(episode, load_preset(BUILTIN_PRESET), voice_ids)
    speech = utterances(episode)
    settings = encode_settings("mp3")
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / f"{slugify(script.stem)}.mp3"
    with tempfile.TemporaryDirectory(dir=out_dir) as work:
        store = SynthesisCache(Path(work) / "clips")
        clips = list(synthesize_in_order(speech, casting, lambda: pool, store))
        rate_hz = clips[0][0].sample_rate_hz
        # The whole-programme encode, no spans: only the length's frame grid.
        grid = FrameGrid(rate_hz, FrameGrid.for_formats((settings,), rate_hz).length_multiple)
        pieces = [(speech[clip.utterance_index], clip, pcm) for clip, pcm in clips]
        file = ProgrammeFile(Path(work) / "programme.pcm", grid)
        programme = assemble(episode, pieces, casting.pauses, file)
        encode(programme, settings, dest)
    show = ShowConfig(title="Bench", show_dir=script.parent)
    write_tags(dest, "mp3", episode_tags(episode, show), programme.timeline.chapters)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("script", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with SynthesisPool(args.jobs) as pool:
        print(bare_render(args.script, args.out_dir, pool))


if __name__ == "__main__":
    main()
