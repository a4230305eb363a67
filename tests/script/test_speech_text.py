"""The speech text, case by case and language by language: what each sentence gives the engine.

Phone numbers, money with scale words, a date's full stop, addresses and
hashtags split into words, the acronym policy, "-teen" numbers, numbers
agreeing with their noun, and Spanish opening marks. Each table row is
written text -> the words the engine is given; captions keep the written text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qacast.models import Episode, EpisodeMeta, Paragraph, Speaker, Turn
from qacast.script import utterances
from qacast.script.speech.lexicon import parse_lexicon
from qacast.script.speech.normalise import normalise

EN = [
    # phone numbers: digit by digit, a comma between groups
    ("phone", "Call 555-0142 today.", "Call five five five, zero one four two today."),
    (
        "phone",
        "Call +44 20 7946 0958.",
        "Call plus four four, two zero, seven nine four six, zero nine five eight.",
    ),
    ("phone", "(555) 123-4567", "five five five, one two three, four five six seven"),
    ("phone", "555.123.4567", "five five five, one two three, four five six seven"),
    ("phone", "Dial 0800 123 456.", "Dial zero eight zero zero, one two three, four five six."),
    ("phone", "1-800-555-0199", "one, eight zero zero, five five five, zero one nine nine"),
    ("phone", "call 555-1200", "call five five five, one two zero zero"),
    # ... and what only looks like one
    ("not phone", "From 1990-1995.", "From nineteen ninety to nineteen ninety-five."),
    ("not phone", "pages 12-18", "pages twelve to eigh-teen"),
    ("not phone", "It ended 3-1.", "It ended three to one."),
    ("not phone", "800-1200 calories", "eight hundred to twelve hundred calories"),
    ("not phone", "at 10:30", "at ten thirty"),
    ("not phone", "on 2024-03-04", "on March fourth, twenty twenty-four"),
    # money with scale words; singular before a noun, as a reader says it
    ("money", "$4.5 million", "four point five million dollars"),
    ("money", "a $12 million cooling plan", "a twelve million dollar cooling plan"),
    ("money", "€3bn", "three billion euros"),
    ("money", "£1.2 billion", "one point two billion pounds"),
    ("money", "$40k", "forty thousand dollars"),
    ("money", "a $40k salary", "a forty thousand dollar salary"),
    ("money", "$1,500", "one thousand five hundred dollars"),
    ("money", "$0.99", "ninety-nine cents"),
    ("money", "a $0.99 app", "a ninety-nine cent app"),
    ("money", "a $3.50 coffee", "a three dollar fifty coffee"),
    ("money", "5 euros", "five euros"),
    ("money", "The $12 million was spent.", "The twelve million dollars was spent."),
    ("money", "It cost $12 million last year.", "It cost twelve million dollars last year."),
    ("money", "a 10 km walk", "a ten kilometer walk"),
    # a date keeps the sentence's full stop
    ("date stop", "It starts on 1 September.", "It starts on the first of September."),
    ("date stop", "It starts on 1 Sept.", "It starts on the first of September."),
    ("date stop", "We met on September 1.", "We met on September first."),
    ("date stop", 'He said "on 1 Sept."', 'He said "on the first of September."'),
    ("date stop", "It ends at 10:05 a.m.", "It ends at ten oh five A-M."),
    ("stop once", 'Her book is "Pier Grammar."', 'Her book is "Pier Grammar."'),
    # addresses, handles and hashtags in words
    ("address", "cityofriverton.gov", "city of riverton dot gov"),
    ("address", "Visit cityofriverton.gov.", "Visit city of riverton dot gov."),
    ("address", "Mail press@cityofriverton.gov.", "Mail press at city of riverton dot gov."),
    ("address", "@jane_doe", "at jane doe"),
    ("address", "@JaneDoe", "at Jane Doe"),
    ("address", "#BlackLivesMatter", "hashtag Black Lives Matter"),
    ("address", "#blacklivesmatter", "hashtag black lives matter"),
    ("address", "#NHS", "hashtag N-H-S"),
    ("address", "https://www.example.org/path", "example dot org slash path"),
    ("address", "https://example.com/page?x=1", "example dot com"),  # a query is not said
    ("address", "npr.org", "N-P-R dot org"),  # no vowel: spelled
    # acronyms: spelled initialisms, pronounceable ones as words, plurals, possessives
    ("acronym", "the SEC and the EPA", "the S-E-C and the E-P-A"),
    ("acronym", "FBI, NHS, ACLU", "F-B-I, N-H-S, A-C-L-U"),
    ("acronym", "NASA, NATO, UNESCO", "NASA, NATO, UNESCO"),
    ("acronym", "a LASER, a laser", "a LASER, a laser"),
    ("acronym", "two APIs", "two A-P-I's"),
    ("acronym", "NASA's budget", "NASA's budget"),
    ("acronym", "CEOs and NGOs", "C-E-O's and N-G-O's"),
    ("acronym", "The SEC's rules", "The S-E-C's rules"),
    ("acronym", "NOAA", "Noah"),
    # "-teen" numbers stressed on "teen"; years as usual
    ("teen", "14 of 37", "four-teen of thirty-seven"),
    ("teen", "fourteen of thirty-seven", "four-teen of thirty-seven"),
    ("teen", "the 14th", "the four-teenth"),
    ("teen", "in 1915", "in nineteen fifteen"),
    (
        "teen",
        "Nineteen fifty-eight, the nineteen fifties",
        "Nineteen fifty-eight, the nineteen fifties",
    ),
    ("teen", "fifteen hundred people", "fifteen hundred people"),
]

FR = [
    (
        "phone",
        "Appelez le 01 23 45 67 89.",
        "Appelez le zéro un, vingt-trois, quarante-cinq, soixante-sept, quatre-vingt-neuf.",
    ),
    (
        "phone",
        "Appelez le 0800 123 456.",
        "Appelez le zéro huit cents, cent vingt-trois, quatre cent cinquante-six.",
    ),
    (
        "phone",
        "+33 (0)1 23 45 67 89",
        "plus trente-trois, un, vingt-trois, quarante-cinq, soixante-sept, quatre-vingt-neuf",
    ),
    ("not phone", "85 000 000 habitants", "quatre-vingt-cinq millions d'habitants"),
    ("money", "12 millions d'euros", "douze millions d'euros"),
    ("money", "1,5 million d'euros", "un virgule cinq million d'euros"),
    ("money", "12 M€", "douze millions d'euros"),
    ("money", "3 Md€", "trois milliards d'euros"),
    ("money", "1 M€", "un million d'euros"),
    ("money", "1 €", "un euro"),
    ("date stop", "le 1 septembre.", "le premier septembre."),
    ("date stop", "C'était le 1er septembre.", "C'était le premier septembre."),
    ("address", "lemonde.fr", "le monde point F-R"),
    ("address", "@jane_doe", "arobase jane doe"),
    ("acronym", "la SNCF et l'ONU", "la S-N-C-F et l'ONU"),
    ("acronym", "le FBI", "le F-B-I"),
    ("gender", "1 tasse", "une tasse"),
    ("gender", "21 personnes", "vingt et une personnes"),
    ("gender", "31 voitures", "trente et une voitures"),
    ("gender", "Il est resté 21 h.", "Il est resté vingt et une heures."),
    ("gender", "41 ans", "quarante et un ans"),
    ("gender", "le 21 arrive", "le vingt et un arrive"),  # the number is the noun
]

ES = [
    ("marks", "¿Cuánto cuesta?", "¿Cuánto cuesta?"),
    ("marks", "¡Hola!", "¡Hola!"),
    ("marks", "¿Tienes 21 años?", "¿Tienes veintiún años?"),
    (
        "phone",
        "Llame al 912 345 678.",
        "Llame al nueve uno dos, tres cuatro cinco, seis siete ocho.",
    ),
    (
        "phone",
        "+34 912 345 678",
        "más tres cuatro, nueve uno dos, tres cuatro cinco, seis siete ocho",
    ),
    ("not phone", "250.000.000 de euros", "doscientos cincuenta millones de euros"),
    ("money", "1,5 millones de euros", "uno coma cinco millones de euros"),
    ("money", "21 millones de euros", "veintiún millones de euros"),
    ("money", "3 M€", "tres millones de euros"),
    ("money", "1 €", "un euro"),
    ("money", "1 £", "una libra"),
    ("date stop", "Empieza el 1 de septiembre.", "Empieza el uno de septiembre."),
    ("address", "elpais.com", "el pais punto com"),
    ("acronym", "la OTAN y el FBI", "la OTAN y el F-B-I"),
    ("gender", "1 euro", "un euro"),
    ("gender", "unas 600 tazas", "unas seiscientas tazas"),
    ("gender", "21 años", "veintiún años"),
    ("gender", "1 persona", "una persona"),
    ("gender", "21 personas", "veintiuna personas"),
    ("gender", "200 personas", "doscientas personas"),
    ("gender", "1200 personas", "mil doscientas personas"),
    ("gender", "Hay 200.000 personas.", "Hay doscientas mil personas."),
    ("gender", "21.000 personas", "veintiún mil personas"),
    ("gender", "21.000.000 personas", "veintiún millones de personas"),
    ("gender", "1 millón de euros", "un millón de euros"),
    ("gender", "Dura 21 h.", "Dura veintiuna horas."),
    ("gender", "el 1 de mayo", "el uno de mayo"),  # "de" is no noun
    ("gender", "el 21 llega", "el veintiuno llega"),  # the number is the noun
    ("gender", "En 2001 Pedro llegó.", "En dos mil uno Pedro llegó."),  # a name, not a noun
]

DE = [
    (
        "phone",
        "Rufen Sie 030 1234567 an.",
        "Rufen Sie null drei null, eins zwei drei vier fünf sechs sieben an.",
    ),
    (
        "phone",
        "+49 30 12345678",
        "plus vier neun, drei null, eins zwei drei vier fünf sechs sieben acht",
    ),
    ("not phone", "250.000.000 Euro", "zweihundertfünfzig Millionen Euro"),
    ("money", "3 Mio. Euro", "drei Millionen Euro"),
    ("money", "1 Mio. Euro", "eine Million Euro"),
    ("money", "1,5 Mrd. Euro", "eins Komma fünf Milliarden Euro"),
    ("money", "3,5 Mio. €", "drei Komma fünf Millionen Euro"),
    ("money", "12 Millionen Euro", "zwölf Millionen Euro"),
    ("date stop", "Es beginnt am 1. September.", "Es beginnt am ersten September."),
    (
        "date stop",
        "Der 3. Oktober ist ein Feiertag.",
        "Der dritte Oktober ist ein Feiertag.",
    ),
    ("address", "zeitonline.de", "zeit online Punkt D-E"),
    ("acronym", "die NATO und die EU", "die NATO und die E-U"),
    ("gender", "1 Frau", "eine Frau"),
    ("gender", "1 Mann", "ein Mann"),
    ("gender", "1 Euro", "ein Euro"),
    ("gender", "1 Stunde", "eine Stunde"),
    ("gender", "um 1 Uhr", "um ein Uhr"),
    ("gender", "101 Euro", "einhundertein Euro"),
    ("gender", "21.000 Euro", "einundzwanzigtausend Euro"),
]

IT_PT = [
    ("it", "1 persona", "una persona"),
    ("it", "1 ora", "un'ora"),
    ("it", "1 euro", "un euro"),
    ("it", "1 studente", "uno studente"),
    ("it", "21.000 persone", "ventunmila persone"),
    ("it", "21 milioni di euro", "ventun milioni di euro"),
    ("pt", "1 pessoa", "uma pessoa"),
    ("pt", "2 pessoas", "duas pessoas"),
    ("pt", "22 pessoas", "vinte e duas pessoas"),
    ("pt", "200 pessoas", "duzentas pessoas"),
    ("pt", "2 milhões de pessoas", "dois milhões de pessoas"),
    ("pt", "1 dia", "um dia"),
]

TABLES = {"en": EN, "fr": FR, "es": ES, "de": DE}
CASES = [(language, *row) for language, rows in TABLES.items() for row in rows]


@pytest.mark.parametrize(
    ("language", "kind", "written", "said"),
    CASES,
    ids=[f"{language}-{kind}-{written}" for language, kind, written, _ in CASES],
)
def test_speech_text(language: str, kind: str, written: str, said: str) -> None:
    assert normalise(written, language) == said


@pytest.mark.parametrize(("language", "written", "said"), IT_PT)
def test_speech_text_agrees_in_italian_and_portuguese(
    language: str, written: str, said: str
) -> None:
    assert normalise(written, language) == said


@pytest.mark.parametrize("language", sorted(TABLES))
def test_every_case_is_covered_in_every_language(language: str) -> None:
    kinds = {kind for kind, _, _ in TABLES[language]}
    expected = {"phone", "not phone", "money", "date stop", "address", "acronym"}
    expected |= {"teen"} if language == "en" else {"gender"}
    expected |= {"marks"} if language == "es" else set()
    assert expected <= kinds


def _episode(language_rows: list[tuple[str, str, str]]) -> Episode:
    paragraphs = tuple(Paragraph(written) for _, written, _ in language_rows)
    return Episode(
        EpisodeMeta(title="T"),
        (Speaker("Q", "Host", "interviewer"), Speaker("A", "Guest", "interviewee")),
        (Turn("Q", "question", (Paragraph("Well?"),)), Turn("A", "answer", paragraphs)),
        (),
    )


@pytest.mark.parametrize("language", sorted(TABLES))
def test_captions_keep_the_written_text(language: str) -> None:
    # One sentence per paragraph, so each utterance is one row of the table.
    rows = [row for row in TABLES[language] if row[1].count(". ") == 0]
    said = [u for u in utterances(_episode(rows), language=language) if u.turn_index == 1]
    assert [u.text for u in said] == [written for _, written, _ in rows]
    assert [u.speech for u in said] == [speech for _, _, speech in rows]


def test_lexicon_overrides_the_acronym_policy_with_plurals_and_possessives() -> None:
    lexicon = parse_lexicon({"SEC": "sec", "NASA": "N-A-S-A"}, "show").for_language("en")
    assert normalise("The SEC, two SECs, the SEC's rules", lexicon=lexicon) == (
        "The sec, two secs, the sec's rules"
    )
    assert normalise("NASA's NASAs", lexicon=lexicon) == "N-A-S-A's N-A-S-A's"


def test_word_counts_ship_inside_the_package() -> None:
    # Splitting "cityofriverton" must never download anything at run time.
    import wordsegment

    package = Path(wordsegment.__file__).parent
    for name in (wordsegment.Segmenter.UNIGRAMS_FILENAME, wordsegment.Segmenter.BIGRAMS_FILENAME):
        assert Path(name).parent == package and Path(name).stat().st_size > 1_000_000
