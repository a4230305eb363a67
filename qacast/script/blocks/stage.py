"""Stage directions: the one vocabulary of bracketed asides that are never spoken.

"[laughs]", "(Reading)", "(SOUNDBITE OF MUSIC)", "[inaudible]", "[00:12:31]".
The parser drops a line that is only such an aside (furniture.py); the speech
cleaner drops one inside a sentence (speech/utterances.py). Both read this table, so a
word that marks an aside on its own line also marks it mid-sentence.
"""

from __future__ import annotations

# Words that open a bracketed stage direction or editorial aside.
STAGE_WORDS = (
    r"laugh\w*|chuckl\w*|giggl\w*|smil\w*|grin\w*|sigh\w*|cough\w*|nod\w*|pause\w*"
    r"|long pause|silence|inaudible|unintelligible|indistinct|crosstalk|cross-talk"
    r"|overlapping|applause|music|musical|audio|video|video clip|clears throat"
    r"|background noise|phone rings|break|sic|end of (?:recording|transcript|interview)"
    r"|soundbite|sound of|sound bite|commercial|reading|reads|singing|sings|off mic"
    r"|off-mic|mic noise|static|beep\w*|bell\w*|\?+"
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # timestamps
)

# A whole line that is a stage direction: an aside in capitals ("(SOUNDBITE OF
# MUSIC)"), or one in any case that opens with a stage word.
STAGE_LINE = (
    r"\((?-i:[A-Z][A-Z ,'-]{3,})\)|\[(?-i:[A-Z][A-Z ,'-]{3,})\]"
    rf"|[\[(]\s*(?:both |he |she |they )?(?:{STAGE_WORDS})\b[^\])]{{0,60}}[\])]"
)
