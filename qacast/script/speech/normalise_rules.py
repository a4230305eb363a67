"""The standard rule table: written forms -> words, in the order they must run.

Order matters and is part of the design:

0. names written with symbols ("C#", ".NET"), from the language's table;
1. addresses first (e-mail, URLs, domains, @handles, #hashtags), whose dots,
   slashes and digits belong to them and must not be read as numbers;
2. numbers with a fixed shape: "No. 5", phone numbers, dates, times;
3. ranges ("5-10", "1990–2000") become "5 to 10" with the digits kept, so the
   amounts that follow still see them ("5-10%" -> "five to ten percent");
4. amounts: currency, percent, temperature, units, 85k, decades, ordinals,
   fractions and slash idioms, versions, Roman numerals, years;
5. every other number, signs and the symbols & + = @ ° / left between words;
6. acronyms last, when nothing else can still claim their letters.

Each handler gets the match and the ``Language`` and returns words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from qacast.script.speech.acronyms import plural_of, say_acronym, shouting
from qacast.script.speech.agreement import agree_in_text, agree_with_noun, joined, next_word
from qacast.script.speech.normalise_lang import (
    CODE_DIGITS,
    Language,
    Rule,
    cardinal,
    digits,
    integer,
    is_one,
    ordinal,
    plural_of_number_word,
    year,
)
from qacast.script.speech.normalise_phone import PHONE, say_phone
from qacast.script.speech.words import split_words


def number_pattern(lang: Language) -> str:
    """A written number in ``lang``'s marks: "85,000", "1.5", "42" in English."""
    group, point = re.escape(lang.group_mark), re.escape(lang.decimal_mark)
    return rf"(?:[0-9]{{1,3}}(?:{group}[0-9]{{3}})+(?:{point}[0-9]+)?|[0-9]+(?:{point}[0-9]+)?)"


# Not inside a word or another number. The lookahead first: it fails fast at
# the many positions where no number starts, before the costlier lookbehinds.
START = r"(?=[0-9+\-−])(?<!\w)(?<![0-9][.,])"
END = r"(?![\w]|[.,][0-9])"
TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|ai|app|dev|info|biz|me|tv|fm|ly|news|blog|tech"
    "|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|br|mx|in|jp|cn|kr|ru|za|eu"
)


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation of table keys, longest first so "kWh" wins over "kW"."""
    return "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))


# --- addresses ---------------------------------------------------------------


def say_host(host: str, lang: Language) -> str:
    """ "www.github.com" -> "git hub dot com"; "cityofriverton.gov" -> "city of riverton
    dot gov"; "bbc.co.uk" -> "B-B-C dot co dot U-K"."""
    parts = [p for p in host.lower().split(".") if p]
    if len(parts) > 2 and parts[0] in ("www", "www2", "m"):
        parts = parts[1:]
    said = []
    for index, part in enumerate(parts):
        is_tld = index == len(parts) - 1
        if is_tld and part in lang.tlds_said:
            said.append(lang.tlds_said[part])
        else:
            said.append(" ".join(split_words(part)))
    return f" {lang.word('dot')} ".join(said)


# A path said after its host: at most this many parts, each a word or two
# ("example.org/about", "/our-team"); longer paths, queries and file names
# are for the show notes, not for the ear.
SAID_PATH_PARTS = 2
SAID_PATH_PART = re.compile(r"[A-Za-z][A-Za-z0-9\-_]{0,23}")


def say_path(path: str, lang: Language) -> str:
    """ "/about/our-team" -> " slash about slash our team"; "" when it is not for saying."""
    parts = [p for p in (path or "").split("/") if p]
    if not parts or len(parts) > SAID_PATH_PARTS:
        return ""
    if not all(SAID_PATH_PART.fullmatch(part) for part in parts):
        return ""
    slash = lang.word("slash")
    return "".join(f" {slash} {' '.join(split_words(part))}" for part in parts)


def _email(match: re.Match[str], lang: Language) -> str:
    user = " ".join(split_words(match["user"]))
    return f"{user} {lang.word('at')} {say_host(match['host'], lang)}"


def _url(match: re.Match[str], lang: Language) -> str:
    return say_host(match["host"], lang) + say_path(match["path"], lang)


def _handle(match: re.Match[str], lang: Language) -> str:
    return f"{lang.word('at')} {' '.join(split_words(match['name']))}"


def _hashtag(match: re.Match[str], lang: Language) -> str:
    return f"{lang.word('hashtag')} {' '.join(split_words(match['tag']))}"


# --- numbers with a fixed shape --------------------------------------------------


def _number_sign(match: re.Match[str], lang: Language) -> str:
    said = lang.word("number")
    if match[0].startswith("N"):
        said = said[:1].upper() + said[1:]  # "No. 5" opening a sentence
    return f"{said} {match['n']}"


def _page(match: re.Match[str], lang: Language) -> str:
    word = "pages" if match["p"].lower().startswith("pp") else "page"
    return f"{lang.word(word)} {match['n']}"


def _iso_date(match: re.Match[str], lang: Language) -> str:
    month = int(match["m"])
    day = int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return " ".join(digits(g, lang) for g in (match["y"], match["m"], match["d"]))
    return lang.say_date(lang, day, month, int(match["y"]), lang.day_first)


def _numeric_date(match: re.Match[str], lang: Language) -> str:
    first, second = int(match["a"]), int(match["b"])
    day, month = (first, second) if lang.day_first else (second, first)
    if not 1 <= month <= 12:
        day, month = month, day  # 25/12/2024 can only be day first
    written_year = match["y"]
    if "." in match[0] and len(written_year) == 2:
        # 1.2.10 is a version; dotted dates are written with the full year.
        return f" {lang.word('point')} ".join(cardinal(g, lang) for g in match[0].split("."))
    full_year = int(written_year) if len(written_year) == 4 else 2000 + int(written_year)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return " ".join(cardinal(g, lang) for g in (match["a"], match["b"], written_year))
    return lang.say_date(lang, day, month, full_year, lang.day_first)


def _month_number(name: str, lang: Language) -> int:
    return lang.month_abbreviations[name.lower().rstrip(".")]


def _month_day(match: re.Match[str], lang: Language) -> str:
    day = int(match["d"])
    written_year = match["y"]
    if not 1 <= day <= 31:
        return match[0].replace(match["d"], cardinal(match["d"], lang), 1)
    month = _month_number(match["month"], lang)
    return lang.say_date(lang, day, month, int(written_year) if written_year else None, False)


def _day_month(match: re.Match[str], lang: Language) -> str:
    day = int(match["d"])
    written_year = match["y"]
    if not 1 <= day <= 31:
        return match[0].replace(match["d"], cardinal(match["d"], lang), 1)
    month = _month_number(match["month"], lang)
    said = lang.say_date(lang, day, month, int(written_year) if written_year else None, True)
    before = match.string[: match.start()].rstrip().lower()
    if before.endswith(lang.word("the")) and said.startswith(lang.word("the") + " "):
        said = said[len(lang.word("the")) + 1 :]  # "the 4th of July" has its "the" already
    return said


def _month_year(match: re.Match[str], lang: Language) -> str:
    month = _month_number(match["month"], lang)
    return f"{lang.months[month - 1]} {year(int(match['y']), lang)}"


def _meridiem(text: str | None, lang: Language) -> str:
    if not text:
        return ""
    return " " + lang.word("pm" if text.lower().startswith("p") else "am")


def _clock(match: re.Match[str], lang: Language) -> str:
    hours, minutes = int(match["h"]), int(match["m"])
    seconds = match["s"]
    if hours > 24 or minutes > 59:
        return f"{cardinal(match['h'], lang)} {cardinal(match['m'], lang)}"
    if seconds is not None:  # a duration or timestamp: 1:02:03
        return ", ".join(cardinal(g, lang) for g in (match["h"], match["m"], seconds))
    meridiem = _meridiem(match["ampm"], lang)
    if minutes == 0:
        if meridiem:
            return integer(hours, lang) + meridiem
        return f"{integer(hours, lang)} {lang.word('hundred' if hours > 12 else 'oclock')}"
    said_minutes = integer(minutes, lang)
    if minutes < 10:
        said_minutes = f"{lang.word('oh')} {said_minutes}"
    return f"{integer(hours, lang)} {said_minutes}{meridiem}"


def _hour(match: re.Match[str], lang: Language) -> str:
    return integer(int(match["h"]), lang) + _meridiem(match["ampm"], lang)


# --- ranges and amounts ------------------------------------------------------------


def _range(match: re.Match[str], lang: Language) -> str:
    if match["a"] == match["b"]:
        return f"{cardinal(match['a'], lang)}-{cardinal(match['b'], lang)}"  # "50-50": fifty-fifty
    return f"{match['a']} {lang.word('to')} {match['b']}"


def _sign(match: re.Match[str], lang: Language) -> str:
    return f"{lang.word('plus' if match['sign'] == '+' else 'minus')} "


def _short_year(match: re.Match[str], lang: Language) -> str:
    """ "'85" -> "eighty-five", "'05" -> "oh five"."""
    if match["y"].startswith("0"):
        return f"{lang.word('oh')} {integer(int(match['y']), lang)}"
    return integer(int(match["y"]), lang)


def _dimensions(match: re.Match[str], lang: Language) -> str:
    # Said here: "1920 by 1080" left to the later rules would read 1920 as a year.
    return f"{cardinal(match['a'], lang)} {lang.word('by')} {cardinal(match['b'], lang)}"


def counted(number: str, noun: str, lang: Language) -> str:
    """ "uno" + "euro" -> "un euro"; "seiscientos" + "tazas" -> "seiscientas tazas"."""
    return joined(agree_with_noun(number, noun, lang.agreement), noun)


def modifies_noun(match: re.Match[str], lang: Language) -> bool:
    """Whether an amount is a noun's modifier, said in the singular: "a $12 million
    cooling plan", "the 10 km walk" (English: after a determiner, before a noun)."""
    if not lang.determiners:
        return False
    before = re.search(r"([A-Za-z]+)\s*$", match.string[: match.start()])
    if before is None or before[1].lower() not in lang.determiners:
        return False
    after = next_word(match.string[match.end() :])
    if after is None:
        return False
    return after.lower() not in lang.not_nouns and not after.lower().endswith("ed")


def _money(match: re.Match[str], code: str, lang: Language) -> str:
    amount, scale = match["n"], match.groupdict().get("scale")
    currency = lang.currencies[code]
    modifier = modifies_noun(match, lang)
    if scale:
        return _scaled_money(amount, scale, currency.one if modifier else currency.many, lang)
    whole, _, fraction = amount.partition(lang.decimal_mark)
    if fraction and (len(fraction) > 2 or not currency.cent_many):
        return f"{cardinal(amount, lang)} {currency.one if modifier else currency.many}"
    main = int(whole.replace(lang.group_mark, "") or "0")
    cents = int(fraction.ljust(2, "0")) if fraction else 0
    if modifier:  # "a $3.50 coffee": "a three dollar fifty coffee"
        if not main and cents:
            return f"{integer(cents, lang)} {currency.cent_one}"
        tail = f" {integer(cents, lang)}" if cents else ""
        return f"{cardinal(whole, lang)} {currency.one}{tail}"
    said = []
    if main or not cents:
        name = currency.one if is_one(whole) else currency.many
        said.append(counted(cardinal(whole, lang), name, lang))
    if cents:
        name = currency.cent_one if cents == 1 else currency.cent_many
        said.append(counted(integer(cents, lang), name, lang))
    return f" {lang.word('and')} ".join(said)


def _scaled_money(amount: str, scale: str, currency: str, lang: Language) -> str:
    """ "4.5" "million" "dollars" -> "four point five million dollars"; in French
    "12" "M" "euros" -> "douze millions d'euros"; in German "eine Million Euro"."""
    scale_word = scale_name(amount, scale, lang)
    number = cardinal(amount, lang)
    if amount.isdigit():
        number = agree_with_noun(number, scale_word, lang.agreement)  # "veintiún millones"
    return f"{number} {scale_word} {_of(currency, lang)}"


def scale_name(amount: str, scale: str, lang: Language) -> str:
    """ "millions" after 2 and more, "million" after one (in French, below two)."""
    plural = lang.scales[scale]
    whole, _, fraction = amount.replace(lang.group_mark, "").partition(lang.decimal_mark)
    value = float(f"{whole or 0}.{fraction or 0}")
    if value == 1 or (lang.singular_below_two and value < 2):
        return lang.scale_singular.get(plural, plural)
    return plural


def _of(noun: str, lang: Language) -> str:
    """ "euros" after a scale word: "d'euros" (French), "de euros" (Spanish), "euros"."""
    if not lang.scale_of:
        return noun
    if lang.elides and noun[:1].lower() in "aeiouyéèêh":
        return f"{lang.scale_of[0]}'{noun}"
    return f"{lang.scale_of} {noun}"


def price_pattern(lang: Language) -> str:
    """A written price: a number with exactly two decimals ("2.50", "1 234,99")."""
    group, point = re.escape(lang.group_mark), re.escape(lang.decimal_mark)
    return rf"(?:[0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]+){point}[0-9]{{2}}"


def _currency_names(lang: Language) -> dict[str, str]:
    """Each currency's names, lower case, to its code: "dollars" -> "USD" (the
    first currency of that name). A name a unit shares is left out: "3.50
    pounds of flour" and "3,50 livres de farine" are weights, not prices."""
    shared = _unit_names(lang)
    names: dict[str, str] = {}
    for code, currency in lang.currencies.items():
        for name in (currency.one, currency.many):
            if name.lower() not in shared:
                names.setdefault(name.lower(), code)
    return names


def _unit_names(lang: Language) -> set[str]:
    """Every unit's singular and plural, lower case: "pound", "pounds", "livres"."""
    return {name.lower() for pair in lang.units.values() for name in pair}


def _money_name(match: re.Match[str], lang: Language) -> str:
    """ "2.50 dollars" -> "two dollars and fifty cents", as "$2.50" is said."""
    return _money(match, _currency_names(lang)[match["name"].lower()], lang)


def _money_symbol(match: re.Match[str], lang: Language) -> str:
    return _money(match, lang.currency_symbols[match["cur"]], lang)


def _money_code(match: re.Match[str], lang: Language) -> str:
    return _money(match, match["cur"].upper(), lang)


def _percent(match: re.Match[str], lang: Language) -> str:
    return f"{cardinal(match['n'], lang)} {lang.word('percent')}"


def _temperature(match: re.Match[str], lang: Language) -> str:
    scale = {"c": "celsius", "f": "fahrenheit"}.get((match["scale"] or "").lower())
    degrees = lang.word("degree" if is_one(match["n"]) else "degrees")
    said = counted(cardinal(match["n"], lang), degrees, lang)
    return f"{said} {lang.word(scale)}" if scale else said


def _unit(match: re.Match[str], lang: Language) -> str:
    one, many = lang.units[match["unit"]]
    if modifies_noun(match, lang):  # "a 10 km walk": "a ten kilometer walk"
        return f"{cardinal(match['n'], lang)} {one}"
    return counted(cardinal(match["n"], lang), one if is_one(match["n"]) else many, lang)


def _per_unit(match: re.Match[str], lang: Language) -> str:
    number = match["n"]
    said = lang.per_units[match["unit"]]
    if number is None:
        return said
    if is_one(number):
        # "one kilometer per hour": only the first noun is singular.
        first, _, rest = said.partition(" ")
        singular = next((one for one, many in lang.units.values() if many == first), first)
        said = f"{singular} {rest}"
    return f"{cardinal(number, lang)} {said}"


def _scaled(match: re.Match[str], lang: Language) -> str:
    amount = match["n"]
    scale_word = scale_name(amount, match["scale"], lang)
    number = cardinal(amount, lang)
    if amount.isdigit():
        return counted(number, scale_word, lang)  # "eine Million"
    return f"{number} {scale_word}"


def _decade_short(match: re.Match[str], lang: Language) -> str:
    return plural_of_number_word(integer(int(match["d"]), lang))


def _decade(match: re.Match[str], lang: Language) -> str:
    return plural_of_number_word(year(int(match["y"]), lang))


def _times(match: re.Match[str], lang: Language) -> str:
    return f"{cardinal(match['n'], lang)} {lang.word('times')}"


def _height(match: re.Match[str], lang: Language) -> str:
    return (
        f"{integer(int(match['ft']), lang)} {lang.word('foot')} {integer(int(match['in']), lang)}"
    )


def _ordinal(match: re.Match[str], lang: Language) -> str:
    return ordinal(int(match["n"]), lang)


def _slash_numbers(match: re.Match[str], lang: Language) -> str:
    text = match[0]
    if text in lang.slash_idioms:
        return lang.slash_idioms[text]
    top, bottom = int(match["a"]), int(match["b"])
    if 0 < top < bottom and bottom in lang.fractions:
        one, many = lang.fractions[bottom]
        return f"{integer(top, lang)} {one if top == 1 else many}"
    if len(match["a"]) == 4 and len(match["b"]) == 2 and 1000 <= top <= 2099:
        # A season or fiscal year: 2023/24.
        return f"{year(top, lang)} {lang.word('to')} {integer(bottom, lang)}"
    # "8/10" is a rating far more often than eight tenths.
    word = "out of" if top <= bottom else "over"
    return f"{integer(top, lang)} {lang.word(word)} {integer(bottom, lang)}"


def _grouped(text: str, lang: Language) -> bool:
    """ "85.000" is a number where a dot groups thousands (German, Spanish...), not a version."""
    return lang.group_mark == "." and re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", text) is not None


def _version(match: re.Match[str], lang: Language) -> str:
    name = match["name"] or ""
    if _grouped(match["v"], lang) and name.strip().lower() not in ("v", "version", "release"):
        return name + say_count(match["v"], match.string, match.span("v"), lang)
    parts = match["v"].split(".")
    point = f" {lang.word('point')} "
    if len(parts) == 2 and (
        name.strip().lower() in lang.function_words or _before_a_measure(match, lang)
    ):
        # "In 3.25 hours", "Buy 3.50 pounds of flour": a capitalised first word
        # is not a product's name.
        return name + cardinal(match["v"], lang)
    if name.strip().lower() == "v":
        name = lang.word("version") + " "
    return name + point.join(cardinal(p, lang) for p in parts)


def _before_a_measure(match: re.Match[str], lang: Language) -> bool:
    """Whether a unit's or a currency's name follows: the number is an amount."""
    after = next_word(match.string[match.end() :])
    if after is None:
        return False
    word = after.lower()
    return word in _unit_names(lang) or word in _currency_names(lang)


ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def roman_value(text: str) -> int | None:
    """Value of a Roman numeral made of I, V and X, or None when it is not well formed."""
    total = 0
    for index, char in enumerate(text):
        value = ROMAN_VALUES[char]
        following = ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total if 1 <= total <= 39 and to_roman(total) == text else None


def to_roman(value: int) -> str:
    ones = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    return "X" * (value // 10) + ones[value % 10]


def _roman(match: re.Match[str], lang: Language) -> str:
    value = roman_value(match["r"])
    return match[0] if value is None else f"{match['before']}{integer(value, lang)}"


def _year(match: re.Match[str], lang: Language) -> str:
    if lang.agreement:  # "1200 personas": a count, said as one ("mil doscientas")
        said = integer(int(match["y"]), lang)
        before, after = match.string[: match.start()], match.string[match.end() :]
        agreed = agree_in_text(said, match["y"], before, after, lang.agreement)
        if agreed != said:
            return agreed
    return year(int(match["y"]), lang)


def _number(match: re.Match[str], lang: Language) -> str:
    text = match["n"]
    if text.isdigit() and len(text) >= CODE_DIGITS:
        return digits(text, lang)
    sign = match["sign"]
    if sign:
        return f"{lang.word('plus' if sign == '+' else 'minus')} {cardinal(text, lang)}"
    return say_count(text, match.string, match.span("n"), lang)


def say_count(written: str, sentence: str, span: tuple[int, int], lang: Language) -> str:
    """A number as a count of the words after it: "veintiún años", "seiscientas tazas",
    "quatre-vingt-cinq millions d'habitants"."""
    said = cardinal(written, lang)
    before, after = sentence[: span[0]], sentence[span[1] :]
    if lang.agreement:
        digits_only = written.replace(lang.group_mark, "")
        said = agree_in_text(said, digits_only, before, after, lang.agreement)
    return said + _scale_link(said, after, lang)


def _scale_link(said: str, after: str, lang: Language) -> str:
    """ "85 000 000 habitants": "quatre-vingt-cinq millions d'habitants" (a number that
    ends in millions takes "de" before its noun in French, Spanish, Italian, Portuguese)."""
    if not lang.scale_of or said.rpartition(" ")[2] not in _scale_words(lang):
        return ""
    noun = next_word(after)
    if noun is None or not noun.islower() or noun in _no_link(lang):
        return ""
    return " " + _of(noun, lang).removesuffix(noun)


def _scale_words(lang: Language) -> frozenset[str]:
    """The millions and milliards: "mil", "mille" take no "de"."""
    return frozenset(lang.scale_singular) | frozenset(lang.scale_singular.values())


def _no_link(lang: Language) -> frozenset[str]:
    words = lang.agreement.not_nouns if lang.agreement else frozenset()
    return words | {lang.scale_of} | frozenset(lang.scales.values())


def _word(key: str) -> Callable[[re.Match[str], Language], str]:
    def say(_match: re.Match[str], lang: Language) -> str:
        return f" {lang.word(key)} "

    return say


def _either(match: re.Match[str], lang: Language) -> str:
    return f"{match['a']} {lang.word('or')} {match['b']}"


# --- acronyms (the policy is in acronyms.py) ------------------------------------


def _acronym(match: re.Match[str], lang: Language) -> str:
    letters, plural = match["w"], match["s"]
    if shouting(match.string) and letters not in lang.acronym_said:
        return match[0]
    said = say_acronym(letters, lang)
    return plural_of(said) if plural else said


def month_pattern(lang: Language) -> str:
    """A month's name or abbreviation, as group "month".

    Capitalised only in English ("may" and "march" are verbs too). Only an
    abbreviation takes a dot ("Sept."): after a full name ("on 1 September.")
    the dot ends the sentence and must stay in the speech, or the engine runs
    the sentence into the next.
    """
    names = sorted(lang.month_abbreviations, key=len, reverse=True)
    full = {m.lower() for m in lang.months}
    if lang.months[0].islower():  # French, Spanish...: "le 3 mars", never capitalised
        whole = _alternatives(n for n in names if n in full)
        short = _alternatives(n for n in names if n not in full)
        return rf"(?P<month>{whole}|(?:{short})\.?)(?!\w)"
    whole = "|".join(re.escape(n.capitalize()) for n in names if n in full)
    short = "|".join(re.escape(n.capitalize()) for n in names if n not in full)
    return rf"(?P<month>(?=[A-Z])(?:(?:{whole})(?!\w)|(?:{short})\.?))"  # lookahead: fast failure


def standard_rules(lang: Language) -> tuple[Rule, ...]:
    """The ordered rule table for ``lang`` (see the module docstring for the order)."""
    num = number_pattern(lang)  # never part of a word ("MP3")
    month = month_pattern(lang)
    day = rf"(?P<d>[0-9]{{1,2}})(?:{lang.ordinal_marks})?"
    first = "".join(sorted({re.escape(symbol[0]) for symbol in lang.currency_symbols}))
    symbols = rf"(?=[{first}])(?:{_alternatives(lang.currency_symbols)})"
    codes = _alternatives(lang.currencies)
    scales = _alternatives(lang.scales)
    units = _alternatives(lang.units)
    per_units = _alternatives(lang.per_units)
    scale_after = rf"(?:\s?(?P<scale>{scales})(?![\w]))?"
    table: tuple[tuple[str, str, Callable[[re.Match[str], Language], str], int], ...] = (
        # 0. names written with symbols: "C#" is "C sharp", not "C"
        (
            "named",
            rf"(?<![\w#+.])(?:{_alternatives(lang.named)})(?![\w#+])",
            lambda m, lang: lang.named[m[0]],
            0,
        ),
        # 1. addresses
        ("email", r"(?P<user>[\w.+\-]+)@(?P<host>[\w\-]+(?:\.[\w\-]+)+)", _email, 0),
        (
            "url",
            r"\b(?:(?:https?|ftp)://|www\.)(?P<host>[\w\-]+(?:\.[\w\-]+)*)"
            r"(?::[0-9]+)?(?P<path>[/?#][^\s<>\"]*[^\s<>\".,;:!?)\]])?/?",
            _url,
            re.I,
        ),
        (
            "domain",
            rf"(?<![\w@.\-])(?P<host>(?:[A-Za-z0-9][\w\-]*\.)+(?:{TLDS}))\b"
            r"(?P<path>/[^\s<>\"]*[^\s<>\".,;:!?)\]])?/?",
            _url,
            0,  # lower-case top-level domain only: "ASP.NET" is not an address
        ),
        ("handle", r"(?<![\w@])@(?P<name>[A-Za-z_][\w]*)", _handle, 0),
        ("number sign", r"(?<![\w&])#\s?(?P<n>[0-9]+)\b", _number_sign, 0),
        ("hashtag", r"(?<![\w&])#(?P<tag>[^\W\d]\w*)", _hashtag, 0),
        # 2. numbers with a fixed shape
        ("No.", r"\b[Nn]o\.\s?(?P<n>[0-9]+)\b", _number_sign, 0),
        ("page", r"\b(?P<p>pp?)\.\s?(?P<n>[0-9])", _page, 0),
        ("phone", PHONE, say_phone, 0),
        (
            "ISO date",
            rf"{START}(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{2}})-(?P<d>[0-9]{{2}}){END}",
            _iso_date,
            0,
        ),
        (
            "numeric date",
            rf"{START}(?P<a>[0-9]{{1,2}})[/.](?P<b>[0-9]{{1,2}})[/.](?P<y>[0-9]{{4}}|[0-9]{{2}}){END}",
            _numeric_date,
            0,
        ),
        ("month day", rf"\b{month}\s{day}(?:,?\s(?P<y>[0-9]{{4}}))?{END}", _month_day, 0),
        (
            "day month",
            rf"{START}{day}(?:\sof)?\s{month}(?:,?\s(?P<y>[0-9]{{4}}))?{END}",
            _day_month,
            0,
        ),
        ("month year", rf"\b{month}\s(?P<y>[0-9]{{4}}){END}", _month_year, 0),
        (
            "clock",
            rf"{START}(?P<h>[0-9]{{1,2}}):(?P<m>[0-9]{{2}})(?::(?P<s>[0-9]{{2}}))?"
            r"(?:\s?(?P<ampm>[ap]\.?m\.?))?(?![\w:])",
            _clock,
            re.I,
        ),
        ("hour", rf"{START}(?P<h>1[0-2]|0?[1-9])\s?(?P<ampm>[ap]\.?m\.?)(?!\w)", _hour, re.I),
        # 3. ranges keep their digits for the amounts below
        (
            "range",
            rf"(?<![\w.,\-])(?P<a>{num})\s?(?:[–—]|-(?=[0-9]))\s?(?P<b>{num})(?![\-]?[0-9])",
            _range,
            0,
        ),
        ("dimensions", rf"{START}(?P<a>{num})\s?[x×]\s?(?P<b>{num}){END}", _dimensions, 0),
        ("sign", r"(?<![\w.,)\]])(?P<sign>[+\-−])(?=[0-9])", _sign, 0),
        ("ratio", rf"{START}(?P<a>[0-9]+):(?P<b>[0-9]+)(?![\w:])", _range, 0),
        # 4. amounts
        ("currency", rf"(?P<cur>{symbols})\s?(?P<n>{num}){scale_after}", _money_symbol, 0),
        ("currency code", rf"\b(?P<cur>{codes})\s?(?P<n>{num}){scale_after}", _money_code, 0),
        (
            "currency after",
            rf"{START}(?P<n>{num}){scale_after}\s?(?P<cur>{codes})\b",
            _money_code,
            0,
        ),
        (
            "currency symbol after",
            rf"{START}(?P<n>{num}){scale_after}\s?(?P<cur>{symbols})(?!\w)",
            _money_symbol,
            0,
        ),
        (
            "currency name",
            rf"{START}(?P<n>{price_pattern(lang)})\s(?P<name>{_alternatives(_currency_names(lang))})\b",
            _money_name,
            re.I,
        ),
        ("percent", rf"{START}(?P<n>{num})\s?%", _percent, 0),
        ("temperature", rf"{START}(?P<n>{num})\s?°(?:\s?(?P<scale>[CF])(?!\w))?", _temperature, 0),
        (
            "per unit",
            rf"(?:{START}(?P<n>{num})\s?)?(?<![\w/])(?P<unit>{per_units})(?![\w/])",
            _per_unit,
            0,
        ),
        ("unit", rf"{START}(?P<n>{num})\s?(?P<unit>{units})(?![\w/])", _unit, 0),
        ("scaled", rf"{START}(?P<n>{num})\s?(?P<scale>{scales})(?![\w])", _scaled, 0),
        ("short year", r"(?<!\w)['‘’](?P<y>[0-9]{2})(?![\w'’])", _short_year, 0),
        ("decade short", r"(?<![\w])['‘’](?P<d>[0-9]0)s\b", _decade_short, 0),
        ("decade", rf"{START}(?P<y>1[0-9][0-9]0|20[0-9]0)['’]?s\b", _decade, 0),
        ("height", rf"{START}(?P<ft>[0-9])['’]\s?(?P<in>1[01]|[0-9])(?:\"|''|”)", _height, 0),
        (
            "bare version",
            r"\bv(?P<n>[0-9]+)\b",
            lambda m, lang: f"{lang.word('version')} {m['n']}",
            0,
        ),
        ("times", rf"{START}(?P<n>{num})[x×](?!\w)", _times, 0),
        ("ordinal", rf"{START}(?P<n>[0-9]+)(?:{lang.ordinal_marks})\b", _ordinal, re.I),
        (
            "slash idiom",
            rf"(?<![\w/])(?:{_alternatives(lang.slash_idioms)})(?![\w/])",
            lambda m, lang: lang.slash_idioms[m[0]],
            0,
        ),
        ("slash numbers", rf"{START}(?P<a>[0-9]+)/(?P<b>[0-9]+){END}", _slash_numbers, 0),
        (
            "version",
            r"(?P<name>\b(?:[Vv]ersion|[Rr]elease|[A-Z][A-Za-z+#]*)\s|\bv)"
            r"(?P<v>[0-9]+(?:\.[0-9]+)+)(?![\w]|\.[0-9])"
            r"|(?<![\w.])(?P<vv>[0-9]+(?:\.[0-9]+){2,})(?![\w]|\.[0-9])",
            lambda m, lang: _version_or_dotted(m, lang),
            0,
        ),
        ("roman numeral", r"(?P<before>\b[A-Z][a-z]+\s)(?P<r>[IVX]{2,})\b", _roman, 0),
        ("year", r"(?<![\w.,\-])(?P<y>1[1-9][0-9]{2}|20[0-9]{2})(?![\w]|[.,][0-9])", _year, 0),
        ("number", rf"{START}(?:(?P<sign>[+\-−])(?=[0-9]))?(?P<n>{num})(?!\w)", _number, 0),
        # 5. symbols left between words
        ("word range", r"(?<=\w)–(?=\w)", lambda m, lang: f" {lang.word('to')} ", 0),  # Mon–Fri
        ("dash", r"\s*(?:[—–]|-{2,})\s*", lambda m, lang: ", ", 0),  # a pause, as a comma gives
        ("plus-minus", r"\s?±\s?", _word("plus or minus"), 0),
        ("ampersand", r"\s*&\s*", _word("and"), 0),
        ("plus", r"\+", _word("plus"), 0),
        ("equals", r"\s?=\s?", _word("equals"), 0),
        ("percent sign", r"%", _word("percent"), 0),
        ("degree sign", r"°", _word("degrees"), 0),
        ("at sign", r"@", _word("at"), 0),
        ("either", r"(?P<a>\b[A-Za-z]*[a-z])/(?P<b>[a-z]+\b)", _either, 0),
        # 6. acronyms
        ("acronym", r"\b(?P<w>[A-Z]{2,})(?P<s>s)?\b", _acronym, 0),
    )
    rules = tuple(
        Rule(name, re.compile(pattern, flags), handler, _needs(name))
        for name, pattern, handler, flags in table
    )
    return lang.extra_rules + rules


# Rules that cannot match without a digit somewhere in the text.
NUMBER_RULES = frozenset(
    (
        "No.", "number sign", "page", "phone", "sign", "ratio", "short year", "ISO date",
        "numeric date", "month day", "day month", "month year", "clock", "hour", "range",
        "dimensions", "currency", "currency code", "currency after", "currency symbol after",
        "currency name",
        "percent", "temperature", "unit", "scaled", "decade short", "decade", "height",
        "bare version", "times", "ordinal", "slash numbers", "version", "year", "number",
    )
)  # fmt: skip
NEEDS = {
    "currency": "[$€£¥₹₩₽]",
    "currency symbol after": "[$€£¥₹₩₽]",
    "currency code": "[A-Z]{3}",
    "currency after": "[A-Z]{3}",
    "percent": "%",
    "temperature": "°",
    "clock": "[0-9]:[0-9]",
    "phone": r"[0-9][ .)/-][0-9]|\+[0-9]",
    "email": "@",
    "handle": "@",
    "at sign": "@",
    "url": r"(?i)://|www\.",
    "domain": r"\.[A-Za-z]",
    "hashtag": "#",
    "per unit": "/",
    "slash idiom": "/",
    "either": "/",
    "roman numeral": "[IVX]{2}",
    "acronym": "[A-Z]{2}",
}


def _needs(name: str) -> re.Pattern[str] | None:
    if name in NEEDS:  # the more specific test first
        return re.compile(NEEDS[name])
    return re.compile("[0-9]") if name in NUMBER_RULES else None


def _version_or_dotted(match: re.Match[str], lang: Language) -> str:
    dotted = match["vv"]
    if dotted is None:
        return _version(match, lang)
    if _grouped(dotted, lang):
        return say_count(dotted, match.string, match.span("vv"), lang)
    parts = dotted.split(".")
    if len(parts) == 4 and all(int(p) <= 255 for p in parts):
        # An IP address: digit by digit, "one nine two dot one six eight..."
        return f" {lang.word('dot')} ".join(digits(p, lang) for p in parts)
    return f" {lang.word('point')} ".join(cardinal(p, lang) for p in parts)
