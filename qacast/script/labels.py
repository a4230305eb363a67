"""Speaker labels: which "Word:" at the start of a line names a speaker.

A colon after a few capitalised words is not enough: interviews are full of
"Program vision: ..." and "Main goals this year:". A candidate is kept when

* it is a role word ("Q", "Answer", "Interviewer", "Guest", ...), or
* it recurs (two or more lines start with it) and is not a known heading word
  ("Note", "Update", ...), or
* it occurs once but is clearly a person in this text: initials matching a
  name ("NJP" / "Nestor J. Portillo"), a surname of a full name in the text,
  or a full name written elsewhere in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qacast.models import Role
from qacast.script.layout import split_bullet
from qacast.script.names import (
    LOWER,
    PARTICLE,
    UPPER,
    NameIndex,
    is_surname,
    resolve_initials,
    resolve_word,
)

# Role words, lower-cased: the role they imply and the name we give the speaker.
ROLE_LABELS: dict[str, tuple[Role, str]] = {
    "q": ("interviewer", "Interviewer"),
    "question": ("interviewer", "Interviewer"),
    "interviewer": ("interviewer", "Interviewer"),
    "host": ("interviewer", "Host"),
    "moderator": ("interviewer", "Moderator"),
    "a": ("interviewee", "Guest"),
    "answer": ("interviewee", "Guest"),
    "interviewee": ("interviewee", "Guest"),
    "guest": ("interviewee", "Guest"),
}

# Capitalised words that introduce a line the way a label would, but are
# headings, e-mail headers or captions, never people.
STOP_LABELS = frozenset(
    label.lower()
    for label in (
        "Note",
        "Notes",
        "NB",
        "N.B.",
        "PS",
        "P.S.",
        "Update",
        "Updated",
        "Edit",
        "Correction",
        "Editor's Note",
        "Editor’s Note",
        "Example",
        "Examples",
        "Background",
        "Source",
        "Sources",
        "Disclaimer",
        "Summary",
        "Bio",
        "Biography",
        "Tip",
        "Tips",
        "Warning",
        "Caution",
        "Important",
        "Also",
        "See Also",
        "Related",
        "Tags",
        "Category",
        "Categories",
        "Date",
        "Time",
        "Location",
        "Venue",
        "Posted",
        "Subject",
        "Re",
        "Fwd",
        "From",
        "To",
        "Cc",
        "Sent",
        "Title",
        "Author",
        "Photo",
        "Image",
        "Caption",
        "Credit",
        "Credits",
        "Via",
        "Transcript",
        "Part",
        "Chapter",
        "Step",
        "Website",
        "Web",
        "Email",
        "E-mail",
        "Twitter",
        "Phone",
        "Tel",
        "Fax",
        "URL",
        "Link",
        "Links",
        "Contact",
        "Company",
        "Topic",
        "Topics",
        "Keywords",
        "Episode",
        "Season",
        "Duration",
        "Length",
        "Language",
        "Quote",
        "Result",
        "Results",
        "Conclusion",
        "Introduction",
        "Intro",
        "Outro",
        "Agenda",
        "Goal",
        "Goals",
        "Vision",
        "Mission",
        "Yes",
        "No",
        "Well",
        "Okay",
        "OK",
        "Why",
        "How",
        "What",
        "Who",
        "When",
        "Where",
        "Answer Key",
    )
)

# One word of a label: "Jane", "O'Brien", "SI", "Dr.", "J.", "J.D.".
LABEL_WORD = rf"(?:(?:[{UPPER}]\.){{2,5}}|[{UPPER}][{UPPER}{LOWER}'’-]*\.?)"
ROLE_NUMBERED = r"(?:Q|A|Question|Answer)[ \t]?\d{1,3}"
BOLD = r"(?:\*\*|__)"
# Transcription tools put a timestamp before the label: "[00:01:02] Jane Doe:".
TIMESTAMP = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\]?\)?[ \t]+)"
LABEL_LINE = re.compile(
    rf"{TIMESTAMP}?{BOLD}?[ \t]*(?P<label>{ROLE_NUMBERED}|{LABEL_WORD}"
    rf"(?:[ \t]+(?:{PARTICLE}[ \t]+)*{LABEL_WORD}){{0,3}})"
    rf"[ \t]*{BOLD}?[ \t]*:{BOLD}?(?=\s|$)\s*(?P<rest>.*)",
)
# Magazine style "Q. ..." / "A. ...": only trusted when both letters are used
# this way, since "A. Lincoln said" also starts with a capital and a dot.
DOT_LABEL_LINE = re.compile(rf"{BOLD}?(?P<label>Q|A)\.{BOLD}?\s+(?P<rest>\S.*)")
INITIALS = re.compile(rf"(?:[{UPPER}]\.?){{2,6}}")
NUMBER_SUFFIX = re.compile(r"[ \t]*\d+$")


def normalise_label(label: str) -> str:
    """The speaker id for a label: spaces collapsed, "Q1" -> "Q"."""
    label = " ".join(label.split())
    if re.fullmatch(ROLE_NUMBERED, label):
        label = NUMBER_SUFFIX.sub("", label)
    return label


def _candidate(line: str) -> tuple[str, str] | None:
    line = line.strip()
    if split_bullet(line) is not None:
        return None
    match = LABEL_LINE.match(line)
    if not match:
        return None
    return normalise_label(match.group("label")), match.group("rest")


def _dot_candidate(line: str) -> tuple[str, str] | None:
    match = DOT_LABEL_LINE.match(line.strip())
    return (match.group("label"), match.group("rest")) if match else None


@dataclass(frozen=True)
class Labels:
    """The speaker labels accepted for one script, in order of first use."""

    ids: tuple[str, ...]
    dot_form: bool  # "Q." / "A." lines are labels too

    def find(self, line: str) -> tuple[str, str] | None:
        """(speaker id, text after the label) when ``line`` starts with a label."""
        found = _candidate(line)
        if found and found[0] in self.ids:
            return found
        if self.dot_form:
            return _dot_candidate(line)
        return None


def _is_person(label: str, text: str, names: NameIndex) -> bool:
    """Evidence, for a label used only once, that it names someone in the text."""
    if INITIALS.fullmatch(label):
        return resolve_initials(names, label) is not None
    if " " not in label:
        return is_surname(names, label)
    return text.count(label) >= 2  # the label itself is one occurrence


def _accept(label: str, uses: int, text: str, names: NameIndex) -> bool:
    key = label.lower()
    if key in ROLE_LABELS:
        return True
    if key in STOP_LABELS:
        return False
    return uses >= 2 or _is_person(label, text, names)


def find_labels(lines: list[str], text: str, names: NameIndex) -> Labels:
    uses: Counter[str] = Counter()
    for line in lines:
        found = _candidate(line)
        if found:
            uses[found[0]] += 1
    dots = {found[0] for line in lines if (found := _dot_candidate(line))}
    dot_form = dots == {"Q", "A"}
    accepted = [label for label in uses if _accept(label, uses[label], text, names)]
    if dot_form:
        accepted += [label for label in ("Q", "A") if label not in accepted]
    return Labels(tuple(accepted), dot_form)


def role_hint(label: str) -> Role | None:
    """The role a role word implies ("Q" -> interviewer), None for names."""
    entry = ROLE_LABELS.get(label.lower())
    return entry[0] if entry else None


def speaker_name(label: str, names: NameIndex) -> str:
    """The full name a label stands for, as written in the text when possible."""
    entry = ROLE_LABELS.get(label.lower())
    if entry:
        return entry[1]
    if INITIALS.fullmatch(label):
        # "NJP" is initials; "JANE" (transcripts in capitals) is a first name.
        return resolve_initials(names, label) or resolve_word(names, label.title()) or label
    if " " not in label:
        return resolve_word(names, label.rstrip(".")) or label
    return label.title() if label.isupper() else label
