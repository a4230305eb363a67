"""Speaker labels: which words at the start of a line name a speaker, and by which rule.

A label has a *form* (how it is written: "Jane:", "[00:01:02] Jane:",
"Jane – 00:02:02:", "Q. ", "Q " without a colon) and is *accepted* by a rule
(why we believe it names a speaker). Both are tables below; the parser
reports the rule of every accepted label.

A colon after a few capitalised words is not enough: interviews are full of
"Program vision: ..." and "Main goals this year:". A candidate is kept when

* it is a role word ("Q", "Answer", "Interviewer", "Moderator", ...), or a
  name in capitals with an honorific ("MS. OKAFOR", "THE GOVERNOR"), or
* it recurs (two or more lines start with it) and is not a known heading word
  ("Note", "Update", ...), or
* it occurs once but is clearly a person in this text: initials matching a
  name ("NJP" / "Nestor J. Portillo"), a surname of a full name in the text,
  a full name written elsewhere, or initials introduced as "Jane Doe (JD)", or
* it occurs once where the document's shape wants a speaker: it answers the
  question on the label line before it, or asks a question the next label
  line answers (a guest who answers once, a one-exchange interview).

Labels without a colon ("Q What now?", "JD Right, so...") are only trusted
when the rest of the document shows they are labels: the initials were
introduced as "Jane Doe (JD)", or "Q " opens several lines and "A " does too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from qacast.models import Role
from qacast.script.labels.names import (
    LOWER,
    PARTICLE,
    UPPER,
    NameIndex,
    is_surname,
    resolve_initials,
    resolve_word,
)
from qacast.script.languages import honorifics, role_labels

# Role words, lower-cased: the role they imply and the name we give the speaker.
ROLE_LABELS: dict[str, tuple[Role, str]] = {
    "q": ("interviewer", "Interviewer"),
    "question": ("interviewer", "Interviewer"),
    "interviewer": ("interviewer", "Interviewer"),
    "host": ("interviewer", "Host"),
    "co-host": ("interviewer", "Co-host"),
    "moderator": ("interviewer", "Moderator"),
    "reporter": ("interviewer", "Reporter"),
    "journalist": ("interviewer", "Journalist"),
    "audience": ("interviewer", "Audience"),
    "audience member": ("interviewer", "Audience member"),
    "caller": ("interviewer", "Caller"),
    "a": ("interviewee", "Guest"),
    "answer": ("interviewee", "Guest"),
    "response": ("interviewee", "Guest"),
    "reply": ("interviewee", "Guest"),
    "interviewee": ("interviewee", "Guest"),
    "guest": ("interviewee", "Guest"),
    "respondent": ("interviewee", "Respondent"),
    # Oral histories call the person telling their story the narrator.
    "narrator": ("interviewee", "Narrator"),
}
# Other languages' role words ("R" for Réponse, "Frage", "Invité"); English wins a clash.
ROLE_LABELS.update({k: v for k, v in role_labels().items() if k not in ROLE_LABELS})

# Honorifics and offices that open a name written in capitals ("MS. OKAFOR:",
# "THE GOVERNOR:", "SEN. CALLOWAY:"). They say nothing about the role: a
# senator asks in a hearing and answers in a press conference.
HONORIFIC_WORDS = """
    mr. mrs. ms. mx. miss dr. prof. sen. senator rep. gov. governor gen. rev. judge justice
    president secretary minister mayor amb. ambassador the sir dame lord lady chief chairman
    chairwoman chair commissioner sheriff director officer detective sgt. capt. lt. col. adm.
"""
HONORIFICS = frozenset(HONORIFIC_WORDS.split()) | honorifics()  # and "Mme", "Herr", "Sig."

# Capitalised words that introduce a line the way a label would, but are
# headings, e-mail headers or captions, never people.
STOP_LABELS_WORDS = """
    note|notes|nb|n.b.|ps|p.s.|update|updated|edit|correction|editor's note|editor’s note
    |example|examples|background|source|sources|disclaimer|summary|bio|biography|tip|tips
    |warning|caution|important|also|see also|related|tags|category|categories|date|time
    |location|venue|posted|subject|re|fwd|from|to|cc|sent|title|author|photo|image|caption
    |credit|credits|via|transcript|part|chapter|step|website|web|email|e-mail|twitter|phone
    |tel|fax|url|link|links|contact|company|topic|topics|keywords|episode|season|duration
    |length|language|quote|result|results|conclusion|introduction|intro|outro|agenda|goal
    |goals|vision|mission|yes|no|well|okay|ok|why|how|what|who|when|where|answer key
    |warning|p.p.s.|lesson|lessons|bottom line|takeaway|takeaways|fact|facts|pros|cons
    |update|read more|share|published|listen|watch|download|transcription|recorded
    |interview|interviews|translator|translated by|collector|reviewer|selector|translated
"""
STOP_LABELS = frozenset(word.strip() for word in STOP_LABELS_WORDS.split("|"))

# One word of a label: "Jane", "O'Brien", "SI", "Dr.", "J.", "J.D.".
LABEL_WORD = rf"(?:(?:[{UPPER}]\.){{2,5}}|[{UPPER}][{UPPER}{LOWER}'’-]*\.?)"
ROLE_NUMBERED = r"(?:Q|A|Question|Answer)[ \t]?\d{1,3}"
# "Speaker 1", and the diarisation tools' "SPEAKER_00" / "Speaker_01".
NUMBERED_SPEAKER = (
    r"(?:Speaker|Participant|Person|Voice|Respondent|Interviewer|SPEAKER|PARTICIPANT)"
    r"(?:[ \t]|_)?\d{1,2}"
)
# "UNIDENTIFIED PERSON #1": radio transcripts number the people they cannot name.
NAME_LABEL = rf"{LABEL_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)*{LABEL_WORD}){{0,3}}(?:[ \t]+#\d{{1,2}})?"
CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
HONORIFIC_TITLES = "Mr|Mrs|Ms|Mx|Dr|Miss|Senator|Chairman|Chairwoman|Secretary|Governor|Mayor|Judge"
OFFICES = r"Chairman|Chairwoman|Chair|Clerk|Speaker|President|CHAIRMAN|CHAIRWOMAN|CHAIR|SPEAKER"
# "[00:00:00 → 00:00:05]", "(00:01 - 00:04)": a segment's start and end.
CLOCK_SPAN = rf"{CLOCK}(?:[ \t]*(?:-->|→|–|—|-)[ \t]*{CLOCK})?"
STAMP_BEFORE = rf"(?:[\[(]?{CLOCK_SPAN}[\])]?[ \t]+)"
# "Jane Doe  10:03 AM": chat exports give the time of day.
STAMP_AFTER = rf"(?:[ \t]*(?:[-–—|,][ \t]*)?[\[(]?{CLOCK_SPAN}(?:[ \t]?[AaPp]\.?[Mm]\.?)?[\])]?)"
ALIAS = (
    rf"(?:[ \t]*\((?:(?P<alias>[{UPPER}]{{2,4}})"
    # "Interviewer (Jane Doe):": a role word with the person's name beside it.
    rf"|(?P<person>[{UPPER}][{LOWER}'’-]+(?:[ \t]+[{UPPER}][\w'’-]*){{1,3}}))\))"
)
# "(D-ME)" after a legislator's name, ", HOST" after a presenter's: not part of the name.
AFFILIATION = rf"(?:[ \t]*\([{UPPER}]{{1,3}}-[{UPPER}]{{2}}\))"
OFFICE = r"(?:,[ \t]*(?P<office>[A-Za-z][A-Za-z' -]{1,40}?))"
LABEL_TEXT = rf"(?P<label>{ROLE_NUMBERED}|{NUMBERED_SPEAKER}|{NAME_LABEL})"

# Label forms, tried in order: (form name, pattern with groups label, rest).
FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "colon",
        re.compile(
            rf"{STAMP_BEFORE}?{LABEL_TEXT}{ALIAS}?{AFFILIATION}?{OFFICE}?{STAMP_AFTER}?"
            # French typography puts a no-break space before the colon ("Nom\u00a0:").
            r"[ \t\u00a0\u202f]*[:：](?=\s|$)\s*(?P<rest>.*)"
        ),
    ),
    # "Jane Doe 0:42" / "Jane Doe (00:03:10)" alone: transcription-tool exports.
    ("timestamp", re.compile(rf"{STAMP_BEFORE}?{LABEL_TEXT}{ALIAS}?{STAMP_AFTER}(?P<rest>)$")),
    # "00:03 - Jane Doe" alone (the text below): podcast show-note transcripts.
    (
        "timestamp first",
        re.compile(rf"[\[(]?{CLOCK}[\])]?[ \t]*[-–—|]?[ \t]*{LABEL_TEXT}(?P<rest>)$"),
    ),
    # "Ms. Achebe-Morrow. The subcommittee will..." : hearing records.
    (
        "honorific and period",
        re.compile(
            rf"(?P<label>(?:{HONORIFIC_TITLES})\.?(?:[ \t]+[{UPPER}][\w'’-]+){{1,2}}"
            rf"|The[ \t]+(?:{OFFICES}))\.[ \t]+(?P<rest>\S.*)"
        ),
    ),
    # "Jane Doe — What is it?": magazines that set labels off with a dash.
    ("dash", re.compile(rf"{LABEL_TEXT}[ \t]+[—–][ \t]+(?P<rest>\S.*)")),
    # "[21:00] <nick> text": chat logs.
    ("chat nick", re.compile(rf"{STAMP_BEFORE}?<(?P<label>[\w.|^`-]{{1,30}})>[ \t]+(?P<rest>.*)")),
    # "INTERVIEWER" / "VALKÓ" alone on a line, the text below: literary magazines.
    (
        "capitals alone",
        re.compile(rf"(?P<label>[{UPPER}][{UPPER} .'’-]{{0,40}}[{UPPER}.])(?P<rest>)$"),
    ),
    # "stark: ...", "adam3us: ...", "host: ...": a handle in lower case, as chat and
    # community transcripts write people. Trusted only as a role word or recurring.
    ("handle", re.compile(r"(?P<label>[a-z][a-z0-9_.-]{1,24})[ \t]*:(?=\s)\s*(?P<rest>\S.*)")),
)
# Forms a label is trusted in only when it recurs (or is a role word): prose opens so.
RECURRING_ONLY_FORMS = ("capitals alone", "handle")
CAPITALS_ALONE_MAX_WORDS = 4
# Words and letters that only mark a question or an answer, in any language ("P." /
# "R." in Spanish, "F." / "A." in German): one speaker per role, however spelt.
QA_MARKER_WORDS = """
    q question a answer response reply p pregunta r respuesta réponse f frage antwort
    d domanda risposta pergunta resposta v vraag antwoord
"""
QA_MARKERS = frozenset(QA_MARKER_WORDS.split())
DOT_FORM = re.compile(
    r"(?P<label>[A-Z]|"
    + "|".join(sorted((w.capitalize() for w in QA_MARKERS if len(w) > 1), key=len, reverse=True))
    + r")\d{0,3}\.\s+(?P<rest>\S.*)"
)
# "Q What now?" / "JD Right, so...": only for labels the document vouches for.
BARE_FORM = re.compile(
    rf"{STAMP_BEFORE}?(?P<label>Q|A|[{UPPER}]{{2,3}})[ \t]+"
    # The rest opens like a sentence, or with the dashes or dots that carry on
    # an interrupted one ("Q -- is there a deadline?").
    rf"(?P<rest>(?:[{UPPER}\"“‘'(¿¡]|--|[—–…]|\.\.\.).*)"
)
INITIALS = re.compile(rf"(?:[{UPPER}]\.?){{2,6}}")
NUMBER_SUFFIX = re.compile(r"[ \t]*\d+$")
# "Jane Doe (JD)" anywhere in the text introduces JD.
ALIAS_INTRO = re.compile(
    rf"(?P<name>[{UPPER}][{LOWER}'’-]+(?:[ \t]+[{UPPER}][\w.'’-]*){{1,3}})"
    rf"[ \t]*\((?P<alias>[{UPPER}]{{2,4}})\)"
)
# "NARRATOR:" (an oral history's interviewee) would collide with the narrator
# the parser adds for third-person intros, so that label gets another id.
RESERVED_IDS: dict[str, str] = {"NARRATOR": "Narrator"}
# "Rosa Lindgren", "Ana Kovač", "Jean-Luc O'Neill": two or three capitalised words.
FULL_NAME = re.compile(rf"[{UPPER}][{LOWER}'’-]+(?:[ \t][{UPPER}][{LOWER}'’-]+){{1,2}}")
# Label forms that stand alone on their line with a timestamp: distinctive
# enough that the document's own use of them vouches for each line.
LINE_FORMS = ("timestamp", "timestamp first")
MIN_FORM_LINES = 4
MIN_BARE_LINES = 2  # "Q " must open at least this many lines to be a label
MAX_INITIALS = 3  # "NJP"; "BYRNE" in capitals is a surname


def normalise_label(label: str) -> str:
    """The speaker id for a label: spaces collapsed, "Q1" -> "Q"."""
    label = " ".join(label.split())
    if re.fullmatch(ROLE_NUMBERED, label):
        label = NUMBER_SUFFIX.sub("", label)
    return RESERVED_IDS.get(label, label)


@dataclass(frozen=True)
class Candidate:
    label: str  # normalised (the speaker id before aliases)
    rest: str
    form: str  # a FORMS name, "dot" or "bare"
    alias: str | None = None
    office: str | None = None  # "HOST" in "ANSEL BYRNE, HOST:"
    person: str | None = None  # "Jane Doe" in "Interviewer (Jane Doe):"


# "[MUSIC PLAYING] JANE: Hello": a sound mark in capitals before the label.
LEADING_ASIDE = re.compile(rf"(?:[\[(][{UPPER}][{UPPER} ,'-]{{2,40}}[\])][ \t]+)+(?=\S)")


def candidate(line: str) -> Candidate | None:
    """The label-shaped start of ``line`` (stripped, markup removed), if any."""
    aside = LEADING_ASIDE.match(line)
    line = line[aside.end() :] if aside else line
    for form, pattern in FORMS:
        match = pattern.match(line)
        if match:
            label = normalise_label(match["label"])
            rest = match["rest"]
            if form == "capitals alone" and (
                not label.isupper() or len(label.split()) > CAPITALS_ALONE_MAX_WORDS
            ):
                continue
            one_dotted_word = label.endswith(".") and label.count(".") == 1 and " " not in label
            if one_dotted_word and not INITIALS.fullmatch(label):
                continue  # "Ms.:" or "Inc.:" is no label; "J.D.:" is
            groups = match.groupdict()
            return Candidate(
                label, rest, form, groups.get("alias"), groups.get("office"), groups.get("person")
            )
    return None


def _looks_like_title(found: Candidate) -> bool:
    """A first line "Word Word: Words" with no sentence end is a title, not a turn."""
    if found.label.lower() in ROLE_LABELS or not found.rest:
        return False
    return not re.search(r"[.!?…][\"'”’)]*$", found.rest)


def _dot_candidate(line: str) -> Candidate | None:
    match = DOT_FORM.match(line)
    return Candidate(match["label"], match["rest"], "dot") if match else None


def _bare_candidate(line: str) -> Candidate | None:
    match = BARE_FORM.match(line)
    return Candidate(match["label"], match["rest"], "bare") if match else None


def honorific(label: str) -> str | None:
    """The honorific opening a label in capitals ("MS. OKAFOR" -> "ms."), or None."""
    words = label.split(" ")
    if len(words) < 2 or not label.isupper():
        return None
    first = words[0].lower()
    return first if first in HONORIFICS else None


@dataclass(frozen=True)
class Labels:
    """The speaker labels accepted for one script, in order of first use."""

    ids: tuple[str, ...]
    rules: dict[str, str]  # speaker id -> the rule that accepted it
    aliases: dict[str, str] = field(default_factory=dict)  # "JD" -> "Jane Doe"
    dot_form: bool = False  # "Q." / "A." lines are labels too
    bare: frozenset[str] = frozenset()  # labels trusted without a colon
    merged: dict[str, str] = field(default_factory=dict)  # "CM" -> "Cordelia Marsh-Oyelowo"
    offices: dict[str, str] = field(default_factory=dict)  # speaker id -> "HOST"

    def find(self, line: str) -> Candidate | None:
        """The label opening ``line`` when it is an accepted one, with its speaker id."""
        alone = line.strip()
        if alone in self.ids or alone in self.merged:
            # "Ali" on a line of its own, where "Ali 0:05" opens other turns: the same
            # label without its time, the words on the lines below.
            return Candidate(self.merged.get(alone, alone), "", "alone")
        found = candidate(line)
        if found:
            speaker = self.speaker_id(found)
            if speaker in self.ids:
                return replace(found, label=speaker)
        if (
            self.dot_form
            and (dot := _dot_candidate(line))
            and dot.label in self.ids + tuple(self.merged)
        ):
            return replace(dot, label=self.merged.get(dot.label, dot.label))
        if self.bare and (bare := _bare_candidate(line)) and bare.label in self.bare:
            return Candidate(self.merged.get(bare.label, bare.label), bare.rest, "bare")
        return None

    def speaker_id(self, found: Candidate) -> str:
        speaker = found.alias or found.label
        return self.merged.get(speaker, speaker)


def _is_person(label: str, text: str, names: NameIndex) -> bool:
    """Evidence, for a label used only once, that it names someone in the text."""
    if INITIALS.fullmatch(label):
        return resolve_initials(names, label) is not None
    if " " not in label:
        return is_surname(names, label)
    return text.count(label) >= 2  # the label itself is one occurrence


# (rule name, test): the first rule that holds accepts a label. The tests take
# (label, uses, text, names, shape) where shape says whether the label sits
# where the document's turn-taking wants a speaker.
def _role_word(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> bool:
    return label.lower() in ROLE_LABELS or bool(re.fullmatch(NUMBERED_SPEAKER, label))


def _honorific(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> bool:
    return honorific(label) is not None


def _title_and_name(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> bool:
    """ "Senator Black", "Dr. Okafor", "Mme Leroux": a title before a name is a person."""
    words = label.split(" ")
    title = words[0].lower()
    return 2 <= len(words) <= 3 and title in HONORIFICS and title != "the"


def _recurs(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> bool:
    return uses >= 2


def _person(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> bool:
    return _is_person(label, text, names)


def _shape(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> bool:
    return shape


FRONT_MATTER_RULE = "named in the front matter's labels"
# Rules that accept a label used once on indirect evidence: worth a doubt.
WEAK_RULES = frozenset(
    {
        "names a person in the text",
        "alternates with another speaker",
        "full name like the other labels",
        "same title as another label",
        "in capitals like the other labels",
        "same line form as the other labels",
        "every line opens with a label",
    }
)

ACCEPT_RULES: tuple[tuple[str, object], ...] = (
    ("role word", _role_word),
    ("honorific in capitals", _honorific),
    ("a title and a name", _title_and_name),
    ("recurs at line starts", _recurs),
    ("names a person in the text", _person),
    ("alternates with another speaker", _shape),
)


# Labels of people who run the call, not the interview: their turns are dropped.
NOT_SPEAKERS: dict[str, str] = {"operator": "conference-call operator"}


def _rule_for(label: str, uses: int, text: str, names: NameIndex, shape: bool) -> str | None:
    key = label.lower()
    if key in NOT_SPEAKERS:
        return NOT_SPEAKERS[key]
    if key in ROLE_LABELS or re.fullmatch(NUMBERED_SPEAKER, label):
        return "role word"
    if key in STOP_LABELS or key.rstrip(".") in STOP_LABELS:
        return None
    for name, test in ACCEPT_RULES:
        if test(label, uses, text, names, shape):  # type: ignore[operator]
            return name
    return None


def _shapes(found: list[tuple[int, Candidate]]) -> set[int]:
    """Indexes (into ``found``) of label lines that sit in a question/answer exchange."""
    wanted: set[int] = set()
    for i, (_, cand) in enumerate(found):
        before = found[i - 1][1] if i > 0 else None
        after = found[i + 1][1] if i + 1 < len(found) else None
        asks = "?" in cand.rest
        if before and before.label != cand.label and "?" in before.rest and not asks:
            wanted.add(i)
        if after and after.label != cand.label and asks and "?" not in after.rest:
            wanted.add(i)
    return wanted


@dataclass(frozen=True)
class Seen:
    """The label-shaped line starts of a document, before any is accepted."""

    lines: list[str]
    text: str
    names: NameIndex
    found: list[tuple[int, Candidate]]  # (line index, candidate)
    uses: Counter[str]  # speaker -> lines it opens
    aliases: dict[str, str]  # "JD" -> "Jane Doe"

    @classmethod
    def of(cls, lines: list[str], text: str, names: NameIndex) -> Seen:
        found = [(n, c) for n, line in enumerate(lines) if (c := candidate(line))]
        if found and found[0][0] == 0 and _looks_like_title(found[0][1]):
            found = found[1:]  # "Careers Desk: A Day as a Piano Tuner" is the title
        aliases = {m["alias"]: m["name"] for m in ALIAS_INTRO.finditer(text)}
        for _, cand in found:  # "Interviewer (Jane Doe):" names the interviewer
            if cand.person and cand.label.lower() in ROLE_LABELS:
                aliases.setdefault(cand.label, cand.person)
        uses = Counter(cand.alias or cand.label for _, cand in found)
        return cls(lines, text, names, found, uses, aliases)


def find_labels(
    lines: list[str],
    text: str,
    names: NameIndex,
    given: tuple[str, ...] = (),
    refused: tuple[str, ...] = (),
    vouched: frozenset[str] = frozenset(),
) -> Labels:
    """Accept the labels of a script from its lines (stripped, markup removed).

    Each label-shaped line start is first judged on its own (ACCEPT_RULES);
    then, the document's own scheme known, a label used once that is written
    the way its accepted labels are is accepted too (FITS_THE_SCHEME).
    ``given`` and ``refused`` are the front matter's word on labels the text
    leaves in doubt: those are labels, these are not. ``vouched`` labels are
    accepted as they are: a transcription export named its speakers in a field
    of their own, so a person who speaks once is one.
    """
    seen = Seen.of(lines, text, names)
    rules = _judged_alone(seen, vouched)
    for fits in FITS_THE_SCHEME:
        rules |= {
            speaker: rule for speaker, rule in fits(seen, rules).items() if speaker not in rules
        }
    for _, cand in seen.found:
        if (cand.alias or cand.label) in given:
            rules[cand.alias or cand.label] = FRONT_MATTER_RULE
    for label in refused:
        rules.pop(label, None)
    # "Q." / "A." (or "P." / "R."): trusted when both roles are marked this way, since
    # "A. Lincoln said" also opens with a capital and a dot.
    dots = {c.label for line in lines if (c := _dot_candidate(line)) and _marker(c.label)}
    dot_form = {ROLE_LABELS[d.lower()][0] for d in dots} == {"interviewer", "interviewee"}
    for label in dots if dot_form else ():
        rules.setdefault(label, "role word")
    bare = _bare_labels(lines, seen.aliases, rules, dot_form)
    for label in bare:
        rules.setdefault(
            label, "role word" if label in ("Q", "A") else "initials introduced as a name"
        )
    merged = _merges(list(rules)) | _one_marker_per_role(lines, rules)
    offices = {
        merged.get(c.label, c.label): c.office
        for _, c in seen.found
        if c.office and (c.alias or c.label) in rules
    }
    order = list(dict.fromkeys(merged.get(s, s) for s in _first_use(lines, rules, dot_form, bare)))
    return Labels(tuple(order), rules, seen.aliases, dot_form, frozenset(bare), merged, offices)


def _judged_alone(seen: Seen, vouched: frozenset[str]) -> dict[str, str]:
    """Each label-shaped line start on its own evidence (ACCEPT_RULES)."""
    shaped = _shapes(seen.found)
    rules: dict[str, str] = {}
    for i, (_, cand) in enumerate(seen.found):
        speaker = cand.alias or cand.label
        if speaker in rules:
            continue
        if cand.alias:
            rules[speaker] = "initials introduced as a name"
            continue
        if cand.form in RECURRING_ONLY_FORMS:
            # A line in capitals alone is a label only as a role word or when it recurs:
            # "THE WHITE HOUSE" or "HEARING" at the top of a page is a header; so is a
            # word in lower case and a colon ("note: ...") unless it recurs.
            rule = _rule_for(speaker, seen.uses[speaker], "", NameIndex(Counter()), False)
            rules.update({speaker: rule} if rule in ("role word", "recurs at line starts") else {})
            continue
        vouched_for = "named by the transcription export" if speaker in vouched else None
        uses = seen.uses[speaker]
        rule = vouched_for or _rule_for(speaker, uses, seen.text, seen.names, i in shaped)
        if rule:
            rules[speaker] = rule
    return rules


def _full_forms(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """A label used once in full ("NORA QUIST:", "ANSEL BYRNE, HOST:") before a recurring
    short form ("QUIST:", "NQ:"), or with a role word after it."""
    more: dict[str, str] = {}
    for _, cand in seen.found:
        speaker = cand.alias or cand.label
        if speaker in rules:
            continue
        office = (cand.office or "").lower().strip()
        if office in ROLE_LABELS:
            more[speaker] = "role word after the name"
        elif (
            len(_words(speaker)) >= 2
            and _merges([*rules, speaker]).get(speaker) is None
            and any(_merges([speaker, short]).get(short) == speaker for short in rules)
        ):
            more[speaker] = "full form of a recurring label"
    return more


def _capitals_like_the_others(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """A label in capitals used once where every accepted label is in capitals
    ("UNIDENTIFIED PERSON #1:" among "INSKEEP:" and "QUILL:")."""
    capitals = [s for s in rules if s.isupper() and s.lower() not in ROLE_LABELS]
    if len(capitals) < 2 or len(capitals) != len([s for s in rules if s not in ("Q", "A")]):
        return {}
    more: dict[str, str] = {}
    for _, cand in seen.found:
        speaker = cand.alias or cand.label
        usable = (
            cand.form == "colon"
            and bool(cand.rest)  # "INFORMATIONAL HEARING:" over a title is a header
            and speaker.isupper()
            and len(speaker) > MAX_INITIALS
        )
        if usable and _rule_for(speaker, 1, "", seen.names, True):
            more[speaker] = "in capitals like the other labels"
    return more


def _same_line_form(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """A label line of a form no prose takes (a name and a timestamp alone on a line,
    "**00:32** - _Voice Actor_"): once the document's recurring labels use that form,
    every line of it is a label, even one used once."""
    more: dict[str, str] = {}
    for form in LINE_FORMS:
        of_form = [c for _, c in seen.found if c.form == form]
        recurring = [c for c in of_form if rules.get(c.alias or c.label) and seen.uses[c.label] > 1]
        if len(of_form) >= MIN_FORM_LINES and len(recurring) * 2 >= len(of_form):
            for cand in of_form:
                speaker = cand.alias or cand.label
                if speaker.lower() not in STOP_LABELS:
                    more[speaker] = "same line form as the other labels"
    return more


def _full_name_like_the_others(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """A full name used once ("Rosa Lindgren:", a neighbour who speaks up at the end)
    where every accepted label is a full name written the same way. Its words must
    never occur in lower case in the text: "Main Goals:" is no name."""
    full = [s for s in rules if s.lower() not in ROLE_LABELS]
    if len(full) < 2 or not all(FULL_NAME.fullmatch(s) for s in full):
        return {}
    lower_words = set(re.findall(r"\b[a-z][a-z'’-]+\b", seen.text))
    more: dict[str, str] = {}
    for _, cand in seen.found:
        speaker = cand.alias or cand.label
        named = cand.form == "colon" and FULL_NAME.fullmatch(speaker) is not None
        common = any(word.lower() in lower_words for word in speaker.split())
        if named and not common and cand.rest:
            more[speaker] = "full name like the other labels"
    return more


def _same_title(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """A label used once that shares its title with an accepted one ("Justice Kettering:"
    beside a recurring "Justice Ostrova:")."""
    titles = {_title_word(s) for s in rules} - {None}
    return {
        cand.alias or cand.label: "same title as another label"
        for _, cand in seen.found
        if cand.form == "colon" and _title_word(cand.alias or cand.label) in titles
    }


EVERY_LINE_SHARE = 0.8  # of a document's lines opening with a label: every turn is labelled


def _every_line_labelled(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """Where nearly every line opens with a label ("Host: ...", "RV: ...", one turn a
    line), a name with a colon opening a line is a speaker too, even one heard once
    ("Gavin: Hey Roger, it's Gavin.")."""
    lines = [line for line in seen.lines if line.strip()]
    labelled = sum(1 for n, c in seen.found if (c.alias or c.label) in rules)
    if len(rules) < 2 or not lines or labelled < EVERY_LINE_SHARE * len(lines):
        return {}
    return {
        cand.label: "every line opens with a label"
        for _, cand in seen.found
        if cand.form == "colon"
        and cand.rest
        and cand.label.lower().rstrip(".") not in STOP_LABELS
        # The text uses the word again as a name ("it's Gavin"): "**Never** wind it" is prose.
        and len(re.findall(rf"\b{re.escape(cand.label)}\b", seen.text)) >= 2
    }


def _introduced_initials(seen: Seen, rules: dict[str, str]) -> dict[str, str]:
    """Initials used as a label after being introduced by "Jane Doe (JD)"."""
    return {s: "initials introduced as a name" for s in seen.aliases if seen.uses[s]}


# Once the document's own way of labelling is known, labels used once that are
# written that way are labels too. Each pass sees what the ones before accepted.
FITS_THE_SCHEME: tuple[Callable[[Seen, dict[str, str]], dict[str, str]], ...] = (
    _full_forms,
    _capitals_like_the_others,
    _same_line_form,
    _full_name_like_the_others,
    _same_title,
    _introduced_initials,
    _every_line_labelled,
)


def _marker(label: str) -> bool:
    return label.lower() in QA_MARKERS


def _one_marker_per_role(lines: list[str], rules: dict[str, str]) -> dict[str, str]:
    """ "Pregunta" and "P" (or "Q" and "Question") in one text mark one speaker: the later
    spellings are merged into the first one used."""
    first: dict[str, str] = {}
    merged: dict[str, str] = {}
    for line in lines:
        found = candidate(line) or _dot_candidate(line)
        if found is None or found.label not in rules or not _marker(found.label):
            continue
        role = ROLE_LABELS[found.label.lower()][0]
        canonical = first.setdefault(role, found.label)
        if found.label != canonical:
            merged[found.label] = canonical
    return merged


# Honorifics too common to say two labels belong together ("Mr.", "The").
GENERIC_HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "mx.", "miss", "dr.", "the", "sir", "dame"})


def _title_word(label: str) -> str | None:
    """ "Justice" in "Justice Ostrova", "sen." in "SEN. CALLOWAY"; None for a plain name."""
    words = label.lower().split(" ")
    title = words[0]
    usable = len(words) >= 2 and title in HONORIFICS and title not in GENERIC_HONORIFICS
    return title if usable else None


def _words(label: str) -> list[str]:
    words = label.split(" ")
    return words[1:] if len(words) > 1 and words[0].lower() in HONORIFICS else words


def _merges(labels: list[str]) -> dict[str, str]:
    """Short labels that stand for a longer one: "SEN. CALLOWAY" / "SEN. MARGARET CALLOWAY",
    "QUIST" / "NORA QUIST", "CM" / "Cordelia Marsh-Oyelowo"."""
    full = [
        f
        for f in labels
        if (len(_words(f)) >= 2 or _title_word(f)) and f.lower() not in ROLE_LABELS
    ]
    merged: dict[str, str] = {}
    for short in labels:
        if short.lower() in ROLE_LABELS:
            continue
        words = _words(short)
        matches = []
        for long in full:
            if long == short:
                continue
            long_words = _words(long)
            initials = "".join(w[0] for w in long_words).upper()
            same_title = short.split(" ")[0].lower() == long.split(" ")[0].lower()
            is_initials = len(words) == 1 and bool(INITIALS.fullmatch(short))
            # "Senator:" after "Senator Whitfield:": the title alone, for the one who holds it.
            title_alone = " " not in short and _title_word(long) == short.lower()
            if (
                title_alone
                or (is_initials and short.replace(".", "") == initials)
                or (
                    len(words) < len(long_words)
                    and words[-1].lower() == long_words[-1].lower()
                    and (len(short.split(" ")) == 1 or same_title)
                )
            ):
                matches.append(long)
        if len(matches) == 1:
            merged[short] = matches[0]
    return merged


def _bare_labels(
    lines: list[str], aliases: dict[str, str], rules: dict[str, str], dot_form: bool
) -> set[str]:
    starts: Counter[str] = Counter()
    for line in lines:
        if candidate(line) is None and (found := _bare_candidate(line)):
            starts[found.label] += 1
    bare = {
        label
        for label in starts
        if label in aliases or (label in rules and label not in ("Q", "A"))
    }
    if dot_form or {"Q", "A"} <= set(rules):
        bare |= {"Q", "A"}  # "Q. ..." labels elsewhere: a stray "Q ..." is one too
    elif starts["Q"] >= MIN_BARE_LINES and (starts["A"] >= MIN_BARE_LINES or "A" in rules):
        bare |= {"Q", "A"}
    elif starts["Q"] >= MIN_BARE_LINES and "Q" not in rules and not starts["A"]:
        bare.add("Q")  # questions marked "Q " over unlabelled answers
    return {label for label in bare if starts[label] >= 1}


def _first_use(
    lines: list[str], rules: dict[str, str], dot_form: bool, bare: set[str]
) -> list[str]:
    order: list[str] = []
    for line in lines:
        cand = candidate(line)
        speaker = (cand.alias or cand.label) if cand else None
        if speaker not in rules:
            alt = (_dot_candidate(line) if dot_form else None) or (
                _bare_candidate(line) if bare else None
            )
            speaker = alt.label if alt and alt.label in rules else None
        if speaker and speaker not in order:
            order.append(speaker)
    order += [label for label in rules if label not in order]
    return order


def role_hint(label: str, office: str | None = None) -> Role | None:
    """The role a role word implies ("Q" -> interviewer, "HOST" after a name), None for names."""
    entry = ROLE_LABELS.get(label.lower()) or ROLE_LABELS.get((office or "").lower().strip())
    return entry[0] if entry else None


def _title_case(label: str) -> str:
    """ "MR. FERREIRA-LUND" -> "Mr. Ferreira-Lund", "O'BRIEN" -> "O'Brien"."""
    return re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), label)


def speaker_name(label: str, names: NameIndex, aliases: dict[str, str]) -> tuple[str, str]:
    """(full name a label stands for, the naming rule)."""
    if label in aliases:
        return aliases[label], "named beside the label"
    entry = ROLE_LABELS.get(label.lower())
    if entry:
        return entry[1], "role word"
    if re.fullmatch(NUMBERED_SPEAKER, label):
        return _title_case(label.replace("_", " ")), "numbered speaker"  # "SPEAKER_00"
    if honorific(label):
        return _title_case(label), "honorific in capitals"
    if INITIALS.fullmatch(label):
        # "NJP" is initials; "JANE" (transcripts in capitals) is a first name.
        found = resolve_initials(names, label) or resolve_word(names, _title_case(label))
        if found:
            return found, "initials of a name in the text"
        if len(label) > MAX_INITIALS:  # "BYRNE": a surname in capitals, not initials
            return _title_case(label), "name in capitals"
        return label, "as written"
    if " " not in label:
        word = label.rstrip(".")
        cased = _title_case(word) if word.isupper() or word.islower() else word
        found = resolve_word(names, cased)
        if found:
            return found, "surname or first name in the text"
        return (
            (_title_case(label), "name in capitals") if label.isupper() else (label, "as written")
        )
    if label.isupper():
        return _title_case(label), "name in capitals"
    return label, "full name"
