"""Use cases: each user action is one transaction that returns plain domain objects.

`Workbench` is loaded on first use (PEP 562), so that app.services.claim_edit, the one use case
without SQLAlchemy, can be imported without loading the rest (app.first_screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.services.workbench import Workbench

__all__ = ["Workbench"]


def __getattr__(name: str) -> Any:
    if name == "Workbench":
        from app.services.workbench import Workbench

        return Workbench
    raise AttributeError(f"module 'app.services' has no attribute {name!r}")
