"""The links between partners as arrays (core.planner.graph): what they hold, what they cost."""

from __future__ import annotations

import tracemalloc
from datetime import date

import pytest

from socialdesk.core.planner import graph, planning
from socialdesk.core.planner.cascade import CascadeModel
from socialdesk.store.workspace import Workspace


@pytest.fixture
def bakery(workspace: Workspace) -> Workspace:
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name, kind) VALUES (1, 'Corner Café', 'partner'), "
              "(2, 'Mia', 'blogger'), (3, 'Tom', 'customer'), (4, 'Ada', 'blogger')")
    c.execute("INSERT INTO audiences (contact_id, platform, size) VALUES (1, 'instagram', 5000),"
              " (2, 'blog', 1200), (2, 'x', 300), (4, 'x', 800)")
    return workspace


def test_links_between_partners_are_directed(bakery: Workspace) -> None:
    c = bakery.conn
    c.execute("INSERT INTO contact_links (from_id, to_id, weight, directed) VALUES "
              "(1, 2, 0.7, 0), (1, 3, 0.9, 0)")
    c.execute("INSERT INTO contact_links (from_id, to_id, kind, weight, directed) VALUES "
              "(2, 1, 'works_with', 0.4, 1)")
    links = graph.partner_links(bakery)
    # undirected 1–2 counts both ways, in stored order; 2 → 1 is its own link; Tom has
    # no audience.
    assert list(links) == [("1", "2", 0.7), ("2", "1", 0.7), ("2", "1", 0.4)]
    assert len(links) == 3


def test_the_links_among_some_partners_are_one_per_pair_with_the_larger_weight(
        bakery: Workspace) -> None:
    c = bakery.conn
    c.execute("INSERT INTO contact_links (from_id, to_id, weight, directed) VALUES "
              "(1, 2, 0.3, 0), (2, 4, 0.5, 0)")
    c.execute("INSERT INTO contact_links (from_id, to_id, kind, weight, directed) VALUES "
              "(2, 1, 'works_with', 0.8, 1), (4, 1, 'works_with', 0.2, 1)")
    links = graph.partner_links(bakery)
    assert links.among(["2", "1"]) == [("1", "2", 0.8)]
    assert sorted(links.among(["4", "1", "2"])) == [("1", "2", 0.8), ("1", "4", 0.2),
                                                    ("2", "4", 0.5)]
    assert links.among(["3", "1"]) == []
    assert graph.PartnerLinks.empty().among(["1"]) == []


def _stored_links(ws: Workspace) -> list[tuple[str, str, float]]:
    """The links as the planner read them one row at a time (the reference)."""
    partners = {row[0] for row in ws.conn.execute("SELECT DISTINCT contact_id FROM audiences")}
    links = []
    for a, b, w, directed in ws.conn.execute(
            "SELECT from_id, to_id, weight, directed FROM contact_links ORDER BY id"):
        if a in partners and b in partners:
            links.append((str(a), str(b), w))
            if not directed:
                links.append((str(b), str(a), w))
    return links


def test_the_demo_plans_the_same_from_arrays_as_from_one_link_at_a_time(demo: Workspace) -> None:
    today = date.today()
    base = planning.workspace_model(demo, today)
    assert list(base.links) == _stored_links(demo)
    assert len(base.links) > 50
    post_id = demo.conn.execute("SELECT id FROM posts WHERE scheduled_on >= ? ORDER BY "
                                "scheduled_on LIMIT 1", (today.isoformat(),)).fetchone()[0]
    model = planning.post_model(demo, post_id, base)
    plan = model.plan(runs=2000, max_asks=12, budget_minutes=None)
    assert plan.cascade is not None and plan.cascade.mean_sharers > len(plan.chosen) * 0.05
    by_tuples = CascadeModel.for_post(model.partners, _stored_links(demo), base.channels,
                                      model.post_input, base.params)
    assert by_tuples.run([e.id for e in plan.chosen], 2000, 1) == plan.cascade


@pytest.mark.parametrize("small", [0.0, 1e-5, 2.0 ** -10])
def test_every_link_is_read_with_its_exact_weight(bakery: Workspace, small: float) -> None:
    c = bakery.conn
    c.execute("INSERT INTO contact_links (from_id, to_id, weight, directed) VALUES "
              "(1, 2, ?, 0), (1, 4, 1.0, 0), (2, 4, 0.1, 0)", (small,))
    c.execute("INSERT INTO contact_links (from_id, to_id, kind, weight, directed) VALUES "
              "(4, 2, 'works_with', ?, 1)", (1 / 3,))
    assert list(graph.partner_links(bakery)) == _stored_links(bakery)


def test_many_links_are_kept_as_arrays_not_as_objects(bakery: Workspace) -> None:
    c = bakery.conn
    c.executemany("INSERT INTO contacts (id, name) VALUES (?, ?)",
                  [(i, f"P{i}") for i in range(10, 310)])
    c.executemany("INSERT INTO audiences (contact_id, platform, size) VALUES (?, 'x', 10)",
                  [(i,) for i in range(10, 310)])
    c.executemany("INSERT INTO contact_links (from_id, to_id, weight) VALUES (?, ?, 0.5)",
                  [(a, b) for a in range(10, 310) for b in range(a + 1, min(a + 40, 310))])
    stored = c.execute("SELECT count(*) FROM contact_links").fetchone()[0]
    tracemalloc.start()
    try:
        base = planning.workspace_model(bakery, date(2026, 3, 14))
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(base.links) == 2 * stored
    # Three 8-byte numbers a directed link; a link as Python objects takes over 100 bytes.
    assert kept / len(base.links) < 40


@pytest.mark.parametrize("bound", [1, 7, 1 << 16, (1 << 16) + 1, 3_000_000])
def test_stable_order_is_numpys_stable_argsort(bound: int) -> None:
    import numpy as np

    positions = np.random.default_rng(bound).integers(0, bound, 5_000)
    positions[:3] = bound - 1  # ties at the top, kept in order
    expected = np.argsort(positions, kind="stable")
    assert np.array_equal(graph.stable_order(positions, bound), expected)
    assert len(graph.stable_order(positions[:0], bound)) == 0



@pytest.mark.parametrize("whole_read_share", [0.0, graph.WHOLE_READ_SHARE, float("inf")])
@pytest.mark.parametrize("hops", [1, 2, 4])
def test_planning_one_post_reads_only_the_links_its_runs_can_take(
        demo: Workspace, hops: int, whole_read_share: float,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The Monte Carlo over the asks' neighbourhood of links is the one over all of them,
    whether the neighbourhood is read by index, from every link, or as it grows."""
    from socialdesk.core.settings import update_setting

    monkeypatch.setattr(graph, "WHOLE_READ_SHARE", whole_read_share)
    c = demo.conn
    update_setting(demo, "max_hops", hops)
    update_setting(demo, "reshare", 0.8)  # reshares that happen, so later hops count
    # Parallel links (two kinds of relation) and one-way ones, between linked partners.
    c.execute("INSERT INTO contact_links (from_id, to_id, kind, weight) SELECT from_id, to_id, "
              "'friend', 0.3 FROM contact_links WHERE kind <> 'friend' AND directed = 0 "
              "AND id % 3 = 0")
    c.execute("INSERT INTO contact_links (from_id, to_id, kind, weight, directed) SELECT "
              "to_id, from_id, 'other', 0.6, 1 FROM contact_links WHERE id % 4 = 1")
    today = date.today()
    base = planning.workspace_model(demo, today)
    posts = [row[0] for row in c.execute("SELECT id FROM posts ORDER BY id LIMIT 6")]
    for post_id in posts:
        _, plan = planning.plan_post(demo, post_id, today, runs=700, seed=3)
        model = planning.post_model(demo, post_id, base)
        skip = planning.not_suggested(demo, post_id, model.ranking, today)
        assert plan == model.plan(runs=700, seed=3, skip=skip)
        assert plan.cascade is not None and plan.cascade.runs == 700


@pytest.mark.parametrize("values", [[], [5], [3, 1, 3, 2, 1], [7] * 4, list(range(50, 0, -3))])
def test_distinct_values_are_numpys_unique(values: list[int]) -> None:
    import numpy as np

    array = np.asarray(values, dtype=np.int64)
    found = graph.distinct(array)
    assert found.dtype == np.int64 and found.tolist() == np.unique(array).tolist()
