"""Sources that last, in the real window: a snapshot and an archive copy when a source is added,
Check sources marking a gone link and a changed page, the broken-source filter, the side-by-side
view, and jobs that wait for the network. Pages come from a local server (tests/link_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain import LinkState
from app.services.links import ARCHIVE_AVAILABLE_KEY, ARCHIVE_SAVE_KEY
from app.ui.claims_model import Role
from app.ui.dialogs import SourceDialog, SourceInput
from tests.conftest import WAIT_MS
from tests.link_server import SECOND, LinkWeb, serving

pytestmark = pytest.mark.gui


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkWeb]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMDESK_ARCHIVE_INTERVAL", "0")
    with serving() as server:
        yield server


def _add(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, *inputs: SourceInput) -> None:
    answers = iter(inputs)
    monkeypatch.setattr(SourceDialog, "ask", classmethod(lambda cls, parent, source=None: next(answers)))
    for _ in inputs:
        qtbot.mouseClick(window.editor.add_source_button, Qt.MouseButton.LeftButton)


def _icon_tips(window: Any) -> list[str]:
    items = [window.editor.sources.item(i) for i in range(window.editor.sources.count())]
    return [item.toolTip().splitlines()[0] for item in items]


def test_a_source_added_in_the_window_gets_a_snapshot_and_an_archive_copy(qtbot, window, bench, web, monkeypatch):
    bench.set_setting(ARCHIVE_SAVE_KEY, f"{web.base}/save/")
    bench.set_setting(ARCHIVE_AVAILABLE_KEY, f"{web.base}/wayback/available")
    work = window.source_work
    assert not work.archive_action.isChecked()  # off by default: it sends the link to a third party
    work.archive_action.trigger()
    assert bench.links.archiving()
    claim = window.editor.claim
    _add(qtbot, window, monkeypatch, SourceInput(f"{web.base}/report", "Ministry report", "MoD"))
    assert _icon_tips(window) == ["Link not checked yet"]
    assert work.run_due() == 2  # the snapshot, then the archive copy it queued
    qtbot.waitUntil(lambda: _icon_tips(window)[0].startswith("Link works (")
                    and "web archive copy" in window.editor.sources.item(0).toolTip(), timeout=WAIT_MS)
    (source,) = bench.claim(claim.id).sources
    (snap,) = bench.links.snapshots(source.id)
    assert "3,000 troops are stationed" in snap.text
    stamp = web.saved[f"{web.base}/report"]
    assert source.archived_url == f"https://web.archive.org/web/{stamp}/{web.base}/report"
    tip = window.editor.sources.item(0).toolTip()
    assert f"snapshot of {snap.fetched_at:%Y-%m-%d}" in tip and "web archive copy" in tip
    assert "archived" in window.editor.sources.item(0).text()


def test_check_sources_marks_a_gone_link_and_a_changed_page(qtbot, window, bench, web, monkeypatch):
    claims = window.model.claims()
    first, second = claims[0], claims[1]
    window.select_claim(first.id)
    _add(qtbot, window, monkeypatch, SourceInput(f"{web.base}/changing", "Deployment page"),
         SourceInput(f"{web.base}/gone", "Old report"))
    window.select_claim(second.id)
    _add(qtbot, window, monkeypatch, SourceInput(f"{web.base}/report", "Ministry report"))
    window.source_work.run_due()
    web.pages["/changing"] = SECOND

    window.source_work.check_action.trigger()
    progress = window.source_work.progress
    assert progress.isVisible() and progress.maximum() == 3 and progress.value() == 0
    window.source_work.run_due()
    qtbot.waitUntil(lambda: not progress.isVisible(), timeout=WAIT_MS)
    window.select_claim(first.id)
    qtbot.waitUntil(lambda: _icon_tips(window)[0].startswith("Page changed since the snapshot"), timeout=WAIT_MS)
    tips = _icon_tips(window)
    assert tips[1].startswith("Link is gone: the server answered 404 Not Found")
    stored = {s.url: s.health for s in bench.claim(first.id).sources}
    assert stored[f"{web.base}/gone"].state is LinkState.GONE
    assert stored[f"{web.base}/changing"].state is LinkState.CHANGED

    # The side-by-side view of the page as cited and as it is now.
    window.editor.sources.setCurrentRow(1)
    assert not window.editor.sources_tab.compare_button.isEnabled()
    window.editor.sources.setCurrentRow(0)
    tab = window.editor.sources_tab
    assert tab.compare_button.isEnabled()
    qtbot.mouseClick(tab.compare_button, Qt.MouseButton.LeftButton)
    view = tab.snapshot_view
    assert view is not None and view.isVisible()
    assert "3,000 troops are stationed" in view.before.toPlainText()
    assert "This page has been replaced" in view.after.toPlainText()
    view.close()

    # The claims table's filter: only the claim whose source is gone.
    combo = window.claims_pane.source_filter
    combo.setCurrentIndex(combo.findText("Claims with a broken source"))
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, 0).data(Role.CLAIM_ID) == first.id
    combo.setCurrentIndex(0)
    assert window.proxy.rowCount() > 1


def test_offline_jobs_wait_and_say_so_then_run_when_the_network_is_back(qtbot, window, bench, web, monkeypatch):
    work = window.source_work
    work.network.force(False)
    _add(qtbot, window, monkeypatch, SourceInput(f"{web.base}/report"), SourceInput(f"{web.base}/moved"),
         SourceInput(f"{web.base}/report.pdf"))
    assert work.run_due() == 0
    qtbot.waitUntil(lambda: work.waiting_label.isVisible(), timeout=WAIT_MS)
    assert work.waiting_label.text() == "3 source checks waiting for the network"
    assert not any(hit for hit in web.hits)  # nothing was fetched
    work.network.force(True)
    assert work.run_due() == 3
    qtbot.waitUntil(lambda: not work.waiting_label.isVisible(), timeout=WAIT_MS)
    assert bench.links.jobs() == []


def test_the_worker_thread_takes_snapshots_in_the_background(qtbot, bench, sample_article, web, monkeypatch):
    """The window as it runs for real: a worker thread, no test asking it to run."""
    from app.ui.application import settings
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner

    settings().setValue("reviewer", "Ana Checker")
    win = MainWindow(bench, "test.sqlite3", settings(), runner=TaskRunner())
    qtbot.addWidget(win)
    win.show()
    win.source_work.network.force(True)
    claim = win.editor.claim
    _add(qtbot, win, monkeypatch, SourceInput(f"{web.base}/report"))
    source = bench.claim(claim.id).sources[0]
    qtbot.waitUntil(lambda: bool(bench.links.snapshots(source.id)), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _icon_tips(win)[0].startswith("Link works ("), timeout=WAIT_MS)
    win.close()
    assert win.source_work._thread is not None and not win.source_work._thread.is_alive()
