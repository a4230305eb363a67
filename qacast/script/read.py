"""Script file -> Episode: pick the reader for its format, apply its front matter.

Every format becomes Markdown text first, so one parser (``parse_script``)
understands them all; what a format says about itself (an HTML page's title,
a Word document's author) fills the front matter fields that were not given.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from qacast.models import Episode
from qacast.script.decode import read_script
from qacast.script.frontmatter import split_front_matter
from qacast.script.overrides import apply_front_matter, voice_overrides
from qacast.script.parse import parse_script


def read_episode(
    script_path: Path, default_number: int | None = None
) -> tuple[Episode, dict[str, str]]:
    """The episode as written, front matter applied; and label -> voice overrides.

    ``default_number`` numbers an episode whose front matter gives none: a
    number at the start of the file name ("012-title.txt"), else its place
    among the show's scripts.
    """
    text = read_script(script_path)
    front, body = split_front_matter(text, source_name=script_path.name)
    episode = parse_script(body, source_name=script_path.name)
    episode = apply_front_matter(episode, front, source_name=script_path.name)
    if episode.meta.episode_number is None and default_number is not None:
        leading = re.match(r"\d+", script_path.stem)
        number = int(leading.group()) if leading and int(leading.group()) > 0 else default_number
        episode = dataclasses.replace(
            episode, meta=dataclasses.replace(episode.meta, episode_number=number)
        )
    return episode, voice_overrides(front)
