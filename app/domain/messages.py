"""Changes told in a few words, for a status bar: "Claim 6 approved by ben"."""

from __future__ import annotations

from app.domain import HistoryEntry, clip

_STATE_DONE = {
    "approved": "approved",
    "in_review": "sent to review",
    "in_progress": "in progress",
    "not_started": "back to not started",
}


def change_message(entry: HistoryEntry, number: int | None = None) -> str:
    """A change as one short status-bar line: "Claim #6 approved by ben". number is the claim's
    public number; without it (a claim deleted since) the claim is named by its id."""
    who, claim = entry.actor, f"Claim #{number}" if number else f"Claim {entry.claim_id}"
    if entry.entity == "source":
        if entry.field == "source":
            what = "added to" if entry.old_value is None else "removed from" if entry.new_value is None else "changed on"
            return f"Source {what} {claim.lower()} by {who}"
        return f"Source of {claim.lower()} edited by {who}"
    if entry.field == "state" and entry.new_value:
        done = _STATE_DONE.get(entry.new_value, entry.new_value.replace("_", " "))
        return f"{claim} {done} by {who}" if entry.new_value != "in_progress" else f"{claim} started by {who}"
    if entry.field in ("verdict", "conclusion"):
        return f"{claim}: verdict {clip(entry.new_value or 'cleared', 30)}, by {who}"
    verbs = {"created": "marked", "deleted": "deleted", "rejected": "rejected", "restored": "restored",
             "reopened": "reopened"}
    if entry.field in verbs:
        return f"{claim} {verbs[entry.field]} by {who}"
    if entry.field == "accepted":
        return f"{claim} accepted by {who}"
    return f"{claim}: {entry.field} edited by {who}"
