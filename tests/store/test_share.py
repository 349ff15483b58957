"""Partner slugs in the store: which are taken, found through the slug index."""

from __future__ import annotations

from socialdesk.store import share
from socialdesk.store.workspace import Workspace


def _partners(ws: Workspace, *slugs: str | None) -> None:
    for number, slug in enumerate(slugs, 1):
        ws.conn.execute("INSERT INTO contacts (name, slug) VALUES (?, ?)",
                        (f"Partner {number}", slug))


def test_slugs_starting_are_the_base_and_its_numbered_ones(workspace: Workspace) -> None:
    _partners(workspace, "corner-cafe", "corner-cafe-2", "corner-cafe-10", "corner-cafes",
              "corner-caf", "corner-cafe.x", "acorner-cafe", None, "corner-cafe_2")
    assert share.slugs_starting(workspace, "corner-cafe") == {
        "corner-cafe", "corner-cafe-2", "corner-cafe-10"}
    assert share.slugs_starting(workspace, "mia") == set()


def test_slugs_starting_walks_the_slug_index_not_every_contact(workspace: Workspace) -> None:
    # A big workspace has 100,000 contacts and few slugs: a scan took 26 ms per kit.
    _partners(workspace, "corner-cafe", *[None] * 50)
    statements: list[str] = []
    workspace.conn.set_trace_callback(statements.append)
    share.slugs_starting(workspace, "corner-cafe")
    workspace.conn.set_trace_callback(None)
    plans = [str(row[-1]) for sql in statements if sql.lstrip().upper().startswith("SELECT")
             for row in workspace.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    reads = [plan for plan in plans if "contacts" in plan]
    assert reads and all("INDEX contacts_slug" in plan for plan in reads), plans
