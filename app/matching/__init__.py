"""Earlier checks of the same claim: ClaimMatcher (BM25 over normalised text, fuzzy re-ranking). No Qt."""

from app.matching.matcher import SAME_CLAIM, ClaimMatcher, Weights

__all__ = ["SAME_CLAIM", "ClaimMatcher", "Weights"]
