"""Front matter over what the parser inferred: the producer has the last word."""

from __future__ import annotations

import dataclasses

from qacast.errors import ScriptError
from qacast.models import Episode, EpisodeMeta, Speaker, VoiceOverride
from qacast.script.front.frontmatter import FrontMatter
from qacast.script.front.guide import Guide

# FrontMatter field -> EpisodeMeta field, where a value was given.
META_FIELDS: dict[str, str] = {
    "title": "title",
    "episode": "episode_number",
    "season": "season",
    "date": "date",
    "time": "time",
    "description": "description",
    "keywords": "keywords",
    "explicit": "explicit",
    "image": "image",
    "author": "author",
    "episode_type": "episode_type",
    "language": "language",
    "lexicon": "lexicon",
    "draft": "draft",
}


def guide_from(front: FrontMatter) -> Guide:
    """What the front matter tells the reader where the text alone left a doubt."""
    return Guide(
        roles={entry.label: entry.role for entry in front.cast if entry.role},
        said_by=front.said_by,
        skip=front.skip,
        labels=front.labels,
        not_labels=front.not_labels,
    )


def apply_front_matter(episode: Episode, front: FrontMatter, *, source_name: str) -> Episode:
    changes = {
        meta_field: getattr(front, front_field)
        for front_field, meta_field in META_FIELDS.items()
        if getattr(front, front_field) is not None
    }
    meta: EpisodeMeta = dataclasses.replace(episode.meta, **changes)
    by_id = {speaker.id: speaker for speaker in episode.speakers}
    for entry in front.cast:
        if entry.label not in by_id:
            known = ", ".join(by_id) or "none"
            raise ScriptError(
                f"{source_name}: front matter cast names '{entry.label}', "
                f"which is not a speaker label in the script (labels: {known})"
            )
        speaker = by_id[entry.label]
        by_id[entry.label] = Speaker(
            id=speaker.id, name=entry.name or speaker.name, role=entry.role or speaker.role
        )
    speakers = tuple(by_id[speaker.id] for speaker in episode.speakers)
    notes = front.notes + episode.notes
    return dataclasses.replace(episode, meta=meta, speakers=speakers, notes=notes)


def voice_overrides(front: FrontMatter) -> dict[str, VoiceOverride]:
    """Speaker label -> what its front matter asks of its voice, for labels that ask anything."""
    overrides = {
        entry.label: VoiceOverride(
            voice=entry.voice, pitch=entry.pitch, rate_wpm=entry.rate_wpm, gender=entry.gender
        )
        for entry in front.cast
    }
    return {label: o for label, o in overrides.items() if o != VoiceOverride()}
