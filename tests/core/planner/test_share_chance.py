"""The share chance: one number, with the tiredness a recent ask brings said next to it."""

from __future__ import annotations

from socialdesk.core.planner.leverage import ModelParams, PartnerInput
from socialdesk.core.planner.likelihood import ask_probability, share_chance


def test_the_share_chance_is_the_planners_and_says_when_a_recent_ask_lowered_it() -> None:
    params = ModelParams(calibration_alpha=0.2, calibration_beta=1.1)
    for days in (None, 0, 1, 3, 200):
        partner = PartnerInput(id="1", name="Ana", strength=0.8, audiences=(), asked=4,
                               shared=3, days_since_last_ask=days)
        chance = share_chance(0.8, 4, 3, days, params)
        assert chance.p == ask_probability(partner, params)
        if days in (None, 200):
            assert chance.text == f"{chance.p:.0%}"
    assert share_chance(0.8, 4, 3, 3, params).text.endswith("% (tired)")
    assert share_chance(0.8, 4, 3, 0, params).text == "0% (tired)"
    assert share_chance(0.8, 4, 3, 1, params).text.endswith("% (tired)")
