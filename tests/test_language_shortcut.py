"""A long paragraph that is plainly English is not asked of lingua (app/ingest/language.py,
_plainly_english): the languages found must be exactly lingua's, paragraph by paragraph."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest

from app.ingest import analyse, language
from app.ingest.structure import analyse as structure

ROOT = Path(__file__).resolve().parent.parent
TRAINING = ROOT.parent / "shared" / "data" / "checkworthiness" / "ct24_english_train.tsv"
ENGLISH = (
    "The minister said on Tuesday that the budget would be cut by a third, and that the savings "
    "were to be spent on hospitals. Critics said the figures did not add up, and that the cuts "
    "had been announced twice before."
)
FRENCH = "Nous ne sommes pas d'accord avec le ministre, et les chiffres sont faux."
TEXTS = sorted((ROOT / "tests" / "data").glob("*.txt")) + [ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"]


def _asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every paragraph's sample lingua is asked about (in batches), from now on."""
    asked: list[str] = []
    detector = language.detector

    class Spy:
        def __init__(self, real: Any) -> None:
            self.real = real

        def compute_language_confidence_values_in_parallel(self, batch: list[str]) -> Any:
            asked.extend(batch)
            return self.real.compute_language_confidence_values_in_parallel(batch)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

    monkeypatch.setattr(language, "detector", lambda codes=None: Spy(detector(codes)))
    return asked


def _tagged_by_lingua(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as m:
        m.setattr(language, "_plainly_english", lambda sample: False)
        return analyse(text)


def test_plain_english_is_told_without_lingua_and_a_quoted_foreign_sentence_is_not() -> None:
    assert language._plainly_english(ENGLISH)
    assert not language._plainly_english(ENGLISH + " " + FRENCH)  # lingua is asked about this one
    assert not language._plainly_english("The figures did not add up, the critics said.")  # too few words
    assert not language._plainly_english(ENGLISH.replace("hospitals", "больницы"))  # letters not ASCII
    # Lingua calls this Dutch (0.997), however often it is repeated: too few different words.
    names = "Nordvik Line said it had rerouted four ships to Rotterdam and Hamburg, Antwerp and Zeebrugge. " * 3
    assert not language._plainly_english(names)
    assert language.detect(names) == "nl"


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_the_languages_found_are_lingua_s(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text("utf-8")
    assert analyse(text) == _tagged_by_lingua(text, monkeypatch)


def test_a_mixed_document_keeps_its_languages_and_lingua_is_asked_less(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n\n".join([ENGLISH, FRENCH + " " + FRENCH, ENGLISH + " " + FRENCH, ENGLISH.upper(), ENGLISH * 2])
    expected = _tagged_by_lingua(text, monkeypatch)
    asked = _asked(monkeypatch)
    found = analyse(text)
    assert found == expected
    assert [s.lang for s in found if s.lang] == ["en", "fr", "en", "fr", "en", "en"]
    assert ENGLISH not in asked and language._sample(ENGLISH * 2) not in asked  # told without lingua
    assert language._sample(ENGLISH + " " + FRENCH) in asked


def test_the_budget_of_calls_ends_where_it_did(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plainly English paragraph counts as a call: past MAX_CALLS the same paragraphs get none."""
    paragraphs = [f"{ENGLISH} It was the {n}th time." if n % 2 else f"{FRENCH} C'est la {n}e fois." for n in range(12)]
    text = "\n\n".join(paragraphs)
    monkeypatch.setattr(language._Calls.__init__, "__defaults__", (5,))  # MAX_CALLS
    found = analyse(text)
    assert found == _tagged_by_lingua(text, monkeypatch)
    assert None in {s.lang for s in found}  # the budget did run out


@pytest.mark.skipif(not TRAINING.is_file(), reason="the shared training sentences sit beside the repository")
def test_real_sentences_in_paragraphs_are_told_as_lingua_tells_them(monkeypatch: pytest.MonkeyPatch) -> None:
    with TRAINING.open(encoding="utf-8", newline="") as f:
        pool = [r["text"].strip() for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    rng = random.Random(17)
    text = "\n\n".join(" ".join(rng.choice(pool) for _ in range(rng.randint(2, 6))) for _ in range(400))
    segments = structure(text, lang=False)
    asked = _asked(monkeypatch)
    found = language.tag(text, segments)
    skipped = len(segments) - len(asked)
    assert skipped > len(segments) // 2  # most of them told without lingua
    assert found == _tagged_by_lingua_segments(text, segments, monkeypatch)


def _tagged_by_lingua_segments(text: str, segments: tuple[object, ...], monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(language, "_plainly_english", lambda sample: False)
        return language.tag(text, segments)  # type: ignore[arg-type]
