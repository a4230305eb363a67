"""Each language's noun genders and number forms for ``agreement.py``.

The tables hold the nouns that most often follow an amount (currencies,
units, time, people, things counted in interviews) whose gender the endings
would get wrong or cannot tell; the endings cover the rest. Masculine is the
bare form in French and Portuguese, so only their feminine nouns are listed.
"""

from __future__ import annotations

from qacast.script.speech.agreement import (
    Agreement,
    inflect_de,
    inflect_es,
    inflect_fr,
    inflect_it,
    inflect_pt,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _endings(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_ES_FEMININE_ENDINGS = _endings(
    "ción ciones sión siones dad dades tad tades tud tudes umbre umbres a as"
)
_FR_FEMININE_ENDINGS = _endings(
    "tion tions sion sions xion xions té tés ance ances ence ences ette ettes euse euses"
    " trice trices ude udes ière ières esse esses ure ures ée ées"
)


ES = Agreement(
    feminine=_words(
        "mujer mujeres vez veces flor flores ley leyes red redes clase clases calle calles"
        " noche noches parte partes muerte muertes fuente fuentes llave llaves torre torres"
        " sede sedes especie especies serie series crisis tesis dosis imagen imágenes mano"
        " manos foto fotos moto motos radio radios gente"
    ),
    masculine=_words(
        "día días mapa mapas problema problemas programa programas sistema sistemas tema"
        " temas idioma idiomas clima climas planeta planetas poema poemas dilema dilemas"
        " esquema esquemas drama dramas mes meses país países millón millones billón billones"
        " mil hombre hombres pie pies dólar dólares gol goles barril barriles habitante"
        " habitantes estudiante estudiantes lugar lugares nivel niveles hotel hoteles coche"
        " coches viaje viajes paquete paquetes billete billetes café cafés árbol árboles"
        " animal animales cliente clientes agente agentes paciente pacientes bebé bebés"
        " grado grados yen yenes año"
    ),
    feminine_endings=_ES_FEMININE_ENDINGS,
    masculine_endings=("o", "os", "or", "ores", "aje", "ajes", "ón", "ones", "es"),
    not_nouns=_words(
        "de del a al y e o u en por para con sin sobre entre hasta desde hacia contra según"
        " durante mediante tras que como cuando donde más menos muy ya no sí se le les lo los"
        " la las el un una unos unas es son era eran fue fueron será serán ha han he hay había"
        " habían tiene tienen tenía esta está estaba estaban somos fuimos tenemos hemos"
        " estamos vamos podemos hacemos dijo hizo tuvo puso vino hubo supo quiso estuvo trajo"
        " produjo condujo anduvo nada algo solo sólo casi cada aproximadamente nosotros"
        " vosotros ellos ellas"
    ),
    nominalising=_words("el la lo del al"),
    inflect=inflect_es,
)

FR = Agreement(
    feminine=_words(
        "personne personnes tasse tasses fois heure heures minute minutes seconde secondes"
        " semaine semaines année années journée journées femme femmes fille filles voiture"
        " voitures maison maisons entreprise entreprises ville villes page pages tonne tonnes"
        " école écoles famille familles victime victimes place places chambre chambres étoile"
        " étoiles région régions commune communes nuit nuits vie vies classe classes équipe"
        " équipes ligne lignes chose choses photo photos vidéo vidéos lettre lettres réponse"
        " réponses idée idées dose doses espèce espèces usine usines maladie maladies main"
        " mains voix dent dents fleur fleurs rue rues route routes table tables bouteille"
        " bouteilles pièce pièces boîte boîtes carte cartes part parts partie parties étape"
        " étapes saison saisons série séries chanson chansons langue langues salle salles"
        " église églises île îles plante plantes vache vaches"
    ),
    masculine=_words("musée musées lycée lycées trophée trophées"),
    feminine_endings=_FR_FEMININE_ENDINGS,
    masculine_endings=(),
    not_nouns=_words(
        "de des du et ou à au aux en par pour sur sous avec sans dans entre chez vers que qui"
        " est sont était étaient ont fut sera plus moins"
    ),
    nominalising=_words("le la du au"),
    inflect=inflect_fr,
)

IT = Agreement(
    feminine=_words(
        "notte notti parte parti legge leggi classe classi chiave chiavi nave navi gente sede"
        " canzone canzoni mano mani foto radio moto auto ora"
    ),
    masculine=_words(
        "problema problemi programma programmi sistema sistemi tema temi clima pianeta"
        " pianeti poeta papa mese mesi nome nomi padre fiore ponte pane cane latte caffè film"
        " sport bar computer milione milioni miliardo miliardi"
    ),
    feminine_endings=("zione", "sione", "tà", "tù", "a"),
    masculine_endings=("o", "ore"),
    not_nouns=_words(
        "di da in con su per tra fra che non sono era erano anche come dove quando ancora"
        " sopra sotto dopo prima circa"
    ),
    nominalising=_words("il lo la l del dal al nel"),
    inflect=inflect_it,
)

PT = Agreement(
    feminine=_words(
        "mulher mulheres vez vezes flor flores mão mãos cor cores dor dores lei leis rede"
        " redes parte partes noite noites gente fonte fontes morte mortes tarde tardes sede"
        " foto fotos"
    ),
    masculine=_words(
        "dia dias mapa mapas problema problemas programa programas sistema sistemas tema"
        " temas clima planeta planetas idioma idiomas milhão milhões bilião biliões bilhão"
        " bilhões"
    ),
    feminine_endings=("ção", "ções", "são", "sões", "dade", "dades", "gem", "gens", "a", "as"),
    masculine_endings=(),
    not_nouns=_words(
        "de do da dos das em no na nos nas para por com sem sobre entre até contra e ou que"
        " como mais menos cada era eram foi foram são está estava estavam tinha tinham fora"
        " nada ainda quase apenas cerca"
    ),
    nominalising=_words("o a do da no na ao"),
    inflect=inflect_pt,
)

DE = Agreement(
    feminine=_words(
        "frau person stunde minute sekunde woche tonne million milliarde tasse familie firma"
        " stadt schule seite zeit nacht hand maus kuh wand welt mark krone lira partei"
        " zeitung frage antwort art tür bank zahl liste idee sache kraft fahrt geschichte"
        " straße kirche flasche dose packung portion runde reihe folge sendung episode"
        " staffel tat mannschaft gruppe klasse note"
    ),
    # "-e" nouns that are masculine or neuter, and "ein Uhr" (the hour, not a clock).
    masculine=_words(
        "uhr name junge kunde gedanke käse buchstabe glaube friede wille affe löwe experte"
        " kollege franzose auge ende interesse erbe gebäude gemüse getreide gebirge"
    ),
    feminine_endings=("ung", "heit", "keit", "schaft", "ion", "tät", "ei", "ie", "ik", "e"),
    masculine_endings=(),
    not_nouns=frozenset(),
    nominalising=_words("der die das"),
    inflect=inflect_de,
    capitalised_nouns=True,
)
