"""A show with no language set, built with a French and a Spanish episode.

The languages are detected from the words; the feed (read by feedparser),
the pages, the JSON transcript and every format's tags (read by mutagen)
carry each episode's language; the channel keeps the show's.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
from build_helpers import build
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus

from qacast.audio.tags_vorbis import vorbis_comments
from qacast.models import EpisodeTags

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
SCRIPTS = {
    "fr": "# Le four\n\nNous avons rencontré une boulangère.\n\n"
    "Q: Pourquoi avez-vous choisi ce métier si difficile ?\n\n"
    "R: Parce que j'aime le silence de la nuit et l'odeur du pain chaud.\n",
    "es": "# El horno\n\nHemos hablado con una panadera.\n\n"
    "P: ¿Por qué eligió usted este oficio tan difícil?\n\n"
    "R: Porque me gusta el silencio de la noche y el olor del pan caliente.\n",
}


@dataclass(frozen=True)
class Built:
    out: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("languages")
    show = root / "show"
    (show / "scripts").mkdir(parents=True)
    (show / "qacast.toml").write_text(
        'title = "Pain"\nbase_url = "http://127.0.0.1:8000/"\nformats = ["mp3", "m4a", "opus"]\n',
        encoding="utf-8",
    )
    for number, (language, text) in enumerate(SCRIPTS.items(), start=1):
        (show / "scripts" / f"{number:02d}-{language}.md").write_text(text, encoding="utf-8")
    build(show, root / "cache")
    return Built(show / "out")


def test_feed_items_carry_their_language(built: Built) -> None:
    feed = feedparser.parse((built.out / "feed.xml").read_bytes())
    assert feed.feed.language == "en"  # the show's: qacast.toml sets none
    by_slug = {entry.link.rsplit("/", 1)[-1]: entry for entry in feed.entries}
    languages = {slug.split(".")[0]: entry.get("language") for slug, entry in by_slug.items()}
    assert sorted(languages.values()) == ["es", "fr"], languages


def test_transcript_elements_carry_the_episode_language(built: Built) -> None:
    root = ET.parse(built.out / "feed.xml").getroot()
    for item in root.iter("item"):
        title = item.findtext("title")
        expected = "fr" if title == "Le four" else "es"
        transcripts = item.findall(f"{{{PODCAST_NS}}}transcript")
        assert transcripts
        assert {t.get("language") for t in transcripts} == {expected}


def test_json_transcripts_and_pages(built: Built) -> None:
    for language in SCRIPTS:
        (transcript,) = built.out.glob(f"*{language}.transcript.json")
        assert json.loads(transcript.read_text(encoding="utf-8"))["language"] == language
        (page,) = built.out.glob(f"*{language}.html")
        assert f'<article class="episode" lang="{language}">' in page.read_text(encoding="utf-8")
    index = (built.out / "index.html").read_text(encoding="utf-8")
    assert '<li lang="fr">' in index and '<li lang="es">' in index


def test_tags_carry_the_language(built: Built) -> None:
    for language, code in (("fr", "fra"), ("es", "spa")):
        (mp3,) = built.out.glob(f"*{language}.mp3")
        assert ID3(mp3)["TLAN"].text == [code]
        (m4a,) = built.out.glob(f"*{language}.m4a")
        tags = MP4(m4a).tags
        assert tags is not None
        assert tags["----:com.apple.iTunes:LANGUAGE"] == [code.encode()]
        (opus,) = built.out.glob(f"*{language}.opus")
        assert OggOpus(opus)["LANGUAGE"] == [code]


def test_flac_comments_carry_the_language() -> None:
    tags = EpisodeTags(title="Le four", artist="Journaliste", album="Pain", language="fra")
    assert ("LANGUAGE", "fra") in vorbis_comments(tags, ())  # FLAC and Opus share them


def test_intro_chapter_is_translated(built: Built) -> None:
    (chapters,) = built.out.glob("*fr.chapters.json")
    titles = [c["title"] for c in json.loads(chapters.read_text(encoding="utf-8"))["chapters"]]
    assert titles[0] == "Introduction"
    (chapters,) = built.out.glob("*es.chapters.json")
    titles = [c["title"] for c in json.loads(chapters.read_text(encoding="utf-8"))["chapters"]]
    assert titles[0] == "Introducción"
