"""Check-worthiness of an English sentence: a calibrated linear model, loaded on first use."""

# Scored in plain Python: every feature is one dict look-up, done by map() in C over the words,
# their pairs and triples (zip makes the tuples in C too). Measured: numpy would add ~60 ms of
# import for no gain at this size, so it stays a training-only dependency.

from __future__ import annotations

import gzip
import json
import math
import re
import threading
from bisect import bisect_right
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain, repeat
from typing import Any, Final

# Bump when features() changes: a model file trained on other features is refused.
FEATURE_VERSION: Final = 1
MODEL_RESOURCE: Final = "checkworthiness.json.gz"

# Feature groups, named in the model file; training measures each and keeps those that help.
GROUPS: Final = ("unigrams", "bigrams", "trigrams", "shape", "rules")

# Punctuation becomes a space; the marks that carry meaning become words of their own.
_PUNCT = "!\"#&()*+/:;<=>@[\\]^_`{|}~“”‘«»–—…\t\n\r"
_TABLE = str.maketrans({**dict.fromkeys(_PUNCT, " "), "%": " % ", "$": " $ ", "£": " £ ", "€": " € "})
_TABLE[ord("?")] = " ? "
_TABLE[ord("’")] = "'"
_EDGE = ".,'-"



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NUMBER_WORDS: Final = _words(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred hundreds thousand thousands million millions billion billions trillion trillions
    dozen dozens half quarter third twice double triple percent"""
)
_MONEY: Final = _words("$ £ € dollars dollar pounds euros cents budget tax taxes deficit debt")
_MONTHS: Final = _words("january february march april june july august september october november december")
_FIRST: Final = _words("i we i'll we'll i'd we'd i'm we're")
_FUTURE: Final = _words("will 'll going would 'd")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DECADE = re.compile(r"^(?:1[89]|20)\d0'?s$")
# A capital after a space and not "I": a name, a place, an institution mid-sentence.
_CAP_MID = re.compile(r"\s[A-Z](?![\s'’.])")  # a look-behind costs a third more
_PAST = re.compile(r"[a-z]{2}ed\b")  # on the lowered sentence: IGNORECASE costs twice as much
_DIGIT = re.compile(r"\d")


def _shape(token: str) -> str:
    if _YEAR.match(token):
        return "<year>"
    if _DECADE.match(token):
        return "<decade>"
    return "<num>"


def tokens(sentence: str) -> list[str]:
    """Lower-case words; figures become <num>, <year> or <decade>, so "$5.4 billion" and
    "$504 billion" share what they have in common."""
    return _tokens(sentence.lower())


def _tokens(lowered: str) -> list[str]:
    toks = list(filter(None, map(str.strip, lowered.translate(_TABLE).split(), repeat(_EDGE))))
    if _DIGIT.search(lowered) is None:  # three sentences in four: no set of words to build
        return toks
    digits = {t: _shape(t) for t in set(toks) if t[:1].isdigit()}
    if digits:
        toks = [digits.get(t, t) for t in toks]
    return toks


_LEN_NAMES = tuple(f"_len{bisect_right((4, 8, 14, 22, 35), n)}" for n in range(36))
_CAP_NAMES = ("_cap0", "_cap1", "_cap2", "_cap2", "_cap3")
_ED_NAMES = ("_ed0", "_ed1", "_ed2")
_FIGURES = frozenset({"<num>", "<year>", "<decade>"})
_YEARS = frozenset({"<year>", "<decade>"})


def shape_features(sentence: str, toks: list[str], lowered: str | None = None) -> list[str]:
    """Cheap signs of a checkable statement that do not depend on US debate vocabulary."""
    present = set(toks)
    out = [_LEN_NAMES[min(len(toks), 35)]]
    if not present.isdisjoint(_FIGURES):
        out.append("_digit")
        if not present.isdisjoint(_YEARS):
            out.append("_year")
    if not present.isdisjoint(NUMBER_WORDS):
        out.append("_numword")
    if "%" in present or "percent" in present:
        out.append("_pct")
    if not present.isdisjoint(_MONEY):
        out.append("_money")
    if not present.isdisjoint(_MONTHS):
        out.append("_month")
    out.append(_CAP_NAMES[min(len(_CAP_MID.findall(sentence)), 4)])
    out.append(_ED_NAMES[min(len(_PAST.findall(sentence.lower() if lowered is None else lowered)), 2)])
    if not present.isdisjoint(_FIRST) and not present.isdisjoint(_FUTURE):
        out.append("_promise")
    if toks and toks[-1] == "?":
        out.append("_question")
    return out


def rule_features(kinds: Iterable[str], opinion: bool, forecast: bool) -> list[str]:
    """The rules' own reading of the sentence (app/detection/signals.py), as features."""
    out = [f"_rule_{k}" for k in kinds]
    if opinion:
        out.append("_rule_opinion")
    if forecast:
        out.append("_rule_forecast")
    return out


def features(
    sentence: str, groups: Iterable[str] = GROUPS, rules: list[str] | None = None
) -> list[Hashable]:
    """Every feature of the sentence, repeated as often as it occurs (the model counts them)."""
    groups = frozenset(groups)
    toks = tokens(sentence)
    out: list[Hashable] = []
    if "unigrams" in groups:
        out.extend(toks)
    if "bigrams" in groups:
        out.extend(zip(toks, toks[1:], strict=False))
    if "trigrams" in groups:
        out.extend(zip(toks, toks[1:], toks[2:], strict=False))
    if "shape" in groups:
        out.extend(shape_features(sentence, toks))
    if "rules" in groups and rules:
        out.extend(rules)
    return out


def key_to_text(key: Hashable) -> str:
    """A feature as stored in the model file: an n-gram's words joined by a space."""
    return " ".join(key) if isinstance(key, tuple) else str(key)


@dataclass(slots=True)
class Model:
    """A linear model whose weights already include Platt calibration: sigmoid(bias + Σ w)."""

    weights: dict[Hashable, float]
    bias: float
    threshold: float  # the probability that maximised cross-validated F1
    floor: float  # below this no sentence is proposed at all
    fewer: float  # the "fewer suggestions" line: precision 0.8 in cross-validation
    groups: frozenset[str]
    meta: dict[str, Any] = field(default_factory=dict)

    def logit(self, sentence: str, rules: list[str] | None = None) -> float:
        get = self.weights.get
        lowered = sentence.lower()
        toks = _tokens(lowered)
        groups = self.groups
        # One sum over every feature: a sum() per group cost a tenth of the scoring.
        parts: list[Iterable[Hashable]] = [toks]
        if "bigrams" in groups:
            parts.append(zip(toks, toks[1:], strict=False))
        if "trigrams" in groups:
            parts.append(zip(toks, toks[1:], toks[2:], strict=False))
        if "shape" in groups:
            parts.append(shape_features(sentence, toks, lowered))
        if "rules" in groups and rules:
            parts.append(rules)
        return self.bias + sum(map(get, chain.from_iterable(parts), repeat(0.0)))

    def probability(self, sentence: str, rules: list[str] | None = None) -> float:
        """The calibrated probability, 0–1, that a fact-checker would check this sentence."""
        z = self.logit(sentence, rules)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


def _parse(data: dict[str, Any]) -> Model:
    if data.get("feature_version") != FEATURE_VERSION:
        raise ValueError(
            f"model file has features v{data.get('feature_version')}, this code v{FEATURE_VERSION}"
        )
    weights: dict[Hashable, float] = {}
    for text, w in data["weights"].items():
        parts = text.split(" ")
        weights[parts[0] if len(parts) == 1 else tuple(parts)] = w
    meta = {k: v for k, v in data.items() if k != "weights"}
    return Model(
        weights,
        float(data["bias"]),
        float(data["threshold"]),
        float(data["floor"]),
        float(data.get("fewer", data["threshold"])),
        frozenset(data["groups"]),
        meta,
    )


def load_bytes(raw: bytes) -> Model:
    return _parse(json.loads(gzip.decompress(raw)))


_lock = threading.Lock()
_model: Model | None = None


def model() -> Model:
    """The shipped model, read from the package on first use (thread-safe)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                raw = resources.files("app.detection").joinpath(MODEL_RESOURCE).read_bytes()
                _model = load_bytes(raw)
    return _model


def probability(sentence: str, rules: list[str] | None = None) -> float:
    return model().probability(sentence, rules)
