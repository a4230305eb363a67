"""Phone numbers: said in their groups, a short pause (a comma) between groups.

The shapes read as phone numbers, anywhere a number may start:

- international: "+44 20 7946 0958", "+49 30 12345678", "+33 (0)1 23 45 67 89";
- North American: "(555) 123-4567", "555.123.4567", "1-800-555-0199";
- national, with the trunk zero: "0800 123 456", "020 7946 0958",
  "01 23 45 67 89", "030 1234567", "030/1234567";
- three groups of digits: "912 345 678";
- a local number, "555-0142".

How each language's speakers read the groups ("0800 123 456"):

- en: digit by digit, "zero eight zero zero, one two three, four five six",
  as English speakers give a number;
- fr: each group as a number, "zéro huit cents, cent vingt-trois, quatre
  cent cinquante-six" ("01 23 45 67 89": "zéro un, vingt-trois,
  quarante-cinq..."), as French speakers read their numbers in pairs;
- es, de, it, pt, nl: digit by digit in the language ("cero ocho cero
  cero, ..."), the way numbers are dictated there and the way a listener
  can write one down.

Not phone numbers, left to the other rules: a number grouped by the
language's own thousands mark ("250.000.000" in German, "85 000 000" in
French); a date ("04.03.2024"); fewer than seven digits; and "NNN-NNNN" when
it reads as a range ("800-1200 calories": rising, with a round end) unless
its second group starts with a zero ("555-0142") or a word such as "call"
comes just before it.
"""

from __future__ import annotations

import re

from qacast.script.speech.normalise_lang import Language, digits, integer

PHONE_SHAPES = (
    r"\+[0-9]{1,3}(?:\s?\(0\)\s?[0-9]{1,8})?(?:[\s.\-]\(?[0-9]{1,8}\)?){1,6}",  # +44 20 7946 0958
    r"\+[0-9]{7,15}",  # +4915112345678
    r"(?:1[\s.\-])?(?:\([0-9]{3}\)\s?|[0-9]{3}[\s.\-])[0-9]{3}[\s.\-][0-9]{4}",  # (555) 123-4567
    r"0[0-9]{1,4}(?:[\s.\-/][0-9]{2,8}){1,4}",  # 0800 123 456, 01 23 45 67 89
    r"[0-9]{2,4}[\s.\-][0-9]{3,4}[\s.\-][0-9]{3,4}",  # 912 345 678
    r"[0-9]{3}-[0-9]{4}",  # 555-0142
)
PHONE = rf"(?<![\w+.,\-])(?:{'|'.join(PHONE_SHAPES)})(?![\w\-]|[.,][0-9])"

SHORTEST_PHONE_DIGITS = 7
_LOCAL = re.compile(r"([0-9]{3})-([0-9]{4})")
_DATE = re.compile(r"[0-9]{1,2}([./\-])[0-9]{1,2}\1(?:[0-9]{4}|[0-9]{2})")
_CUE_WINDOW_CHARS = 30  # "call us on 555-1234": the cue is a word or two before


def say_phone(match: re.Match[str], lang: Language) -> str:
    """ "(555) 123-4567" -> "five five five, one two three, four five six seven"."""
    text = match[0]
    if not _is_phone(text, match.string[: match.start()], lang):
        return text  # the number, range or date rules read it
    groups = re.findall(r"\+?[0-9]+", text.replace("(0)", " "))
    return ", ".join(_group(group, lang) for group in groups)


def _group(group: str, lang: Language) -> str:
    number = group.lstrip("+")
    if lang.phone_groups_as_numbers:
        zeros = len(number) - len(number.lstrip("0"))
        said = " ".join(w for w in (digits("0" * zeros, lang), _integer(number, lang)) if w)
    else:
        said = digits(number, lang)
    return f"{lang.word('plus')} {said}" if group.startswith("+") else said


def _integer(number: str, lang: Language) -> str:
    rest = number.lstrip("0")
    return integer(int(rest), lang) if rest else ""


def _is_phone(text: str, before: str, lang: Language) -> bool:
    if sum(c.isdigit() for c in text.replace("(0)", "")) < SHORTEST_PHONE_DIGITS:
        return False
    if _DATE.fullmatch(text) or _grouped_number(text, lang):
        return False
    local = _LOCAL.fullmatch(text)
    if local is None:
        return True
    first, second = int(local[1]), int(local[2])
    if local[2].startswith("0") or _cued(before, lang):
        return True
    rising = second > first
    return not (rising and (first % 10 == 0 or second % 10 == 0))


def _grouped_number(text: str, lang: Language) -> bool:
    """ "250.000.000" in German, "85 000 000" in French: one number, its thousands marked."""
    mark = re.escape(lang.group_mark)
    return re.fullmatch(rf"[0-9]{{1,3}}(?:{mark}[0-9]{{3}})+", text) is not None


def _cued(before: str, lang: Language) -> bool:
    window = before[-_CUE_WINDOW_CHARS:].lower()
    return any(word in lang.phone_cues for word in re.findall(r"[^\W\d_]+", window))
