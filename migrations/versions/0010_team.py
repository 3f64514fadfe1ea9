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

from app.storage import postgres

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# A downgrade past this revision drops nothing of the user's: the logins the server wrote stay in
# the rows; only the triggers that write them go.
LOSES: tuple[tuple[str, str], ...] = ()


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in postgres.TEAM:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in postgres.DROP_TEAM:
        op.execute(statement)
