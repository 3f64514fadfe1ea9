"""An article from a file, a link or the clipboard: text, segments, metadata. No Qt, no database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.ingest.files import SUFFIXES, from_pasted, from_text, read_file, read_source
from app.ingest.model import MAX_BYTES, MIN_WORDS, ImportedText, IngestError, normalise, text_hash
from app.ingest.text import decode

if TYPE_CHECKING:
    from app.ingest.structure import analyse
    from app.ingest.url import read_url

__all__ = [
    "MAX_BYTES",
    "MIN_WORDS",
    "SUFFIXES",
    "ImportedText",
    "IngestError",
    "analyse",
    "decode",
    "from_pasted",
    "from_text",
    "normalise",
    "read_file",
    "read_source",
    "read_url",
    "text_hash",
]

# Loaded on first use: urllib's HTTP stack and the furniture patterns cost ~20 ms each, which
# starting the window or the CLI should not pay.
_LAZY = {"read_url": "app.ingest.url", "analyse": "app.ingest.structure"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
