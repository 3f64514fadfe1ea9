"""What only PostgreSQL (team mode) needs: the DDL the migrations run there, and the SQL of search.

SQLite gets the same guarantees from its own triggers (migrations 0003 and 0004); here they are
PL/pgSQL. Each piece is named for the migration that installs it:
- 0003: history is append-only (UPDATE and DELETE refused);
- 0004: the search index, a tsvector per claim over its text, verdict, notes and sources, kept
  in step by triggers, accent-insensitive (unaccent when the server has it, else translate());
- 0010: who is who (the server writes the login into history rows and sign-offs, and refuses
  an approval by the role that set the verdict or by a role that is not an editor), and a
  NOTIFY on every committed change, for the windows' live refresh.
"""

from __future__ import annotations

from collections.abc import Callable

CHANNEL = "claimdesk_changes"
"""LISTEN/NOTIFY channel: one notification per committed transaction that changed the archive."""

EDITOR, RESEARCHER, READER = "claimdesk_editor", "claimdesk_researcher", "claimdesk_reader"
RESTORING = "claimdesk.restoring"
"""Session setting `claimdesk copy` sets: the database owner may then keep the authors it copies."""

# -- 0003: append-only history ------------------------------------------------------------------

HISTORY_APPEND_ONLY = [
    "CREATE FUNCTION claimdesk_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN RAISE EXCEPTION 'history is append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    "CREATE TRIGGER history_no_update BEFORE UPDATE OR DELETE ON history"
    " FOR EACH ROW EXECUTE FUNCTION claimdesk_history_append_only()",
    "CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history"
    " FOR EACH STATEMENT EXECUTE FUNCTION claimdesk_history_append_only()",
]
DROP_HISTORY_APPEND_ONLY = [
    "DROP TRIGGER IF EXISTS history_no_update ON history",
    "DROP TRIGGER IF EXISTS history_no_truncate ON history",
    "DROP FUNCTION IF EXISTS claimdesk_history_append_only()",
]

# -- 0004: search ------------------------------------------------------------------------------

# Letters folded when the unaccent extension is missing (Latin-1 and Latin Extended-A's common ones).
_ACCENTED = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťţùúûüūůűųýÿźżž"
_PLAIN = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrsssttuuuuuuuuyyzzz"
assert len(_ACCENTED) == len(_PLAIN)


# A claim's search document. Words as SQLite's unicode61 tokenizer sees them: runs of letters and
# digits, so "covid-19" is two words and a link is its parts (PostgreSQL's parser would keep
# "-19", hosts, decimals).
SEARCH_DOCUMENT = (
    "to_tsvector('simple', regexp_replace(claimdesk_fold(c.quote || ' ' || c.summary || ' ' || c.notes || ' ' ||"
    " coalesce((SELECT string_agg(s.url || ' ' || s.title || ' ' || s.publisher || ' ' || s.note, ' ')"
    " FROM source s WHERE s.claim_id = c.id), '')), '[^[:alnum:]]+', ' ', 'g'))"
)
# One article's claims indexed at once, after a bulk insert the claim trigger stood aside for
# (0016: claimdesk.search_paused). ON CONFLICT keeps it exact where the trigger did not.
SEARCH_FILL_ARTICLE = (
    f"INSERT INTO claim_search (claim_id, document) SELECT c.id, {SEARCH_DOCUMENT} FROM claim c"
    " WHERE c.article_id = %s ON CONFLICT (claim_id) DO UPDATE SET document = excluded.document"
)


def search_ddl(has_unaccent: bool, unaccent_schema: str = "public") -> list[str]:
    fold = (
        f"SELECT lower({unaccent_schema}.unaccent(t))" if has_unaccent
        else f"SELECT translate(lower(t), '{_ACCENTED}', '{_PLAIN}')"
    )
    document = SEARCH_DOCUMENT
    return [
        f"CREATE FUNCTION claimdesk_fold(t text) RETURNS text LANGUAGE sql STABLE AS $$ {fold} $$",
        "CREATE TABLE claim_search (claim_id integer PRIMARY KEY, document tsvector NOT NULL)",
        "CREATE INDEX ix_claim_search_document ON claim_search USING gin (document)",
        "CREATE FUNCTION claimdesk_search_refresh(claim integer) RETURNS void LANGUAGE sql AS $$"
        " DELETE FROM claim_search WHERE claim_id = claim;"
        f" INSERT INTO claim_search (claim_id, document) SELECT c.id, {document} FROM claim c WHERE c.id = claim; $$",
        "CREATE FUNCTION claimdesk_search_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP = 'DELETE' THEN DELETE FROM claim_search WHERE claim_id = OLD.id; RETURN NULL; END IF;"
        " PERFORM claimdesk_search_refresh(NEW.id); RETURN NULL; END $$",
        "CREATE TRIGGER claim_search_ai AFTER INSERT OR DELETE ON claim"
        " FOR EACH ROW EXECUTE FUNCTION claimdesk_search_claim()",
        # Only when searchable text changed: a state or version change is most updates.
        "CREATE TRIGGER claim_search_au AFTER UPDATE ON claim FOR EACH ROW WHEN ("
        "OLD.quote IS DISTINCT FROM NEW.quote OR OLD.summary IS DISTINCT FROM NEW.summary"
        " OR OLD.notes IS DISTINCT FROM NEW.notes) EXECUTE FUNCTION claimdesk_search_claim()",
        "CREATE FUNCTION claimdesk_search_source() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP <> 'INSERT' THEN PERFORM claimdesk_search_refresh(OLD.claim_id); END IF;"
        " IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.claim_id <> OLD.claim_id) THEN"
        " PERFORM claimdesk_search_refresh(NEW.claim_id); END IF; RETURN NULL; END $$",
        "CREATE TRIGGER source_search AFTER INSERT OR UPDATE OR DELETE ON source"
        " FOR EACH ROW EXECUTE FUNCTION claimdesk_search_source()",
        f"INSERT INTO claim_search (claim_id, document) SELECT c.id, {document} FROM claim c",
    ]


DROP_SEARCH = [
    "DROP TRIGGER IF EXISTS source_search ON source",
    "DROP TRIGGER IF EXISTS claim_search_au ON claim",
    "DROP TRIGGER IF EXISTS claim_search_ai ON claim",
    "DROP FUNCTION IF EXISTS claimdesk_search_source()",
    "DROP FUNCTION IF EXISTS claimdesk_search_claim()",
    "DROP FUNCTION IF EXISTS claimdesk_search_refresh(integer)",
    "DROP TABLE IF EXISTS claim_search",
    "DROP FUNCTION IF EXISTS claimdesk_fold(text)",
]

# The user's words (app.services.search quotes each, so "or" and "-" are words as on SQLite);
# websearch_to_tsquery never fails on input. Each of its lexemes then becomes a prefix match,
# as the SQLite search's "word"* is. A lexeme is quoted in tsquery's text form ('it''s').
# The newest :limit matches, each with its rank (app.services.search orders them by it when
# they are all the matches there are): no rank is computed for the matches left out.
SEARCH = (
    "WITH q AS (SELECT regexp_replace(websearch_to_tsquery('simple', claimdesk_fold(:query))::text,"
    " '(''(?:[^'']|'''')*'')', '\\1:*', 'g')::tsquery AS q),"
    " hits AS (SELECT cs.claim_id, cs.document FROM q, claim_search cs WHERE cs.document @@ q.q"
    " ORDER BY cs.claim_id DESC LIMIT :limit)"
    " SELECT c.id, c.article_id, a.title, c.quote, c.state, coalesce(r.name, c.conclusion),"
    " ts_rank(hits.document, q.q) FROM q, hits JOIN claim c ON c.id = hits.claim_id"
    " JOIN article a ON a.id = c.article_id LEFT JOIN rating_label r ON r.id = c.verdict_id"
    " ORDER BY c.id DESC"
)

# -- 0010: who is who, and live refresh -----------------------------------------------------------

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


def unaccent_schema(execute: Callable[[str], object], scalar: Callable[[str], object]) -> str | None:
    """Make sure of the unaccent extension if the server ships it (Debian's does, in the server
    package); the schema it lives in, or None if it cannot be had (then translate() folds)."""
    available = scalar("SELECT count(*) FROM pg_available_extensions WHERE name = 'unaccent'")
    if available:
        # In a subtransaction: a role that may not create it leaves the migration usable.
        execute("DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS unaccent; EXCEPTION WHEN OTHERS THEN NULL; END $$")
    schema = scalar("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'")
    return None if schema is None else str(schema)
