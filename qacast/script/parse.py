"""Transcript text -> Episode: title, speakers, turns, intro/outro, chapters, notes.

The order of work, each step a function below or a module of its own:
  blocks (CommonMark, blocks.py) -> furniture dropped (furniture.py)
  -> labels accepted (labels.py) -> paragraphs (layout.py) -> title taken off
  -> the layout chosen (labelled turns, or questions as headings / bold
  paragraphs / "Q:" lines over unlabelled answers) -> sections with no
  dialogue skipped -> intro | turns | outro -> roles and kinds (roles.py)
  -> who reads intro and outro -> chapters.

Every decision that is not obvious from the text is written to the
episode's notes, which `qacast parse -v` prints.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from qacast.errors import NoDialogueError, ScriptError
from qacast.models import (
    ChapterMark,
    Episode,
    EpisodeMeta,
    Paragraph,
    Speaker,
    Turn,
)
from qacast.script.blocks.clean import Notes, clean_blocks
from qacast.script.blocks.commonmark import read_blocks
from qacast.script.blocks.furniture import (
    furniture_rule,
    unwrap_text_shortcodes,
    voice_tags_as_labels,
)
from qacast.script.blocks.paragraphs import (
    RawParagraph,
    heading_label_text,
    heading_labels,
    marked_label_text,
    split_block,
    split_inline_labels,
)
from qacast.script.blocks.title import is_header, take_title, title_from_name
from qacast.script.formats.decode import normalise_text
from qacast.script.front.guide import INTRO_SPEAKER, Guide
from qacast.script.labels.find import (
    FULL_NAME,
    INITIALS,
    NOT_SPEAKERS,
    ROLE_LABELS,
    WEAK_RULES,
    Labels,
    candidate,
    find_labels,
    honorific,
    role_hint,
    speaker_name,
)
from qacast.script.labels.names import NAME_WORD, index_names
from qacast.script.text import collapse_whitespace, shorten
from qacast.script.turns.naming import (
    BRIEFING,
    QUESTION_IDS,
    evidence_roles,
    name_interviewer,
    name_role_words,
)
from qacast.script.turns.roles import ASKING_WORDS, Around, decide_roles, turn_kind
from qacast.script.turns.sections import (
    ANSWER_IDS,
    QUESTIONS_ID,
    Group,
    after_footer,
    after_last_rule,
    between_turns,
    clean_intro,
    drop,
    group_turns,
    marked_groups,
    question_markers,
    skip_sections,
    with_dialogue,
)
from qacast.script.turns.unlabelled import exchange_before_labels, split_repeated_speakers

__all__ = ["name_interviewer", "parse_script", "title_from_name"]

NARRATOR = Speaker(id="NARRATOR", name="Narrator", role="narrator")
CHAPTER_TITLE_MAX_CHARS = 60


# First-person words: the interviewer speaking for themselves. Lower-case "us"
# only, so "the US" is not one; "I" not before "." so "I.S.P." is not one.
FIRST_PERSON = re.compile(
    r"\b(?:I(?![.\w])|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Oo]ur|[Oo]urs|us|[Oo]urselves)\b"
)

# The first line of a sign-off block ("Thank you,\nStephen Ibaraki").
SIGN_OFF = re.compile(
    r"(?:many )?(?:thank you|thanks)(?: again)?|(?:best |kind |warm )?regards|best(?: wishes)?"
    r"|cheers|sincerely|yours(?: truly| sincerely)?|until next time|see you next time",
    re.IGNORECASE,
)
SIGN_OFF_LINE = re.compile(rf"(?:{SIGN_OFF.pattern})\s*[,.!]?", re.IGNORECASE)

# Phrases with which an interviewer steps out of the conversation to talk to
# the reader: the next part, the series, an invitation to comment.
OUTRO_CUES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:tomorrow|next week|next time|next month|in (?:the|our) next)\b", re.I),
    # Not "this interview": a guest's last words are often "thanks for this interview".
    re.compile(
        r"\b(?:these interviews|this series|(?:the |our )?(?:next|previous|earlier)"
        r" (?:interview|episode|instal+ment|part))\b",
        re.I,
    ),
    re.compile(
        r"\b(?:stay tuned|to be continued|share your thoughts|leave a comment"
        r"|let (?:me|us) know what you think)\b",
        re.I,
    ),
)
NAME_WORD_RE = re.compile(NAME_WORD)


# --- title ------------------------------------------------------------------


# --- layouts ----------------------------------------------------------------


# --- outro and readers ----------------------------------------------------------


def _name_words(name: str) -> set[str]:
    return set(NAME_WORD_RE.findall(name))


def _is_narration(paragraph: RawParagraph, own_name_words: set[str]) -> bool:
    """Does this paragraph read as the interviewer talking to the reader?

    A speaker never calls themselves by name, so a paragraph in the last turn
    that names that turn's speaker ("Tomorrow Nestor will describe...") is
    narration; so is a sign-off ("Thank you,") or a cue about the series.
    """
    if SIGN_OFF_LINE.fullmatch(paragraph.lines[0]):
        return True
    if any(re.search(rf"\b{re.escape(word)}\b", paragraph.text) for word in own_name_words):
        return True  # "\b" also finds "Smith" in "Smith's"
    return any(cue.search(paragraph.text) for cue in OUTRO_CUES)


def _split_outro(
    last: Group, speaker_name_of: dict[str, str]
) -> tuple[Group, tuple[RawParagraph, ...]]:
    """Split the last turn where the interviewer's closing narration begins.

    The outro starts at the first paragraph (after the labelled one) that reads
    as narration, provided no list item follows it: lists belong to answers.
    """
    own = set() if role_hint(last.speaker_id) else _name_words(speaker_name_of[last.speaker_id])
    paragraphs = last.paragraphs
    for start in range(1, len(paragraphs)):
        rest = paragraphs[start:]
        if any(p.list_item for p in rest):
            continue
        if _is_narration(paragraphs[start], own):
            return Group(last.speaker_id, paragraphs[:start]), rest
    return last, ()


def _distinct_names(people: dict[str, str], notes: Notes) -> None:
    """Two labels never share a name: "Senator:" beside "Senator Black:" is another
    senator, so the label that is not itself the name keeps its own words."""
    for speaker, name in people.items():
        others = [o for o, n in people.items() if n == name and o != speaker]
        if others and speaker != name:
            people[speaker] = speaker.title() if speaker.isupper() else speaker
            notes.say(f"'{speaker}' keeps its own name: {name} is '{others[0]}'")


def _without_closing_note(last: Group, notes: Notes) -> Group:
    """The last turn without the italic paragraphs that close the page ("*Want to work
    with Priyanka? We're hiring.*", "*This interview first ran in...*"): set apart
    from the answer above them, they are the publisher's note, not the guest's words."""
    paragraphs = list(last.paragraphs)
    if len(paragraphs) < 2 or paragraphs[0].italic:
        return last
    while len(paragraphs) > 1 and paragraphs[-1].italic and not paragraphs[-1].list_item:
        drop(notes, paragraphs.pop(), "italic note after the interview")
    return Group(last.speaker_id, tuple(paragraphs))


def _reader(paragraphs: tuple[RawParagraph, ...], interviewer: str) -> str:
    """The interviewer reads intro/outro written in the first person; else a narrator."""
    first_person = any(
        FIRST_PERSON.search(p.text) or SIGN_OFF_LINE.fullmatch(p.lines[0]) for p in paragraphs
    )
    return interviewer if first_person else NARRATOR.id


def _paragraphs(raw: tuple[RawParagraph, ...]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(p.text, p.list_item) for p in raw if p.text)


def _question_title(turn: Turn) -> str:
    # A question that opens with context ("You spent ten years on bridges.\n\n
    # What drew you...?") is named by the paragraph that asks.
    asking = next((p.text for p in turn.paragraphs if "?" in p.text), turn.paragraphs[0].text)
    return shorten(asking, CHAPTER_TITLE_MAX_CHARS) or "Question"


def _chapters(turns: tuple[Turn, ...], episode_title: str) -> tuple[ChapterMark, ...]:
    """Intro, one per question, outro; an episode with none of them is one chapter."""

    def title(turn: Turn) -> str:
        if turn.kind == "question":
            return _question_title(turn)
        return turn.kind.capitalize()  # "Intro", "Outro"

    marks = tuple(
        ChapterMark(title(turn), index)
        for index, turn in enumerate(turns)
        if turn.kind in ("intro", "question", "outro") and turn.paragraphs
    )
    return marks or (
        (ChapterMark(shorten(episode_title, CHAPTER_TITLE_MAX_CHARS), 0),) if turns else ()
    )


# --- names from the intro ------------------------------------------------------


# --- the whole parse ------------------------------------------------------------


REJECTED_SHOWN = 5  # the -v notes name this many label-shaped words that were not labels


def _say_rejected_labels(lines: list[str], labels: Labels, notes: Notes) -> None:
    """-v names the label-shaped line starts that were not taken as labels: their words stay.
    One that could be a person ("Rosa Lind:", "RL:") is a doubt, settled by ``labels``."""
    rejected = [
        found.label
        for line in lines
        if (found := candidate(line)) and found.form == "colon" and labels.find(line) is None
    ]
    for label in list(dict.fromkeys(rejected))[:REJECTED_SHOWN]:
        what = f"'{label}:' read as text, not as a speaker label"
        if FULL_NAME.fullmatch(label) or INITIALS.fullmatch(label):
            notes.doubt(f"{what}: used once, and nothing else shows it names a speaker",
                        f"labels: [{label}]")  # fmt: skip
        else:
            notes.say(f"{what}: used once, and nothing shows it names a speaker")


def _doubt_weak_labels(paragraphs: list[RawParagraph], labels: Labels, notes: Notes) -> None:
    """A label used once and accepted on indirect evidence is a doubt, settled by ``not_labels``."""
    uses = Counter(p.label for p in paragraphs if p.label)
    for speaker in labels.ids:
        rule = labels.rules.get(speaker, "")
        if uses[speaker] == 1 and rule in WEAK_RULES:
            line = next(p.line_no for p in paragraphs if p.label == speaker)
            notes.doubt(
                f"line {line}: '{speaker}:' read as a speaker label, used once ({rule})",
                f"not_labels: [{speaker}]",
            )


def guided(paragraphs: list[RawParagraph], guide: Guide, notes: Notes) -> list[RawParagraph]:
    """The paragraphs with the front matter's ``skip`` and ``said_by`` applied."""
    kept = []
    for p in paragraphs:
        if p.text and guide.skips(p.text):
            drop(notes, p, "front matter skip")
            continue
        speaker = guide.speaker_of(p.text) if p.text else None
        if speaker == INTRO_SPEAKER:
            notes.say(f"line {p.line_no}: part of the intro (front matter said_by)")
            p = replace(p, settled=True)
        elif speaker:
            notes.say(f"line {p.line_no}: said by '{speaker}' (front matter said_by)")
            p = replace(p, label=speaker, kind="paragraph", settled=True)
        kept.append(p)
    return kept


def _no_labels(source_name: str, found: str) -> ScriptError:
    return NoDialogueError(
        f"{source_name}: no speaker labels found ({found}); start each question or answer with "
        "a label such as 'Q:', 'SI:' or 'Jane Doe:', or write questions as headings or in bold"
    )


def _what_was_found(paragraphs: list[RawParagraph]) -> str:
    headings = sum(1 for p in paragraphs if p.kind == "heading")
    return f"found {len(paragraphs)} paragraphs, {headings} headings, no question layout"


# A label alone on its line ("A:"), which starts no turn: nothing is said.
_BARE_LABEL = re.compile(r"^\s*([A-Za-z][\w.]{0,19}):\s*$")


def parse_script(text: str, *, source_name: str = "script", guide: Guide | None = None) -> Episode:
    """Parse an interview transcript into an Episode.

    ``guide`` is what the front matter says where the text leaves a doubt.
    Raises ScriptError when no dialogue is found, or only one speaker.
    """
    guide = guide or Guide()
    text = unwrap_text_shortcodes(voice_tags_as_labels(normalise_text(text)))
    notes = Notes()
    document = read_blocks(text)
    for dropped in document.dropped:
        notes.drop(dropped.line_no, furniture_rule(dropped.text) or dropped.rule, dropped.text)
    cleaned = clean_blocks(document.blocks, notes)
    starts = frozenset(
        found.label for b in cleaned.blocks for ln in b.lines if (found := candidate(ln.text))
    )
    cleaned.blocks = split_inline_labels(cleaned.blocks, starts)
    name_headings = heading_labels(cleaned.blocks)
    lines = [
        heading_label_text(block, name_headings)
        if block.kind == "heading"
        else marked_label_text(line)
        for block in cleaned.blocks
        if block.kind not in ("code", "rule")
        for line in block.lines
    ]
    plain = "\n".join(lines)
    names = index_names(text)
    labels = find_labels(lines, plain, names, guide.labels, guide.not_labels, guide.vouched)
    _say_rejected_labels(lines, labels, notes)
    paragraphs = guided(
        [
            p
            for i, block in enumerate(cleaned.blocks)
            for p in split_block(block, labels.find, i == 0, name_headings)
        ],
        guide,
        notes,
    )
    _doubt_weak_labels(paragraphs, labels, notes)
    if not any(p.text for p in paragraphs):
        raise ScriptError(f"{source_name}: the script is empty; expected an interview")
    header_text = [line for p in paragraphs[:8] if is_header(p) for line in p.lines]
    title, byline, paragraphs = take_title(paragraphs, source_name, notes)

    layout, marked = question_markers(paragraphs, labels)
    labelled = {i for i, p in enumerate(paragraphs) if p.label}
    dialogue = marked or labelled
    if not dialogue:
        raise _no_labels(source_name, _what_was_found(paragraphs))
    label_words = {
        word
        for label in (*labels.ids, *labels.aliases.values())
        for word in label.split()
        if len(word) > 2 and label.lower() not in ROLE_LABELS
    }
    paragraphs, dialogue = skip_sections(paragraphs, dialogue, notes, label_words)
    paragraphs, dialogue = with_dialogue(
        paragraphs, dialogue, after_footer(paragraphs, dialogue, cleaned.furniture, notes)
    )
    paragraphs, dialogue = with_dialogue(
        paragraphs, dialogue, after_last_rule(paragraphs, dialogue, notes)
    )

    answerer = ""
    if marked:
        labelled_ids = [p.label for p in paragraphs if p.label]
        if labelled_ids and not any(paragraphs[i].label for i in dialogue):
            asker, answerer = QUESTIONS_ID, labelled_ids[0]  # only the answers are labelled
        else:
            asker = labelled_ids[0] if labelled_ids else QUESTIONS_ID
            answerer = ANSWER_IDS.get(asker, "Guest")
        notes.say(f"layout: {layout}; answers read by '{answerer}'")
        intro_raw, groups = marked_groups(paragraphs, dialogue, asker, answerer, notes)
    else:
        first_label = min(dialogue)
        intro_raw = paragraphs[:first_label]
        body = []
        for p in paragraphs[first_label:]:
            rule = between_turns(p, paragraphs)
            if rule:
                drop(notes, p, rule)
            else:
                body.append(p)
        groups = split_repeated_speakers(group_turns(body), notes, QUESTIONS_ID)
    for group in groups:
        for p in group.paragraphs if group.speaker_id.lower() in NOT_SPEAKERS else ():
            drop(notes, p, NOT_SPEAKERS[group.speaker_id.lower()])
    groups = [g for g in groups if g.speaker_id.lower() not in NOT_SPEAKERS]
    intro_kept = clean_intro(list(intro_raw), notes)
    context_extra = [p.text for p in intro_raw if p not in intro_kept] + header_text
    intro = tuple(intro_kept)

    ids = list(dict.fromkeys(g.speaker_id for g in groups))
    if len(ids) < 2:
        bare = next((m.group(1) for m in map(_BARE_LABEL.match, lines) if m), None)
        if bare and bare not in ids:
            raise ScriptError(f"{source_name}: '{bare}:' has no words after it; "
                              f"write the answer after '{bare}:' or remove the label")  # fmt: skip
        raise ScriptError(
            f"{source_name}: only one speaker label found ({', '.join(ids) or 'none'}); "
            "a Q&A script needs at least two, such as 'Q:' and 'A:'"
        )
    for short, full in labels.merged.items():
        notes.say(f"label '{short}' is the same speaker as '{full}'")
    people: dict[str, str] = {}
    for speaker in ids:
        name, rule = speaker_name(speaker, names, labels.aliases)
        if speaker == answerer and marked and rule == "as written":
            # The one label of a layout whose questions are set apart, and no name in
            # the text: a word that marks the answers ("Réplica:"), not a person.
            name, rule = "Guest", "marks the answers"
        briefing = any(honorific(s) or s.lower() == "moderator" for s in ids) or BRIEFING.search(
            title
        )
        if speaker.lower() in QUESTION_IDS and briefing:
            name, rule = "Reporter", "questions from the floor of a briefing"
        people[speaker] = name
        accepted = labels.rules.get(speaker, "layout")
        notes.say(
            f"label '{speaker}' -> speaker {name} (label rule: {accepted}; name rule: {rule})"
        )

    _distinct_names(people, notes)
    context = [title, byline, *(p.text for p in intro), *context_extra, *cleaned.evidence]
    hints = {s: role_hint(s, labels.offices.get(s)) for s in ids}
    if answerer:
        for s in ids:
            hints[s] = "interviewee" if s == answerer else "interviewer"
    hints.update({s: role for s, role in guide.roles.items() if s in hints})
    stated = evidence_roles(ids, people, context, cleaned.metadata)
    in_title: dict[str, bool] = {}
    for s in ids:
        if hints[s] is None and stated[s] == "interviewer":
            hints[s] = "interviewer"
        in_title[s] = stated[s] == "interviewee"
    decision = decide_roles(ids, [(g.speaker_id, g.text) for g in groups], hints, in_title, people)
    roles = decision.roles
    if decision.close_call:
        asker, answerer_ = decision.close_call
        notes.doubt(
            f"{people[asker]} taken for the interviewer and {people[answerer_]} for the "
            f"interviewee, on close evidence ({decision.reasons[asker]}; "
            f"{people[answerer_]} {decision.reasons[answerer_]})",
            f"cast: {{{asker}: {{role: interviewee}}, {answerer_}: {{role: interviewer}}}}",
        )
    for speaker in ids:
        notes.say(f"{people[speaker]} is the {roles[speaker]}: {decision.reasons.get(speaker, '')}")
    intro_left, groups = exchange_before_labels(list(intro), groups, roles, QUESTIONS_ID, notes)
    if len(intro_left) < len(intro):
        intro = tuple(intro_left)
        if groups[0].speaker_id not in ids:
            ids.insert(0, groups[0].speaker_id)
            people[groups[0].speaker_id] = "Interviewer"
            roles[groups[0].speaker_id] = "interviewer"

    name_role_words(
        ids,
        people,
        roles,
        context,
        cleaned,
        byline,
        notes,
        names,
        [(g.speaker_id, g.text) for g in groups[:3]],
    )

    groups[-1] = _without_closing_note(groups[-1], notes)
    groups[-1], outro = _split_outro(groups[-1], people)
    interviewer = next((s for s in ids if roles[s] == "interviewer"), ids[0])

    # Words the text uses as names ("Rafael?" gives the floor; "Really?" asks).
    name_words = frozenset(
        word for name in [*names.counts, *people.values()] for word in name.split(" ")
    ) - set(ASKING_WORDS)
    guest_words = frozenset(
        word for s in ids if roles[s] == "interviewee" for word in people[s].split(" ")
    )
    turns: list[Turn] = []
    if intro:
        turns.append(Turn(_reader(intro, interviewer), "intro", _paragraphs(intro)))
    for index, group in enumerate(groups):
        following = groups[index + 1].speaker_id if index + 1 < len(groups) else None
        previous = groups[index - 1] if index else None
        around = Around(
            roles[following] if following else None,
            previous is not None
            and roles[previous.speaker_id] == "interviewee"
            and previous.text.rstrip().endswith("?"),
            people[following] if following else "",
            name_words,
            guest_words,
        )
        kind = turn_kind(roles[group.speaker_id], group.text, around)
        turns.append(Turn(group.speaker_id, kind, _paragraphs(group.paragraphs)))
    if outro:
        turns.append(Turn(_reader(outro, interviewer), "outro", _paragraphs(outro)))

    speakers = [Speaker(s, people[s], roles[s]) for s in ids]
    if any(t.speaker_id == NARRATOR.id for t in turns):
        speakers.append(NARRATOR)
    meta = EpisodeMeta(
        title=title,
        byline=byline,
        description=collapse_whitespace(" ".join(p.text for p in intro)),
    )
    kept = tuple(t for t in turns if t.paragraphs)
    chapters = _chapters(kept, title)
    return Episode(meta, tuple(speakers), kept, chapters, tuple(notes.lines), tuple(notes.doubts))
