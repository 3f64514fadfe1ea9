"""Team mode on a real PostgreSQL server: who is who, what the server refuses, live changes,
connection trouble in one line, search equal to SQLite's, and moving a desk between engines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, PgServer
from sqlalchemy import Engine, text

from app.domain import SourceKind, State
from app.domain.errors import NotAllowed, StorageError, ValidationError
from app.ingest import from_pasted
from app.services import Workbench
from app.storage.copy import copy_archive, fingerprint, tables
from app.storage.engine import DEAD_PEER_S, make_engine, make_sessions
from app.storage.migrate import migrate

DATA = ROOT / "tests" / "data"


ENGINES: list[Engine] = []


@pytest.fixture
def team_url(pg: PgServer) -> Iterator[str]:
    name = pg.fresh()
    yield name
    while ENGINES:  # psycopg warns about a connection left open for the garbage collector
        ENGINES.pop().dispose()
    pg.drop(name)


def desk(pg: PgServer, database: str, login: str | None = None) -> Workbench:
    """A Workbench logged in as `login` (None: the test superuser), as that person's window would be."""
    engine = make_engine(pg.url(database, login))
    ENGINES.append(engine)
    migrate(engine)
    return Workbench(make_sessions(engine))


def ready_for_review(bench: Workbench, article_id: int) -> int:
    """A claim with a final verdict and a primary source, sent to review by whoever `bench` is."""
    claim = bench.claims(article_id)[0]
    bench.update_claim(claim.id, verdict=bench.scale().rating("false"))
    bench.add_source(claim.id, "https://mod.example/report", kind=SourceKind.PRIMARY)
    bench.update_claim(claim.id, state=State.IN_REVIEW)
    return claim.id


def test_the_reviewer_is_the_login_and_the_server_enforces_the_roles(pg: PgServer, team_url: str) -> None:
    admin = desk(pg, team_url)
    (article,) = admin.seed([SAMPLE])
    ana, ben, rita, rhea = (desk(pg, team_url, who) for who in ("ana", "ben", "rita", "rhea"))
    assert (ana.actor, rita.actor) == ("ana", "rita")  # nobody types a name: the login is the name

    claim_id = ready_for_review(ana, article.id)
    rita.update_claim(claim_id, notes="Checked the figures again")  # a researcher researches...
    with pytest.raises(NotAllowed, match="rita is not an editor"):  # ...but cannot sign off
        rita.approve(claim_id)
    with pytest.raises(NotAllowed, match="may only read"):  # a reader browses, searches, exports
        rhea.update_claim(claim_id, notes="Reader's note")
    assert rhea.search("russians") and rhea.claim(claim_id).state is State.IN_REVIEW

    approved, _ = ben.approve(claim_id)
    assert approved.approved_by == "ben" and approved.verdict_by == "ana"
    assert [e.actor for e in ben.history(claim_id)][-1] == "ben"
    assert {e.actor for e in ben.history(claim_id)} == {"ana", "rita", "ben"}

    second = ana.claims(article.id)[1]
    ana.update_claim(second.id, verdict=ana.scale().rating("false"))
    ana.add_source(second.id, "https://mod.example/report", kind=SourceKind.PRIMARY)
    ana.update_claim(second.id, state=State.IN_REVIEW)
    with pytest.raises(ValidationError, match="someone else must approve"):  # the services' rule...
        ana.approve(second.id)
    with pytest.raises(NotAllowed, match="ana set the verdict"), ana._ctx.db.write() as s:  # ...and the server's
        s.execute(text("UPDATE claim SET state = 'approved', approved_by = 'ben' WHERE id = :id"), {"id": second.id})
    for bench in (admin, ana, ben, rita, rhea):
        bench.close()


def test_an_upgrade_of_a_team_server_lets_the_team_use_its_new_tables_at_once(pg: PgServer) -> None:
    """Sources that last (0013) and the kept counts (0014) added tables; the team writes to them
    as soon as the owner's upgrade lands, without running `claimdesk team init` again."""
    from app.storage import team

    name = pg.fresh()
    pg.drop(name)  # the name, for an empty database
    pg.admin(f'CREATE DATABASE "{name}"')
    owner = make_engine(pg.url(name))
    ENGINES.append(owner)
    try:
        migrate(owner, revision="0012")
        added = ("source_link", "snapshot_blob", "source_snapshot", "job", "article_summary", "claim_tally")
        before = tuple(t for t in team.WRITTEN if t not in added)
        pg.admin(*team.init_sql(name, before), database=name)  # a team server set up before 0013
        admin = desk(pg, name)  # the owner's next start upgrades it
        (article,) = admin.seed([SAMPLE])
        rita = desk(pg, name, "rita")
        claim = rita.claims(article.id)[0]
        source, _ = rita.add_source(claim.id, "https://mod.example/report", kind=SourceKind.PRIMARY)
        assert [s.id for s in rita.claim(claim.id).sources] == [source.id]  # its snapshot job queued too
        with rita._ctx.db.read() as s:
            assert s.execute(text("SELECT count(*) FROM job")).scalar() >= 1
        rita.update_claim(claim.id, verdict=rita.scale().rating("false"))  # the counts' triggers write as rita
        assert [(a.claim_count, a.resolved_count) for a in rita.articles()][0][1] == 1
        for bench in (admin, rita):
            bench.close()
    finally:
        while ENGINES:
            ENGINES.pop().dispose()
        pg.drop(name)


def test_a_forged_name_is_overwritten_or_refused_by_the_server(pg: PgServer, team_url: str) -> None:
    admin = desk(pg, team_url)
    (article,) = admin.seed([SAMPLE])
    rita = desk(pg, team_url, "rita")
    claim = rita.claims(article.id)[0]
    with rita._ctx.db.write() as s:  # a client writing its own history row, signed "ben"
        s.execute(text(
            "INSERT INTO history (article_id, claim_id, entity, entity_id, field, old_value, new_value, actor, at)"
            " VALUES (:a, :c, 'claim', :c, 'notes', '', 'x', 'ben', now())"
        ), {"a": article.id, "c": claim.id})
        s.execute(text("UPDATE claim SET verdict_id = 5, verdict_by = 'ben' WHERE id = :c"), {"c": claim.id})
    assert rita.history(claim.id)[-1].actor == "rita"
    assert rita.claim(claim.id).verdict_by == "rita"
    rita.actor = "ben"  # the window's "reviewer" box: in team mode the login counts, not a typed name
    assert rita.actor == "rita"
    rita.update_claim(claim.id, notes="As ben?")
    assert rita.history(claim.id)[-1].actor == "rita"
    with rita._ctx.db.write() as s:  # saved evidence, claimed to be ben's
        s.execute(text(
            "INSERT INTO evidence (claim_id, kind, left_label, left_url, left_text, right_label, right_url,"
            " right_text, summary, detail, mismatch, created_by, created_at)"
            " VALUES (:c, 'comparison', '', '', 'a', '', '', 'b', '', '', false, 'ben', now())"
        ), {"c": claim.id})
    assert [e.created_by for e in rita.evidence(claim.id)] == ["rita"]
    with pytest.raises(NotAllowed, match="may only read"), rita._ctx.db.write() as s:
        s.execute(text("DELETE FROM history"))  # nobody is granted it...
    with pytest.raises(Exception, match="append-only"), admin._ctx.db.write() as s:
        s.execute(text("DELETE FROM history"))  # ...and not even the owner gets past the trigger
    admin.close()
    rita.close()


def test_other_peoples_changes_arrive_by_notify_and_a_reconnect_reports_a_change(pg: PgServer, team_url: str) -> None:
    admin = desk(pg, team_url)
    (article,) = admin.seed([SAMPLE])
    window, ben = desk(pg, team_url, "ana"), desk(pg, team_url, "ben")
    token = window.change_token()
    assert not window.changes_since(token).changes  # nothing happened: the same token, no query
    claim = ben.claims(article.id)[0]
    ben.update_claim(claim.id, notes="Called the ministry")
    deadline = time.monotonic() + 5  # a loaded machine delivers notifications late
    seen = window.changes_since(token)
    while not seen.changes and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = window.changes_since(token)
    assert claim.id in seen.changes.claim_ids and seen.messages == (f"Claim {claim.id}: notes changed by ben",) or \
        any("ben" in m for m in seen.messages)
    token = seen.token

    # The server drops the listening connection (a restart, a network cut): one line, then a
    # fresh connection whose first stamp differs, so the window re-queries what it missed.
    pg.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              " WHERE starts_with(application_name, 'claimdesk (changes)') AND datname = current_database()", database=team_url)
    time.sleep(0.2)
    ben.update_claim(claim.id, notes="Missed while away")
    with pytest.raises(StorageError, match="lost|restarted|reach"):
        window.changes_since(token)
    after = window.changes_since(token)
    assert after.token.stamp != token.stamp and claim.id in after.changes.claim_ids
    for bench in (admin, window, ben):
        bench.close()


@pytest.mark.parametrize(("how", "fragment"), [
    ("down", "Cannot reach the database"),
    ("login", "refused the login"),
    ("database", "no database"),
])
def test_connection_trouble_is_one_line(pg: PgServer, team_url: str, tmp_path: Path, how: str, fragment: str) -> None:
    url = {
        "down": re.sub(r"host=[^&]+", f"host={tmp_path}", pg.url(team_url)),
        "login": pg.url(team_url, "nobody_we_know"),
        "database": pg.url("no_such_desk"),
    }[how]
    with pytest.raises(StorageError, match=fragment):
        migrate(make_engine(url))
    result = subprocess.run([sys.executable, "-m", "app", "--db", url, "articles"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and fragment in result.stderr


def _corpus(bench: Workbench) -> None:
    bench.seed([SAMPLE])
    for name in ("economic_report.txt", "speech.txt", "wire_report.txt"):
        bench.add_article(from_pasted((DATA / name).read_text("utf-8")))
    first = bench.claims(1)[0]
    bench.update_claim(first.id, notes="Asked the Gyumri garrison press office; café owner in Erevan")
    bench.add_source(first.id, "https://example.org/a", publisher="Kommersant", title="Défense report")


def test_search_finds_the_same_claims_on_both_engines(pg: PgServer, team_url: str, tmp_path: Path) -> None:
    lite_engine = make_engine(str(tmp_path / "lite.sqlite3"))
    ENGINES.append(lite_engine)
    migrate(lite_engine)
    lite, team = Workbench(make_sessions(lite_engine), actor="ana"), desk(pg, team_url, "ana")
    _corpus(lite)
    _corpus(team)
    words = sorted({w.lower() for c in lite.claims(1) + lite.claims(2) + lite.claims(3) for w in re.findall(r"\w+", c.quote)})
    queries = [w for w in words if len(w) > 3][::4] + [w[:3] for w in words if len(w) > 5][::7] + [
        "gyumri", "GYUMRI", "kommers", "defense", "DÉFENSE", "cafe", "erevan", "covid-19", "4.1%", "u.s.",
        "russians troops", 'russians" OR *', "-war", "the", "1", "20",
    ]
    assert len(queries) > 60
    differ = {q: (sorted(h.claim_id for h in lite.search(q)), sorted(h.claim_id for h in team.search(q)))
              for q in queries}
    differ = {q: pair for q, pair in differ.items() if pair[0] != pair[1]}
    assert differ == {}
    assert team.search("defense") and team.search("cafe")  # accents fold both ways
    team.close()


def test_what_the_migrations_install_names_what_the_runtime_uses(pg: PgServer, team_url: str) -> None:
    """The server's side is written out in the migrations (0003, 0004, 0010, 0016), apart from the
    runtime's SQL in app.storage.postgres: at the head they agree. The search index's document is
    the one a bulk import fills (SEARCH_FILL_ARTICLE), the notifications go to the channel the
    windows listen on, and the signatures trigger knows the editor role and the restoring setting
    `claimdesk copy` uses."""
    from app.storage import postgres

    desk(pg, team_url)
    with ENGINES[-1].connect() as connection:
        body = dict(connection.execute(text("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'claimdesk%'")).tuples().all())
    assert postgres.SEARCH_DOCUMENT in body["claimdesk_search_refresh"]
    assert f"pg_notify('{postgres.CHANNEL}'" in body["claimdesk_notify"]
    assert f"'{postgres.EDITOR}'" in body["claimdesk_claim_signatures"]
    assert f"current_setting('{postgres.RESTORING}', true)" in body["claimdesk_claim_signatures"]
    assert f"current_setting('{postgres.RESTORING}', true)" in body["claimdesk_history_actor"]


def _archive(bench: Workbench) -> None:
    _corpus(bench)
    claim_id = ready_for_review(bench, 2)
    bench.actor = "ben"
    bench.approve(claim_id)
    bench.set_scale("politifact")
    bench.delete_claim(bench.claims(3)[0].id)


def test_copy_round_trips_an_archive_sqlite_to_postgresql_and_back_row_for_row(
    pg: PgServer, team_url: str, tmp_path: Path,
) -> None:
    source = make_engine(str(tmp_path / "desk.sqlite3"))
    ENGINES.append(source)
    migrate(source)
    _archive(Workbench(make_sessions(source), actor="ana"))
    empty = pg.fresh(template="template0")
    target, back = make_engine(pg.url(empty)), make_engine(str(tmp_path / "back.sqlite3"))
    migrate(target)
    migrate(back)

    copy_archive(source, target)
    copy_archive(target, back)
    with source.connect() as a, target.connect() as b, back.connect() as c:
        for table in tables():
            rows = [x.execute(table.select().order_by(*table.primary_key.columns)).all() for x in (a, b, c)]
            assert rows[0] == rows[1] == rows[2], table.name
            assert fingerprint(a, table) == fingerprint(b, table) == fingerprint(c, table)
    team = Workbench(make_sessions(target))
    assert {e.actor for e in team.history(team.claims(2)[0].id)} >= {"ana", "ben"}  # authors kept
    assert team.search("gyumri")  # the search index was built as rows arrived
    team.add_article(from_pasted("After the move\n\nThe port handled 12 million tonnes in 2024."))  # ids go on

    with pytest.raises(StorageError, match="already holds work"):
        copy_archive(source, target)
    for engine in (source, target, back):
        engine.dispose()
    team.close()
    pg.drop(empty)


def test_the_cli_copies_a_desk_and_sets_up_a_team(pg: PgServer, team_url: str, tmp_path: Path) -> None:
    def claimdesk(*args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "CLAIMDESK_DB"}
        return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=120, check=False)

    lite = str(tmp_path / "desk.sqlite3")
    assert claimdesk("--db", lite, "import", str(SAMPLE)).returncode == 0
    empty = pg.fresh(template="template0")
    done = claimdesk("copy", lite, pg.url(empty))
    assert done.returncode == 0 and "count and hash match" in done.stdout, done.stderr
    again = claimdesk("copy", lite, pg.url(empty))
    assert again.returncode == 1 and "already holds work" in again.stderr

    printed = claimdesk("--db", pg.url(empty), "team", "init", "--print")
    assert "CREATE ROLE claimdesk_editor" in printed.stdout and "GRANT SELECT ON ALL TABLES" in printed.stdout
    assert claimdesk("--db", pg.url(empty), "team", "init").returncode == 0
    assert claimdesk("--db", pg.url(empty), "team", "add", "vera_r", "researcher").returncode == 0
    listed = claimdesk("--db", pg.url(empty, "vera_r"), "articles")
    assert listed.returncode == 0 and listed.stdout.strip()
    refused = claimdesk("--db", pg.url(empty, "vera_r"), "--as", "ben", "review", "1", "--summary", "x")
    assert refused.returncode == 1 and "cannot act as ben" in refused.stderr
    assert claimdesk("--db", pg.url(empty), "team", "add", "cleo_r", "reader").returncode == 0
    report = tmp_path / "report.md"
    exported = claimdesk("--db", pg.url(empty, "cleo_r"), "export", "1", "--format", "md", "-o", str(report))
    assert exported.returncode == 0 and report.read_text("utf-8").strip(), exported.stderr  # a reader exports...
    refused = claimdesk("--db", pg.url(empty, "cleo_r"), "review", "1", "--summary", "x")
    assert refused.returncode == 1 and "may only read" in refused.stderr  # ...and changes nothing
    pg.drop(empty)


def test_a_claim_open_in_another_window_shows_who_is_viewing_it(pg: PgServer, team_url: str) -> None:
    admin = desk(pg, team_url)
    (article,) = admin.seed([SAMPLE])
    ana, ben = desk(pg, team_url, "ana"), desk(pg, team_url, "ben")
    first, second = (c.id for c in ana.claims(article.id)[:2])
    token = ben.change_token()
    ana.viewing(first)
    assert ben.viewers() == {first: ("ana",)} and ana.viewers() == {}  # not shown to yourself
    deadline = time.monotonic() + 2
    while ben.changes_since(token).token.stamp == token.stamp and time.monotonic() < deadline:
        time.sleep(0.05)  # ben's poll notices that something moved, and asks again
    assert ben.changes_since(token).token.stamp != token.stamp
    ben.viewing(first)
    ana.viewing(second)
    assert admin.viewers() == {first: ("ben",), second: ("ana",)}
    ana.close()  # the window closes: nobody is viewing the second claim any more
    # The server ends the closed connection's backend a moment later: by the next poll, not at once.
    deadline = time.monotonic() + 2
    while admin.viewers() != {first: ("ben",)} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert admin.viewers() == {first: ("ben",)}
    for bench in (admin, ben):
        bench.close()


def test_a_poll_at_the_moment_of_a_commit_never_takes_ones_own_change_for_someone_elses(
        pg: PgServer, team_url: str) -> None:
    """The window's poll runs on its own thread in team mode (app.ui.live), so it may ask the
    moment a change of this window's commits, before the write has returned. The change is
    already known as its own then: no "notes changed by ana" about ana's own typing, nor "Setting
    organisation changed" or "Article … imported" about ana's own setting and import."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    bench = desk(pg, team_url, "ana")
    (article,) = bench.seed([SAMPLE])
    claim = bench.claims(article.id)[0]
    token = bench.change_token()
    seen = []

    def poll_now(_session: Session) -> None:  # as the poll's thread would, between commit and return
        seen.append(bench.changes_since(token))

    event.listen(Session, "after_commit", poll_now)
    try:
        bench.update_claim(claim.id, notes="Called the ministry")
        bench.set_setting("organisation", "Fact desk")
        other, _ = bench.add_article(from_pasted("Port figures\n\nThe port handled 12 million tonnes in 2024."))
    finally:
        event.remove(Session, "after_commit", poll_now)
    deadline = time.monotonic() + 5  # the notifications may come a moment after the commits
    seen.append(bench.changes_since(token))
    while not (claim.id in seen[-1].changes.claim_ids and other.id in seen[-1].changes.articles_added
               and "organisation" in seen[-1].changes.settings) and time.monotonic() < deadline:
        time.sleep(0.05)
        seen.append(bench.changes_since(token))
    changes = seen[-1].changes  # the poll did see all three
    assert claim.id in changes.claim_ids and other.id in changes.articles_added and "organisation" in changes.settings
    assert all(found.messages == () for found in seen)
    bench.close()


def test_after_the_server_drops_every_session_the_next_action_just_works(pg: PgServer, team_url: str) -> None:
    bench = desk(pg, team_url, "ana")
    (article,) = bench.seed([SAMPLE])
    claim = bench.claims(article.id)[0]
    pg.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'claimdesk'"
             " AND datname = current_database()", database=team_url)  # a restart, as the pool sees it
    stored, _ = bench.update_claim(claim.id, notes="Typed while the server restarted")
    assert stored.notes == "Typed while the server restarted"
    bench.close()


def test_every_connection_to_the_server_gives_up_on_a_silent_network(pg: PgServer, team_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that goes silent mid-session (a network cut) fails the next action with one line
    after DEAD_PEER_S, not after TCP's own 15 minutes with the window frozen: libpq is given
    keepalives and tcp_user_timeout on the pool's connections and on the change listener's.
    (A Unix socket ignores them, so this holds what libpq was given; by hand, with the server on
    TCP black-holed by nftables, the article list took 20 s to its one line, against still
    blocked after 60 s before, and the live poll noticed at once instead of never.)"""
    import psycopg

    opened: list[psycopg.Connection[object]] = []
    connect = psycopg.connect  # what the pool and the listener both call

    def recorded(*args: object, **kwargs: object) -> psycopg.Connection[object]:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(conn)
        return conn

    monkeypatch.setattr(psycopg, "connect", recorded)
    bench = desk(pg, team_url, "ana")
    bench.articles()
    bench.changes_since(bench.change_token())  # the change listener connects
    names = {conn.info.get_parameters().get("application_name", "") for conn in opened}
    assert "claimdesk" in names and any(name.startswith("claimdesk (changes)") for name in names)
    for conn in opened:
        given = conn.info.get_parameters()
        assert given.get("keepalives") == "1"
        assert int(given["tcp_user_timeout"]) == DEAD_PEER_S * 1000
        assert int(given["keepalives_idle"]) + int(given["keepalives_interval"]) * int(given["keepalives_count"]) \
            <= DEAD_PEER_S
    bench.close()


@pytest.mark.gui
def test_a_verdict_set_by_ana_appears_in_bens_window(qtbot, pg: PgServer, team_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Two people, two logins, one server: the window follows by LISTEN/NOTIFY, and signs as its login."""
    from app.ui import dialogs
    from app.ui.application import settings
    from app.ui.main_window import MainWindow
    from app.ui.tasks import SyncRunner

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, message: shown.append(message))
    admin = desk(pg, team_url)
    (article,) = admin.seed([SAMPLE])
    ana, ben = desk(pg, team_url, "ana"), desk(pg, team_url, "ben")
    settings().setValue("reviewer", "Ana Checker")  # a name typed on this machine long ago
    window = MainWindow(ben, pg.url(team_url, "ben"), settings(), runner=SyncRunner())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert ben.actor == "ben"  # the login, not the typed name
    claim = ana.claims(article.id)[0]
    window.select_claim(claim.id)
    qtbot.waitUntil(lambda: window.editor.claim is not None and window.editor.claim.id == claim.id, timeout=2000)

    ana.update_claim(claim.id, verdict=ana.scale().rating("false"))
    qtbot.waitUntil(lambda: window.editor.claim.verdict_name == "False", timeout=2000)
    assert window.editor.claim.verdict_by == "ana" and shown == []
    window.close()
    for bench in (admin, ana, ben):
        bench.close()


def test_a_writer_kept_waiting_past_the_timeout_gets_one_line(pg: PgServer, team_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    from app.storage import engine as engine_module

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    bench = desk(pg, team_url, "ana")
    plain = pg.url(team_url).replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(plain) as holder:  # another writer, in the middle of a long change
        holder.execute(f"SELECT pg_advisory_xact_lock({engine_module.WRITE_LOCK})")
        with pytest.raises(StorageError, match="stayed busy with another person's change"):
            bench.set_setting("organisation", "Fact desk")
        holder.rollback()
    bench.set_setting("organisation", "Fact desk")  # and once it is free, the write goes through
    assert bench.setting("organisation") == "Fact desk"
    bench.close()
