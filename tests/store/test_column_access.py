"""Each table's columns are named once in the store, and those names are the table's."""

from __future__ import annotations

import pytest

from socialdesk.store import (
    audiences,
    backups,
    campaigns,
    contacts,
    interactions,
    links,
    occurrences,
    post_writes,
)
from socialdesk.store.workspace import Workspace

# A platform or link kind the store does not list keeps its name in a label column
# (store/known_names.py), which every writer fills and every reader shows.
NAMED = {
    "contacts": contacts.CONTACT_COLUMNS + contacts.RECORD_COLUMNS + contacts.SHARE_COLUMNS,
    "campaigns": (*campaigns.CAMPAIGN_COLUMNS, "uid"),  # uid: store/sync_items.py
    "channels": (*campaigns.CHANNEL_COLUMNS, "platform_label"),
    "interactions": interactions.INTERACTION_COLUMNS,
    "audiences": (*audiences.AUDIENCE_COLUMNS, "platform_label"),
    "contact_links": (*links.LINK_COLUMNS, "kind_label"),
    "posts": post_writes.POST_COLUMNS,
    "backup_log": ("id", *backups.LOG_COLUMNS),
    "post_occurrences": ("post_id", "occurs_on", *occurrences.OCCURRENCE_COLUMNS, "updated_at"),
}


@pytest.mark.parametrize("table", sorted(NAMED))
def test_the_store_names_every_column_of_the_table(workspace: Workspace, table: str) -> None:
    """A column added by a migration but not named in the store would never be read."""
    columns = [row["name"] for row in workspace.conn.execute(f"PRAGMA table_info({table})")]
    assert sorted(columns) == sorted(NAMED[table])


def test_rows_are_built_by_name_whatever_the_order_of_the_select(workspace: Workspace) -> None:
    from socialdesk.store.columns import rows_as
    from socialdesk.store.models import Detail

    def read(sql: str) -> list[Detail]:
        return rows_as(Detail, workspace.conn.execute(sql))

    assert read("SELECT 'email' AS kind, 'a@x.example' AS value, 'work' AS label") == [
        Detail("email", "a@x.example", "work")]
    assert read("SELECT 'work' AS label, 'a@x.example' AS value, 'email' AS kind") == [
        Detail("email", "a@x.example", "work")]
    with pytest.raises(ValueError, match="no field colour"):
        read("SELECT 'email' AS kind, 'a' AS value, 'red' AS colour")


def test_many_rows_are_read_as_columns_by_name(demo: Workspace) -> None:
    from socialdesk.store.columns import columns_by_name

    read = columns_by_name(demo.conn.execute(
        "SELECT name AS who, id FROM contacts WHERE id IN (1, 2) ORDER BY id"))
    assert list(read) == ["who", "id"] and read["id"] == (1, 2) and len(read["who"]) == 2
    none = columns_by_name(demo.conn.execute("SELECT id, name FROM contacts WHERE 0"))
    assert none == {"id": (), "name": ()}


def test_numeric_columns_come_exact_in_the_query_order_however_they_are_read(
        workspace: Workspace) -> None:
    import random
    import sqlite3

    import numpy as np

    from socialdesk.store.columns import numeric_columns

    conn = workspace.conn
    conn.execute("CREATE TEMP TABLE figures (a, b, p)")
    # A file from elsewhere may hold NULL, REAL or text where integers belong.
    chances = [random.Random(i).random() * 1.5 for i in range(500)]
    chances[7] = 0.0
    conn.executemany("INSERT INTO figures VALUES (?, ?, ?)",
                     [(i, None if i % 3 else i * 2.5, chances[i]) for i in range(500)])
    conn.execute("INSERT INTO figures VALUES (500, 'x', 0.5)")
    sql = "SELECT a, b, p FROM figures ORDER BY a DESC"
    wanted = [list(range(500, -1, -1)),
              [0] + [0 if i % 3 else int(i * 2.5) for i in range(499, -1, -1)],
              [0.5, *chances[::-1]]]

    def read(query: str = sql) -> list[list[float]]:
        found = numeric_columns(conn.cursor(), query, "iif")
        assert [c.dtype for c in found] == [np.int64, np.int64, np.float64]
        return [c.tolist() for c in found]

    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    assert read() == wanted  # every bit of every float
    assert len(statements) == 1 and "group_concat" in statements[0]
    # Floats a scaled integer cannot hold exactly, or not numbers: read row by row.
    for odd, as_read in ((1e-5, 1e-5), (-0.25, -0.25), (2.0, 2.0), (1e300, 1e300),
                         ("0.5", 0.5), (None, None)):
        conn.execute("UPDATE figures SET p = ? WHERE a = 3", (odd,))
        floats = read()[2]
        assert floats[:497] + floats[498:] == wanted[2][:497] + wanted[2][498:]
        assert floats[497] == as_read if as_read is not None else np.isnan(floats[497])
    conn.execute("UPDATE figures SET p = ? WHERE a = 3", (chances[3],))
    # Longer than SQLite's longest text: read row by row, the same columns.
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 200)
    try:
        assert read() == wanted
        assert read(f"{sql} LIMIT 0") == [[], [], []]
    finally:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000_000)
    conn.set_trace_callback(None)
    assert read(f"{sql} LIMIT 0") == [[], [], []]
