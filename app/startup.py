"""How often the cycle collector runs, set once per process before the first import of weight.

A start makes some 90,000 objects the collector tracks (140,000 with the 1 MB, 5,000-claim
article open), most of them in imports (SQLAlchemy, PySide6, the app) and living as long as the
process. At Python's default threshold (700) the collector ran
175 young, 16 middle and one full collection during a start of the sample, each walking what
was already promoted: 65-75 ms of a start measured with gc.callbacks. Opening a 5,000-claim
article allocates some 40,000 objects that live as long as it is open, with the same effect.
Reference counting frees almost everything here; the collector only finds cycles, and these few
thousand more objects between its passes cost little memory."""

from __future__ import annotations

import gc
import sys

YOUNG_OBJECTS = 20_000
"""Allocations between two collections of the youngest generation (Python's default is 700)."""


def collect_less() -> None:
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def hold_collection() -> None:
    """No collection while the process starts: see `resume_collection`."""
    gc.disable()


def resume_collection(*, freeze: bool = True) -> None:
    """Once the start's objects are made (the window's first frame, or a command parsed): they
    are moved out of the collector's sight (gc.freeze), so no later collection walks them again,
    and collection resumes at the YOUNG_OBJECTS rate. What that costs in memory, measured: the
    start leaves some 1,700 objects of cyclic garbage (gc.collect() after the sample's first
    frame), which stay, since a full collection to find them costs 90 ms; and of the start's
    objects, those that become cyclic garbage later are not found either (690 after opening the
    two articles of the 1 MB desk four times each, once: the start's objects are a fixed set). `freeze=False` (a
    command, or a start that ended early): collection simply resumes."""
    if gc.isenabled():
        return
    if freeze:
        gc.freeze()
    collect_less()
    gc.enable()


def return_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim), on Linux; nothing
    elsewhere. Why: memory freed on one thread (the first screen's SQLite page cache, given back
    as the Workbench starts loading, app.first_screen) sits in that thread's malloc arena, where
    the loading thread's allocations never reuse it; handed back, the process's peak is that
    much lower (2 MiB with the 1 MB, 5,000-claim article open, measured). Costs ctypes' import
    (0.5 MiB, 4 ms) and well under a millisecond, on the loading thread."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim  # glibc's; absent from musl and others
    except (ImportError, OSError, AttributeError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)
