"""The claim editor: a thin ClaimEditor composing one pane per job (header, verdict, workflow, sources, history)."""

from app.ui.editor.claim_editor import SAVE_DELAY_MS, ClaimEditor

__all__ = ["SAVE_DELAY_MS", "ClaimEditor"]
