"""The espeak-ng voices this install has, read from its data folder.

espeak-ng names a voice in three ways, and producers use all of them: by the
file that defines it (`en-GB-x-rp`), by a language code listed inside that
file (`en-gb`, `en`), and with a variant after a plus (`en-us+f3`), which
changes pitch, formants and sometimes breath. Scanning file names alone
rejects `en-gb`, the most natural of the three, so the catalog below indexes
every file by its name and by each `language` line, with espeak-ng's own
priority number deciding which file a shared code means (`en-gb` -> `en`,
priority 2, before `en-GB-x-rp`, priority 4).

Voices are handed to the engine in canonical form (`<file name>+<variant>`,
lower case), so the cache key of a sentence does not depend on which of the
three spellings a producer chose.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

from qacast.voices.engines.base import VoiceInfo

LIST_SUGGESTIONS = 4


@dataclass(frozen=True)
class _LanguageFile:
    file_id: str  # the file name, lower case: what espeak_SetVoiceByName accepts
    name: str  # "English (Great Britain)"
    languages: tuple[tuple[str, int], ...]  # (code, priority), lower is preferred
    gender: str | None


@dataclass(frozen=True)
class _Variant:
    variant_id: str  # "f3", "m3", "Alex"
    gender: str | None


@dataclass(frozen=True)
class EspeakCatalog:
    files: tuple[_LanguageFile, ...]
    variants: tuple[_Variant, ...]

    @functools.cached_property
    def _by_code(self) -> dict[str, str]:
        """Lower-cased name or language code -> file id, the best priority winning."""
        best: dict[str, tuple[int, str]] = {}
        for entry in self.files:
            best[entry.file_id] = (-1, entry.file_id)  # a file's own name always wins
            for code, priority in entry.languages:
                if code not in best or priority < best[code][0]:
                    best[code] = (priority, entry.file_id)
        return {code: file_id for code, (_, file_id) in best.items()}

    @functools.cached_property
    def _variants_by_key(self) -> dict[str, _Variant]:
        return {v.variant_id.lower(): v for v in self.variants}

    def resolve(self, voice_id: str) -> str | None:
        """Canonical `file+variant` for any accepted spelling, or None when unknown."""
        base, plus, variant = voice_id.strip().partition("+")
        file_id = self._by_code.get(base.lower())
        if file_id is None:
            return None
        if not plus:
            return file_id
        found = self._variants_by_key.get(variant.lower())
        return f"{file_id}+{found.variant_id}" if found else None

    def suggestions(self, voice_id: str) -> list[str]:
        """Real voices that look like ``voice_id``: each one resolves."""
        base, plus, variant = voice_id.strip().lower().partition("+")
        if base in self._by_code and plus:
            close = difflib.get_close_matches(
                variant, list(self._variants_by_key), LIST_SUGGESTIONS, 0.0
            )
            return [f"{base}+{self._variants_by_key[v].variant_id}" for v in close]
        codes = sorted(self._by_code)
        close = difflib.get_close_matches(base, codes, LIST_SUGGESTIONS, 0.5)
        return close or ["en-us", "en-gb", "en-gb-x-rp"]

    def languages_of(self, canonical_id: str) -> tuple[str, ...]:
        base = canonical_id.partition("+")[0]
        entry = next((f for f in self.files if f.file_id == base), None)
        return tuple(code for code, _ in entry.languages) if entry else ()

    def for_language(self, canonical_id: str, language: str) -> str | None:
        """The same voice character (variant) speaking ``language``, or None when unsupported.

        A voice that already speaks the language's family ("en-us" for "en-gb")
        is kept: the producer chose that accent.
        """
        wanted = language.lower().replace("_", "-")
        family = wanted.split("-")[0]
        if any(code.split("-")[0] == family for code in self.languages_of(canonical_id)):
            return canonical_id
        file_id = self._by_code.get(wanted) or self._by_code.get(family)
        if file_id is None:
            return None
        _, plus, variant = canonical_id.partition("+")
        return f"{file_id}+{variant}" if plus else file_id

    def nearest_languages(self, language: str) -> list[str]:
        codes = sorted({code for f in self.files for code, _ in f.languages})
        return difflib.get_close_matches(language.lower(), codes, LIST_SUGGESTIONS, 0.3)

    def gender(self, canonical_id: str) -> str | None:
        """A variant's gender decides; a plain language voice is espeak-ng's male voice."""
        base, _, variant = canonical_id.partition("+")
        if variant:
            found = self._variants_by_key.get(variant.lower())
            if found and found.gender:
                return found.gender
        entry = next((f for f in self.files if f.file_id == base), None)
        return (entry.gender if entry else None) or "male"

    def voices(self, engine: str) -> tuple[VoiceInfo, ...]:
        """One entry per language file, then one per variant (shown on `en-us`),
        listed as voices of ``engine`` (the engine that speaks with espeak-ng)."""
        listed = [
            VoiceInfo(
                engine=engine,
                voice_id=entry.file_id,
                language=entry.languages[0][0] if entry.languages else "",
                gender=entry.gender or "male",
                description=entry.name,
            )
            for entry in sorted(self.files, key=lambda f: f.file_id)
        ]
        listed += [
            VoiceInfo(
                engine=engine,
                voice_id=f"en-us+{variant.variant_id}",
                language="en-us",
                gender=variant.gender or "",
                description=f"variant {variant.variant_id} (works with any language: LANG+"
                f"{variant.variant_id})",
            )
            for variant in sorted(self.variants, key=lambda v: v.variant_id.lower())
        ]
        return tuple(listed)


def _fields(path: Path) -> list[tuple[str, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    rows = []
    for line in text.splitlines():
        words = line.split("//")[0].split()
        if words:
            rows.append((words[0].lower(), words[1:]))
    return rows


def _gender(rows: list[tuple[str, list[str]]]) -> str | None:
    for key, values in rows:
        if key == "gender" and values:
            word = values[0].lower()
            return word if word in ("female", "male") else None
    return None


def read_catalog(data_dir: Path) -> EspeakCatalog:
    files = []
    for path in sorted((data_dir / "lang").rglob("*")):
        if not path.is_file():
            continue
        rows = _fields(path)
        name = next((" ".join(v) for k, v in rows if k == "name"), path.name)
        languages = tuple(
            (values[0].lower(), int(values[1]) if len(values) > 1 and values[1].isdigit() else 5)
            for key, values in rows
            if key == "language" and values
        )
        files.append(_LanguageFile(path.name.lower(), name, languages, _gender(rows)))
    variants = tuple(
        _Variant(path.name, _gender(_fields(path)))
        for path in sorted((data_dir / "voices" / "!v").iterdir())
        if path.is_file()
    )
    return EspeakCatalog(tuple(files), variants)


@functools.cache
def espeak_catalog() -> EspeakCatalog:
    import espeakng_loader  # installed on Linux only, where this is asked

    return read_catalog(Path(espeakng_loader.get_data_path()))
