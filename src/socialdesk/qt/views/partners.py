"""Partners: every contact with an audience of their own, and how likely they share."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from socialdesk.core.clock import today
from socialdesk.core.formatting import percent, short_date
from socialdesk.core.leverage import posterior
from socialdesk.qt.delegates import PlatformsDelegate
from socialdesk.qt.table_model import Column, RowTableModel, SortProxy, count_column
from socialdesk.qt.views.base import EmptyState, View, heading, make_table, muted
from socialdesk.store import partners
from socialdesk.store.models import PartnerRow
from socialdesk.store.workspace import Workspace


def likelihood(row: PartnerRow) -> float:
    """The partner's share likelihood q from tie strength and past asks."""
    return posterior(row.strength, row.asks_resolved, row.asks_shared)


COLUMNS: list[Column[PartnerRow]] = [
    Column("Partner", lambda r: r.name),
    Column("Organisation", lambda r: r.organisation),
    Column("Kind", lambda r: r.kind),
    count_column("Audience", lambda r: r.audience),
    Column("Platforms", lambda r: tuple(sorted(r.platforms, key=lambda p: -r.platforms[p])),
           display=lambda v: ", ".join(v),
           tooltip=lambda r: "\n".join(f"{p}: {n:,}" for p, n in sorted(
               r.platforms.items(), key=lambda kv: -kv[1]))),
    Column("Top topics", lambda r: ", ".join(r.topics)),
    Column("Shares if asked", likelihood, display=percent, numeric=True,
           tooltip=lambda r: f"Shared {r.asks_shared} of {r.asks_resolved} answered asks; "
           f"tie strength {r.strength:.0%}"),
    Column("Last asked", lambda r: r.last_asked_on,
           display=lambda v: short_date(v, today()) if v else "never"),
]


class PartnersView(View):
    """Partners ranked by audience, filterable."""

    name = "partners"
    title = "Partners"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.model: RowTableModel[PartnerRow] = RowTableModel(COLUMNS, self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter partners…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = make_table(self.proxy, sortable=True)
        self.table.setItemDelegateForColumn(4, PlatformsDelegate(self.table))
        self.body = EmptyState(
            self.table,
            "No partners yet — import contacts, or add an audience to a contact to make "
            "them a partner.",
        )
        self.summary = muted("")
        bar = QHBoxLayout()
        bar.addWidget(heading("Partners"))
        bar.addStretch()
        bar.addWidget(self.filter, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.body, 1)

    def refresh(self) -> None:
        """Reload every partner."""
        rows = partners.partner_rows(self.ws)
        self.model.set_rows(rows)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.body.set_empty(not rows)
        total = sum(r.audience for r in rows)
        self.summary.setText(
            f"{len(rows):,} partners with {total:,} followers between them "
            "(audiences overlap: the planner counts unique reach)."
        )
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 220))
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 200))
        self.table.setColumnWidth(5, min(self.table.columnWidth(5), 240))
