"""Team mode's roles on a PostgreSQL server: three group roles and what each may do.

- claimdesk_reader: browse, search and export (SELECT only);
- claimdesk_researcher: a reader who also edits claims, verdicts and sources (cannot approve:
  the claim trigger of migration 0010 refuses an approval by a non-editor);
- claimdesk_editor: a researcher who can also approve (never their own verdict).

People are login roles made members of one group. `claimdesk team init` runs these statements
as the database's owner (after the migrations); `--print` shows them for an admin to run.
"""

from __future__ import annotations

from app.storage.postgres import EDITOR, READER, RESEARCHER

__all__ = ["EDITOR", "GROUPS", "READER", "RESEARCHER", "WRITTEN", "add_sql", "init_sql", "table_grants"]

GROUPS = (READER, RESEARCHER, EDITOR)
WRITTEN = ("article", "claim", "source", "segment", "rejected_suggestion", "setting", "claim_search", "evidence",
           "article_revision", "source_link", "snapshot_blob", "source_snapshot", "job",
           # kept by triggers on claim and article (0014): whoever writes those writes these
           "article_summary", "claim_tally")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def init_sql(database: str, written: tuple[str, ...] = WRITTEN) -> list[str]:
    """Idempotent: safe to run again after an upgrade adds tables."""
    create = " ".join(
        f"IF to_regrole('{g}') IS NULL THEN CREATE ROLE {g} NOLOGIN; END IF;" for g in GROUPS
    )
    return [
        f"DO $$ BEGIN {create} END $$",
        f"GRANT {READER} TO {RESEARCHER}",
        f"GRANT {RESEARCHER} TO {EDITOR}",
        f"GRANT CONNECT ON DATABASE {_ident(database)} TO {READER}",
        f"GRANT USAGE ON SCHEMA public TO {READER}",
        *table_grants(written),
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READER}",
    ]


def table_grants(written: tuple[str, ...], history: bool = True) -> list[str]:
    """What each group may do with the tables (of WRITTEN, those that exist; the history table if
    it does). The migrations run these again after every step on a team server, so a table an
    upgrade adds is usable at once, without `claimdesk team init`."""
    return [
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER}",
        *([f"GRANT INSERT, UPDATE, DELETE ON {', '.join(written)} TO {RESEARCHER}"] if written else []),
        # append-only: no UPDATE, no DELETE, for anyone
        *([f"GRANT INSERT ON history TO {RESEARCHER}"] if history else []),
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {RESEARCHER}",
    ]


def add_sql(login: str, group: str, password: str | None) -> list[str]:
    """A person: a login role in one group (created if missing)."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    secret = "" if password is None else " PASSWORD '" + password.replace("'", "''") + "'"
    name = _ident(login)
    return [
        f"DO $$ BEGIN IF to_regrole({_literal(name)}) IS NULL THEN CREATE ROLE {name} LOGIN; END IF; END $$",
        *([f"ALTER ROLE {name}{secret}"] if secret else []),
        *(f"REVOKE {g} FROM {name}" for g in GROUPS if g != group),
        f"GRANT {group} TO {name}",
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
