"""Actions on articles: the File menu's ways in (Import article, Open link, New article from
clipboard: read, detect and store in the background) and out (Export report), the article's
details, its deletion and re-running detection. Each write's ChangeSet goes to the window's one
door (apply_changes)."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from app.domain import Article, ChangeSet, is_user_error
from app.domain.revisions import CarryOver
from app.ingest import ImportedText
from app.ui import dialogs

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class FileActions:
    """What the File and Claim menus do to a whole article, for one window."""

    def __init__(self, window: MainWindow) -> None:
        self._w = window
        self._bench = window.bench

    # -- ways in --------------------------------------------------------------------------

    def import_article(self) -> None:
        path = dialogs.ask_import_path(self._w)
        if path is not None:
            self.import_path(path)

    def import_url(self) -> None:
        url = dialogs.ask_url(self._w)
        if url:
            self.import_from(url, url)

    def import_clipboard(self) -> None:
        from app.ingest import from_pasted

        text = QApplication.clipboard().text()
        self.import_from("the clipboard", lambda: from_pasted(text))

    def import_path(self, path: Path) -> None:
        self.import_from(path.name, path)

    def import_from(self, name: str, source: Path | str | Callable[[], ImportedText]) -> None:
        """Read, detect and store in the background; the window stays responsive (a link can take
        seconds)."""
        bench, w = self._bench, self._w

        def work() -> tuple[Article, ChangeSet | None] | tuple[CarryOver, ChangeSet]:
            from app.ingest import read_source

            imported = source() if callable(source) else read_source(source)
            existing = bench.find_by_hash(imported.text)
            if existing is not None:
                return existing, None
            same_link = bench.article_by_url(imported.source_url) if imported.source_url else None
            if same_link is not None:  # a new version of an article already here: its next revision
                return bench.import_revision(same_link, imported)
            return bench.add_article(imported)

        def done(result: tuple[Article, ChangeSet | None] | tuple[CarryOver, ChangeSet]) -> None:
            if isinstance(result[0], CarryOver):
                summary, carried = result
                assert carried is not None
                w.articles_pane.pick(summary.article_id)
                w.revisions_ui.imported((summary, carried))
                return
            article, changes = result
            if changes is not None:
                w.apply_changes(changes)  # the list has it now
                w.articles_pane.pick(article.id)
                w.status.say(f"Imported “{article.title}”.")
                self.edit_details(imported=True)
            elif dialogs.confirm(
                w, "Already imported",
                f"{name} has the same text as “{article.title}”, which is already here. Open that article?",
            ):
                w.articles_pane.pick(article.id)

        w.status.bar.showMessage(f"Importing {name}…")
        w.runner.run(work, done, self.failed)

    def failed(self, error: Exception) -> None:
        self._w.status.bar.clearMessage()
        if is_user_error(error):
            dialogs.show_error(self._w, str(error))
        else:  # a bug of ours: the crash handler logs it and tells the user where
            sys.excepthook(type(error), error, error.__traceback__)

    # -- the open article -----------------------------------------------------------------

    def redetect(self) -> None:
        """Detect again; claims the fact-checker touched stay as they are."""
        if self._w.desk.article is None:
            return
        self._w.editor.flush()
        article_id = self._w.desk.article.id
        changes = self._w.guard(lambda: self._bench.redetect(article_id))
        if changes is not None:
            self._w.apply_changes(changes)
            self._w.status.say(
                f"Detection: {len(changes.claims_added)} new suggestions, {len(changes.claims_removed)} dropped."
            )

    def edit_details(self, *, imported: bool = False) -> None:
        """File › Article details; also offered right after an import (imported=True)."""
        article = self._w.desk.article
        if article is None:
            return
        details = (dialogs.ArticleDialog.ask(self._w, article, imported=True) if imported
                   else dialogs.ArticleDialog.ask(self._w, article))
        if details is None:
            return
        result = self._w.guard(lambda: self._bench.update_article(
            article.id, title=details.title, source_url=details.source_url, outlet=details.outlet,
            author=details.author, published=details.published, clear_published=details.published is None,
            expected_version=article.version,
        ))
        if result is not None:
            self._w.apply_changes(result[1])

    def delete_article(self) -> None:
        article = self._w.desk.article
        if article is None or not dialogs.confirm(
            self._w, "Delete article", f"Delete “{article.title}” with all its claims, verdicts and sources?"
        ):
            return
        changes = self._w.guard(lambda: self._bench.delete_article(article.id))
        if changes is not None:
            self._w.apply_changes(changes)

    def export_report(self) -> None:
        """File › Export report: the dialog previews and writes; remembered: folder, format, names."""
        w, bench, settings = self._w, self._bench, self._w.settings
        article = w.desk.article
        if article is None:
            dialogs.show_error(w, "Open an article first: the report is about one article.")
            return
        w.editor.flush()
        from app.export import slug
        from app.ui.export_dialog import ExportDialog

        stored = w.guard(lambda: (  # the report as stored now; not tried while the database cannot be
            bench.claims(article.id), bench.setting("report_url"), bench.setting("organisation"),
            bench.scales(), bench.article_evidence(article.id), bench.segments(article.id),
        ))
        if stored is None:
            return
        claims, report_url, organisation, scales, evidence, structure = stored
        folder = export_folder(settings, w.db_label)
        result = ExportDialog.ask(
            w, article, claims, report_url=report_url, organisation=organisation,
            path=folder / (slug(article.title) + ".html"), fmt=str(settings.value("export_format", "html")),
            scales=scales, evidence=evidence, structure=structure,
        )
        if result is None:
            return
        settings.setValue(_folder_key(w.db_label), str(result.path.parent))
        settings.setValue("export_format", result.fmt)
        for key, value in (("report_url", result.report_url), ("organisation", result.organisation)):
            if value:  # remembered for the next report, if the database can be written now
                w.guard(lambda key=key, value=value: bench.set_setting(key, value))
        w.status.say(f"Report saved to {result.path}")


def _folder_key(workspace: str) -> str:
    """The QSettings key of a workspace's export folder: each database remembers its own."""
    return "export_folder/" + hashlib.sha1(workspace.encode("utf-8")).hexdigest()[:16]


def export_folder(settings: QSettings, workspace: str) -> Path:
    """Where File › Export report starts: the folder this workspace last exported to, else the
    user's Documents folder (the home folder where there is none)."""
    remembered = str(settings.value(_folder_key(workspace), "") or "")
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()
