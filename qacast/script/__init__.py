"""Transcript text -> Episode: labels, page furniture, front matter, speech text.

The names below are imported on first use: the parser compiles a few hundred
regular expressions, which a build that parses nothing (every script
unchanged) should not pay for when it only lists scripts or reads a language code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qacast.script.formats.decode import read_script
    from qacast.script.parse import parse_script
    from qacast.script.serialize import episode_to_json
    from qacast.script.speech.utterances import utterances

__all__ = ["episode_to_json", "parse_script", "read_script", "utterances"]

# name -> the module that defines it
_HOMES = {
    "read_script": "qacast.script.formats.decode",
    "parse_script": "qacast.script.parse",
    "episode_to_json": "qacast.script.serialize",
    "utterances": "qacast.script.speech.utterances",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
