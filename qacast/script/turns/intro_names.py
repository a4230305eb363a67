"""The guest's and the host's names, as an intro or a host's opening words give them.

Intros name the guest in many ways: "we spoke to X", "X joins us", "joining
us today is X", "our guest today is X", "today I'm talking with X", "I sat
down with X", "my conversation with X", "X, the founder of Y, talks
about...", "this week: X", "with X, author of...", "please welcome X",
"welcome X to the show", "X is a ..." opening the standfirst; in French,
German and Spanish "nous avons rencontré X", "entretien avec X", "im
Gespräch mit X", "entrevista con X". The host: "I'm X and this is...",
"hosted by X", "your host X", "je suis X", "moderiert von X".

A phrase alone is not enough: places, organisations and shows are
capitalised too ("we spoke to New York Public Radio"). A name must look like
a person's (two to four capitalised words, or an honorific and one; no word
of an organisation or a place), and a cue that does not itself say "guest"
needs evidence that it names a person: an honorific, the name used again
(a question that says "Håvard, ..."), a personal pronoun after it ("...; she
...") or a person's role beside it ("X, founder of Y", "X, who ..."). A
sentence about earlier episodes ("Previously in this series I interviewed
X") names no one of this one. When several people are named, the one with
the most evidence wins, then the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qacast.script.labels.names import LOWER, UPPER

HONORIFIC = (
    r"(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sen|Rep|Gov|Gen|Rev|Mme|Mlle|Herr|Frau|Sr|Sra|Srta|Dra|Don|Doña)"
)
_WORD = rf"[{UPPER}][{UPPER}{LOWER}'’-]*[{LOWER}]"
_PARTICLE = r"(?:van|von|der|den|de|da|das|del|della|di|du|la|le|bin|ibn|al|el|ten|ter|y)"
# One to four capitalised words (a particle may stand between two), after an optional
# honorific; an owner before them is not part of the name ("Acme's Jane Doe").
NAME = (
    rf"(?:(?:{_WORD}[ \t]+){{0,3}}{_WORD}['’]s?[ \t]+(?=[{UPPER}]))?"
    rf"(?P<name>(?:{HONORIFIC}\.?\s+)?{_WORD}"
    rf"(?:[ \t]+(?:[{UPPER}]\.|{_WORD}|{_PARTICLE}(?=[ \t]+[{UPPER}]))){{0,4}})"
)

# Words of an organisation's, a place's or a programme's name: never a person's.
NOT_PERSON_WORDS = frozenset(
    """
    inc ltd llc gmbh corp co university universität université universidad institute institut
    instituto foundation fondation stiftung fundación company corporation group association
    society council ministry department agency bank museum musée school college academy
    podcast show radio news times magazine journal press records labs lab studio studios
    project network team club party church hospital centre center library festival
    conference summit republic kingdom states city county street avenue road valley river
    lake mountain mountains island islands park bay coast airport station hotel restaurant
    fund capital partners ventures systems technologies software games books publishing media
    films pictures music orchestra band choir theatre theater opera gallery trust committee
    commission union federation league awards prize hour daily weekly live online digital
    open source linux foundation google microsoft apple amazon
    """.split()  # noqa: SIM905 - a list of words reads better as words
)
# Capitalised words that open a phrase before a name: "Today Jane Doe joins us".
LEADING_WORDS = frozenset(
    """
    a an and as at but by for from if in of on so the this that today tonight now here there
    then when while with yesterday tomorrow welcome please joining meet our my your its
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december
    """.split()  # noqa: SIM905
)

# "A sentence about an earlier episode": the people it names are not this one's.
EARLIER = re.compile(
    r"\b(?:previously|last (?:week|month|time|year|episode|issue|season)"
    r"|in (?:our|the|a) (?:previous|last|earlier|past) (?:episode|interview|issue|post|article)s?"
    r"|earlier in (?:this|the) series|la semaine dernière|précédemment|letzte Woche"
    r"|la semana pasada|anteriormente)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(
    r"\b(?:he|she|his|her|him|hers|they|their|them|il|elle|er|sie|ihr|ihre|sein|seine"
    r"|él|ella)\b",
    re.IGNORECASE,
)
# A person's role beside the name: "X, founder of Y", "X, who ...", "X (she/her)".
ROLE_NOUNS = (
    r"founder|co-?founder|creator|author|writer|novelist|poet|journalist|editor|reporter|host"
    r"|presenter|producer|director|ceo|cto|cfo|coo|president|chair(?:man|woman|person)?|head"
    r"|chief|manager|lead|leader|engineer|developer|maintainer|programmer|designer|architect"
    r"|scientist|researcher|professor|lecturer|teacher|student|doctor|physician|nurse|surgeon"
    r"|lawyer|attorney|judge|senator|minister|mayor|governor|artist|musician|composer|singer"
    r"|painter|photographer|filmmaker|actor|actress|chef|baker|farmer|owner|partner|fellow"
    r"|expert|specialist|consultant|analyst|economist|historian|\w+(?:ologist|ographer|ician)"
    r"|fondat(?:eur|rice)|aut(?:eur|rice)|écrivaine?|direct(?:eur|rice)|professeure?"
    r"|cherch(?:eur|euse)|ingénieure?|artiste|gründer(?:in)?|autor(?:in|a)?|leiter(?:in)?"
    r"|direktor(?:in)?|professor(?:in|a)?|forscher(?:in)?|künstler(?:in)?|geschäftsführer(?:in)?"
    r"|fundador(?:a)?|escritor(?:a)?|periodista|director(?:a)?|investigador(?:a)?|ingenier[oa]"
)
APPOSITIVE = re.compile(
    rf"^\s*(?:,\s*(?:who|whose|qui|der|die|quien|que)\b|\((?:she|he|they)/"
    rf"|,\s*(?:[\w'’-]+\s+){{0,4}}?(?:{ROLE_NOUNS})\b)",
    re.IGNORECASE,
)
_HONORIFIC_PREFIX = re.compile(rf"^{HONORIFIC}\.?\s+")
# A job title written before a name: "General Manager Celestine Mabry-Ito".
JOB_TITLE = re.compile(
    rf"(?:{ROLE_NOUNS}|general|executive|senior|junior|vice|deputy|assistant|associate"
    r"|managing|acting|forester|captain|commissioner|superintendent|sheriff|officer)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    strong: bool  # the cue says the person is this episode's guest (or host): no more evidence


def _cues(strong: list[str], weak: list[str]) -> tuple[Cue, ...]:
    return tuple(Cue(re.compile(p), True) for p in strong) + tuple(
        Cue(re.compile(p), False) for p in weak
    )


_PEOPLE_VERB = r"(?:spent|is|was|has|had|runs|ran|grew|works|worked|started|founded|became"
_PEOPLE_VERB += r"|directs|leads|led|teaches|taught|lives|lived|talks|joins|builds|makes|writes)"

GUEST_CUES = _cues(
    strong=[
        rf"\b(?:[Mm]y|[Oo]ur) (?:special )?guests?(?: today| this week| tonight| on the show"
        rf"| for this episode)?(?: is|:|,)\s+{NAME}",
        rf"\b[Jj]oining (?:us|me)(?: today| now| tonight| this week| on the show)?,?"
        rf" (?:is|are) {NAME}",
        rf"\b{NAME},? (?:joins|joined|is joining) (?:us|me)\b",
        rf"\b(?:[Pp]lease|[Ll]et's|[Ll]et us) (?:welcome|give a warm welcome to) {NAME}",
        rf"\b(?:delighted|pleased|happy|thrilled|honou?red|glad) to (?:welcome|have|be joined by)"
        rf" {NAME}",
        rf"\b[Ww]elcome {NAME} to (?:the|our|this) (?:show|podcast|programme|program|episode)",
        rf"\b[Ww]elcome to the (?:show|podcast|programme|program),? {NAME}",
        rf"\b(?:spoke|speaks|talked|talks|chatted|chats|sat down|sits down|caught up|met up"
        rf"|conversation|conversations|talking|speaking|chatting)\s+(?:with|to)\s+"
        rf"(?:(?:the|a|an|our) (?:[a-z][\w'’-]+ ){{0,3}})?{NAME}",  # "to the glaciologist X"
        # "we put a few questions to X", "five questions for the new librarian, X",
        # "trois questions à X", "nous avons posé trois questions à X".
        rf"\b[Qq]uestions? (?:to|for|à|an|a|para) (?:(?:the|our|la|le|l'|der|die|el|la) "
        rf"(?:[\w'’-]+ ){{0,3}}?[\w'’-]+, )?{NAME}",
        # A press title that quotes its guest: "Rosario Valdivieso: “Un mercado sin...”".
        rf"^{NAME}\s*:\s*[«“\"„‘]",
        rf"\b[Ii]nterview(?:ed|s|ing)?\s+(?:with\s+)?{NAME}",
        rf"^(?:[Aa]n )?[Ii]nterview(?: with)?\s*[:—–-]\s*{NAME}",  # "Interview: Timothy Miller"
        rf"\b(?:Q ?& ?A|[Qq]uestions(?: and [Aa]nswers)?|[Tt]alks?)\s+(?:for|with)\s+{NAME}",
        rf"\b(?:[Jj]oined|[Aa]ccompanied) (?:today |here |this week )?by {NAME}",
        rf"\b(?:[Ww]e|I) (?:asked|met|visited|contacted|reached out to|called|phoned) {NAME}",
        # French, German, Spanish.
        rf"\b(?:[Nn]ous avons|[Jj]'ai|[Oo]n a) (?:rencontré|interviewé|reçu|interrogé) {NAME}",
        rf"\b(?:[Ee]ntretien|[Rr]encontre|[Cc]onversation|[Dd]iscussion) avec {NAME}",
        rf"\b(?:[Nn]otre|[Mm]on|[Mm]a) invitée?(?: du jour| aujourd'hui| cette semaine)?"
        rf"(?: est|\s*:)\s+{NAME}",
        rf"\b[Nn]ous recevons {NAME}",
        rf"\b(?:[Ii]m )?(?:Gespräch|Interview|Unterhaltung) mit {NAME}",
        rf"\b(?:[Uu]nser|[Mm]ein) Gast(?: heute| in dieser Folge)?(?: ist|\s*:)\s+{NAME}",
        rf"\b[Zz]u Gast(?: ist| bei uns ist| bei uns:)?\s+{NAME}",
        rf"\b(?:[Ww]ir sprechen|[Ii]ch spreche|[Ww]ir haben) mit {NAME}",
        rf"\b(?:[Ee]ntrevista|[Cc]onversación|[Cc]harla) con {NAME}",
        rf"\b(?:[Hh]ablamos|[Cc]onversamos|[Cc]harlamos|[Hh]emos hablado) con {NAME}",
        rf"\b(?:[Nn]uestr[oa]|[Mm]i) invitad[oa](?: de hoy| de esta semana)?(?: es|\s*:)\s+{NAME}",
        rf"\b[Nn]os acompaña {NAME}",
    ],
    weak=[
        rf"(?:^|[.!?]\s+)(?:[Tt]his (?:week|month|issue|time|episode)|[Tt]oday|[Tt]onight)"
        rf"\s*[:,]\s*{NAME}",
        rf"\bwith {NAME},\s+(?:the |an? |our )?(?:[\w'’-]+\s+){{0,3}}?(?:{ROLE_NOUNS})\b",
        rf"(?:^|[.!?]\s+){NAME},\s+[^,.]{{3,80}},\s+(?:talks|speaks|explains|tells|discusses"
        rf"|shares|reflects|describes|looks back|walks us)\b",
        rf"^{NAME}\s+{_PEOPLE_VERB}\b(?!\s+(?:to|with)\b)",  # "X talks to Y": Y is the guest
        rf"\b(?:up|down|along|together|out|in|here) with {NAME}",
    ],
)

HOST_CUES = _cues(
    strong=[
        rf"\b(?:[Hh]osted|[Pp]resented|[Mm]oderated) by {NAME}",
        rf"\b(?:I'm|I am) your host,? {NAME}",
        rf"\b(?:[Yy]our|[Ww]ith) (?:your )?host,? {NAME}",
        rf"\b(?:I'm|I am|[Mm]y name is|[Tt]his is) {NAME}(?:,? and (?:this|welcome|you're)|,? your"
        rf" host)",
        rf"\b(?:[Aa]nimée? par|[Pp]résentée? par|[Jj]e suis|[Jj]e m'appelle) {NAME}",
        rf"\b(?:[Mm]oderiert von|[Pp]räsentiert von|[Ii]ch bin|[Mm]ein Name ist) {NAME}",
        rf"\b(?:[Pp]resentado por|[Cc]onducido por|[Ss]oy|[Mm]e llamo) {NAME}",
    ],
    weak=[rf"\b(?:I'm|I am|[Mm]y name is)\s+{NAME}"],
)


@dataclass(frozen=True)
class Candidate:
    name: str
    evidence: int  # how many signs say it is a person (the cue's own word counts when strong)
    order: int  # where it was found: the first wins a tie


_LINK = re.compile(r"\[([^\]\n]+)\](?:\[[^\]\n]*\]|\([^)\n]*\))")


def plain(text: str) -> str:
    """Markdown links as their words: "[Juan Rios, developer][2]" -> "Juan Rios, developer"."""
    return _LINK.sub(r"\1", text)


def person_name(written: str) -> str | None:
    """``written`` as a person's name (honorific dropped), or None when it cannot be one."""
    words = written.split()
    while words and words[0].lower().rstrip(".,") in LEADING_WORDS:
        words = words[1:]
    while words and words[-1].lower().rstrip(".,") in LEADING_WORDS:
        words = words[:-1]
    while len(words) > 2 and JOB_TITLE.fullmatch(words[0]):
        words = words[1:]
    honoured = bool(words) and _HONORIFIC_PREFIX.match(" ".join(words)) is not None
    name = _HONORIFIC_PREFIX.sub("", " ".join(words))
    parts = name.split()
    if not parts or len(parts) > 4 or (len(parts) < 2 and not honoured):
        return None
    if any(part.lower().strip("'’.,") in NOT_PERSON_WORDS for part in parts):
        return None
    return name


def _uses(name: str, texts: list[str]) -> int:
    """How often the person is mentioned in ``texts``: the whole name, or its first or
    last word alone ("Håvard's kits")."""
    words = [w for w in name.split() if len(w) > 2 and not w.endswith(".")] or name.split()
    forms = (name, words[0], words[-1])
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, forms))})\b")
    return sum(len(pattern.findall(plain(text))) for text in texts)


def _evidence(name: str, match: re.Match[str], everything: list[str]) -> int:
    """Signs that ``name`` (found by ``match``) is a person."""
    after = match.string[match.end("name") :]
    next_sentences = " ".join(re.split(r"(?<=[.!?])\s+", after)[:2])
    return (
        bool(_HONORIFIC_PREFIX.match(match["name"]))
        + 2 * (_uses(name, everything) >= 2)
        + bool(PRONOUN.search(next_sentences))
        + bool(APPOSITIVE.match(after))
    )


def _sentence_at(text: str, index: int) -> str:
    start = max(text.rfind(". ", 0, index), text.rfind("\n", 0, index)) + 1
    return text[start:index]


def candidates(
    texts: list[str], cues: tuple[Cue, ...], everything: list[str], exclude: set[str]
) -> list[Candidate]:
    """The people ``cues`` name in ``texts``; ``everything``: where a name may be used again;
    ``exclude``: lower-cased name words of people already known (the host, named labels)."""
    found = []
    for text_index, text in enumerate(map(plain, texts)):
        for cue_index, cue in enumerate(cues):
            for match in cue.pattern.finditer(text):
                name = person_name(match["name"])
                if name is None or {w.lower() for w in name.split()} & exclude:
                    continue
                if EARLIER.search(_sentence_at(text, match.start())):
                    continue  # "Previously in this series I interviewed X"
                evidence = _evidence(name, match, everything) + cue.strong
                if evidence:
                    order = (text_index * len(cues) + cue_index) * 100_000 + match.start()
                    found.append(Candidate(name, evidence, order))
    return found


def best(found: list[Candidate]) -> str | None:
    """The candidate with the most evidence, then the first found."""
    if not found:
        return None
    return min(found, key=lambda c: (-c.evidence, c.order)).name


def guest_named(texts: list[str], everything: list[str], exclude: set[str]) -> str | None:
    return best(candidates(texts, GUEST_CUES, everything, exclude))


def host_named(texts: list[str], everything: list[str], exclude: set[str]) -> str | None:
    return best(candidates(texts, HOST_CUES, everything, exclude))
