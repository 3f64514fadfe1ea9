"""Plain rows to domain values on the hot reads (the article list, search as you type, the desk
overview): a frozen dataclass built slot by slot, and SQLite's stored dates parsed once each.

A frozen slotted dataclass's __init__ sets every field through object.__setattr__: for the
article list's hundred entries that was a third of the call. `maker(cls, ...)` writes out, once
per class, a loop over the rows that sets each slot through its own descriptor, as
app.storage.mapping does for claims (tests hold each maker to cls(...) field for field)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")

_MAKERS: dict[tuple[type, tuple[str, ...]], Callable[..., Any]] = {}


def maker(cls: type[T], *values: str, **env: Any) -> Callable[[Iterable[Any]], list[T]]:
    """A function from rows to a list of cls, each built as cls(*values) would build it: `values`
    are Python expressions of the row `r`, one per field in order (by default r[0], r[1], ...),
    which may name the functions passed in `env`. The loop and the slot setters are written out
    once per class and expressions. Only for frozen slotted dataclasses with no __post_init__."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a frozen slotted dataclass without __post_init__")
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    exprs = values or tuple(f"r[{n}]" for n in range(len(names)))
    if len(exprs) != len(names):
        raise TypeError(f"{cls.__name__} has {len(names)} fields, not {len(exprs)}")
    key = (cls, exprs)
    made = _MAKERS.get(key)
    if made is not None and not env:
        return made
    scope: dict[str, Any] = {**env, "new": object.__new__, "cls": cls}
    lines = ["def make(rows):", "    out = []", "    add = out.append", "    for r in rows:", "        o = new(cls)"]
    for n, (name, expr) in enumerate(zip(names, exprs, strict=True)):
        scope[f"set_{n}"] = getattr(cls, name).__set__
        lines.append(f"        set_{n}(o, {expr})")
    lines += ["        add(o)", "    return out"]
    exec("\n".join(lines), scope)  # our own expressions and field numbers: nothing from outside
    built: Callable[[Iterable[Any]], list[T]] = scope["make"]
    _MAKERS[key] = built
    return built


class Stamps:
    """DATETIME columns as SQLAlchemy's SQLite dialect writes them ("2026-11-30 09:09:26.000000")
    to datetimes, each text parsed once across reads (the overview's waiting claims). In a
    maker's expression: `known(r[4]) or parse(r[4])` (a dict look-up when the text was seen). The
    article list no longer uses it: on a first read of 10,000 new texts the look-up and storing
    cost three times the parse (app.storage.sqlite_sql.ARTICLE_SUMMARY)."""

    __slots__ = ("_seen", "known")

    def __init__(self) -> None:
        self._seen: dict[str | None, datetime] = {}
        self.known = self._seen.get

    def parse(self, value: str | datetime | None) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        if len(self._seen) > 100_000:  # a bound, for a process that runs for weeks
            self._seen.clear()
        made = self._seen[value] = datetime.fromisoformat(value)
        return made

    __call__ = parse


class Reused:
    """Rows to objects through `make` (a maker), reusing the object built for an identical row
    by the previous call: the window reads the article list again after every change, and at a
    million claims building its 10,000 entries was a third of the read while almost all of them
    were the same as the time before. Values are immutable, so an identical row's object is the
    same value; only the last call's objects are held (no more than the caller holds anyway)."""

    __slots__ = ("_make", "_last")

    def __init__(self, make: Callable[[Iterable[Any]], list[T]]) -> None:
        self._make = make
        self._last: dict[Any, Any] = {}

    def __call__(self, rows: Sequence[Any]) -> list[Any]:
        last = self._last
        out: list[Any]
        if not last:  # the first read (start-up): every entry built, nothing to look up
            out = self._make(rows)
        else:  # each row looked up in C; only the rows not seen last time are built
            find: Callable[[Any], Any] = last.get
            out = list(map(find, rows))
            missing = [i for i, got in enumerate(out) if got is None]
            if missing:
                for i, made in zip(missing, self._make([rows[i] for i in missing]), strict=True):
                    out[i] = made
        self._last = dict(zip(rows, out, strict=True))
        return out

    def forget(self) -> None:
        """Build every entry afresh next time (a benchmark's first read)."""
        self._last = {}
