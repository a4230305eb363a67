"""The template every synthesis process is forked from (imported once, by the forkserver).

espeak-ng keeps state in static variables from one synthesis to the next (the
pitch flutter phase, a two-way toggle in the wave generator, the breath-noise
filters and random numbers), so a sentence said after another one comes out a
few samples longer or shorter than the same sentence said first. Nothing in its
API resets that state. What does: say each sentence in a process forked from a
template that has loaded and initialised the engine but never synthesized.
Every fork starts from the same state, so a sentence's audio depends only on
the engine version, the voice, its settings and the text.

A process forked after espeak-ng has synthesized can hang inside it, and
pyttsx3 is not thread-safe: this module never synthesizes, and each forked
child says one utterance with the one engine it inherited, then exits.
"""

from __future__ import annotations

from qacast.voices.engines import ENGINES
from qacast.voices.engines.base import SpeechEngine

_made: dict[str, SpeechEngine] = {}
_failed: dict[str, Exception] = {}  # reported by the child that asks for the engine


def _make_templates() -> None:
    for name, spec in ENGINES.items():
        if not spec.template_safe():
            continue  # the child creates its own, from a fresh process
        try:
            _made[name] = spec.create()
        except Exception as exc:
            # The forkserver must not die: every later start would fail obscurely.
            _failed[name] = exc


def engine(name: str) -> SpeechEngine:
    """The engine this process inherited from the template, else a new one."""
    if name in _failed:
        raise _failed[name]
    made = _made.get(name)
    return made if made is not None else ENGINES[name].create()


_make_templates()
