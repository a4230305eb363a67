"""Who interviews whom: roles from evidence, and the kind of each turn.

Evidence, strongest first:

* role words and offices in labels (MODERATOR, Q -> interviewer; A, THE
  GOVERNOR -> interviewee);
* the person the title names ("An interview with X") is interviewed;
* who asks: the share of a speaker's turns that ask (a "?" or an
  interrogative or request opening), with a bonus for host phrases ("thanks
  for joining us", "welcome to the show") and a malus for guest phrases
  ("thanks for having me").

Panels are normal: with three or more speakers, everyone who asks about as
much as the top asker is an interviewer too, as long as someone is left to
answer.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qacast.models import Role, TurnKind
from qacast.script.languages import addressing_words

# Capitalised words that open a question and are never a name.
ASKING_WORDS = ("Who", "What", "When", "Where", "Why", "How", "Which", "Whose", "Really")

# Openings that ask without a question mark: interrogatives and requests.
ASKING_OPENINGS = re.compile(
    r"^(?:so,?\s+|and\s+|but\s+|now,?\s+|okay,?\s+|ok,?\s+|well,?\s+)?"
    r"(?:who|what|when|where|why|how|which|whose|is|are|was|were|do|does|did|can|could|would"
    r"|will|should|have|has|had|tell|describe|explain|talk|walk|share|give|take|help|say"
    r"|name|list|discuss|elaborate|expand|comment|introduce|remind|paint|let'?s talk"
    r"|i'?d (?:like|love) (?:you )?to (?:hear|know)|i'?m curious|i wonder|please)\b",
    re.IGNORECASE,
)
# Requests that hand the floor over at the end of a turn, however it began.
REQUESTS = re.compile(
    r"(?:^|[,;:]\s+)(?:so,?\s+|and\s+|now,?\s+|please,?\s+)?(?:tell|describe|explain|walk (?:us|me)"
    r"|help (?:us|me)|share|elaborate|expand|comment|introduce|remind|paint|talk (?:to )?(?:us|me)"
    r"|let'?s (?:talk|hear)|i'?d (?:like|love) (?:you )?to (?:hear|know)|i'?m curious|i wonder)\b",
    re.IGNORECASE,
)
HOST_PHRASES = re.compile(
    r"\b(?:thanks? (?:you )?(?:so much )?for"
    r" (?:joining|coming|being here|being with|taking the time)"
    r"|welcome (?:to|back)|joining (?:us|me)|my guest|our guest|with us (?:today|now)"
    r"|let'?s (?:start|begin|turn|move|talk)|before we (?:go|wrap|finish)|last question"
    r"|(?:will )?come to order|you(?:'re| are) recognized|the chair recognizes|go ahead"
    r"|you(?:'re| are) listening to|this begins an interview|i(?:'m| am) here with)\b",
    re.IGNORECASE,
)
GUEST_PHRASES = re.compile(
    r"\b(?:thanks? (?:you )?(?:so much )?for (?:having|inviting) me|glad to be here"
    r"|happy to be here"
    r"|pleasure to be here|great to be here|good question|great question)\b",
    re.IGNORECASE,
)
# An interviewer turn opening like this is social, not a question, even when
# the guest replies to it.
SOCIAL_OPENINGS = re.compile(
    r"^(?:welcome|hello|hi|good (?:morning|afternoon|evening)|thanks?|thank you|great|wow"
    r"|right|okay|ok|sure|yes|yeah|mm-?hmm|uh-?huh|that'?s (?:all|it)|congratulations)\b",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
THANKS = re.compile(r"\b(?:thanks?|thank you|cheers)\b", re.IGNORECASE)
FLOOR_MAX_WORDS = 3
# "Imogen, thank you." / "Soraya Benhaddou, thank you.": a name said to someone first.
VOCATIVE = re.compile(r"^(?:[A-Z][\w'’.-]*\s*){1,3},\s*")
# Self-introductions and closings that open an exchange without asking.
NOT_ASKING = re.compile(
    r"\b(?:you(?:'re| are) listening to|welcome (?:to|back)|my guest|joining (?:us|me)"
    r"|i(?:'m| am) here with|this (?:is|begins) (?:an interview|[A-Z])|thank you|thanks"
    r"|come to order|you(?:'re| are) recognized)\b",
    re.IGNORECASE,
)
SECOND_PERSON = re.compile(
    r"\b(?:(?i:you|your|yours|yourself|yourselves|y'all)|" + addressing_words() + r")\b"
)
INTERJECTION_MAX_WORDS = 3  # "Right.", "I see." never open an exchange as a question
PHRASE_WEIGHT = 0.25
PANEL_SHARE = 0.6  # of the top asker's score, to count as a second interviewer
PANEL_MIN_SPEAKERS = 3  # with two speakers, one asks and one answers
MIN_PANEL_SCORE = 0.4
# A panellist the host calls, who then says who they are ("I'm Lloyd, ...") and asks a
# fellow guest one thing, is still a guest; a co-host who asks once is not.
CO_HOST_MIN_ASKS = 2
INTRODUCES_SELF = re.compile(r"\b(?:I'm|I’m|I am|[Mm]y name is)\s+[A-Z]")
MANY_TURNS = 4  # a speaker with this many turns outranks a one-turn asker as the host


def asks(text: str) -> bool:
    """Does this turn ask something: a "?" or an asking opening?"""
    return "?" in text or bool(ASKING_OPENINGS.match(text.lstrip("\"“'‘(")))


# Asides that may close a turn after its last words: "(Applause.)", "[laughter]".
TRAILING_ASIDES = re.compile(r"(?:\s*[\[(][^\])]{1,60}[\])])+\s*$")
TAG_QUESTION_MAX_WORDS = 2  # "Right?", "Why?" inside a long turn ask nobody
SHORT_TURN_WORDS = 15  # a turn this short that asks is a question, however brief
HANDOVER_SENTENCES = 2  # a question among a turn's last two sentences hands it over
REQUEST_TURN_WORDS = 60  # "Tell me about X." ends a turn this short as a request


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(TRAILING_ASIDES.sub("", text).strip()) if s]


def hands_over(text: str) -> bool:
    """Does this turn end by putting a question or a request to someone else?

    That is what an interviewer's turns do. A question in the middle of a
    turn that the speaker goes on to answer ("Why? Well, first of all...") or a
    tag at the end of a long one ("..., right?") is the speaker's own
    rhetoric, and is how interviewees ask.
    """
    said = sentences(text)
    if not said:
        return False
    if len(text.split()) <= SHORT_TURN_WORDS:
        return asks(text)
    last = said[-HANDOVER_SENTENCES:]
    if any(
        s.rstrip("\"”’')").endswith("?") and len(s.split()) > TAG_QUESTION_MAX_WORDS for s in last
    ):
        return True
    request = ASKING_OPENINGS.match(last[-1].lstrip("\"“'‘("))
    return bool(request) and (
        len(text.split()) <= REQUEST_TURN_WORDS or bool(SECOND_PERSON.search(last[-1]))
    )


@dataclass(frozen=True)
class RoleDecision:
    roles: dict[str, Role]
    reasons: dict[str, str]  # speaker id -> why
    # (guessed interviewer, the interviewee who nearly was one): the asking
    # evidence between them was too close to be sure.
    close_call: tuple[str, str] | None = None


LENGTH_WEIGHT = 0.3
CLOSE_CALL = 0.25  # asking scores nearer than this leave the roles in doubt
MAX_BREVITY = 1.0


def _brevity(speaker: str, turns: Sequence[tuple[str, str]]) -> float:
    """How much shorter this speaker's turns are than everyone else's, -1..1 (log scale).

    Interviewers ask and interviewees talk: across the interviews we studied the
    person answering speaks several times as many words per turn."""
    own = [len(text.split()) for who, text in turns if who == speaker]
    rest = [len(text.split()) for who, text in turns if who != speaker]
    if not own or not rest:
        return 0.0
    ratio = math.log((sum(rest) / len(rest) + 1) / (sum(own) / len(own) + 1)) / math.log(4)
    return max(-MAX_BREVITY, min(MAX_BREVITY, ratio))


def _gives_floor(text: str, others: list[str]) -> bool:
    """A short sentence naming another speaker ("Dr. Fenwick.", "Senator Mbeki-Hart.")."""
    for sentence in SENTENCE.split(text):
        short = len(sentence.split()) <= FLOOR_MAX_WORDS and not THANKS.search(sentence)
        if short and any(other and other in sentence.lower() for other in others):
            return True
    return False


Score = tuple[float, int, int]  # (how much a speaker asks, turns that ask, turns)


def decide_roles(
    order: Sequence[str],
    turns: Sequence[tuple[str, str]],  # (speaker id, text) in order
    hints: dict[str, Role | None],
    title_names: dict[str, bool],  # speaker id -> the page says they are interviewed
    names: dict[str, str] | None = None,  # speaker id -> name, to see who gives whom the floor
) -> RoleDecision:
    """Roles stated (role words, the title), then by who asks; panels are normal."""
    roles: dict[str, Role] = {}
    reasons: dict[str, str] = {}
    for speaker in order:
        if hints.get(speaker):
            roles[speaker] = hints[speaker]  # type: ignore[assignment]
            reasons[speaker] = "role word or office in the label"
        elif title_names.get(speaker):
            roles[speaker] = "interviewee"
            reasons[speaker] = "named in the title"
    scores = _scores(order, turns, names or {})
    introduced = _introduced_when_called(turns, names or {})
    close_call = _by_asking(order, scores, roles, reasons, introduced)
    for speaker in order:
        bench = _bench(speaker)
        same_bench = any(roles[other] == "interviewer" and bench & _bench(other) for other in order)
        if roles[speaker] == "interviewee" and bench and same_bench:
            roles[speaker] = "interviewer"
            reasons[speaker] = _ask_reason("asks, and shares an office with an interviewer",
                                           scores[speaker])  # fmt: skip
    if not any(r == "interviewee" for r in roles.values()) and len(order) >= 2:
        # Everyone looked like an interviewer: the one who asks least answers.
        least = min(order, key=lambda s: (scores[s][0], -order.index(s)))
        roles[least] = "interviewee"
        reasons[least] = _ask_reason("asks least", scores[least])
    if close_call and roles[close_call[1]] != "interviewee":
        close_call = None
    return RoleDecision({s: roles[s] for s in order}, reasons, close_call)


def _introduced_when_called(turns: Sequence[tuple[str, str]], names: dict[str, str]) -> set[str]:
    """Speakers who say who they are right after the host calls them ("... Lloyd." /
    "G'day. I'm Lloyd, ..."): how a panel's guests are brought in, one by one."""
    introduced = set()
    for (_, before), (who, text) in itertools.pairwise(turns):
        called = calls(before, names.get(who, who)) or calls(before, who)
        if called and INTRODUCES_SELF.search(text):
            introduced.add(who)
    return introduced


def _scores(
    order: Sequence[str], turns: Sequence[tuple[str, str]], names: dict[str, str]
) -> dict[str, Score]:
    """How much each speaker asks: the share of their turns that hand the floor over,
    host and guest phrases, and how briefly they speak."""
    surnames = {s: names.get(s, s).split(" ")[-1].lower() for s in order}

    def score(speaker: str) -> Score:
        texts = [text for who, text in turns if who == speaker]
        others = [surnames[s] for s in order if s != speaker and len(surnames[s]) > 2]
        asked = sum(hands_over(text) or _gives_floor(text, others) for text in texts)
        share = asked / len(texts) if texts else 0.0
        host = sum(bool(HOST_PHRASES.search(t)) for t in texts)
        guest = sum(bool(GUEST_PHRASES.search(t)) for t in texts)
        brevity = LENGTH_WEIGHT * _brevity(speaker, turns)
        return share + PHRASE_WEIGHT * (host - guest) + brevity, asked, len(texts)

    return {speaker: score(speaker) for speaker in order}


def _by_asking(
    order: Sequence[str],
    scores: dict[str, Score],
    roles: dict[str, Role],
    reasons: dict[str, str],
    introduced: set[str],
) -> tuple[str, str] | None:
    """Roles for the speakers nothing states: the top asker interviews (unless someone
    does already), and whoever asks about as much is a co-host. Returns the close call,
    if the top asker was only just ahead."""
    most_turns = max((scores[s][2] for s in order), default=0)

    def passing(speaker: str) -> bool:
        # One line among many turns (a voice reading a quote, a caller) does not
        # make its speaker the host, however much that line asks.
        return scores[speaker][2] == 1 and most_turns >= MANY_TURNS

    ranked = sorted(
        (s for s in order if s not in roles),
        key=lambda s: (passing(s), -scores[s][0], order.index(s)),
    )
    close_call = None
    if ranked and "interviewer" not in roles.values():
        top = ranked.pop(0)
        roles[top] = "interviewer"
        reasons[top] = _ask_reason("asks most", scores[top])
        if ranked and scores[ranked[0]][0] > scores[top][0] - CLOSE_CALL:
            close_call = (top, ranked[0])
    best = max((scores[s][0] for s, r in roles.items() if r == "interviewer"), default=1.0)
    for speaker in ranked:
        value, asked, _ = scores[speaker]
        co_host = (
            len(order) >= PANEL_MIN_SPEAKERS
            and value >= MIN_PANEL_SCORE
            and (asked >= CO_HOST_MIN_ASKS or speaker not in introduced)
            and value >= PANEL_SHARE * best
            and not passing(speaker)
        )
        roles[speaker] = "interviewer" if co_host else "interviewee"
        reasons[speaker] = _ask_reason(
            "asks like the other interviewer" if co_host else "answers", scores[speaker]
        )
    return close_call


# Offices held by a bench of questioners: when one justice or senator asks,
# the others who ask are questioners too ("CHIEF JUSTICE BARNES" beside
# "JUSTICE OSTROVA"), however few of their turns ask.
BENCH_WORD_LIST = """
    justice judge senator sen. sen rep. rep representative congressman congresswoman
    commissioner councillor councilmember juror
"""
BENCH_WORDS = frozenset(BENCH_WORD_LIST.split())


def _bench(speaker: str) -> frozenset[str]:
    return frozenset(speaker.lower().split()) & BENCH_WORDS


def _ask_reason(what: str, score: tuple[float, int, int]) -> str:
    return f"{what}: asks in {score[1]} of {score[2]} turns"


# Questions that ask nothing of substance: greetings and checks on the line.
SMALL_TALK = re.compile(
    r"(?:(?:hi|hey|hello|howdy|so|and|well)[,!]?\s+)*"
    r"(?:how (?:are|were) (?:you|things|we)(?: (?:doing|today|all))?|how'?s it going"
    r"|how (?:have you|you) been|(?:can|could) you (?:hear|see) (?:me|us|this|that)"
    r"|are you (?:there|with us)"
    r"|(?:are )?you (?:there|ready)|all (?:good|set))\W*",
    re.IGNORECASE,
)


def calls(text: str, name: str) -> bool:
    """Does ``text`` call someone by (a word of) ``name``: "..., Jerod?"."""
    return any(len(w) > 2 and re.search(rf"\b{re.escape(w)}\b", text) for w in name.split())


TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "professor", "senator", "madam", "sir"})
ASIDE_MAX_WORDS = 4  # "Did you?" to a co-host who speaks next


def _without_names(sentence: str, name: str, name_words: frozenset[str]) -> str:
    """The words of ``sentence`` besides names (the next speaker's, or any the text
    uses as a name) and the titles before them: "Dr. Okafor?" leaves nothing."""
    words = re.findall(r"[\w'’-]+", sentence)
    own = {w.lower() for w in re.findall(r"[\w'’-]+", name)} | TITLES
    return " ".join(w for w in words if w.lower() not in own and w not in name_words)


def _aside(text: str, around: Around) -> bool:
    """Is this asking turn not a question to the guest? Asked of a co-host (by name, or
    calling someone who is no guest, and a co-host speaks next), banter ("..., did you?"),
    only small talk ("How are you?"), or only a name to give the floor ("Dr. Okafor?")."""
    asking = [s for s in sentences(text) if "?" in s]
    names = around.name_words
    if all(not _without_names(s, around.next_name, names) for s in asking):
        return True
    if around.next_role == "interviewer":
        called = {w for s in asking if (v := VOCATIVE.match(s)) for w in v.group().split()}
        called = {w.strip(",") for w in called} & names
        if around.next_name and calls(text, around.next_name):
            return True
        if called and not called & around.guest_words:
            return True  # "Marcus, didn't you try one?" to a host, when the guest is Yusuf
        if all(len(s.split()) <= ASIDE_MAX_WORDS for s in asking):
            return True
    return all(map(_not_a_question, asking))


# Questions put to the room, not to the guest: "Who here runs a full node?"
TO_THE_AUDIENCE = re.compile(
    r"\b(?:who here|who in (?:here|the room|the audience)|how many (?:people |folks )?"
    r"(?:here|of you|in (?:the|this) room)|(?:a )?show of hands|raise your hands?)\b",
    re.IGNORECASE,
)


def _not_a_question(sentence: str) -> bool:
    sentence = VOCATIVE.sub("", sentence.strip(), count=1) or sentence
    return bool(SMALL_TALK.fullmatch(sentence) or TO_THE_AUDIENCE.search(sentence))


@dataclass(frozen=True)
class Around:
    """What a turn's kind depends on besides its own words."""

    next_role: Role | None = None  # the role of the turn after it, if any
    previous_asked: bool = False  # the turn before it was the guest asking a question
    next_name: str = ""  # the name of who speaks next
    name_words: frozenset[str] = frozenset()  # words the text uses as people's names
    guest_words: frozenset[str] = frozenset()  # ... as the interviewees' names


def turn_kind(role: Role, text: str, around: Around = Around()) -> TurnKind:
    """question / remark / answer.

    An interviewer turn is a question when it asks, or when it opens an
    exchange (the next turn is an interviewee's) and is not small talk: "Tell
    me about your work." is a question, "Welcome to the show." and "Right."
    are remarks.
    """
    if role != "interviewer":
        return "answer"
    if "?" in text:
        return "remark" if _aside(text, around) else "question"
    next_role, previous_asked = around.next_role, around.previous_asked
    if next_role != "interviewee" or previous_asked:
        return "remark"  # nothing follows it, or it answers the guest's own question
    said = sentences(text)
    if len(said) > 1 and REQUESTS.search(VOCATIVE.sub("", said[-1], count=1)):
        return "question"  # "Thank you, Chairman. [...] Help me with this disconnect."
    opening = VOCATIVE.sub("", text, count=1)
    social = SOCIAL_OPENINGS.match(opening) or SOCIAL_OPENINGS.match(text)  # "Welcome, both"
    if social or len(text.split()) <= INTERJECTION_MAX_WORDS:
        return "remark"
    if NOT_ASKING.search(text) and not ASKING_OPENINGS.match(opening):
        return "remark"
    if not ASKING_OPENINGS.match(opening) and not SECOND_PERSON.search(text):
        return "remark"  # narration to the listener ("A town in Kansas lost its clinic.")
    return "question"
