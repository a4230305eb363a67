"""Episode -> a JSON-ready dict: the shape tests and sidecars rely on."""

from __future__ import annotations

from qacast.models import Episode


def episode_to_json(episode: Episode) -> dict[str, object]:
    """{"title", "speakers": [{id, name, role}], "turns": [{speaker, role, kind, text}],
    "chapters": [{title, start_turn}]}; nothing more, so golden files stay stable."""
    roles = {speaker.id: speaker.role for speaker in episode.speakers}
    return {
        "title": episode.meta.title,
        "speakers": [{"id": s.id, "name": s.name, "role": s.role} for s in episode.speakers],
        "turns": [
            {"speaker": t.speaker_id, "role": roles[t.speaker_id], "kind": t.kind, "text": t.text}
            for t in episode.turns
        ],
        "chapters": [{"title": c.title, "start_turn": c.start_turn} for c in episode.chapters],
    }
