"""The window's side of team mode: telling the others which claim is open here and showing who
else has one open, and riding out a lost connection to the server without losing an edit.

The live poll (live.py) finds out what the server says; this decides what the window shows and
does about it. Nothing here reads the database behind the window's back: edits go through the
window's push, as every other edit does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.domain.errors import StorageError
from app.ui.live import lost_connection
from app.ui.undo import EditClaim

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class TeamLink:
    """Presence ("Also open in ana's window") and connection trouble, for one window."""

    def __init__(self, window: MainWindow, team: bool) -> None:
        self._w = window
        self.team = team
        self._announced: int | None = None  # the claim the others are told this window has open
        self.unsent: list[EditClaim] = []  # edits the lost connection refused, sent once it is back
        live = window.live
        live.viewers.connect(self._show_viewers)
        live.lost.connect(self._lost)
        live.reconnected.connect(self._reconnected)

    # -- who views what -------------------------------------------------------------------

    def viewing(self, claim_id: int | None) -> None:
        """Tell the others which claim this window has open (team mode; None: none). Not while
        the server is known to be away (a try could block the window for the connect timeout):
        reconnecting says it then."""
        if not self.team or claim_id == self._announced or self._w.live.trouble:
            return
        try:
            self._w.bench.viewing(claim_id)
        except StorageError as exc:
            if not lost_connection(exc):
                raise
            self._w.live.report_lost(exc)  # said again once the connection is back
            return
        self._announced = claim_id

    def _show_viewers(self, viewers: dict[int, tuple[str, ...]]) -> None:
        w = self._w
        w.model.set_viewers(viewers)
        claim = w.editor.claim
        w.editor.header.show_viewers(viewers.get(claim.id, ()) if claim is not None else ())

    # -- connection trouble ----------------------------------------------------------------

    def keeps(self, command: QUndoCommand) -> bool:
        """While the server is known to be away, an edit is kept without a try: a try can block
        the window for the connect timeout at every typing pause. The poll sends it once back."""
        if not (self._w.live.trouble and isinstance(command, EditClaim)):
            return False
        self._keep(command)
        return True

    def write_failed(self, error: Exception, command: QUndoCommand) -> bool:
        """A command's first write refused: True if because the server is out of reach. Then one
        line in the status bar (not a dialog per typing pause), and an edit is kept to send again
        on reconnecting; typed text also stays in the form."""
        if not lost_connection(error):
            return False
        self._w.live.report_lost(error)
        if isinstance(command, EditClaim):
            self._keep(command)
        else:
            self._w.status.say(f"Not done: {command.text()}. Try again once reconnected.")
        return True

    def _keep(self, command: EditClaim) -> None:
        """Hold an edit until the connection is back (the newest of the same fields wins)."""
        w, fields = self._w, set(command.after)
        self.unsent = [c for c in self.unsent if not (c.claim_id == command.claim_id and set(c.after) == fields)]
        self.unsent.append(command)
        w.status.connection_lost(w.live.trouble, kept=len(self.unsent))
        if w.editor.claim is not None and w.editor.claim.id == command.claim_id:
            w.editor.saved.setText("Not saved yet: waiting for the connection")

    def _lost(self, reason: str) -> None:
        self._w.status.connection_lost(reason, kept=len(self.unsent))

    def _reconnected(self) -> None:
        """The poll got through again, and has applied what was missed meanwhile: say so, tell
        the others what this window has open, and send the edits the lost connection refused
        (against the version they were made on: a change made meanwhile is a conflict to settle)."""
        w = self._w
        w.status.reconnected()
        claim = w.editor.claim
        self._announced = None
        self.viewing(claim.id if claim is not None else None)
        unsent, self.unsent = self.unsent, []  # before the flush: it must not be kept again
        typed = set(w.editor.unsaved())
        w.editor.flush()  # what the form holds now: newer than a text edit that failed
        for command in unsent:
            fields = set(command.after) - {"accepted"}
            if claim is not None and command.claim_id == claim.id and fields and fields <= typed:
                continue  # still in the form, and the flush above sent it as typed since
            w.push(command)
        w.reread_panel()  # what the panel could not read while the server was away
