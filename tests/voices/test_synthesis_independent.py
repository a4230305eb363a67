"""A sentence's audio depends only on the engine version, the voice, its settings and the text.

Not on the order sentences are said in, how they are grouped into calls, how
many run at once, or which process (or run) said them. Compared byte for byte.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence

import pytest

from qacast.models import VoicePreset
from qacast.script import utterances
from qacast.script.read import read_episode
from qacast.voices.engines import ENGINES
from qacast.voices.engines.espeak_runtime import NONDETERMINISTIC_VARIANTS, is_nondeterministic
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.presets import cast, load_preset, warn_if_unrepeatable

from conftest import DEFAULT_PRESET, SAMPLE


def sample_requests() -> list[SynthesisRequest]:
    episode, voice_ids = read_episode(SAMPLE)
    casting = cast(episode, load_preset(DEFAULT_PRESET), voice_ids)
    said = {(u.speech, casting.voices[u.speaker_id]): None for u in utterances(episode)}
    return [SynthesisRequest(text, voice) for text, voice in said]


def digests_by_request(
    pool: SynthesisPool, requests: Sequence[SynthesisRequest], groups: Sequence[int]
) -> dict[SynthesisRequest, str]:
    """Synthesize ``requests`` in calls of ``groups`` sizes (cycled); digest per request."""
    found: dict[SynthesisRequest, str] = {}
    start, sizes = 0, iter(groups * len(requests))
    while start < len(requests):
        batch = requests[start : start + next(sizes)]
        for index, audio in pool.synthesize(batch):
            found[batch[index]] = hashlib.sha256(audio.pcm).hexdigest()
        start += len(batch)
    return found


@pytest.fixture(scope="module")
def requests() -> list[SynthesisRequest]:
    return sample_requests()


@pytest.fixture(scope="module")
def reference(requests: list[SynthesisRequest]) -> dict[SynthesisRequest, str]:
    with SynthesisPool(1) as pool:
        return digests_by_request(pool, requests, [len(requests)])


@pytest.mark.parametrize(
    ("jobs", "seed", "groups"),
    [(1, 1, [1]), (2, 2, [6]), (2, 3, [5, 7, 1]), (1, 4, [2, 9])],
    ids=["j1-one-by-one", "j2-sixes", "j2-uneven", "j1-pairs-and-nines"],
)
def test_the_sample_gives_the_same_clips_in_any_order_grouping_and_jobs(
    requests: list[SynthesisRequest],
    reference: dict[SynthesisRequest, str],
    jobs: int,
    seed: int,
    groups: list[int],
) -> None:
    shuffled = list(requests)
    random.Random(seed).shuffle(shuffled)
    with SynthesisPool(jobs) as pool:
        found = digests_by_request(pool, shuffled, groups)
    assert len(reference) == len(requests) > 20
    different = [r.text[:40] for r in requests if found[r] != reference[r]]
    assert different == []


def test_a_sentence_repeated_in_one_call_comes_out_the_same(
    requests: list[SynthesisRequest], reference: dict[SynthesisRequest, str]
) -> None:
    # The chunked design said these one after another in one process, and the
    # second came out a few samples longer.
    first = requests[0]
    with SynthesisPool(1) as pool:
        said = dict(pool.synthesize([first, requests[1], first, first]))
    assert said[0].pcm == said[2].pcm == said[3].pcm
    assert hashlib.sha256(said[0].pcm).hexdigest() == reference[first]


BREATHING = ("f2", "whisper")  # two of the variants whose breath noise draws random numbers
DIGEST_IN_A_NEW_RUN = """
import hashlib, json, sys
from qacast.models import VoicePreset
from qacast.voices.pool import SynthesisPool, SynthesisRequest
voices = [VoicePreset("pyttsx3", f"en-us+{name}", 170, 50) for name in sys.argv[1:]]
if __name__ == "__main__":
    with SynthesisPool(1) as pool:
        asked = [SynthesisRequest("Breathe in, breathe out.", voice) for voice in voices]
        said = dict(pool.synthesize(asked))
    print(json.dumps([hashlib.sha256(said[i].pcm).hexdigest() for i in range(len(voices))]))
"""


def digests_in_a_new_run() -> Iterator[str]:
    done = subprocess.run(
        [sys.executable, "-c", DIGEST_IN_A_NEW_RUN, *BREATHING],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    yield from json.loads(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundled espeak-ng")
def test_breath_noise_voices_repeat_from_one_run_to_the_next() -> None:
    # Each run has its own template process, started at another time: without
    # a fixed seed espeak-ng's random numbers (and so the breath) differ.
    first = list(digests_in_a_new_run())
    time.sleep(1.1)  # not a timing check: espeak-ng seeds itself from the clock, in seconds
    assert list(digests_in_a_new_run()) == first
    assert not any(is_nondeterministic(f"en-us+{name}") for name in BREATHING)
    assert set(BREATHING) <= NONDETERMINISTIC_VARIANTS[False]  # without the seed they would


def test_casting_an_unrepeatable_voice_warns_once_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    steady = VoicePreset("pyttsx3", "en-us+m3", 170, 50)
    warn_if_unrepeatable([steady, VoicePreset("pyttsx3", "en-us+f2", 170, 50)])
    assert capsys.readouterr().err == ""  # the bundled espeak-ng repeats both
    # An engine that says a voice of its cannot repeat: one line, once.
    ENGINES["breathy-test"] = dataclasses.replace(
        ENGINES["pyttsx3"],
        version=lambda: "test",
        nondeterministic=lambda voice_id: voice_id.endswith("+noisy"),
    )
    try:
        noisy = VoicePreset("breathy-test", "en-us+noisy", 170, 50)
        warn_if_unrepeatable([noisy, steady])
        warn_if_unrepeatable([noisy])
    finally:
        del ENGINES["breathy-test"]
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "en-us+noisy" in lines[0] and lines[0].startswith("qacast: ")


def test_the_engine_version_names_how_clips_are_made() -> None:
    # Clips said several to a process (before) must not be mixed with these.
    assert "fork-per-utterance" in ENGINES["pyttsx3"].version()


def test_the_template_is_never_made_in_the_parent() -> None:
    # Only the forkserver imports it: a parent that initialised espeak-ng
    # would carry the state this whole design keeps out.
    assert "qacast.voices.engines.preload" not in sys.modules
