"""Undoable edits: each user change is a QUndoCommand, and the database follows undo and redo.

A command enters the stack only after its first service call succeeded (`run()`, called by the
window's push): a write refused (locked, invalid) shows one line and leaves the stack as it was;
one refused as a Conflict goes to the window, which shows both values and lets the user choose.
Each write carries the version it read, so undo never overwrites someone else's change. What a
write changed goes to the window as the service's ChangeSet, through its one door (apply_changes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QUndoCommand

from app.domain import ChangeSet, Claim, Conflict, Source, State
from app.domain.errors import USER_ERRORS

if TYPE_CHECKING:  # a type only: importing the services loads SQLAlchemy (app.first_screen)
    from app.services import Workbench

_TEXT_FIELDS = ("summary", "notes", "conclusion")


class UndoTarget(Protocol):
    """The window, as commands and panes see it: what they tell it after a write, and where
    new commands go."""

    bench: Workbench

    def apply_changes(self, changes: ChangeSet, *, loaded: Iterable[Claim] = (), focus: int | None = None) -> None: ...

    def conflict(self, conflict: Conflict, command: QUndoCommand | None) -> None: ...

    def show_error(self, message: str) -> None: ...

    def write_failed(self, error: Exception, command: QUndoCommand) -> None: ...

    def push(self, command: QUndoCommand) -> None: ...


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
        except Conflict as exc:  # someone else changed it since it was read: the user chooses
            self.target.conflict(exc, self)
            return False
        except USER_ERRORS as exc:  # refused, or the team server out of reach: the window says which
            self.target.write_failed(exc, self)
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

    def _show(self, changes: ChangeSet, claim: Claim | None = None, claim_id: int | None = None, *,
              replay: bool | None = None) -> None:
        """Hand the write's ChangeSet to the window. On undo and redo the claim is selected and
        shown as stored; on the user's own first action the panel keeps what is being typed."""
        again = self.replay if replay is None else replay
        focus = (claim.id if claim else claim_id) if again else None
        self.target.apply_changes(changes, loaded=(claim,) if claim else (), focus=focus)


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

    def _apply(self, values: dict[str, Any], replay: bool) -> None:
        claim, changes = self.bench.update_claim(self.claim_id, expected_version=self.version, **values)
        self.version = claim.version
        self._show(changes, claim, replay=replay)

    def _redo(self) -> None:
        self._apply(self.after, self.replay)

    def _undo(self) -> None:
        self._apply(self.before, True)


class MarkClaim(Command):
    def __init__(self, target: UndoTarget, article_id: int, start: int, end: int) -> None:
        super().__init__(target, "Mark as claim")
        self.article_id, self.start, self.end = article_id, start, end
        self.claim: Claim | None = None

    def _redo(self) -> None:
        if self.claim is None:
            self.claim, changes = self.bench.mark_claim(self.article_id, self.start, self.end)
        else:
            self.claim, changes = self.bench.restore_claim(self.claim)
        self._show(changes, self.claim, replay=True)  # the new claim is selected

    def _undo(self) -> None:
        assert self.claim is not None
        self.claim = self.bench.claim(self.claim.id)  # keep what was done to it meanwhile
        self._show(self.bench.delete_claim(self.claim.id, expected_version=self.claim.version), replay=False)


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
            changes = self.bench.reject(self.claim.id, expected_version=seen)
        else:
            changes = self.bench.delete_claim(self.claim.id, expected_version=seen)
        self._show(changes, replay=False)  # the panel moves to a neighbour

    def _undo(self) -> None:
        self.claim, changes = self.bench.restore_claim(self.claim)
        self._show(changes, self.claim, replay=True)


class AddSource(Command):
    def __init__(self, target: UndoTarget, claim_id: int, fields: dict[str, Any]) -> None:
        super().__init__(target, "Add source")
        self.claim_id = claim_id
        self.fields = fields
        self.source: Source | None = None

    def _redo(self) -> None:
        if self.source is None:
            self.source, changes = self.bench.add_source(self.claim_id, **self.fields)
        else:
            self.source, changes = self.bench.restore_source(self.source)
        self._show(changes, claim_id=self.claim_id)

    def _undo(self) -> None:
        assert self.source is not None
        self._show(self.bench.remove_source(self.source.id), claim_id=self.claim_id, replay=True)


class EditSource(Command):
    def __init__(self, target: UndoTarget, source: Source, after: dict[str, Any]) -> None:
        super().__init__(target, "Edit source")
        self.source_id, self.claim_id = source.id, source.claim_id
        self.after = after
        self.before = {field: getattr(source, field) for field in after}
        self.version = source.version

    def _apply(self, values: dict[str, Any], replay: bool) -> None:
        source, changes = self.bench.update_source(self.source_id, expected_version=self.version, **values)
        self.version = source.version
        self._show(changes, claim_id=self.claim_id, replay=replay)

    def _redo(self) -> None:
        self._apply(self.after, self.replay)

    def _undo(self) -> None:
        self._apply(self.before, True)


class RemoveSource(Command):
    def __init__(self, target: UndoTarget, source: Source) -> None:
        super().__init__(target, "Remove source")
        self.source = source

    def _redo(self) -> None:
        changes = self.bench.remove_source(self.source.id, expected_version=self.source.version)
        self._show(changes, claim_id=self.source.claim_id)

    def _undo(self) -> None:
        self.source, changes = self.bench.restore_source(self.source)
        self._show(changes, claim_id=self.source.claim_id, replay=True)


class Approve(Command):
    """Sign-off by the current reviewer; undo takes the claim back to review."""

    def __init__(self, target: UndoTarget, claim: Claim) -> None:
        super().__init__(target, "Approve verdict")
        self.claim_id = claim.id
        self.version = claim.version  # a reviewer signs off what they saw

    def _redo(self) -> None:
        claim, changes = self.bench.approve(self.claim_id, expected_version=self.version)
        self.version = claim.version
        self._show(changes, claim)

    def _undo(self) -> None:
        claim, changes = self.bench.reopen(self.claim_id, "approval undone")
        self.version = claim.version
        self._show(changes, claim, replay=True)


class Reopen(Command):
    """Unlock an approved claim for a recorded reason; undo approves it again (by whoever undoes)."""

    def __init__(self, target: UndoTarget, claim: Claim, reason: str) -> None:
        super().__init__(target, "Reopen claim")
        self.claim_id = claim.id
        self.reason = reason

    def _redo(self) -> None:
        claim, changes = self.bench.reopen(self.claim_id, self.reason)
        self._show(changes, claim)

    def _undo(self) -> None:
        claim, changes = self.bench.approve(self.claim_id)
        self._show(changes, claim, replay=True)
