"""Every table's columns sized to their contents and to the table's width.

:class:`ColumnFitter` (``make_table`` gives every table one) measures what each column
needs when the rows change, then shares the table's width out whenever it changes: room
to spare goes to one column (the title, the message…); when the room is short the widest
columns give up width first, so short columns (dates, numbers, statuses) stay whole and
a long text is cut only as far as it must be. A column the user resized keeps the width
the user gave it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

NARROWEST = 48  # pixels: a column given up for room keeps at least this (or its header)


def share_width(wanted: Mapping[int, int], floors: Mapping[int, int], room: int,
                stretch: int, keep: Collection[int] = ()) -> dict[int, int]:
    """Widths for columns wanting ``wanted`` in ``room`` pixels.

    Spare room goes to ``stretch``; short of room, every column is capped at one width,
    the largest that fits, but none below its floor. The ``keep`` columns (names) are
    capped only when capping the others cannot make room.
    """
    total = sum(wanted.values())
    if total <= room:
        widths = dict(wanted)
        if stretch in widths:
            widths[stretch] += room - total
        return widths
    keep = [c for c in keep if c in wanted]
    if keep:  # what the others leave at their floors, up to what the kept ones want
        others = sum(min(w, floors.get(c, 0)) for c, w in wanted.items() if c not in keep)
        left = (room - others) // len(keep)
        floors = {**floors, **{c: min(wanted[c], max(floors.get(c, 0), left)) for c in keep}}

    def capped(cap: int) -> dict[int, int]:
        return {c: min(w, max(cap, floors.get(c, 0))) for c, w in wanted.items()}

    low, high = 0, max(wanted.values(), default=0)
    while low < high:  # the largest cap whose widths fit
        middle = (low + high + 1) // 2
        if sum(capped(middle).values()) <= room:
            low = middle
        else:
            high = middle - 1
    widths = capped(low)
    spare = room - sum(widths.values())
    for column in sorted(widths, key=lambda c: wanted[c] - widths[c], reverse=True):
        if spare <= 0:
            break
        more = min(spare, wanted[column] - widths[column])
        widths[column] += more
        spare -= more
    return widths


class ColumnFitter(QObject):
    """Keeps ``table``'s columns fitted: measured when its rows change, shared on resize.

    ``stretch`` takes the spare room (None: the last column). ``widest`` caps what a
    column is measured to need, ``keep`` names the columns cut last. The ``optional``
    columns (the last named first) are left out while the others do not fit whole. A view
    that measures its columns itself (a step at a time, on a big table) turns
    ``measuring`` off and hands its widths to :meth:`set_wanted`; with ``per_turn`` the
    fitter measures a column per turn of the event loop itself and shares the widths out
    once all are measured (a table whose rows change often, each costing a few ms).
    """

    def __init__(self, table: QTableView, stretch: int | None = None) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = stretch
        self.widest: dict[int, int] = {}
        self.optional: tuple[int, ...] = ()
        self.keep: tuple[int, ...] = ()  # columns cut last when room is short (names)
        self._dropped: set[int] = set()  # optional columns hidden for want of room
        self._chosen: dict[int, int] = {}  # widths the user dragged columns to
        self._applying = False  # the fitter is resizing or hiding sections
        self.measuring = True
        self.per_turn = False
        self._round = 0  # counts the measurings a column per turn: only the last goes on
        self.wanted: dict[int, int] = {}
        self._room = -1
        self._due = QTimer(self)
        self._due.setSingleShot(True)
        self._due.setInterval(0)
        self._due.timeout.connect(self.fit)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._resized)
        self._model = table.model()
        self._watch()
        table.viewport().installEventFilter(self)

    def _watch(self) -> None:
        """Refit when the table's model (or one given since) gets new rows or a new order.

        Not for rows fetched as the table scrolls: the columns stay put while scrolling.
        """
        self._model = model = self.table.model()
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(self.refit)

    def refit(self) -> None:
        """Measure again and share the width, on the next turn of the event loop."""
        if self.measuring:
            self.wanted = {}
        self._round += 1
        self._due.start()

    def set_wanted(self, widths: Mapping[int, int]) -> None:
        """The widths the columns need, measured by the view; shared out now."""
        self.wanted = dict(widths)
        self._share()

    def fit(self) -> None:
        """Measure what is not measured yet, and share the width out."""
        if self.measuring and not self.wanted:
            if self.per_turn:
                self._round += 1  # a measuring under way stops
                self._measure_from(self._columns(), {}, self._round)
                return
            self.wanted = self.measure()
        self._share()

    def _measure_from(self, columns: list[int], wanted: dict[int, int], round_: int) -> None:
        """Measure the first of ``columns``, the next a turn later; then share the width."""
        if round_ != self._round:
            return  # the rows changed since: measured again
        if columns:
            wanted[columns[0]] = self._need(columns[0])
            QTimer.singleShot(1, self, lambda: self._measure_from(columns[1:], wanted, round_))
            return
        self.wanted = wanted
        self._share()

    def _columns(self) -> list[int]:
        count = self.table.model().columnCount()
        return [c for c in range(count)
                if c in self._dropped or not self.table.isColumnHidden(c)]

    def measure(self) -> dict[int, int]:
        """What each shown column needs: its contents or its title, at most ``widest``."""
        return {column: self._need(column) for column in self._columns()}

    def _need(self, column: int) -> int:
        need = max(self.table.sizeHintForColumn(column),
                   self.table.horizontalHeader().sectionSizeHint(column))
        return min(need, self.widest.get(column, need))

    def _share(self) -> None:
        if self.table.model() is not self._model:  # a model set since: measure it
            self._watch()
            if self.measuring:
                self.wanted = self.measure()
        columns = self._columns()
        if not columns or not self.wanted:
            return
        header = self.table.horizontalHeader()
        wanted = {c: self._chosen.get(c, self.wanted.get(c, header.sectionSizeHint(c)))
                  for c in columns}
        floors = {c: self._chosen.get(c, min(wanted[c], max(NARROWEST,
                                                             header.sectionSizeHint(c))))
                  for c in columns}
        self._room = room = self.table.viewport().width()
        for column in reversed(self.optional):
            if sum(wanted.values()) <= room or len(wanted) == 1:
                break
            wanted.pop(column, None)
        free = [c for c in wanted if c not in self._chosen]
        stretch = self.stretch if self.stretch in free else free[-1] if free else -1
        self._applying = True
        try:
            for column in columns:
                dropped = column not in wanted
                if dropped != (column in self._dropped):
                    self.table.setColumnHidden(column, dropped)
                    (self._dropped.add if dropped else self._dropped.discard)(column)
            for column, width in share_width(wanted, floors, room, stretch, self.keep).items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._applying = False

    def _resized(self, column: int, _old: int, new: int) -> None:
        """The user dragged a column's edge: it keeps that width from now on."""
        if (not self._applying and new > 0
                and QApplication.mouseButtons() != Qt.MouseButton.NoButton):
            self._chosen[column] = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Share the width out again when the table's width changes."""
        if (event.type() == QEvent.Type.Resize and watched is self.table.viewport()
                and self.table.viewport().width() != self._room):
            self._share()
        return False


def fitter_of(table: QTableView) -> ColumnFitter:
    """The fitter ``make_table`` gave ``table``."""
    fitter = table.findChild(ColumnFitter)
    assert fitter is not None, "a table made with make_table"
    return fitter
