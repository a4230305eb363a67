"""An intro names the guest (and the host) in any common phrasing; places,
organisations and earlier episodes' guests are not taken for them.

Every intro here is our own; the dialogue under it only asks and answers.
"""

from __future__ import annotations

import pytest

from qacast.script.parse import parse_script

DIALOGUE = (
    "Q: How did it start?\n\nA: Slowly, over a winter.\n\n"
    "Q: And what comes next?\n\nA: More of the same, I hope.\n"
)


def _people(intro: str, dialogue: str = DIALOGUE) -> dict[str, str]:
    episode = parse_script(f"{intro}\n\n{dialogue}")
    return {speaker.role: speaker.name for speaker in episode.speakers}


@pytest.mark.parametrize(
    ("intro", "guest"),
    [
        ("This week we spoke to Marisol Etxeberria about lighthouse keepers.",
         "Marisol Etxeberria"),
        ("Tomasz Wierzbicki joins us from the harbour to talk about tides.", "Tomasz Wierzbicki"),
        ("Tomasz Wierzbicki joined us in the spring, before the season began.",
         "Tomasz Wierzbicki"),
        ("Joining us today is Aoife Brannigan, who restores church organs.", "Aoife Brannigan"),
        ("Our guest today is Kwame Asante-Lindqvist.", "Kwame Asante-Lindqvist"),
        ("Today I'm talking with Ines Haldorsen about her bees.", "Ines Haldorsen"),
        ("I sat down with Rafaela Montoya in her studio by the canal.", "Rafaela Montoya"),
        ("This is my conversation with Oskar Lindfors, recorded in June.", "Oskar Lindfors"),
        ("Petra Novakova, the founder of Tidewater Looms, talks about weaving with seaweed.",
         "Petra Novakova"),
        ("This week: Hamid Farahani. He has walked every coastal path in the county.",
         "Hamid Farahani"),
        ("A long chat with Ilse Vandermeer, author of a history of salt roads.",
         "Ilse Vandermeer"),
        ("An interview with Dr. Yusuf Demir.", "Yusuf Demir"),
        ("Greta Solberg is a beekeeper in the hills above the town. She keeps forty hives.",
         "Greta Solberg"),
        ("Please welcome Anouk de Vries.", "Anouk de Vries"),
        ("We are glad to welcome Bartholomew Okafor to the show.", "Bartholomew Okafor"),
        ("For this piece I contacted Håvard Lindstrøm, founder of a small kit maker. "
         "I have built two of Håvard's kits.", "Håvard Lindstrøm"),
        ("Nous avons rencontré Solène Marchetti dans son atelier.", "Solène Marchetti"),
        ("Entretien avec Gaspard Lefebvre-Morin, luthier.", "Gaspard Lefebvre-Morin"),
        ("Im Gespräch mit Friederike Albrecht über alte Orgeln.", "Friederike Albrecht"),
        ("Entrevista con Lucía Ferrández sobre la sal.", "Lucía Ferrández"),
    ],
)  # fmt: skip
def test_the_intro_names_the_guest(intro: str, guest: str) -> None:
    assert _people(intro)["interviewee"] == guest


@pytest.mark.parametrize(
    "intro",
    [
        # An organisation, a place, a programme: capitalised, but no one.
        "This week we spoke to Harbour Lights Community Radio about funding.",
        "Joining us today is Lake Orrin's oldest ferry.",
        "Today, Port Ellery wakes up to snow for the first time in years.",
        # People of earlier episodes are not this one's guest.
        "Previously in this series I interviewed Juan Ortiz-Brandt and Mei Takahashi.",
        # A phrase that does not say "guest", with nothing to show a person.
        "This week: Silver Strand. The tide was out all day.",
    ],
)
def test_no_person_is_made_of_places_organisations_or_earlier_guests(intro: str) -> None:
    assert _people(intro)["interviewee"] == "Guest"


def test_a_past_guest_beside_this_ones_is_passed_over() -> None:
    intro = (
        "Previously in this series I interviewed Juan Ortiz-Brandt. "
        "For this episode I contacted Håvard Lindstrøm, who builds amplifiers. "
        "His kits arrive in a shoebox."
    )
    assert _people(intro)["interviewee"] == "Håvard Lindstrøm"


@pytest.mark.parametrize(
    ("intro", "dialogue", "host"),
    [
        ("", "Q: I'm Dana Whitcombe and this is Small Harbours. How did it start?\n\n"
         "A: Slowly.\n\nQ: And then?\n\nA: Faster.\n", "Dana Whitcombe"),
        ("Small Harbours, hosted by Priya Raman.", DIALOGUE, "Priya Raman"),
        ("A weekly walk along the coast with your host Callum Reyes.", DIALOGUE, "Callum Reyes"),
        ("Une émission présentée par Maëlle Guérin.", DIALOGUE, "Maëlle Guérin"),
    ],
)  # fmt: skip
def test_the_intro_or_the_opening_names_the_host(intro: str, dialogue: str, host: str) -> None:
    assert _people(intro, dialogue)["interviewer"] == host


def test_host_and_guest_in_one_opening_are_told_apart() -> None:
    dialogue = (
        "Q: I'm Dana Whitcombe, and my guest today is Olu Bankole. How did it start?\n\n"
        "A: Slowly.\n\nQ: And then?\n\nA: Faster.\n"
    )
    assert _people("", dialogue) == {"interviewer": "Dana Whitcombe", "interviewee": "Olu Bankole"}


def test_an_organisation_before_the_name_is_not_part_of_it() -> None:
    intro = "This week I spoke to Harbourside Ferries' Ottoline Brisbane-Kemp about the night boat."
    assert _people(intro)["interviewee"] == "Ottoline Brisbane-Kemp"
