"""The learned check-worthiness model as a fact-checker meets it: what it rates high, what it ignores."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from app.detection import detect_claims
from app.detection.evaluate import evaluate_sentences, read_labelled
from app.detection.model import FEATURE_VERSION, MODEL_RESOURCE, model, tokens
from app.domain import Kind
from app.domain.languages import FIGURES, MODEL, RULES, support
from app.domain.segments import Segment, SegmentKind

TRAINING = ROOT.parent / "shared" / "data" / "checkworthiness" / "ct24_english_train.tsv"

SPEECH = (
    "Lieutenant Governor Ainsworth, Speaker Ledbetter, members of the Legislature, my fellow "
    "Alabamians!\n\n"
    "Thank you all for being here tonight.\n\n"
    "Since we last met, companies have announced $5.4 billion in new investment with some 9,000 new "
    "jobs. We now have one of the nation's lowest unemployment rates. Every single penny of the fuel "
    "tax has gone to road and bridge projects.\n\n"
    "We've only just begun. It was up to us to decide what kind of state we want to be.\n\n"
)


def english(text: str) -> list[Segment]:
    return [Segment(0, len(text), SegmentKind.BODY, lang="en")]


def test_the_shipped_model_loads_and_says_what_it_was_trained_on() -> None:
    m = model()
    assert m.meta["feature_version"] == FEATURE_VERSION
    assert len(m.meta["data"]["sha256"]) == 64
    assert m.meta["code_version"]
    assert 0 < m.floor < m.threshold < 1
    assert {"f1", "precision", "recall", "average_precision"} <= set(m.meta["cv"]["nested"])
    assert (ROOT / "app" / "detection" / MODEL_RESOURCE).stat().st_size < 2_000_000
    if TRAINING.exists():
        assert m.meta["data"]["sha256"] == hashlib.sha256(TRAINING.read_bytes()).hexdigest()


def test_figures_become_shapes_so_unseen_numbers_count() -> None:
    assert tokens("$5.4 billion, some 9,000 jobs in 2023 (3%)") == [
        "$", "<num>", "billion", "some", "<num>", "jobs", "in", "<year>", "<num>", "%",
    ]  # fmt: skip


def test_the_governors_salutation_and_thanks_are_not_claims() -> None:
    every = " | ".join(c.quote for c in detect_claims(SPEECH, min_score=0.0))
    assert "Alabamians" not in every  # at any sensitivity
    assert "Thank you" not in every
    shown = " | ".join(c.quote for c in detect_claims(SPEECH, min_score=model().threshold))
    assert "only just begun" not in shown


def test_investment_jobs_and_records_in_a_speech_are_claims() -> None:
    line = model().threshold
    claims = [c for c in detect_claims(SPEECH) if c.score >= line]
    quotes = " | ".join(c.quote for c in claims)
    assert "$5.4 billion" in quotes
    assert "lowest unemployment rates" in quotes


def test_the_model_ranks_a_statistic_above_rhetoric() -> None:
    m = model()
    fact = m.probability("Unemployment fell to 3.1 percent last year, the lowest rate since 1969.")
    rhetoric = m.probability("We have come together tonight to celebrate what makes us strong.")
    assert fact > m.threshold > rhetoric


def test_a_sentence_without_a_rule_span_is_a_whole_sentence_claim_of_kind_other() -> None:
    text = "Governors from both parties praised him for the pipeline deal with Canada."
    claims = detect_claims(text, segments=english(text), min_score=0.0)
    if model().probability(text) >= model().floor and claims:
        assert len(claims) == 1
        assert claims[0].kind in (Kind.OTHER, Kind.EVENT, Kind.ATTRIBUTION)


def test_claims_are_ranked_by_the_models_probability() -> None:
    claims = detect_claims(SPEECH, min_score=0.0)
    assert claims
    assert all(0.0 <= c.score <= 1.0 for c in claims)
    best = max(claims, key=lambda c: c.score)
    assert "$5.4 billion" in best.quote or "unemployment" in best.quote


def test_a_german_paragraph_gets_only_its_figures() -> None:
    text = (
        "Die Regierung hat im Jahr 2023 insgesamt 4,5 Milliarden Euro in Schulen investiert. "
        "Die Opposition hält das für einen großen Fehler und kritisiert den Minister scharf."
    )
    claims = detect_claims(text, segments=[Segment(0, len(text), SegmentKind.BODY, lang="de")], min_score=0.0)
    assert claims
    assert all(any(ch.isdigit() for ch in c.quote) for c in claims)
    assert all(c.lang == "de" for c in claims)
    assert support("de") == FIGURES


def test_each_language_says_what_detection_it_gets() -> None:
    assert (support("en"), support("fr"), support("ru")) == (MODEL, RULES, RULES)
    assert support("it") == FIGURES


def test_the_paragraphs_language_is_the_importers() -> None:
    text = "The ministry said 3,000 troops had left the border region in March."
    (claim, *_) = detect_claims(text, segments=[Segment(0, len(text), SegmentKind.BODY, lang="fr")])
    assert claim.lang == "fr"  # decided once, from the segment; no per-clause guess overrides it


def test_eval_reads_a_labelled_tsv_and_scores_each_sentence(tmp_path: Path) -> None:
    tsv = tmp_path / "labels.tsv"
    tsv.write_text(
        "id\ttext\tlabel\n"
        "1\tThe city spent $12 million on new buses in 2021, twice the year before.\t1\n"
        "2\tUnemployment in the region fell to 4.2 percent, the lowest since 1990.\t1\n"
        "3\tThank you all so much for coming tonight.\t0\n"
        "4\tI want to say how proud I am of this wonderful team.\t0\n",
        "utf-8",
    )
    rows = read_labelled(tsv.read_text("utf-8").splitlines())
    assert [r[2] for r in rows] == [1, 1, 0, 0]
    result = evaluate_sentences(rows)
    assert result.recall == 1.0
    assert result.precision == 1.0
    assert result.average_precision == 1.0
    out = subprocess.run(
        [sys.executable, "-m", "app", "eval", str(tsv)], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert "precision 1.000" in out and "average precision 1.000" in out and "accuracy 1.000" in out


def test_a_tsv_with_a_bad_label_is_refused_in_one_line(tmp_path: Path) -> None:
    tsv = tmp_path / "bad.tsv"
    tsv.write_text("1\tA sentence.\t1\n2\tAnother one.\tyes\n", "utf-8")
    out = subprocess.run([sys.executable, "-m", "app", "eval", str(tsv)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0
    assert "line 2" in out.stderr


def test_detection_needs_neither_scikit_learn_nor_numpy() -> None:
    code = (
        "import sys, app.detection; app.detection.detect_claims('In 2002, 3,000 troops left the city.');"
        "print(sorted({'sklearn', 'numpy', 'scipy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_and_the_command_line_hide_at_the_lines_the_model_was_measured_at() -> None:
    """The sensitivity steps are the model file's measured lines: retraining without updating
    app/domain/sensitivity.py would show suggestions at thresholds nobody measured."""
    from app.domain.sensitivity import Sensitivity

    m = model()
    assert (Sensitivity.FEWER.threshold, Sensitivity.NORMAL.threshold, Sensitivity.MORE.threshold) == (
        round(m.fewer, 2),
        round(m.threshold, 2),
        round(m.floor, 2),
    )
