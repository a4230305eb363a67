"""Transcript text -> Episode, in the order a reader works:

  page      blocks of the Markdown text, page furniture dropped      blocks/
  labels    how this document marks its speakers, and where          labels/
  paragraphs the blocks split at labels, bullets and sentence ends,
            the front matter's guidance applied, the title taken off blocks/
  dialogue  which paragraphs are the interview; its turns and intro  turns/dialogue.py
  cast      who each speaker is, who asks and who answers            turns/cast.py
  episode   question or remark, intro and outro readers, chapters    turns/episode.py

Every decision that is not obvious from the text is written to the
episode's notes, which `qacast parse -v` prints; a guess the text leaves
open is a doubt, listed by `qacast parse` with the front-matter line that
settles it (front/guide.py).
"""

from __future__ import annotations

from qacast.errors import ScriptError
from qacast.models import Episode
from qacast.script.blocks.clean import Notes
from qacast.script.blocks.page import read_page
from qacast.script.blocks.paragraphs import split_block
from qacast.script.blocks.title import is_header, take_title, title_from_name
from qacast.script.front.guide import Guide
from qacast.script.labels.names import index_names
from qacast.script.labels.scheme import accept_labels, doubt_weak_labels, guided, one_turn_a_line
from qacast.script.turns.cast import Known, cast_speakers
from qacast.script.turns.dialogue import find_dialogue
from qacast.script.turns.episode import episode_of
from qacast.script.turns.naming import PageFacts, name_interviewer

__all__ = ["name_interviewer", "parse_script", "title_from_name"]

HEADER_LINES_LOOKED_AT = 8  # header lines at the top of a page say who is who


def parse_script(text: str, *, source_name: str = "script", guide: Guide | None = None) -> Episode:
    """Parse an interview transcript into an Episode.

    ``guide`` is what the front matter says where the text leaves a doubt.
    Raises ScriptError when no dialogue is found, or only one speaker.
    """
    guide = guide or Guide()
    notes = Notes()
    page = read_page(text, notes)
    blocks = one_turn_a_line(page.blocks)
    names = index_names(page.text)
    labels, find_label = accept_labels(blocks, names, guide, notes)
    split = [p for i, block in enumerate(blocks) for p in split_block(block, find_label, i == 0)]
    paragraphs = guided(split, guide, notes)
    doubt_weak_labels(paragraphs, labels, notes)
    if not any(p.text for p in paragraphs):
        raise ScriptError(f"{source_name}: the script is empty; expected an interview")
    headers = [
        line for p in paragraphs[:HEADER_LINES_LOOKED_AT] if is_header(p) for line in p.lines
    ]
    title, byline, paragraphs = take_title(paragraphs, source_name, notes)
    dialogue = find_dialogue(paragraphs, labels, page.cleaned.furniture, notes, source_name)
    facts = PageFacts(
        byline,
        (title, byline, *(p.text for p in dialogue.intro), *dialogue.context, *headers,
         *page.cleaned.evidence),
        tuple(page.cleaned.metadata),
        tuple(page.cleaned.evidence),
    )  # fmt: skip
    dialogue, cast = cast_speakers(dialogue, Known(title, facts, names, labels), guide, notes)
    return episode_of(title, byline, dialogue, cast, names, notes)
