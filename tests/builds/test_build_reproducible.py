"""The same script must give the same audio bytes whatever was synthesized before it.

Found while checking that a copy of a show builds the same feed: with empty
synthesis caches, an episode's MP3 (and so its enclosure length, durations
and cue times) differs depending on which utterances the speech worker said
before it. With one worker and the same order it is stable; change the order
(here: build the episode alone, or after another one) and the clips differ.
A lost cache then changes published files, and apps see a new enclosure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from build_helpers import build, make_show


def test_an_episode_sounds_the_same_built_alone_or_after_another(tmp_path: Path) -> None:
    both = make_show(tmp_path, name="both")
    alone = make_show(tmp_path, name="alone")
    (alone / "scripts" / "01-radios.txt").unlink()
    # One worker each and empty caches: the only difference is what the
    # worker said before episode 2.
    build(both, tmp_path / "cache-both", "-j", "1")
    build(alone, tmp_path / "cache-alone", "-j", "1")
    shutil.rmtree(tmp_path / "cache-both")
    shutil.rmtree(tmp_path / "cache-alone")
    first = (both / "out" / "02-escaping.mp3").read_bytes()
    second = (alone / "out" / "02-escaping.mp3").read_bytes()
    assert first == second
