"""MP3 spans: spliced frames play like one encode, and an edit re-encodes one span.

The unit tests encode a programme of noise bursts between silences (real
audio through the real encoder, tiny and fast); the render tests use the
sample interview with music. Decoding is done by Debian's ffmpeg, which honours
the gapless fields of the LAME tag, so an exact decoded length proves them.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from readback import decode_s16

import qacast.pipeline
from qacast.audio.assemble import ProgrammeFile, assemble
from qacast.audio.encode import encode, encode_settings
from qacast.audio.grid import (
    FrameGrid,
    Span,
    SpanCuts,
    frame_in_programme_samples,
    roll_frames,
)
from qacast.audio.loudness import LoudnessTarget
from qacast.audio.master import master_chain
from qacast.audio.mp3frames import set_gapless_info
from qacast.audio.music import Music
from qacast.audio.spans import SpanEncoder, SpannedEncoding, SpanReport
from qacast.config import ShowConfig
from qacast.models import Clip, EncodeSettings, MusicCue, Pauses, Programme, Timeline
from qacast.pipeline import RenderResources, RenderSettings, render_episode
from qacast.script import utterances
from qacast.script.read import read_episode
from qacast.store import ChecksummedStore
from qacast.voices.cache import SynthesisCache
from qacast.voices.pool import SynthesisPool
from qacast.voices.presets import load_preset

from conftest import DEFAULT_PRESET, REPO, SAMPLE

RATE_HZ = 22050
FRAME = 576  # programme samples per MP3 frame at 44.1 kHz
MP3 = encode_settings("mp3")
CHAIN = master_chain(-20.0, LoudnessTarget(-19.0, -1.0), MP3, RATE_HZ)


def programme(tmp_path: Path, seed: int = 1, changed_burst: int | None = None) -> Programme:
    """Four noise bursts, cut into three spans in the silences between them
    (at least a roll of silence either side of each cut)."""
    rng = np.random.default_rng(seed)
    frames = 60 * FRAME  # about 1.6 s
    pcm = np.zeros(frames, dtype="<i2")
    for burst, start in enumerate((3_000, 13_000, 19_000, 28_000)):
        noise = rng.standard_normal(3_000) * 4_000
        if burst == changed_burst:
            noise = noise[::-1]  # same length, different samples
        pcm[start : start + 3_000] = noise.astype("<i2")
    path = tmp_path / f"programme-{seed}-{changed_burst}.pcm"
    path.write_bytes(pcm.tobytes())
    timeline = Timeline((), (), (), round(frames * 1000 / RATE_HZ), RATE_HZ, frames, ())
    return Programme(timeline, path)


STARTS = (0, 18 * FRAME, 42 * FRAME)


def spans_at(starts: tuple[int, ...], frame_count: int) -> list[Span]:
    stops = [*starts[1:], frame_count]
    return [Span(a, b, last=b == frame_count) for a, b in zip(starts, stops, strict=True)]


def encode_in_spans(
    prog: Programme,
    spans: list[Span],
    settings: EncodeSettings,
    dest: Path,
    chain: str,
    store: ChecksummedStore,
) -> SpanReport:
    """A whole written programme encoded span by span, as a render does it."""
    frame = frame_in_programme_samples(settings, RATE_HZ)
    assert frame is not None
    encoder = SpanEncoder(prog.pcm_path, RATE_HZ, settings, chain, store, frame)
    with ThreadPoolExecutor(max_workers=2) as executor:
        encoding = SpannedEncoding(encoder, threading.BoundedSemaphore(2), executor)
        for span in spans:
            encoding.submit(span)
        return encoding.write(dest, prog.timeline.frame_count)


def spliced(prog: Programme, store: ChecksummedStore, dest: Path) -> SpanReport:
    spans = spans_at(STARTS, prog.timeline.frame_count)
    return encode_in_spans(prog, spans, MP3, dest, CHAIN, store)


def test_only_formats_with_whole_frames_are_spliced() -> None:
    assert frame_in_programme_samples(MP3, RATE_HZ) == FRAME
    # 1152 samples at 48 kHz are 529.2 programme samples: no cut lands on a frame.
    assert frame_in_programme_samples(EncodeSettings("mp3", 96, 48000, 1), RATE_HZ) is None
    assert frame_in_programme_samples(encode_settings("m4a"), RATE_HZ) is None


def test_spliced_frames_decode_aligned_with_one_whole_encode(tmp_path: Path) -> None:
    prog = programme(tmp_path)
    report = spliced(prog, ChecksummedStore(tmp_path / "store"), tmp_path / "spliced.mp3")
    assert (report.spans, report.encoded) == (3, 3)
    encode(prog, MP3, tmp_path / "whole.mp3", CHAIN, processes=1)
    ours = decode_s16(tmp_path / "spliced.mp3").astype(np.float64)
    whole = decode_s16(tmp_path / "whole.mp3").astype(np.float64)
    # Exactly the programme's length: the LAME tag's delay and padding are right.
    assert len(ours) == len(whole) == prog.timeline.frame_count * 2
    # Same timing: the best alignment with the whole encode is no shift at all.
    lags = range(-40, 41)
    scores = [float(np.dot(ours[100 + lag : -100 + lag], whole[100:-100])) for lag in lags]
    assert lags[int(np.argmax(scores))] == 0
    # And the same sound: the difference is coding noise, far under the signal.
    noise_db = 10 * np.log10(np.mean((ours - whole) ** 2) / np.mean(whole**2))
    assert noise_db < -15, noise_db
    # No click where the spans meet: the cuts sit in silence and stay silent.
    for cut in STARTS[1:]:
        around = ours[2 * cut - 2_000 : 2 * cut + 2_000]
        assert np.max(np.abs(around)) < 50


@pytest.mark.parametrize("channels", [1, 2])
def test_the_gapless_fields_are_written_as_ffmpeg_writes_them(
    tmp_path: Path, channels: int
) -> None:
    # ffmpeg's own whole-file encode: delay and padding of 576 samples, and a
    # tag checksum. Writing the same values again must give the same bytes.
    # (The Info tag sits further into a stereo frame than into a mono one.)
    settings = encode_settings("mp3", channels=channels)
    chain = master_chain(-20.0, LoudnessTarget(-16.0, -1.0), settings, RATE_HZ)
    whole = tmp_path / "whole.mp3"
    encode(programme(tmp_path), settings, whole, chain, processes=1)
    before = whole.read_bytes()
    set_gapless_info(whole, 576, 576)
    assert whole.read_bytes() == before
    set_gapless_info(whole, 576, 600)
    assert whole.read_bytes() != before


def test_a_stereo_episode_is_spliced_to_its_exact_length(tmp_path: Path) -> None:
    settings = encode_settings("mp3", channels=2)
    chain = master_chain(-20.0, LoudnessTarget(-16.0, -1.0), settings, RATE_HZ)
    prog = programme(tmp_path)
    store = ChecksummedStore(tmp_path / "store")
    spans = spans_at(STARTS, prog.timeline.frame_count)
    encode_in_spans(prog, spans, settings, tmp_path / "stereo.mp3", chain, store)
    assert len(decode_s16(tmp_path / "stereo.mp3")) == prog.timeline.frame_count * 2


def test_only_the_changed_span_is_encoded_again(tmp_path: Path) -> None:
    store = ChecksummedStore(tmp_path / "store")
    first = spliced(programme(tmp_path), store, tmp_path / "a.mp3")
    assert first.encoded == 3
    again = spliced(programme(tmp_path), store, tmp_path / "b.mp3")
    assert again.encoded == 0
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()
    edited = spliced(programme(tmp_path, changed_burst=1), store, tmp_path / "c.mp3")
    assert edited.encoded == 1  # burst 1 lies in the middle span only
    # A cold encode of the edited programme gives the bytes the store assembled.
    cold = spliced(
        programme(tmp_path, changed_burst=1),
        ChecksummedStore(tmp_path / "cold"),
        tmp_path / "d.mp3",
    )
    assert cold.encoded == 3
    assert (tmp_path / "c.mp3").read_bytes() == (tmp_path / "d.mp3").read_bytes()


def test_a_corrupt_span_is_reported_and_encoded_again(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = ChecksummedStore(
        tmp_path / "store", warnings.append, suffix=".frames", redo="encoding it again"
    )
    spliced(programme(tmp_path), store, tmp_path / "a.mp3")
    entry = sorted((tmp_path / "store").rglob("*.frames"))[1]
    entry.write_bytes(entry.read_bytes()[:-20])
    report = spliced(programme(tmp_path), store, tmp_path / "b.mp3")
    assert report.encoded == 1 and store.stats.corrupt == 1
    assert any(entry.name in w and "encoding it again" in w for w in warnings)
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


# --- a real render: where assemble cuts, and what an edit costs ----------------


@dataclass(frozen=True)
class Render:
    out_dir: Path
    programme: Programme
    span_starts: tuple[int, ...]
    pcm: np.ndarray
    encoded_entries: int


MUSIC_SHOW = RenderSettings(
    show=ShowConfig(title="Spans", author="Test", show_dir=REPO,
                    intro_music="jingle", sting="sting", outro_music="jingle"),
    preset=load_preset(DEFAULT_PRESET),
    formats=(MP3,),
    loudness=LoudnessTarget(-19.0, -1.0),
)  # fmt: skip


def resources_for(
    out_dir: Path, pool: SynthesisPool, cache: SynthesisCache | None, jobs: int
) -> RenderResources:
    return RenderResources(out_dir, jobs, lambda: pool, cache,
                           encoders=threading.BoundedSemaphore(jobs))  # fmt: skip


@pytest.fixture(scope="module")
def render_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Render]]:
    """Render the sample (with music) from a copy of its text, one cache for all."""
    root = tmp_path_factory.mktemp("spans")
    cache = root / "cache"
    with SynthesisPool(2) as pool:

        def render(text: str) -> Render:
            script = root / f"v{len(list(root.glob('v*')))}" / "interview.txt"
            script.parent.mkdir()
            script.write_text(text, encoding="utf-8")
            captured: list[tuple[Programme, tuple[int, ...], bytes]] = []
            original = qacast.pipeline.encode_formats

            def spy(slug: str, programme: Programme, formats: Any, shop: Any) -> Any:
                starts = tuple(span.start for span in shop.mastering.spans)
                captured.append((programme, starts, programme.pcm_path.read_bytes()))
                return original(slug, programme, formats, shop)

            out_dir = script.parent / "out"
            resources = resources_for(out_dir, pool, SynthesisCache(cache), jobs=2)
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(qacast.pipeline, "encode_formats", spy)
                render_episode(script, MUSIC_SHOW, resources)
            ((prog, starts, pcm),) = captured
            entries = len(list((cache / "encoded").rglob("*.frames")))
            return Render(out_dir, prog, starts, np.frombuffer(pcm, dtype="<i2"), entries)

        yield render


def test_cuts_fall_on_frame_boundaries_in_silent_pauses(
    render_copy: Callable[[str], Render],
) -> None:
    render = render_copy(SAMPLE.read_text(encoding="utf-8"))
    prog = render.programme
    cuts = render.span_starts[1:]
    assert len(cuts) >= 3, render.span_starts
    assert render.span_starts[0] == 0 and all(cut % FRAME == 0 for cut in cuts)
    roll = roll_frames(FRAME)
    for cut in cuts:
        # What the encoder hears either side of a cut is silence, so a span's
        # bytes never depend on its neighbours (music included: no sting here).
        assert not render.pcm[cut - roll : cut + roll].any(), cut
    ms = 1000 / prog.timeline.sample_rate_hz
    for cue in prog.timeline.cues:
        assert not any(cue.start_ms <= cut * ms <= cue.end_ms for cut in cuts)


def test_editing_one_answer_encodes_one_span(render_copy: Callable[[str], Render]) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    sentence = "Our approach is to become a participant in these community spaces."
    assert text.count(sentence) == 1
    before = render_copy(text)
    after = render_copy(text.replace(sentence, sentence.replace("become", "be")))
    assert after.encoded_entries - before.encoded_entries == 1
    assert len(after.span_starts) == len(before.span_starts)
    # The untouched spans hold the very same samples, only moved in time.
    old, new = span_samples(before), span_samples(after)
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1


def span_samples(render: Render) -> list[bytes]:
    starts = render.span_starts
    stops = [*starts[1:], render.programme.timeline.frame_count]
    return [render.pcm[a:b].tobytes() for a, b in zip(starts, stops, strict=True)]


def test_the_edited_render_matches_a_cold_one(
    render_copy: Callable[[str], Render], tmp_path: Path
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    warm = render_copy(text)  # every span already in the cache
    cold_dir = tmp_path / "cold"
    shutil.copytree(warm.out_dir.parent, cold_dir, ignore=shutil.ignore_patterns("out"))
    with SynthesisPool(2) as pool:
        # No cache: clips and spans made afresh, one process at a time.
        resources = resources_for(cold_dir / "out", pool, cache=None, jobs=1)
        render_episode(cold_dir / "interview.txt", MUSIC_SHOW, resources)
    assert (cold_dir / "out" / "interview.mp3").read_bytes() == (
        warm.out_dir / "interview.mp3"
    ).read_bytes()


# --- where cuts may fall (SpanCuts, and assemble with music) -----------------

PAUSE = 15_435  # 700 ms at 22.05 kHz: a paragraph pause
CUT_KEY = "0" * 64  # its first eight hex digits are 0 mod 3: content says "cut here"
NO_CUT_KEY = "1" * 64  # 0x11111111 % 3 == 1


def test_a_cut_lands_on_a_frame_boundary_in_the_middle_of_its_pause() -> None:
    cuts = SpanCuts(FRAME, RATE_HZ)
    frame = 20 * RATE_HZ + 123  # 20 s into the span, off the frame grid
    stretch = cuts.stretch_for_cut(PAUSE, frame, CUT_KEY, paragraph=True, music=())
    (cut,) = cuts.starts[1:]
    assert cut % FRAME == 0 and 0 <= stretch < FRAME
    # The new span opens with half the pause, whatever the stretch.
    assert frame + PAUSE + stretch - cut == PAUSE // 2


@pytest.mark.parametrize(
    ("seconds_in", "key", "paragraph", "gap", "cut"),
    [
        (20, CUT_KEY, True, PAUSE, True),
        (5, CUT_KEY, True, PAUSE, False),  # the span is too short yet
        (20, NO_CUT_KEY, True, PAUSE, False),  # content says no
        (20, CUT_KEY, False, PAUSE, False),  # between sentences only when forced
        (50, NO_CUT_KEY, False, PAUSE, True),  # forced: the span is past its maximum
        (50, CUT_KEY, True, 2_000, False),  # too short a pause for the rolls
    ],
)
def test_when_a_pause_takes_a_cut(
    seconds_in: int, key: str, paragraph: bool, gap: int, cut: bool
) -> None:
    cuts = SpanCuts(FRAME, RATE_HZ)
    cuts.stretch_for_cut(gap, seconds_in * RATE_HZ, key, paragraph, music=())
    assert (len(cuts.starts) == 2) == cut


def test_no_cut_where_music_plays() -> None:
    frame = 20 * RATE_HZ
    still_playing = MusicCue("intro", 0, frame + PAUSE // 2)  # ends mid-pause
    cuts = SpanCuts(FRAME, RATE_HZ)
    assert cuts.stretch_for_cut(PAUSE, frame, CUT_KEY, True, [still_playing]) == 0
    assert cuts.starts == [0]
    long_gone = MusicCue("sting", 0, frame - roll_frames(FRAME))
    cuts.stretch_for_cut(PAUSE, frame, CUT_KEY, True, [long_gone])
    assert len(cuts.starts) == 2


def test_assemble_keeps_cuts_out_of_a_long_intro(tmp_path: Path) -> None:
    # A 20 s intro under a one-word first paragraph: the pauses after it are
    # still inside the music, and must not be cut however the keys fall.
    script = tmp_path / "talk.txt"
    paragraphs = "\n\n".join(f"Paragraph {n} of the answer." for n in range(30))
    script.write_text(
        f"Music\n\nSI: Ready?\n\nNJP: Yes.\n\n{paragraphs}\n\nSI: Thanks.\n\nNJP: Bye.\n",
        encoding="utf-8",
    )
    episode, _ = read_episode(script)
    speech = utterances(episode)
    rng = np.random.default_rng(2)
    pieces = []
    for index, utterance in enumerate(speech):
        key = f"{index * 3:08x}" + "0" * 56  # every paragraph's key says "cut"
        pcm = (rng.standard_normal(RATE_HZ // 2) * 3_000).astype("<i2").tobytes()
        pieces.append((utterance, Clip(index, key, RATE_HZ // 2, RATE_HZ), pcm))
    noise = (rng.standard_normal(20 * RATE_HZ) * 2_000).astype("<i2").tobytes()
    music = Music(RATE_HZ, intro=noise)
    spans: list[Span] = []
    file = ProgrammeFile(tmp_path / "p.pcm", FrameGrid(RATE_HZ, FRAME, FRAME), spans.append)
    prog = assemble(episode, pieces, Pauses(), file, music)
    assert spans[-1].stop == prog.timeline.frame_count and spans[-1].last
    cuts = [span.start for span in spans[1:]]
    assert cuts, "30 short paragraphs after the intro should give at least one cut"
    roll = roll_frames(FRAME)
    for cut in cuts:
        for cue in prog.timeline.music:
            assert not (
                cue.start_frame < cut + roll and cut - roll < cue.start_frame + cue.frame_count
            )


def test_a_damaged_frame_count_is_caught(tmp_path: Path) -> None:
    # The count beside a span's frames decides the file's length: it is
    # checksummed with them, not trusted as read.
    store = ChecksummedStore(tmp_path / "store", suffix=".frames")
    spliced(programme(tmp_path), store, tmp_path / "a.mp3")
    entry = sorted((tmp_path / "store").rglob("*.frames"))[0]
    blob = bytearray(entry.read_bytes())
    blob[8] += 1  # the count, just after the 8-byte magic
    entry.write_bytes(bytes(blob))
    report = spliced(programme(tmp_path), store, tmp_path / "b.mp3")
    assert report.encoded == 1 and store.stats.corrupt == 1
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()


def test_an_entry_from_an_older_layout_is_a_quiet_miss(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = ChecksummedStore(tmp_path / "store", warnings.append)
    store.put_entry("ab" * 32, 7, b"payload")
    entry = next((tmp_path / "store").rglob("*.clip"))
    entry.write_bytes(b"QACLIP1\n" + entry.read_bytes()[8:])
    assert store.get_entry("ab" * 32) is None
    assert store.stats.corrupt == 0 and warnings == []
