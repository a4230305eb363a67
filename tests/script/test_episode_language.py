"""The words may overrule the show's language, when they say so with confidence.

A show set to English that publishes a French interview reads it with French
voices and French numbers, and says so; too few words, two languages half and
half, a page of names or a neighbour language (Nynorsk in a Bokmål show) leave
the show's language. A detected language no voice speaks is read in a
neighbour's or the show's, with a line saying so. All texts are our own.
"""

from __future__ import annotations

import email.utils
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_helpers import build, run_qacast
from click.testing import CliRunner

from qacast.cli import main
from qacast.script.episode_language import Detection, detect

DC_NS = "http://purl.org/dc/elements/1.1/"

INTERVIEWS = {
    "fr": """Q : Vous avez ouvert votre atelier de reliure il y a douze ans. Pourquoi ?

R : J'avais besoin de travailler avec mes mains, et les vieux livres me fascinaient depuis
l'enfance. Au début, je réparais surtout des missels pour les paroisses du coin.

Q : Et combien coûtait une reliure à l'époque ?

R : Environ 1,25 euro la page en 2024, ce qui ne payait pas le cuir, pour être honnête.
""",
    "de": """F: Sie haben vor zwölf Jahren eine Buchbinderei eröffnet. Warum?

A: Ich wollte mit den Händen arbeiten, und alte Bücher haben mich schon als Kind fasziniert.
Anfangs habe ich vor allem Gesangbücher für die Gemeinden hier repariert.

F: Und was hat eine Bindung damals gekostet?

A: Ungefähr einen Euro pro Seite, was ehrlich gesagt nicht einmal das Leder bezahlt hat.
""",
    "es": """P: Usted abrió un taller de encuadernación hace doce años. ¿Por qué?

R: Necesitaba trabajar con las manos, y los libros antiguos me fascinaban desde niña. Al
principio reparaba sobre todo misales para las parroquias de la zona.

P: ¿Y cuánto costaba una encuadernación entonces?

R: Más o menos un euro por página, lo que no pagaba ni el cuero, la verdad.
""",
    "en": """Q: You opened a bookbinding workshop twelve years ago. Why?

A: I needed to work with my hands, and old books had fascinated me since I was a child. At first
I mostly repaired hymnals for the parishes nearby.

Q: And what did a binding cost back then?

A: About a pound a page, which did not even pay for the leather, to be honest.
""",
}

# An English interview that quotes French at length.
ENGLISH_QUOTING_FRENCH = """Q: You trained in a kitchen in the south. What did your first chef
teach you?

A: He used to shout "mise en place, mise en place!" every morning, and "on ne court pas dans ma
cuisine". He said la cuisine, c'est la patience avant tout, et le beurre ensuite. I still hear
him.

Q: Did you speak the language then?

A: Barely. I learned the kitchen words first, and the rest came slowly over the years.
"""

# An English panel whose words are mostly people's and places' names.
ENGLISH_PANEL = """HOST: Welcome back. With me are Ngozi Adeyemi-Fogh from Lagos, Wojciech
Szczepański from Kraków, Thi Nguyen Hoa from Hanoi and Søren Kierkegaard-Holm from Aarhus.
Ngozi, you first.

NGOZI: Thank you. Wojciech and I met at the Gdańsk meeting, and Thi Nguyen Hoa agrees with
Wojciech. Anahí Quispe Mamani and Xochitl Tlapoyawa do not, and they said so to Søren.
"""

NYNORSK = """Q: Korleis byrja du med å byggja båtar?

A: Eg voks opp ved fjorden, og far min bygde små robåtar i løa kvar vinter. Eg sat ved sida av
han og såg på, og etter kvart fekk eg òg halda i verktøyet.

Q: Kva er det vanskelegaste med arbeidet?

A: Det er å finna godt tre. Før kunne me henta det i skogen rett bak huset, men no må eg kjøpa
det frå ei sag langt unna.
"""

# espeak-ng has no Tagalog voice.
TAGALOG = """Q: Paano ka nagsimula sa paggawa ng mga bangka?

A: Lumaki ako malapit sa dagat, at ang tatay ko ay gumagawa ng maliliit na bangka tuwing
tag-ulan. Nakaupo ako sa tabi niya at nanonood, at kalaunan ay pinahawak na rin niya ako ng mga
kasangkapan.

Q: Ano ang pinakamahirap sa trabaho mo?

A: Ang paghahanap ng magandang kahoy. Dati ay kinukuha lang namin ito sa gubat sa likod ng bahay.
"""


def _detect(text: str) -> Detection:
    return detect(text.splitlines())


@pytest.mark.parametrize("language", sorted(INTERVIEWS))
def test_a_short_interview_is_enough_to_be_sure(language: str) -> None:
    found = _detect(INTERVIEWS[language])
    assert found.code == language
    assert found.confident, found


def test_an_english_interview_quoting_french_is_english() -> None:
    found = _detect(ENGLISH_QUOTING_FRENCH)
    assert (found.code, found.confident) == ("en", True), found


def test_names_do_not_make_a_language() -> None:
    # Read whole, names included, lingua calls this Swahili with a confidence of 1.0.
    found = _detect(ENGLISH_PANEL)
    assert found.code == "en"
    assert not found.confident  # its few words that are no names are too few to overrule


def test_two_lines_are_too_few_to_be_sure() -> None:
    found = _detect("Q: Vous êtes là depuis longtemps ?\n\nR: Depuis toujours, ou presque.\n")
    assert found.code == "fr"
    assert not found.confident


def test_half_english_half_french_is_not_one_language() -> None:
    found = _detect(INTERVIEWS["en"] + INTERVIEWS["fr"])
    assert not found.confident, found
    assert 0.25 < found.share < 0.75


# --- what parse says and does ------------------------------------------------------


def _show(tmp_path: Path, text: str, language: str | None) -> Path:
    (tmp_path / "scripts").mkdir()
    setting = f'language = "{language}"\n' if language else ""
    (tmp_path / "qacast.toml").write_text(f'title = "Show"\n{setting}', encoding="utf-8")
    script = tmp_path / "scripts" / "ep3.txt"
    script.write_text(text, encoding="utf-8")
    return script


def _parse(script: Path, *options: str) -> str:
    result = CliRunner().invoke(main, ["parse", *options, str(script)])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_english_show_reads_a_french_interview_in_french(tmp_path: Path) -> None:
    script = _show(tmp_path, INTERVIEWS["fr"], "en")
    data = json.loads(_parse(script, "--json"))
    assert data["language"] == {"code": "fr", "source": "detected"}
    assert all(voice.split("+")[0] == "fr" for voice in data["cast"].values()), data["cast"]
    speech = " ".join(turn["speech"] for turn in data["turns"])
    assert "un euro et vingt-cinq centimes" in speech  # not "one,25"
    assert "deux mille vingt-quatre" in speech  # not "twenty twenty-four"
    assert {s["id"]: s["name"] for s in data["speakers"]} == {"Q": "Journaliste", "R": "Invité"}

    table = _parse(script)
    assert "language: fr (detected)\n" in table
    assert "  written in French (detected), not the show's English: read in French\n" in table
    notes = [line for line in _parse(script, "-v").splitlines() if line.startswith("note: lang")]
    assert len(notes) == 1
    assert notes[0].startswith("note: language: fr (detected: about ")
    assert notes[0].endswith("100% French), not the show's en: read in French")


def test_the_front_matter_language_still_wins(tmp_path: Path) -> None:
    script = _show(tmp_path, "---\nlanguage: en\n---\n" + INTERVIEWS["fr"], "de")
    data = json.loads(_parse(script, "--json"))
    assert data["language"] == {"code": "en", "source": "front matter"}


@pytest.mark.parametrize("text", [ENGLISH_QUOTING_FRENCH, ENGLISH_PANEL])
def test_an_english_show_keeps_english_for_quotes_and_names(tmp_path: Path, text: str) -> None:
    data = json.loads(_parse(_show(tmp_path, text, "en"), "--json"))
    assert data["language"] == {"code": "en", "source": "show"}


def test_too_few_words_keep_the_show_language_with_a_note(tmp_path: Path) -> None:
    french = "Q: Vous êtes là depuis longtemps ?\n\nR: Depuis toujours, ou presque.\n"
    output = _parse(_show(tmp_path, french, "en"), "-v")
    assert "language: en (show)\n" in output
    assert "written in" not in output
    (note,) = [line for line in output.splitlines() if line.startswith("note: language:")]
    assert note.startswith("note: language: en (from the show); the words look French (about ")
    assert note.endswith(
        "too little to be sure (a confident reading needs about 40 words, "
        "75% in one language): set language: fr in its front matter if it is"
    )


def test_a_bokmal_show_keeps_bokmal_for_nynorsk(tmp_path: Path) -> None:
    data = json.loads(_parse(_show(tmp_path, NYNORSK, "nb"), "--json"))
    assert data["language"] == {"code": "nb", "source": "show"}


def test_a_language_no_voice_speaks_is_read_in_the_show_language(tmp_path: Path) -> None:
    script = _show(tmp_path, TAGALOG, "en")
    data = json.loads(_parse(script, "--json"))
    assert data["language"] == {"code": "tl", "source": "detected", "read_in": "en"}
    assert all(voice.startswith("en") for voice in data["cast"].values()), data["cast"]
    assert (
        "  written in Tagalog (detected), but no voice of the show speaks Tagalog: read in "
        "English (map voices for it in the cast preset's [languages.tl] tables, or set "
        "language: in its front matter)\n"
    ) in _parse(script)


def test_nynorsk_without_a_voice_of_its_own_is_read_by_bokmal_voices(tmp_path: Path) -> None:
    data = json.loads(_parse(_show(tmp_path, NYNORSK, None), "--json"))
    assert data["language"] == {"code": "nn", "source": "detected", "read_in": "nb"}
    assert all(voice.split("+")[0] == "nb" for voice in data["cast"].values()), data["cast"]


# --- what build says and publishes ---------------------------------------------------


@dataclass(frozen=True)
class Built:
    show: Path
    said: str  # stdout and stderr of `qacast build` at its normal verbosity
    rendered_v: str  # ... and of `qacast render -v` of the same script


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """An English show with one French episode whose front matter date cannot be read."""
    root = tmp_path_factory.mktemp("overruled")
    show = root / "show"
    (show / "scripts").mkdir(parents=True)
    (show / "qacast.toml").write_text(
        'title = "Books"\nlanguage = "en"\nbase_url = "http://127.0.0.1:8000/"\n'
        'formats = ["mp3"]\n',
        encoding="utf-8",
    )
    script = "---\ndate: au printemps\n---\n" + INTERVIEWS["fr"]
    (show / "scripts" / "ep3.txt").write_text(script, encoding="utf-8")
    result = build(show, root / "cache")
    render = run_qacast("render", show / "scripts" / "ep3.txt", "-o", root / "rendered", "-v",
                        "--cache-dir", root / "cache")  # fmt: skip
    assert render.returncode == 0, render.stderr
    return Built(show, result.stdout + result.stderr, render.stdout + render.stderr)


def _item(show: Path) -> ET.Element:
    channel = ET.parse(show / "out" / "feed.xml").getroot().find("channel")
    assert channel is not None and channel.findtext("language") == "en"  # the show's
    (item,) = channel.iter("item")
    return item


def test_build_says_the_words_overruled_the_show_and_publishes_the_language(
    built: Built,
) -> None:
    line = "ep3.txt: written in French (detected), not the show's English: read in French"
    assert line in built.said.splitlines()
    assert line in built.rendered_v.splitlines()  # render says so too
    assert _item(built.show).findtext(f"{{{DC_NS}}}language") == "fr"


def test_an_unreadable_date_is_a_verbose_note_and_the_first_build_dates_the_episode(
    built: Built,
) -> None:
    note = "ep3.txt: front matter: ignored field 'date': it must be a date, such as "
    assert note not in built.said  # a note, not news: only -v shows it
    assert note in built.rendered_v
    record = json.loads((built.show / ".qacast" / "state" / "ep3.json").read_text("utf-8"))
    pub_date = _item(built.show).findtext("pubDate") or ""
    day = email.utils.parsedate_to_datetime(pub_date).date()
    assert day.isoformat() == record["first_built"]
