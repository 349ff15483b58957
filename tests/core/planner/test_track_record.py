"""The track record: scores against hand-computed values, the fit, learned rates, the planner."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest

from socialdesk.core.planner import planning
from socialdesk.core.planner import track_record as tr
from socialdesk.core.settings import update_setting
from socialdesk.store import asks
from socialdesk.store.workspace import Workspace
from visits_table import add_visits

TODAY = date(2026, 3, 10)


def test_brier_base_rate_and_log_loss_by_hand() -> None:
    p, y = [0.9, 0.2, 0.6, 0.4], [1, 0, 0, 1]
    # (0.1² + 0.2² + 0.6² + 0.6²) / 4
    assert tr.brier(p, y) == pytest.approx(0.1925)
    # The reference predicts the share rate so far: 0.5, then 1/1, 1/2, 1/3.
    assert tr.base_rates(y) == pytest.approx([0.5, 1.0, 0.5, 1 / 3])
    assert tr.brier(tr.base_rates(y), y) == pytest.approx(
        (0.25 + 1.0 + 0.25 + (2 / 3) ** 2) / 4)
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.4) + math.log(0.4)) / 4
    assert tr.log_loss(p, y) == pytest.approx(expected)
    # p is clipped to [0.001, 0.999]: a sure forecast that misses costs ln 1000, not ∞.
    assert tr.log_loss([1.0, 0.0], [0, 1]) == pytest.approx(math.log(1000))


def test_wilson_interval_by_hand() -> None:
    z = 1.6448536269514722
    # 3 of 10: centre (3 + z²/2) / (10 + z²), half z / (10 + z²) · sqrt(3·7/10 + z²/4)
    centre = (3 + z * z / 2) / (10 + z * z)
    half = z / (10 + z * z) * math.sqrt(2.1 + z * z / 4)
    assert tr.wilson(3, 10) == pytest.approx((centre - half, centre + half))
    assert tr.wilson(3, 10) == pytest.approx((0.1269, 0.5583), abs=1e-4)
    low, high = tr.wilson(0, 5)
    assert low == 0.0 and high == pytest.approx(z * z / (5 + z * z))


def test_reliability_bins_by_tenths_leave_out_empty_ones() -> None:
    bins = tr.reliability([0.05, 0.08, 0.55, 0.51, 0.59, 1.0], [0, 1, 1, 1, 0, 1])
    assert [(b.p_low, b.p_high, b.asks, b.shared) for b in bins] == [
        (0.0, 0.1, 2, 1), (0.5, 0.6, 3, 2), (0.9, 1.0, 1, 1)]
    assert bins[1].rate == pytest.approx(2 / 3)
    assert (bins[1].low, bins[1].high) == pytest.approx(tr.wilson(2, 3))


def test_reach_bias_is_the_log_ratio_to_the_reach_expected_beyond_own() -> None:
    bias = tr.reach_bias([(200, 100, 0.5), (50, 100, 0.0), (0, 100, 0.0)])
    logs = [math.log(200 / 50), math.log(50 / 100)]
    assert bias.asks == 2
    assert bias.mean_log == pytest.approx(sum(logs) / 2)
    assert bias.sd_log == pytest.approx(abs(logs[0] - logs[1]) / math.sqrt(2))
    assert tr.reach_bias([]) == tr.ReachBias(0, None, None)


@pytest.mark.parametrize(("alpha", "beta"), [(-0.4, 0.7), (0.3, 1.4)])
def test_the_fit_recovers_known_alpha_and_beta(alpha: float, beta: float) -> None:
    rng = random.Random(7)
    n = 20_000
    p = [rng.uniform(0.02, 0.9) for _ in range(n)]
    y = []
    for q in p:
        z = alpha + beta * math.log(q / (1 - q))
        y.append(int(rng.random() < 1 / (1 + math.exp(-z))))
    a, b = tr.fit_calibration(p, y)
    # Standard errors from the Fisher information of these n outcomes at the true values
    # (the penalty is negligible at this n): the fit lands within four of them.
    info = [[0.0, 0.0], [0.0, 0.0]]
    for q in p:
        x = math.log(q / (1 - q))
        s = 1 / (1 + math.exp(-(alpha + beta * x)))
        w = s * (1 - s)
        info[0][0] += w
        info[0][1] += w * x
        info[1][1] += w * x * x
    det = info[0][0] * info[1][1] - info[0][1] ** 2
    se_alpha, se_beta = math.sqrt(info[1][1] / det), math.sqrt(info[0][0] / det)
    assert 0.005 < se_alpha < 0.05 and 0.005 < se_beta < 0.05  # about 1/√n
    assert a == pytest.approx(alpha, abs=4 * se_alpha)
    assert b == pytest.approx(beta, abs=4 * se_beta)


def test_the_fit_leaves_a_calibrated_forecast_nearly_unchanged() -> None:
    rng = random.Random(3)
    p = [rng.uniform(0.05, 0.8) for _ in range(5000)]
    y = [int(rng.random() < q) for q in p]
    a, b = tr.fit_calibration(p, y)
    assert abs(a) < 0.15 and abs(b - 1) < 0.15


def test_learned_rates_shrink_toward_the_default_with_little_evidence() -> None:
    few = [("instagram", 300, 1000)] * 4
    assert tr.learned_rates(few)["instagram"] == tr.LearnedRate(4, None, 0.10)
    five = [("Instagram", r, 1000) for r in (100, 200, 300, 400, 500)]
    # median 0.3: (5 · 0.3 + 5 · 0.10) / 10
    assert tr.learned_rates(five)["instagram"].rate == pytest.approx(0.2)
    many = [("instagram", 300, 1000)] * 995
    assert tr.learned_rates(many)["instagram"].rate == pytest.approx(
        (995 * 0.3 + 5 * 0.1) / 1000)
    assert tr.learned_rates([("gopher", 10, 100)] * 5)["gopher"].rate == pytest.approx(
        (5 * 0.1 + 5 * 0.05) / 10)  # an unknown platform shrinks toward "other"


# --- on a workspace --------------------------------------------------------------------


def fill_bakery(workspace: Workspace) -> Workspace:
    c = workspace.conn
    c.execute("INSERT INTO contacts (id, name, kind, stage) VALUES "
              "(1, 'Corner Café', 'partner', 'ally'), (2, 'Mia', 'blogger', 'engaged')")
    c.execute("INSERT INTO audiences (contact_id, platform, size) VALUES (1, 'instagram', 5000),"
              " (2, 'x', 3000)")
    c.execute("INSERT INTO channels (platform, followers) VALUES ('instagram', 800), "
              "('newsletter', 400)")
    c.execute("INSERT INTO posts (id, uid, title, scheduled_on) VALUES "
              "(10, 'p10', 'Sourdough Saturday', '2026-03-14')")
    return workspace


@pytest.fixture
def bakery(workspace: Workspace) -> Workspace:
    return fill_bakery(workspace)


def forecast(p: float, reach: float = 500.0, x0: float = 0.01) -> asks.Forecast:
    return asks.Forecast(p=p, reach=reach, x0=x0, model_version=2)


def resolve(ws: Workspace, outcomes: list[tuple[float, str, int | None]],
            contact_id: int = 1) -> None:
    """Asks with forecasts, resolved in the order given (one day apart)."""
    ids = asks.create_asks(ws, [
        asks.NewAsk(contact_id, None, "2025-01-01", forecast=forecast(p))
        for p, _, _ in outcomes])
    for i, (ask_id, (_, status, reach)) in enumerate(zip(ids, outcomes, strict=True)):
        day = date.fromordinal(date(2025, 2, 1).toordinal() + i).isoformat()
        asks.record_outcome(ws, ask_id, status, answered_on=day, observed_reach=reach)


def test_track_record_of_a_workspace(bakery: Workspace) -> None:
    # Before the forecasts were stored: no p, left out whatever their outcome.
    (old,) = asks.create_asks(bakery, [asks.NewAsk(2, None, "2024-06-01")])
    asks.record_outcome(bakery, old, "shared", answered_on="2024-06-02", observed_reach=90)
    asks.create_asks(bakery, [asks.NewAsk(1, None, "2025-03-01", forecast=forecast(0.5))])
    resolve(bakery, [(0.9, "shared", 990), (0.2, "declined", None), (0.6, "no_reply", None),
                     (0.4, "shared", None)])
    record = tr.track_record(bakery)
    assert record.resolved == 4
    assert record.brier == pytest.approx(0.1925)
    assert record.brier_base == pytest.approx((0.25 + 1.0 + 0.25 + (2 / 3) ** 2) / 4)
    assert record.skill == pytest.approx(1 - record.brier / record.brier_base)
    assert [(b.p_low, b.asks, b.shared) for b in record.bins] == [
        (0.2, 1, 0), (0.4, 1, 1), (0.6, 1, 0), (0.9, 1, 1)]
    # Only the share with a reach typed in: ln(990 / (500 · 0.99)) = ln 2.
    assert record.reach_bias == tr.ReachBias(1, pytest.approx(math.log(2)), None)
    assert record.calibration == tr.Calibration(resolved=4)  # too few to fit


def test_no_resolved_asks_give_no_scores(bakery: Workspace) -> None:
    record = tr.track_record(bakery)
    assert (record.resolved, record.brier, record.skill, record.log_loss) == (0, None, None,
                                                                             None)
    assert record.bins == () and record.as_json()["bins"] == []


def test_calibration_once_30_asks_are_resolved_changes_the_planners_p(
        bakery: Workspace) -> None:
    raw = next(e.p for e in planning.plan_post(bakery, 10, TODAY)[1].ranked if e.id == "2")
    # 29 forecasts of 0.8 that were all declined: not enough to fit.
    resolve(bakery, [(0.8, "declined", None)] * 29, contact_id=1)
    assert not tr.track_record(bakery).calibration.fitted
    assert planning.model_params(bakery).calibration_alpha == 0.0
    resolve(bakery, [(0.8, "declined", None)], contact_id=1)
    fitted = tr.track_record(bakery).calibration
    assert fitted.fitted and fitted.active and fitted.resolved == 30
    assert fitted.alpha < 0  # the planner promised too much: p is pulled down
    params = planning.model_params(bakery)
    assert (params.calibration_alpha, params.calibration_beta) == (fitted.alpha, fitted.beta)
    calibrated = next(e.p for e in planning.plan_post(bakery, 10, TODAY)[1].ranked
                      if e.id == "2")
    z = fitted.alpha + fitted.beta * math.log(raw / (1 - raw))
    assert calibrated == pytest.approx(1 / (1 + math.exp(-z)))
    update_setting(bakery, "calibration_on", False)
    assert not tr.track_record(bakery).calibration.active
    assert planning.model_params(bakery).calibration_alpha == 0.0


def publish(ws: Workspace, platform: str, reaches: list[int]) -> None:
    for reach in reaches:
        post = ws.conn.execute(
            "INSERT INTO posts (uid, title, status, scheduled_on, reach) VALUES "
            "(?, 'Post', 'published', '2026-01-01', ?)", (f"u{random.random()}", reach)
        ).lastrowid
        ws.conn.execute("INSERT INTO post_channels (post_id, platform) VALUES (?, ?)",
                        (post, platform))


def test_learned_rates_from_published_single_platform_posts(bakery: Workspace) -> None:
    publish(bakery, "instagram", [160, 240, 320, 400, 480])  # 0.2–0.6 of 800: median 0.4
    publish(bakery, "newsletter", [200] * 3)
    two = bakery.conn.execute("INSERT INTO posts (uid, title, status, reach) VALUES "
                              "('two', 'Both', 'published', 5000)").lastrowid
    bakery.conn.executemany("INSERT INTO post_channels (post_id, platform) VALUES (?, ?)",
                            [(two, "instagram"), (two, "newsletter")])  # which one? left out
    rates = tr.track_record(bakery).learned_rates
    assert rates["instagram"] == tr.LearnedRate(5, pytest.approx((5 * 0.4 + 5 * 0.1) / 10),
                                                0.10)
    assert rates["newsletter"] == tr.LearnedRate(3, None, 0.35)
    assert planning.model_params(bakery).rate("instagram") == 0.10  # off by default
    update_setting(bakery, "learned_rates_on", True)
    params = planning.model_params(bakery)
    assert params.rate("instagram") == pytest.approx(0.25)
    assert params.rate("newsletter") == 0.35  # too few posts: the set rate stays


def test_a_waiting_ask_whose_link_brought_visits_counts_as_shared(bakery: Workspace) -> None:
    resolve(bakery, [(0.9, "shared", 990), (0.2, "declined", None)])  # 1 and 2 February
    declined = 2
    confirmed, silent, quiet = asks.create_asks(bakery, [
        asks.NewAsk(1, None, "2025-03-01", forecast=forecast(0.3)),
        asks.NewAsk(2, None, "2025-03-02", forecast=forecast(0.7)),
        asks.NewAsk(2, None, "2025-03-03", forecast=forecast(0.8))])
    add_visits(bakery, confirmed, 3, 4)
    add_visits(bakery, silent, 0)  # a row of no visits is no evidence
    add_visits(bakery, declined, 5)  # a marked outcome stands: declined stays declined
    record = tr.track_record(bakery)
    # The shared, the declined and the confirmed ask (y = 1), in that order; not the others.
    assert (record.resolved, record.confirmed_by_visits) == (3, 1)
    assert record.brier == pytest.approx((0.1 ** 2 + 0.2 ** 2 + 0.7 ** 2) / 3)
    assert record.brier_base == pytest.approx((0.5 ** 2 + 1.0 ** 2 + 0.5 ** 2) / 3)
    assert [(b.p_low, b.asks, b.shared) for b in record.bins] == [
        (0.2, 1, 0), (0.3, 1, 1), (0.9, 1, 1)]
    assert record.reach_bias.asks == 1  # its reach is not known: not in the reach bias
    assert record.as_json()["confirmed_by_visits"] == 1
    assert quiet  # waiting without visits: left out until it has an outcome


def test_without_visits_a_waiting_ask_is_left_out(bakery: Workspace) -> None:
    resolve(bakery, [(0.9, "shared", 990), (0.2, "declined", None)])
    asks.create_asks(bakery, [asks.NewAsk(1, None, "2025-03-01", forecast=forecast(0.3))])
    record = tr.track_record(bakery)
    assert (record.resolved, record.confirmed_by_visits) == (2, 0)
    assert record.brier == pytest.approx((0.1 ** 2 + 0.2 ** 2) / 2)


def planned_and_resolved(ws: Workspace, params_of, shares: dict[str, int]
                         ) -> dict[str, float]:
    """20 asks to each partner, planned through the planner with ``params_of(params)``;
    ``shares[id]`` of them shared. Returns the p stored, by partner."""
    import dataclasses

    from socialdesk.core.planner import asking

    base = planning.workspace_model(ws, TODAY, with_links=False)
    base = dataclasses.replace(base, params=params_of(base.params))
    model = planning.post_model(ws, 10, base)
    drafts = asking.draft_asks(ws, 10, model.ranked, TODAY, x0=model.x0)
    ids = asks.create_asks(ws, [
        asks.NewAsk(d.contact_id, None, "2025-01-01", forecast=d.forecast)
        for d in drafts for _ in range(20)])
    for n, ask_id in enumerate(ids):
        contact_id = drafts[n // 20].contact_id
        status = "shared" if n % 20 < shares[str(contact_id)] else "declined"
        asks.record_outcome(ws, ask_id, status, answered_on="2025-02-01")
    return {str(d.contact_id): d.forecast.p for d in drafts if d.forecast}


def test_refitting_on_asks_planned_with_the_calibration_does_not_compound(
        bakery: Workspace, tmp_path) -> None:
    """The fit is on the model's own p, before calibration: asks planned with the fitted
    calibration on, with the same outcomes, give the same α, β again."""
    import dataclasses

    shares = {"1": 16, "2": 2}  # the café shares more, Mia less than the model expects
    first = planned_and_resolved(bakery, lambda params: params, shares)
    fitted = tr.track_record(bakery).calibration
    assert fitted.fitted and fitted.active and (fitted.alpha, fitted.beta) != (0.0, 1.0)

    def calibrated(params):
        return dataclasses.replace(params, calibration_alpha=fitted.alpha,
                                   calibration_beta=fitted.beta)

    with Workspace.open(tmp_path / "again.sqlite", create=True) as again:
        fill_bakery(again)
        second = planned_and_resolved(again, calibrated, shares)
        assert all(second[c] != pytest.approx(first[c]) for c in first)  # calibrated
        record = tr.track_record(again)
        refitted = record.calibration
        assert (refitted.alpha, refitted.beta) == pytest.approx((fitted.alpha, fitted.beta),
                                                                 rel=1e-9, abs=1e-12)
        # The scores are of the chances the planner gave: the calibrated ones.
        assert record.brier == pytest.approx(sum(
            shares[c] * (1 - p) ** 2 + (20 - shares[c]) * p ** 2 for c, p in second.items()
        ) / 40)


def test_the_planners_calibration_is_the_track_records_one(bakery: Workspace) -> None:
    outcomes = [(0.1 + 0.8 * (i % 7) / 6, ("shared", "declined", "no_reply")[i % 3], None)
                for i in range(40)]
    resolve(bakery, outcomes, contact_id=1)
    (confirmed,) = asks.create_asks(bakery, [asks.NewAsk(2, None, "2025-01-02",
                                                         forecast=forecast(0.3))])
    add_visits(bakery, confirmed, 2)  # waiting, but shared all the same
    fitted = tr.track_record(bakery).calibration
    assert fitted.fitted and fitted.resolved == 41
    assert tr.calibration(bakery) == fitted
    assert stored_outcomes(bakery) == [(r[6], r[1]) for r in
                                       tr.stored.resolved_forecasts(bakery)]


def stored_outcomes(ws: Workspace) -> list[tuple[float, float]]:
    return [tuple(row) for row in tr.stored.calibration_outcomes(ws).tolist()]


def test_the_track_record_converts_its_rows_a_part_at_a_time(
        bakery: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """One numpy conversion of every row would hold the interpreter lock throughout (on a
    worker: the GUI thread waits that long); a part at a time gives the same record."""
    import numpy as np

    resolve(bakery, [(0.9, "shared", 990), (0.2, "declined", None), (0.6, "no_reply", None),
                     (0.4, "shared", None), (0.7, "shared", 300)])
    whole = tr.track_record(bakery)
    converted: list[int] = []
    array = np.array

    def counting(rows: object, *args: object, **kwargs: object) -> np.ndarray:
        if isinstance(rows, list):
            converted.append(len(rows))
        return array(rows, *args, **kwargs)

    monkeypatch.setattr(tr, "TABLE_PART", 2, raising=False)
    monkeypatch.setattr(np, "array", counting)
    assert tr.track_record(bakery) == whole
    assert sum(converted) >= 5 and max(converted) <= 2
