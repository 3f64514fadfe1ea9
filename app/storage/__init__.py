"""Persistence: SQLite through SQLAlchemy 2, schema through Alembic."""
