"""Claim detection: text in, proposed claims out. Rule-based, no network, no Qt."""

from app.detection.detector import detect_claims

__all__ = ["detect_claims"]
