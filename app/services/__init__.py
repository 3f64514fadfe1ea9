"""Use cases: each user action is one transaction that returns plain domain objects."""

from app.services.workbench import Workbench

__all__ = ["Workbench"]
