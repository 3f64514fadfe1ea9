"""The command line: the same services as the window, and no Qt imported."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app import paths
from app.domain import Kind, SourceKind, Stance, Status, clip
from app.domain.validate import ValidationError
from app.ingest import IngestError
from app.storage.errors import NotFound, StorageError

EXIT_USER_ERROR = 1
EXPORT_FORMATS = ("html", "pdf", "md", "json", "csv", "claimreview")  # app.export.FORMATS, without importing it
EXIT_INTERNAL_ERROR = 3


# --source-X option -> add_source() keyword
_SOURCE_FIELDS = {
    "--source-title": "title",
    "--source-publisher": "publisher",
    "--source-kind": "kind",
    "--source-stance": "stance",
    "--source-passage": "passage",
    "--source-archive": "archived_url",
    "--source-note": "note",
}


class _SourceAction(argparse.Action):
    """--source URL starts a source; the --source-* options after it describe that source."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        sources: list[dict[str, str]] = list(getattr(namespace, "sources", None) or [])
        if option_string == "--source":
            sources.append({"url": str(values)})
        elif not sources:
            parser.error(f"{option_string} must follow a --source URL")
        else:
            sources[-1][_SOURCE_FIELDS[str(option_string)]] = str(values)
        namespace.sources = sources


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimdesk",
        description="Find the claims in an article, review them, export a fact-check report."
        " With no command, opens the window.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or sqlite:/// URL (default: $CLAIMDESK_DB, else claimdesk.sqlite3"
        " in the user's data folder)",
    )
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="who is making the changes, for the history (default: $CLAIMDESK_REVIEWER, else your login name)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import an article (.txt, .md, .html, .docx or an http(s) link), detect its claims")
    p.add_argument("source", metavar="FILE_OR_URL")

    p = sub.add_parser("detect", help="print the claims detected in a file (uses no database)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON: the text and the claims with offsets")

    p = sub.add_parser("eval", help="score the detector against a gold file of claims (uses no database)")
    p.add_argument("gold", type=Path, metavar="GOLD.json")
    p.add_argument("--text", type=Path, metavar="FILE", help="the article (default: the gold file's 'article')")

    p = sub.add_parser("articles", help="list the articles in the database")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("claims", help="list an article's claims")
    p.add_argument("article_id", type=int)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("review", help="set a claim's status, verdict summary, notes and sources")
    p.add_argument("claim_id", type=int)
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument("--summary", help="the verdict summary")
    p.add_argument("--note", dest="notes", help="notes on the claim (replaces earlier notes)")
    p.add_argument("--source", action=_SourceAction, metavar="URL", help="add a source link (http/https)")
    p.add_argument("--source-title", action=_SourceAction, metavar="TITLE", help="title of the preceding --source")
    p.add_argument("--source-publisher", action=_SourceAction, metavar="NAME", help="who published it")
    p.add_argument("--source-kind", action=_SourceAction, choices=[k.value for k in SourceKind], help="what it is")
    p.add_argument("--source-stance", action=_SourceAction, choices=[s.value for s in Stance],
                   help="whether it supports or refutes the claim, or gives context")
    p.add_argument("--source-passage", action=_SourceAction, metavar="TEXT", help="the passage quoted from it")
    p.add_argument("--source-archive", action=_SourceAction, metavar="URL", help="an archived copy's address")
    p.add_argument("--source-note", action=_SourceAction, metavar="TEXT", help="a note on the source")

    p = sub.add_parser("history", help="every recorded change of a claim and its sources")
    p.add_argument("claim_id", type=int)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="write a fact-check report of an article")
    p.add_argument("article_id", type=int)
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--only-resolved", action="store_true", help="leave out claims without a verdict")
    p.add_argument("--page-size", choices=["A4", "Letter"], default="A4", help="for pdf")
    p.add_argument("--report-url", metavar="URL",
                   help="where the HTML report is published, for claimreview (remembered for the workspace)")
    p.add_argument("--organisation", metavar="NAME",
                   help="the fact-checking organisation, for claimreview (remembered for the workspace)")

    return parser


def run(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except (StorageError, IngestError, ValidationError, NotFound) as exc:
        _fail(str(exc).strip("'\""))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: one line on screen, the traceback in a log file
        log = _log_crash()
        _fail(f"internal error: {exc.__class__.__name__}: {exc} (details in {log})")
        return EXIT_INTERNAL_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "detect":
        return _detect(args)
    if args.command == "eval":
        return _eval(args)
    bench = open_workbench(args.db, actor=args.actor or default_actor())
    if args.command == "import":
        return _import(bench, args.source)
    if args.command == "articles":
        return _listing(bench.articles(), args.json, lambda a: f"{a.id:>5}  {a.resolved_count:>3}/{a.claim_count:<3}  {a.title}")
    if args.command == "claims":
        return _listing(
            bench.claims(args.article_id), args.json,
            lambda c: f"{c.id:>5}  {c.status.label:<13} {c.kind.label:<14} {clip(c.quote, 70)}",
        )
    if args.command == "review":
        return _review(bench, args)
    if args.command == "export":
        return _export(bench, args)
    if args.command == "history":
        return _listing(
            bench.history(args.claim_id), args.json, lambda e: f"{e.at:%Y-%m-%d %H:%M}  {e.actor:<16} {e.describe()}"
        )
    raise AssertionError(args.command)


def _listing(items: Sequence[Any], as_json: bool, line: Any) -> int:
    """Records as JSON for scripts, or one line each for people."""
    if as_json:
        _print_json([_jsonable(asdict(item)) for item in items])
    else:
        for item in items:
            print(line(item))
    return 0


def default_actor() -> str:
    return os.environ.get("CLAIMDESK_REVIEWER") or getpass.getuser()


def open_workbench(db: str | None, actor: str = ""):  # type: ignore[no-untyped-def]
    """Engine, migration and services for `db` (default: the user's database)."""
    from app.services import Workbench
    from app.storage.engine import make_engine, make_sessions
    from app.storage.migrate import migrate

    engine = make_engine(db or paths.default_database())
    migrate(engine)
    return Workbench(make_sessions(engine), actor=actor)


def _detect(args: argparse.Namespace) -> int:
    from app.detection import detect_claims
    from app.ingest import read_file

    imported = read_file(args.file)
    claims = detect_claims(imported.text)
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
    print(format_report(evaluate(text, gold, detect_claims(text))))
    return 0


def _import(bench, source: str) -> int:  # type: ignore[no-untyped-def]
    """The new article's id on stdout (for scripts); what was found on stderr (for people)."""
    from app.ingest import read_source

    imported = read_source(source)
    existing = bench.find_by_hash(imported.text)
    if existing is not None:
        print(f"claimdesk: {source} is already in the database as article {existing.id}; not imported again.",
              file=sys.stderr)
        print(existing.id)
        return 0
    article, _ = bench.add_article(imported)
    print(article.id)
    print(describe_import(article.title, bench.segments(article.id), len(bench.claims(article.id))), file=sys.stderr)
    return 0


def describe_import(title: str, segments, claims: int) -> str:  # type: ignore[no-untyped-def]
    """Title, what the structure holds, and the languages by their share of the text."""
    counts = Counter(g.kind.value for g in segments)
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items()]
    sizes: Counter[str] = Counter()
    for g in segments:
        if g.lang:
            sizes[g.lang] += g.end - g.start
    total = sum(sizes.values()) or 1
    langs = ", ".join(f"{lang} {100 * n / total:.0f}%" for lang, n in sizes.most_common())
    return f"“{title}”: {', '.join(parts) or 'no segments'}; languages: {langs or 'not detected'}; {claims} suggested claims"


def _review(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from app.domain.validate import source_url

    sources = getattr(args, "sources", None) or []
    for s in sources:  # check every link before writing anything
        source_url(s["url"])
        if s.get("archived_url"):
            source_url(s["archived_url"], archive=True)
    claim = bench.claim(args.claim_id)
    if args.status or args.summary is not None or args.notes is not None:
        claim, _ = bench.update_claim(
            claim.id,
            status=Status(args.status) if args.status else None,
            summary=args.summary,
            notes=args.notes,
        )
    for s in sources:
        fields = {k: v for k, v in s.items() if k != "url"}
        bench.add_source(claim.id, s["url"], **fields)
    claim = bench.claim(claim.id)
    print(f"claim {claim.id}: {claim.status.label}, {len(claim.sources)} source(s)")
    return 0


def _export(bench, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from app.export import build_report, write_report

    article = bench.article(args.article_id)
    report = build_report(article, bench.claims(article.id), include="resolved" if args.only_resolved else "all")
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
    if isinstance(value, Kind | Status):
        return value.value
    return value



def _fail(message: str) -> None:
    print(f"claimdesk: {message}", file=sys.stderr)


def _log_crash() -> Path:
    log = paths.home_dir() / "crash.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            traceback.print_exc(file=f)
    except OSError:
        return Path("(unwritable)")
    return log
