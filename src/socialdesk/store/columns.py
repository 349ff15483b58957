"""A table's columns named once, as the fields of the dataclass the store hands out.

A reader selects :func:`select_list` of the field names and builds the dataclass with
:func:`from_row` by name (from a :class:`sqlite3.Row`), so a new column is a new field
and every ``SELECT``, ``INSERT`` and ``UPDATE`` written from the names follows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")


def field_names(cls: type[Any], leave_out: Collection[str] = ()) -> tuple[str, ...]:
    """The names of a dataclass's fields, in order, without those in ``leave_out``."""
    return tuple(f.name for f in fields(cls) if f.name not in leave_out)


def select_list(names: Sequence[str], table: str = "") -> str:
    """``names`` as the column list of a SELECT or INSERT (``c.name`` with ``table="c"``)."""
    prefix = f"{table}." if table else ""
    return ", ".join(prefix + name for name in names)


def select_named(
    names: Sequence[str], table: str, joined: Mapping[str, str] | None = None
) -> str:
    """A SELECT list giving each of ``names`` under its own name.

    Each is the column ``table.name`` unless ``joined`` maps it to another expression
    (a column of a joined table, a subquery).
    """
    other = joined or {}
    return ", ".join(f"{other.get(name, f'{table}.{name}')} AS {name}" for name in names)


def insert_sql(table: str, names: Sequence[str]) -> str:
    """``INSERT INTO table (names…) VALUES (?, …)``: the values go in the order of ``names``."""
    return f"INSERT INTO {table} ({select_list(names)}) VALUES ({', '.join('?' * len(names))})"


def from_row(cls: type[T], row: sqlite3.Row, names: Sequence[str], **extra: Any) -> T:
    """Build ``cls`` from the columns ``names`` of ``row`` by name, plus ``extra`` fields."""
    return cls(**{name: row[name] for name in names}, **extra)


def rows_as(cls: type[T], cursor: sqlite3.Cursor) -> list[T]:
    """Every row of a query as ``cls``, each column going to the field of its name.

    The SELECT names each column as a field of ``cls`` (``… AS reach``). The names are
    matched once per query, not once per row: when they are the fields in their order,
    thousands of rows are built as fast as by position.
    """
    return _as(cls, cursor, cursor)


ROWS_PART = 5000  # rows made between two calls of rows_in_parts' ``between``


def rows_in_parts(cls: type[T], cursor: sqlite3.Cursor,
                  between: Callable[[], object] | None = None) -> list[T]:
    """:func:`rows_as`, calling ``between()`` after every ``ROWS_PART`` rows read.

    A read on a worker checks there whether it should stop (its view was left): making
    48,000 rows is a few hundred milliseconds of Python on a huge workspace.
    """
    if between is None:
        return rows_as(cls, cursor)
    found: list[T] = []
    while part := cursor.fetchmany(ROWS_PART):
        found.extend(_as(cls, cursor, part))
        between()
    return found


def _as(cls: type[T], cursor: sqlite3.Cursor, rows: Iterable[Any]) -> list[T]:
    names = tuple(column[0] for column in cursor.description)
    if names == field_names(cls)[: len(names)]:
        return [cls(*row) for row in rows]
    unknown = set(names) - set(field_names(cls))
    if unknown:
        raise ValueError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    return [cls(**dict(zip(names, row, strict=True))) for row in rows]


def columns_by_name(cursor: sqlite3.Cursor, between: Callable[[], object] | None = None
                    ) -> dict[str, tuple[Any, ...]]:
    """Every row of a query as columns: each column's values, in row order, by its name.

    For reading many rows into arrays (a huge workspace's 150,000 audiences): a tuple
    per column instead of an object per row. The SELECT names each column (``… AS n``).
    With ``between``, the rows are read ``ROWS_PART`` at a time and ``between()`` is
    called after each part (as :func:`rows_in_parts`).
    """
    names = [column[0] for column in cursor.description]
    if between is None:
        rows = cursor.fetchall()
        values = zip(*rows, strict=True) if rows else ((),) * len(names)
        return dict(zip(names, values, strict=True))
    columns: list[list[Any]] = [[] for _ in names]
    while part := cursor.fetchmany(ROWS_PART):
        for column, part_values in zip(columns, zip(*part, strict=True), strict=True):
            column.extend(part_values)
        between()
    return {name: tuple(column) for name, column in zip(names, columns, strict=True)}


_FRACTION_SCALE = 2.0 ** 62  # a REAL in [2⁻¹⁰, 2) times this is an exact integer < 2⁶³


def numeric_columns(cursor: sqlite3.Cursor, sql: str, kinds: str, args: Sequence[Any] = ()
                    ) -> list[np.ndarray]:
    """The columns of a query as numpy arrays, in the query's row order.

    ``kinds`` has a letter per column: ``i`` an int64 column, ``f`` a float64 one. sqlite3
    makes a Python object of every value (a few tenths of a microsecond each); here SQLite
    writes each column as one comma-separated text of integers (``group_concat`` over the
    query, whose ORDER BY an aggregate over it keeps) and numpy parses it in C: a third of
    the time for 150,000 rows, with the interpreter lock free while SQLite works.

    SQLite writes a REAL with 15 digits, which loses bits, so a float column goes as
    ``x·2⁶²``: an exact integer for 0 and any x in [2⁻¹⁰, 2) (probabilities, as the
    model writes them). Integers are cast in SQL (NULL: 0), since a file from elsewhere
    may hold anything. A float outside that range (or not a number), or a column longer
    than SQLite's longest text, and the query is read row by row instead.
    """
    import numpy as np  # imported on first use, not at startup

    names = ", ".join(f"c{i}" for i in range(len(kinds)))
    texts, checks = [], []
    for i, kind in enumerate(kinds):
        if kind == "i":
            texts.append(f"group_concat(CAST(coalesce(c{i}, 0) AS INTEGER))")
        else:
            texts.append(f"group_concat(CAST(c{i} * {_FRACTION_SCALE!r} AS INTEGER))")
            checks += [f"min(c{i})", f"min(nullif(c{i}, 0))", f"max(c{i})", f"count(c{i})"]
    query = f"WITH q({names}) AS ({sql}) SELECT "
    try:
        found = cursor.execute(f"{query}{', '.join([*texts, 'count(*)', *checks])} FROM q",
                               args).fetchone()
    except sqlite3.DataError:  # longer than SQLITE_LIMIT_LENGTH (a billion bytes by default)
        found = None
    if found is not None and _exact(found[len(kinds) + 1:], found[len(kinds)]):
        parsed = [np.fromstring(text or "", dtype=np.int64, sep=",") for text in found[:len(kinds)]]
        return [column if kind == "i" else column / _FRACTION_SCALE
                for column, kind in zip(parsed, kinds, strict=True)]
    values = ", ".join(f"CAST(coalesce(c{i}, 0) AS INTEGER)" if kind == "i" else f"c{i}"
                       for i, kind in enumerate(kinds))
    rows = cursor.execute(f"{query}{values} FROM q", args).fetchall()
    return [np.asarray([row[i] for row in rows], dtype=np.int64 if kind == "i" else np.float64)
            for i, kind in enumerate(kinds)]


def _exact(checks: Sequence[Any], rows: int) -> bool:
    """Whether each float column's (min, min but 0, max, count) fit ``numeric_columns``' text."""
    for at in range(0, len(checks), 4):
        low, positive, high, count = checks[at:at + 4]
        if count != rows or not all(isinstance(v, int | float) for v in (low, high)) \
                or (positive is not None and not isinstance(positive, int | float)):
            return rows == 0
        if low < 0 or high >= 2 or (positive is not None and positive < 2.0 ** -10):
            return False
    return True
