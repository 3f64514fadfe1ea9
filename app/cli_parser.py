"""The command line's grammar: every command, its arguments, their help and an example each."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain import SourceKind, Stance, State

EXPORT_FORMATS = ("html", "pdf", "md", "json", "csv", "claimreview")  # app.export.FORMATS, without importing it


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
    from app import __version__

    parser.add_argument("--version", action="version", version=f"claimdesk {__version__}",
                        help="print the version and exit")
    parser.add_argument("--install-desktop-entry", action="store_true",
                        help="put Claimdesk in the desktop's menu: a .desktop file and its icon in"
                        " $XDG_DATA_HOME (~/.local/share), then exit")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file, sqlite:/// URL, or postgresql://user@host/db for a team server"
        " (default: $CLAIMDESK_DB, else claimdesk.sqlite3 in the user's data folder)",
    )
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="NAME",
        help="who is making the changes, for the history (default: $CLAIMDESK_REVIEWER, else your login name;"
        " on a team server, always the database login)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import an article (.txt, .md, .html, .docx or an http(s) link), detect its claims")
    p.add_argument("source", metavar="FILE_OR_URL")
    p.add_argument("--revision-of", type=int, metavar="ARTICLE_ID",
                   help="store it as the next revision of this article and carry its claims over"
                   " (a text from an article's own link is one without asking)")

    p = sub.add_parser("detect", help="print the claims detected in a file (uses no database)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON: the text and the claims with offsets")
    p.add_argument("--sensitivity", choices=("fewer", "normal", "more"), default="normal",
                   help="which suggestions to print, as the window shows them (default: normal)")
    p.add_argument("--min-score", type=float, metavar="P",
                   help="print claims scoring at least P (0-1); overrides --sensitivity")

    p = sub.add_parser(
        "eval",
        help="score the detector against a gold file of claims, or a TSV of labelled sentences (uses no database)",
        description="GOLD.json: claims with quotes (see ../shared/fixtures/seed_claims.json). GOLD.tsv: one sentence"
        " a line, id<TAB>text<TAB>label (1 = check-worthy), header optional; each sentence is run through the"
        " whole detector as an English paragraph.",
    )
    p.add_argument("gold", type=Path, metavar="GOLD.json|GOLD.tsv")
    p.add_argument("--text", type=Path, metavar="FILE", help="the article (default: the gold file's 'article')")
    p.add_argument("--min-score", type=float, metavar="P",
                   help="TSV: a sentence is positive with a claim scoring at least P (default: normal sensitivity)")

    p = sub.add_parser(
        "article",
        help="show an article's details (title, outlet, author, link, date), or change them",
        description="Without options, prints the article's details. Each option changes one detail;"
        " an empty value clears it (the title cannot be empty).",
    )
    p.add_argument("article_id", type=int, metavar="ID", help="the article's number (see `claimdesk articles`)")
    p.add_argument("--title", metavar="T", help="the title reports use")
    p.add_argument("--outlet", metavar="O", help="who published the article")
    p.add_argument("--author", metavar="A", help="who wrote it")
    p.add_argument("--url", metavar="U", help="where it was published (http/https)")
    p.add_argument("--date", metavar="D", help="when it was published, YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="print the details as JSON")

    p = sub.add_parser("articles", help="list the articles in the database")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("claims", help="list an article's claims: state, verdict (* when not on the workspace's scale)")
    p.add_argument("article_id", type=int)
    p.add_argument("--json", action="store_true")
    p.add_argument("--with-matches", action="store_true",
                   help="under each claim, earlier checks of it in other articles (same claim or similar)")
    p.add_argument("-k", type=int, default=3, metavar="N", help="with --with-matches: at most N per claim (default 3)")

    p = sub.add_parser("match", help="earlier checks of a claim: checked claims that say the same, best first",
                       description="Each match has a score (0-1) and is a 'same claim' at 0.86 or more (precision"
                       " >= 0.99 measured), else 'similar'.")
    p.add_argument("text", metavar="TEXT", help="the claim's text, in quotes")
    p.add_argument("-k", type=int, default=5, metavar="N", help="how many matches at most (default 5)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "review",
        help="set a claim's verdict, summary, notes and sources, move it through the workflow, approve it",
        description="Changes apply in this order: verdict, conclusion, summary and notes; sources; state."
        " --state approved signs the claim off as the --as reviewer, last.",
    )
    _claim_argument(p)
    p.add_argument("--state", choices=[s.value for s in State],
                   help="where the claim is in the workflow; approved is a sign-off by someone other than"
                   " the person who set the verdict")
    p.add_argument("--verdict", metavar="LABEL",
                   help="a label of the workspace's rating scale, by key or name (see `claimdesk scale`);"
                   " none clears it")
    p.add_argument("--conclusion", metavar="TEXT", help="the verdict as a written conclusion (free-text scale)")
    p.add_argument("--reason", metavar="TEXT",
                   help="why an approved claim changes: needed to change one, and reopens it for review")
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
    p.add_argument("--if-version", type=int, metavar="N",
                   help="write only if nobody else changed these fields since version N (see `claims --json`);"
                   " by default, the version read when the command starts")

    p = sub.add_parser("scale", help="list the rating scales, or switch the workspace to another")
    p.add_argument("key", nargs="?", metavar="SCALE",
                   help="the scale to switch to; verdicts on another scale are kept and flagged")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("team", help="set up a team database on PostgreSQL: group roles, grants, people")
    team = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    t = team.add_parser("init", help="create the schema, the roles claimdesk_editor, claimdesk_researcher and"
                        " claimdesk_reader and their grants (run as the database's owner)")
    t.add_argument("--print", action="store_true", dest="print_sql", help="print the SQL instead of running it")
    t = team.add_parser("add", help="give a person a login in one group (run as an admin who may create roles)")
    t.add_argument("login")
    t.add_argument("group", choices=("editor", "researcher", "reader"))
    t.add_argument("--password-env", metavar="VAR", help="set the login's password from this environment variable")
    t.add_argument("--print", action="store_true", dest="print_sql", help="print the SQL instead of running it")

    p = sub.add_parser("copy", help="copy a whole archive into a new, empty database (SQLite <-> PostgreSQL)")
    p.add_argument("source", metavar="SOURCE", help="database file or URL to copy from")
    p.add_argument("target", metavar="TARGET", help="database file or URL to copy to; must be empty")

    p = sub.add_parser("overview", help="the desk's overview: claims checked per week, scorecards by speaker"
                       " and outlet, the work waiting for review")
    p.add_argument("--format", choices=("html", "json"), default="json",
                   help="html: a page that can be published; json: the same numbers for scripts (default)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="the file to write (default: print it)")

    p = sub.add_parser("db", help="the database's schema: step it back to an older revision (recovery)")
    db = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    d = db.add_parser(
        "downgrade",
        help="step the schema back to REVISION (0001…, or base); the next start upgrades it again",
        description="Whatever the older schema has no room for (conclusions, approvals, passages, history…)"
        " is dropped: a SQLite file is first copied beside itself with a timestamp (the copy is printed);"
        " a PostgreSQL database is refused unless --force (back it up with pg_dump first).",
    )
    d.add_argument("revision", metavar="REVISION", help="the revision to step back to: 0001, 0002 … or base (nothing left)")
    d.add_argument("--force", action="store_true",
                   help="on a team server: step back although data would be dropped (no copy is made)")

    p = sub.add_parser("history", help="every recorded change of a claim and its sources")
    _claim_argument(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="write a fact-check report of an article")
    p.add_argument("article_id", type=int)
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    only = p.add_mutually_exclusive_group()
    only.add_argument("--only-resolved", action="store_true", help="leave out claims without a verdict")
    only.add_argument("--only-approved", action="store_true",
                      help="only claims whose verdict a reviewer approved (what ClaimReview publishes)")
    p.add_argument("--page-size", choices=["A4", "Letter"], default="A4", help="for pdf")
    p.add_argument("--report-url", metavar="URL",
                   help="where the HTML report is published, for claimreview (remembered for the workspace)")
    p.add_argument("--organisation", metavar="NAME",
                   help="the fact-checking organisation, for claimreview (remembered for the workspace)")

    p = sub.add_parser(
        "compare",
        help="two passages side by side: word-level diff, similarity and one sentence (saved as evidence with --save)",
        description="FILE_OR_TEXT: a file, a shipped treaty article (nato:5, csto:4, un_charter:51, see `refs`)"
        " or the text itself. Without --left/--right, the two articles the claim names.",
    )
    _claim_argument(p)
    p.add_argument("--left", metavar="FILE_OR_TEXT")
    p.add_argument("--right", metavar="FILE_OR_TEXT")
    p.add_argument("--left-label", metavar="T", help="what the left passage is (default: the article's name)")
    p.add_argument("--right-label", metavar="T")
    p.add_argument("--left-url", metavar="URL", help="where the left passage comes from")
    p.add_argument("--right-url", metavar="URL")
    p.add_argument("--save", action="store_true", help="keep it as evidence on the claim (history, reports)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("numbers", help="the claim's figures against each source's quoted passage")
    _claim_argument(p)
    p.add_argument("--passage", metavar="FILE_OR_TEXT", help="check against this passage instead of the sources'")
    p.add_argument("--save", action="store_true", help="keep the check as evidence (a hint in the history, not a verdict)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("refs", help="UN resolutions and treaty articles the claim names, with their official links")
    _claim_argument(p)
    p.add_argument("--add", action="append", default=[], metavar="KEY",
                   help="add this reference (a symbol like S/RES/822(1993), or nato:5) as a primary source; repeatable")
    p.add_argument("--json", action="store_true")

    from app.cli_sources import add_parser as add_sources_parser

    add_sources_parser(sub)

    _finish_help(parser)
    return parser


# What `claimdesk COMMAND --help` shows under "example:".
EXAMPLES = {
    "": "claimdesk import speech.txt && claimdesk claims 1",
    "import": "claimdesk import https://example.org/2024/05/budget.html",
    "detect": "claimdesk detect speech.txt --json --sensitivity fewer",
    "eval": "claimdesk eval ../shared/fixtures/seed_claims.json",
    "articles": "claimdesk articles --json",
    "article": "claimdesk article 3 --title \"Water price up 8%\" --outlet \"Le Progrès\" --date 2024-03-05",
    "claims": "claimdesk claims 3 --with-matches",
    "match": "claimdesk match \"Russia sent 3,000 troops to the border\" -k 3 --json",
    "review": "claimdesk --as ana review 3#5 --verdict false --summary \"About 3,000.\" --state in_review",
    "scale": "claimdesk scale politifact",
    "team": "claimdesk --db postgresql://desk.example/claims team add ana editor",
    "team init": "claimdesk --db postgresql://desk.example/claims team init --print",
    "team add": "claimdesk --db postgresql://desk.example/claims team add ben reader --password-env BEN_PW",
    "copy": "claimdesk copy claimdesk.sqlite3 postgresql://desk.example/claims",
    "db": "claimdesk db downgrade 0009",
    "db downgrade": "claimdesk --db postgresql://desk.example/claims db downgrade 0006 --force",
    "history": "claimdesk history 3#5",
    "overview": "claimdesk overview --format html -o desk.html",
    "export": "claimdesk export 3 --format pdf -o report.pdf --only-approved",
    "compare": "claimdesk compare 3#5 --right nato:5 --save",
    "numbers": "claimdesk numbers 3#5 --json",
    "refs": "claimdesk refs 3#5 --add S/RES/822(1993)",
    "sources": "claimdesk sources check 3",
    "sources check": "claimdesk sources check 3 --json",
    "sources run": "claimdesk sources run",
}

# Help for the arguments whose meaning is the same wherever they appear.
_HELP = {
    "json": "print JSON (for scripts) instead of lines of text",
    "source": "the file (.txt, .md, .html, .docx) or http(s) link to import",
    "file": "the article file to read (.txt, .md, .html, .docx)",
    "gold": "the gold file: claims with quotes (.json), or labelled sentences (.tsv)",
    "article_id": "the article's number (see `claimdesk articles`)",
    "format": "the report's format: html, pdf, md (Markdown), json, csv or claimreview (JSON-LD)",
    "output": "the file to write; it appears only when complete",
    "left": "the left passage: a file, a shipped treaty article (nato:5, see `refs`) or the text itself",
    "right": "the right passage, as --left",
    "right_label": "what the right passage is (default: the treaty article's title, or the file's name)",
    "right_url": "where the right passage comes from",
    "login": "the person's PostgreSQL login",
    "group": "what the person may do: editor (sign off), researcher (check), reader (read)",
}


class _ExampleFormatter(argparse.HelpFormatter):
    """Wraps the description as usual, but prints an example as it is typed: on one line."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("example: "):
            return indent + text
        return super()._fill_text(text, width, indent)


def _finish_help(parser: argparse.ArgumentParser, name: str = "") -> None:
    """Every argument gets a help text and every command an example (tested)."""
    example = EXAMPLES.get(name)
    if example and not (parser.epilog or "").startswith("example:"):
        parser.epilog = f"example: {example}"
        parser.formatter_class = _ExampleFormatter
    for act in parser._actions:
        if isinstance(act, argparse._SubParsersAction):
            for command, sub in act.choices.items():
                _finish_help(sub, f"{name} {command}".strip())
        elif act.help is None and act.dest in _HELP:
            act.help = _HELP[act.dest]


CLAIM_HELP = (
    "the claim: ARTICLE#NUMBER as the window and reports number it (3#5), NUMBER with --article,"
    " or the claim's database id (the id in `claims --json`)"
)


def _claim_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("claim_id", metavar="CLAIM", help=CLAIM_HELP)
    p.add_argument("--article", type=int, metavar="ID",
                   help="the article whose claim NUMBER is meant: --article 3 5 is claim 3#5")
