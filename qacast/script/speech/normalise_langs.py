"""Speech tables for French, Spanish, German, Italian, Portuguese and Dutch.

Each is a ``Language`` (see normalise_lang.py): num2words says the numbers
with the language's ``lang=``, and the tables below give the words around
them. All six write a decimal comma ("3,5"); French groups thousands with a
space ("85 000"), the others with a dot ("85.000"). Dates are said the way
each language reads them aloud: day first, as a cardinal except the first
of the month in French ("le premier mars").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from qacast.script.speech import agreement_langs
from qacast.script.speech.normalise_en import TLDS_SAID
from qacast.script.speech.normalise_lang import (
    Currency,
    Language,
    Rule,
    cardinal,
    ordinal,
    year,
)

SayDate = Callable[[Language, int | None, int, int | None, bool], str]

# The keys every language's ``words`` has (normalise_en.WORDS lists them in English).
_WORD_KEYS = [
    "and",
    "or",
    "to",
    "by",
    "over",
    "point",
    "percent",
    "plus",
    "minus",
    "equals",
    "number",
    "page",
    "pages",
    "at",
    "dot",
    "hashtag",
    "degree",
    "degrees",
    "celsius",
    "fahrenheit",
    "am",
    "pm",
    "oh",
    "oclock",
    "hundred",
    "version",
    "times",
    "foot",
    "of",
    "the",
]


def _words(said: str, plus_or_minus: str, out_of: str, slash: str) -> dict[str, str]:
    values = said.split("|")
    assert len(values) == len(_WORD_KEYS), len(values)
    return {
        **dict(zip(_WORD_KEYS, values, strict=True)),
        "plus or minus": plus_or_minus,
        "out of": out_of,
        "slash": slash,
    }


def _cues(words: str) -> frozenset[str]:
    return frozenset(words.split())


# num2words says the number before "mil"/"millones" in its bare form, where
# it takes the short one: "veintiuno mil" is "veintiún mil", "ventunomila"
# is "ventunmila", "einstausend" is "eintausend".
_ES_BEFORE_THOUSANDS = re.compile(r"\b(veinti)?uno(?= (?:mil|millones|billones|trillones)\b)")
_IT_BEFORE_THOUSANDS = re.compile(r"uno(?=mila\b| milioni\b| miliardi\b)")
_DE_BEFORE_THOUSANDS = re.compile(r"eins(?=tausend| Million| Milliard)")


def _spanish_numbers(words: str) -> str:
    return _ES_BEFORE_THOUSANDS.sub(lambda m: "veintiún" if m[1] else "un", words)


def _italian_numbers(words: str) -> str:
    return _IT_BEFORE_THOUSANDS.sub("un", words)


def _german_numbers(words: str) -> str:
    return _DE_BEFORE_THOUSANDS.sub("ein", words)


def _months(names: str) -> tuple[str, ...]:
    months = tuple(names.split())
    assert len(months) == 12
    return months


def _abbreviations(months: tuple[str, ...], extra: Mapping[str, int]) -> dict[str, int]:
    table = {name.lower(): number for number, name in enumerate(months, start=1)}
    return {**table, **extra}


def _units(pairs: str) -> dict[str, tuple[str, str]]:
    """ "km=kilomètre/kilomètres; ..." -> {"km": ("kilomètre", "kilomètres")}."""
    table: dict[str, tuple[str, str]] = {}
    for entry in pairs.split(";"):
        symbol, _, names = entry.strip().partition("=")
        one, _, many = names.partition("/")
        table[symbol] = (one, many or one)
    return table


def _date(the: str, of: str, first_ordinal: bool) -> SayDate:
    """A ``say_date`` for a language that reads "[the] day [of] month [of] year"."""

    def say(
        lang: Language, day: int | None, month: int, year_number: int | None, _day_first: bool
    ) -> str:
        name = lang.months[month - 1]
        said = name
        if day is not None:
            number = ordinal(day, lang) if day == 1 and first_ordinal else cardinal(str(day), lang)
            said = " ".join(w for w in (the, number, of, name) if w)
        if year_number is not None:
            said = " ".join(w for w in (said, of, year(year_number, lang)) if w)
        return said

    return say


SYMBOLS = {"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "CHF": "CHF", "R$": "BRL"}

FR = Language(
    num2words_lang="fr",
    words=_words(
        "et|ou|à|par|sur|virgule|pour cent|plus|moins|égale|numéro|page|pages|arobase|point"
        "|dièse|degré|degrés|Celsius|Fahrenheit|du matin|de l'après-midi|zéro|heures|heures"
        "|version|fois|pied|de|le",
        "plus ou moins",
        "sur",
        "slash",
    ),
    currencies={
        "EUR": Currency("euro", "euros", "centime", "centimes"),
        "USD": Currency("dollar", "dollars", "cent", "cents"),
        "GBP": Currency("livre", "livres", "penny", "pence"),
        "JPY": Currency("yen", "yens"),
        "CHF": Currency("franc suisse", "francs suisses", "centime", "centimes"),
        "CAD": Currency("dollar canadien", "dollars canadiens", "cent", "cents"),
        "BRL": Currency("réal", "réais", "centavo", "centavos"),
    },
    currency_symbols=SYMBOLS,
    units=_units(
        "km=kilomètre/kilomètres; m=mètre/mètres; cm=centimètre/centimètres;"
        " mm=millimètre/millimètres; kg=kilogramme/kilogrammes; g=gramme/grammes;"
        " t=tonne/tonnes; l=litre/litres; L=litre/litres; ml=millilitre/millilitres;"
        " h=heure/heures; min=minute/minutes; s=seconde/secondes; ha=hectare/hectares;"
        " Go=gigaoctet/gigaoctets; Mo=mégaoctet/mégaoctets; kW=kilowatt/kilowatts;"
        " kWh=kilowattheure/kilowattheures; W=watt/watts; km²=kilomètre carré/kilomètres carrés;"
        " m²=mètre carré/mètres carrés; lb=livre/livres"
    ),
    per_units={"km/h": "kilomètres par heure", "m/s": "mètres par seconde"},
    scales={
        "k": "mille",
        "M": "millions",
        "millions": "millions",
        "Md": "milliards",
        "milliards": "milliards",
    },
    months=(
        months_fr := _months(
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
        )
    ),
    month_abbreviations=_abbreviations(months_fr, {"janv": 1, "févr": 2, "sept": 9, "oct": 10}),
    fractions={2: ("demi", "demis"), 3: ("tiers", "tiers"), 4: ("quart", "quarts")},
    slash_idioms={"24/7": "vingt-quatre heures sur vingt-quatre", "7/7": "sept jours sur sept"},
    acronym_words=frozenset({"ONU", "OTAN", "UNESCO", "NASA", "SIDA"}),
    acronym_said={"SNCF": "S-N-C-F"},
    named={"C#": "C dièse"},
    tlds_said=TLDS_SAID,
    function_words=frozenset(
        [
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "du",
            "de",
            "en",
            "à",
            "au",
            "aux",
            "dans",
            "sur",
            "sous",
            "et",
            "ou",
            "avec",
            "pour",
            "par",
            "il",
            "elle",
            "nous",
            "vous",
            "ils",
            "elles",
        ]
    ),
    say_date=_date("le", "", True),
    group_mark=" ",
    decimal_mark=",",
    day_first=True,
    ordinal_marks="er|re|ère|ème|èmes|e|es",
    agreement=agreement_langs.FR,
    scale_singular={"millions": "million", "milliards": "milliard"},
    scale_of="de",
    elides=True,
    singular_below_two=True,
    phone_groups_as_numbers=True,
    phone_cues=_cues("appelez appeler appelle composez numéro téléphone tél tel fax ligne"),
    decimals_as_number=True,
)

ES = Language(
    num2words_lang="es",
    words=_words(
        "y|o|a|por|sobre|coma|por ciento|más|menos|igual a|número|página|páginas|arroba|punto"
        "|almohadilla|grado|grados|Celsius|Fahrenheit|de la mañana|de la tarde|cero|en punto"
        "|horas|versión|veces|pie|de|el",
        "más o menos",
        "de",
        "barra",
    ),
    currencies={
        "EUR": Currency("euro", "euros", "céntimo", "céntimos"),
        "USD": Currency("dólar", "dólares", "centavo", "centavos"),
        "GBP": Currency("libra", "libras", "penique", "peniques"),
        "JPY": Currency("yen", "yenes"),
        "MXN": Currency("peso", "pesos", "centavo", "centavos"),
        "CHF": Currency("franco suizo", "francos suizos", "céntimo", "céntimos"),
        "BRL": Currency("real", "reales", "centavo", "centavos"),
    },
    currency_symbols=SYMBOLS,
    units=_units(
        "km=kilómetro/kilómetros; m=metro/metros; cm=centímetro/centímetros;"
        " mm=milímetro/milímetros; kg=kilo/kilos; g=gramo/gramos; t=tonelada/toneladas;"
        " l=litro/litros; L=litro/litros; ml=mililitro/mililitros; h=hora/horas;"
        " min=minuto/minutos; s=segundo/segundos; ha=hectárea/hectáreas;"
        " GB=gigabyte/gigabytes; MB=megabyte/megabytes; kW=kilovatio/kilovatios;"
        " kWh=kilovatio hora/kilovatios hora; W=vatio/vatios;"
        " km²=kilómetro cuadrado/kilómetros cuadrados; m²=metro cuadrado/metros cuadrados;"
        " lb=libra/libras"
    ),
    per_units={"km/h": "kilómetros por hora", "m/s": "metros por segundo"},
    scales={"mil": "mil", "M": "millones", "millones": "millones"},
    months=(
        months_es := _months(
            "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
            " diciembre"
        )
    ),
    month_abbreviations=_abbreviations(months_es, {"ene": 1, "feb": 2, "sept": 9, "dic": 12}),
    fractions={2: ("medio", "medios"), 3: ("tercio", "tercios"), 4: ("cuarto", "cuartos")},
    slash_idioms={"24/7": "veinticuatro siete"},
    acronym_words=frozenset({"ONU", "OTAN", "UNESCO", "NASA", "OVNI"}),
    acronym_said={"EE. UU.": "Estados Unidos"},
    named={"C#": "C sharp"},
    tlds_said=TLDS_SAID,
    function_words=frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "un",
            "una",
            "de",
            "del",
            "en",
            "a",
            "al",
            "con",
            "por",
            "para",
            "y",
            "o",
            "que",
            "él",
            "ella",
            "nosotros",
            "ellos",
        ]
    ),
    say_date=_date("el", "de", False),
    group_mark=".",
    decimal_mark=",",
    day_first=True,
    agreement=agreement_langs.ES,
    number_words=_spanish_numbers,
    scale_singular={"millones": "millón"},
    scale_of="de",
    phone_cues=_cues("llame llamar llama llamen marque número teléfono tel tlf fax línea"),
    decimals_as_number=True,
)


def _day_de(day: int, lang: Language, nominative: bool) -> str:
    """A German date's day is an ordinal: "am ersten September", "der erste September"."""
    said = ordinal(day, lang)
    return said if nominative else f"{said}n"


def _say_date_de(
    lang: Language, day: int | None, month: int, year_number: int | None, _day_first: bool
) -> str:
    said = lang.months[month - 1]
    if day is not None:
        said = f"{_day_de(day, lang, False)} {said}"
    return f"{said} {year(year_number, lang)}" if year_number is not None else said


def _german_dotted_day(match: re.Match[str], lang: Language) -> str:
    """ "am 1. September 2024": the dot marks the ordinal, and is not a full stop."""
    day = int(match["d"])
    month = lang.month_abbreviations.get(match["month"].lower().rstrip("."))
    if not 1 <= day <= 31 or month is None:
        return match[0]
    nominative = re.search(r"\b[Dd]er\s*$", match.string[: match.start()]) is not None
    said = f"{_day_de(day, lang, nominative)} {lang.months[month - 1]}"
    return f"{said} {year(int(match['y']), lang)}" if match["y"] else said


def _german_rules(months: tuple[str, ...], short: tuple[str, ...]) -> tuple[Rule, ...]:
    names = "|".join(sorted(months, key=len, reverse=True))
    abbreviations = "|".join(sorted((s.capitalize() for s in short), key=len, reverse=True))
    pattern = (
        rf"(?<![\w.,])(?P<d>[0-9]{{1,2}})\.\s?(?P<month>(?:{names})(?!\w)|(?:{abbreviations})\.?)"
        r"(?:\s(?P<y>[0-9]{4})(?![\w]|[.,][0-9]))?"
    )
    return (Rule("dotted day", re.compile(pattern), _german_dotted_day, re.compile(r"[0-9]\.")),)


DE = Language(
    num2words_lang="de",
    words=_words(
        "und|oder|bis|mal|über|Komma|Prozent|plus|minus|gleich|Nummer|Seite|Seiten|at|Punkt"
        "|Hashtag|Grad|Grad|Celsius|Fahrenheit|morgens|nachmittags|null|Uhr|Uhr|Version|mal"
        "|Fuß|von|der",
        "plus minus",
        "von",
        "Schrägstrich",
    ),
    currencies={
        "EUR": Currency("Euro", "Euro", "Cent", "Cent"),
        "USD": Currency("Dollar", "Dollar", "Cent", "Cent"),
        "GBP": Currency("Pfund", "Pfund", "Penny", "Pence"),
        "JPY": Currency("Yen", "Yen"),
        "CHF": Currency("Franken", "Franken", "Rappen", "Rappen"),
    },
    currency_symbols=SYMBOLS,
    units=_units(
        "km=Kilometer; m=Meter; cm=Zentimeter; mm=Millimeter; kg=Kilogramm; g=Gramm;"
        " t=Tonne/Tonnen; l=Liter; L=Liter; ml=Milliliter; h=Stunde/Stunden;"
        " min=Minute/Minuten; s=Sekunde/Sekunden; ha=Hektar; GB=Gigabyte; MB=Megabyte;"
        " kW=Kilowatt; kWh=Kilowattstunde/Kilowattstunden; W=Watt;"
        " km²=Quadratkilometer; m²=Quadratmeter; lb=Pfund"
    ),
    per_units={"km/h": "Kilometer pro Stunde", "m/s": "Meter pro Sekunde"},
    scales={
        "Tsd.": "tausend",
        "Mio.": "Millionen",
        "Mio": "Millionen",
        "Mrd.": "Milliarden",
        "Mrd": "Milliarden",
        "Millionen": "Millionen",
        "Milliarden": "Milliarden",
    },
    months=(
        months_de := _months(
            "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
        )
    ),
    month_abbreviations=_abbreviations(months_de, {"jan": 1, "feb": 2, "sept": 9, "dez": 12}),
    fractions={2: ("halb", "halbe"), 3: ("Drittel", "Drittel"), 4: ("Viertel", "Viertel")},
    slash_idioms={"24/7": "rund um die Uhr"},
    acronym_words=frozenset({"NATO", "UNESCO", "NASA", "DAX", "TÜV"}),
    acronym_said={"ZDF": "Z-D-F"},
    named={"C#": "C sharp"},
    tlds_said=TLDS_SAID,
    function_words=frozenset(
        [
            "der",
            "die",
            "das",
            "ein",
            "eine",
            "in",
            "im",
            "am",
            "an",
            "auf",
            "mit",
            "von",
            "zu",
            "und",
            "oder",
            "er",
            "sie",
            "es",
            "wir",
            "ihr",
        ]
    ),
    say_date=_say_date_de,
    group_mark=".",
    decimal_mark=",",
    day_first=True,
    extra_rules=_german_rules(months_de, ("jan", "feb", "sept", "dez", "okt", "nov", "aug")),
    agreement=agreement_langs.DE,
    number_words=_german_numbers,
    scale_singular={"Millionen": "Million", "Milliarden": "Milliarde"},
    phone_cues=_cues("rufen ruf anrufen telefon telefonnummer nummer tel fax wählen"),
)

IT = Language(
    num2words_lang="it",
    words=_words(
        "e|o|a|per|su|virgola|per cento|più|meno|uguale a|numero|pagina|pagine|chiocciola"
        "|punto|cancelletto|grado|gradi|Celsius|Fahrenheit|del mattino|del pomeriggio|zero"
        "|in punto|ore|versione|volte|piede|di|il",
        "più o meno",
        "su",
        "barra",
    ),
    currencies={
        "EUR": Currency("euro", "euro", "centesimo", "centesimi"),
        "USD": Currency("dollaro", "dollari", "centesimo", "centesimi"),
        "GBP": Currency("sterlina", "sterline", "penny", "pence"),
        "JPY": Currency("yen", "yen"),
        "CHF": Currency("franco svizzero", "franchi svizzeri", "centesimo", "centesimi"),
    },
    currency_symbols=SYMBOLS,
    units=_units(
        "km=chilometro/chilometri; m=metro/metri; cm=centimetro/centimetri;"
        " mm=millimetro/millimetri; kg=chilo/chili; g=grammo/grammi; t=tonnellata/tonnellate;"
        " l=litro/litri; L=litro/litri; ml=millilitro/millilitri; h=ora/ore;"
        " min=minuto/minuti; s=secondo/secondi; ha=ettaro/ettari; GB=gigabyte; MB=megabyte;"
        " kW=chilowatt; kWh=chilowattora/chilowattora; W=watt;"
        " km²=chilometro quadrato/chilometri quadrati; m²=metro quadrato/metri quadrati"
    ),
    per_units={"km/h": "chilometri orari", "m/s": "metri al secondo"},
    scales={
        "mila": "mila",
        "mln": "milioni",
        "milioni": "milioni",
        "mld": "miliardi",
        "miliardi": "miliardi",
    },
    months=(
        months_it := _months(
            "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre"
            " novembre dicembre"
        )
    ),
    month_abbreviations=_abbreviations(months_it, {"gen": 1, "feb": 2, "sett": 9, "dic": 12}),
    fractions={2: ("mezzo", "mezzi"), 3: ("terzo", "terzi"), 4: ("quarto", "quarti")},
    slash_idioms={"24/7": "ventiquattro ore su ventiquattro"},
    acronym_words=frozenset({"ONU", "NATO", "UNESCO", "NASA", "FIAT"}),
    acronym_said={"RAI": "Rai"},
    named={"C#": "C sharp"},
    tlds_said=TLDS_SAID,
    function_words=frozenset(
        [
            "il",
            "lo",
            "la",
            "i",
            "gli",
            "le",
            "un",
            "una",
            "di",
            "del",
            "della",
            "in",
            "a",
            "al",
            "con",
            "per",
            "e",
            "o",
            "lui",
            "lei",
            "noi",
            "voi",
            "loro",
        ]
    ),
    say_date=_date("il", "", True),
    group_mark=".",
    decimal_mark=",",
    day_first=True,
    agreement=agreement_langs.IT,
    number_words=_italian_numbers,
    scale_singular={"milioni": "milione", "miliardi": "miliardo"},
    scale_of="di",
    phone_cues=_cues("chiama chiamare chiamate numero telefono tel fax"),
    decimals_as_number=True,
)

PT = Language(
    num2words_lang="pt",
    words=_words(
        "e|ou|a|por|sobre|vírgula|por cento|mais|menos|igual a|número|página|páginas|arroba"
        "|ponto|cardinal|grau|graus|Celsius|Fahrenheit|da manhã|da tarde|zero|em ponto|horas"
        "|versão|vezes|pé|de|o",
        "mais ou menos",
        "em",
        "barra",
    ),
    currencies={
        "EUR": Currency("euro", "euros", "cêntimo", "cêntimos"),
        "USD": Currency("dólar", "dólares", "cêntimo", "cêntimos"),
        "GBP": Currency("libra", "libras", "péni", "pence"),
        "JPY": Currency("iene", "ienes"),
        "BRL": Currency("real", "reais", "centavo", "centavos"),
        "CHF": Currency("franco suíço", "francos suíços", "cêntimo", "cêntimos"),
    },
    currency_symbols=SYMBOLS,
    units=_units(
        "km=quilómetro/quilómetros; m=metro/metros; cm=centímetro/centímetros;"
        " mm=milímetro/milímetros; kg=quilo/quilos; g=grama/gramas; t=tonelada/toneladas;"
        " l=litro/litros; L=litro/litros; ml=mililitro/mililitros; h=hora/horas;"
        " min=minuto/minutos; s=segundo/segundos; ha=hectare/hectares; GB=gigabyte/gigabytes;"
        " MB=megabyte/megabytes; kW=quilowatt/quilowatts; kWh=quilowatt-hora/quilowatts-hora;"
        " W=watt/watts; km²=quilómetro quadrado/quilómetros quadrados;"
        " m²=metro quadrado/metros quadrados; lb=libra/libras"
    ),
    per_units={"km/h": "quilómetros por hora", "m/s": "metros por segundo"},
    scales={"mil": "mil", "M": "milhões", "milhões": "milhões", "mil milhões": "mil milhões"},
    months=(
        months_pt := _months(
            "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro"
            " dezembro"
        )
    ),
    month_abbreviations=_abbreviations(months_pt, {"jan": 1, "fev": 2, "set": 9, "dez": 12}),
    fractions={2: ("meio", "meios"), 3: ("terço", "terços"), 4: ("quarto", "quartos")},
    slash_idioms={"24/7": "vinte e quatro horas por dia"},
    acronym_words=frozenset({"ONU", "NATO", "UNESCO", "NASA"}),
    acronym_said={"EUA": "Estados Unidos"},
    named={"C#": "C sharp"},
    tlds_said=TLDS_SAID,
    function_words=frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "um",
            "uma",
            "de",
            "do",
            "da",
            "em",
            "no",
            "na",
            "com",
            "por",
            "para",
            "e",
            "ou",
            "ele",
            "ela",
            "nós",
            "eles",
        ]
    ),
    say_date=_date("", "de", False),
    group_mark=".",
    decimal_mark=",",
    day_first=True,
    agreement=agreement_langs.PT,
    scale_singular={"milhões": "milhão"},
    scale_of="de",
    phone_cues=_cues("ligue ligar liga número telefone tel fax"),
    decimals_as_number=True,
)

NL = Language(
    num2words_lang="nl",
    words=_words(
        "en|of|tot|bij|over|komma|procent|plus|min|is gelijk aan|nummer|pagina|pagina's"
        "|apenstaartje|punt|hashtag|graad|graden|Celsius|Fahrenheit|'s ochtends|'s middags"
        "|nul|uur|uur|versie|keer|voet|van|de",
        "plus of min",
        "op",
        "slash",
    ),
    currencies={
        "EUR": Currency("euro", "euro", "cent", "cent"),
        "USD": Currency("dollar", "dollar", "cent", "cent"),
        "GBP": Currency("pond", "pond", "penny", "pence"),
        "JPY": Currency("yen", "yen"),
        "CHF": Currency("Zwitserse frank", "Zwitserse frank", "rappen", "rappen"),
    },
    currency_symbols=SYMBOLS,
    units=_units(
        "km=kilometer; m=meter; cm=centimeter; mm=millimeter; kg=kilo; g=gram;"
        " t=ton; l=liter; L=liter; ml=milliliter; h=uur; min=minuut/minuten;"
        " s=seconde/seconden; ha=hectare; GB=gigabyte; MB=megabyte; kW=kilowatt;"
        " kWh=kilowattuur; W=watt; km²=vierkante kilometer; m²=vierkante meter; lb=pond"
    ),
    per_units={"km/h": "kilometer per uur", "m/s": "meter per seconde"},
    scales={"mln": "miljoen", "miljoen": "miljoen", "mld": "miljard", "miljard": "miljard"},
    months=(
        months_nl := _months(
            "januari februari maart april mei juni juli augustus september oktober november"
            " december"
        )
    ),
    month_abbreviations=_abbreviations(months_nl, {"jan": 1, "feb": 2, "sept": 9, "okt": 10}),
    fractions={2: ("half", "halve"), 3: ("derde", "derde"), 4: ("kwart", "kwart")},
    slash_idioms={"24/7": "vierentwintig uur per dag"},
    acronym_words=frozenset({"NAVO", "UNESCO", "NASA"}),
    acronym_said={"NOS": "N-O-S"},
    named={"C#": "C sharp"},
    tlds_said=TLDS_SAID,
    function_words=frozenset(
        [
            "de",
            "het",
            "een",
            "in",
            "op",
            "aan",
            "met",
            "van",
            "voor",
            "en",
            "of",
            "hij",
            "zij",
            "wij",
            "jullie",
            "zij",
        ]
    ),
    say_date=_date("", "", False),
    group_mark=".",
    decimal_mark=",",
    day_first=True,
)

OTHER_LANGUAGES: dict[str, Language] = {
    "fr": FR,
    "es": ES,
    "de": DE,
    "it": IT,
    "pt": PT,
    "nl": NL,
}
