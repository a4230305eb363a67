"""Cast presets (TOML in voices/) -> a Casting for one episode."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from qacast.errors import ConfigError
from qacast.models import Casting, Episode, Pauses, VoiceOverride, VoicePreset
from qacast.voices.engines import DEFAULT_ENGINE, ENGINES, UnknownVoiceError

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
    "gender": (str, None, None),
}
GENDERS = ("female", "male")
PAUSE_RANGE_MS = (0, 10_000)
ROLE_ORDER = ("interviewer", "interviewee", "narrator")


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
    # voice id -> gender where the preset says so; otherwise the engine decides.
    genders: tuple[tuple[str, str], ...] = ()
    # language code -> role ("interviewer", "interviewee", "narrator") -> voice,
    # from [languages.CODE.ROLE] tables: what the preset casts for that language.
    languages: tuple[tuple[str, tuple[tuple[str, VoicePreset], ...]], ...] = ()
    # Where voice files are found by name, in order (the preset's folder, the
    # show's voices/): a preset, the front matter and other languages may use any.
    voice_folders: tuple[Path, ...] = ()

    def gender_of(self, voice: VoicePreset) -> str | None:
        explicit = dict(self.genders).get(voice.voice_id)
        return explicit or ENGINES[voice.engine].gender(voice.voice_id)

    @property
    def all_voices(self) -> tuple[VoicePreset, ...]:
        """Every voice of the preset, guests first: the pool `gender` picks from."""
        return (self.interviewee, *self.guests, self.narrator, self.interviewer)


# qacast's own preset: a show's "default" when its voices/ folder has none.
BUILTIN_PRESET = Path(__file__).parent.parent / "data" / "default-voices.toml"


def preset_path(voices_dir: Path, name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return voices_dir / f"{name_or_path}.toml"


def show_preset(show_dir: Path, name_or_path: str) -> CastPreset:
    """The cast preset a show's ``voices`` setting (or ``--voices``) names: a
    file of its voices/ folder or a .toml path; "default" without such a file
    is qacast's own."""
    path = preset_path(show_dir / "voices", name_or_path)
    if not path.exists() and name_or_path == "default":
        path = BUILTIN_PRESET
    return load_preset(path, show_dir / "voices")


def load_preset(path: Path, show_voices: Path | None = None) -> CastPreset:
    """The preset at ``path``; voice files are looked for in its own folder,
    then in ``show_voices`` (the show's voices/ folder)."""
    own = () if path == BUILTIN_PRESET else (path.parent,)
    folders = tuple(dict.fromkeys([*own, *([show_voices] if show_voices else [])]))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: cast preset not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read cast preset ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    known = {"interviewer", "interviewee", "narrator", "guests", "pauses", "languages"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{path}: unknown section [{key}] (expected one of {sorted(known)})")
    roles = {}
    genders: dict[str, str] = {}
    for role in ROLE_ORDER:
        if role not in data:
            raise ConfigError(f"{path}: missing section [{role}]")
        roles[role] = _voice(path, role, data[role], genders, folders)
    guests_raw = data.get("guests", [])
    if not isinstance(guests_raw, list):
        raise ConfigError(f"{path}: 'guests' must be a list of [[guests]] tables")
    guests = tuple(
        _voice(path, f"guests[{i}]", g, genders, folders) for i, g in enumerate(guests_raw)
    )
    return CastPreset(
        name=path.stem,
        path=path,
        interviewer=roles["interviewer"],
        interviewee=roles["interviewee"],
        narrator=roles["narrator"],
        guests=guests,
        pauses=_pauses(path, data.get("pauses", {})),
        genders=tuple(sorted(genders.items())),
        languages=_languages(path, data.get("languages", {}), genders, folders),
        voice_folders=folders,
    )


def _languages(
    path: Path, table: Any, genders: dict[str, str], folders: tuple[Path, ...]
) -> tuple[tuple[str, tuple[tuple[str, VoicePreset], ...]], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [languages] must hold [languages.CODE.ROLE] tables")
    mapped = []
    for code, roles in table.items():
        if not isinstance(roles, dict) or not set(roles) <= set(ROLE_ORDER):
            raise ConfigError(
                f"{path}: [languages.{code}] must hold tables named {', '.join(ROLE_ORDER)}"
            )
        voices = tuple(
            (role, _voice(path, f"languages.{code}.{role}", roles[role], genders, folders))
            for role in ROLE_ORDER
            if role in roles
        )
        mapped.append((code.lower(), voices))
    return tuple(mapped)


def for_language(preset: CastPreset, language: str | None) -> CastPreset:
    """The preset as it casts an episode in ``language``.

    Roles the preset maps for that language ([languages.fr.interviewer]) take
    the mapped voice; every other voice keeps its character (variant, pitch,
    pace) and speaks the language, so the roles stay as far apart as in English.
    """
    if not language:
        return preset
    code = language.lower().replace("_", "-")
    mapped = dict(preset.languages).get(code) or dict(preset.languages).get(code.split("-")[0])
    chosen = dict(mapped or ())

    def speak(role: str, voice: VoicePreset) -> VoicePreset:
        if role in chosen:
            return chosen[role]
        try:
            return dataclasses.replace(
                voice, voice_id=ENGINES[voice.engine].for_language(voice.voice_id, code)
            )
        except UnknownVoiceError as err:
            other = _voice_speaking(voice.engine, code, preset.voice_folders)
            if other is None:
                raise ConfigError(f"{preset.path}: [{role}] {err}") from None
            # Another voice file of the same engine: the role keeps its pitch and pace.
            return dataclasses.replace(voice, voice_id=other)

    return dataclasses.replace(
        preset,
        interviewer=speak("interviewer", preset.interviewer),
        interviewee=speak("interviewee", preset.interviewee),
        narrator=speak("narrator", preset.narrator),
        guests=tuple(speak("guests", g) for g in preset.guests),
    )


def _voice_speaking(engine: str, language: str, folders: tuple[Path, ...]) -> str | None:
    """The canonical id of a voice of ``engine`` that speaks ``language``, for
    an engine whose voices each speak one: the show's voice files first (by
    name), then the engine's own; None when it has none."""
    spec = ENGINES[engine]
    wanted = language.split("-")[0]
    for found in (f for folder in folders for f in spec.folder_voices(folder)):
        if not found.problem and found.info.language.split("-")[0] == wanted:
            return found.canonical_id
    for info in spec.voices() if spec.installed() else ():
        if info.language.split("-")[0] == wanted:
            try:
                return spec.for_language(spec.resolve_voice(info.voice_id), language)
            except UnknownVoiceError:
                continue
    return None


def speaks(preset: CastPreset, language: str) -> bool:
    """Can the preset cast an episode in ``language`` (its engines have voices for it)?"""
    try:
        for_language(preset, language)
    except ConfigError:
        return False
    return True


def _voice(
    path: Path, where: str, table: Any, genders: dict[str, str], folders: tuple[Path, ...]
) -> VoicePreset:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{where}] must be a table")
    for key in table:
        if key not in VOICE_FIELDS:
            raise ConfigError(f"{path}: [{where}] unknown key '{key}'")
    # Pitch and pace left out are the engine's own (its record says what they are).
    named = table.get("engine", DEFAULT_ENGINE)
    engine = ENGINES.get(named) if isinstance(named, str) else None
    defaults = engine or ENGINES[DEFAULT_ENGINE]
    if "voice" not in table:
        raise ConfigError(
            f"{path}: [{where}] needs a 'voice', e.g. voice = \"{defaults.example_voice}\""
        )
    values: dict[str, Any] = {
        "engine": DEFAULT_ENGINE,
        "pitch": defaults.default_pitch,
        "rate_wpm": defaults.default_rate_wpm,
        **table,
    }
    _check_fields(path, where, values)
    if engine is None:
        raise ConfigError(
            f"{path}: [{where}] unknown engine '{values['engine']}' (known: {', '.join(ENGINES)})"
        )
    if "gender" in table and table["gender"] not in GENDERS:
        raise ConfigError(f"{path}: [{where}] 'gender' must be female or male")
    try:
        voice_id = resolve_voice(values["engine"], values["voice"], folders)
    except UnknownVoiceError as err:
        raise ConfigError(f"{path}: [{where}] {err}") from None
    if "gender" in table:
        genders[voice_id] = table["gender"]
    return VoicePreset(
        engine=values["engine"],
        voice_id=voice_id,
        rate_wpm=values["rate_wpm"],
        pitch=values["pitch"],
    )


def _check_fields(path: Path, where: str, values: dict[str, Any]) -> None:
    """Each value of a voice table has its type, and numbers are in their range."""
    for key, (kind, low, high) in VOICE_FIELDS.items():
        if key not in values:
            continue  # gender: optional, the engine knows most voices' gender
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


def resolve_voice(engine: str, voice_id: str, folders: tuple[Path, ...] = ()) -> str:
    """The engine's canonical id for ``voice_id``; UnknownVoiceError names alternatives.

    A voice file of ``folders`` is named by its name (its problem, if it is
    broken, is the error); a relative path is looked for in ``folders``
    first, then in the current folder.
    """
    spec = ENGINES[engine]
    for folder in folders:
        for found in spec.folder_voices(folder):
            if voice_id in found.names:
                if found.problem:
                    raise UnknownVoiceError(found.problem)
                return found.canonical_id
    beside = next((f / voice_id for f in folders if voice_id and (f / voice_id).exists()), None)
    return spec.resolve_voice(str(beside) if beside else voice_id)


def _apply(
    voice: VoicePreset, override: VoiceOverride, where: str, folders: tuple[Path, ...]
) -> VoicePreset:
    changes: dict[str, Any] = {}
    if override.voice is not None:
        try:
            changes["voice_id"] = resolve_voice(voice.engine, override.voice, folders)
        except UnknownVoiceError as err:
            raise ConfigError(f"{where}: {err}") from None
    for key, (_, low, high) in VOICE_FIELDS.items():
        value = getattr(override, key, None)
        if key in ("pitch", "rate_wpm") and value is not None:
            assert low is not None and high is not None
            if not low <= value <= high:
                raise ConfigError(f"{where}: '{key}' must be {low}-{high}, got {value}")
            changes[key] = value
    return dataclasses.replace(voice, **changes) if changes else voice


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


def _by_gender(
    preset: CastPreset, gender: str, role_voice: VoicePreset, taken: set[VoicePreset], where: str
) -> VoicePreset:
    """The role's own voice when it has ``gender``, else the first free preset voice that has."""
    if gender not in GENDERS:
        raise ConfigError(f"{where}: gender must be female or male, got {gender!r}")
    candidates = [role_voice, *preset.all_voices]
    matching = [v for v in candidates if preset.gender_of(v) == gender]
    if not matching:
        raise ConfigError(
            f"{where}: cast preset '{preset.name}' has no {gender} voice; add one with "
            f'gender = "{gender}" or set a voice such as "en-us+f4"'
        )
    return next((v for v in matching if v not in taken), matching[0])


def merge_overrides(
    episode: Episode,
    by_name: Mapping[str, VoiceOverride],
    by_label: Mapping[str, VoiceOverride],
) -> dict[str, VoiceOverride]:
    """Speaker label -> voice wishes: the show's for a person it knows by name
    ([people."Name"] in qacast.toml), the script's front matter over them, field by field."""
    merged: dict[str, VoiceOverride] = {}
    for speaker in episode.speakers:
        show = by_name.get(speaker.name, VoiceOverride())
        script = by_label.get(speaker.id, VoiceOverride())
        wishes = {
            key: getattr(script, key) if getattr(script, key) is not None else getattr(show, key)
            for key in ("voice", "pitch", "rate_wpm", "gender")
        }
        if script.voice is not None and script.gender is None:
            wishes["gender"] = None  # a voice named in the script is what it wants
        override = VoiceOverride(**wishes)
        if override != VoiceOverride():
            merged[speaker.id] = override
    return merged


# Beyond the preset's voices, a panel's further speakers reuse them a step
# higher or lower in pitch each round, so no two sound alike and no panel is refused.
EXTRA_PITCH_STEP = 12


def _role_voice(preset: CastPreset, role: str, place: int) -> VoicePreset:
    """The voice of the ``place``-th speaker (from 0) of ``role``.

    Guests take the interviewee's voice, then the [[guests]] voices; further
    hosts take the [[guests]] voices from the other end, so a panel of two
    hosts and two guests has four different voices.
    """
    pools = {
        "interviewer": (preset.interviewer, *reversed(preset.guests)),
        "narrator": (preset.narrator,),
    }
    pool = pools.get(role, (preset.interviewee, *preset.guests))
    voice = pool[place % len(pool)]
    rounds = place // len(pool)
    if rounds == 0:
        return voice
    shift = EXTRA_PITCH_STEP * ((rounds + 1) // 2) * (1 if rounds % 2 else -1)
    return dataclasses.replace(voice, pitch=min(99, max(0, voice.pitch + shift)))


def role_voices(episode: Episode, preset: CastPreset) -> dict[str, VoicePreset]:
    """Speaker label -> the voice the preset gives their role and place, before
    any wish of theirs: the engine of that voice is the one that speaks them."""
    voices: dict[str, VoicePreset] = {}
    seen: dict[str, int] = {}  # role -> speakers of that role cast so far
    for speaker in episode.speakers:
        place = seen.get(speaker.role, 0)
        seen[speaker.role] = place + 1
        voices[speaker.id] = _role_voice(preset, speaker.role, place)
    return voices


def cast(
    episode: Episode, preset: CastPreset, overrides: dict[str, VoiceOverride] | None = None
) -> Casting:
    """Give every speaker a voice: by role, panel guests each their own.

    ``overrides`` (speaker label -> what the script or show asks) can pick a
    voice by gender from the preset, swap the voice, and set pitch and pace.
    """
    voices: dict[str, VoicePreset] = {}
    for speaker_id, voice in role_voices(episode, preset).items():
        override = (overrides or {}).get(speaker_id)
        if override is not None:
            where = f"cast {speaker_id}"
            if override.gender is not None and override.voice is None:
                voice = _by_gender(preset, override.gender, voice, set(voices.values()), where)
            voice = _apply(voice, override, where, preset.voice_folders)
        voices[speaker_id] = voice
    warn_if_unrepeatable(voices.values())
    return Casting(voices=voices, pauses=preset.pauses)
