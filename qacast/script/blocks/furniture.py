"""Page furniture: lines from the web page around an interview, not the interview.

Each rule has a name, which the parser reports for every line it drops
("line 12 dropped: share line"). A rule matches a whole line
(case-insensitive) and only a short one, so a paragraph that merely starts
with "Posted" or "Print" is never dropped.

Inline marks are handled apart: bare timestamps ("[04:03]", "(00:12:31)")
are removed from the text, since neither speech nor captions need them;
sound marks such as "[laughter]" or "(Applause.)" stay in the captions (a
deaf listener wants to know the room laughed) and are never spoken (the
speech cleaner drops them).
"""

from __future__ import annotations

import re

from qacast.script.blocks.stage import STAGE_LINE, STAGE_WORDS
from qacast.script.languages import chrome_rules

FURNITURE_MAX_CHARS = 240

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE = (
    rf"{_WEEKDAY}(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4})"
)
_BY = r"(?:by|par|von|por|di|door)"
_RECORDED = r"(?:recorded|taped|filmed|conducted) (?:at|in|on|live|over|by|for)\b[^.,;]{0,80}\."
_EDITED = (
    r"(?:this (?:interview|conversation|transcript) (?:has been|was|is) )?(?:lightly )?"
    r"(?:edited|condensed)(?: and (?:edited|condensed))? for (?:length|clarity|brevity)"
    r"(?: and (?:length|clarity|brevity))?\."
)
_NETWORKS = (
    r"(?:twitter|x|facebook|linkedin|reddit|email|e-mail|mail|print|whatsapp|telegram|mastodon"
    r"|bluesky|threads|pinterest|tumblr|copy link|copy|pocket|flipboard|hacker news|digg"
    r"|delicious)"
)

# (rule name, pattern matched against the whole stripped line).
LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("comment counter", r"comments?\s*[(\[]\d+[)\]]"),
        ("comment counter", r"\d+\s+(?:comments?|responses?|replies)"),
        (
            "comment counter",
            r"(?:no|add|add a|post a|view|view all|show|hide|leave)\s+comments?(?:\s+yet)?\W*",
        ),
        ("navigation", r"skip to (?:main )?(?:content|navigation)"),
        ("navigation", r"back to top\W*"),
        ("navigation", r"(?:«\s*)?(?:previous|next|older|newer) (?:post|article|entry)\b.*"),
        ("navigation", r"page \d+ of \d+"),
        (
            "share line",
            r"(?:share|tweet|e-?mail|print|like)(?: this)?"
            r"(?: (?:post|article|page|story|interview))?"
            rf"(?: on \w+)?\W*(?:{_NETWORKS}[\s,|·•/]*)*",
        ),
        ("share line", rf"(?:{_NETWORKS}[\s,|·•/]*){{1,8}}"),
        ("byline", r"posted (?:by|in|on|at)\b.*"),
        ("byline", r"(?:filed|posted) under\b.*"),
        ("byline", r"(?:published|updated|last updated|first published)(?: on)?:?\s+.{0,60}"),
        # "By", and "Par", "Von", "Por", "Di", "Door" on pages in other languages.
        ("byline", rf"{_BY}\s+[^|•·]{{2,60}}(?:\s*[|•·—–-]\s*.{{0,60}}){{1,4}}"),
        ("byline", rf"{_BY}\s+(?-i:[A-Z][\w.'’-]*\s*){{1,4}}"),
        (
            "byline",
            r"(?:reading time|lesezeit|temps de lecture|tiempo de lectura|leestijd"
            r"|tempo di lettura|tempo de leitura)\s*:?\s*\d{1,3}\s*min\w*\.?",
        ),
        ("byline", r"\d{1,3}\s*(?:-|\s)?min(?:ute)?s?\s+read\W*"),
        (
            "byline",
            rf"{_DATE}(?:\s*[|•·]\s*.{{0,40}}"
            r"|[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?[\s•|·-]*(?:[A-Z]{2,4}|\d{1,2}:\d{2})?)?",
        ),
        ("copyright line", r"(?:©|\(c\)|copyright\s*(?:©|\(c\))?)\s*(?:\d{4}|by\b).*"),
        ("copyright line", r"©\s*\S.{0,150}"),
        ("copyright line", r"all rights reserved\W*"),
        (
            "read-more line",
            r"(?:read more|continue reading|read the full (?:story|article|interview)|read next"
            r"|related(?: (?:posts|articles|stories|reading|content|links))?|you may also like"
            r"|you might also like|more from [\w ]+|recommended(?: for you| reading)?"
            r"|further reading|see also|more (?:interviews|stories))(?:\s*[:：»›→|-].*|\W*)",
        ),
        ("comment counter", r"leave a (?:reply|comment)\W*"),
        # "| Name | Role |" outside a table Markdown reads: a row of a table, not speech.
        ("table row", r"\|[^|]*(?:\|[^|]*)+\|"),
        # "Starts at 26min.": where the talk begins in the recording.
        (
            "transcript notice",
            r"(?:starts?|begins?) at \d{1,3}\s?(?:min\w*|m)(?:\s?\d{1,2}\s?s\w*)?\.?",
        ),
        # "Talkback: Discuss this article with The Answer Gang": the way to the comments.
        ("comment counter", r"(?:talkback|comments?)\s*:\s*discuss this\b.{0,80}"),
        ("comment counter", r"discuss this (?:article|post|story|interview)\b.{0,80}"),
        ("navigation", r"permalink"),
        ("comment counter", r"trackbacks?\s*[(\[]\d+[)\]]"),
        ("tag line", r"tags?:.*"),
        ("advertisement", r"advertisement|sponsored(?: content)?"),
        ("navigation", r"(?:log|sign) in(?: to (?:comment|reply))?\W*"),
        ("subscribe line", r"subscribe(?: to (?:this|our) \w+)?\W*"),
        ("subscribe line", r"sign up for (?:our|the) \w+.*"),
        ("rate line", r"rate this(?: (?:post|article))?\W*"),
        ("table of contents", r"(?:table of )?contents|in this (?:article|interview|post)"),
        ("translator credit", r"(?:translated|translation) by\b.*"),
        ("translator credit", r"via:\s*\S+.*"),
        ("translator credit", r"(?:作者|译者|校对|选题|原文|编译|翻译)\s*[：:].*"),
        ("translator credit", r".*本文由.*(?:编译|翻译|原创|推出).*"),
        ("translator credit", r".*(?:荣誉推出|原创编译).*"),
        ("translation project header", r"\[#\]:.*"),
        ("photo credit", r"(?:photo|image|illustration|photograph)(?: credit)?s?\s*[:/].{0,80}"),
        ("caption credit", r"\((?:photo|image)[^)]*\)"),
        ("timestamp", r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?[\])]?:?"),
        # "2m 10s", "1h 03m", "45s": elapsed time written in units, as some exports mark it.
        (
            "timestamp",
            r"(?:\d{1,2}\s?h\s?)?(?:\d{1,3}\s?m(?:in)?\s?)?\d{1,3}\s?s(?:ec)?"
            r"|\d{1,2}\s?h\s?\d{1,2}\s?m(?:in)?",
        ),
        (
            "chat join/part line",
            r"(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?(?:[*=-]{2,3}\s*)?\S+ (?:has joined|has quit"
            r"|has left|is now known as|sets mode|changed the topic)\b.{0,120}",
        ),
        (
            "proceedings note",
            r"the (?:sub)?committee (?:met|convened|reconvened)\b.{0,220}"
            r"|the (?:house|senate|court|board|council|hearing) (?:met|convened|reconvened)"
            r"\b.{0,200}",
        ),
        (
            "case caption",
            r"v\.?|vs\.?|versus|.{1,120},\s*(?:petitioners?|respondents?|appellants?|appellees?"
            r"|plaintiffs?|defendants?)[.,]?",
        ),
        # WebVTT/SRT subtitle files: the header, cue numbers and cue timings.
        ("caption cue", r"webvtt\b.{0,80}|\d{1,6}|kind:\s*(?:captions|subtitles|descriptions)"),
        (
            "caption cue",
            r"\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}\s*-->\s*\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}.{0,80}",
        ),
        ("rule line", r"([-*_=~#])(?:\s*\1){2,}"),
        ("URL line", r"<?(?:https?://|www\.)\S+>?"),
        # "Recorded at the Orchard Street studio. Edited for clarity.": how the piece was
        # made, said to the reader, not part of the conversation.
        (
            "recording note",
            rf"{_RECORDED}(?:\s*{_EDITED})?|{_EDITED}",
        ),
        # "GitHub org: https://...", "Slides (PDF): www...": a show-note link, never speech.
        ("link line", r"(?!\[)[^:：\n]{1,60}[:：]\s*<?(?:https?://|www\.)\S+>?"),
        ("source line", r"\[(?:house|senate|joint) (?:hearing|report|document|prints?)\b[^\]]*\]"),
        ("source line", r"\[from the [^\]]{3,80}\]"),
        ("end mark", r"\[all\]|\[end\]|-+\s*end\s*-+"),
        (
            "end mark",
            r".{0,40}\b(?:briefing|hearing|call|meeting|interview|session|conference)"
            r" (?:concluded|ended|adjourned|was adjourned)\b.{0,60}",
        ),
        ("navigation", r"menu|main menu|search|toggle navigation|open menu|close menu"),
        ("breadcrumb", r"home\s*[›»>/|].{0,100}"),
        ("comment counter", r"\d+ (?:thoughts?|comments?|responses?|replies) (?:on|to) .{0,150}"),
        ("comment counter", r"reply|leave a reply|cancel reply|post comment"),
        ("comment counter", r"your email address will not be published.{0,120}"),
        ("site credit", r".{0,60}\bpowered by \w+.{0,40}"),
        (
            "plug line",
            r".{0,120}\b(?:are|is) (?:on sale|available) (?:now )?(?:in|at|from|wherever)\b.{0,80}",
        ),
        ("template shortcode", r"\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{\{.*?\}\}"),
        (
            "editorial note",
            r"\[(?:whereupon|off the record|recess|brief recess|pause in recording)\b[^\]]*\]"
            r"|\((?:whereupon|off the record|recess|brief recess)\b[^)]*\)"
            r"|\[[^\]\s]+(?:\s+[^\]\s]+){4,}\]",
        ),
        (
            "production credit",
            r".{0,100}\b(?:is|was) (?:produced|edited|mixed|recorded) by\b.*"
            r"|.{0,100}\bsubscribe (?:wherever|on|to|in|for)\b.*",
        ),
        ("timestamp", r"\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}T|ET|PT|CT|GMT|UTC)?"),
        ("page marker", r"\[\d{1,3}\]|\[?page \d{1,4}\]?|-\s*\d{1,4}\s*-"),
        ("navigation", r"\[[^\]]*\|[^\]]*\]"),
        (
            "tape marker",
            r"[\[(](?:begin|end|start|beginning)(?: of)? (?:tape|side|reel|track|cassette|recording"
            r"|session|interview|part)\b[^\])]*[\])]",
        ),
        ("tape marker", r"[\[(](?:tape|side|reel|cassette) \w+(?:,? side \w+)?[\])]"),
        (
            "end mark",
            r"[-=*_ ]*\(?end(?: of (?:interview|transcript|recording|briefing|tape))?\)?[-=*_ ]*"
            r"(?:\s+\d{1,2}:\d{2}.{0,15})?",
        ),
        ("end mark", r"#{3}|-{2,}\s*30\s*-{2,}|\*{3}"),
        (
            "stage direction",
            STAGE_LINE,
        ),
        (
            "credit line",
            r"(?:transcribed|transcript|transcription|reviewed|edited|proofread|interview conducted"
            r"|audio edited|produced|recorded)\s+by\b.*",
        ),
        (
            "transcript notice",
            r".{0,60}\btranscripts? (?:(?:is|are|was|were|has been|have been) )?"
            r"(?:created|produced|generated|provided|prepared|edited|lightly edited|machine"
            r"|automatically|auto)\b.*",
        ),
        (
            "transcript notice",
            r".{0,80}\b(?:player above|listen (?:on|to) the (?:player|episode))\b.*",
        ),
        (
            "read-more line",
            r"(?:links? mentioned|links|resources(?: mentioned)?|mentioned in this episode"
            r"|show notes|references|further listening)\s*[:：].*",
        ),
        ("stage direction", r"[\[(][^\])]{0,40}(?:transcript|recording)[^\])]{0,40}[\])]"),
    )
)
# "Partager", "Lire aussi", "Teilen"...: the same lines in other languages.
LINE_RULES += chrome_rules()

# Bracketed or parenthesised timestamps anywhere in a line, and bare ones at its start.
INLINE_TIMESTAMP = re.compile(
    r"(?:^|(?<=\s))\\?[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\\?[\])]\s*"
    r"|(?:^|(?<=\s))\[\d{1,3}\](?=\s|$)\s*"
    r"|^\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s+(?=\S)|\s*$)"  # "Jane: 00:00:07" too
)


def furniture_rule(line: str) -> str | None:
    """The name of the rule that makes ``line`` (stripped) page furniture, or None."""
    if len(line) > FURNITURE_MAX_CHARS:
        return None
    for name, pattern in LINE_RULES:
        if pattern.fullmatch(line):
            return name
    # "[Read next: ...]", "(Related: ...)": the same lines, wrapped.
    if len(line) > 1 and line[0] in "[(" and line[-1] in "])":
        return furniture_rule(line[1:-1].strip())
    # "0:00 Transcribed by ...": exports that stamp every line.
    stamped = LEADING_TIMESTAMP.match(line)
    if stamped and stamped.end() < len(line):
        return furniture_rule(line[stamped.end() :])
    return None


LEADING_TIMESTAMP = re.compile(r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?\s+")


# A stage direction written as a sentence of its own inside a turn: "[The witness
# confers with counsel.]", "(Mr. Ode hands the clerk a folder.)". Unlike a sound mark
# ("[laughs]", "(Applause.)"), which captions keep, it narrates: no one says it and
# no caption needs it. Three words or more, a capital first and a full stop last.
NARRATED_ASIDE = re.compile(
    r"\s*(?:\[[A-Z][^\[\]]*?\s[^\[\]]*?\s[^\[\]]*?\.\]"
    r"|\((?-i:[A-Z])[^()]*?\s[^()]*?\s[^()]*?\.\))"
)


# Marks left in a line's words that no one says and no caption needs:
# "[see http://tinyurl.com/x]" (an editor's pointer), "((37min 58sec))" (elapsed
# time), "[the notes][3]" whose link definition was cut (the words stay).
POINTER = re.compile(r"\s*\[[^\[\]]*(?:https?://|www\.)[^\[\]]*\]")
ELAPSED = re.compile(
    r"\s*[\[(]{1,2}\d{1,3}\s?(?:h|hr|hours?|m|min|minutes?)\.?"
    r"(?:\s?\d{1,2}\s?(?:m|min|s|sec|seconds?)\.?)?[\])]{1,2}"
)
UNRESOLVED_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
# "<laughs>" (often written &lt;laughs&gt;): a sound mark in angle brackets, as the
# square-bracketed ones are written; captions keep it, in brackets.
ANGLE_MARK = re.compile(rf"<((?i:{STAGE_WORDS})[^<>]{{0,30}})>")


def clean_marks(text: str) -> str:
    """The text without bare timestamps, narrated stage directions and editors' marks."""
    text = text.replace("¶", "").strip()  # a heading's permalink mark (Sphinx, Jupyter Book)
    if "(" in text or "[" in text:
        text = NARRATED_ASIDE.sub("", text).strip()
        text = ELAPSED.sub("", POINTER.sub("", UNRESOLVED_LINK.sub(r"\1", text))).strip()
    if "<" in text:
        text = ANGLE_MARK.sub(r"[\1]", text)
    return INLINE_TIMESTAMP.sub("", text).strip() if ":" in text or "[" in text else text


# "Key: value" lines of a metadata block ("Narrator: Beatrix Quaye", "Date: 14
# August 2019"): the key, lower-cased -> whether it names a person in a role.
METADATA_KEY_WORDS = """
    project recorded recording date location place venue transcriber transcribed transcription
    duration length subject subjects topic topics keywords summary speakers participants
    collection series audio video program programme show session tape language accession format
    editor producer
"""
METADATA_ROLE_WORDS = (
    "guest guests narrator interviewer interviewers interviewee host hosts moderator"
)
METADATA_KEYS: dict[str, bool] = {
    **dict.fromkeys(METADATA_KEY_WORDS.split(), False),
    **dict.fromkeys(METADATA_ROLE_WORDS.split(), True),
}
METADATA_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z ]{1,24}?)\s*[:：]\s*(?P<value>\S.{0,120})")
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
NAME_START = re.compile(r"(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+")
METADATA_MAX_WORDS = 14


def metadata(line: str) -> tuple[str, str] | None:
    """(key, value) when ``line`` is a metadata line such as "Narrator: Beatrix Quaye".

    A key that names a role ("Guest", "Interviewer") is also a speaker label,
    so its line counts as metadata only when the value is a name without a
    sentence: "Guest: Ann Lee, owner of X" is, "Guest: Thanks for having me." is not.
    """
    match = METADATA_LINE.fullmatch(line)
    if not match:
        return None
    key, value = match["key"].strip().lower(), match["value"].strip()
    if key not in METADATA_KEYS or SENTENCE_END.search(value):
        return None
    if len(value.split()) > METADATA_MAX_WORDS or "?" in value:
        return None
    if METADATA_KEYS[key] and not NAME_START.match(value):
        return None
    return key, value


# A WebVTT voice tag opening a cue's text ("<v Jane Doe>Hello"): the speaker's name.
# ... also after a cue's start time, as caption files saved as text have it
# ("00:00:03 <v Jane Doe>Hello"): the time goes, the name stays.
VOICE_TAG = re.compile(
    r"^(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?[ \t]+)?"
    r"<v(?:\.[\w.-]+)?[ \t]+([^>\n]{1,60})>[ \t]*(?=\S)",
    re.MULTILINE,
)
VOICE_END = re.compile(r"</v>")


def voice_tags_as_labels(text: str) -> str:
    """ "<v Jane Doe>Hello</v>" -> "Jane Doe: Hello", so the tag reads as a label."""
    if "<v" not in text:
        return text
    return VOICE_END.sub("", VOICE_TAG.sub(r"\1: ", text))


# A site generator's shortcode that wraps the opening words of a transcript:
# {{< transcript "[MUSIC] JANE: Hello and welcome..." >}}. Its text is dialogue.
TEXT_SHORTCODE = re.compile(
    r'^\{\{<\s*[\w-]+\s+"(?P<text>[^"\n]{20,})"\s*>\}\}[ \t]*$', re.MULTILINE
)


def unwrap_text_shortcodes(text: str) -> str:
    """ "{{< transcript "JANE: Hello." >}}" -> "JANE: Hello." (other shortcodes stay)."""
    return TEXT_SHORTCODE.sub(r"\g<text>", text) if "{{<" in text else text
