"""The one front the window and the command line call: a thin facade over the use cases.

Each write is one transaction (BEGIN IMMEDIATE: a second writer waits instead of failing),
returns a ChangeSet, and raises only errors from app.domain.errors (user errors, shown in one
line: ValidationError, NotFound, StorageError, Conflict) or a bug. Writes that take
`expected_version` refuse a stale read with a Conflict instead of overwriting a change.

The use cases live by area: articles.py, claims.py (and the workflow), sources.py,
settings.py (and rating scales), search.py, history.py (and changes_since).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker

from app.domain.changes import DEFAULT_SCALE, SEEDED_KEY
from app.services.articles import Articles, fit_to_structure
from app.services.claims import Claims
from app.services.context import Context, Detector
from app.services.evidence import EvidenceService
from app.services.history import History
from app.services.links import Links
from app.services.matching import Matching
from app.services.overview import DeskOverview
from app.services.revisions import Revisions
from app.services.search import Search
from app.services.settings import SCALE_KEY, Settings
from app.services.sources import Sources

__all__ = ["DEFAULT_SCALE", "SCALE_KEY", "SEEDED_KEY", "Detector", "Workbench", "fit_to_structure"]


class Workbench:
    """Every read and write the window and the command line make, over one sessionmaker."""

    def __init__(
        self, sessions: sessionmaker[Session], detector: Detector | None = None, actor: str = ""
    ) -> None:
        self._sessions = sessions
        self._ctx = ctx = Context(sessions, detector, actor)
        settings = Settings(ctx)
        articles, claims = Articles(ctx), Claims(ctx, settings)
        sources, search, history = Sources(ctx), Search(ctx), History(ctx)
        # articles
        self.articles = articles.articles
        self.article = articles.article
        self.segments = articles.segments
        self.find_by_hash = articles.find_by_hash
        self.import_file = articles.import_file
        self.add_article = articles.add_article
        self.update_article = articles.update_article
        self.delete_article = articles.delete_article
        self.seed = articles.seed
        self.redetect = articles.redetect
        self.overview = DeskOverview(ctx, settings).overview
        # claims and their workflow
        self.claims = claims.claims
        self.claim = claims.claim
        self.claim_by_number = claims.claim_by_number
        self.mark_claim = claims.mark_claim
        self.update_claim = claims.update_claim
        self.approve = claims.approve
        self.reopen = claims.reopen
        self.accept = claims.accept
        self.reject = claims.reject
        self.restore_claim = claims.restore_claim
        self.delete_claim = claims.delete_claim
        # sources
        self.add_source = sources.add_source
        self.update_source = sources.update_source
        self.remove_source = sources.remove_source
        self.restore_source = sources.restore_source
        # settings and rating scales
        self.setting = settings.setting
        self.set_setting = settings.set_setting
        self.scales = settings.scales
        self.scale = settings.scale
        self.set_scale = settings.set_scale
        self.rating = settings.rating
        # search, history, and other people's changes
        self.search = search.search
        self.history = history.history
        self.change_token = history.change_token
        self.changes_since = history.changes_since
        # evidence: passage comparisons and figures checks saved on a claim
        evidence = EvidenceService(ctx)
        self.evidence = evidence.evidence
        self.article_evidence = evidence.article_evidence
        self.save_comparison = evidence.save_comparison
        self.save_figures = evidence.save_figures
        self.remove_evidence = evidence.remove_evidence
        self.restore_evidence = evidence.restore_evidence
        # earlier checks of the same claim (app.matching), and starting a claim from one
        matching = Matching(ctx)
        self.match = matching.match
        self.claim_matches = matching.claim_matches
        self.matches_indexed = matching.indexed
        self.matches_ready = matching.ready
        self.start_from = matching.start_from
        # revisions of an article, and claims carried from one to the next
        revisions = Revisions(ctx)
        self.revisions = revisions.revisions
        self.revision = revisions.revision
        self.revision_numbers = revisions.numbers
        self.article_by_url = revisions.article_by_url
        self.import_revision = revisions.import_revision
        self.confirm_anchor = revisions.confirm_anchor
        self.orphan_claim = revisions.orphan_claim
        self.restore_anchor = revisions.restore_anchor
        # sources that last: snapshots, link checks, web archive copies, and their job queue
        self.links = Links(ctx, settings)

    @property
    def actor(self) -> str:
        """Who the history records for this Workbench's writes (and who signs off)."""
        return self._ctx.actor

    @actor.setter
    def actor(self, name: str) -> None:
        self._ctx.actor = name

    @property
    def login(self) -> str:
        """Team mode: the database login, which the server signs every change with; "" on
        SQLite, where the actor is a typed name."""
        return self._ctx.db.login()

    def viewing(self, claim_id: int | None) -> None:
        """Team mode: tell the others which claim this window has open (None: none), so
        nobody checks a claim twice. A no-op on SQLite."""
        self._ctx.db.show_viewing(claim_id)

    def viewers(self) -> dict[int, tuple[str, ...]]:
        """Team mode: claim id -> logins of the other windows that have it open ("Being viewed
        by ana"); one cheap query, to ask with the change poll. {} on SQLite."""
        return self._ctx.db.viewers()

    def written_here(self, history_ids: Iterable[int]) -> None:
        """History lines this process wrote before this Workbench was made (app.first_screen's
        edits): its own changes, which the status bar does not report as someone else's."""
        self._ctx.own_history.update(history_ids)

    def close(self) -> None:
        """Let go of every connection (see Database.close); the Workbench can still be used after."""
        self._ctx.close()
