"""Composition root: paths -> engine -> migrate -> seed -> QApplication -> window. No work at import."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from app.startup import hold_collection, resume_collection

    hold_collection()  # before the imports: they are most of what a start allocates
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        from app import cli

        parsed = cli.build_parser().parse_args(args)
        if parsed.command or parsed.install_desktop_entry:
            resume_collection(freeze=False)
            return cli.run(args)
        return run_window(parsed.db)  # resumes once the window's first frame is shown
    finally:
        resume_collection(freeze=False)  # a start that ended early; nothing once resumed


def run_window(db: str | None) -> int:
    """Open the database and the window. Storage is set up before PySide6 is imported:
    measured, that order saves about a fifth of start-up.

    A SQLite desk at this build's schema and already seeded opens on the first screen's own
    reads (app.first_screen): SQLAlchemy, Alembic, the models and the services load after the
    window's first frame. Anything else (team mode, a first run, a migration or a sample to
    seed) takes the full path below, as it always has."""
    from app import cli, paths

    first = _first_screen(db)
    if first is not None:
        from app.ui.application import run

        return run(first, db or paths.default_database())
    from app.domain.errors import UserError
    from app.ingest import IngestError
    from app.storage.errors import StorageError

    try:
        bench = cli.open_workbench(db, actor="")
    except UserError as exc:  # StorageError, or NotAllowed from a team server
        print(f"claimdesk: {exc}", file=sys.stderr)
        from app.ui.application import show_fatal

        show_fatal(str(exc))
        return cli.EXIT_USER_ERROR
    try:
        if not cli.is_team(db):  # the sample is for one person's first run, not a newsroom's archive
            bench.seed(paths.seeds_dir().glob("*.txt"))
    except (IngestError, StorageError, OSError) as exc:  # a missing sample must not keep the window shut
        print(f"claimdesk: the sample article could not be loaded: {exc}", file=sys.stderr)
    from app.ui.application import run

    return run(bench, db or paths.default_database())


def _first_screen(db: str | None):  # type: ignore[no-untyped-def]
    from app import cli, paths
    from app.first_screen import open_first_screen

    where = db or paths.default_database()
    return open_first_screen(where, "", paths.seeds_dir().glob("*.txt"),
                             lambda actor: cli.open_workbench(where, actor=actor, migrate=False))


if __name__ == "__main__":
    sys.exit(main())
