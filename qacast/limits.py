"""What a value must be wherever qacast reads it: in qacast.toml, in a script's
front matter, in a built feed. The show's settings, the script reader and
``qacast check`` all ask these, so they live below all three.
"""

from __future__ import annotations

import re

# A script larger than this is refused before it is parsed: parsing is not
# meant for book-sized input (50 MB took over a minute and 620 MB).
DEFAULT_MAX_SCRIPT_BYTES = 5_000_000

# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, DEL,
# U+FFFE/U+FFFF): in a title they would make the feed unwritable.
NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

# A language, then region, script or variant subtags, in any case.
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def is_language_tag(tag: str) -> bool:
    """A language tag as feeds carry it ("en", "en-us", "pt-BR", "es-419") whose
    first part is a real ISO 639 language. "qq" or "xx-nonsense" has the shape of
    one and names no language: a directory would file the show under none, and
    no voice speaks it. Build (qacast.toml, front matter) and check both ask this."""
    if not _LANGUAGE_TAG.fullmatch(tag):
        return False
    # Imported when first asked: loading the IANA language subtag registry
    # took about 0.07 s (measured against `python -c pass`), and a build
    # with nothing new to read never asks.
    import langcodes

    return bool(langcodes.tag_is_valid(tag.split("-")[0]))
