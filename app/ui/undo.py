"""Undoable edits: each user change is a QUndoCommand, and the database follows undo and redo.

A command enters the stack only after its first service call succeeded (`run()`, called by the
window's push): a write refused (locked, a conflict, invalid) shows one line and leaves the stack
as it was. Each write carries the version it read, so undo never overwrites someone else's change.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from app.domain import Claim, Source, State
from app.domain.errors import USER_ERRORS
from app.services import Workbench

_TEXT_FIELDS = ("summary", "notes", "conclusion")


class UndoTarget(Protocol):
    """What commands tell the window after they touch the database."""

    bench: Workbench

    def claim_changed(self, claim: Claim, replay: bool) -> None: ...

    def claims_changed(self, article_id: int, select: int | None) -> None: ...

    def show_error(self, message: str) -> None: ...


class Command(QUndoCommand):
    def __init__(self, target: UndoTarget, text: str) -> None:
        super().__init__(text)
        self.target = target
        self.bench = target.bench
        self.replay = False  # the first redo is the user's own action; later ones are replays
        self._done = False  # run() did the first redo; the stack's push must not do it again

    def run(self) -> bool:
        """Do the action for the first time, before the command enters the stack. False, with
        one line shown, if the service refused it: then the command must not be pushed."""
        try:
            self._redo()
        except USER_ERRORS as exc:
            self.target.show_error(str(exc))
            return False
        self._done = True
        self.replay = True
        return True

    def redo(self) -> None:
        if self._done:  # QUndoStack.push calls redo(): run() already did it
            self._done = False
            return
        try:
            self._redo()
        except USER_ERRORS as exc:
            self.setObsolete(True)  # the stack drops a command that could not be done
            self.target.show_error(f"Cannot redo “{self.text()}”: {exc}")
        self.replay = True

    def undo(self) -> None:
        try:
            self._undo()
        except USER_ERRORS as exc:
            self.setObsolete(True)
            self.target.show_error(f"Cannot undo “{self.text()}”: {exc}")

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class EditClaim(Command):
    """Changes to a claim's fields; typing in one text field merges into one step."""

    def __init__(self, target: UndoTarget, claim: Claim, after: dict[str, Any], text: str) -> None:
        super().__init__(target, text)
        self.claim_id = claim.id
        # Working on a suggestion accepts it; undo must take that back too.
        self.after = {"accepted": True, **after}
        self.before = {field: getattr(claim, field) for field in self.after}
        self.version = claim.version  # what the user saw; each write passes it and keeps the new one
        if claim.state is State.NOT_STARTED:
            self.before.setdefault("state", claim.state)  # the service starts a claim worked on; undo un-starts it

    def id(self) -> int:
        fields = [f for f in self.after if f != "accepted"]
        return 1 if len(fields) == 1 and fields[0] in _TEXT_FIELDS else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, EditClaim) or other.claim_id != self.claim_id or set(other.after) != set(self.after):
            return False
        self.after = other.after
        self.version = other.version
        return True

    def _apply(self, values: dict[str, Any]) -> None:
        claim, _ = self.bench.update_claim(self.claim_id, expected_version=self.version, **values)
        self.version = claim.version
        self.target.claim_changed(claim, self.replay)

    def _redo(self) -> None:
        self._apply(self.after)

    def _undo(self) -> None:
        self._apply(self.before)


class MarkClaim(Command):
    def __init__(self, target: UndoTarget, article_id: int, start: int, end: int) -> None:
        super().__init__(target, "Mark as claim")
        self.article_id, self.start, self.end = article_id, start, end
        self.claim: Claim | None = None

    def _redo(self) -> None:
        if self.claim is None:
            self.claim, _ = self.bench.mark_claim(self.article_id, self.start, self.end)
        else:
            self.claim, _ = self.bench.restore_claim(self.claim)
        self.target.claims_changed(self.article_id, self.claim.id)

    def _undo(self) -> None:
        assert self.claim is not None
        self.claim = self.bench.claim(self.claim.id)  # keep what was done to it meanwhile
        self.bench.delete_claim(self.claim.id)
        self.target.claims_changed(self.article_id, None)


class RemoveClaim(Command):
    """Delete a claim, or reject a suggestion; undo puts it back with its id and sources."""

    def __init__(self, target: UndoTarget, claim: Claim, *, reject: bool) -> None:
        super().__init__(target, "Reject suggestion" if reject else "Delete claim")
        self.claim = claim
        self.reject = reject

    def _redo(self) -> None:
        seen = self.claim.version  # a claim someone else changed since is not deleted unseen
        self.claim = self.bench.claim(self.claim.id)
        if self.reject:
            self.bench.reject(self.claim.id, expected_version=seen)
        else:
            self.bench.delete_claim(self.claim.id, expected_version=seen)
        self.target.claims_changed(self.claim.article_id, None)

    def _undo(self) -> None:
        self.claim, _ = self.bench.restore_claim(self.claim)
        self.target.claims_changed(self.claim.article_id, self.claim.id)


class AddSource(Command):
    def __init__(self, target: UndoTarget, claim_id: int, fields: dict[str, Any]) -> None:
        super().__init__(target, "Add source")
        self.claim_id = claim_id
        self.fields = fields
        self.source: Source | None = None

    def _redo(self) -> None:
        if self.source is None:
            self.source, _ = self.bench.add_source(self.claim_id, **self.fields)
        else:
            self.bench.restore_source(self.source)
        self.target.claim_changed(self.bench.claim(self.claim_id), self.replay)

    def _undo(self) -> None:
        assert self.source is not None
        self.bench.remove_source(self.source.id)
        self.target.claim_changed(self.bench.claim(self.claim_id), True)


class EditSource(Command):
    def __init__(self, target: UndoTarget, source: Source, after: dict[str, Any]) -> None:
        super().__init__(target, "Edit source")
        self.source_id, self.claim_id = source.id, source.claim_id
        self.after = after
        self.before = {field: getattr(source, field) for field in after}
        self.version = source.version

    def _apply(self, values: dict[str, Any]) -> None:
        source, _ = self.bench.update_source(self.source_id, expected_version=self.version, **values)
        self.version = source.version
        self.target.claim_changed(self.bench.claim(self.claim_id), self.replay)

    def _redo(self) -> None:
        self._apply(self.after)

    def _undo(self) -> None:
        self._apply(self.before)


class RemoveSource(Command):
    def __init__(self, target: UndoTarget, source: Source) -> None:
        super().__init__(target, "Remove source")
        self.source = source

    def _redo(self) -> None:
        self.bench.remove_source(self.source.id, expected_version=self.source.version)
        self.target.claim_changed(self.bench.claim(self.source.claim_id), self.replay)

    def _undo(self) -> None:
        self.source, _ = self.bench.restore_source(self.source)
        self.target.claim_changed(self.bench.claim(self.source.claim_id), True)


class Approve(Command):
    """Sign-off by the current reviewer; undo takes the claim back to review."""

    def __init__(self, target: UndoTarget, claim: Claim) -> None:
        super().__init__(target, "Approve verdict")
        self.claim_id = claim.id
        self.version = claim.version  # a reviewer signs off what they saw

    def _redo(self) -> None:
        claim, _ = self.bench.approve(self.claim_id, expected_version=self.version)
        self.version = claim.version
        self.target.claim_changed(claim, self.replay)

    def _undo(self) -> None:
        claim, _ = self.bench.reopen(self.claim_id, "approval undone")
        self.version = claim.version
        self.target.claim_changed(claim, True)


class Reopen(Command):
    """Unlock an approved claim for a recorded reason; undo approves it again (by whoever undoes)."""

    def __init__(self, target: UndoTarget, claim: Claim, reason: str) -> None:
        super().__init__(target, "Reopen claim")
        self.claim_id = claim.id
        self.reason = reason

    def _redo(self) -> None:
        claim, _ = self.bench.reopen(self.claim_id, self.reason)
        self.target.claim_changed(claim, self.replay)

    def _undo(self) -> None:
        claim, _ = self.bench.approve(self.claim_id)
        self.target.claim_changed(claim, True)
