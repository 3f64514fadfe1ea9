"""The SQL only PostgreSQL (team mode) needs at run time: the channel of its change
notifications, its group roles, the setting `claimdesk copy` restores under, and search.

The DDL that installs the server's side (append-only history, the search index and its triggers,
who signs what, the notifications) lives in the migrations that run it (0003, 0004, 0010, 0016),
written out there so that no change here can change what an old step creates. What is here and
what they install must agree: tests/test_team.py holds the names and the search document equal to
what the head revision installs."""

from __future__ import annotations

CHANNEL = "claimdesk_changes"
"""LISTEN/NOTIFY channel: one notification per committed transaction that changed the archive."""

EDITOR, RESEARCHER, READER = "claimdesk_editor", "claimdesk_researcher", "claimdesk_reader"
RESTORING = "claimdesk.restoring"
"""Session setting `claimdesk copy` sets: the database owner may then keep the authors it copies."""

# -- search ----------------------------------------------------------------------------------------

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
