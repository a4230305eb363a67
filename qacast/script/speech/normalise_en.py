"""English speech tables: American ("en", "en-us") and British ("en-gb" and the rest).

The two differ in spelling ("kilometers"/"kilometres") and in "one hundred
and five" against "one hundred five"; everything else is shared. Plain "en"
reads as American English, as espeak-ng's default English voices do.
"""

from __future__ import annotations

import dataclasses
import re

from qacast.script.speech.normalise_lang import Currency, Language, Rule, ordinal, year

WORDS = {
    "and": "and",
    "or": "or",
    "to": "to",
    "by": "by",
    "over": "over",
    "point": "point",
    "percent": "percent",
    "plus": "plus",
    "minus": "minus",
    "plus or minus": "plus or minus",
    "equals": "equals",
    "number": "number",
    "page": "page",
    "pages": "pages",
    "at": "at",
    "dot": "dot",
    "hashtag": "hashtag",
    "degree": "degree",
    "degrees": "degrees",
    "celsius": "Celsius",
    "fahrenheit": "Fahrenheit",
    "am": "A-M",
    "pm": "P-M",
    "oh": "oh",
    "oclock": "o'clock",
    "hundred": "hundred",
    "version": "version",
    "times": "times",
    "out of": "out of",
    "foot": "foot",
    "of": "of",
    "the": "the",
    "slash": "slash",
}

CURRENCIES = {
    "USD": Currency("dollar", "dollars", "cent", "cents"),
    "EUR": Currency("euro", "euros", "cent", "cents"),
    "GBP": Currency("pound", "pounds", "penny", "pence"),
    "JPY": Currency("yen", "yen"),
    "CNY": Currency("yuan", "yuan", "fen", "fen"),
    "INR": Currency("rupee", "rupees", "paisa", "paise"),
    "CHF": Currency("Swiss franc", "Swiss francs", "centime", "centimes"),
    "CAD": Currency("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "AUD": Currency("Australian dollar", "Australian dollars", "cent", "cents"),
    "NZD": Currency("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "KRW": Currency("won", "won"),
    "RUB": Currency("ruble", "rubles", "kopek", "kopeks"),
    "BRL": Currency("real", "reais", "centavo", "centavos"),
    "MXN": Currency("peso", "pesos", "centavo", "centavos"),
}

CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "₩": "KRW",
    "₽": "RUB",
    "R$": "BRL",
}

# Symbol -> (singular, plural), American spelling; British below.
UNITS_US = {
    "km": ("kilometer", "kilometers"),
    "m": ("meter", "meters"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "µm": ("micrometer", "micrometers"),
    "nm": ("nanometer", "nanometers"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "t": ("tonne", "tonnes"),
    "l": ("liter", "liters"),
    "L": ("liter", "liters"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "mph": ("mile per hour", "miles per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "kmh": ("kilometer per hour", "kilometers per hour"),
    "KB": ("kilobyte", "kilobytes"),
    "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "PB": ("petabyte", "petabytes"),
    "Mb": ("megabit", "megabits"),
    "Gb": ("gigabit", "gigabits"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "W": ("watt", "watts"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "Wh": ("watt-hour", "watt-hours"),
    "kWh": ("kilowatt-hour", "kilowatt-hours"),
    "MWh": ("megawatt-hour", "megawatt-hours"),
    "GWh": ("gigawatt-hour", "gigawatt-hours"),
    "V": ("volt", "volts"),
    "mAh": ("milliamp-hour", "milliamp-hours"),
    "ms": ("millisecond", "milliseconds"),
    "sec": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "sq ft": ("square foot", "square feet"),
    "km²": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "dB": ("decibel", "decibels"),
}

PER_UNITS_US = {
    "km/h": "kilometers per hour",
    "m/s": "meters per second",
    "mi/h": "miles per hour",
    "km/s": "kilometers per second",
    "kg/m²": "kilograms per square meter",
    "g/km": "grams per kilometer",
    "Mb/s": "megabits per second",
    "MB/s": "megabytes per second",
    "GB/s": "gigabytes per second",
}

SCALES = {
    "k": "thousand",
    "K": "thousand",
    "thousand": "thousand",
    "M": "million",
    "m": "million",  # only after a currency: "5 m" alone is five meters
    "mn": "million",
    "million": "million",
    "bn": "billion",
    "B": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

MONTH_ABBREVIATIONS = {
    **{name.lower(): number for number, name in enumerate(MONTHS, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTHS, start=1) if name != "May"},
    "sept": 9,
}

FRACTIONS = {
    2: ("half", "halves"),
    3: ("third", "thirds"),
    4: ("quarter", "quarters"),
    5: ("fifth", "fifths"),
    6: ("sixth", "sixths"),
    7: ("seventh", "sevenths"),
    8: ("eighth", "eighths"),
    9: ("ninth", "ninths"),
    16: ("sixteenth", "sixteenths"),
}  # not tenths: "8/10" is a rating, "eight out of ten"

SLASH_IDIOMS = {
    "24/7": "twenty-four seven",
    "9/11": "nine eleven",
    "50/50": "fifty-fifty",
    "20/20": "twenty-twenty",
    "365/24/7": "three sixty-five twenty-four seven",
    "and/or": "and or",
    "w/o": "without",
}

# Capitalised at a sentence's start, these are not product names: "In 3.25
# hours" is a decimal, "Python 3.11" a version.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "almost",
        "an",
        "and",
        "around",
        "at",
        "before",
        "below",
        "between",
        "but",
        "by",
        "down",
        "during",
        "for",
        "from",
        "he",
        "her",
        "his",
        "i",
        "in",
        "into",
        "it",
        "its",
        "just",
        "less",
        "more",
        "nearly",
        "now",
        "of",
        "off",
        "on",
        "only",
        "or",
        "our",
        "over",
        "roughly",
        "she",
        "since",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "until",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "with",
        "within",
        "you",
        "your",
    ]
)

# All-capital words English speakers say as words. Others are spelled letter
# by letter unless their shape reads as a word (see acronyms.pronounceable).
ACRONYM_WORDS = frozenset(
    [
        "AIDS",
        "ASCII",
        "ASEAN",
        "BAFTA",
        "CAPTCHA",
        "CERN",
        "COBOL",
        "COVID",
        "DARPA",
        "FAQ",
        "FEMA",
        "FIFA",
        "GIF",
        "IKEA",
        "INTERPOL",
        "JPEG",
        "LAN",
        "LASER",
        "LED",
        "MIDI",
        "MOOC",
        "NAFTA",
        "NASA",
        "NASCAR",
        "NATO",
        "NIMBY",
        "OPEC",
        "PIN",
        "POTUS",
        "RADAR",
        "RAM",
        "ROM",
        "SARS",
        "SCOTUS",
        "SIM",
        "SONAR",
        "SWAT",
        "UNESCO",
        "UNICEF",
        "WAN",
        "WIMP",
        "YOLO",
        "ZIP",
    ]
)

# Fixed readings, where neither spelling nor the word is what people say.
ACRONYM_SAID = {
    "IEEE": "I triple E",
    "OK": "okay",
    "AAA": "triple A",
    "NCAA": "N-C double A",
    "JSON": "Jason",
    "SQL": "S-Q-L",
    "GNU": "G-N-U",
    "WHO": "W-H-O",
    "CAPEX": "cap ex",
    "OPEX": "op ex",
    "NGO": "N-G-O",
    "UCLA": "U-C-L-A",
    "USA": "U-S-A",
    "OECD": "O-E-C-D",
    "IOU": "I-O-U",
    "NOAA": "Noah",
    "HUD": "hud",
    "NYU": "N-Y-U",
}

# Names with a symbol in them, which the symbol rules would otherwise drop or misread.
NAMED = {
    "C#": "C sharp",
    "F#": "F sharp",
    ".NET": "dot net",
    "ASP.NET": "A-S-P dot net",
    "Node.js": "Node J-S",
    "AT&T": "A-T and T",
    "H&M": "H and M",
    "M&A": "M and A",
    "P&L": "P and L",
    "401(k)": "four-oh-one K",
    "911": "nine one one",
}

# Top-level domains said as letters; the rest (com, org, edu) are said as words.
TLDS_SAID = {
    tld: "-".join(tld.upper())
    for tld in [
        "io",
        "ai",
        "uk",
        "us",
        "ca",
        "au",
        "nz",
        "ie",
        "de",
        "fr",
        "es",
        "it",
        "nl",
        "be",
        "ch",
        "at",
        "se",
        "no",
        "dk",
        "fi",
        "pl",
        "pt",
        "br",
        "mx",
        "in",
        "jp",
        "cn",
        "kr",
        "ru",
        "za",
        "eu",
        "tv",
        "fm",
        "ly",
    ]
}


# "fourteen" as espeak-ng (and so Piper) stresses it, "FOURteen", with the
# "teen" unstressed, is heard as "forty" by listeners and recognisers alike;
# hyphenated, "four-teen" gets a stress on "teen" as a careful speaker gives it.
# Years keep their usual "nineteen ninety": a year is never heard as a count.
# Not before another number word: "nineteen fifty-eight" and "fifteen hundred"
# are years and hundreds, said as usual.
_TEEN = re.compile(
    r"\b(thir|four|fif|six|seven|eigh|nine)(teen(?:th)?s?)\b"
    r"(?!\s+(?:(?:twent|thirt|fort|fift|sixt|sevent|eight|ninet)(?:y|ies)|hundred|oh|ten"
    r"|eleven|twelve|\w+teen)\b)",
    re.I,
)


def stressed_teens(words: str) -> str:
    """ "fourteen of thirty-seven" -> "four-teen of thirty-seven"."""
    return _TEEN.sub(r"\1-\2", words)


# The same for "-teen" numbers the script writes in words ("fourteen of them").
TEEN_WORDS = Rule("teen words", _TEEN, lambda m, _lang: f"{m[1]}-{m[2]}", re.compile("(?i)teen"))


# Words after which "call 555-1234" is a phone number, not a range.
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


PHONE_CUES = _word_set(
    "call calls calling called phone phoned dial dialled dialed ring text texting fax tel"
    " telephone number line hotline helpline contact reach"
)

# "a $12 million cooling plan": after one of these, an amount before a noun is
# said in the singular, as the noun's modifier ("a twelve million dollar plan").
DETERMINERS = _word_set(
    "a an the this that these those its their our his her my your every each another one whose"
)

# Words that follow an amount without being the noun it modifies: "the $12
# million was spent", "a $5 or $10 fee", "the $12 million raised".
NOT_NOUNS = FUNCTION_WORDS | _word_set(
    "is are be been being has have had will would could should can may might must did does"
    " do not also already still more less per each apiece spent paid"
    " raised lost made won given taken left set put cut brought bought sold held kept sent"
    " built owed"
)


def say_date_en(
    lang: Language, day: int | None, month: int, year_number: int | None, day_first: bool
) -> str:
    """ "March fourth, twenty twenty-four" or "the fourth of March twenty twenty-four"."""
    name = lang.months[month - 1]
    if day is None:
        said = name
    elif day_first:
        said = f"the {ordinal(day, lang)} of {name}"
    else:
        said = f"{name} {ordinal(day, lang)}"
    if year_number is None:
        return said
    return f"{said}{'' if day_first else ','} {year(year_number, lang)}"


EN_US = Language(
    num2words_lang="en",
    words=WORDS,
    currencies=CURRENCIES,
    currency_symbols=CURRENCY_SYMBOLS,
    units=UNITS_US,
    per_units=PER_UNITS_US,
    scales=SCALES,
    months=MONTHS,
    month_abbreviations=MONTH_ABBREVIATIONS,
    fractions=FRACTIONS,
    slash_idioms=SLASH_IDIOMS,
    acronym_words=ACRONYM_WORDS,
    acronym_said=ACRONYM_SAID,
    named=NAMED,
    tlds_said=TLDS_SAID,
    function_words=FUNCTION_WORDS,
    say_date=say_date_en,
    number_words=stressed_teens,
    extra_rules=(TEEN_WORDS,),
    phone_cues=PHONE_CUES,
    determiners=DETERMINERS,
    not_nouns=NOT_NOUNS,
)


def _british(text: str) -> str:
    # "meter", "liter" and their compounds are the only spellings that differ.
    return text.replace("meter", "metre").replace("liter", "litre")


EN_GB = dataclasses.replace(
    EN_US,
    units={k: (_british(one), _british(many)) for k, (one, many) in UNITS_US.items()},
    per_units={k: _british(v) for k, v in PER_UNITS_US.items()},
    keep_number_and=True,
    day_first=True,
)
