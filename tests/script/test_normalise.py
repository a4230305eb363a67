"""Speech normalisation: the rule table case by case, the lexicon, and a property test."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from locations import SAMPLE_SCRIPT

from qacast.config import parse_show
from qacast.errors import ConfigError
from qacast.models import Episode, EpisodeMeta, Paragraph, Speaker, Turn
from qacast.script import parse_script, read_script, utterances
from qacast.script.speech.acronyms import pronounceable
from qacast.script.speech.lexicon import Lexicon, parse_lexicon, read_lexicon_file, show_lexicon
from qacast.script.speech.normalise import RULES, language_key, normalise
from qacast.script.speech.normalise_rules import roman_value
from qacast.script.speech.utterances import clean_speech

# input -> what espeak-ng is given (American English, the default "en").
CASES = [
    # currency
    ("It cost $85,000.", "It cost eighty-five thousand dollars."),
    ("€3.50", "three euros and fifty cents"),
    ("$1", "one dollar"),
    ("$0.99", "ninety-nine cents"),
    ("$3.05", "three dollars and five cents"),
    ("£1.50", "one pound and fifty pence"),
    ("£0.01", "one penny"),
    ("¥500", "five hundred yen"),
    ("$1.2 million", "one point two million dollars"),
    ("$85k", "eighty-five thousand dollars"),
    ("$2bn", "two billion dollars"),
    ("USD 40", "forty dollars"),
    ("40 EUR", "forty euros"),
    ("C$20", "twenty Canadian dollars"),
    ("3.50 €", "three euros and fifty cents"),
    ("0$", "zero dollars"),
    # a price written with the currency's name is said as with its symbol
    ("It costs 2.50 dollars.", "It costs two dollars and fifty cents."),
    ("It was 0.99 dollars", "It was ninety-nine cents"),
    ("12.00 Swiss francs", "twelve Swiss francs"),
    ("a 2.50 dollar coffee", "a two dollar fifty coffee"),
    # "pounds" is also a weight, so a number before it stays a measure
    ("Buy 3.50 pounds of flour.", "Buy three point five zero pounds of flour."),
    ("Python 3.12 is out", "Python three point twelve is out"),
    # percentages
    ("Up 5%", "Up five percent"),
    ("12.5 %", "twelve point five percent"),
    ("5-10%", "five to ten percent"),
    # units, singular and plural
    ("10 km", "ten kilometers"),
    ("1 km", "one kilometer"),
    ("5 kg", "five kilograms"),
    ("3 m", "three meters"),
    ("20 cm and 5 mm", "twenty centimeters and five millimeters"),
    ("256 GB", "two hundred fifty-six gigabytes"),
    ("500 MB, 2 TB", "five hundred megabytes, two terabytes"),
    ("100 kWh", "one hundred kilowatt-hours"),
    ("60 mph", "sixty miles per hour"),
    ("100 km/h", "one hundred kilometers per hour"),
    ("1 km/h", "one kilometer per hour"),
    ("speed in km/h", "speed in kilometers per hour"),
    ("200 ms", "two hundred milliseconds"),
    ("50 Hz", "fifty hertz"),
    ("20°C", "twenty degrees Celsius"),
    ("68 °F", "sixty-eight degrees Fahrenheit"),
    ("1°", "one degree"),
    ("-40° outside", "minus forty degrees outside"),
    # times
    ("at 3:30 pm", "at three thirty P-M"),
    ("at 15:45", "at fif-teen forty-five"),
    ("at 9am", "at nine A-M"),
    ("10:05 a.m.", "ten oh five A-M."),  # its dot ends the sentence too
    ("at 12:00", "at twelve o'clock"),
    ("at 18:00", "at eigh-teen hundred"),
    # dates
    ("March 4, 2024", "March fourth, twenty twenty-four"),
    ("4 March 2024", "the fourth of March twenty twenty-four"),
    ("2024-03-04", "March fourth, twenty twenty-four"),
    ("the 4th of July", "the fourth of July"),
    ("in May 2023", "in May twenty twenty-three"),
    ("03/04/2024", "March fourth, twenty twenty-four"),
    ("You may 4 times.", "You may four times."),  # "may" is not a month here
    # years, decades
    ("in 1993", "in nineteen ninety-three"),
    ("in 2005", "in two thousand five"),
    ("in 2010", "in twenty ten"),
    ("in 2000", "in two thousand"),
    ("the 2010s", "the twenty tens"),
    ("the '90s", "the nineties"),
    ("the 1990s", "the nineteen nineties"),
    ("class of '85", "class of eighty-five"),
    ("since '05", "since oh five"),
    # ranges
    ("From 1990–2000", "From nineteen ninety to two thousand"),
    ("5-10 people", "five to ten people"),
    ("pp. 3-7", "pages three to seven"),
    ("p. 5", "page five"),
    # fractions, slashes
    ("1/2", "one half"),
    ("3/4", "three quarters"),
    ("2/3 of them", "two thirds of them"),
    ("24/7", "twenty-four seven"),
    ("in 2023/24", "in twenty twenty-three to twenty-four"),
    ("3/17", "three out of seven-teen"),
    ("I'd rate it 8/10.", "I'd rate it eight out of ten."),
    ("17/3", "seven-teen over three"),
    ("and/or", "and or"),
    ("countries/regions", "countries or regions"),
    ("TCP/IP", "T-C-P I-P"),
    # ordinals, separators, signs
    ("the 1st and 22nd", "the first and twenty-second"),
    ("the 3rd", "the third"),
    ("85,000", "eighty-five thousand"),
    ("1.5", "one point five"),
    ("1,234,567", "one million two hundred thirty-four thousand five hundred sixty-seven"),
    ("+5 and -3", "plus five and minus three"),
    ("±2", "plus or minus two"),
    ("2 + 2 = 4", "two plus two equals four"),
    ("C++", "C plus plus"),
    ("a 1920x1080 screen", "a one thousand nine hundred twenty by one thousand eighty screen"),
    ("3 x 4", "three by four"),
    ("a 16:9 screen", "a six-teen to nine screen"),
    ("from -3 to -5", "from minus three to minus five"),
    ("a 401(k) plan", "a four-oh-one K plan"),
    ("1.5x faster", "one point five times faster"),
    ("a 50-50 chance", "a fifty-fifty chance"),
    # codes read digit by digit
    ("Call +1 555 123 4567", "Call plus one, five five five, one two three, four five six seven"),
    ("(555) 123-4567", "five five five, one two three, four five six seven"),
    ("1-800-555-0199", "one, eight zero zero, five five five, zero one nine nine"),
    ("5'10\" tall", "five foot ten tall"),
    ("v2 shipped", "version two shipped"),
    ("OK", "okay"),
    ("agent 007", "agent zero zero seven"),
    ("1234567890123", "one two three four five six seven eight nine zero one two three"),
    # versions
    ("Python 3.11", "Python three point eleven"),
    ("version 2.0.1", "version two point zero point one"),
    ("v3.2", "version three point two"),
    ("In 3.25 hours", "In three point two five hours"),
    ("1.2.10", "one point two point ten"),
    ("04.03.2024", "April third, twenty twenty-four"),  # en-US reads month first
    ("192.168.0.1", "one nine two dot one six eight dot zero dot one"),
    # numbering
    ("We're #1.", "We're number one."),
    ("No. 5 is next.", "Number five is next."),
    ("see no. 5", "see number five"),
    # & and handles
    ("Q&A", "Q and A"),
    ("R&D", "R and D"),
    ("Follow #MeToo", "Follow hashtag Me Too"),
    ("ask @jane_doe", "ask at jane doe"),
    # addresses
    ("See https://github.com/qacast/x now.", "See git hub dot com slash qa cast slash x now."),
    ("Visit www.example.org/path.", "Visit example dot org slash path."),
    ("Write to jane@uni.edu today.", "Write to jane at uni dot edu today."),
    ("bbc.co.uk", "B-B-C dot co dot U-K"),
    ("at example.io", "at example dot I-O"),
    ("http://localhost:8000/x", "localhost slash x"),
    ("Amazon.com", "amazon dot com"),
    ("ASP.NET on .NET", "A-S-P dot net on dot net"),  # not an address
    ("C# and F#", "C sharp and F sharp"),
    # acronyms
    ("NASA and NATO", "NASA and NATO"),
    ("UNESCO", "UNESCO"),
    ("FCIPS", "F-C-I-P-S"),
    ("IBM", "I-B-M"),
    ("SQL", "S-Q-L"),
    ("IEEE", "I triple E"),
    ("two APIs", "two A-P-I's"),
    ("JSON", "Jason"),
    ("iPhone and GitHub", "iPhone and GitHub"),  # mixed case: left alone
    ("THE GOVERNOR SAID WE WILL WIN.", "THE GOVERNOR SAID WE WILL WIN."),  # shouting, not acronyms
    ("World War II", "World War two"),
    ("COVID-19", "COVID-nine-teen"),
    # punctuation the engine pauses on
    ("Tools — mostly — work.", "Tools, mostly, work."),
    ("Yes -- twice.", "Yes, twice."),
    ("open Mon–Fri", "open Mon to Fri"),
    ("“Quoted” it’s", '"Quoted" it\'s'),
    ("emoji 🎉 gone", "emoji gone"),
    ("½ cup", "one half cup"),
    ("Chapter Ⅻ", "Chapter twelve"),
    ("＄５", "five dollars"),
    ("٣ days", "three days"),
]


@pytest.mark.parametrize(("text", "speech"), CASES)
def test_normalise_case(text: str, speech: str) -> None:
    assert normalise(text) == speech


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60


# en-GB: British spelling, "and" in numbers, dates day first.
GB_CASES = [
    ("10 km", "ten kilometres"),
    ("2 l", "two litres"),
    ("in 2005", "in two thousand and five"),
    ("105 people", "one hundred and five people"),
    ("2024-03-04", "the fourth of March twenty twenty-four"),
    ("03/04/2024", "the third of April twenty twenty-four"),
    ("$85,000", "eighty-five thousand dollars"),
]


@pytest.mark.parametrize(("text", "speech"), GB_CASES)
def test_normalise_british(text: str, speech: str) -> None:
    assert normalise(text, "en-GB") == speech


@pytest.mark.parametrize(
    ("language", "key"),
    [
        ("en", "en"),
        ("en-US", "en-us"),
        ("en-GB", "en-gb"),
        ("en-au", "en-gb"),
        ("fr", "fr"),
        ("fr-CA", "fr"),
        ("ja", "en"),
    ],
)
def test_language_key(language: str, key: str) -> None:
    # A language without its own table reads with the English one until it has one.
    assert language_key(language) == key
    assert key in RULES


@pytest.mark.parametrize(
    ("word", "said_as_word"),
    [("NASA", True), ("UNESCO", True), ("NATO", True), ("FCIPS", False), ("GDPR", False),
     ("CEO", False), ("OECD", False), ("IEEE", False), ("SARS", True), ("NIST", True)],
)  # fmt: skip
def test_acronym_shape(word: str, said_as_word: bool) -> None:
    assert pronounceable(word) is said_as_word


@pytest.mark.parametrize(
    ("text", "value"),
    [("II", 2), ("IV", 4), ("VIII", 8), ("XIV", 14), ("IIII", None), ("VX", None), ("IIV", None)],
)
def test_roman_numerals(text: str, value: int | None) -> None:
    assert roman_value(text) == value


# --- the lexicon ----------------------------------------------------------------


def test_lexicon_whole_words_case_aware_and_final() -> None:
    lexicon = {"FCIPS": "fee-sips", "Portillo": "Por-tee-yo", "gif": "jif", "C++": "see plus plus"}
    said = normalise("FCIPS fcips FCIPSX Portillo portillo GIF Gif C++ 5%", lexicon=lexicon)
    # "fcips" in lower case is a word as written; "FCIPSX" is another word.
    assert (
        said == "fee-sips fcips F-C-I-P-S-X Por-tee-yo portillo jif jif see plus plus five percent"
    )


def test_lexicon_reading_is_not_normalised_again() -> None:
    # The producer's "NASA" stays a word, their "I S P" stays letters.
    assert normalise("ISP", lexicon={"ISP": "I S P"}) == "I S P"
    assert normalise("Room 101", lexicon={"101": "one oh one"}) == "Room one oh one"


def test_lexicon_longest_entry_wins() -> None:
    lexicon = {"New York": "Noo York", "New York Times": "the Times"}
    assert normalise("New York Times in New York", lexicon=lexicon) == "the Times in Noo York"


def test_lexicon_reading_cannot_smuggle_symbols() -> None:
    assert normalise("X", lexicon={"X": "ex $ /"}) == "ex"


def test_lexicon_per_language_and_overrides() -> None:
    show_file = parse_lexicon({"FCIPS": "F C I P S", "fr": {"Portillo": "Porti-yo"}}, "file")
    config = parse_lexicon({"Portillo": "Por-tee-yo"}, "config")
    show = show_file.overridden_by(config)
    assert show.for_language("en") == {"FCIPS": "F C I P S", "Portillo": "Por-tee-yo"}
    assert show.for_language("fr")["Portillo"] == "Porti-yo"
    assert show.for_language("fr-CA")["Portillo"] == "Porti-yo"
    assert not Lexicon()


def _episode(lexicon: tuple[tuple[str, str], ...] = ()) -> Episode:
    return Episode(
        EpisodeMeta(title="T", lexicon=lexicon),
        (Speaker("Q", "Host", "interviewer"), Speaker("A", "Guest", "interviewee")),
        (
            Turn("Q", "question", (Paragraph("Is FCIPS a $3.50 title?"),)),
            Turn("A", "answer", (Paragraph("Ask Portillo. It costs €3.50. Really."),)),
        ),
        (),
    )


def test_script_entries_override_the_show() -> None:
    show = parse_lexicon({"FCIPS": "F C I P S", "Portillo": "Por-tee-yo"}, "show")
    said = utterances(_episode((("FCIPS", "fee-sips"),)), show)
    assert said[0].speech == "Is fee-sips a three dollar fifty title?"
    assert said[1].speech == "Ask Por-tee-yo."


def test_normalising_keeps_sentences_and_captions_aligned() -> None:
    said = utterances(_episode())
    assert [u.text for u in said] == [
        "Is FCIPS a $3.50 title?",
        "Ask Portillo.",
        "It costs €3.50.",
        "Really.",
    ]
    assert said[2].speech == "It costs three euros and fifty cents."


def test_show_lexicon_from_file_and_config(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "lexicon.toml").write_text(
        'FCIPS = "F C I P S"\nNestor = "Nestor"\n[fr]\nNestor = "Nestorre"\n', encoding="utf-8"
    )
    config = parse_show(
        {"lexicon": {"FCIPS": "fee-sips"}}, show_dir=tmp_path, config_path=tmp_path / "q.toml"
    )
    lexicon = show_lexicon(tmp_path, config.lexicon)
    assert lexicon.for_language("en") == {"FCIPS": "fee-sips", "Nestor": "Nestor"}
    assert lexicon.for_language("fr")["Nestor"] == "Nestorre"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("FCIPS = 3\n", "lexicon entry 'FCIPS' must be the text to say"),
        ('["fr x"]\nX = "y"\n', "must be named by a language code"),
        ("FCIPS = \n", "invalid TOML"),
    ],
)
def test_bad_lexicon_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        read_lexicon_file(path)
    assert "\n" not in str(info.value)


def test_bad_lexicon_in_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[lexicon\]: lexicon entry 'X'"):
        parse_show({"lexicon": {"X": ""}}, show_dir=tmp_path, config_path=tmp_path / "q.toml")
    with pytest.raises(ConfigError, match="field 'lexicon' must be a table"):
        parse_show({"lexicon": "X"}, show_dir=tmp_path, config_path=tmp_path / "q.toml")


# --- properties -------------------------------------------------------------------

# Characters espeak-ng reads aloud by name.
SYMBOLS = set("$€£¥%/&@#*+=<>^~|\\_`°§©®™×±{}[]")

texty = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("0123456789$€£¥%/&@#.,:;-–—+x°' kmgKMBTGHzsphCF*_[]()<>`")),
        st.characters(),
    ),
    max_size=80,
)


@settings(max_examples=400, deadline=None)
@given(texty)
def test_normalise_never_raises_and_leaves_no_symbols(text: str) -> None:
    said = normalise(text)
    assert not SYMBOLS & set(said)
    assert all(ch.isprintable() or ch == " " for ch in said)
    # The whole path from a sentence as written, markup and asides included.
    assert not SYMBOLS & set(clean_speech(text))


@settings(max_examples=200, deadline=None)
@given(texty, st.sampled_from(["en", "en-gb", "fr", "de-AT", "es", "it", "pt"]))
def test_normalise_in_any_language_never_raises(text: str, language: str) -> None:
    assert not SYMBOLS & set(normalise(text, language))


def test_the_sample_speaks_no_symbols() -> None:
    sample = SAMPLE_SCRIPT
    said = utterances(parse_script(read_script(sample), source_name=sample.name))
    for utterance in said:
        assert not SYMBOLS & set(utterance.speech), utterance.speech
        assert not any(ch.isdigit() for ch in utterance.speech), utterance.speech
