"""Asks in the store: creating them, recording outcomes, the 30-day ask count, the links."""

from __future__ import annotations

import pytest

from socialdesk.store import asks, planning
from socialdesk.store.workspace import Workspace


@pytest.fixture
def bakery(workspace: Workspace) -> Workspace:
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name, kind) VALUES (1, 'Corner Café', 'partner'), "
              "(2, 'Mia', 'blogger'), (3, 'Tom', 'customer')")
    c.execute("INSERT INTO audiences (contact_id, platform, size) VALUES (1, 'instagram', 5000),"
              " (2, 'blog', 1200), (2, 'x', 300)")
    c.execute("INSERT INTO posts (id, uid, title, scheduled_on, link) VALUES "
              "(10, 'p10', 'Sourdough Saturday', '2026-03-14', 'https://bakery.example/sd')")
    c.executemany("INSERT INTO posts (id, uid, title) VALUES (?, ?, ?)",
                  [(i, f"p{i}", f"Post {i}") for i in range(11, 20)])
    return workspace


def new(contact_id: int, asked_on: str = "2026-03-10", **kw: object) -> asks.NewAsk:
    kw.setdefault("post_id", 10)
    return asks.NewAsk(contact_id=contact_id, asked_on=asked_on, **kw)  # type: ignore[arg-type]


def test_create_asks_in_one_go_and_read_them_back(bakery: Workspace) -> None:
    ids = asks.create_asks(bakery, [
        new(1, message="Hi Café", predicted_reach=123.4, effort_minutes=10, due_on="2026-03-13"),
        new(2, message="Hi Mia"),
    ])
    assert len(ids) == 2
    cafe = asks.get_ask(bakery, ids[0])
    assert cafe is not None
    assert (cafe.contact_name, cafe.post_title, cafe.status, cafe.asked_on, cafe.due_on) == (
        "Corner Café", "Sourdough Saturday", "asked", "2026-03-10", "2026-03-13")
    assert (cafe.message, cafe.predicted_reach, cafe.effort_minutes) == ("Hi Café", 123.4, 10)
    assert [a.contact_name for a in asks.asks_for_post(bakery, 10)] == ["Mia", "Corner Café"]
    assert [a.id for a in asks.asks_for_contact(bakery, 2)] == [ids[1]]
    assert {a.id for a in asks.waiting_asks(bakery, '2026-03-10', limit=9).rows} == set(ids)
    uids = {r[0] for r in bakery.conn.execute("SELECT uid FROM asks")}
    assert len(uids) == 2
    assert asks.delete_asks(bakery, ids) == 2
    assert asks.asks_for_post(bakery, 10) == []


def test_a_failed_create_writes_nothing(bakery: Workspace) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"):
        asks.create_asks(bakery, [new(1), new(999)])
    assert asks.asks_for_post(bakery, 10) == []


def test_outcomes(bakery: Workspace) -> None:
    (ask_id,) = asks.create_asks(bakery, [new(1)])
    shared = asks.record_outcome(bakery, ask_id, "shared", answered_on="2026-03-14",
                                 observed_reach=640)
    assert (shared.status, shared.answered_on, shared.observed_reach) == (
        "shared", "2026-03-14", 640)
    assert asks.waiting_asks(bakery, '2026-03-10', limit=9).rows == ()
    declined = asks.record_outcome(bakery, ask_id, "declined", answered_on="2026-03-12",
                                   observed_reach=640, note="Too busy")
    assert declined.observed_reach is None and declined.note == "Too busy"
    back = asks.record_outcome(bakery, ask_id, "asked")
    assert back.answered_on is None and back.note == "Too busy"
    with pytest.raises(ValueError, match="unknown ask status"):
        asks.record_outcome(bakery, ask_id, "maybe")
    with pytest.raises(ValueError, match="negative"):
        asks.record_outcome(bakery, ask_id, "shared", observed_reach=-1)
    with pytest.raises(LookupError):
        asks.record_outcome(bakery, 999, "shared")


def test_shares_and_resolved_asks_are_k_and_n(bakery: Workspace) -> None:
    ids = asks.create_asks(bakery, [new(1, f"2026-03-0{d}", post_id=10 + d) for d in range(1, 6)])
    for ask_id, status in zip(ids, ["shared", "declined", "no_reply", "agreed", "asked"],
                              strict=True):
        asks.record_outcome(bakery, ask_id, status)
    rows = planning.partner_rows(bakery)
    cafe = rows.ids.tolist().index(1)
    assert (rows.shared[cafe], rows.asked[cafe], rows.last_asked_on[cafe]) == (1, 3, "2026-03-05")



def test_partner_history_reads_only_the_asks_index(bakery: Workspace) -> None:
    # Each partner's resolved asks, shares and last ask: a scan of every ask's row took
    # 0.3 s of the planner's start on a workspace of 300,000 asks.
    asks.create_asks(bakery, [new(1, "2026-03-01"), new(2, "2026-03-02")])
    statements: list[str] = []
    bakery.conn.set_trace_callback(statements.append)
    planning.partner_rows(bakery)
    bakery.conn.set_trace_callback(None)
    plans = [str(row[-1]) for sql in statements if "FROM asks" in sql
             for row in bakery.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert plans and all("COVERING INDEX asks_history" in plan for plan in plans), plans

def test_asks_in_the_last_30_days(bakery: Workspace) -> None:
    asks.create_asks(bakery, [new(1, "2026-01-20"), new(1, "2026-02-20", post_id=11),
                              new(1, "2026-03-10", post_id=12), new(2, "2026-03-01"),
                              new(3, "2026-04-01")])
    assert asks.recent_ask_counts(bakery, "2026-03-15") == {1: 2, 2: 1}
    assert asks.recent_ask_counts(bakery, "2026-03-15", contact_ids=[2, 3]) == {2: 1}
    assert asks.recent_ask_counts(bakery, "2026-03-15", days=7) == {1: 1}


def test_main_platforms_and_post_link(bakery: Workspace) -> None:
    assert planning.main_platforms(bakery, [1, 2, 3]) == {1: "instagram", 2: "blog"}
    post = planning.post_facts(bakery, 10)
    assert post is not None and post.link == "https://bakery.example/sd"


def test_waiting_means_no_outcome_yet_and_overdue_means_past_due(bakery: Workspace) -> None:
    ids = asks.create_asks(bakery, [
        new(1, due_on="2026-03-20"),  # asked, due later
        new(2, due_on="2026-03-12"),  # agreed, overdue on the 14th
        new(3),  # asked, no due date: never overdue
        new(1, due_on="2026-03-11", post_id=11),  # shared: not waiting, though its due date passed
        new(2, due_on="2026-03-13", post_id=11),  # asked, overdue
        new(3, due_on="2026-03-14", post_id=11),  # asked, due today: not overdue yet
        new(1, due_on="2026-03-01", post_id=12),  # declined
    ])
    asks.record_outcome(bakery, ids[1], "agreed", answered_on="2026-03-11")
    asks.record_outcome(bakery, ids[3], "shared", answered_on="2026-03-12")
    asks.record_outcome(bakery, ids[6], "declined", answered_on="2026-03-02")
    waiting = asks.waiting_asks(bakery, "2026-03-14", limit=10)
    assert (waiting.waiting, waiting.overdue) == (5, 2)
    assert [a.id for a in waiting.rows] == [ids[1], ids[4], ids[5], ids[0], ids[2]]
    assert [a.id for a in asks.waiting_asks(bakery, "2026-03-14", limit=2).rows] == ids[1:5:3]
    assert asks.waiting_asks(bakery, "2026-03-14").rows == ()  # the figures alone


def test_waiting_asks_whose_links_brought_visits(bakery: Workspace) -> None:
    from visits_table import add_visits

    cafe, mia, tom = asks.create_asks(bakery, [new(1), new(2), new(3)])
    assert asks.visits_waiting(bakery) == []  # no visits imported (no table yet)
    add_visits(bakery, cafe, 30, 12)
    add_visits(bakery, mia, 50, first="2026-03-05")
    add_visits(bakery, tom, 0)
    found = [(a.contact_name, n) for a, n in asks.visits_waiting(bakery)]
    assert found == [("Mia", 50), ("Corner Café", 42)]  # most visits first; none: left out
    assert [a.id for a, _n in asks.visits_waiting(bakery, post_id=10, limit=1)] == [mia]
    assert asks.visits_waiting(bakery, post_id=11) == []
    asks.record_outcome(bakery, mia, "shared", answered_on="2026-03-12")
    assert [a.id for a, _n in asks.visits_waiting(bakery)] == [cafe]  # answered: no offer
