"""What a write touched (ChangeSet), and where a reader stands in the stream of changes.

Every service call returns a ChangeSet; changes made by another process arrive as one too
(Workbench.changes_since), so a screen updates through one door whoever made the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

SCALE_SETTING = "rating_scale"  # the setting that holds the workspace's rating scale
DEFAULT_SCALE = "default"  # the rating scale of a workspace whose setting names none
SEEDED_KEY = "seeded_samples"  # the setting that lists the bundled samples already seeded (their hashes)


def _ids() -> frozenset[int]:
    return frozenset()


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a write touched, so each screen can decide what to redraw. Ids only: load what you show.

    - `article_ids`: every article touched in any way (details, claims or sources): its row in
      the article list (counts) may differ. The other article fields say how.
    - `articles_added` / `articles_removed`: articles that appeared or went away.
    - `articles_updated`: an article's details (title, outlet, …) changed, or its claim list
      changed in bulk (detection re-run): re-read it, and its claims if it is shown.
    - `claim_ids`: claims still there whose fields or sources changed (alias `claims_updated`).
    - `claims_added` / `claims_removed`: claims that appeared (marked, restored, detected) or went
      away (deleted, rejected).
    - `sources_added` / `sources_updated` / `sources_removed`: source ids; their claim is in `claim_ids`.
    - `settings`: keys of workspace settings written; `scale_changed` is the rating scale's.
    """

    article_ids: frozenset[int] = field(default_factory=_ids)
    claim_ids: frozenset[int] = field(default_factory=_ids)
    claims_added: frozenset[int] = field(default_factory=_ids)
    claims_removed: frozenset[int] = field(default_factory=_ids)
    articles_added: frozenset[int] = field(default_factory=_ids)
    articles_removed: frozenset[int] = field(default_factory=_ids)
    articles_updated: frozenset[int] = field(default_factory=_ids)
    sources_added: frozenset[int] = field(default_factory=_ids)
    sources_updated: frozenset[int] = field(default_factory=_ids)
    sources_removed: frozenset[int] = field(default_factory=_ids)
    settings: frozenset[str] = field(default_factory=frozenset)

    @property
    def claims_updated(self) -> frozenset[int]:
        return self.claim_ids

    @property
    def scale_changed(self) -> bool:
        return SCALE_SETTING in self.settings

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: ChangeSet) -> ChangeSet:
        """Both changes, as one: a claim added then removed is just removed, and so on."""
        merged = {f.name: getattr(self, f.name) | getattr(other, f.name) for f in fields(self)}
        for added, updated, removed in (
            ("claims_added", "claim_ids", "claims_removed"),
            ("articles_added", "articles_updated", "articles_removed"),
            ("sources_added", "sources_updated", "sources_removed"),
        ):
            gone = merged[removed]
            merged[added] -= gone
            merged[updated] -= gone
        return ChangeSet(**merged)


@dataclass(frozen=True, slots=True)
class ChangeToken:
    """Where a reader stands: pass it to Workbench.changes_since and keep the one it returns.
    Opaque to callers; `stamp` is the backend's cheap change counter."""

    stamp: int
    history_id: int
    articles: tuple[tuple[int, int], ...]  # (id, version) of every article
    settings: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since a token: the ChangeSet to apply, short lines for a status bar
    ("Claim 6 approved by ben"), and the token to pass next time."""

    changes: ChangeSet
    messages: tuple[str, ...]
    token: ChangeToken
