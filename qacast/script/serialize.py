"""Episode -> a JSON-ready dict: the shape tests and sidecars rely on."""

from __future__ import annotations

from qacast.models import Episode
from qacast.script.speech.lexicon import Lexicon
from qacast.script.speech.utterances import utterances


def episode_to_json(
    episode: Episode, lexicon: Lexicon | None = None, language: str = "en"
) -> dict[str, object]:
    """{"title", "speakers": [{id, name, role}], "turns": [{speaker, role, kind, text, speech}],
    "chapters": [{title, start_turn}]}; nothing more, so golden files stay stable.

    ``speech`` is what the engine is given: sentences joined by spaces,
    paragraphs by newlines; ``text`` is what captions and pages show."""
    roles = {speaker.id: speaker.role for speaker in episode.speakers}
    spoken: dict[int, dict[int, list[str]]] = {}  # turn -> paragraph -> sentences
    for said in utterances(episode, lexicon, language):
        turn = spoken.setdefault(said.turn_index, {})
        turn.setdefault(said.paragraph_index, []).append(said.speech)
    return {
        "title": episode.meta.title,
        "speakers": [{"id": s.id, "name": s.name, "role": s.role} for s in episode.speakers],
        "turns": [
            {
                "speaker": t.speaker_id,
                "role": roles[t.speaker_id],
                "kind": t.kind,
                "text": t.text,
                "speech": "\n".join(" ".join(p) for p in spoken.get(index, {}).values()),
            }
            for index, t in enumerate(episode.turns)
        ],
        "chapters": [{"title": c.title, "start_turn": c.start_turn} for c in episode.chapters],
    }
