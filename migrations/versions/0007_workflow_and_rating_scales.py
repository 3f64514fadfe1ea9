"""workflow state apart from the verdict; rating scales as data

The old single `status` mixed work (unverified, in progress) with verdicts. It becomes:
`state` (not_started, in_progress, in_review, approved) and `verdict_id`, a label of a
rating scale. Three scales ship as seed data. Every old verdict maps to the default scale,
and whoever last set it (from the history) becomes its `verdict_by`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001): the older release has one `status` per claim.
LOSES = (
    ("written conclusions", "SELECT count(*) FROM claim WHERE conclusion <> ''"),
    ("approvals", "SELECT count(*) FROM claim WHERE approved_by <> '' OR approved_at IS NOT NULL OR state = 'approved'"),
    ("verdict authors (verdict_by)", "SELECT count(*) FROM claim WHERE verdict_by <> ''"),
    # A state comes back by itself only where the upgrade derives it from the old status.
    ("workflow states", "SELECT count(*) FROM claim WHERE NOT ((verdict_id IS NULL AND state IN ('not_started',"
     " 'in_progress')) OR (verdict_id IS NOT NULL AND state = 'in_review'))"),
    ("verdicts the older release has no label for (mostly true, other scales)",
     "SELECT count(*) FROM claim WHERE verdict_id IS NOT NULL AND verdict_id NOT IN (1, 3, 4, 5, 6)"),
    ("rating scales or labels of your own",
     "SELECT (SELECT count(*) FROM rating_label WHERE id > 12)"
     " + (SELECT count(*) FROM rating_scale WHERE key NOT IN ('default', 'politifact', 'conclusion'))"),
)

# (scale key, name, free text?)
SCALES = [
    ("default", "Claimdesk default", False),
    ("politifact", "PolitiFact-style Truth-O-Meter", False),
    ("conclusion", "Written conclusion (Full Fact style)", True),
]
# (id, scale, key, name, value, colour, final, ClaimReview alternateName). Ids are fixed so that
# old statuses map to them, and so a label means the same in every workspace database.
LABELS = [
    (1, "default", "verified", "Verified", 5, "#bfe8c3", True, "True"),
    (2, "default", "mostly_true", "Mostly true", 4, "#dcefc0", True, "Mostly true"),
    (3, "default", "misleading", "Misleading", 3, "#e9cdf5", True, "Misleading"),
    (4, "default", "disputed", "Disputed", 2, "#ffd2a1", True, "Disputed"),
    (5, "default", "false", "False", 1, "#f7b0b0", True, "False"),
    (6, "default", "unverifiable", "Unverifiable", None, "#d9d9d9", True, "Unverifiable"),
    (7, "politifact", "true", "True", 6, "#bfe8c3", True, "True"),
    (8, "politifact", "mostly_true", "Mostly True", 5, "#dcefc0", True, "Mostly True"),
    (9, "politifact", "half_true", "Half True", 4, "#fff1a8", True, "Half True"),
    (10, "politifact", "mostly_false", "Mostly False", 3, "#ffd2a1", True, "Mostly False"),
    (11, "politifact", "false", "False", 2, "#f7b0b0", True, "False"),
    (12, "politifact", "pants_on_fire", "Pants on Fire!", 1, "#f08c8c", True, "Pants on Fire"),
]
OLD_VERDICTS = {"verified": 1, "misleading": 3, "disputed": 4, "false": 5, "unverifiable": 6}


def upgrade() -> None:
    scale = op.create_table('rating_scale',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('free_text', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rating_scale'))
    )
    label = op.create_table('rating_label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scale_key', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('colour', sa.String(length=9), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('alternate_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['scale_key'], ['rating_scale.key'], name=op.f('fk_rating_label_scale_key_rating_scale'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_label')),
    sa.UniqueConstraint('scale_key', 'key', name=op.f('uq_rating_label_scale_key'))
    )
    op.bulk_insert(scale, [
        {"key": k, "name": n, "free_text": f, "position": i} for i, (k, n, f) in enumerate(SCALES)
    ])
    op.bulk_insert(label, [
        {"id": i, "scale_key": s, "key": k, "name": n, "value": v, "colour": c, "final": f,
         "alternate_name": a, "position": i}
        for i, s, k, n, v, c, f, a in LABELS
    ])

    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=16), nullable=False, server_default='not_started'))
        batch_op.add_column(sa.Column('verdict_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('conclusion', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('verdict_by', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_claim_verdict_id'), ['verdict_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_claim_verdict_id_rating_label'), 'rating_label', ['verdict_id'], ['id'], ondelete='RESTRICT')

    # A claim with a verdict was worked on; it waits for the second look this release adds.
    op.execute("UPDATE claim SET state = 'in_progress' WHERE status <> 'unverified'")
    for status, label_id in OLD_VERDICTS.items():
        op.execute(f"UPDATE claim SET verdict_id = {label_id}, state = 'in_review' WHERE status = '{status}'")
    op.execute(
        "UPDATE claim SET verdict_by = coalesce((SELECT h.actor FROM history h WHERE h.claim_id = claim.id"
        " AND h.field = 'status' ORDER BY h.id DESC LIMIT 1), '') WHERE verdict_id IS NOT NULL"
    )

    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_column('status')


def downgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.VARCHAR(length=32), nullable=False, server_default='unverified'))
    op.execute("UPDATE claim SET status = 'in_progress' WHERE state <> 'not_started'")
    for status, label_id in OLD_VERDICTS.items():
        op.execute(f"UPDATE claim SET status = '{status}' WHERE verdict_id = {label_id}")
    # The older release has no "mostly true" nor other scales: the nearest it knows.
    op.execute("UPDATE claim SET status = 'verified' WHERE verdict_id IN (2, 7, 8)")
    op.execute("UPDATE claim SET status = 'disputed' WHERE verdict_id = 9")
    op.execute("UPDATE claim SET status = 'false' WHERE verdict_id IN (10, 11, 12)")
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_claim_verdict_id_rating_label'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_claim_verdict_id'))
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('verdict_by')
        batch_op.drop_column('conclusion')
        batch_op.drop_column('verdict_id')
        batch_op.drop_column('state')
    op.drop_table('rating_label')
    op.drop_table('rating_scale')
