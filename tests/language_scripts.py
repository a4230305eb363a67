"""Short interviews in six languages, each in two label styles: role words and names.

Written for these tests. Each has three questions; the names style names
the journalist and the guest in full on every label.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LanguageScript:
    language: str
    style: str  # "roles" or "names"
    text: str
    interviewer: str  # speaker id
    interviewee: str
    interviewee_name: str  # the name the parse gives the interviewee
    questions: int = 3


def _roles(title: str, intro: str, ask: str, answer: str, turns: list[str]) -> str:
    lines = [f"# {title}", "", intro, ""]
    for i, said in enumerate(turns):
        lines += [f"{ask if i % 2 == 0 else answer}: {said}", ""]
    return "\n".join(lines)


FR = [
    "Comment avez-vous commencé à travailler dans cette boulangerie du quartier ?",
    "J'ai commencé il y a vingt ans, quand mon oncle m'a appris à pétrir la pâte chaque matin.",
    "Qu'est-ce qui a le plus changé depuis cette époque dans votre métier ?",
    "Les clients veulent maintenant du pain complet et des farines anciennes, et c'est très bien.",
    "Et quels sont vos projets pour l'année prochaine avec votre équipe ?",
    "Nous allons ouvrir un deuxième magasin près de la gare et former deux apprentis.",
]
ES = [
    "¿Cómo empezó a trabajar en esta panadería del barrio?",
    "Empecé hace veinte años, cuando mi tío me enseñó a amasar la masa todas las mañanas.",
    "¿Qué es lo que más ha cambiado desde entonces en su oficio?",
    "Los clientes ahora quieren pan integral y harinas antiguas, y eso me parece muy bien.",
    "¿Y cuáles son sus planes para el año que viene con su equipo?",
    "Vamos a abrir una segunda tienda cerca de la estación y a formar a dos aprendices.",
]
DE = [
    "Wie haben Sie angefangen, in dieser Bäckerei im Viertel zu arbeiten?",
    "Ich habe vor zwanzig Jahren angefangen, als mein Onkel mir beibrachte, den Teig zu kneten.",
    "Was hat sich seit dieser Zeit in Ihrem Beruf am meisten verändert?",
    "Die Kunden wollen jetzt Vollkornbrot und alte Getreidesorten, und das finde ich sehr gut.",
    "Und welche Pläne haben Sie für das nächste Jahr mit Ihrem Team?",
    "Wir werden einen zweiten Laden am Bahnhof eröffnen und zwei Lehrlinge ausbilden.",
]
IT = [
    "Come ha cominciato a lavorare in questa panetteria del quartiere?",
    "Ho cominciato vent'anni fa, quando mio zio mi ha insegnato a impastare ogni mattina.",
    "Che cosa è cambiato di più da allora nel suo mestiere?",
    "I clienti adesso vogliono il pane integrale e le farine antiche, e questo mi sembra giusto.",
    "E quali sono i suoi progetti per il prossimo anno con la sua squadra?",
    "Apriremo un secondo negozio vicino alla stazione e formeremo due apprendisti.",
]
PT = [
    "Como começou a trabalhar nesta padaria do bairro?",
    "Comecei há vinte anos, quando o meu tio me ensinou a amassar a massa todas as manhãs.",
    "O que é que mais mudou desde então na sua profissão?",
    "Os clientes agora querem pão integral e farinhas antigas, e isso parece-me muito bem.",
    "E quais são os seus planos para o próximo ano com a sua equipa?",
    "Vamos abrir uma segunda loja perto da estação e formar dois aprendizes.",
]
NL = [
    "Hoe bent u begonnen met werken in deze bakkerij in de buurt?",
    "Ik ben twintig jaar geleden begonnen, toen mijn oom mij leerde het deeg te kneden.",
    "Wat is er sinds die tijd het meest veranderd in uw vak?",
    "De klanten willen nu volkorenbrood en oude graansoorten, en dat vind ik heel goed.",
    "En wat zijn uw plannen voor volgend jaar met uw team?",
    "We gaan een tweede winkel openen bij het station en twee leerlingen opleiden.",
]

# language -> (title, intro, ask word, answer word, guest name in the roles style,
# journalist, guest, turns)
_TABLE = {
    "fr": ("Le pain du quartier", "Nous avons rencontré une boulangère de Lyon.",
           "Q", "R", "Invité", "Claire Martin", "Sophie Bernard", FR),
    "es": ("El pan del barrio", "Hemos hablado con una panadera de Sevilla.",
           "P", "R", "Invitado", "Lucía García", "Carmen López", ES),
    "de": ("Das Brot im Viertel", "Wir haben eine Bäckerin aus Hamburg getroffen.",
           "F", "A", "Gast", "Anna Schmidt", "Julia Becker", DE),
    "it": ("Il pane del quartiere", "Abbiamo incontrato una fornaia di Bologna.",
           "D", "R", "Ospite", "Giulia Rossi", "Francesca Bianchi", IT),
    "pt": ("O pão do bairro", "Falámos com uma padeira de Lisboa.",
           "P", "R", "Convidado", "Ana Ferreira", "Beatriz Costa", PT),
    "nl": ("Het brood van de buurt", "We spraken met een bakker uit Utrecht.",
           "V", "A", "Gast", "Sanne de Vries", "Lotte Jansen", NL),
}  # fmt: skip

SCRIPTS: list[LanguageScript] = []
for _code, (_title, _intro, _ask, _answer, _guest, _host, _person, _turns) in _TABLE.items():
    SCRIPTS.append(
        LanguageScript(_code, "roles", _roles(_title, _intro, _ask, _answer, _turns),
                       _ask, _answer, _guest)
    )  # fmt: skip
    SCRIPTS.append(
        LanguageScript(_code, "names", _roles(_title, _intro, _host, _person, _turns),
                       _host, _person, _person)
    )  # fmt: skip
