"""What time it is, for the commands that decide what is due: build, check, publish.

An episode dated in the future is rendered but not published until it is
due, and ``qacast check`` rejects a feed dated ahead of now, so every
command that asks must agree on "now", and a test must be able to say what
it is without waiting for a date to come. ``QACAST_NOW`` does that: an ISO
8601 moment (``2024-03-04T09:00:00+01:00``; a moment without a zone is
UTC) or a day (``2024-03-04``, its start in UTC). The commands read it once,
here, and hand the moment down as a value.
"""

from __future__ import annotations

import datetime as dt
import os

from qacast.errors import ConfigError

NOW_VARIABLE = "QACAST_NOW"


def now() -> dt.datetime:
    """The moment the command runs: ``QACAST_NOW`` when set, else the system clock (aware)."""
    text = os.environ.get(NOW_VARIABLE, "").strip()
    if not text:
        return dt.datetime.now(dt.timezone.utc)
    return parse_now(text)


def parse_now(text: str) -> dt.datetime:
    """``QACAST_NOW``'s moment; ConfigError (one line) when it names none."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"{NOW_VARIABLE}={text!r} is no moment; write one such as 2024-03-04T09:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


def today(moment: dt.datetime) -> dt.date:
    """The day ``moment`` falls on where this computer is: what a date alone is compared with."""
    return moment.astimezone().date()
