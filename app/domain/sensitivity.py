"""How many detector suggestions the window shows: three steps, each a score threshold."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from app.domain import Claim, touched

SETTING_KEY = "detection_sensitivity"  # a workspace setting: every desk on this database sees the same


class Sensitivity(StrEnum):
    """Fewer, normal or more suggestions. Hiding is a view: nothing is deleted."""

    FEWER = "fewer"
    NORMAL = "normal"
    MORE = "more"

    @property
    def threshold(self) -> float:
        """Untouched suggestions scoring below this are hidden."""
        return THRESHOLDS[self]

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} suggestions"

    @classmethod
    def parse(cls, stored: str | None) -> Sensitivity:
        """The stored setting; anything unknown (an empty or hand-edited value) is the default."""
        try:
            return cls((stored or "").strip().lower())
        except ValueError:
            return DEFAULT

    def stored(self) -> str:
        return self.value


# The model helper calibrates these on cross-validation (NORMAL: the threshold with the best F1);
# every other module reads them from here, so a new calibration changes one table.
# From the shipped model's cross-validation (app/detection/checkworthiness.json.gz: "fewer",
# "threshold", "floor"): precision 0.80; the best F1; recall 0.92, the detector's floor.
THRESHOLDS: dict[Sensitivity, float] = {
    Sensitivity.FEWER: 0.59,
    Sensitivity.NORMAL: 0.29,
    Sensitivity.MORE: 0.12,
}
DEFAULT = Sensitivity.NORMAL


def is_shown(claim: Claim, sensitivity: Sensitivity) -> bool:
    """Whether the window shows this claim. Only an untouched detector suggestion with a score
    below the threshold is hidden: what a person marked or worked on is never out of sight, and a
    claim without a score (marked by hand, or from before scores) has nothing to compare."""
    score = claim.score
    # The score first: it settles most claims without asking whether anyone worked on them
    # (touched() looks at eight fields; 5,000 claims on every opening of a long article).
    return score is None or score >= THRESHOLDS[sensitivity] or touched(claim)


def hidden_count(claims: Iterable[Claim], sensitivity: Sensitivity) -> int:
    return sum(1 for c in claims if not is_shown(c, sensitivity))
