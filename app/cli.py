"""The command line: the same services as the window, and no Qt imported."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.cli_parser import CLAIM_HELP, EXPORT_FORMATS, build_parser  # noqa: F401 (the CLI's public names)
from app.domain import Anchor, Claim, Rating, RatingScale, State, clip
from app.domain.errors import USER_ERRORS, Conflict, NotAllowed, ValidationError
from app.domain.sensitivity import Sensitivity

if TYPE_CHECKING:
    from app.cli_import import ReadAhead

EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 3


_CLAIM_REF = re.compile(r"\s*(\d+)\s*#\s*(\d+)\s*")
_NUMBER = re.compile(r"\s*#?\s*(\d+)\s*")


def resolve_claim(bench, ref: str, article: int | None) -> int:  # type: ignore[no-untyped-def]
    """The database id of the claim a user named: "3#5", "5" with --article 3, or an id."""
    if m := _CLAIM_REF.fullmatch(ref):
        if article is not None and article != int(m.group(1)):
            raise ValidationError(f"{ref.strip()} is a claim of article {m.group(1)}, not of --article {article}.")
        return int(bench.claim_by_number(int(m.group(1)), int(m.group(2))).id)
    if m := _NUMBER.fullmatch(ref):
        if article is not None:
            return int(bench.claim_by_number(article, int(m.group(1))).id)
        if ref.strip().startswith("#"):
            raise ValidationError(f"Which article's claim {ref.strip()}? Write ARTICLE#NUMBER (3#5) or add --article ID.")
        return int(m.group(1))
    raise ValidationError(f"{ref.strip()!r} names no claim: write ARTICLE#NUMBER (3#5), NUMBER --article ID, or an id.")


def claim_name(claim: Claim) -> str:
    """A claim as the command line names it: ARTICLE#NUMBER, or its id before it had a number."""
    return f"{claim.article_id}#{claim.number}" if claim.number else str(claim.id)


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except USER_ERRORS as exc:  # bad input, a record gone, the database in the way, a conflict
        _fail(str(exc).strip("'\""))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: one line on screen, the traceback in a log file
        from app.logs import bug_line

        log = _log_crash()
        _fail(f"internal error: {bug_line(exc)} (details in {log})")
        return EXIT_INTERNAL_ERROR


def _bench(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    bench = open_workbench(args.db, actor=args.actor or ("" if is_team(args.db) else default_actor()))
    if args.actor and bench.actor != args.actor:
        raise NotAllowed(f"On a team database changes are signed by your login, {bench.actor};"
                         f" you cannot act as {args.actor}.")
    return bench


def _dispatch(args: argparse.Namespace) -> int:
    if args.install_desktop_entry:
        from app.desktop import install_desktop_entry

        for written in install_desktop_entry():
            print(written)
        return 0
    if args.command == "detect":
        return _detect(args)
    if args.command == "eval":
        return _eval(args)
    if args.command == "team":
        return _team(args)
    if args.command == "copy":
        return _copy(args.source, args.target)
    if args.command == "db":
        return _db(args)
    if args.command == "import":  # the file is read (and its claims found) while the database opens
        from app import cli_import

        with cli_import.ReadAhead(args.source) as ahead:
            bench = _bench(args)
            try:
                return _import(bench, args.source, args.revision_of, ahead)
            finally:
                cli_import.done(bench)  # the database let go of now, and the exit's teardown spared
    bench = _bench(args)
    try:
        return _on_database(bench, args)
    finally:
        bench.close()  # the command lets go of the database when it ends, as its process would


def _on_database(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Every command that works on the open database."""
    if isinstance(getattr(args, "claim_id", None), str):
        args.claim_id = resolve_claim(bench, args.claim_id, args.article)
    if args.command == "article":
        return _article(bench, args)
    if args.command == "articles":
        return _listing(bench.articles(), args.json, lambda a: f"{a.id:>5}  {a.resolved_count:>3}/{a.claim_count:<3}  {a.title}")
    if args.command == "claims":
        return _claims(bench, args.article_id, args.json, args.k if args.with_matches else 0)
    if args.command == "match":
        from app.cli_match import match_command

        return match_command(bench, args, _print_json)
    if args.command == "review":
        return _review(bench, args)
    if args.command == "scale":
        return _scale(bench, args.key, args.json)
    if args.command == "export":
        return _export(bench, args)
    if args.command in ("compare", "numbers", "refs"):
        from app.cli_evidence import compare_command, numbers_command, refs_command

        command = {"compare": compare_command, "numbers": numbers_command, "refs": refs_command}[args.command]
        return command(bench, args, _print_json, _jsonable)
    if args.command == "sources":
        from app.cli_sources import sources_command

        return sources_command(bench, args, _print_json, _jsonable)
    if args.command == "overview":
        return _overview(bench, args)
    if args.command == "history":
        return _listing(
            bench.history(args.claim_id), args.json, lambda e: f"{e.at:%Y-%m-%d %H:%M}  {e.actor:<16} {e.describe()}"
        )
    raise AssertionError(args.command)


def _overview(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from app.export.overview import render_overview_html, render_overview_json
    from app.files import write_atomically

    overview = bench.overview()
    if args.format == "html":
        text = render_overview_html(overview, organisation=bench.setting("organisation"))
    else:
        text = render_overview_json(overview)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_atomically(Path(args.output).expanduser(), text)
    print(args.output)
    return 0


def _article(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Show an article's details, after changing those the options give."""
    article = bench.article(args.article_id)
    edits = {"title": args.title, "outlet": args.outlet, "author": args.author, "source_url": args.url}
    if any(value is not None for value in edits.values()) or args.date is not None:
        published = None
        if args.date:
            try:
                published = date.fromisoformat(args.date.strip())
            except ValueError:
                raise ValidationError(f"--date takes a date as YYYY-MM-DD, not {args.date!r}.") from None
        article, _changes = bench.update_article(
            article.id, **edits, published=published, clear_published=args.date is not None and not published,
            expected_version=article.version,
        )
    details = {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "url": article.source_url,
        "date": article.published.isoformat() if article.published else "",
        "version": article.version,
    }
    if args.json:
        _print_json(details)
    else:
        for key, value in details.items():
            print(f"{key + ':':<9}{value}")
    return 0


def _listing(items: Sequence[Any], as_json: bool, line: Any) -> int:
    """Records as JSON for scripts, or one line each for people."""
    if as_json:
        _print_json([_jsonable(asdict(item)) for item in items])
    else:
        for item in items:
            print(line(item))
    return 0


def is_team(db: str | None) -> bool:
    """A PostgreSQL database: the server says who is acting (its login), not a typed name."""
    from app.storage.engine import database_url, is_postgresql

    return is_postgresql(database_url(db or paths.default_database()))


def _team(args: argparse.Namespace) -> int:
    from app.storage import team
    from app.storage.engine import database_url, make_engine
    from app.storage.migrate import migrate

    url = database_url(args.db or paths.default_database())
    if not is_team(args.db):
        raise ValidationError("Team mode needs a PostgreSQL database: --db postgresql://user@host/database.")
    if args.team_command == "init":
        statements = team.init_sql(url.database or "")
    else:
        password = None
        if args.password_env:
            password = os.environ.get(args.password_env)
            if not password:
                raise ValidationError(f"The environment variable {args.password_env} is empty.")
        statements = team.add_sql(args.login, f"claimdesk_{args.group}", password)
    if args.print_sql:
        print("\n".join(s + ";" for s in statements))
        return 0
    engine = make_engine(str(args.db or paths.default_database()))
    if args.team_command == "init":
        migrate(engine)
    from app.storage.database import Database
    from app.storage.engine import make_sessions

    with Database(make_sessions(engine)).write() as s:
        for statement in statements:
            s.connection().exec_driver_sql(statement)
    if args.team_command == "init":
        print(f"Team roles ready on {url.database}: claimdesk_editor, claimdesk_researcher, claimdesk_reader.")
    else:
        print(f"{args.login} can now log in as a claimdesk_{args.group}.")
    return 0


def _copy(source: str, target: str) -> int:
    from app.storage.copy import copy_archive
    from app.storage.engine import make_engine
    from app.storage.migrate import migrate

    from_engine, to_engine = make_engine(source), make_engine(target)
    migrate(from_engine)
    migrate(to_engine)
    copied = copy_archive(from_engine, to_engine)
    rows = {c.table: c.rows for c in copied}
    print(f"Copied {rows['article']} articles, {rows['claim']} claims, {rows['source']} sources and"
          f" {rows['history']} history entries; every table's count and hash match.")
    return 0


def _db(args: argparse.Namespace) -> int:
    """claimdesk db downgrade REVISION [--force]: one line of what happened, the backup's path."""
    from app.domain.errors import StorageError
    from app.storage.engine import database_file, describe, make_engine
    from app.storage.migrate import downgrade

    db = str(args.db or paths.default_database())
    engine = make_engine(db)
    where = describe(engine.url)
    path = database_file(engine.url)
    if path is not None and not path.exists():  # never create an empty file just to refuse it
        raise StorageError(f"There is no database at {where}.")
    try:
        result = downgrade(engine, args.revision, force=args.force)
    finally:
        engine.dispose()
    if result.from_revision == result.to_revision:
        print(f"The database at {where} is already at revision {result.to_revision}.")
        return 0
    print(f"The database at {where} is now at revision {result.to_revision} (it was at {result.from_revision}).")
    if result.lost:
        print(f"Dropped: {'; '.join(result.lost)}.")
    if result.backup is not None:
        print(f"A copy of the database as it was: {result.backup}")
    return 0


def default_actor() -> str:
    return os.environ.get("CLAIMDESK_REVIEWER") or getpass.getuser()


def open_workbench(db: str | None, actor: str = "", *, migrate: bool = True):  # type: ignore[no-untyped-def]
    """Engine, migration and services for `db` (default: the user's database). `migrate=False`:
    the caller has seen the schema at head (app.first_screen), so nothing is checked again."""
    from app.services import Workbench
    from app.storage import migrate as schema
    from app.storage.engine import make_engine, make_sessions

    engine = make_engine(db or paths.default_database())
    if migrate:
        try:
            schema.migrate(engine)
        except BaseException:
            engine.dispose()  # refused (damaged, newer, locked): nothing is left open behind the line
            raise
    return Workbench(make_sessions(engine), actor=actor)


def _detect(args: argparse.Namespace) -> int:
    from app.detection import detect_claims
    from app.ingest import read_file

    imported = read_file(args.file)
    line = args.min_score if args.min_score is not None else Sensitivity.parse(args.sensitivity).threshold
    # The importer's segments carry each paragraph's language, as an import into the window does.
    claims = detect_claims(imported.text, segments=imported.segments or None, min_score=line)
    if args.json:
        _print_json(
            {
                "text": imported.text,
                "claims": [
                    {
                        "start": c.start,
                        "end": c.end,
                        "quote": c.quote,
                        "kind": str(c.kind),
                        "score": round(c.score, 3),
                        "lang": c.lang,
                        "speaker": c.speaker,
                        "from_comment": c.from_comment,
                    }
                    for c in claims
                ],
            }
        )
    else:
        for c in claims:
            print(f"{c.start:>6}-{c.end:<6} {c.kind:<13} {c.score:.2f}  {clip(c.quote, 70)}")
        print(f"{len(claims)} claims", file=sys.stderr)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from app.detection import detect_claims
    from app.detection.evaluate import evaluate, format_report
    from app.ingest import read_file

    if args.gold.suffix.lower() in (".tsv", ".txt", ".tab"):
        return _eval_sentences(args)
    try:
        gold = json.loads(args.gold.read_text("utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"{args.gold}: no such file.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{args.gold} is not a JSON gold file: {exc}") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("claims"), list):
        raise ValidationError(f"{args.gold} has no list of \"claims\"; see ../shared/fixtures/seed_claims.json.")
    text_file = args.text
    if text_file is None:
        name = str(gold.get("article") or "")
        candidates = [args.gold.parent / name, paths.seeds_dir() / name] if name else []
        text_file = next((c for c in candidates if c.is_file()), None)
        if text_file is None:
            raise ValidationError(f"{args.gold} names no article file that exists; give one with --text FILE.")
    text = read_file(text_file).text
    claims = detect_claims(text, min_score=args.min_score if args.min_score is not None else Sensitivity.NORMAL.threshold)
    print(format_report(evaluate(text, gold, claims)))
    return 0


def _eval_sentences(args: argparse.Namespace) -> int:
    from app.detection.evaluate import evaluate_sentences, format_sentence_report, read_labelled

    try:
        rows = read_labelled(args.gold.read_text("utf-8").splitlines())
    except FileNotFoundError:
        raise ValidationError(f"{args.gold}: no such file.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"{args.gold} is not a TSV of id, text and label: {exc}") from None
    if not rows:
        raise ValidationError(f"{args.gold} has no labelled sentences.")
    print(format_sentence_report(evaluate_sentences(rows, args.min_score)))
    return 0


def _import(bench, source: str, revision_of: int | None = None, ahead: ReadAhead | None = None) -> int:  # type: ignore[no-untyped-def]
    """The new article's id on stdout (for scripts); what was found on stderr (for people). A new
    version of an article already here (--revision-of, or the same link) is its next revision."""
    from app import cli_import, cli_revisions

    ahead = ahead or cli_import.ReadAhead(source)
    imported = ahead.imported()
    existing = bench.find_by_hash(imported.text)
    revised = cli_revisions.target(bench, imported, revision_of) if existing is None else None
    if revised is not None:
        return cli_revisions.import_revision(bench, revised, imported)
    if existing is not None:
        from app.ingest.model import printable  # a link or file name may carry terminal escapes

        print(printable(f"claimdesk: {source} is already in the database as article {existing.id};"
                        " not imported again."), file=sys.stderr)
        print(existing.id)
        return 0
    from app.detection.detector import stopped_early  # loaded while the child still detects

    article, changes = bench.add_article(imported, detected=ahead.detected())
    print(article.id)
    count = len(changes.claims_added)  # every claim of the new article: counted, not read back
    note = stopped_early(imported.text, count)
    segments = imported.segments or bench.segments(article.id)  # add_article stores imported.segments as they are
    print(describe_import(article.title, segments, count) + (f" ({note})" if note else ""), file=sys.stderr)
    return 0


def describe_import(title: str, segments, claims: int) -> str:  # type: ignore[no-untyped-def]
    """Title, what the structure holds, and the languages by their share of the text."""
    counts = Counter(g.kind.value for g in segments)
    # "furniture" has no plural: the page's comment widgets, dates, buttons.
    plural = {"furniture": "furniture", "body": "bodies"}
    parts = [f"{n} {kind}" if n == 1 else f"{n} {plural.get(kind, kind + 's')}" for kind, n in counts.items()]
    sizes: Counter[str] = Counter()
    for g in segments:
        if g.lang:
            sizes[g.lang] += g.end - g.start
    total = sum(sizes.values()) or 1
    langs = ", ".join(f"{lang} {100 * n / total:.0f}%" for lang, n in sizes.most_common())
    from app.ingest.model import printable  # a title from a file may carry terminal escapes

    return printable(
        f"“{title}”: {', '.join(parts) or 'no segments'}; languages: {langs or 'not detected'}; {claims} suggested claims"
    )


def _claims(bench, article_id: int, as_json: bool, matches: int = 0) -> int:  # type: ignore[no-untyped-def]
    """One line each: public number, state, verdict (starred when not on the workspace's scale),
    kind, quote, and the database id; with `matches`, each claim's earlier checks under it."""
    claims, scale = bench.claims(article_id), bench.scale()
    found = {}
    if matches:
        from app.cli_match import claims_with_matches, match_line

        rows = [{**_jsonable(asdict(c)), "on_scale": c.on_scale(scale)} for c in claims] if as_json else None
        found = claims_with_matches(bench, claims, matches, _print_json if as_json else None, rows)
        if as_json:
            return 0
    if as_json:
        _print_json([{**_jsonable(asdict(c)), "on_scale": c.on_scale(scale)} for c in claims])
        return 0
    for c in claims:
        verdict = clip(c.verdict_name, 18) + ("" if c.on_scale(scale) else " *")
        number = f"{c.article_id}#{c.number}" if c.number else str(c.id)
        anchor = "" if c.anchor is Anchor.ANCHORED else f"  [{c.anchor.label}]"
        print(f"{number:>7}  {c.state.label:<12} {verdict or '-':<20} {c.kind.label:<14} {clip(c.quote, 60)}"
              f"  (id {c.id}){anchor}")
        for check in found.get(c.id, ()):
            print(match_line(check, indent="    earlier "))
    off = sum(1 for c in claims if not c.on_scale(scale))
    if off:
        print(f"* {off} verdict{'s are' if off != 1 else ' is'} not on the workspace's scale ({scale.name});"
              " change them before approval", file=sys.stderr)
    return 0


def _verdict_on(scale: RatingScale, label: str) -> Rating | None:
    """The rating a user typed, by key or name; None for "none" (clear it)."""
    if label.strip().lower() == "none":
        return None
    if scale.free_text:
        raise ValidationError(f"The {scale.name} scale has no labels; write the verdict with --conclusion TEXT.")
    rating = scale.rating(label.strip())
    if rating is None:
        choices = ", ".join(r.key for r in scale.labels)
        raise ValidationError(f"There is no verdict {label!r} on the {scale.name} scale; choose one of: {choices}.")
    return rating


def _review(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    """Verdict and text first, then sources, then the state, and the approval last, so one
    command can take a claim from a verdict to review. Each step is one transaction."""
    from app.domain.validate import source_url

    sources = getattr(args, "sources", None) or []
    for s in sources:  # check every link and label before writing anything
        source_url(s["url"])
        if s.get("archived_url"):
            source_url(s["archived_url"], archive=True)
    # Only what was typed: update_claim leaves out a field it is not given (verdict=None clears).
    changes: dict[str, Any] = {
        k: v for k, v in (("conclusion", args.conclusion), ("summary", args.summary), ("notes", args.notes))
        if v is not None
    }
    if args.verdict is not None:
        changes["verdict"] = _verdict_on(bench.scale(), args.verdict)
    state = State(args.state) if args.state else None
    reason = args.reason or ""
    claim = bench.claim(args.claim_id)
    # Every step says what it read: a change by someone else between this read and a write
    # to the same field is a conflict (exit 1, one line), never silently overwritten.
    version = claim.version if args.if_version is None else args.if_version
    written = False
    if changes:
        claim, _ = bench.update_claim(claim.id, reason=reason, expected_version=version, **changes)
        written = True
    for s in sources:
        fields = {k: v for k, v in s.items() if k != "url"}
        bench.add_source(claim.id, s["url"], reason=reason, **fields)
        written = True
    try:
        if state is not None and state is not State.APPROVED:
            claim, _ = bench.update_claim(claim.id, state=state, reason=reason, expected_version=version)
            written = True
        elif reason and not written:  # --reason alone: take the approved claim back to review
            claim, _ = bench.reopen(claim.id, reason)
        if state is State.APPROVED:
            bench.approve(claim.id, expected_version=version)
    except (ValidationError, Conflict):
        if written:  # say what was saved before the step was refused
            print(_describe(bench.claim(claim.id), bench.scale()))
        raise
    print(_describe(bench.claim(claim.id), bench.scale()))
    return 0


def _describe(claim: Claim, scale: RatingScale) -> str:
    """claim 3#5: Approved by ben, verdict False, 2 source(s)"""
    state = f"Approved by {claim.approved_by}" if claim.locked and claim.approved_by else claim.state.label
    if not claim.has_verdict:
        verdict = "no verdict"
    elif claim.verdict is not None:
        verdict = f"verdict {claim.verdict.name}"
    else:
        verdict = f"verdict “{clip(claim.conclusion, 40)}”"
    if claim.has_verdict and not claim.on_scale(scale):
        verdict += f" (not on the {scale.name} scale)"
    return f"claim {claim_name(claim)}: {state}, {verdict}, {len(claim.sources)} source(s)"


def _scale(bench, key: str | None, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    """No key: every scale with its labels, the workspace's starred. A key: switch to it."""
    if key is not None:
        scale = bench.set_scale(key)
        flagged = sum(
            1 for a in bench.articles() for c in bench.claims(a.id) if c.has_verdict and not c.on_scale(scale)
        )
        if as_json:
            _print_json({"scale": scale.key, "name": scale.name, "flagged": flagged})
        else:
            print(f"The workspace now rates on {scale.name} ({scale.key}); "
                  f"{flagged} claim{'s' if flagged != 1 else ''} flagged with a verdict not on it.")
        return 0
    current = bench.scale().key
    scales = bench.scales()
    if as_json:
        _print_json([
            {"key": sc.key, "name": sc.name, "free_text": sc.free_text, "current": sc.key == current,
             "labels": [{"key": r.key, "name": r.name, "final": r.final} for r in sc.labels]}
            for sc in scales
        ])
        return 0
    for sc in scales:
        print(f"{'*' if sc.key == current else ' '} {sc.key:<12} {sc.name}")
        if sc.free_text:
            print(f"{'':<16}(no labels: the verdict is written with --conclusion)")
        for r in sc.labels:
            print(f"{'':<16}{r.key:<16} {r.name}")
    return 0


def _export(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from app.export import build_report, write_report

    article = bench.article(args.article_id)
    include = "approved" if args.only_approved else "resolved" if args.only_resolved else "all"
    report = build_report(article, bench.claims(article.id), include=include, scales=bench.scales(),
                          evidence=bench.article_evidence(article.id), structure=bench.segments(article.id))
    for key, value in (("report_url", args.report_url), ("organisation", args.organisation)):
        if value is not None:
            bench.set_setting(key, value)
    if args.format == "pdf":
        from app.ui.pdf import write_pdf  # Qt only for PDF: the rest of the CLI never loads it

        pages = write_pdf(report, args.output, page_size=args.page_size)
        print(f"{args.output} ({pages} pages)")
        return 0
    write_report(report, args.format, args.output, report_url=bench.setting("report_url"),
                 organisation=bench.setting("organisation"))
    print(args.output)
    return 0


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _fail(message: str) -> None:
    from app.ingest.model import printable  # file names and links may carry terminal escapes

    print(f"claimdesk: {printable(message)}", file=sys.stderr)


def _log_crash() -> Path | str:
    """The traceback of the bug being handled, to the log file; where it went."""
    from app.logs import log_bug

    kind, error, tb = sys.exc_info()
    assert kind is not None and error is not None
    return log_bug(kind, error, tb) or "(the log could not be written)"
