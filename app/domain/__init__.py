"""Plain domain types shared by every layer: no Qt, no SQLAlchemy.

The domain's one front door: `from app.domain import Claim` for every name below. Only what the
detector proposes (`Kind`, `DetectedClaim`, app.domain.kinds) is loaded with the package; the rest
(app.domain.core and the changes, errors, links and revisions modules: about 20 ms of dataclasses)
loads on the first use of one of its names, so `import app.detection` does not pay for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from app.domain.kinds import DetectedClaim, Kind

if TYPE_CHECKING:  # what mypy sees; at run time these load on first use (see __getattr__)
    from app.domain.changes import Changes, ChangeSet, ChangeToken
    from app.domain.core import (
        CONCLUSION_COLOUR,
        SOURCE_KIND_LABELS,
        STATE_COLOURS,
        TYPED_FIELDS,
        TYPING_SESSION,
        Article,
        ArticleSummary,
        Claim,
        HistoryEntry,
        Origin,
        Rating,
        RatingScale,
        SearchHit,
        Source,
        SourceKind,
        Stance,
        State,
        approval_problems,
        clip,
        merge_typing,
        missing_sources,
        one_verdict,
        publisher_of,
        touched,
    )
    from app.domain.errors import Conflict, FieldConflict, UserError, is_user_error
    from app.domain.links import LinkState, SourceHealth
    from app.domain.revisions import Anchor

_LAZY: dict[str, tuple[str, ...]] = {
    "app.domain.core": (
        "CONCLUSION_COLOUR", "SOURCE_KIND_LABELS", "STATE_COLOURS", "TYPED_FIELDS", "TYPING_SESSION", "Article",
        "ArticleSummary", "Claim", "HistoryEntry", "Origin", "Rating", "RatingScale", "SearchHit", "Source",
        "SourceKind", "Stance", "State", "approval_problems", "clip", "merge_typing", "missing_sources",
        "one_verdict", "publisher_of", "touched",
    ),
    "app.domain.changes": ("ChangeSet", "ChangeToken", "Changes"),
    "app.domain.errors": ("Conflict", "FieldConflict", "UserError", "is_user_error"),
    "app.domain.links": ("LinkState", "SourceHealth"),
    "app.domain.revisions": ("Anchor",),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [  # re-exported: the domain's one front door (a test holds this list to _LAZY's)
    "CONCLUSION_COLOUR", "SOURCE_KIND_LABELS", "STATE_COLOURS", "TYPED_FIELDS", "TYPING_SESSION", "Anchor", "Article",
    "ArticleSummary", "ChangeSet", "ChangeToken", "Changes", "Claim", "Conflict", "DetectedClaim", "FieldConflict",
    "HistoryEntry", "Kind", "LinkState", "Origin", "Rating", "RatingScale", "SearchHit", "Source", "SourceHealth",
    "SourceKind", "Stance", "State", "UserError", "approval_problems", "clip", "is_user_error", "merge_typing",
    "missing_sources", "one_verdict", "publisher_of", "touched",
]

if not TYPE_CHECKING:  # hidden from mypy, which would otherwise accept any name from the package

    def __getattr__(name: str) -> Any:
        """Load a name's module on its first use, and every name of that module with it (PEP 562):
        later look-ups find them in the package's globals without coming here again."""
        module = _HOME.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        loaded = import_module(module)
        globals().update({n: getattr(loaded, n) for n in _LAZY[module]})
        return globals()[name]

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_HOME))
