"""Frozen values passed between the pipeline stages.

text --parse--> Episode --cast--> Casting --synthesize--> Clips
     --assemble--> Programme(Timeline + PCM) --master/encode--> EpisodeFile

The Timeline is the single source of truth for time: chapters, captions,
transcripts and feed durations are read from it, never re-measured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Role = Literal["interviewer", "interviewee", "narrator"]
TurnKind = Literal["intro", "question", "answer", "remark", "outro"]
ROLES: tuple[Role, ...] = ("interviewer", "interviewee", "narrator")
TURN_KINDS: tuple[TurnKind, ...] = ("intro", "question", "answer", "remark", "outro")


# --- script -----------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    id: str  # the label as written in the script ("SI"), or "NARRATOR"
    name: str  # full name as found in the text ("Stephen Ibaraki")
    role: Role


@dataclass(frozen=True)
class Paragraph:
    text: str  # as written, minus the speaker label and any list bullet
    list_item: bool = False  # a bullet or numbered item: read with a list pause


@dataclass(frozen=True)
class Turn:
    speaker_id: str
    kind: TurnKind
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class EpisodeMeta:
    title: str
    description: str = ""
    byline: str = ""  # "from Nestor J. Portillo, Regional Manager, ..." when the title had one
    episode_number: int | None = None
    season: int | None = None
    date: dt.date | None = None
    # The time of day front matter gives with the date: the moment it is
    # published. Aware when a zone was written; a naive one is UTC.
    time: dt.time | None = None
    keywords: tuple[str, ...] = ()
    explicit: bool = False
    episode_type: str = "full"  # full, trailer or bonus (Apple's episodeType)
    language: str | None = None  # a BCP-47 code; None: the show's language
    lexicon: tuple[tuple[str, str], ...] = ()
    image: str | None = None  # the episode image as front matter names it: a path or a URL
    author: str | None = None  # who wrote the piece, from front matter or the page
    draft: bool = False  # a draft is not published by build
    # Where ``language`` came from once the show is known: "front matter", "show", "detected".
    language_source: str = ""


@dataclass(frozen=True)
class ChapterMark:
    """A chapter as planned from the script: it starts where turn ``start_turn`` starts."""

    title: str
    start_turn: int


@dataclass(frozen=True)
class Doubt:
    """A reading the text did not settle, and the front-matter line for the other reading."""

    what: str  # "line 12: 'Was that in Iceland?' read as HOST's question"
    fix: str  # 'said_by: {"Was that in Iceland": IYER}': what to write if the reading is wrong


@dataclass(frozen=True)
class Episode:
    meta: EpisodeMeta
    speakers: tuple[Speaker, ...]
    turns: tuple[Turn, ...]
    chapters: tuple[ChapterMark, ...]
    notes: tuple[str, ...] = ()
    doubts: tuple[Doubt, ...] = ()  # what the reader guessed, each with the line that settles it

    def speaker(self, speaker_id: str) -> Speaker:
        for speaker in self.speakers:
            if speaker.id == speaker_id:
                return speaker
        raise KeyError(speaker_id)


@dataclass(frozen=True)
class Utterance:
    """One sentence to synthesize: the unit of synthesis, caching and captions."""

    turn_index: int
    paragraph_index: int
    sentence_index: int  # within its paragraph
    speaker_id: str
    text: str  # as displayed in captions
    speech: str  # cleaned for the engine (no symbols, no markup)


# --- voices -----------------------------------------------------------------


@dataclass(frozen=True)
class VoicePreset:
    """Who a voice is. Per-utterance delivery (pauses) lives in Pauses."""

    engine: str  # a key of qacast.voices.engines.ENGINES
    voice_id: str  # engine voice name, e.g. "en-us+f3" for espeak-ng
    rate_wpm: int  # words per minute; higher is faster
    pitch: int  # espeak-ng pitch 0-99; 50 is the voice's normal
    volume: float = 1.0  # 0.0-1.0, engine amplitude


@dataclass(frozen=True)
class VoiceOverride:
    """What a script or the show asks of one speaker's voice; None keeps the preset's."""

    voice: str | None = None  # any spelling the engine accepts ("en-gb", "en-us+f3")
    pitch: int | None = None  # 0-99, 50 is the voice's normal
    rate_wpm: int | None = None  # words per minute; higher is faster
    gender: str | None = None  # "female" or "male": a preset voice of that gender


@dataclass(frozen=True)
class Pauses:
    """Silence inserted between pieces of speech, in milliseconds."""

    sentence_ms: int = 350
    list_item_ms: int = 550
    paragraph_ms: int = 700
    speaker_ms: int = 800  # when the voice changes within a Q&A exchange
    question_ms: int = 1300  # before each new question: the listener's cue
    lead_in_ms: int = 500  # before the first word
    tail_ms: int = 1000  # after the last word


@dataclass(frozen=True)
class Casting:
    voices: dict[str, VoicePreset]  # speaker id -> voice
    pauses: Pauses = field(default_factory=Pauses)


# --- audio ------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    """One utterance's audio, kept in the clip store (the synthesis cache), not in memory."""

    utterance_index: int
    key: str  # the store's key for the audio (signed 16-bit little-endian mono)
    frame_count: int
    sample_rate_hz: int


@dataclass(frozen=True)
class Cue:
    """One sentence as placed on the timeline."""

    turn_index: int
    speaker_id: str
    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class TurnSpan:
    turn_index: int
    speaker_id: str
    kind: TurnKind
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


MusicKind = Literal["intro", "sting", "outro"]


@dataclass(frozen=True)
class MusicCue:
    kind: MusicKind
    start_frame: int  # at the timeline's sample rate
    frame_count: int


@dataclass(frozen=True)
class Timeline:
    cues: tuple[Cue, ...]
    turns: tuple[TurnSpan, ...]
    chapters: tuple[Chapter, ...]
    duration_ms: int
    sample_rate_hz: int
    frame_count: int  # exact length of the programme in frames at sample_rate_hz
    music: tuple[MusicCue, ...] = ()


@dataclass(frozen=True)
class Programme:
    """The assembled episode: its timeline and its raw PCM on disk."""

    timeline: Timeline
    pcm_path: Path  # signed 16-bit little-endian mono at timeline.sample_rate_hz
    # Where each encoding span begins (frames; the first is 0): see audio/spans.py.
    span_starts: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class EncodeSettings:
    format: str  # a key of qacast.formats.FORMATS
    bitrate_kbps: int
    sample_rate_hz: int = 44100
    channels: int = 1


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str  # the interviewer, or the show's author
    album: str  # the show's name
    genre: str = "Podcast"
    track: int | None = None
    date: str = ""  # ISO date or year
    comment: str = ""  # the episode description
    language: str = ""  # ISO 639-2 ("fra"): ID3 TLAN, MP4 and Vorbis LANGUAGE


@dataclass(frozen=True)
class EpisodeFile:
    """All a feed enclosure needs."""

    path: Path
    mime_type: str
    duration_ms: int
    size_bytes: int
