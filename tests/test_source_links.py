"""Sources that last, below the window: snapshots, the job queue, link checks and web archive
copies, against a local web (tests/link_server.py) on SQLite and PostgreSQL."""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from local_web import without_proxies
from sqlalchemy import select

from app.domain import Kind, LinkState
from app.links.page import fetch_page
from app.services import Workbench
from app.services.links import ARCHIVE, ARCHIVE_AVAILABLE_KEY, ARCHIVE_KEY, ARCHIVE_SAVE_KEY, CHECK, SNAPSHOT
from app.storage.models import SnapshotBlobRow
from tests.link_server import FIRST, PDF, SECOND, LinkWeb, serving


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkWeb]:
    without_proxies(monkeypatch)
    monkeypatch.setenv("CLAIMDESK_ARCHIVE_INTERVAL", "0")  # the pace between archive requests: not in tests
    with serving() as server:
        yield server


def _claim(bench: Workbench) -> int:
    from app.ingest.files import from_text

    article = bench.add_article(from_text("More than 3 000 troops are at the two bases.", "troops.txt",
                                          fallback_title="Troops"))[0]
    claim, _ = bench.mark_claim(article.id, 0, 25, Kind.QUANTITY)
    return claim.id


def _run_all(bench: Workbench) -> list[str]:
    """Run every job that is due now, as the window's worker does; the kinds run, in order."""
    ran = []
    while (done := bench.links.run_next()) is not None:
        ran.append(done[0].kind)
    return ran


def _archive_on(bench: Workbench, web: LinkWeb) -> None:
    bench.set_setting(ARCHIVE_KEY, "on")
    bench.set_setting(ARCHIVE_SAVE_KEY, f"{web.base}/save/")
    bench.set_setting(ARCHIVE_AVAILABLE_KEY, f"{web.base}/wayback/available")


def test_adding_a_source_queues_a_snapshot_that_keeps_the_page(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    source, _ = bench.add_source(claim_id, f"{web.base}/report", title="Ministry report")
    assert [(j.kind, j.target) for j in bench.links.jobs()] == [(SNAPSHOT, source.id)]
    assert _run_all(bench) == [SNAPSHOT]
    (snap,) = bench.links.snapshots(source.id)
    assert (snap.url, snap.final_url, snap.http_status) == (f"{web.base}/report",) * 2 + (200,)
    assert snap.content_type == "text/html" and snap.size == len(FIRST)
    assert "3,000 troops are stationed" in snap.text
    assert bench.links.snapshot_bytes(snap.id) == FIRST
    with bench._ctx.read() as s:  # stored compressed, under its hash
        blob = s.get(SnapshotBlobRow, snap.sha256)
        assert blob is not None and zlib.decompress(blob.data) == FIRST and len(blob.data) < len(FIRST)
    health = bench.claim(claim_id).sources[0].health
    assert health is not None and health.state is LinkState.OK and health.snapshot_at == snap.fetched_at
    assert bench.links.jobs() == []
    assert web.archive_hits == []  # the archive setting is off: nothing went to it


def test_the_same_bytes_are_stored_once(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    first, _ = bench.add_source(claim_id, f"{web.base}/report")
    second, _ = bench.add_source(claim_id, f"{web.base}/report")
    _run_all(bench)
    a, b = bench.links.snapshots(first.id)[0], bench.links.snapshots(second.id)[0]
    assert a.sha256 == b.sha256
    with bench._ctx.read() as s:
        assert len(s.scalars(select(SnapshotBlobRow.sha256)).all()) == 1


def test_a_pdf_source_is_kept_with_its_text(bench: Workbench, web: LinkWeb) -> None:
    source, _ = bench.add_source(_claim(bench), f"{web.base}/report.pdf")
    _run_all(bench)
    (snap,) = bench.links.snapshots(source.id)
    assert snap.content_type == "application/pdf"
    assert bench.links.snapshot_bytes(snap.id) == PDF
    assert "Annual deployment report: 3000 troops at two bases" in snap.text


def test_a_chain_of_301s_is_followed_and_a_moved_page_shows_where_it_went(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    hops, _ = bench.add_source(claim_id, f"{web.base}/hop/3")
    moved, _ = bench.add_source(claim_id, f"{web.base}/moved")
    _run_all(bench)
    assert bench.links.snapshots(hops.id)[0].final_url == f"{web.base}/report"
    sources = {s.id: s for s in bench.claim(claim_id).sources}
    assert sources[moved.id].health is not None
    assert sources[moved.id].health.state is LinkState.REDIRECTED
    assert sources[moved.id].health.final_url == f"{web.base}/new-home"
    assert "Link redirects to " + f"{web.base}/new-home" in sources[moved.id].health.summary()


def test_checks_tell_ok_gone_unreachable_and_changed(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    urls = {name: f"{web.base}/{name}" for name in ("report", "changing", "gone", "removed", "down", "moved")}
    ids = {name: bench.add_source(claim_id, url)[0].id for name, url in urls.items()}
    bench.add_source(claim_id, "http://no-such-host.invalid/page")
    _run_all(bench)  # snapshots (and /gone and /removed found gone at once)
    web.pages["/changing"] = SECOND  # the page is rewritten after it was cited
    article_id = bench.claim(claim_id).article_id
    results = {r.url: r for r in bench.links.check_article(article_id)}
    state = {name: results[url].state for name, url in urls.items()}
    assert state == {
        "report": LinkState.OK, "changing": LinkState.CHANGED, "gone": LinkState.GONE, "removed": LinkState.GONE,
        "down": LinkState.UNREACHABLE, "moved": LinkState.REDIRECTED,
    }
    assert results[urls["gone"]].detail == "the server answered 404 Not Found"
    assert results[urls["removed"]].detail == "the server answered 410 Gone"
    nowhere = results["http://no-such-host.invalid/page"]
    assert nowhere.state is LinkState.UNREACHABLE and "cannot find the server" in nowhere.detail
    changed = results[urls["changing"]]
    assert changed.similarity is not None and changed.similarity < 0.5
    assert results[urls["report"]].similarity == 1.0
    old, new = bench.links.live_text(ids["changing"])
    assert "3,000 troops are stationed" in old and "This page has been replaced" in new
    # Stored on the sources, for the list, the filter and the reports.
    health = {s.url: s.health for s in bench.claim(claim_id).sources}
    assert health[urls["gone"]] is not None and health[urls["gone"]].broken
    assert health[urls["changing"]] is not None and health[urls["changing"]].state is LinkState.CHANGED
    assert not health[urls["changing"]].broken


def test_a_link_that_changes_state_is_in_the_history_and_reaches_other_windows(
    bench: Workbench, web: LinkWeb, engine: Any,
) -> None:
    """The check's verdict on a link goes through the claim's history, the door by which every
    change reaches another window or another person's (team mode): no reload needed."""
    from app.services import Workbench as Desk
    from app.storage.engine import make_sessions

    claim_id = _claim(bench)
    source, _ = bench.add_source(claim_id, f"{web.base}/changing")
    _run_all(bench)  # its snapshot
    other = Desk(make_sessions(engine))  # another window on the same database
    token = other.change_token()
    web.pages["/changing"] = SECOND
    article_id = bench.claim(claim_id).article_id
    bench.links.check_article(article_id)
    # On PostgreSQL the other window learns of a change by a notification, which may land a
    # moment after the commit (its poll would see it a second later): wait for it, briefly.
    deadline = time.monotonic() + 5
    seen = other.changes_since(token)
    while seen.token.stamp == token.stamp and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = other.changes_since(token)
    assert source.id in seen.changes.sources_updated and claim_id in seen.changes.claim_ids
    (entry,) = [e for e in bench.history(claim_id) if e.field == "link"]
    assert (entry.entity, entry.entity_id, entry.new_value) == ("source", source.id, "Page changed since the snapshot")
    bench.links.check_article(article_id)  # the same state again: nothing more to record
    assert [e.field for e in bench.history(claim_id)].count("link") == 1
    other.close()


def test_a_slow_drip_is_unreachable_within_the_deadline(bench: Workbench, web: LinkWeb) -> None:
    bench.links.fetch = lambda url: fetch_page(url, timeout=0.5, deadline=1.0)
    source, _ = bench.add_source(_claim(bench), f"{web.base}/drip")
    (job,) = bench.links.jobs()
    bench.links.run_next()
    (waiting,) = bench.links.jobs()  # a snapshot that could not be taken waits and tries again
    assert waiting.attempts == 1 and "took longer than 1 seconds" in waiting.last_error
    assert waiting.next_try > job.next_try
    result, _ = bench.links.check_source(source.id)
    assert result is not None and result.state is LinkState.UNREACHABLE
    assert "took longer than 1 seconds" in result.detail


def test_jobs_are_rows_a_new_process_picks_up(bench: Workbench, web: LinkWeb, engine: Any) -> None:
    """Closing the window loses nothing: a second Workbench (the next start) runs what is left."""
    from app.storage.engine import make_sessions

    source, _ = bench.add_source(_claim(bench), f"{web.base}/report")
    del bench  # the first process is gone, its job never ran
    later = Workbench(make_sessions(engine))
    assert [j.kind for j in later.links.jobs()] == [SNAPSHOT]
    assert _run_all(later) == [SNAPSHOT]
    assert later.links.snapshots(source.id)


def test_a_leased_job_is_not_run_twice_and_failures_back_off(bench: Workbench, web: LinkWeb) -> None:
    bench.add_source(_claim(bench), "http://127.0.0.1:9/closed")
    job = bench.links.lease()
    assert job is not None and bench.links.lease() is None  # another window finds nothing to do
    bench.links.run(job)
    (waiting,) = bench.links.jobs()
    assert waiting.attempts == 1 and "refused the connection" in waiting.last_error
    assert bench.links.run_next() is None  # not due again yet
    assert bench.links.run_next(at=waiting.next_try + timedelta(seconds=1)) is not None
    assert bench.links.jobs()[0].attempts == 2


def test_with_the_setting_on_a_new_source_gets_a_confirmed_archive_copy(bench: Workbench, web: LinkWeb) -> None:
    _archive_on(bench, web)
    claim_id = _claim(bench)
    source, _ = bench.add_source(claim_id, f"{web.base}/report")
    assert _run_all(bench) == [SNAPSHOT, ARCHIVE]
    stamp = web.saved[f"{web.base}/report"]
    (stored,) = bench.claim(claim_id).sources
    assert stored.archived_url == f"https://web.archive.org/web/{stamp}/{web.base}/report"
    assert stored.health is not None and stored.health.archived_at is not None
    assert stored.health.archive_url == stored.archived_url
    assert [h.field for h in bench.history(claim_id)].count("archived_url") == 1
    assert web.archive_hits[0] == f"/save/{web.base}/report"
    assert web.archive_hits[1].startswith("/wayback/available?url=http%3A%2F%2F127.0.0.1")


def test_save_page_now_erring_is_confirmed_by_the_availability_api(bench: Workbench, web: LinkWeb) -> None:
    _archive_on(bench, web)
    web.spn_fails = True  # a 520 although the capture was made
    claim_id = _claim(bench)
    bench.add_source(claim_id, f"{web.base}/report")
    _run_all(bench)
    (stored,) = bench.claim(claim_id).sources
    assert stored.archived_url.startswith("https://web.archive.org/web/")


def test_an_archive_with_no_copy_leaves_the_job_waiting(bench: Workbench, web: LinkWeb) -> None:
    _archive_on(bench, web)
    bench.set_setting(ARCHIVE_SAVE_KEY, f"{web.base}/nothing-here/")  # saves nothing
    claim_id = _claim(bench)
    bench.add_source(claim_id, f"{web.base}/report")
    _run_all(bench)
    (waiting,) = bench.links.jobs()
    assert waiting.kind == ARCHIVE and "no copy in the web archive yet" in waiting.last_error
    assert bench.claim(claim_id).sources[0].archived_url == ""


def test_nothing_goes_to_the_archive_while_the_setting_is_off(bench: Workbench, web: LinkWeb) -> None:
    bench.set_setting(ARCHIVE_SAVE_KEY, f"{web.base}/save/")
    bench.set_setting(ARCHIVE_AVAILABLE_KEY, f"{web.base}/wayback/available")
    claim_id = _claim(bench)
    bench.add_source(claim_id, f"{web.base}/report")
    _run_all(bench)
    bench.links.check_article(bench.claim(claim_id).article_id)
    # An archive job queued while it was on does nothing once it is switched off.
    _archive_on(bench, web)
    second, _ = bench.add_source(claim_id, f"{web.base}/moved")
    bench.links.run_next()  # the snapshot, which queues the archive copy
    assert [j.kind for j in bench.links.jobs()] == [ARCHIVE]
    bench.set_setting(ARCHIVE_KEY, "")
    _run_all(bench)
    assert web.archive_hits == []
    assert not any(hit.startswith(("/save/", "/wayback/")) for hit in web.hits)
    assert bench.links.jobs() == []


def test_a_check_of_a_source_queued_from_the_window_is_a_job(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    bench.add_source(claim_id, f"{web.base}/gone")
    _run_all(bench)
    assert bench.links.queue_checks(bench.claim(claim_id).article_id) == 1
    assert [j.kind for j in bench.links.jobs()] == [CHECK]
    _run_all(bench)
    health = bench.claim(claim_id).sources[0].health
    assert health is not None and health.state is LinkState.GONE


def _cli(db_url: str, *args: str) -> Any:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "CLAIMDESK_DB": db_url}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


def test_the_command_line_checks_an_articles_sources(bench: Workbench, web: LinkWeb, db_url: str) -> None:
    import json

    claim_id = _claim(bench)
    article_id, number = bench.claim(claim_id).article_id, bench.claim(claim_id).number
    bench.add_source(claim_id, f"{web.base}/changing")
    bench.add_source(claim_id, f"{web.base}/removed")
    ran = _cli(db_url, "sources", "run")
    assert ran.returncode == 0 and ran.stderr == "2 job(s) run; 0 waiting.\n", ran.stderr
    web.pages["/changing"] = SECOND
    result = _cli(db_url, "sources", "check", str(article_id), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["claim"], r["state"], r["http_status"]) for r in rows] == [
        (f"{article_id}#{number}", "changed", 200), (f"{article_id}#{number}", "gone", 410)]
    text = _cli(db_url, "sources", "check", str(article_id))
    assert text.stdout.splitlines() == [
        f"{f'{article_id}#{number}':<8} changed      {web.base}/changing  ({rows[0]['similarity']:.0%} of the snapshot's text is"
        " still there)",
        f"{f'{article_id}#{number}':<8} gone         {web.base}/removed  (the server answered 410 Gone)",
    ]
    assert text.stderr == "2 source(s) checked: 1 broken, 1 changed since the snapshot.\n"
    missing = _cli(db_url, "sources", "check", "999")
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1


def test_reports_show_the_archive_copy_the_snapshot_and_a_broken_link(bench: Workbench, web: LinkWeb) -> None:
    import json

    import jsonschema

    from app.export import build_report, render_html, render_json, render_markdown, schema_path

    _archive_on(bench, web)
    claim_id = _claim(bench)
    archived, _ = bench.add_source(claim_id, f"{web.base}/report", title="Ministry report")
    _run_all(bench)
    bench.set_setting(ARCHIVE_KEY, "")
    bench.add_source(claim_id, f"{web.base}/changing", title="Deployment page")
    _run_all(bench)
    del web.pages["/report"]  # the cited page goes away
    article_id = bench.claim(claim_id).article_id
    bench.links.check_article(article_id)
    hits = len(web.hits)

    report = build_report(bench.article(article_id), bench.claims(article_id), scales=bench.scales())
    html = render_html(report)
    (stored, kept) = bench.claim(claim_id).sources
    assert f'<a class="archive" href="{stored.archived_url}" rel="noopener noreferrer">archived copy</a> of' in html
    assert "At the last check (" in html and ") the live link was gone; see the archived copy." in html
    assert "snapshot kept" in html  # the second source has no archive copy: its local snapshot's date
    markdown = render_markdown(report)
    assert "archived copy of " in markdown and "the live link was gone" in markdown
    data = json.loads(render_json(report))
    jsonschema.validate(data, json.loads(schema_path().read_text("utf-8")))
    first, second = next(c["sources"] for c in data["claims"] if len(c["sources"]) == 2)
    assert (first["link_state"], first["archived_url"]) == ("gone", stored.archived_url)
    assert first["archived_at"] is not None and first["snapshot_at"] is not None
    assert (second["link_state"], second["archived_url"], second["archived_at"]) == ("ok", "", None)
    assert kept.health is not None and second["snapshot_at"] == kept.health.snapshot_at.isoformat()
    assert len(web.hits) == hits  # an export fetches nothing


def test_a_new_link_starts_afresh_and_undoing_a_removal_keeps_what_was_known(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    source, _ = bench.add_source(claim_id, f"{web.base}/gone")
    _run_all(bench)
    gone = bench.claim(claim_id).sources[0]
    assert gone.health is not None and gone.health.state is LinkState.GONE
    bench.remove_source(source.id)
    restored, _ = bench.restore_source(gone)
    assert bench.claim(claim_id).sources[0].health == gone.health  # the icon comes back with it
    bench.update_source(restored.id, url=f"{web.base}/report")
    assert bench.claim(claim_id).sources[0].health is None  # the old link's state is not the new one's
    assert [j.kind for j in bench.links.jobs()] == [SNAPSHOT]
    _run_all(bench)
    health = bench.claim(claim_id).sources[0].health
    assert health is not None and health.state is LinkState.OK and health.snapshot_at is not None


def test_a_page_past_the_cap_is_not_kept_and_not_fetched_again(bench: Workbench, web: LinkWeb) -> None:
    claim_id = _claim(bench)
    bench.add_source(claim_id, f"{web.base}/huge")
    assert _run_all(bench) == [SNAPSHOT]
    assert bench.links.jobs() == []  # trying again would fetch the same 11 MB
    (source,) = bench.claim(claim_id).sources
    assert bench.links.snapshots(source.id) == []
    assert source.health is not None
    assert source.health.summary() == "Link not checked yet (no snapshot: the page is larger than 10 MB; Claimdesk stops there)"
