"""The episodes the last build parsed, so that an untouched script is not parsed again.

Kept in ``.qacast/state/parsed.pickle`` as script name -> (key, Episode). The
key is a fingerprint of the script's file metadata, the show's settings and
qacast's own code (see build.parse_key): a script whose key is unchanged is
the same text read by the same parser. Parsing 200 scripts takes about a
second; reading them back takes a few milliseconds.

Pickled, but read back by an unpickler that builds only qacast's models and
the standard types they hold: a crafted file in a show folder from elsewhere
cannot make a build run code, only miss the cache and parse again.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from qacast.fsutil import write_if_changed
from qacast.manifest import StateLayout
from qacast.models import Episode

ParsedScripts = dict[str, tuple[str, Episode]]

PARSED_NAME = "parsed.pickle"  # not .json: the episode records are the *.json

# module -> the names in it an Episode is made of.
ALLOWED: dict[str, frozenset[str] | None] = {
    "qacast.models": None,  # any of its dataclasses and enums
    "datetime": frozenset({"date", "datetime", "time", "timedelta", "timezone"}),
    "pathlib": frozenset({"Path", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"}),
    "builtins": frozenset({"frozenset", "set", "tuple", "list", "dict", "complex"}),
}


class _ModelsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in ALLOWED:
            names = ALLOWED[module]
            if names is None or name in names:
                return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of an episode")


def load_parsed(state: StateLayout) -> ParsedScripts:
    """The last build's parsed scripts; empty when there are none or they cannot be read."""
    try:
        data = (state.records / PARSED_NAME).read_bytes()
        parsed = _ModelsOnly(io.BytesIO(data)).load()
    except Exception:  # missing, damaged, or from another qacast: parse again
        return {}
    if not isinstance(parsed, dict):
        return {}
    return {
        name: entry
        for name, entry in parsed.items()
        if isinstance(name, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and isinstance(entry[1], Episode)
    }


def save_parsed(state: StateLayout, parsed: ParsedScripts) -> None:
    state.records.mkdir(parents=True, exist_ok=True)
    write_if_changed(state.records / PARSED_NAME, pickle.dumps(parsed, protocol=5))
