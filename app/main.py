"""Composition root: paths -> engine -> migrate -> seed -> QApplication -> window. No work at import."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Literal


def main(argv: Sequence[str] | None = None) -> int:
    from app.startup import hold_collection, resume_collection

    hold_collection()  # before the imports: they are most of what a start allocates
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        window_db = _window_only(args)
        if window_db is not False:
            return run_window(window_db)  # resumes once the window's first frame is shown
        from app.cli_parser import build_parser

        parsed = build_parser().parse_args(args)
        if parsed.command or parsed.install_desktop_entry:
            resume_collection(freeze=False)
            from app import cli

            return cli.run(args)
        return run_window(parsed.db)
    finally:
        resume_collection(freeze=False)  # a start that ended early; nothing once resumed


def _window_only(args: list[str]) -> str | None | Literal[False]:
    """The database of a plain window start (`claimdesk`, `claimdesk --db PATH`, `--db=PATH`: what
    the desktop entry runs), which needs neither the command line's grammar (every command's
    parser: 7-15 ms) nor app.cli; False for anything else, which the parser reads as before.
    The answer is the parser's own for these forms (a test holds them equal)."""
    if not args:
        return None
    if len(args) == 1 and args[0].startswith("--db="):
        return args[0].removeprefix("--db=")
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return args[1]
    return False


def run_window(db: str | None) -> int:
    """Open the database and the window. Storage is set up before PySide6 is imported:
    measured, that order saves about a fifth of start-up.

    A SQLite desk at this build's schema and already seeded opens on the first screen's own
    reads (app.first_screen): SQLAlchemy, Alembic, the models and the services load after the
    window's first frame. Anything else (team mode, a first run, a migration or a sample to
    seed) takes the full path below, as it always has."""
    from app import paths

    first = _first_screen(db)
    if first is not None:
        from app.ui.application import run

        return run(first, db or paths.default_database())
    from app import cli
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
    from app import paths
    from app.first_screen import open_first_screen

    where = db or paths.default_database()

    def load(actor: str):  # type: ignore[no-untyped-def]
        from app import cli  # on the loading thread, after the first frame: the window never needs it before

        return cli.open_workbench(where, actor=actor, migrate=False)

    return open_first_screen(where, "", paths.seeds_dir().glob("*.txt"), load)


if __name__ == "__main__":
    sys.exit(main())
