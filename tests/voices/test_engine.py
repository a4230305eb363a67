"""The pyttsx3 engine, its worker pool and the synthesis cache, on real speech."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qacast.errors import EngineError
from qacast.models import Casting, Utterance, VoicePreset
from qacast.voices.cache import SynthesisCache, cache_key
from qacast.voices.pool import SynthesisPool, SynthesisRequest
from qacast.voices.synthesize import synthesize

from conftest import REPO, SAMPLE

HOST = VoicePreset(engine="pyttsx3", voice_id="en-us", rate_wpm=170, pitch=40)
GUEST = VoicePreset(engine="pyttsx3", voice_id="en-us+f3", rate_wpm=170, pitch=60)
# +f3 breathes with random noise, repeatable since the seed is fixed before each utterance.
GUEST_STEADY = VoicePreset(engine="pyttsx3", voice_id="en-gb-x-rp+m3", rate_wpm=160, pitch=72)


@pytest.fixture(scope="module")
def pool() -> SynthesisPool:
    with SynthesisPool(1) as started:
        yield started  # type: ignore[misc]


def test_each_utterance_gets_its_own_complete_audio(pool: SynthesisPool) -> None:
    requests = [
        SynthesisRequest("A short one.", HOST),
        SynthesisRequest("A much longer sentence that takes a good while to say out loud.", GUEST),
        SynthesisRequest("A short one.", HOST),
    ]
    results = dict(pool.synthesize(requests))
    lengths = [len(results[i].pcm) for i in range(3)]
    assert all(r.sample_rate_hz == 22050 for r in results.values())
    assert lengths[1] > 2 * lengths[0]
    # Said after another sentence, the repeat is still sample for sample the
    # first: each utterance comes from a process that said nothing before.
    assert results[2].pcm == results[0].pcm


def test_unknown_voice_is_an_error_not_a_silent_fallback(pool: SynthesisPool) -> None:
    bad = VoicePreset(engine="pyttsx3", voice_id="zz-nope", rate_wpm=170, pitch=50)
    with pytest.raises(EngineError, match="zz-nope"):
        list(pool.synthesize([SynthesisRequest("Hello there.", bad)]))


def test_whitespace_is_refused(pool: SynthesisPool) -> None:
    with pytest.raises(EngineError, match="empty"):
        list(pool.synthesize([SynthesisRequest("   ", HOST)]))


def test_a_hung_worker_is_killed_and_its_utterance_retried() -> None:
    requests = [SynthesisRequest(f"Sentence {n} of the chunk.", HOST) for n in range(3)]
    with SynthesisPool(1, timeout_s=1.0) as impatient:
        results = impatient.synthesize(requests)
        first = next(results)
        for child in multiprocessing.active_children():
            if child.pid is not None:
                os.kill(child.pid, signal.SIGSTOP)  # a real hang: it stops answering
        rest = list(results)
    assert sorted(i for i, _ in [first, *rest]) == [0, 1, 2]
    assert impatient.processes_started == 2  # the hung child was replaced once


def _kill_the_first_child_forked(stop: threading.Event) -> None:
    """SIGKILL the first utterance process a pool worker forks (a crash inside espeak)."""
    while not stop.is_set():
        for worker in multiprocessing.active_children():
            children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            if pids:
                os.kill(int(pids[0]), signal.SIGKILL)
                return
        time.sleep(0.005)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_an_utterance_whose_process_dies_is_said_again_by_a_new_worker() -> None:
    long_text = " ".join(f"This is sentence number {n} of a long answer." for n in range(40))
    request = SynthesisRequest(long_text, HOST)
    with SynthesisPool(1) as pool_:
        stop = threading.Event()
        killer = threading.Thread(target=_kill_the_first_child_forked, args=(stop,))
        killer.start()
        try:
            ((_, audio),) = pool_.synthesize([request])
        finally:
            stop.set()
            killer.join()
        assert pool_.processes_started == 2  # the first worker reported the death
        ((_, again),) = pool_.synthesize([request])
    assert audio.pcm == again.pcm


def test_a_worker_that_died_while_idle_is_replaced() -> None:
    request = SynthesisRequest("Still here?", HOST)
    with SynthesisPool(1) as pool_:
        (first,) = pool_.synthesize([request])
        for child in multiprocessing.active_children():
            if child.pid is not None:
                os.kill(child.pid, signal.SIGKILL)
                child.join(10)
        (second,) = pool_.synthesize([request])
    assert second[1].pcm == first[1].pcm
    assert pool_.processes_started == 2


def test_output_does_not_depend_on_jobs_or_history() -> None:
    requests = [
        SynthesisRequest(f"Number {n}, said by {'one' if n % 2 else 'another'} voice.", voice)
        for n, voice in enumerate([HOST, GUEST_STEADY, GUEST] * 8)
    ]
    runs = []
    for jobs in (1, 2, 1):
        with SynthesisPool(jobs) as pool_:
            audio = dict(pool_.synthesize(requests))
        runs.append([audio[i].pcm for i in range(len(requests))])
    assert runs[0] == runs[1] == runs[2]


def test_the_wheel_espeak_is_used_not_the_system_one(tmp_path: Path) -> None:
    code = (
        "from qacast.voices.engines.pyttsx3_engine import Pyttsx3Engine\n"
        "Pyttsx3Engine()\n"
        "import sys\n"
        "maps = open('/proc/self/maps').read()\n"
        "libs = {line.split()[-1] for line in maps.splitlines() if 'libespeak' in line}\n"
        "print(sorted(libs), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "espeakng_loader" in result.stderr
    assert "/usr/lib" not in result.stderr


def test_render_needs_no_system_ffmpeg_or_espeak(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if k not in {"LD_LIBRARY_PATH", "ESPEAK_DATA_PATH"}}
    env["PATH"] = venv_bin  # no /usr/bin: no ffmpeg, ffprobe or espeak-ng within reach
    out_dir = tmp_path / "out"
    script = tmp_path / "short.txt"
    script.write_text(
        "Short Talk\n\nSI: Does this work offline?\n\nNJP: It does.\n\n"
        "SI: With nothing installed?\n\nNJP: Nothing but Python packages.\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "qacast.cli", "render", str(script), "-o", str(out_dir), "-q"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # stdout holds our output only: the engine's "Audio saved to" never leaks.
    assert result.stdout.strip() == str(out_dir / "short.mp3")
    assert (out_dir / "short.mp3").stat().st_size > 10_000


def test_cache_hits_and_rebuilds_a_corrupt_entry(tmp_path: Path, pool: SynthesisPool) -> None:
    utterances = (
        Utterance(0, 0, 0, "SI", "Is it cached?", "Is it cached?"),
        Utterance(1, 0, 0, "NJP", "It is.", "It is."),
    )
    casting = Casting(voices={"SI": HOST, "NJP": GUEST})
    warnings: list[str] = []
    cache = SynthesisCache(tmp_path / "cache", warn=warnings.append)
    first = synthesize(utterances, casting, lambda: pool, cache)
    assert (cache.stats.hits, cache.stats.misses) == (0, 2)

    again = SynthesisCache(tmp_path / "cache", warn=warnings.append)
    second = synthesize(utterances, casting, lambda: pytest.fail("no synthesis on a hit"), again)
    assert (again.stats.hits, again.stats.misses) == (2, 0)
    assert [again.load(c.key) for c in second] == [cache.load(c.key) for c in first]

    from qacast.voices.engines import ENGINES

    key = cache_key(ENGINES["pyttsx3"].version(), GUEST, "It is.")
    entry = next((tmp_path / "cache").rglob(f"{key}.clip"))
    entry.write_bytes(entry.read_bytes()[:-100])  # truncated
    third_cache = SynthesisCache(tmp_path / "cache", warn=warnings.append)
    synthesize(utterances, casting, lambda: pool, third_cache)
    assert third_cache.stats.corrupt == 1
    assert third_cache.stats.hits == 1
    assert any("synthesizing it again" in w for w in warnings)
    assert len(entry.read_bytes()) > 1000  # rewritten whole


def test_sample_is_in_scripts() -> None:
    assert SAMPLE.parent == REPO / "scripts"
