"""Speech text in French, Spanish, German, Italian, Portuguese and Dutch.

Each language reads numbers with num2words in that language, a decimal
comma, its own thousands mark, currency, unit and month names.
"""

from __future__ import annotations

import pytest

from qacast.script.speech.normalise import normalise

CASES = [
    ("fr", "Il y a 42 personnes.", "Il y a quarante-deux personnes."),
    ("fr", "Le prix est de 3,50 €.", "Le prix est de trois euros et cinquante centimes."),
    ("fr", "85 000 habitants", "quatre-vingt-cinq mille habitants"),
    ("fr", "Il roule à 90 km/h.", "Il roule à quatre-vingt-dix kilomètres par heure."),
    ("fr", "Il pèse 12 kg.", "Il pèse douze kilogrammes."),
    ("fr", "Le 1 mars 2024", "Le premier mars deux mille vingt-quatre"),
    ("fr", "En 1993, tout a changé.", "En mille neuf cent quatre-vingt-treize, tout a changé."),
    ("fr", "Une hausse de 7,5 %.", "Une hausse de sept virgule cinq pour cent."),
    ("fr", "Il reste 3/4 du gâteau.", "Il reste trois quarts du gâteau."),
    ("fr", "Le 14 juillet", "Le quatorze juillet"),
    ("fr", "Ça coûte 20 $.", "Ça coûte vingt dollars."),
    ("fr", "2,5 l d'eau", "deux virgule cinq litres d'eau"),
    ("fr", "Il fait 21 °C.", "Il fait vingt et un degrés Celsius."),
    ("es", "Hay 85.000 personas.", "Hay ochenta y cinco mil personas."),
    ("es", "Cuesta 3,50 €.", "Cuesta tres euros y cincuenta céntimos."),
    ("es", "El 3 marzo 2024", "El tres de marzo de dos mil veinticuatro"),
    ("es", "Corre a 90 km/h.", "Corre a noventa kilómetros por hora."),
    ("es", "Un 7,5 %.", "Un siete coma cinco por ciento."),
    ("es", "En 1993 cambió todo.", "En mil novecientos noventa y tres cambió todo."),
    ("es", "Tengo 30 años.", "Tengo treinta años."),
    ("es", "Pesa 12 kg.", "Pesa doce kilos."),
    ("es", "Son 20 $.", "Son veinte dólares."),
    ("es", "Bebe 2,5 l de agua.", "Bebe dos coma cinco litros de agua."),
    ("es", "el 1 mayo", "el uno de mayo"),
    ("de", "Es kostet 3,50 €.", "Es kostet drei Euro und fünfzig Cent."),
    ("de", "85.000 Einwohner", "fünfundachtzigtausend Einwohner"),
    ("de", "am 3 März 2024", "am dritten März zweitausendvierundzwanzig"),
    ("de", "Er fährt 90 km/h.", "Er fährt neunzig Kilometer pro Stunde."),
    ("de", "Ein Plus von 7,5 %.", "Ein Plus von sieben Komma fünf Prozent."),
    ("de", "Im Jahr 1993", "Im Jahr neunzehnhundertdreiundneunzig"),
    ("de", "Er wiegt 12 kg.", "Er wiegt zwölf Kilogramm."),
    ("de", "Das sind 20 $.", "Das sind zwanzig Dollar."),
    ("de", "Ich bin 21 Jahre alt.", "Ich bin einundzwanzig Jahre alt."),
    ("de", "2,5 l Wasser", "zwei Komma fünf Liter Wasser"),
    (
        "de",
        "Es sind 1.250.000 Menschen.",
        "Es sind eine Million zweihundertfünfzigtausend Menschen.",
    ),
    ("it", "Costa 3,50 €.", "Costa tre euro e cinquanta centesimi."),
    ("it", "85.000 abitanti", "ottantacinquemila abitanti"),
    ("it", "il 1 marzo 2024", "il primo marzo duemilaventiquattro"),
    ("it", "Va a 90 km/h.", "Va a novanta chilometri orari."),
    ("it", "Un aumento del 7,5 %.", "Un aumento del sette virgola cinque per cento."),
    ("it", "Nel 1993", "Nel millenovecentonovantatré"),
    ("it", "Pesa 12 kg.", "Pesa dodici chili."),
    ("it", "Sono 20 $.", "Sono venti dollari."),
    ("it", "Ho 21 anni.", "Ho ventuno anni."),
    ("it", "2,5 l di acqua", "due virgola cinque litri di acqua"),
    ("it", "il 14 luglio", "il quattordici luglio"),
    ("pt", "Custa 3,50 €.", "Custa três euros e cinquenta cêntimos."),
    ("pt", "85.000 pessoas", "oitenta e cinco mil pessoas"),
    ("pt", "3 março 2024", "três de março de dois mil e vinte e quatro"),
    ("pt", "Anda a 90 km/h.", "Anda a noventa quilómetros por hora."),
    ("pt", "Uma subida de 7,5 %.", "Uma subida de sete vírgula cinco por cento."),
    ("pt", "Em 1993", "Em mil novecentos e noventa e três"),
    ("pt", "Pesa 12 kg.", "Pesa doze quilos."),
    ("pt", "São 20 $.", "São vinte dólares."),
    ("pt", "Tenho 21 anos.", "Tenho vinte e um anos."),
    ("pt", "2,5 l de água", "dois vírgula cinco litros de água"),
    ("pt", "Custa 10 R$.", "Custa dez reais."),
    ("nl", "Het kost 3,50 €.", "Het kost drie euro en vijftig cent."),
    ("nl", "85.000 inwoners", "vijfentachtigduizend inwoners"),
    ("nl", "3 maart 2024", "drie maart tweeduizendvierentwintig"),
    ("nl", "Hij rijdt 90 km/h.", "Hij rijdt negentig kilometer per uur."),
    ("nl", "Een stijging van 7,5 %.", "Een stijging van zeven komma vijf procent."),
    ("nl", "In 1993", "In negentien honderd drieënnegentig"),
    ("nl", "Hij weegt 12 kg.", "Hij weegt twaalf kilo."),
    ("nl", "Dat is 20 $.", "Dat is twintig dollar."),
    ("nl", "Ik ben 21 jaar.", "Ik ben eenentwintig jaar."),
    ("nl", "2,5 l water", "twee komma vijf liter water"),
    ("nl", "op 1 mei", "op één mei"),
]

# Decimals as a reader of each language says them ("trois virgule vingt-cinq",
# not "deux cinq"), and a price written with the currency's name said as the
# same price with its symbol.
DECIMALS_AND_PRICES = [
    ("fr", "Il a couru 3,25 km.", "Il a couru trois virgule vingt-cinq kilomètres."),
    ("fr", "Un écart de 3,05 mètres.", "Un écart de trois virgule zéro cinq mètres."),
    ("fr", "Pi vaut 3,14159.", "Pi vaut trois virgule un quatre un cinq neuf."),
    ("fr", "Cela fait 1,30 euro.", "Cela fait un euro et trente centimes."),
    (
        "fr",
        "Il coûte 1 234,50 euros.",
        "Il coûte mille deux cent trente-quatre euros et cinquante centimes.",
    ),
    ("fr", "Prenez 3,50 livres de farine.", "Prenez trois virgule cinquante livres de farine."),
    ("es", "Bebe 2,25 l de agua.", "Bebe dos coma veinticinco litros de agua."),
    ("es", "Cuesta 2,50 euros.", "Cuesta dos euros y cincuenta céntimos."),
    ("es", "Pesa 3,50 libras.", "Pesa tres coma cincuenta libras."),
    ("it", "Costa 4,99 euro.", "Costa quattro euro e novantanove centesimi."),
    ("it", "Un aumento del 2,75 %.", "Un aumento del due virgola settantacinque per cento."),
    ("pt", "Custa 1,50 reais.", "Custa um real e cinquenta centavos."),
    ("pt", "Bebe 0,75 l de água.", "Bebe zero vírgula setenta e cinco litros de água."),
    # German and Dutch read decimals digit by digit; prices by name still as prices.
    ("de", "Ein Plus von 2,25 %.", "Ein Plus von zwei Komma zwei fünf Prozent."),
    ("de", "Es kostet 3,25 Euro.", "Es kostet drei Euro und fünfundzwanzig Cent."),
    ("de", "Es wiegt 3,25 Pfund.", "Es wiegt drei Komma zwei fünf Pfund."),
    ("nl", "Het kost 2,50 euro.", "Het kost twee euro en vijftig cent."),
]


@pytest.mark.parametrize(("language", "written", "said"), CASES + DECIMALS_AND_PRICES)
def test_normalised_in_its_language(language: str, written: str, said: str) -> None:
    assert normalise(written, language) == said


def test_ten_cases_per_language() -> None:
    for language in ("fr", "es", "de", "it", "pt", "nl"):
        assert sum(1 for case in CASES if case[0] == language) >= 10


def test_region_reads_with_its_language() -> None:
    assert normalise("3,50 €", "fr-CA") == normalise("3,50 €", "fr")
    assert normalise("85.000", "pt-BR") == "oitenta e cinco mil"
