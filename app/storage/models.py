"""SQLAlchemy 2 typed models: the one place that says what the database holds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints from the first migration on, so batch migrations on SQLite can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    __tablename__ = "article"
    __table_args__ = (
        # Covering indexes (0015): the list and the poll's token read these columns of every
        # article, which SQLite stores after the text, without walking each article's text.
        Index("ix_article_listed", "imported_at", "id", "title"),
        Index("ix_article_version", "id", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    outlet: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The highest public claim number given out in this article: numbers are never given twice.
    claims_numbered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Optimistic concurrency: every UPDATE and DELETE says WHERE version = <the one read>;
    # the services set the new version themselves (once per transaction), see services/context.py.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class ClaimRow(Base):
    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="span"),
        Index("ix_claim_article_start", "article_id", "start_offset"),
        Index("uq_claim_article_number", "article_id", "number", unique=True),
        Index("ix_claim_waiting", "state", "updated_at"),  # the overview's oldest waiting claims (0014)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    context_before: Mapped[str] = mapped_column(Text, default="")
    context_after: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(32))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    origin: Mapped[str] = mapped_column(String(16))
    # A detected claim is a suggestion until the fact-checker accepts it (or works on it).
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    speaker: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)
    from_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="not_started")
    verdict_id: Mapped[int | None] = mapped_column(
        ForeignKey("rating_label.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    conclusion: Mapped[str] = mapped_column(Text, default="")
    verdict_by: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The public number in the article (Claim.number); ArticleRow.claims_numbered gives the next.
    number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where it stands in the article's current revision (migration 0012, app.domain.revisions.Anchor).
    anchor: Mapped[str] = mapped_column(String(16), default="anchored", server_default="anchored")
    anchor_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    suggest_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    suggest_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    article: Mapped[ArticleRow] = relationship(back_populates="claims")
    sources: Mapped[list[SourceRow]] = relationship(
        back_populates="claim",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SourceRow.id",
    )


class RatingScaleRow(Base):
    """A verdict vocabulary; three ship as seed data in migration 0007."""

    __tablename__ = "rating_scale"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    free_text: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class RatingLabelRow(Base):
    __tablename__ = "rating_label"
    __table_args__ = (UniqueConstraint("scale_key", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scale_key: Mapped[str] = mapped_column(ForeignKey("rating_scale.key", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)
    colour: Mapped[str] = mapped_column(String(9), default="#d9d9d9")
    final: Mapped[bool] = mapped_column(Boolean, default=True)
    alternate_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class SourceRow(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claim.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500), default="")
    publisher: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    accessed: Mapped[date | None] = mapped_column(Date, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="other")
    stance: Mapped[str] = mapped_column(String(16), default="context")
    passage: Mapped[str] = mapped_column(Text, default="")  # the quoted passage that bears on the claim
    archived_url: Mapped[str] = mapped_column(String(2000), default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    claim: Mapped[ClaimRow] = relationship(back_populates="sources")
    # The link's health, snapshot date and web archive copy (app/links): kept apart from the
    # source's own fields, so a background check never bumps the version a person edits against.
    link: Mapped[SourceLinkRow | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, uselist=False, lazy="selectin"
    )


class EvidenceRow(Base):
    """Evidence saved on a claim: two passages compared word by word, or a figures check.
    `detail` is JSON: the diff runs of a comparison, the figure lines of a check."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    left_label: Mapped[str] = mapped_column(String(500), default="")
    left_url: Mapped[str] = mapped_column(String(2000), default="")
    left_text: Mapped[str] = mapped_column(Text, default="")
    right_label: Mapped[str] = mapped_column(String(500), default="")
    right_url: Mapped[str] = mapped_column(String(2000), default="")
    right_text: Mapped[str] = mapped_column(Text, default="")
    similarity: Mapped[float | None] = mapped_column(Float, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    mismatch: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SegmentRow(Base):
    """A stretch of an article: title, body, interview turn, reader comment or page furniture."""

    __tablename__ = "segment"
    __table_args__ = (Index("ix_segment_article_start", "article_id", "start_offset"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)
    date: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)


class ArticleRevisionRow(Base):
    """One version of an article's text (migration 0012). The newest is also ArticleRow.text, which
    the rest of the app reads; earlier ones are kept, read-only."""

    __tablename__ = "article_revision"
    __table_args__ = (Index("uq_article_revision_number", "article_id", "number", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500), default="")
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class RejectedSuggestionRow(Base):
    """A detector suggestion the fact-checker rejected, so re-running detection does not bring it back."""

    __tablename__ = "rejected_suggestion"
    __table_args__ = (Index("ix_rejected_suggestion_article", "article_id", "start_offset"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)


class HistoryRow(Base):
    """Append-only log of every change (triggers refuse UPDATE and DELETE). No foreign keys:
    the history of a deleted claim is kept."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_claim", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer)
    claim_id: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # The claim's version after this change: which changes a stale writer has not seen.
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SourceLinkRow(Base):
    """What the background work learned about a source's link: the last check, the date of its
    latest local snapshot, and the web archive's copy."""

    __tablename__ = "source_link"

    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="")  # app.domain.links.LinkState, "" unchecked
    detail: Mapped[str] = mapped_column(Text, default="")
    final_url: Mapped[str] = mapped_column(String(2000), default="")
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    similarity: Mapped[float | None] = mapped_column(Float, nullable=True)
    live_text: Mapped[str] = mapped_column(Text, default="")  # the page's text at a check that found it changed
    snapshot_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    archive_url: Mapped[str] = mapped_column(String(2000), default="")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SnapshotBlobRow(Base):
    """Downloaded bytes, zlib-compressed, stored once by their SHA-256 (content-addressed)."""

    __tablename__ = "snapshot_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)  # before compression
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SourceSnapshotRow(Base):
    """A source's page as fetched. No foreign key to the source, as with history: a snapshot
    outlives the source's removal (undo brings the source back with its snapshot); it is
    matched by source id and the link it was fetched for."""

    __tablename__ = "source_snapshot"
    __table_args__ = (Index("ix_source_snapshot_source", "source_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(2000))  # the source's link when it was fetched
    final_url: Mapped[str] = mapped_column(String(2000), default="")
    http_status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    sha256: Mapped[str] = mapped_column(ForeignKey("snapshot_blob.sha256", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")  # extracted (trafilatura, or pypdf for a PDF)


class JobRow(Base):
    """Background work that must survive a restart: a snapshot, a link check, a web archive copy."""

    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[int] = mapped_column(Integer)  # a source id
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SettingRow(Base):
    """Workspace settings and bookkeeping (which samples were seeded), as key/value text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


def is_mapped_table(name: str | None, type_: str, _parents: object = None) -> bool:
    """For Alembic: the FTS5 search index and its shadow tables, and the counts kept by triggers
    (app.storage.summary), are made by hand in migrations."""
    return not (type_ == "table" and name is not None
                and (name.startswith("claim_search") or name in ("article_summary", "claim_tally")))
