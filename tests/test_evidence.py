"""Evidence tools without Qt: figures read in three languages, passages compared, references recognised."""

from __future__ import annotations

import pytest

from app.domain.evidence import Passage
from app.evidence.compare import compare
from app.evidence.numbers import MINUS, check_figures, read_figures
from app.evidence.refs import all_articles, articles, comparison_pair, references, resolutions, treaty_article

# (text, the first figure as shown, its kind) — English, French and Russian; digits and words.
PHRASINGS = [
    # English
    ("More 3 000 Russians are positioned on two bases", "more than 3,000", "count"),
    ("more than 3,000 Russians on two bases", "more than 3,000", "count"),
    ("over 3,000 soldiers", "more than 3,000", "count"),
    ("at least 3000 troops", "at least 3,000", "count"),
    ("fewer than 2,000 men", "less than 2,000", "count"),
    ("less than 2 000 men", "less than 2,000", "count"),
    ("up to 5,000 people", "up to 5,000", "count"),
    ("about 1,900 men", "about 1,900", "count"),
    ("around 1 900 men", "about 1,900", "count"),
    ("approximately 1900 servicemen", "about 1,900", "count"),
    ("nearly 2,000 peacekeepers", "about 2,000", "count"),
    ("some 1,960 peacekeepers", "about 1,960", "count"),
    ("1 900 men, 90 transport vehicles and 88 special units", "1,900", "count"),
    ("three thousand Russians", "3,000", "count"),
    ("more than three thousand Russians", "more than 3,000", "count"),
    ("four UN Security Council resolutions", "4", "count"),
    ("nineteen hundred men", "1,900", "count"),
    ("2.5 million people", "2,500,000", "count"),
    ("3 million refugees", "3,000,000", "count"),
    ("between 2,000 and 3,000 troops", "2,000–3,000", "count"),
    ("2,000-3,000 troops", "2,000–3,000", "count"),
    ("from 2 to 3 million people", "2,000,000–3,000,000", "count"),
    ("between two and three thousand soldiers", "2,000–3,000", "count"),
    ("1.5 % of the budget", "1.5 %", "percent"),
    ("75% of the population", "75 %", "percent"),
    ("75 percent of voters", "75 %", "percent"),
    ("about 40 per cent", "about 40 %", "percent"),
    ("founded in 2002", "2002", "year"),
    ("resolutions adopted in 1993", "1993", "year"),
    ("Resolution 822 (1993)", "1993", "year"),  # the resolution's number names it: not a figure
    # French
    ("plus de 3 000 Russes", "more than 3,000", "count"),
    ("plus de trois mille Russes", "more than 3,000", "count"),
    ("environ 1 900 hommes", "about 1,900", "count"),
    ("près de 2 000 soldats", "about 2,000", "count"),
    ("au moins 3 000 militaires", "at least 3,000", "count"),
    ("moins de 2 000 hommes", "less than 2,000", "count"),
    ("jusqu'à 5 000 personnes", "up to 5,000", "count"),
    ("mille neuf cents hommes", "1,900", "count"),
    ("deux millions de réfugiés", "2,000,000", "count"),
    ("1,5 million de personnes", "1,500,000", "count"),
    ("pays chiite à 75%", "75 %", "percent"),
    ("1,5 % du PIB", "1.5 %", "percent"),
    ("75 pour cent des électeurs", "75 %", "percent"),
    ("entre 2 000 et 3 000 soldats", "2,000–3,000", "count"),
    ("de 2 000 à 3 000 soldats", "2,000–3,000", "count"),
    ("fondée en 2002", "2002", "year"),
    ("un millier de soldats", "about 1,000", "count"),
    ("quatre résolutions adoptées en 1993", "4", "count"),
    # Russian
    ("более 3 000 россиян", "more than 3,000", "count"),
    ("свыше 3000 военнослужащих", "more than 3,000", "count"),
    ("около 1 900 человек", "about 1,900", "count"),
    ("около тысячи военнослужащих", "about 1,000", "count"),
    ("тысяча человек", "1,000", "count"),
    ("три тысячи человек", "3,000", "count"),
    ("не менее 3 000 солдат", "at least 3,000", "count"),
    ("менее 2 000 человек", "less than 2,000", "count"),
    ("примерно 1 900 миротворцев", "about 1,900", "count"),
    ("почти 2 000 военных", "about 2,000", "count"),
    ("3 тыс. человек", "3,000", "count"),
    ("1,5 млн человек", "1,500,000", "count"),
    ("от 2 до 3 тысяч солдат", "2,000–3,000", "count"),
    ("1,5 % бюджета", "1.5 %", "percent"),
    ("75 процентов населения", "75 %", "percent"),
    ("основана в 2002 году", "2002", "year"),
    ("четыре резолюции", "4", "count"),
    ("тысяча девятьсот человек", "1,900", "count"),
]


def test_the_table_covers_sixty_phrasings_in_three_languages() -> None:
    assert len(PHRASINGS) >= 60


@pytest.mark.parametrize(("text", "shown", "kind"), PHRASINGS)
def test_figures_are_read_in_english_french_and_russian(text: str, shown: str, kind: str) -> None:
    figures = read_figures(text)
    assert figures, f"no figure in {text!r}"
    assert (figures[0].shown, figures[0].kind) == (shown, kind)


def test_what_a_figure_counts_is_the_words_after_it() -> None:
    units = [f.unit for f in read_figures("1 900 men, 90 transport vehicles and 88 special units")]
    assert units == ["men", "transport vehicles", "special units"]


def test_a_count_of_troops_against_a_source_that_says_1900_is_a_mismatch_with_its_size() -> None:
    (check,) = check_figures("More 3 000 Russians are positioned on two military bases",
                             "Russian troops in Nagorno-Karabakh: 1 900 men, 90 transport vehicles and 88 special units")
    assert check.mismatch
    assert check.line == f"claim: more than 3,000; source: 1,900 ({MINUS}37 %)"


@pytest.mark.parametrize(("claim", "source", "consistent"), [
    ("more than 3,000 troops", "3,200 troops", True),
    ("about 2,000 soldiers", "1,960 peacekeepers", True),
    ("about 2,000 soldiers", "1,500 soldiers", False),
    ("up to 5,000 people", "4,000 people", True),
    ("less than 2,000 men", "2,500 men", False),
    ("plus de 3 000 soldats", "environ 3 500 soldats", True),
    ("около 2 000 военнослужащих", "1 960 миротворцев", True),
    ("founded in 2002", "established in 2002", True),
    ("founded in 2002", "established in 1992", False),
    ("75% of the population", "pays chiite à 75%", True),
])
def test_claim_and_source_figures_agree_or_not(claim: str, source: str, consistent: bool) -> None:
    checks = check_figures(claim, source)
    assert checks and checks[0].consistent is consistent, [c.line for c in checks]


def test_two_passages_side_by_side_give_a_similarity_and_a_sentence() -> None:
    nato5, csto4 = treaty_article("nato:5"), treaty_article("csto:4")
    assert nato5 is not None and csto4 is not None
    result = compare(Passage(csto4.text, csto4.title), Passage(nato5.text, nato5.title))
    # The two mutual-defence clauses share 41 % of their words, mostly in another order.
    assert result.percent == 41
    assert result.sentence.startswith("41 % of the words are shared; ")
    assert "Article 4 adds “" in result.sentence and "omits “" in result.sentence
    # The diff gives back both texts, word for word.
    assert " ".join(op.left for op in result.diff if op.left) == " ".join(csto4.text.split())
    assert " ".join(op.right for op in result.diff if op.right) == " ".join(nato5.text.split())


def test_a_passage_in_another_order_shares_all_its_words() -> None:
    result = compare("an attack on one is an attack on all", "on all, an attack on one is an attack")
    assert result.percent == 100 and result.sentence.startswith("100 % of the words are shared")


def test_comparison_reads_french_and_russian_words_case_and_punctuation_aside() -> None:
    fr = compare("Une attaque armée contre l'une d'elles sera considérée comme une attaque",
                 "une attaque armée contre l'une d'elles, sera considérée comme une attaque dirigée")
    assert fr.percent > 90 and "omits “dirigée”" in fr.sentence
    ru = compare("В случае агрессии все остальные государства предоставят необходимую помощь",
                 "В случае агрессии все остальные государства-члены незамедлительно предоставят помощь")
    assert 50 < ru.percent < 90
    assert compare("Same words.", "same words").sentence == "The two passages are word for word the same."


@pytest.mark.parametrize(("text", "keys"), [
    ("Resolution 822 (1993) demands a withdrawal", ["S/RES/822(1993)"]),
    ("la résolution 853 du Conseil de sécurité", ["S/RES/853(1993)"]),
    ("резолюция 874 Совета Безопасности", ["S/RES/874(1993)"]),
    ("S/RES/884 (1993)", ["S/RES/884(1993)"]),
    ("resolutions 822, 853 and 874", ["S/RES/822(1993)", "S/RES/853(1993)", "S/RES/874(1993)"]),
    ("General Assembly resolution 62/243", ["A/RES/62/243"]),
    ("Security Council resolution 1234 (1999)", ["S/RES/1234(1999)"]),  # not in the table: linked by its symbol
])
def test_resolutions_are_recognised_and_linked(text: str, keys: list[str]) -> None:
    found = resolutions(text).references
    assert [r.key for r in found] == keys
    assert all(r.url == f"https://undocs.org/{r.key}" for r in found)


def test_four_resolutions_in_1993_about_karabakh_come_from_the_table() -> None:
    found = resolutions("which has been the subject of four UN Security Council resolutions adopted in 1993",
                        "This offensive does not take place in Nagorno-Karabakh (territory born on the ruins")
    assert [r.key for r in found.references] == [f"S/RES/{n}(1993)" for n in (822, 853, 874, 884)]
    assert all(r.how == "year" for r in found.references)
    assert "4 of 1993" in found.note and "as the claim says" in found.note
    assert "https://undocs.org/S/RES/822(1993)" in [r.url for r in found.references]


def test_treaty_articles_are_recognised_with_this_treaty_read_from_the_context() -> None:
    context = "both countries are part of the Collective Security Treaty Organization (OTSC) founded in 2002. "
    found = articles("With regard to the article 4 of this treaty, which is the exact copy of the article 5 NATO", context)
    assert [r.key for r in found.references] == ["csto:4", "nato:5"]
    assert articles("Article 51 of the UN Charter").references[0].url.startswith("https://www.un.org/")
    assert articles("статья 51 Устава ООН").references[0].key == "un_charter:51"
    left, right = comparison_pair("which is the exact copy of the article 5 NATO",
                                  context + "With regard to the article 4 of this treaty, ")
    assert (left and left.key, right and right.key) == ("csto:4", "nato:5")


def test_every_shipped_article_has_its_text_an_official_link_and_a_licence_note() -> None:
    shipped = all_articles()
    assert {"nato:5", "csto:4", "un_charter:51"} <= {r.key for r in shipped}
    for ref in shipped:
        assert ref.text and ref.url.startswith("https://") and ref.licence
    assert references("nothing here").references == ()
