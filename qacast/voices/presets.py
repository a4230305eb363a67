"""Cast presets (TOML in voices/) -> a Casting for one episode."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from qacast.errors import ConfigError
from qacast.models import Casting, Episode, Pauses, VoicePreset
from qacast.voices.engines import ENGINES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# What a voice table may hold: key -> (type, lowest, highest).
VOICE_FIELDS: dict[str, tuple[type[object], int | None, int | None]] = {
    "engine": (str, None, None),
    "voice": (str, None, None),
    "pitch": (int, 0, 99),
    "rate_wpm": (int, 80, 450),
}
PAUSE_RANGE_MS = (0, 10_000)


@dataclass(frozen=True)
class CastPreset:
    """A preset as loaded: voices by role, extra guest voices, pauses."""

    name: str
    path: Path
    interviewer: VoicePreset
    interviewee: VoicePreset
    narrator: VoicePreset
    guests: tuple[VoicePreset, ...]
    pauses: Pauses


def preset_path(voices_dir: Path, name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return voices_dir / f"{name_or_path}.toml"


def load_preset(path: Path) -> CastPreset:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: cast preset not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read cast preset ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    known = {"interviewer", "interviewee", "narrator", "guests", "pauses"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}: unknown section [{key}] (expected one of {sorted(known)})")
    roles = {}
    for role in ("interviewer", "interviewee", "narrator"):
        if role not in data:
            raise ConfigError(f"{path}: missing section [{role}]")
        roles[role] = _voice(path, role, data[role])
    guests_raw = data.get("guests", [])
    if not isinstance(guests_raw, list):
        raise ConfigError(f"{path}: 'guests' must be a list of [[guests]] tables")
    guests = tuple(_voice(path, f"guests[{i}]", g) for i, g in enumerate(guests_raw))
    return CastPreset(
        name=path.stem,
        path=path,
        interviewer=roles["interviewer"],
        interviewee=roles["interviewee"],
        narrator=roles["narrator"],
        guests=guests,
        pauses=_pauses(path, data.get("pauses", {})),
    )


def _voice(path: Path, where: str, table: Any) -> VoicePreset:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    for key in table:
        if key not in VOICE_FIELDS:
            raise ConfigError(f"{path}: [{where}] unknown key '{key}'")
    values: dict[str, Any] = {"engine": "pyttsx3", "pitch": 50, "rate_wpm": 170}
    values.update(table)
    if "voice" not in table:
        raise ConfigError(f"{path}: [{where}] needs a 'voice', e.g. voice = \"en-us\"")
    for key, (kind, low, high) in VOICE_FIELDS.items():
        value = values[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(f"{path}: [{where}] '{key}' must be a {kind.__name__}, got {value!r}")
        if (
            isinstance(value, int)
            and low is not None
            and high is not None
            and not low <= value <= high
        ):
            raise ConfigError(f"{path}: [{where}] '{key}' must be {low}-{high}, got {value}")
    if values["engine"] not in ENGINES:
        raise ConfigError(
            f"{path}: [{where}] unknown engine '{values['engine']}' (known: {', '.join(ENGINES)})"
        )
    problem = unknown_voice_reason(values["engine"], values["voice"])
    if problem:
        raise ConfigError(f"{path}: [{where}] {problem}")
    return VoicePreset(
        engine=values["engine"],
        voice_id=values["voice"],
        rate_wpm=values["rate_wpm"],
        pitch=values["pitch"],
    )


def _pauses(path: Path, table: Any) -> Pauses:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [pauses] must be a table")
    names = {f.name for f in fields(Pauses)}
    low, high = PAUSE_RANGE_MS
    for key, value in table.items():
        if key not in names:
            raise ConfigError(f"{path}: [pauses] unknown key '{key}' (known: {sorted(names)})")
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ConfigError(f"{path}: [pauses] '{key}' must be whole milliseconds {low}-{high}")
    return Pauses(**table)


def unknown_voice_reason(engine: str, voice_id: str) -> str | None:
    """Why ``voice_id`` is not a voice of ``engine`` here, or None when it is.

    Checked before any worker starts: espeak-ng only reports an unknown voice as
    an error event and otherwise keeps the previous voice.
    """
    if engine != "pyttsx3" or not sys.platform.startswith("linux"):
        return None  # nsss / sapi5 voices are checked by the engine itself
    known_bases, known_variants = _espeak_voice_names()
    base, _, variant = voice_id.partition("+")
    if base.lower() not in known_bases:
        return f"voice '{voice_id}' is not an espeak-ng voice (try 'en-us', 'en-gb', 'en-gb-x-rp')"
    if variant and variant.lower() not in known_variants:
        return f"voice '{voice_id}': unknown variant '+{variant}' (try '+m3', '+f3')"
    return None


def _espeak_voice_names() -> tuple[set[str], set[str]]:
    import espeakng_loader

    data = Path(espeakng_loader.get_data_path())
    bases = {p.name.lower() for p in (data / "lang").rglob("*") if p.is_file()}
    variants = {p.name.lower() for p in (data / "voices" / "!v").iterdir() if p.is_file()}
    return bases, variants


_warned: set[str] = set()  # voice ids already warned about in this process


def warn_if_unrepeatable(voices: Iterable[VoicePreset]) -> None:
    """One line on stderr, once per process and voice, for a voice that changes every render."""
    for voice in voices:
        if voice.voice_id in _warned or not ENGINES[voice.engine].nondeterministic(voice.voice_id):
            continue
        _warned.add(voice.voice_id)
        print(
            f"qacast: warning: voice '{voice.voice_id}' sounds different on every render, "
            "so its episodes are never byte-identical; pick another variant to fix that",
            file=sys.stderr,
        )


def cast(episode: Episode, preset: CastPreset, voice_ids: dict[str, str] | None = None) -> Casting:
    """Give every speaker a voice: by role, panel guests each their own.

    ``voice_ids`` (speaker label -> engine voice, from front matter) swaps the
    voice while keeping the role's pitch and pace.
    """
    voices: dict[str, VoicePreset] = {}
    guest_voices = iter((preset.interviewee, *preset.guests))
    for speaker in episode.speakers:
        if speaker.role == "interviewer":
            voice = preset.interviewer
        elif speaker.role == "narrator":
            voice = preset.narrator
        else:
            guest = next(guest_voices, None)
            if guest is None:
                guests = sum(s.role == "interviewee" for s in episode.speakers)
                raise ConfigError(
                    f"{preset.path}: {len(preset.guests) + 1} guest voices for {guests} guests; "
                    "add [[guests]] tables"
                )
            voice = guest
        if voice_ids and speaker.id in voice_ids:
            problem = unknown_voice_reason(voice.engine, voice_ids[speaker.id])
            if problem:
                raise ConfigError(f"front matter cast {speaker.id}: {problem}")
            voice = dataclasses.replace(voice, voice_id=voice_ids[speaker.id])
        voices[speaker.id] = voice
    warn_if_unrepeatable(voices.values())
    return Casting(voices=voices, pauses=preset.pauses)
