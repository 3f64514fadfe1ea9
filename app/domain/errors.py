"""The one taxonomy of errors: what the user can act on (one line to show) versus a bug of ours.

Every error a person can fix (bad input, a record gone, the database file in the way, a
write based on a stale read) derives from `UserError`; str(error) is the line to show.
Anything else that escapes a service is a bug, for the crash handler. The CLI, the window,
the undo stack and the export dialog all ask `is_user_error`, so the list exists only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class UserError(Exception):
    """Something the user can act on; str(error) is one line for them."""


class ValidationError(UserError, ValueError):
    """User input that cannot be accepted (including a refused approval)."""


class NotFound(UserError, LookupError):
    """A record the caller named does not exist (any more)."""


class StorageError(UserError):
    """The environment, not a bug of ours: the database file is missing, unwritable, damaged,
    full, or locked by another program for longer than the busy timeout."""


class NotAllowed(UserError):
    """The database refused what this login may not do (team mode): a researcher approving, a
    reviewer approving their own verdict, a read-only role writing, acting as someone else."""


class DatabaseTooNew(StorageError):
    """Written by a newer Claimdesk: this build does not know its schema."""


@dataclass(frozen=True, slots=True)
class FieldConflict:
    """One field two people changed: what the database holds now (theirs) and what you wrote."""

    field: str
    theirs: str
    yours: str
    by: str = ""  # who changed it since you read it ("" when the history does not say)
    at: datetime | None = None


class Conflict(UserError):
    """A write based on a stale read, refused so that nobody's change is silently lost.

    `entity` is "claim", "source" or "article", `entity_id` its id; `expected_version` is the
    version the caller read and `current_version` the one stored; `fields` says which fields
    both sides changed, theirs against yours, and who changed them. `current` is the record as
    stored now (a domain object), so a caller can show both values side by side."""

    def __init__(
        self,
        entity: str,
        entity_id: int,
        expected_version: int,
        current_version: int,
        fields: tuple[FieldConflict, ...],
        current: object = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.fields = fields
        self.current = current
        super().__init__(self.describe())

    @property
    def by(self) -> str:
        """Everyone who changed the conflicting fields, in order, or "someone else"."""
        names = list(dict.fromkeys(f.by for f in self.fields if f.by))
        return ", ".join(names) if names else "someone else"

    def describe(self, width: int = 40) -> str:
        """One line: 'Claim 6 was changed by ben since you read it: verdict is now “False” (yours: “Verified”).'"""
        parts = [
            f"{f.field} is now “{_clip(f.theirs, width) or '(empty)'}” (yours: “{_clip(f.yours, width) or '(empty)'}”)"
            for f in self.fields
        ]
        detail = "; ".join(parts) if parts else "it changed"
        return (
            f"{self.entity.capitalize()} {self.entity_id} was changed by {self.by} since you read it: {detail}."
        )


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


USER_ERRORS: tuple[type[BaseException], ...] = (UserError,)
"""For `except USER_ERRORS:`; everything else is a bug."""


def is_user_error(error: BaseException) -> bool:
    """True for an error to show in one line; False for a bug (crash log)."""
    return isinstance(error, USER_ERRORS)
