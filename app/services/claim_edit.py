"""The edit a fact-checker makes most, a claim's fields (verdict, conclusion, state, summary, notes,
kind), and the bookkeeping every write shares (versions, the history, the conflict check, the
approval lock), without SQLAlchemy.

`Bookkeeping` is the part of the services' Context an edit needs; `update_claim` is the edit.
The Context is a Bookkeeping over the Workbench's database; on SQLite the edit runs on a plain
sqlite3 connection (app.storage.draft), so the window's first screen (app.first_screen) is a
Bookkeeping too, and makes the same edit, by the same rules, before SQLAlchemy has loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.domain import (
    ChangeSet,
    Claim,
    Conflict,
    FieldConflict,
    Kind,
    Rating,
    State,
    one_verdict,
)
from app.domain.errors import NotFound, ValidationError
from app.storage.draft import ClaimDraft, HistoryLine, RawWrite, history_since

if TYPE_CHECKING:  # for the annotations only
    from sqlalchemy.orm import Session

    from app.storage.models import ClaimRow, HistoryRow, SourceRow

KEEP: Any = object()  # "leave this field alone", where None means "clear it"

# Fields that are one thing to a person: a label and a written conclusion are both "the verdict".
_FIELD_GROUP = {"conclusion": "verdict"}


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


class Bookkeeping:
    """Who is acting, the rating labels, and the versions and history of what a write changes.
    A subclass gives `ratings()`, `write_claim()` and, for ORM rows, `add_history_row()`."""

    def __init__(self, actor: str) -> None:
        self._actor = actor
        # What this process wrote itself: a conflict is someone else's change, and the status
        # bar reports only other people's changes.
        self.own_history: set[int] = set()

    @property
    def actor(self) -> str:
        return self._actor

    @actor.setter
    def actor(self, name: str) -> None:
        self._actor = name

    def ratings(self) -> dict[int, Rating]:
        raise NotImplementedError

    def write_claim(self) -> AbstractContextManager[Session | RawWrite]:
        """The write transaction for a ClaimDraft (on SQLite a RawWrite)."""
        raise NotImplementedError

    def add_history_row(self, s: Session, values: dict[str, Any]) -> None:
        """Add a history row for an ORM row's change to the Session (the Context's)."""
        raise NotImplementedError

    def rating(self, rating_id: int) -> Rating:
        ratings = self.ratings()
        if rating_id not in ratings:
            raise NotFound(f"No rating label with id {rating_id}.")
        return ratings[rating_id]

    def rating_name(self, rating_id: int | None) -> str | None:
        return None if rating_id is None else self.rating(rating_id).name

    def claim(self, row: ClaimRow | ClaimDraft) -> Claim:
        assert isinstance(row, ClaimDraft), "an ORM row is the Context's"
        return row.claim(self.ratings())

    # -- versions and history --------------------------------------------------------------

    def bump(self, s: Session | RawWrite, row: Any) -> None:
        """A new version for a row this transaction changes, once per transaction."""
        key = (row.__tablename__, row.id)
        if key not in s.info["bumped"]:
            s.info["bumped"].add(key)
            row.version += 1

    def record(
        self, s: Session | RawWrite, claim: ClaimRow | ClaimDraft, field: str, old: object, new: object, *,
        source: SourceRow | None = None,
    ) -> None:
        """Log one change in the caller's transaction, so the change and its record land together.
        Every change to a claim or its sources passes here, and so bumps the claim's version."""
        self.bump(s, claim)
        if source is not None and source.id is not None:
            self.bump(s, source)
        values = dict(
            article_id=claim.article_id, claim_id=claim.id,
            entity="claim" if source is None else "source", entity_id=claim.id if source is None else source.id,
            field=field, old_value=None if old is None else str(old), new_value=None if new is None else str(new),
            actor=self.actor or "unknown", at=now(), version=claim.version,
        )
        if isinstance(claim, ClaimDraft):  # written by the draft's save(), with its UPDATE
            claim.history.append(values)
            return
        assert not isinstance(s, RawWrite), "a RawWrite writes only a ClaimDraft"
        self.add_history_row(s, values)

    def check_claim(
        self, s: Session | RawWrite, row: ClaimRow | ClaimDraft, expected: int | None, writing: Mapping[str, str] | None,
    ) -> None:
        """Refuse a write based on version `expected` if someone else has since changed a field
        it writes (`writing`: field -> your value, as shown). `writing=None`: any change by someone
        else conflicts (approval signs off what the reviewer saw). Changes to other fields merge."""
        if expected is None or row.version == expected:
            return
        since = history_since(s, row.id, expected)
        changed: dict[str, HistoryRow | HistoryLine] = {}
        for h in since:
            if h.id not in self.own_history:
                changed["sources" if h.entity == "source" else _FIELD_GROUP.get(h.field, h.field)] = h
        current = self.claim(row)
        clashes = []
        for field, h in changed.items():
            if writing is not None and field not in writing:
                continue
            theirs = _shown(current, field)
            yours = "" if writing is None else writing[field]
            if writing is not None and theirs == yours:
                continue  # both sides want the same: nothing is lost
            clashes.append(FieldConflict(field, theirs, yours, h.actor, h.at))
        if clashes:
            raise Conflict("claim", row.id, expected, row.version, tuple(clashes), current)

    # -- workflow lock -----------------------------------------------------------------

    def unlock(self, s: Session | RawWrite, row: ClaimRow | ClaimDraft, reason: str) -> None:
        """An approved claim changes only with a reason: it goes back to review, and the log says why."""
        if row.state != State.APPROVED:
            return
        if not reason.strip():
            raise ValidationError(
                f"Claim {f'#{row.number}' if row.number else row.id} is approved by {row.approved_by or 'a reviewer'},"
                " so it is locked;"
                " give a reason to reopen it."
            )
        self.record(s, row, "reopened", None, reason.strip())
        self.record(s, row, "state", row.state, State.IN_REVIEW.value)
        row.state = State.IN_REVIEW.value
        row.approved_by = ""
        row.approved_at = None
        row.updated_at = now()


def update_claim(
    books: Bookkeeping,
    claim_id: int,
    *,
    state: State | None = None,
    verdict: Rating | None = KEEP,
    conclusion: str | None = None,
    summary: str | None = None,
    notes: str | None = None,
    kind: Kind | None = None,
    accepted: bool | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[Claim, ChangeSet]:
    """Change a claim's fields; verdict=None clears the verdict. Working on a claim not yet
    started starts it. An approved claim is locked: a change needs a reason, and reopens it.

    `expected_version`: the `Claim.version` the caller read. If someone else has since changed
    a field this call writes, nothing is written and Conflict says which, theirs against
    yours and who; changes to other fields are kept alongside yours."""
    if state is State.APPROVED:
        raise ValidationError("Approving needs a sign-off: use approve, not a state change.")
    asked: dict[str, Any] = {
        k: v for k, v in (("conclusion", conclusion), ("summary", summary), ("notes", notes), ("kind", kind),
                          ("accepted", accepted), ("state", state)) if v is not None
    }
    if "conclusion" in asked:
        asked["conclusion"] = asked["conclusion"].strip()
    if verdict is not KEEP:
        asked["verdict"] = verdict
    with books.write_claim() as s:
        # Plain values, written back with one UPDATE: the edit a fact-checker makes most.
        row = ClaimDraft.load(s, claim_id)
        current = books.claim(row)
        change = one_verdict(current, asked)  # one verdict at a time: the rule is the domain's
        books.check_claim(s, row, expected_version, _as_shown(change))
        books.unlock(s, row, reason)
        stamp = now()
        if "accepted" in change and row.accepted != change["accepted"]:
            books.record(s, row, "accepted", yes_no(row.accepted), yes_no(change["accepted"]))
            row.accepted = change["accepted"]
            row.updated_at = stamp
        changed = False
        if "verdict" in change:
            new_id = None if change["verdict"] is None else books.rating(change["verdict"].id).id
            if row.verdict_id != new_id:
                books.record(s, row, "verdict", books.rating_name(row.verdict_id), books.rating_name(new_id))
                row.verdict_id = new_id
                row.verdict_by = books.actor
                changed = True
        if "conclusion" in change and row.conclusion != change["conclusion"]:
            books.record(s, row, "conclusion", row.conclusion, change["conclusion"])
            row.conclusion = change["conclusion"]
            row.verdict_by = books.actor
            changed = True
        for field in ("summary", "notes", "kind"):
            value = change.get(field)
            value = value.value if isinstance(value, Kind) else value
            if value is not None and getattr(row, field) != value:
                books.record(s, row, field, getattr(row, field), value)
                setattr(row, field, value)
                changed = True
        new_state: State | None = state
        if new_state is None and changed and row.state == State.NOT_STARTED:
            new_state = State.IN_PROGRESS
        if new_state is not None and row.state != new_state.value:
            books.record(s, row, "state", row.state, new_state.value)
            row.state = new_state.value
            changed = True
        if changed:
            row.updated_at = stamp
            if accepted is None:
                row.accepted = True  # working on a suggestion accepts it
        row.save(s)
        claim = books.claim(row)
    return claim, changed_claim(claim_id, claim.article_id)


def changed_claim(claim_id: int, article_id: int) -> ChangeSet:
    return ChangeSet(article_ids=frozenset({article_id}), claim_ids=frozenset({claim_id}))


def _as_shown(change: dict[str, Any]) -> dict[str, str]:
    """Your values as a person reads them, keyed as the conflict check groups fields."""
    shown: dict[str, str] = {}
    for field, value in change.items():
        if field in ("verdict", "conclusion"):
            if field == "conclusion" and not value and "verdict" in change:
                continue  # cleared by the label that replaces it
            if field == "verdict" and value is None and change.get("conclusion"):
                continue  # cleared by the conclusion that replaces it
            shown["verdict"] = value.name if isinstance(value, Rating) else (value or "")
        else:
            shown[field] = str(getattr(value, "value", value))
    return shown


def text_of(value: object) -> str:
    """A column's value as a person reads it ("" for none, an enum's value)."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _shown(claim: Claim, field: str) -> str:
    """A claim's field as a person reads it, to set theirs against yours."""
    if field == "verdict":
        return claim.verdict_name
    if field == "sources":
        return f"{len(claim.sources)} source(s)"
    if field in ("created", "deleted", "rejected", "restored", "reopened"):
        return field
    return text_of(getattr(claim, field, ""))
