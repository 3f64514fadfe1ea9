"""Workspace settings and the rating scales: which scale the workspace rates on."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from app.domain import ChangeSet, Rating, RatingScale
from app.domain.changes import DEFAULT_SCALE, SCALE_SETTING
from app.domain.errors import ValidationError
from app.services.context import Context
from app.storage import sqlite_sql
from app.storage.models import SettingRow

SCALE_KEY = SCALE_SETTING

_SETTING = select(SettingRow.__table__.c.value).where(SettingRow.__table__.c.key == bindparam("key"))
_SETTING_SQLITE = sqlite_sql.SETTING  # _SETTING as SQLite text (a test holds them equal)


class Settings:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def setting(self, key: str, default: str = "") -> str:
        """A workspace setting (the organisation's name, where reports are published, …)."""
        if self._ctx.db.postgresql:
            with self._ctx.db.read_core() as c:  # plain Core: asked on every overview and report
                value = c.execute(_SETTING, {"key": key}).scalar()
        else:
            with self._ctx.read_raw() as raw:  # the same statement on the plain connection (Database.read_raw)
                found = raw.execute(_SETTING_SQLITE, (key,)).fetchone()
            value = None if found is None else found[0]
        return default if value is None else str(value)

    def set_setting(self, key: str, value: str) -> ChangeSet:
        value = value.strip()
        with self._ctx.write() as s:
            row = s.get(SettingRow, key) or SettingRow(key=key)
            row.value = value
            s.add(row)
            s.info["settings"][key] = value  # this process's own (see Context.write)
        return ChangeSet(settings=frozenset({key}))

    def scales(self) -> list[RatingScale]:
        """Every rating scale the database holds (seeded by the migrations), in their order."""
        return list(self._ctx.scales().values())

    def scale(self) -> RatingScale:
        """The workspace's scale: the verdicts offered, and what "on the scale" means."""
        scales = self._ctx.scales()
        return scales.get(self.setting(SCALE_KEY, DEFAULT_SCALE)) or scales[DEFAULT_SCALE]

    def set_scale(self, key: str) -> RatingScale:
        """Pick the workspace's scale. No verdict changes: those on another scale are flagged.
        (The ChangeSet is `ChangeSet(settings={SCALE_KEY})`; changes_since reports it too.)"""
        scales = self._ctx.scales()
        if key not in scales:
            raise ValidationError(f"There is no rating scale {key!r}; choose one of: {', '.join(scales)}.")
        self.set_setting(SCALE_KEY, key)
        return scales[key]

    def rating(self, rating_id: int) -> Rating:
        return self._ctx.rating(rating_id)
