"""The language of each segment (lingua), cut at the sentence where a paragraph switches."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import TYPE_CHECKING

from app.domain.segments import Segment
from app.ingest import budget

if TYPE_CHECKING:
    from lingua import ConfidenceValue, LanguageDetector

# ISO 639-1 codes. A closed set keeps lingua fast and stops it guessing Latin or Esperanto for
# short English. Armenian and Georgian cost no accuracy: each has a script of its own.
LANGUAGES = ("en", "fr", "ru", "de", "es", "it", "pt", "uk", "ar", "tr", "nl", "pl", "hy", "ka")
MIN_LETTERS = 20  # below this lingua guesses: "Notify of", "Быков Р." get no language
MIN_SENTENCE_LETTERS = 30  # a shorter sentence takes its neighbours' language
MIN_CONFIDENCE = 0.5
DOCUMENT_LETTERS = 60  # a paragraph this long counts its language as one of the document's
SURE = 0.95  # a shorter one in another language needs this confidence
FOREIGN_LETTERS = 40  # and at least this many letters
# Budgets, so that a 20 MB file costs seconds, not minutes (lingua's cost grows with the text:
# one 500,000-letter line took 203 s). lingua is as sure of a paragraph's language from its
# first thousand characters as from all of it; a paragraph longer than RUNS_CHARS is not an
# interview switching language sentence by sentence; and past MAX_CALLS guesses a document has
# shown its languages: the rest of its paragraphs get none from here, and detection makes its
# own cheap guess for each.
SAMPLE_CHARS = 1000
RUNS_CHARS = 5000
MAX_CALLS = 6000
MAX_SEGMENTS = 20_000  # the first this many paragraphs get a language
MAX_RUNS = 3000  # and the first this many are split where the language changes
PREFETCH_BATCH = 512  # paragraphs judged at once, between checks of the import's time budget


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A paragraph lingua would only ever call English, told from cheap evidence (_plainly_english):
# English's own function words make up a good part of its words, no other language's common ones
# appear, and every letter is ASCII. Lingua still answers every other paragraph, every sentence
# of a paragraph cut where its language changes, and every short one (whose confidence counts).
_ENGLISH = _words(
    """the and that with this have has had would which they their them there what been were from
    it its is of to for are not you we he she his her be by at on as but or an was will can
    should could about who said our does did these those than then into also more"""
)
# Common words of the other languages (none of them common in English), any one of which means
# lingua is asked: a French or German sentence quoted in an English paragraph has some.
_FOREIGN = _words(
    """de la le les des du est une au aux ce qui sur pas der das und ist nicht ein eine zu mit
    sich auch het een en zijn niet voor que y para una della gli che nao os uma dos ao ve bir ile
    ne na nie jest"""
)
# Words: ASCII letters, an apostrophe dropped ("don't" is "dont", not "don" and "t").
_TO_WORDS = str.maketrans(
    {**{chr(c): " " for c in range(128) if not chr(c).isalpha()}, "'": None, "\u2019": None,
     **dict.fromkeys("\u201c\u201d\u2018\u2014\u2013\u2026\u00a0", " ")}
)
ENGLISH_WORDS = 25  # different words: repeating a few ("… Rotterdam and Hamburg" three times) is no more evidence
ENGLISH_KINDS = 8  # different English function words among them
ENGLISH_SHARE = 0.3  # of all its words, English function words

_before: ContextVar[Callable[[str], None] | None] = ContextVar("claimdesk_before_languages", default=None)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+")
_lock = threading.Lock()
_detectors: dict[frozenset[str], LanguageDetector] = {}


def detector(codes: frozenset[str] | None = None) -> LanguageDetector:
    """Built once per language set, on first use: loading lingua's models is the slow part."""
    key = codes or frozenset(LANGUAGES)
    if (found := _detectors.get(key)) is not None:
        return found
    with _lock:
        if key not in _detectors:
            from lingua import IsoCode639_1, LanguageDetectorBuilder

            # Low-accuracy mode (trigrams only) loads in ~0.1 s instead of ~1 s and gets every
            # paragraph of the sample right. Its weakness, overconfident guesses on single
            # sentences, is handled in tag() by voting only among the document's own languages.
            _detectors[key] = (
                LanguageDetectorBuilder.from_iso_codes_639_1(
                    *(getattr(IsoCode639_1, code.upper()) for code in sorted(key))
                )
                .with_low_accuracy_mode()
                .with_preloaded_language_models()
                .build()
            )
        return _detectors[key]


_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def _letters(text: str) -> int:
    """How many characters of text are letters (str.isalpha), exactly. Its ASCII part is counted
    in C (the bytes left once the others are deleted): one isalpha() call per character was
    20 to 90 ms a MB (by the machine's load), and tag() counts every paragraph twice."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _NOT_ASCII_LETTERS))
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    return ascii_letters + sum(map(str.isalpha, _ASCII_RUNS.sub("", text)))


def _plainly_english(sample: str) -> bool:
    """Whether sample (a paragraph's, at least DOCUMENT_LETTERS letters) is plainly English: all
    its letters ASCII, ENGLISH_WORDS different words or more, ENGLISH_KINDS different English
    function words among them making up ENGLISH_SHARE of its words, and not one of another
    language's common words. Measured on 37,154 paragraphs of DOCUMENT_LETTERS letters or more
    (the CheckThat! training sentences as 8 MB of paragraphs, the claim-matching claims and
    tweets, the tests' texts and the sample): 17,565 are plainly English, and lingua called each
    of them English, with a confidence of 0.99999 or more; of the 90 with all letters ASCII and
    no other language's common words that lingua called something else, none had more than 29
    different words nor 6 different English function words. A long English paragraph of a
    debate passes three times in four (the 1 MB import's: 2,122 of 2,553). Tests hold the
    languages found to lingua's: tests/test_language_shortcut.py."""
    if not sample.isascii() and any(map(str.isalpha, _ASCII_RUNS.sub("", sample))):
        return False
    found = sample.lower().translate(_TO_WORDS).split()
    distinct = set(found)
    if len(distinct) < ENGLISH_WORDS or not _FOREIGN.isdisjoint(distinct):
        return False
    if len(distinct & _ENGLISH) < ENGLISH_KINDS:
        return False
    return sum(map(_ENGLISH.__contains__, found)) >= ENGLISH_SHARE * len(found)


def detect(text: str, codes: frozenset[str] | None = None) -> str | None:
    """ISO 639-1 code of text, or None if it is too short or lingua is unsure."""
    return _detect(text, codes)[0]


def _detect(text: str, codes: frozenset[str] | None = None) -> tuple[str | None, float]:
    text = _sample(text)
    if _letters(text) < MIN_LETTERS:
        return None, 0.0
    return _best(detector(codes).compute_language_confidence_values(text))


def _best(values: list[ConfidenceValue]) -> tuple[str | None, float]:
    if not values or values[0].value < MIN_CONFIDENCE:
        return None, 0.0
    return str(values[0].language.iso_code_639_1.name.lower()), values[0].value


def _sample(text: str) -> str:
    """At most SAMPLE_CHARS of text, cut at a space so no word is cut in two."""
    if len(text) <= SAMPLE_CHARS:
        return text
    cut = text.rfind(" ", SAMPLE_CHARS // 2, SAMPLE_CHARS)
    return text[: cut if cut > 0 else SAMPLE_CHARS]


class _Calls:
    """What lingua may still be asked in one document, and what it already answered: a document
    repeats itself (comment spam, boilerplate), and the same sample gets the same answer."""

    def __init__(self, budget: int = MAX_CALLS) -> None:
        self.left = budget
        self.seen: dict[tuple[str, frozenset[str] | None], tuple[str | None, float]] = {}

    def detect(self, text: str, codes: frozenset[str] | None = None) -> tuple[str | None, float]:
        key = (_sample(text), codes)
        if (found := self.seen.get(key)) is not None:
            return found
        if self.left <= 0:
            return None, 0.0
        self.left -= 1
        found = self.seen[key] = _detect(key[0], codes)
        return found

    def prefetch(self, texts: list[str], codes: frozenset[str] | None = None) -> None:
        """Answer many texts at once: lingua judges a batch on every core, and the answers wait
        in `seen` for detect(). The same budget and the same answers as one call at a time."""
        wanted: dict[str, None] = {}  # in order, once each
        for text in texts:
            sample = _sample(text)
            if (sample, codes) in self.seen or sample in wanted:
                continue
            letters = _letters(sample)
            if letters < MIN_LETTERS:
                continue
            if len(wanted) >= self.left:
                break
            if codes is None and letters >= DOCUMENT_LETTERS and _plainly_english(sample):
                # Counted as a call, so the budget ends where it did when lingua was asked. Its
                # confidence is never read: tag() reads it only for paragraphs shorter than this.
                self.left -= 1
                self.seen[(sample, codes)] = ("en", 1.0)
                continue
            wanted[sample] = None
        wanted_list = list(wanted)
        for at in range(0, len(wanted_list), PREFETCH_BATCH):
            budget.check("telling its languages")
            batch = wanted_list[at : at + PREFETCH_BATCH]
            answers = detector(codes).compute_language_confidence_values_in_parallel(batch)
            for sample, values in zip(batch, answers, strict=True):
                self.seen[(sample, codes)] = _best(values)
            self.left -= len(batch)


@contextmanager
def before_languages(callback: Callable[[str], None]) -> Iterator[None]:
    """Inside, tag() first calls callback(text): the text is final then, and lingua, the slow
    part of reading it, is still to come (`claimdesk import` starts detection's own reading of
    the text there: app/cli_import.py)."""
    token = _before.set(callback)
    try:
        yield
    finally:
        _before.reset(token)


def tag(text: str, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """The segments with `lang` set, a segment cut where its language changes between sentences.

    Interviews switch language mid-paragraph ("Non. This is a minor case… Les autres acteurs
    sont…"); one code for the paragraph would label a French claim English. Single sentences
    are where low-accuracy lingua errs ("…the politico-military apparatus of Russia." comes out
    Italian among 14 languages), so sentences only vote among the languages that whole
    paragraphs of this document are in, and only when there are two or more of them. For the
    same reason a short segment in a language no long one has gets no language.
    """
    if (callback := _before.get()) is not None:
        callback(text)
    calls = _Calls()
    judged = segments[:MAX_SEGMENTS]
    calls.prefetch([text[s.start : s.end] for s in judged])
    whole = [calls.detect(text[s.start : s.end]) for s in judged]
    long = [_letters(_sample(text[s.start : s.end])) >= DOCUMENT_LETTERS for s in judged]
    present = frozenset(
        lang for (lang, _), is_long in zip(whole, long, strict=True) if lang and is_long
    )
    out: list[Segment] = []
    runs = MAX_RUNS
    for segment, (lang, confidence), is_long in zip(judged, whole, long, strict=True):
        if lang and present and lang not in present and not is_long:
            # "(Reporting by Sofie Maes; Editing by Paul Hart)" is not Portuguese, nor "Interview
            # by Claire Vasseur." French (lingua: 0.79, 0.96): a short odd one out needs more.
            letters = _letters(_sample(text[segment.start : segment.end]))
            if letters < FOREIGN_LETTERS or confidence < SURE:
                lang = None
        pieces = None
        if lang and len(present) > 1 and segment.end - segment.start <= RUNS_CHARS and runs > 0:
            if not runs % 256:
                budget.check("telling its languages")
            runs -= 1
            pieces = _runs(text, segment.start, segment.end, present, calls)
        if pieces is None:
            out.append(_with_lang(segment, lang))
        else:
            out.extend(replace(segment, start=a, end=b, lang=code) for a, b, code in pieces)
    out.extend(segments[MAX_SEGMENTS:])
    return tuple(out)


def _with_lang(segment: Segment, lang: str | None) -> Segment:
    # The constructor, not dataclasses.replace, which costs a second per 100,000 segments.
    if lang == segment.lang:
        return segment
    s = segment
    return Segment(s.start, s.end, s.kind, s.speaker, s.author, s.date, lang)


def _runs(
    text: str, start: int, end: int, present: frozenset[str], calls: _Calls
) -> list[tuple[int, int, str]] | None:
    """text[start:end] as runs of sentences in one language, or None if it has only one."""
    cuts = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)] + [end]
    sentences = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
    if len(sentences) < 2:
        return None
    langs = [
        calls.detect(text[a:b], present)[0] if _letters(text[a:b]) >= MIN_SENTENCE_LETTERS else None
        for a, b in sentences
    ]
    known = [lang for lang in langs if lang]
    if len(set(known)) < 2:
        return None
    # A short or unsure sentence ("Non.") goes with the one before it (at the start: the next).
    filled: list[str] = []
    for lang in langs:
        filled.append(lang or (filled[-1] if filled else known[0]))
    runs: list[tuple[int, int, str]] = []
    for (a, b), lang in zip(sentences, filled, strict=True):
        if runs and runs[-1][2] == lang:
            runs[-1] = (runs[-1][0], b, lang)
        else:
            runs.append((a, b, lang))
    return [(a, _rstrip(text, a, b), lang) for a, b, lang in runs]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
