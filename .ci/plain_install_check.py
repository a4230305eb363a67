"""Run by plain-install-check with the Python of a venv where `pip install .` put qacast.

Writes one small interview in every format qacast reads, asks `qacast parse
--json` how each was understood, and renders one of them to MP3. Each script
is written in another language and none says which, so the language detector
runs too. Every reader in qacast.script.read.READERS must have a sample here:
a new format fails this check until one is added to SAMPLES.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import qacast
from qacast.script.read import READERS

# Where the console scripts of the venv that runs this file are.
QACAST = str(Path(sys.executable).parent / "qacast")


@dataclass(frozen=True)
class Dialogue:
    language: str  # ISO 639-1, as `qacast parse` reports a detected language
    lines: tuple[tuple[str, str], ...]  # (speaker label, what they say)

    @property
    def answer(self) -> str:
        return self.lines[1][1]


ENGLISH = Dialogue(
    "en",
    (
        ("Host", "How did the printing workshop in the old harbour warehouse begin?"),
        ("Guest", "Three friends bought a broken press and spent the winter repairing it."),
        ("Host", "What do you print there today, and who comes to learn the craft?"),
        ("Guest", "Posters for the town's theatre, and anyone may join on Thursday evenings."),
    ),
)
FRENCH = Dialogue(
    "fr",
    (
        ("Hôte", "Comment est né l'atelier d'imprimerie dans le vieil entrepôt du port ?"),
        ("Invitée", "Trois amis ont acheté une presse cassée et l'ont réparée tout l'hiver."),
        ("Hôte", "Qu'imprimez-vous aujourd'hui, et qui vient apprendre le métier ?"),
        ("Invitée", "Des affiches pour le théâtre de la ville, et chacun peut venir le jeudi."),
    ),
)
GERMAN = Dialogue(
    "de",
    (
        ("Gastgeber", "Wie hat die Druckwerkstatt im alten Lagerhaus am Hafen angefangen?"),
        ("Gast", "Drei Freunde kauften eine kaputte Presse und reparierten sie den ganzen Winter."),
        ("Gastgeber", "Was drucken Sie heute, und wer kommt, um das Handwerk zu lernen?"),
        ("Gast", "Plakate für das Theater der Stadt, und jeder darf donnerstags mitmachen."),
    ),
)
SPANISH = Dialogue(
    "es",
    (
        ("Anfitrión", "¿Cómo empezó el taller de imprenta en el viejo almacén del puerto?"),
        ("Invitada", "Tres amigos compraron una prensa rota y la repararon durante el invierno."),
        ("Anfitrión", "¿Qué imprimen hoy, y quién viene a aprender el oficio?"),
        ("Invitada", "Carteles para el teatro de la ciudad, y cualquiera puede venir los jueves."),
    ),
)


def write_text(path: Path, dialogue: Dialogue) -> None:
    path.write_text("\n\n".join(f"{who}: {said}" for who, said in dialogue.lines) + "\n")


def write_markdown(path: Path, dialogue: Dialogue) -> None:
    turns = "\n\n".join(f"**{who}:** {said}" for who, said in dialogue.lines)
    path.write_text(f"# {dialogue.lines[0][1]}\n\n{turns}\n")


def write_html(path: Path, dialogue: Dialogue) -> None:
    # A page with the furniture the article extractor has to leave out.
    turns = "\n".join(f"<p><b>{who}:</b> {said}</p>" for who, said in dialogue.lines)
    path.write_text(
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Workshop | Notes</title>'
        f'</head>\n<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>\n'
        f"<article><h1>The workshop</h1>\n{turns}\n</article>\n"
        f"<footer>© Notes · <a href='/privacy'>Privacy</a></footer></body></html>\n",
        encoding="utf-8",
    )


def write_docx(path: Path, dialogue: Dialogue) -> None:
    import docx  # python-docx: a runtime dependency of qacast, so installed here

    document = docx.Document()
    for who, said in dialogue.lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{who}:").bold = True
        paragraph.add_run(f" {said}")
    document.save(str(path))


def _clock(seconds: int, separator: str) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}{separator}000"


def write_srt(path: Path, dialogue: Dialogue) -> None:
    # A caption file as transcription apps export it: numbered cues, "Name: text".
    cues = [
        f"{n}\n{_clock(4 * n, ',')} --> {_clock(4 * n + 3, ',')}\n{who}: {said}\n"
        for n, (who, said) in enumerate(dialogue.lines, start=1)
    ]
    path.write_text("\n".join(cues), encoding="utf-8")


def write_vtt(path: Path, dialogue: Dialogue) -> None:
    # WebVTT with voice spans, as meeting apps write speakers.
    cues = [
        f"{_clock(4 * n, '.')} --> {_clock(4 * n + 3, '.')}\n<v {who}>{said}</v>\n"
        for n, (who, said) in enumerate(dialogue.lines, start=1)
    ]
    path.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")


@dataclass(frozen=True)
class Sample:
    write: Callable[[Path, Dialogue], None]
    dialogue: Dialogue


# File extension -> how to write a script of that type. One per reader at least.
SAMPLES: dict[str, Sample] = {
    ".txt": Sample(write_text, ENGLISH),
    ".md": Sample(write_markdown, FRENCH),
    ".html": Sample(write_html, GERMAN),
    ".docx": Sample(write_docx, SPANISH),
    ".srt": Sample(write_srt, ENGLISH),
    ".vtt": Sample(write_vtt, GERMAN),
}
# The sample that is rendered to audio too.
RENDERED = ".txt"


def missing_samples() -> list[str]:
    """The extensions of the readers that no sample goes through."""
    covered = {READERS[suffix] for suffix in SAMPLES if suffix in READERS}
    return [suffix for suffix, reader in READERS.items() if reader not in covered]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([QACAST, *args], capture_output=True, text=True, check=False)


def failure(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines() or ["(nothing on stderr)"]
    # A traceback's exception line says more than its last line of message.
    last = next((line for line in lines if line.split(":")[0].endswith("Error")), lines[-1])
    return f"qacast {done.args[1]} exited {done.returncode}: {last}"


def check_parse(path: Path, dialogue: Dialogue) -> str | None:
    """None when the script reads as its dialogue; else what went wrong."""
    done = run("parse", "--json", str(path))
    if done.returncode != 0:
        return failure(done)
    parsed = json.loads(done.stdout)
    texts = [turn["text"] for turn in parsed["turns"]]
    if dialogue.answer not in texts:
        return f"the answer {dialogue.answer!r} is not a turn of its own: {texts}"
    if len(parsed["speakers"]) != 2:
        return f"2 speakers expected, found {parsed['speakers']}"
    language = parsed["language"]
    if (language["code"], language["source"]) != (dialogue.language, "detected"):
        return f"language {dialogue.language} (detected) expected, found {language}"
    return None


def check_render(path: Path, out_dir: Path) -> str | None:
    from mutagen.mp3 import MP3

    done = run("render", "-q", "-j", "1", "--no-cache", "-o", str(out_dir), str(path))
    if done.returncode != 0:
        return failure(done)
    episodes = list(out_dir.glob("*.mp3"))
    info = MP3(episodes[0]).info if len(episodes) == 1 else None  # type: ignore[no-untyped-call]
    if info is None or info.length < 1.0:
        return f"one MP3 of a second or more expected in {out_dir}, found {episodes}"
    return None


def main() -> int:
    if Path(qacast.__file__).resolve().is_relative_to(Path(__file__).resolve().parent.parent):
        print(f"qacast is imported from the source tree ({qacast.__file__}), not the install")
        return 2
    problems = [
        f"{suffix}: no sample script: add one to SAMPLES in {Path(__file__).name}"
        for suffix in missing_samples()
    ]
    work = Path.cwd()
    for suffix, sample in SAMPLES.items():
        script = work / f"workshop{suffix}"
        sample.write(script, sample.dialogue)
        problem = check_parse(script, sample.dialogue)
        print(f"  parse {script.name}: {problem or 'ok'}")
        if problem:
            problems.append(f"{suffix}: {problem}")
    problem = check_render(work / f"workshop{RENDERED}", work / "out")
    print(f"  render workshop{RENDERED}: {problem or 'ok'}")
    if problem:
        problems.append(f"render: {problem}")
    for line in problems:
        print(f"FAILED {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
