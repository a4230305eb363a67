"""A transcript with no speaker marks at all -> turns, told apart by their questions.

Speech recognisers without diarisation (plain Whisper, YouTube's captions, a
caption file with no names) give the words of an interview and nothing of who
says them. An interview still shows its shape: the interviewer asks the guest
something, the guest answers until the next question. So:

- a sentence is a question to the guest when it ends in "?" and enough
  evidence says it is put to the other person (``question_score``): it is
  addressed to them ("you", "your"), opens like a question, and stands on its
  own in the recording (a pause or a segment break before and after). A tag
  question ("..., right?") or a rhetorical one inside an answer ("What did
  we do? We waited.") is not;
- the interviewer's turn is the question with the lead-in that opens its
  segment ("Fascinating. You mentioned the lake. Why a boat?"), and any
  questions that follow it at once;
- the answer runs until the next such question; a guest's answer must have a
  few words before a question can end it, so a clarifying "Do you mean the
  first one?" stays with the guest;
- the interviewer's closing thanks ("Thank you for joining us") opens a turn
  of theirs, and "thanks for having me" hands it back.

The turns are labelled "Host" and "Guest": role words that the parser gives
their roles, and that the intro can name ("I'm Jane Doe", "my guest today is
Dr. Amara Lindqvist", see turns/naming.py). The reader adds a note that the turns
were inferred, which ``qacast parse -v`` shows.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qacast.errors import ScriptError
from qacast.script.formats.fragments import PARAGRAPH_PAUSE_MS, SENTENCE_END, Fragment, Spoken
from qacast.script.speech.sentences import ABBREVIATIONS, split_sentences

HOST, GUEST = "Host", "Guest"
INFERRED_NOTE = (
    "no speaker labels: turns inferred from questions ({count} found); check who says what"
)

# A pause this long in a timed recording separates two people (or two thoughts).
TURN_PAUSE_MS = 700
QUESTION_SCORE = 3  # evidence needed for a "?" sentence to open the interviewer's turn
MIN_ANSWER_WORDS = 3  # an answer has at least this many words before the next question
LEAD_IN_MAX_WORDS = 45  # what the interviewer says before a question, at most

SECOND_PERSON = re.compile(r"\byou(?:r|rs|rself|rselves|'re|’re|'ve|’ve|'d|’d|'ll|’ll)?\b", re.I)
# Openings that are not put to anyone: "You know what happened?", "Guess what?"
RHETORICAL_OPENING = re.compile(
    r"^(?:and |so |but )?(?:you know what|guess what|can you imagine|would you believe"
    r"|do you know what happened|what do you know)\b",
    re.I,
)
# "..., right?", "..., you know?", "isn't it?": asking for agreement, not an answer.
TAG_QUESTION = re.compile(
    r"(?:,|\s)\s*(?:right|you know|y'know|isn't it|aren't they|wasn't it|don't you think"
    r"|know what i mean|okay|ok|yeah|huh|eh|no|see|correct|true)\s*\?[\"'”’)]*$",
    re.I,
)
# Words before the question proper: "So, Henrik, how did...?"
FILLER = re.compile(
    r"^(?:(?i:and|so|but|now|okay|ok|well|right|alright|um|uh)[,.]?\s+"
    r"|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?,\s+)+"
)
ASKING_WORD = re.compile(
    r"^(?:what|what's|why|how|how's|when|where|who|whom|whose|which|do|does|did|is|are|was"
    r"|were|can|could|would|will|have|has|had|should|shall|may|might|tell|describe|walk)\b",
    re.I,
)
# The interviewer's closing thanks, and the guest's reply to it.
HOST_THANKS = re.compile(
    r"^(?:well,?\s+)?(?:thank you|thanks)\b.*\b(?:for (?:coming|joining|being|talking|taking"
    r"|speaking|sharing|doing)|so much|very much)\b",
    re.I,
)
GUEST_THANKS = re.compile(
    r"\b(?:having me|the invitation|inviting me|my pleasure|a pleasure|thank you|thanks)\b", re.I
)
# Short words of acknowledgement that lead into the interviewer's next question.
ACKNOWLEDGEMENT = re.compile(
    r"(?:wow|great|right|okay|ok|i see|interesting|fascinating|amazing|incredible|brilliant"
    r"|wonderful|mm-?hmm|yeah|sure|fair enough|got it|that's (?:great|interesting|fascinating"
    r"|amazing|wonderful|incredible|fair))[.!]",
    re.I,
)


@dataclass(frozen=True)
class Sentence:
    text: str
    opens: bool  # a segment break (with a pause, when times are known) comes before it
    closes: bool  # ...or after it
    pause_before_ms: int | None
    segmented: bool  # the source has breaks to go by at all
    lead_words: int  # words between the break that opens its segment and this sentence


def sentences_of(fragments: Sequence[Fragment]) -> list[Sentence]:
    """The sentences of the fragments, each with the breaks of the recording around it."""
    pieces: list[str] = []
    starts: dict[int, tuple[bool, int | None]] = {}  # offset -> (a turn-like break, pause)
    offset = 0
    previous: Fragment | None = None
    for fragment in fragments:
        text = " ".join(fragment.text.split())
        if not text:
            continue
        pause = _pause(previous, fragment)
        starts[offset] = (pause is None or pause >= TURN_PAUSE_MS, pause)
        pieces.append(text)
        offset += len(text) + 1
        previous = fragment
    stream = " ".join(pieces)
    segmented = len(starts) > 1
    breaks = sorted(at for at, (turn_like, _) in starts.items() if turn_like)
    out: list[Sentence] = []
    position = 0
    for sentence in _sentences(stream):
        begin = stream.find(sentence, position)
        position = begin + len(sentence)
        opens, pause = starts.get(begin, (False, None))
        after = starts.get(position + 1, (position >= len(stream), None))[0]
        before = bisect.bisect_right(breaks, begin) - 1
        opened_at = breaks[before] if before >= 0 else 0
        lead = len(stream[opened_at:begin].split())
        out.append(
            Sentence(sentence, segmented and opens, segmented and after, pause, segmented, lead)
        )
    return out


# Speech recognisers often start sentences without a capital ("...engines? my dad
# had"): here a "?", "!" or "." ends one whatever follows, unless the word before a
# "." is an abbreviation ("e.g.") or an initial.
LOWER_START = re.compile(r"(?<=[.?!…])[\"'”’)\]]*\s+(?=[a-z])")
LAST_WORD = re.compile(r"(\S+)\.$")


def _sentences(stream: str) -> list[str]:
    out: list[str] = []
    for sentence in split_sentences(stream):
        start = 0
        for match in LOWER_START.finditer(sentence):
            before = sentence[start : match.start()]
            word = LAST_WORD.search(before)
            token = word.group(1).lower() if word else ""
            if token in ABBREVIATIONS or len(token) == 1 or "." in token:
                continue
            out.append(before.strip())
            start = match.end()
        out.append(sentence[start:].strip())
    return [s for s in out if s]


def _pause(previous: Fragment | None, fragment: Fragment) -> int | None:
    if previous is None or previous.end_ms is None or fragment.start_ms is None:
        return None
    return fragment.start_ms - previous.end_ms


def question_score(sentence: Sentence, following: Sentence | None) -> int:
    """How strongly a sentence reads as a question put to the other person (0: not one)."""
    text = sentence.text.strip()
    bare = FILLER.sub("", text)
    if not re.search(r"\?[\"'”’)\]]*$", text) or len(text.split()) < 2:
        return 0
    if TAG_QUESTION.search(text) or RHETORICAL_OPENING.match(bare):
        return 0
    score = 2 if SECOND_PERSON.search(text) else 0
    score += 1 if ASKING_WORD.match(bare) else 0
    # Standing on its own: a break before it (or before its short lead-in) and after it.
    led_in = sentence.closes and sentence.lead_words <= LEAD_IN_MAX_WORDS
    score += 1 if sentence.opens or (sentence.segmented and led_in) else 0
    score += 1 if sentence.closes else 0
    # "What do you do then? You bail.": the speaker answers their own question at once.
    answered_at_once = (
        sentence.segmented
        and following is not None
        and not following.opens
        and re.match(r"(?:you|because)\b", following.text, re.I) is not None
    )
    return score - 2 if answered_at_once else score


def infer_turns(fragments: Sequence[Fragment], source_name: str) -> tuple[list[Spoken], int]:
    """Host and guest turns, and how many questions told them apart.

    Raises ScriptError when no question is found: without one there is no
    telling who asks.
    """
    sentences = sentences_of(fragments)
    owners = _owners(sentences)
    questions = sum(
        1
        for i, s in enumerate(sentences)
        if owners[i] == HOST and question_score(s, _at(sentences, i + 1)) >= QUESTION_SCORE
    )
    if GUEST not in owners or questions == 0:
        raise ScriptError(
            f"{source_name}: no speaker labels found, and no questions to the guest to tell "
            "the turns apart; start each turn with a label such as 'Jane Doe:'"
        )
    return _turns(sentences, owners), questions


def _at(sentences: Sequence[Sentence], index: int) -> Sentence | None:
    return sentences[index] if 0 <= index < len(sentences) else None


def _owners(sentences: Sequence[Sentence]) -> list[str]:
    """HOST or GUEST for each sentence."""
    owners: list[str] = []
    answer_start = 0  # index of the first sentence of the current guest turn
    mode = HOST  # the host opens: the intro runs up to the first question
    closing = False
    for i, sentence in enumerate(sentences):
        asks = question_score(sentence, _at(sentences, i + 1)) >= QUESTION_SCORE
        if mode == HOST:
            text = sentence.text
            thanked = GUEST_THANKS.search(text) and not HOST_THANKS.match(FILLER.sub("", text))
            if closing and thanked:
                mode, answer_start, closing = GUEST, i, False
            elif not closing and owners and not asks and _asked(sentences, owners):
                mode, answer_start = GUEST, i
            owners.append(mode)
            continue
        answered = sum(len(s.text.split()) for s in sentences[answer_start:i])
        thanks = HOST_THANKS.match(FILLER.sub("", sentence.text))
        if (asks or thanks) and answered >= MIN_ANSWER_WORDS:
            start = _lead_in(sentences, answer_start, i)
            owners[start:i] = [HOST] * (i - start)
            mode, closing = HOST, not asks
        owners.append(mode)
    return owners


def _asked(sentences: Sequence[Sentence], owners: list[str]) -> bool:
    """The host's turn so far ends with a question (so the next statement is the answer)."""
    last = len(owners) - 1
    return question_score(sentences[last], _at(sentences, last + 1)) >= QUESTION_SCORE


def _lead_in(sentences: Sequence[Sentence], answer_start: int, question: int) -> int:
    """Where the interviewer's turn starts: the break that opens the question's segment,
    or the acknowledgement just before it; the question itself otherwise."""
    if sentences[question].opens or not sentences[question].segmented:
        return _acknowledged(sentences, answer_start, question)
    words = 0
    for k in range(question - 1, answer_start, -1):
        words += len(sentences[k].text.split())
        if words > LEAD_IN_MAX_WORDS:
            break
        before = sum(len(s.text.split()) for s in sentences[answer_start:k])
        if sentences[k].opens and before >= MIN_ANSWER_WORDS:
            return k
    return question


def _acknowledged(sentences: Sequence[Sentence], answer_start: int, question: int) -> int:
    start = question
    while start - 1 > answer_start and ACKNOWLEDGEMENT.fullmatch(sentences[start - 1].text):
        start -= 1
    return start


def _turns(sentences: Sequence[Sentence], owners: Sequence[str]) -> list[Spoken]:
    """Consecutive sentences of one owner as a turn; a paragraph at a long pause."""
    turns: list[Spoken] = []
    paragraphs: list[str] = []
    owner = ""
    for sentence, who in zip(sentences, owners, strict=True):
        if who != owner:
            if paragraphs:
                turns.append(Spoken(owner, tuple(paragraphs)))
            owner, paragraphs = who, [sentence.text]
        elif _paragraph_break(sentence, paragraphs[-1]):
            paragraphs.append(sentence.text)
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {sentence.text}"
    if paragraphs:
        turns.append(Spoken(owner, tuple(paragraphs)))
    return turns


def _paragraph_break(sentence: Sentence, paragraph: str) -> bool:
    """Only a long pause after a finished sentence; an untimed source gives none."""
    pause = sentence.pause_before_ms
    opens = sentence.opens and SENTENCE_END.search(paragraph) is not None
    return opens and pause is not None and pause >= PARAGRAPH_PAUSE_MS
