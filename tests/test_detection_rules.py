"""The rules on speeches, debates and wire copy: the rule bugs of issue 10 and its false alarms."""

from __future__ import annotations

import pytest

from app.detection import detect_claims
from app.domain import Kind


def quotes(text: str) -> list[str]:
    return [c.quote for c in detect_claims(text)]


# Rule bugs


@pytest.mark.parametrize(
    "text",
    [
        "The VA opened 40 new clinics in Texas in 2021.",
        "Arlington, Va., has 238,000 residents.",
        "Primavera Capital bought a 20% stake in the chain in 2019.",
        "The cholera outbreak killed 300 people in Yemen last year.",
        "Herrera scored 12 goals for Monterrey last season.",
    ],
)
def test_an_acronym_a_noun_or_a_name_is_no_french_future(text: str) -> None:
    assert quotes(text) == [text.rstrip(".")]


@pytest.mark.parametrize(
    "text",
    [
        "Le gouvernement va investir 3 milliards d'euros dans le rail.",
        "Le déficit augmentera de 3 % en 2025.",
        "LE GOUVERNEMENT VA INVESTIR 3 MILLIARDS D'EUROS.",
    ],
)
def test_a_french_future_is_still_a_forecast(text: str) -> None:
    assert detect_claims(text) == []


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Unemployment fell to 3.1% in the U.S. Why did that happen?", "Unemployment fell to 3.1% in the U.S."),
        ("We cut taxes by $2 billion, so why are they complaining?", "We cut taxes by $2 billion"),
        ("We cut taxes by $2 billion, didn't we?", "We cut taxes by $2 billion"),
        ("La dette a atteint 3 228 milliards d'euros, pourquoi ?", "La dette a atteint 3 228 milliards d'euros"),
        ("Le chômage a baissé de 2 % en 2023 ; est-ce durable ?", "Le chômage a baissé de 2 % en 2023"),
    ],
)
def test_a_question_drops_itself_not_the_claim_merged_before_it(text: str, claim: str) -> None:
    assert quotes(text) == [claim]


@pytest.mark.parametrize(
    "text",
    [
        "Why did the U.S. send 3,000 troops to Poland in 2022?",
        "If it costs $2 billion, why are we doing it?",
        "Did Mr. Smith say that 40 people died in the fire?",
        "Is it true that 40% of the budget goes to defence, and who decided that?",
        "Va-t-il envoyer 3 000 soldats en Arménie ?",
    ],
)
def test_a_question_from_its_first_word_is_no_claim(text: str) -> None:
    assert detect_claims(text) == []


def test_a_figure_stated_before_a_forecast_is_checkable() -> None:
    (claim,) = detect_claims("The $38bn investment will create 4,000 jobs.")
    assert claim.quote == "The $38bn investment will create 4,000 jobs"
    assert claim.kind is Kind.QUANTITY
    (claim,) = detect_claims("Unemployment, now at 3.1%, is projected to fall further.")
    assert claim.kind is Kind.PERCENTAGE


@pytest.mark.parametrize(
    "text",
    [
        "We will win.",
        "Our plan could save families $2,000 a year.",
        "The deficit is projected to reach $1.2 trillion by 2030.",
        "In 2025 we will build 40 new schools.",
    ],
)
def test_a_forecast_of_a_figure_is_no_claim(text: str) -> None:
    assert detect_claims(text) == []


# False alarms


@pytest.mark.parametrize(
    "text",
    [
        "I'll send in the Guard, all 5,000 of them.",
        "We'll cut taxes by 10 percent for 4 million families.",
        "I won't raise taxes on the 95 percent of families who earn less than $250,000.",
        "I’d bring in 3,000 more police officers.",
        "They'd lose 40 percent of their benefits under his plan.",
        "We're gonna build 400 miles of wall.",
        "I would cut the deficit in half in 4 years.",
    ],
)
def test_promises_and_hypotheticals_in_any_spelling_are_no_claims(text: str) -> None:
    assert detect_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "We'd already spent $2 billion on the program by 2019.",
        "I'll tell you what: we created 212,000 jobs since 2021.",
        "The union said the strike would cost the port 40 million euros a week.",
    ],
)
def test_a_past_perfect_a_turn_of_speech_or_a_report_keeps_the_claim(text: str) -> None:
    assert quotes(text) == [text.rstrip(".")]


@pytest.mark.parametrize(
    "text",
    [
        "Let me give you my two cents on this.",
        "There must be fifty ways to fix this mess.",
        "I've told you a million times.",
        "At the end of the day, two things matter.",
        "I am a hundred percent sure of it.",
        "We're 100% behind our farmers.",
        "It's a tale of two cities.",
        "So we've come to a halt.",
        "We've only just begun.",
        "Public safety is my highest priority.",
        "It was a great day for the three of us.",
        "In the 21st century, we need a 21st-century economy.",
        "Je vous l'ai dit mille fois.",
        "Я вам сто раз говорил.",
    ],
)
def test_rhetoric_carrying_numbers_is_no_claim(text: str) -> None:
    assert detect_claims(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Lieutenant Governor Ainsworth, members of the Legislature, distinguished guests, my fellow"
        " Alabamians!",
        "Thank you, Mr. Speaker, members of the House, and thank you all.",
        "Good evening, and thank you for joining us on this second night.",
        "Good evening and welcome to the second debate in Cleveland.",
        "God bless you, and God bless the great state of Alabama.",
        "Thank you to the 4,000 volunteers who made tonight possible.",
        "Merci, monsieur le Président, mesdames et messieurs les députés.",
        "Mesdames et messieurs, bonsoir.",
        "Спасибо, дорогие друзья, за эти два года работы.",
        "Дорогие друзья, уважаемые коллеги!",
    ],
)
def test_thanks_greetings_and_salutations_are_no_claims(text: str) -> None:
    assert detect_claims(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Thanks to the new law, 4,000 workers got a raise in 2023.", Kind.QUANTITY),
        ("Mesdames et messieurs, le chômage a baissé de 2 % en 2023.", Kind.PERCENTAGE),
        ("Уважаемые депутаты, бюджет вырос на 12 % в 2023 году.", Kind.PERCENTAGE),
        ("Great Britain sent 300 troops to Estonia in 2017.", Kind.QUANTITY),
    ],
)
def test_a_cause_or_a_figure_after_an_address_is_still_a_claim(text: str, kind: Kind) -> None:
    (claim,) = detect_claims(text)
    assert claim.kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "I remember when my father lost his job at the mill in 1982.",
        "I grew up in a town of 3,000 people.",
        "Mon père a travaillé 40 ans à l'usine.",
        "We had a tremendous year and we passed historic reforms.",
    ],
)
def test_personal_anecdotes_and_value_judgements_are_no_claims(text: str) -> None:
    assert detect_claims(text) == []


def test_praise_beside_a_figure_keeps_the_figure() -> None:
    (claim,) = detect_claims("It was a wonderful day when 4,000 workers returned to the plant.")
    assert claim.kind is Kind.QUANTITY


# Misses the rules can catch


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Alabama is now the fifth-largest economy in the Southeast.", Kind.COMPARISON),
        ("Alabama has one of the nation's lowest unemployment rates.", Kind.COMPARISON),
        ("Georgia posted its lowest emissions since records began.", Kind.COMPARISON),
        ("Exports reached a record high last year.", Kind.COMPARISON),
        ("Every single penny has gone to road and bridge projects.", Kind.OTHER),
        ("Every dollar of the gas tax went to roads and bridges.", Kind.OTHER),
    ],
)
def test_rankings_records_and_universal_claims_in_words(text: str, kind: Kind) -> None:
    (claim,) = detect_claims(text)
    assert claim.quote == text.rstrip(".")
    assert claim.kind is kind


def test_every_single_day_is_no_claim_about_money() -> None:
    assert detect_claims("Every single day, our teachers show up for our kids.") == []


# What a fact-checker sees in a whole text

SPEECH = """\
Lieutenant Governor Ainsworth, Speaker Ledbetter, members of the Legislature, distinguished \
guests, my fellow Alabamians!

Thank you. It is an honor to stand before you tonight.

I remember when my father came home from the mill in 1982 and told us it was closing. It was a \
hard day for the five of us.

Today, Alabama has one of the nation's lowest unemployment rates. Since 2019, Rebuild Alabama \
has put $5.4 billion into our roads, and every single penny has gone to road and bridge \
projects. We'll keep building 400 miles a year. At the end of the day, we are second to none.

God bless you, and God bless the great state of Alabama."""

DEBATE = """\
MODERATOR: Good evening and welcome to the second debate in Cleveland.

SMITH: Thank you, and thank you all for having me. Let me give you my two cents. Under my \
opponent, we've come to a halt. The deficit hit $504 billion last year. I'll cut it in half in \
4 years. I've said it a million times.

JONES: That's just not true, and you know it. We cut taxes by $2 billion, so why are they \
complaining? I'm a hundred percent sure we'll win Ohio."""


def test_a_state_speech_highlights_its_claims_not_its_ceremony() -> None:
    assert quotes(SPEECH) == [
        "Today, Alabama has one of the nation's lowest unemployment rates",
        "Since 2019, Rebuild Alabama has put $5.4 billion into our roads",
        "every single penny has gone to road and bridge projects",
    ]


def test_a_debate_highlights_its_figures_not_its_filler() -> None:
    assert quotes(DEBATE) == [
        "The deficit hit $504 billion last year",
        "We cut taxes by $2 billion",
    ]
