"""The SQLite statements the first screen runs, as literal text: no SQLAlchemy is loaded to build them.

Each is exactly what SQLAlchemy compiles the services' own Core statement to on SQLite
(tests/test_first_screen.py holds every one to it), so the window's first frame (app.first_screen)
and the services read the same rows the same way; CLAIMS, ARTICLE_LIST and SETTING are the
services' own SQLite text, used by them as well."""

from __future__ import annotations

HEAD = "0016"
"""The schema revision this build's migrations end at (app.storage.migrate.head_revision(), held
to it by a test): a database whose alembic_version holds exactly this needs no migration."""

ARTICLE_SUMMARY = ("r[0]", "r[1]", "r[2] or 0", "r[3] or 0", "parse(r[4]) if r[4].__class__ is str else r[4]")
"""ArticleSummary's fields from an ARTICLE_LIST row, for app.storage.plain.maker (parse:
datetime.fromisoformat; a date comes as SQLite stores it, text, or from PostgreSQL a datetime
already, or None). Parsed as read, not through a plain.Stamps' cache of texts seen: a list read
again builds only its changed entries (plain.Reused), and on the first read, every import time
new to the cache, the look-up and the storing took three times the parsing (10,000 dates: 4.5 ms
against 1.3 ms)."""

CLAIM_COLUMNS = (
    "id", "article_id", "start_offset", "end_offset", "quote", "context_before", "context_after", "kind", "score",
    "origin", "accepted", "speaker", "lang", "from_comment", "state", "verdict_id", "conclusion", "verdict_by",
    "approved_by", "approved_at", "summary", "notes", "created_at", "updated_at", "version", "number", "anchor",
    "anchor_note", "suggest_start", "suggest_end",
)
"""The claim table's columns, in its order (what a select of the table reads, and the order an UPDATE
sets them in)."""

_EVERY_CLAIM_COLUMN = f'SELECT {", ".join(f"claim.{name}" for name in CLAIM_COLUMNS)} \nFROM claim \n'

CLAIMS = _EVERY_CLAIM_COLUMN + 'WHERE claim.article_id = ? ORDER BY claim.article_id, claim.start_offset'
"""An article's claims, every column of the claim table (app.services.claims reads these on SQLite)."""

ARTICLE_LIST = (
    'SELECT article.id, article.title, article_summary.claims, article_summary.resolved, '
    'article.imported_at \n'
    'FROM article LEFT OUTER JOIN article_summary ON article_summary.article_id = article.id ORDER BY '
    'article.imported_at DESC, article.id DESC'
)
"""The article list with each article's counts (app.services.articles on SQLite)."""

SETTING = (
    'SELECT setting.value \n'
    'FROM setting \n'
    'WHERE setting."key" = ?'
)
"""One workspace setting's value (app.services.settings on SQLite)."""

ARTICLE = (
    'SELECT article.id, article.title, article.text, article.text_hash, article.source_url, '
    'article.outlet, article.author, article.published, article.imported_at, article.version \n'
    'FROM article \n'
    'WHERE article.id = ?'
)
"""One article's details and text, in app.domain.Article's field order."""

ARTICLE_EXISTS = (
    'SELECT article.id \n'
    'FROM article \n'
    'WHERE article.id = ?'
)
"""Whether an article exists (its claims are read only then)."""

SEGMENTS = (
    'SELECT segment.start_offset, segment.end_offset, segment.kind, segment.speaker, segment.author, '
    'segment.date, segment.lang \n'
    'FROM segment \n'
    'WHERE segment.article_id = ? ORDER BY segment.start_offset'
)
"""An article's structure, in app.storage.rows.SEGMENT_COLUMNS' order."""

_SOURCES_WITH_LINKS = (
    'SELECT source.id, source.claim_id, source.url, source.title, source.publisher, source.note, '
    'source.accessed, source.kind, source.stance, source.passage, source.archived_url, source.version, '
    'source_link.source_id AS link_source_id, source_link.state AS link_state, '
    'source_link.detail AS link_detail, source_link.final_url AS link_final_url, '
    'source_link.checked_at AS link_checked_at, source_link.similarity AS link_similarity, '
    'source_link.snapshot_at AS link_snapshot_at, source_link.archive_url AS link_archive_url, '
    'source_link.archived_at AS link_archived_at \n'
)

SOURCES = (
    _SOURCES_WITH_LINKS
    + 'FROM source JOIN claim ON claim.id = source.claim_id LEFT OUTER JOIN source_link ON '
    'source_link.source_id = source.id \n'
    'WHERE claim.article_id = ? ORDER BY source.id'
)
"""The sources of an article's claims with their links' health (app.storage.rows.source_of)."""

REVISION_NUMBERS = (
    'SELECT article_revision.number, article_revision.imported_at \n'
    'FROM article_revision \n'
    'WHERE article_revision.article_id = ? ORDER BY article_revision.number'
)
"""Each revision's number and import time, oldest first."""

ARTICLE_IMPORTED = (
    'SELECT article.imported_at \n'
    'FROM article \n'
    'WHERE article.id = ?'
)
"""An article's import time (its one revision, for an article stored before revisions)."""

HISTORY = (
    'SELECT history.id, history.article_id, history.claim_id, history.entity, history.entity_id, '
    'history.field, history.old_value, history.new_value, history.actor, history.at, history.version \n'
    'FROM history \n'
    'WHERE history.claim_id = ? ORDER BY history.id'
)
"""A claim's history, oldest first (app.storage.rows.history_entry)."""

CLAIM_EXISTS = (
    'SELECT claim.id \n'
    'FROM claim \n'
    'WHERE claim.id = ?'
)
"""Whether a claim exists."""

EVIDENCE = (
    'SELECT evidence.id, evidence.claim_id, evidence.kind, evidence.left_label, evidence.left_url, '
    'evidence.left_text, evidence.right_label, evidence.right_url, evidence.right_text, '
    'evidence.similarity, evidence.summary, evidence.detail, evidence.mismatch, evidence.created_by, '
    'evidence.created_at \n'
    'FROM evidence \n'
    'WHERE evidence.claim_id = ? ORDER BY evidence.id'
)
"""A claim's saved evidence, oldest first (app.storage.rows.evidence)."""

LABELS = (
    'SELECT rating_label.id, rating_label.scale_key, rating_label."key", rating_label.name, '
    'rating_label.value, rating_label.colour, rating_label.final, rating_label.alternate_name, '
    'rating_label.position \n'
    'FROM rating_label ORDER BY rating_label.position, rating_label.id'
)
"""Every rating label, in their order."""

SCALES = (
    'SELECT rating_scale."key", rating_scale.name, rating_scale.free_text, rating_scale.position \n'
    'FROM rating_scale ORDER BY rating_scale.position'
)
"""Every rating scale, in their order."""

LAST_HISTORY = (
    'SELECT max(history.id) AS max_1 \n'
    'FROM history'
)
"""The newest history row's id (a change token)."""

VERSIONS = (
    'SELECT article.id, article.version \n'
    'FROM article ORDER BY article.id'
)
"""Every article's id and version (a change token)."""

SETTINGS = (
    'SELECT setting."key", setting.value \n'
    'FROM setting ORDER BY setting."key"'
)
"""Every setting (a change token)."""

JOBS_WAITING = (
    'SELECT count(*) AS count_1 \n'
    'FROM job'
)
"""How many source jobs wait in the queue."""

# -- the claim edit (app.storage.draft): the Workbench's on SQLite, and the first screen's -------------

CLAIM = _EVERY_CLAIM_COLUMN + 'WHERE claim.id = ?'
"""One claim, every column of the claim table, in CLAIMS' order."""

CLAIM_SOURCES = (
    _SOURCES_WITH_LINKS
    + 'FROM source LEFT OUTER JOIN source_link ON source_link.source_id = source.id \n'
    'WHERE source.claim_id = ? ORDER BY source.id'
)
"""One claim's sources with their links' health, as SOURCES reads an article's."""

HISTORY_SINCE = (
    'SELECT history.id, history.entity, history.field, history.actor, history.at \n'
    'FROM history \n'
    'WHERE history.claim_id = ? AND history.version > ? ORDER BY history.id'
)
"""A claim's history lines written after a version, oldest first (what a conflict check reads)."""

HISTORY_COLUMNS = ("article_id", "claim_id", "entity", "entity_id", "field", "old_value", "new_value", "actor", "at",
                   "version")
"""What a history line is written with (its id is the database's), in the history table's order."""

ADD_HISTORY = (
    f'INSERT INTO history ({", ".join(HISTORY_COLUMNS)}) VALUES ({", ".join("?" * len(HISTORY_COLUMNS))}) '
    'RETURNING id'
)
"""One history line, HISTORY_COLUMNS' values in their order; gives back its id."""


def claim_update(columns: frozenset[str]) -> str:
    """UPDATE claim SET (these columns, each a ?, in the table's order) WHERE id = ? AND version = ?:
    the edit's write, guarded by the version it read."""
    names = [name for name in CLAIM_COLUMNS if name in columns]
    if len(names) != len(columns):
        raise KeyError(f"the claim table has no column {sorted(columns - set(names))}")
    return f'UPDATE claim SET {", ".join(f"{name}=?" for name in names)} WHERE claim.id = ? AND claim.version = ?'
