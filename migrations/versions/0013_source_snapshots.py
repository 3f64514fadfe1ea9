"""sources that last: local snapshots, link checks, web archive copies and a job queue

New tables only: nothing existing is copied or rewritten. Snapshots are kept in the database
(compressed, content-addressed by SHA-256), so a team server holds them for every desk and a
backup or `claimdesk copy` takes them along.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 06:40:50.304075
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# What a downgrade past this revision drops (see 0001).
LOSES = (
    ("local snapshots of source pages", "SELECT count(*) FROM source_snapshot"),
    ("link checks and web archive copies recorded for source links",
     "SELECT count(*) FROM source_link WHERE state <> '' OR archive_url <> ''"),
    ("background jobs still waiting (snapshots, link checks, archive copies)", "SELECT count(*) FROM job"),
)


def upgrade() -> None:
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    sa.UniqueConstraint('kind', 'target', name=op.f('uq_job_kind'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_next_try'), ['next_try'], unique=False)

    op.create_table('snapshot_blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_snapshot_blob'))
    )
    op.create_table('source_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('final_url', sa.String(length=2000), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['snapshot_blob.sha256'], name=op.f('fk_source_snapshot_sha256_snapshot_blob'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_snapshot'))
    )
    with op.batch_alter_table('source_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_snapshot_sha256'), ['sha256'], unique=False)
        batch_op.create_index('ix_source_snapshot_source', ['source_id', 'id'], unique=False)

    op.create_table('source_link',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('final_url', sa.String(length=2000), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('live_text', sa.Text(), nullable=False),
    sa.Column('snapshot_at', sa.DateTime(), nullable=True),
    sa.Column('archive_url', sa.String(length=2000), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_link_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_source_link'))
    )


def downgrade() -> None:
    op.drop_table('source_link')
    with op.batch_alter_table('source_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_source_snapshot_source')
        batch_op.drop_index(batch_op.f('ix_source_snapshot_sha256'))

    op.drop_table('source_snapshot')
    op.drop_table('snapshot_blob')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_next_try'))

    op.drop_table('job')
