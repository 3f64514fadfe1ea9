"""The claims table as painted: what multiData answers for a whole cell at once is what data()
answers role by role, for every kind of claim a row can show."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtCore import QModelRoleDataSpan as Span
from PySide6.QtWidgets import QTableView

from app.domain import Anchor, Claim, Kind, Origin, Rating, State
from app.ui.claims_model import ClaimTableModel, Column

FALSE = Rating(7, "default", "false", "False", "#f4a582", 0)


def claims() -> list[Claim]:
    return [
        Claim(1, 1, 0, 30, "Unemployment fell by 3 percent", Kind.QUANTITY, score=0.91),
        Claim(2, 1, 40, 70, "The treaty was signed in 1990", Kind.DATE, State.IN_PROGRESS, FALSE, score=0.12,
              origin=Origin.DETECTED, accepted=False, number=4),
        Claim(3, 1, 80, 99, "a written conclusion", Kind.OTHER, State.APPROVED, conclusion="Half right",
              approved_by="bob", origin=Origin.MANUAL, anchor=Anchor.CHANGED, anchor_note="its figures changed"),
        Claim(4, 1, 100, 120, "not in this revision", Kind.QUANTITY, State.IN_REVIEW, FALSE, score=None,
              accepted=False, anchor=Anchor.ORPHANED),
    ]


class RoleByRole(ClaimTableModel):
    """The same model with Qt's own multiData, which asks data() once for each role."""

    def multiData(self, index: QModelIndex | QPersistentModelIndex, span: Span) -> None:  # noqa: N802
        ClaimTableModel.__base__.multiData(self, index, span)  # type: ignore[union-attr]


def painted(model: ClaimTableModel, qtbot) -> bytes:  # type: ignore[no-untyped-def]
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 220)
    for column, width in zip(Column, (40, 260, 90, 60, 110, 100, 60), strict=True):
        view.setColumnWidth(column, width)
    view.show()
    qtbot.waitExposed(view)
    image = view.grab().toImage()
    return bytes(image.constBits())


def test_the_table_paints_every_cell_as_data_answers_it_role_by_role(qtbot) -> None:  # type: ignore[no-untyped-def]
    one_call, by_role = ClaimTableModel(), RoleByRole()
    for model in (one_call, by_role):
        model.set_claims(claims())
        model.set_viewers({3: ("ana",)})  # an eye on the row of a claim someone else has open
    assert painted(one_call, qtbot) == painted(by_role, qtbot)
    # And it can tell: a claim shown otherwise paints otherwise.
    by_role.set_claims([*claims()[:3], Claim(4, 1, 100, 120, "not in this revision", Kind.QUANTITY)])
    assert painted(one_call, qtbot) != painted(by_role, qtbot)
