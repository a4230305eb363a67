"""Interviews in French, Spanish, German, Italian, Portuguese and Dutch.

Each script (tests/language_scripts.py) comes in two label styles: role words
("Q:"/"R:", "P:"/"R:", "F:"/"A:", "D:"/"R:", "V:"/"A:") and full names. They
must parse with the right roles and three questions, take the language the
words are in when nothing sets one, and be cast with voices of that language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from language_scripts import SCRIPTS, LanguageScript

from qacast.cli import main
from qacast.script.blocks.furniture import furniture_rule
from qacast.script.episode_language import detect_language
from qacast.script.labels.find import honorific
from qacast.script.languages import localise_speakers
from qacast.script.parse import parse_script

IDS = [f"{s.language}-{s.style}" for s in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_roles_and_questions(script: LanguageScript) -> None:
    episode = localise_speakers(parse_script(script.text), script.language)
    by_id = {s.id: s for s in episode.speakers}
    assert by_id[script.interviewer].role == "interviewer"
    assert by_id[script.interviewee].role == "interviewee"
    assert by_id[script.interviewee].name == script.interviewee_name
    questions = [t for t in episode.turns if t.kind == "question"]
    assert len(questions) == script.questions
    assert all(t.speaker_id == script.interviewer for t in questions)


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_detected_when_nothing_sets_it(script: LanguageScript) -> None:
    assert detect_language(script.text) == script.language


def _show(tmp_path: Path, text: str, toml: str = "") -> Path:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "qacast.toml").write_text(f'title = "Show"\n{toml}', encoding="utf-8")
    script = tmp_path / "scripts" / "talk.md"
    script.write_text(text, encoding="utf-8")
    return script


def _parse_json(script: Path) -> dict[str, object]:
    result = CliRunner().invoke(main, ["parse", "--json", str(script)])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


@pytest.mark.parametrize(
    "script", [s for s in SCRIPTS if s.style == "roles"], ids=lambda s: s.language
)
def test_parse_reports_detected_language_and_casts_its_voices(
    tmp_path: Path, script: LanguageScript
) -> None:
    data = _parse_json(_show(tmp_path, script.text))
    assert data["language"] == {"code": script.language, "source": "detected"}
    cast = data["cast"]
    assert isinstance(cast, dict)
    for speaker in (script.interviewer, script.interviewee):
        # espeak-ng voice names start with the language: "fr+f3", "es+m2"
        assert cast[speaker].split("+")[0].split("-")[0] == script.language, cast
    speakers = {s["id"]: s for s in data["speakers"]}  # type: ignore[attr-defined]
    assert speakers[script.interviewee]["name"] == script.interviewee_name


def test_show_language_wins_over_too_few_words(tmp_path: Path) -> None:
    french = "Q: Vous êtes là depuis longtemps ?\n\nR: Depuis toujours, ou presque.\n"
    data = _parse_json(_show(tmp_path, french, 'language = "de"\n'))
    assert data["language"] == {"code": "de", "source": "show"}
    speakers = {s["id"]: s["name"] for s in data["speakers"]}  # type: ignore[attr-defined]
    assert speakers["Q"] == "Interviewer"  # not the French "Journaliste"


def test_front_matter_wins_over_show(tmp_path: Path) -> None:
    french = SCRIPTS[0]
    text = f"---\nlanguage: es\n---\n{french.text}"
    data = _parse_json(_show(tmp_path, text, 'language = "de"\n'))
    assert data["language"] == {"code": "es", "source": "front matter"}
    assert {s["id"]: s["name"] for s in data["speakers"]}["R"] == "Invitado"  # type: ignore[attr-defined]


def test_english_show_without_language_is_detected_english(tmp_path: Path) -> None:
    text = "Q: How did you start baking bread?\n\nA: My uncle taught me when I was twelve.\n"
    data = _parse_json(_show(tmp_path, text))
    assert data["language"] == {"code": "en", "source": "detected"}
    speakers = {s["id"]: s["name"] for s in data["speakers"]}  # type: ignore[attr-defined]
    assert speakers == {"Q": "Interviewer", "A": "Guest"}


def test_table_and_notes_report_language(tmp_path: Path) -> None:
    script = _show(tmp_path, SCRIPTS[0].text)
    result = CliRunner().invoke(main, ["parse", "-v", str(script)])
    assert result.exit_code == 0, result.output
    assert "language: fr (detected)" in result.output
    assert "note: language: fr (detected;" in result.output


CHROME = {
    "fr": ["Partager", "Lire aussi : Le pain de demain", "Commentaires (12)", "Publié le 3 mars"],
    "es": ["Compartir", "Leer más", "Lee también: El horno", "12 comentarios"],
    "de": ["Teilen", "Weiterlesen", "Lesen Sie auch: Brot", "Kommentare (3)"],
    "it": ["Condividi", "Leggi anche: Il forno", "Commenti", "Pubblicato il 3 marzo"],
    "pt": ["Partilhar", "Leia também: O forno", "Comentários", "Compartilhar"],
    "nl": ["Delen", "Lees ook: De oven", "3 reacties", "Gepubliceerd op 3 maart"],
}


@pytest.mark.parametrize("language", sorted(CHROME))
def test_page_chrome_is_furniture(language: str) -> None:
    for line in CHROME[language]:
        assert furniture_rule(line), line


@pytest.mark.parametrize(
    "label", ["MME DUPONT", "M. DUPONT", "SR. GARCÍA", "HERR MÜLLER", "FRAU BECKER", "SIG. ROSSI",
              "SIG.RA BIANCHI", "DHR. JANSEN", "MEVR. DE VRIES", "SRA. COSTA"]
)  # fmt: skip
def test_honorifics(label: str) -> None:
    assert honorific(label)
