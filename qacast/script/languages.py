"""Words an interview uses about itself, per language: role words, honorifics, page chrome.

The parser's tables (``labels.ROLE_LABELS``, ``labels.HONORIFICS``,
``furniture.LINE_RULES``) are English; the tables here add the same kinds of
words for other languages, so a French "Q:"/"R:" interview or a German
"Teilen" line is read like its English counterpart. The parser itself does
not know the episode's language (it is decided after parsing: front matter,
the show, or detection), so every language's words are accepted everywhere,
and ``localise_speakers`` then gives role-word speakers the name their
episode's language uses: "R" is "Invité" in French and "Invitado" in Spanish.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from lingua import IsoCode639_1, Language

from qacast.models import ChapterMark, Episode, Role, Speaker


@dataclass(frozen=True)
class LanguageWords:
    """The words of one language the parser and the publisher need."""

    interviewer: str  # what the person asking is called when unnamed ("Journaliste")
    interviewee: str  # ... and the person answering ("Invité")
    asking: tuple[str, ...]  # role words for the interviewer, lower case ("q", "question")
    answering: tuple[str, ...]  # role words for the interviewee ("r", "réponse")
    honorifics: tuple[str, ...]  # lower case, as they open a name in capitals ("mme")
    share: str  # pattern of a whole share line ("partager")
    read_more: str  # pattern of a "read also" line; anything may follow a colon
    comments: str  # pattern of a comment counter line
    byline: str  # pattern of a "published on ..." line
    intro: str  # chapter title of the intro qacast writes
    outro: str
    # Words that address the listener's counterpart ("vous", "Sie"): a question
    # with one of them is put to someone, not asked of oneself.
    addressing: str = ""


LANGUAGES: dict[str, LanguageWords] = {
    "fr": LanguageWords(
        interviewer="Journaliste",
        interviewee="Invité",
        asking=("q", "question", "journaliste", "intervieweur", "intervieweuse", "animateur",
                "animatrice", "présentateur", "présentatrice"),
        answering=("r", "réponse", "invité", "invitée", "interviewé", "interviewée"),
        honorifics=("m.", "mme", "mme.", "mlle", "mlle.", "maître", "monsieur", "madame",
                    "docteur", "dr", "pr", "professeur"),
        share=r"partager(?: (?:sur|cet article|l'article)\b.*)?",
        read_more=r"lire aussi|à lire aussi|lire la suite|voir aussi|sur le même sujet"
        r"|à lire également|lire également",
        comments=r"commentaires?(?:\s*[(\[]\d+[)\]])?|\d+\s+commentaires?"
        r"|(?:laisser|ajouter) un commentaire|réagir",
        byline=r"(?:publié|mis à jour|modifié) le\b.{0,60}",
        intro="Introduction",
        outro="Conclusion",
        addressing=r"vous|votre|vos|tu|toi|ton|ta|tes",
    ),
    "es": LanguageWords(
        interviewer="Entrevistador",
        interviewee="Invitado",
        asking=("p", "pregunta", "entrevistador", "entrevistadora", "periodista", "moderador",
                "moderadora", "presentador", "presentadora"),
        answering=("r", "respuesta", "invitado", "invitada", "entrevistado", "entrevistada"),
        honorifics=("sr.", "sra.", "srta.", "sr", "sra", "srta", "don", "doña", "dr.", "dra.",
                    "lic.", "ing.", "señor", "señora"),
        share=r"compartir(?: (?:en|este artículo)\b.*)?",
        read_more=r"leer más|lee también|lea también|te puede interesar|le puede interesar"
        r"|ver también|más información|noticias relacionadas|sigue leyendo",
        comments=r"comentarios?(?:\s*[(\[]\d+[)\]])?|\d+\s+comentarios?"
        r"|(?:deja|dejar|añadir) un comentario",
        byline=r"(?:publicado|actualizado) (?:el|en)\b.{0,60}",
        intro="Introducción",
        outro="Despedida",
        addressing=r"usted|ustedes|tú|tu|tus|te|ti|vos|vosotros|os",
    ),
    "de": LanguageWords(
        interviewer="Interviewer",
        interviewee="Gast",
        asking=("f", "frage", "interviewer", "interviewerin", "moderator", "moderatorin",
                "journalist", "journalistin", "redaktion"),
        answering=("a", "antwort", "gast", "interviewte", "interviewter"),
        honorifics=("herr", "frau", "dr.", "prof.", "dipl.-ing."),
        share=r"teilen(?: (?:auf|per)\b.*)?|artikel teilen",
        read_more=r"weiterlesen|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant"
        r"|das könnte sie auch interessieren",
        comments=r"kommentare?(?:\s*[(\[]\d+[)\]])?|\d+\s+kommentare?"
        r"|kommentar schreiben|kommentieren",
        byline=r"(?:veröffentlicht|aktualisiert|erschienen) am\b.{0,60}",
        intro="Einleitung",
        outro="Abschluss",
        addressing=r"Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|du|dich|dir|dein|deine|euch|euer",
    ),
    "it": LanguageWords(
        interviewer="Intervistatore",
        interviewee="Ospite",
        asking=("d", "domanda", "intervistatore", "intervistatrice", "giornalista",
                "moderatore", "moderatrice", "conduttore", "conduttrice"),
        answering=("r", "risposta", "ospite", "intervistato", "intervistata"),
        honorifics=("sig.", "sig.ra", "sig.na", "dott.", "dott.ssa", "prof.", "prof.ssa",
                    "avv.", "ing.", "signor", "signora"),
        share=r"condividi(?: (?:su|l'articolo)\b.*)?",
        read_more=r"leggi anche|leggi di più|continua a leggere|potrebbe interessarti"
        r"|vedi anche|approfondisci",
        comments=r"commenti(?:\s*[(\[]\d+[)\]])?|\d+\s+commenti|lascia un commento|commenta",
        byline=r"(?:pubblicato|aggiornato) (?:il|l')\b.{0,60}",
        intro="Introduzione",
        outro="Conclusione",
        addressing=r"lei|voi|tu|te|ti|vostro|vostra|tuo|tua",
    ),
    "pt": LanguageWords(
        interviewer="Entrevistador",
        interviewee="Convidado",
        asking=("p", "pergunta", "entrevistador", "entrevistadora", "jornalista",
                "moderador", "moderadora", "apresentador", "apresentadora"),
        answering=("r", "resposta", "convidado", "convidada", "entrevistado", "entrevistada"),
        honorifics=("sr.", "sra.", "srta.", "dr.", "dra.", "senhor", "senhora", "dom", "dona"),
        share=r"(?:partilhar|compartilhar)(?: (?:no|na|em|este artigo)\b.*)?",
        read_more=r"leia também|leia mais|ler mais|saiba mais|veja também|continue a ler"
        r"|continue lendo|leia a seguir",
        comments=r"comentários?(?:\s*[(\[]\d+[)\]])?|\d+\s+comentários?"
        r"|(?:deixe|deixar) (?:um|o seu|seu) comentário",
        byline=r"(?:publicado|atualizado) (?:em|a)\b.{0,60}",
        intro="Introdução",
        outro="Encerramento",
        addressing=r"você|vocês|tu|te|teu|tua|o senhor|a senhora",
    ),
    "nl": LanguageWords(
        interviewer="Interviewer",
        interviewee="Gast",
        asking=("v", "vraag", "interviewer", "interviewster", "moderator", "presentator",
                "presentatrice", "journalist", "verslaggever"),
        answering=("a", "antwoord", "gast", "geïnterviewde"),
        honorifics=("dhr.", "mevr.", "mw.", "mr.", "drs.", "ir.", "ing.", "meneer", "mevrouw"),
        share=r"delen(?: (?:op|via)\b.*)?|deel dit artikel",
        read_more=r"lees ook|lees meer|lees verder|meer over dit onderwerp|bekijk ook",
        comments=r"reacties?(?:\s*[(\[]\d+[)\]])?|\d+\s+reacties?|reageer|plaats een reactie",
        byline=r"(?:gepubliceerd|bijgewerkt) (?:op|om)\b.{0,60}",
        intro="Inleiding",
        outro="Afsluiting",
        addressing=r"u|uw|je|jij|jouw|jullie",
    ),
}  # fmt: skip

ENGLISH_CHAPTERS = {"intro": "Intro", "outro": "Outro"}


def base_code(language: str) -> str:
    """ "fr-CA" -> "fr", "pt_BR" -> "pt"."""
    return language.lower().replace("_", "-").partition("-")[0]


def role_labels() -> dict[str, tuple[Role, str]]:
    """Every language's role words -> (role, the name given to the speaker).

    A letter several languages use ("r" for Réponse, Respuesta, Risposta,
    Resposta) takes the first language's name here; ``localise_speakers``
    corrects it once the episode's language is known.
    """
    table: dict[str, tuple[Role, str]] = {}
    for words in LANGUAGES.values():
        for word in words.asking:
            table.setdefault(word, ("interviewer", words.interviewer))
        for word in words.answering:
            table.setdefault(word, ("interviewee", words.interviewee))
    return table


def addressing_words() -> str:
    """One pattern of every language's words of address (English's are the parser's own)."""
    return "|".join(words.addressing for words in LANGUAGES.values() if words.addressing)


def honorifics() -> frozenset[str]:
    return frozenset(h for words in LANGUAGES.values() for h in words.honorifics)


def chrome_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(furniture rule name, whole-line pattern) for every language's page chrome."""
    rules: list[tuple[str, re.Pattern[str]]] = []
    for words in LANGUAGES.values():
        for name, pattern in (
            ("share line", rf"(?:{words.share})\W*"),
            ("read-more line", rf"(?:{words.read_more})(?:\s*[:：»›→|-].*|\W*)"),
            ("comment counter", rf"(?:{words.comments})\W*"),
            ("byline", words.byline),
        ):
            rules.append((name, re.compile(pattern, re.IGNORECASE)))
    return tuple(rules)


def chapter_title(kind: str, language: str) -> str:
    """The title of a chapter qacast writes itself ("intro", "outro") in ``language``."""
    words = LANGUAGES.get(base_code(language))
    if words is None:
        return ENGLISH_CHAPTERS[kind]
    return str(getattr(words, kind))


def localise_speakers(episode: Episode, language: str) -> Episode:
    """Role-word speakers named as ``language`` names them: "R" -> "Invité" in French.

    Only speakers still called by a role word's name are renamed: a name
    the script gives ("R" introduced as Marie Curie) stays.
    """
    words = LANGUAGES.get(base_code(language))
    if words is None:
        return episode
    generic = {name for _, name in role_labels().values()} | {
        "Interviewer",
        "Guest",
        "Host",
        "Moderator",
    }
    own = {w: words.interviewer for w in words.asking} | {
        w: words.interviewee for w in words.answering
    }
    speakers = []
    for speaker in episode.speakers:
        said = own.get(speaker.id.lower())
        if said and speaker.name in generic and speaker.name != said:
            speaker = Speaker(speaker.id, said, speaker.role)
        speakers.append(speaker)
    return dataclasses.replace(
        episode, speakers=tuple(speakers), chapters=_chapters(episode, language)
    )


def _chapters(episode: Episode, language: str) -> tuple[ChapterMark, ...]:
    """The "Intro" and "Outro" chapters qacast named itself, in ``language``."""
    marks = []
    for mark in episode.chapters:
        kind = episode.turns[mark.start_turn].kind if mark.start_turn < len(episode.turns) else ""
        if kind in ENGLISH_CHAPTERS and mark.title == ENGLISH_CHAPTERS[kind]:
            mark = ChapterMark(chapter_title(kind, language), mark.start_turn)
        marks.append(mark)
    return tuple(marks)


# ISO 639-1 -> ISO 639-2/T, the three letters ID3's TLAN and the tag fields want.
ISO_639_2 = {"en": "eng", "fr": "fra", "es": "spa", "de": "deu", "it": "ita", "pt": "por",
             "nl": "nld"}  # fmt: skip


def three_letter_code(language: str) -> str:
    """ "fr-CA" -> "fra"; languages beyond the table through lingua's; "und" if unknown."""
    code = base_code(language)
    if code in ISO_639_2:
        return ISO_639_2[code]
    if len(code) == 3:
        return code
    try:
        found = Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    except ValueError:
        return "und"  # ISO 639-2's code for "undetermined"
    return str(found.iso_code_639_3.name.lower())
