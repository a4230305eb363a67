"""Script file -> Episode: pick the reader for its format, apply its front matter.

Every format becomes Markdown text first, so one parser (``parse_script``)
reads them all. What a format says about itself (an HTML page's title, a
Word document's author) fills the front matter fields the script leaves
unset.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Protocol, TypeAlias

from qacast.errors import NoDialogueError, QacastError
from qacast.limits import DEFAULT_MAX_SCRIPT_BYTES

# The parser is imported where a script is read: listing scripts and reading
# a file's number (all a build with every script unchanged asks) do without it.
if TYPE_CHECKING:
    from qacast.models import Episode, VoiceOverride
    from qacast.script.front.frontmatter import FrontMatter
    from qacast.script.front.guide import Guide


class ShowReading(Protocol):
    """What reading a script asks of the show's settings (``config.ShowConfig``
    has it; the settings sit above the script reader, which knows only this)."""

    @property
    def max_script_bytes(self) -> int: ...
    @property
    def language(self) -> str: ...
    @property
    def language_set(self) -> bool: ...


# A reader takes the file and the most bytes it may read (the show's
# max_script_bytes), and returns the script as Markdown text and what the file
# says about itself (all None for a text file, whose front matter is in its text).
Reader: TypeAlias = "Callable[[Path, int], tuple[str, FrontMatter]]"


def _read_text(path: Path, limit_bytes: int) -> tuple[str, FrontMatter]:
    """A text file; a transcription app's export (Otter, Rev, Descript, Zoom, Teams,
    Whisper, a caption file saved as text) is rewritten as labelled turns."""
    from qacast.script.formats.decode import read_script
    from qacast.script.formats.exports import normalise_export
    from qacast.script.formats.markdown_out import html_blocks_as_markdown
    from qacast.script.front.frontmatter import FrontMatter

    read = normalise_export(read_script(path, limit_bytes=limit_bytes), path.name)
    text = html_blocks_as_markdown(read.text)  # a blog's Markdown often holds HTML paragraphs
    return text, FrontMatter(notes=read.notes, speakers=read.speakers)


def _read_html(path: Path, limit_bytes: int) -> tuple[str, FrontMatter]:
    from qacast.script.formats.html import read_html  # lxml and trafilatura only when needed

    return read_html(path, limit_bytes=limit_bytes)


def _read_docx(path: Path, limit_bytes: int) -> tuple[str, FrontMatter]:
    from qacast.script.formats.docx import read_docx  # python-docx only when needed
    from qacast.script.formats.exports import normalise_export

    # Teams and other meeting apps export their transcripts as Word documents.
    text, facts = read_docx(path, limit_bytes=limit_bytes)
    read = normalise_export(text, path.name)
    notes = (*facts.notes, *read.notes)
    return read.text, dataclasses.replace(facts, notes=notes, speakers=read.speakers)


def _read_captions(path: Path, limit_bytes: int) -> tuple[str, FrontMatter]:
    from qacast.script.formats.captions import read_captions  # webvtt-py only when needed

    return read_captions(path, limit_bytes)


# File extension (lower case) -> reader. ``build`` takes exactly these from scripts/.
READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".markdown": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".docx": _read_docx,
    ".srt": _read_captions,
    ".vtt": _read_captions,
}

# How a message names the supported types: one spelling per reader.
SUPPORTED_TYPES = ".txt, .md, .html, .docx, .srt, .vtt"


def read_episode(
    script_path: Path, default_number: int | None = None, show: ShowReading | None = None
) -> tuple[Episode, dict[str, VoiceOverride]]:
    """The episode as written, front matter applied; and label -> voice overrides.

    ``default_number`` numbers an episode whose front matter gives none: a
    number at the start of the file name ("012-title.txt"), else this one (a
    build passes the number the episode was first published with). A file of
    another type than READERS knows is read as text (``qacast render notes``
    works on a file with no extension).
    With ``show``, the episode's language is decided (front matter, the show's,
    or detected) and role-word speakers are named in it.
    """
    from qacast.script.episode_language import with_language
    from qacast.script.front.frontmatter import split_front_matter
    from qacast.script.front.overrides import apply_front_matter, guide_from, voice_overrides
    from qacast.script.parse import name_interviewer

    reader = READERS.get(script_path.suffix.lower(), _read_text)
    text, facts = reader(
        script_path, show.max_script_bytes if show is not None else DEFAULT_MAX_SCRIPT_BYTES
    )
    shown = show.language if show is not None and show.language_set else None
    front, body = split_front_matter(text, source_name=script_path.name, language=shown)
    episode, facts = _parse_or_infer(body, facts, guide_from(front), script_path.name)
    front = _fill_from(front, _title_on_page_wins(facts, episode, script_path.name))
    episode = apply_front_matter(episode, front, source_name=script_path.name)
    # The piece's author asked the questions when the script only says "Q".
    episode = name_interviewer(episode, episode.meta.author or "")
    episode = _note_missing_image(episode, script_path)
    if show is not None:
        episode = with_language(episode, show.language, show.language_set)
    episode = _plausible_date(_date_from_text(episode, body, shown))
    if episode.meta.episode_number is None and default_number is not None:
        number = file_number(script_path) or default_number
        episode = dataclasses.replace(
            episode, meta=dataclasses.replace(episode.meta, episode_number=number)
        )
    return episode, voice_overrides(front)


def _parse_or_infer(
    body: str, facts: FrontMatter, guide: Guide, source_name: str
) -> tuple[Episode, FrontMatter]:
    """The episode; when the text marks no speakers at all (a plain speech-recognition
    transcript), its turns are told apart by their questions, and a note says so."""
    from qacast.script.formats.exports import unlabelled_as_turns
    from qacast.script.parse import parse_script

    try:
        vouched = dataclasses.replace(guide, vouched=frozenset(facts.speakers))
        return parse_script(body, source_name=source_name, guide=vouched), facts
    except NoDialogueError:
        inferred = unlabelled_as_turns(body, source_name)
        if inferred is None:
            raise
    episode = parse_script(inferred.text, source_name=source_name, guide=guide)
    return episode, dataclasses.replace(facts, notes=(*facts.notes, *inferred.notes))


# Notes about the episode's facts (its front matter, date, language, title), which
# ``build -v`` shows; the rest of the notes are how the dialogue was read (parse -v).
FACT_NOTES = re.compile(r"front matter: |date |language: |[a-z]+ from (?:the|the file's) ")


def fact_notes(episode: Episode) -> list[str]:
    return [note for note in episode.notes if FACT_NOTES.match(note)]


def file_number(script_path: Path) -> int | None:
    """The episode number a file name starts with ("012-title.txt" -> 12), if any.
    A number no episode could carry (a time stamp such as "20240115093000-") is none."""
    from qacast.script.front.fields import in_plausible_range

    leading = re.match(r"\d+", script_path.stem)
    try:
        return in_plausible_range(int(leading.group())) if leading else None
    except ValueError:
        return None


def _title_on_page_wins(facts: FrontMatter, episode: Episode, source_name: str) -> FrontMatter:
    """The file's own title only when the page shows none.

    A heading on the page is what its reader sees; a ``<title>`` adds the
    site's name or a section word ("Interview: ... – Site"), and a Word
    document's title property is often left over from its template.
    """
    from qacast.script.parse import title_from_name

    shown = episode.meta.title
    if facts.title in (None, shown) or shown == title_from_name(source_name):
        return facts
    web_page = PurePath(source_name).suffix.lower() in (".html", ".htm")
    if web_page and not _shared_words(shown, facts.title or ""):
        # "...making Linux just a little more fun!" over an article whose <title> is
        # "Interview: Timothy Miller": the site's slogan, not the piece's title. (A Word
        # document's title property, often the template's, never overrules its text.)
        return facts
    note = f"title from the page, not the file's metadata ({facts.title!r})"
    return dataclasses.replace(facts, title=None, notes=(*facts.notes, note))


def _shared_words(a: str, b: str) -> set[str]:
    """The words of four letters or more that two titles share."""

    def words(text: str) -> set[str]:
        return {w.casefold() for w in re.findall(r"\w{4,}", text)}

    return words(a) & words(b)


def _fill_from(front: FrontMatter, facts: FrontMatter) -> FrontMatter:
    """Front matter as written, its unset fields taken from what the file says of itself."""
    from qacast.script.front.frontmatter import FrontMatter

    unset = {
        field.name: getattr(facts, field.name)
        for field in dataclasses.fields(FrontMatter)
        if getattr(front, field.name) is None and getattr(facts, field.name) is not None
    }
    taken = tuple(f"{name} from the file's own metadata: {value}" for name, value in unset.items())
    return dataclasses.replace(front, **unset, notes=facts.notes + taken + front.notes)


def _date_from_text(episode: Episode, body: str, show_language: str | None) -> Episode:
    """A script without a date in its front matter takes the one its text gives."""
    from qacast.script.front.text_dates import date_in_text

    language = episode.meta.language or show_language
    found = None if episode.meta.date is not None else date_in_text(body, language)
    if found is None:
        return episode
    day, line = found
    meta = dataclasses.replace(episode.meta, date=day)
    note = f"date {day.isoformat()} from the text: {line!r}"
    return dataclasses.replace(episode, meta=meta, notes=(*episode.notes, note))


def _plausible_date(episode: Episode) -> Episode:
    """A date the page's metadata or the text gives is a guess: one no episode
    could carry (a document's "created 1601-01-01") is dropped with a note, and
    the episode is dated as if it gave none. (A front matter date is checked
    as it is read, and refused.)"""
    from qacast.script.front.fields import in_plausible_range

    day = episode.meta.date
    if day is None:
        return episode
    try:
        in_plausible_range(day)
    except ValueError as err:
        meta = dataclasses.replace(episode.meta, date=None)
        note = f"date {day.isoformat()} not used: it must {err}"
        return dataclasses.replace(episode, meta=meta, notes=(*episode.notes, note))
    return episode


def image_file(image: str | None, script_path: Path) -> Path | None:
    """The file front matter's image names, when it names one that is there:
    the episode's artwork. A URL names none (nothing is downloaded)."""
    if image is None or re.match(r"[a-z][a-z0-9+.-]*://", image, re.IGNORECASE):
        return None
    # Site generators write "/assets/x.jpg" from the site's root: look beside
    # the script and one folder up (the show folder, for scripts/).
    relative = image.lstrip("/")
    for folder in (script_path.parent, script_path.parent.parent):
        if (folder / relative).is_file():
            return folder / relative
    return None


def _note_missing_image(episode: Episode, script_path: Path) -> Episode:
    """An image the episode cannot use: say so, and that the show's cover stands in."""
    image = episode.meta.image
    if image is None or image_file(image, script_path) is not None:
        return episode
    if re.match(r"[a-z][a-z0-9+.-]*://", image, re.IGNORECASE):
        note = f"front matter: image {image!r} is an address, not a file; the show's cover is used"
    else:
        note = (
            f"front matter: image {image!r} not found beside the script; the show's cover is used"
        )
    return dataclasses.replace(episode, notes=(*episode.notes, note))


def front_matter_image(script_path: Path) -> Path | None:
    """The artwork file a text script's front matter names (see image_file);
    None for none, or for a script that cannot be read."""
    if READERS.get(script_path.suffix.lower(), _read_text) is not _read_text:
        return None
    from qacast.script.formats.decode import read_script
    from qacast.script.front.frontmatter import split_front_matter

    try:
        front, _ = split_front_matter(read_script(script_path), source_name=script_path.name)
    except QacastError:
        return None
    return image_file(front.image, script_path)


def is_draft(script_path: Path) -> bool:
    """Marked ``draft: true`` (or ``published: false``) in its front matter.

    Reads the front matter only, not the dialogue: build asks this of every
    script. Only text scripts carry front matter; a script that cannot be
    read is no draft (build reports its error when it renders it).
    """
    if READERS.get(script_path.suffix.lower(), _read_text) is not _read_text:
        return False
    from qacast.script.formats.decode import read_script
    from qacast.script.front.frontmatter import split_front_matter

    try:
        front, _ = split_front_matter(read_script(script_path), source_name=script_path.name)
    except QacastError:
        return False
    return bool(front.draft)


# --- which files in scripts/ are scripts ------------------------------------

# Editor leftovers, skipped without a word: Vim swap files, Emacs and other
# backups, Word's "~$name.docx" owner files while a document is open.
BACKUP_SUFFIXES = (".swp", ".swo", ".swx", ".bak", ".tmp", "~")
BACKUP_PREFIXES = ("~$", "#")


ARTWORK_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class ScriptListing:
    scripts: tuple[Path, ...]  # sorted by name
    skipped: tuple[str, ...]  # one line per file that is not a script, saying why


def list_scripts(scripts_dir: Path) -> ScriptListing:
    """The scripts in a show's scripts/ folder, and the files passed over.

    Hidden files, folders, editor backups and images (episode artwork) are
    passed over silently; any other file of a type no reader knows gets a line saying so.
    """
    scripts: list[Path] = []
    skipped: list[str] = []
    for path in sorted(scripts_dir.iterdir()):
        name = path.name
        if (
            name.startswith(".")
            or name.endswith(BACKUP_SUFFIXES)
            or name.startswith(BACKUP_PREFIXES)
            # Folders are passed over, unless named like a script: that one, and a
            # broken or looping symlink, is listed so that the build reports it.
            or (path.is_dir() and path.suffix.lower() not in READERS)
            # Episode artwork kept beside the scripts (front matter image).
            or path.suffix.lower() in ARTWORK_SUFFIXES
        ):
            continue
        if path.suffix.lower() in READERS:
            scripts.append(path)
        else:
            where = f"{scripts_dir.name}/{name}"
            skipped.append(f"{where}: not a supported script type ({SUPPORTED_TYPES})")
    return ScriptListing(tuple(scripts), tuple(skipped))
