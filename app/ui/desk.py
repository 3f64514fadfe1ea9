"""What the window holds of the database: the open article and its claims, kept up to date from
ChangeSets. No widgets here: it loads what changed and says what the screen must redraw."""

from __future__ import annotations

from collections.abc import Callable, Iterable, KeysView
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from app.domain import Article, ChangeSet, Claim
from app.domain.errors import NotFound
from app.domain.sensitivity import Sensitivity, hidden_count, is_shown

if TYPE_CHECKING:  # a type only: importing the services loads SQLAlchemy (app.first_screen)
    from app.services import Workbench

_T = TypeVar("_T")
BULK = 50  # more changed claims than this in one article: read the article's claims once instead


@dataclass
class Redraw:
    """What applying a ChangeSet means for the screen."""

    reset: bool = False  # the claim list changed: fill the table and the highlights again
    claims: list[Claim] = field(default_factory=list)  # otherwise: these claims changed in place
    article: bool = False  # the article's details (title…) changed


class Desk:
    """The open article, every claim of it, and the sensitivity that decides which are shown."""

    def __init__(self, bench: Workbench, sensitivity: Sensitivity) -> None:
        self._bench = bench
        self._sensitivity = sensitivity
        self.article: Article | None = None
        self._claims: list[Claim] = []
        self._at: dict[int, int] = {}  # claim id -> its place in `claims`: a change finds its claim at once
        # How many the sensitivity hides: counted once per list, then kept up to date claim by
        # claim (counting 5,000 claims on every verdict change cost a fifth of it).
        self._hidden: int | None = None

    @property
    def sensitivity(self) -> Sensitivity:
        return self._sensitivity

    @sensitivity.setter
    def sensitivity(self, step: Sensitivity) -> None:
        self._sensitivity = step
        self._hidden = None

    @property
    def claims(self) -> list[Claim]:
        return self._claims

    @claims.setter
    def claims(self, claims: list[Claim]) -> None:
        self._claims = claims
        self._at = {c.id: n for n, c in enumerate(claims)}

    def open(self, article: Article | None) -> None:
        self.article = article
        self.claims = self._bench.claims(article.id) if article is not None else []
        self._hidden = None

    def visible(self) -> list[Claim]:
        shown = [c for c in self.claims if is_shown(c, self.sensitivity)]
        self._hidden = len(self.claims) - len(shown)  # counted on the way: no second pass
        return shown

    def hidden(self) -> int:
        if self._hidden is None:
            self._hidden = hidden_count(self.claims, self.sensitivity)
        return self._hidden

    def ids(self) -> KeysView[int]:
        return self._at.keys()

    def claim(self, claim_id: int) -> Claim | None:
        at = self._at.get(claim_id)
        return None if at is None else self._claims[at]

    def update(self, changes: ChangeSet, loaded: Iterable[Claim], shown: Callable[[int], bool],
               keep: int | None) -> Redraw:
        """Bring the open article and its claims up to date. `loaded`: claims already read as
        stored; `shown(id)`: whether the table shows a claim now; `keep`: a claim that must not
        vanish under the user's hands (the sensitivity hides it at the next full refresh)."""
        if self.article is None:
            return Redraw()
        fresh = {c.id: c for c in loaded}
        article_id, known = self.article.id, self.ids()
        redraw = Redraw(article=article_id in changes.articles_updated)
        if redraw.article:
            self.article = self._load(lambda: self._bench.article(article_id)) or self.article
        # Set operations on the changed ids only, never on every claim of the article.
        updated = {i for i in changes.claim_ids | fresh.keys() if i in known and i not in changes.claims_removed}
        new = {i for i in changes.claims_added if i not in known} if article_id in changes.article_ids else set()
        removed = {i for i in changes.claims_removed if i in known}
        if redraw.article or len(updated) > BULK or any(i not in fresh for i in new):
            self.claims = self._bench.claims(article_id)
            self._hidden = None
            redraw.reset = True
            return redraw
        if new:  # a claim marked or put back here, already loaded: no need to read them all
            added = [fresh[i] for i in new if fresh[i].article_id == article_id]
            self.claims = sorted([*self.claims, *added], key=lambda c: (c.start, c.end))
        claims = [c for c in (fresh.get(i) or self._load(lambda i=i: self._bench.claim(i)) for i in updated) if c]
        gone = removed | (updated - {c.id for c in claims})
        by_id = {c.id: c for c in claims}
        if self._hidden is not None and not (new or gone):
            before = [self._claims[self._at[i]] for i in by_id]
            self._hidden += hidden_count(claims, self.sensitivity) - hidden_count(before, self.sensitivity)
        else:
            self._hidden = None
        if gone:
            self.claims = [by_id.get(c.id, c) for c in self.claims if c.id not in gone]
        else:  # changed in place, the usual case: no pass over every claim
            for claim in claims:
                self._claims[self._at[claim.id]] = claim
        # One undone, or changed elsewhere, shows as it now is: maybe newly hidden, or shown.
        flips = any(is_shown(c, self.sensitivity) != shown(c.id) and c.id != keep for c in claims)
        redraw.reset = bool(new or gone or flips)
        redraw.claims = claims
        return redraw

    @staticmethod
    def _load(read: Callable[[], _T]) -> _T | None:
        try:
            return read()
        except NotFound:
            return None
