"""team mode: the server signs history and sign-offs, enforces the two-person rule, and notifies

On PostgreSQL only (SQLite is one person's file: the name typed is the name recorded):
- history rows and saved evidence get the session's login as their author, whatever the client sent;
- a verdict is signed by the login that set it; an approval by that same login, or by a login
  that is not in claimdesk_editor (when that role exists), is refused;
- every committed change NOTIFYs claimdesk_changes, so open windows refresh within a second.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: the logins the server wrote stay in
# the rows; only the triggers that write them go.
LOSES: tuple[tuple[str, str], ...] = ()


# The triggers as this revision makes them, written out rather than taken from app code, so that
# no later change there can change what this step creates (that takes a new revision). The names
# the runtime uses (app.storage.postgres: the channel, the editor role, the restoring setting) are
# held equal to these by tests/test_team.py.
CHANNEL = "claimdesk_changes"
EDITOR = "claimdesk_editor"
RESTORING = "claimdesk.restoring"

_RESTORING = (
    f"coalesce(current_setting('{RESTORING}', true), '') = 'on' AND pg_has_role(session_user,"
    " (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')"
)

TEAM = [
    # The session's login, not current_user: SET ROLE to a group would otherwise sign as the group.
    "CREATE FUNCTION claimdesk_history_actor() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF NOT ({_RESTORING}) THEN NEW.actor := session_user; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER history_actor BEFORE INSERT ON history"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_history_actor()",
    "ALTER TABLE history ALTER COLUMN actor SET DEFAULT session_user",
    # Saved evidence (a passage comparison, a figures check) is signed the same way.
    "CREATE FUNCTION claimdesk_evidence_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF NOT ({_RESTORING}) THEN NEW.created_by := session_user; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER evidence_author BEFORE INSERT ON evidence"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_evidence_author()",
    # A verdict and a sign-off are signed by the login; the two-person rule and the editor role
    # are checked here too, so a client that skips the services' checks is still refused.
    "CREATE FUNCTION claimdesk_claim_signatures() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" IF {_RESTORING} THEN RETURN NEW; END IF;"
    # A claim restored after a deletion keeps its signatures, but only an editor may bring
    # back an approved one.
    " IF TG_OP = 'UPDATE' AND NEW.verdict_by IS DISTINCT FROM OLD.verdict_by AND NEW.verdict_by <> '' THEN"
    "   NEW.verdict_by := session_user; END IF;"
    " IF NEW.state = 'approved' AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM 'approved') THEN"
    f"   IF to_regrole('{EDITOR}') IS NOT NULL AND NOT pg_has_role(session_user, '{EDITOR}', 'MEMBER') THEN"
    "     RAISE EXCEPTION '% is not an editor, so cannot approve claims', session_user"
    "       USING ERRCODE = 'insufficient_privilege'; END IF;"
    "   IF TG_OP = 'INSERT' THEN RETURN NEW; END IF;"
    "   IF lower(NEW.verdict_by) = lower(session_user) THEN"
    "     RAISE EXCEPTION '% set the verdict, so someone else must approve it', session_user"
    "       USING ERRCODE = 'insufficient_privilege'; END IF;"
    "   NEW.approved_by := session_user;"
    " ELSIF TG_OP = 'UPDATE' AND NEW.approved_by IS DISTINCT FROM OLD.approved_by AND NEW.approved_by <> '' THEN"
    "   RAISE EXCEPTION 'a sign-off is given by approving' USING ERRCODE = 'insufficient_privilege';"
    " END IF; RETURN NEW; END $$",
    "CREATE TRIGGER claim_signatures BEFORE INSERT OR UPDATE ON claim"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_claim_signatures()",
    # One notification per transaction: PostgreSQL folds equal ones, and sends them at commit.
    f"CREATE FUNCTION claimdesk_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$",
]
NOTIFIED = ("article", "claim", "source", "segment", "history", "setting", "rejected_suggestion", "evidence")
TEAM += [
    f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table}"
    " FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_notify()"
    for table in NOTIFIED
]
DROP_TEAM = [
    *(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}" for table in NOTIFIED),
    "DROP FUNCTION IF EXISTS claimdesk_notify()",
    "DROP TRIGGER IF EXISTS claim_signatures ON claim",
    "DROP FUNCTION IF EXISTS claimdesk_claim_signatures()",
    "DROP TRIGGER IF EXISTS evidence_author ON evidence",
    "DROP FUNCTION IF EXISTS claimdesk_evidence_author()",
    "ALTER TABLE history ALTER COLUMN actor DROP DEFAULT",
    "DROP TRIGGER IF EXISTS history_actor ON history",
    "DROP FUNCTION IF EXISTS claimdesk_history_actor()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in TEAM:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DROP_TEAM:
        op.execute(statement)
