"""Scenario files: the DESIGN.md format, and clear errors for every kind of bad file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from scenario_samples import DESIGN_EXAMPLE, DESIGN_MD, DESIGN_V2_EXAMPLE, write
from socialdesk.core.planner import leverage as lv
from socialdesk.core.planner.cascade import Link
from socialdesk.core.planner.planning import plan_scenario
from socialdesk.core.planner.scenario import ScenarioError, load_scenario, parse_scenario


def test_the_sample_is_the_one_in_design_md() -> None:
    if not DESIGN_MD.exists():
        pytest.skip("shared/DESIGN.md is not beside the repository")
    assert DESIGN_EXAMPLE.strip() in DESIGN_MD.read_text(encoding="utf-8")
    assert DESIGN_V2_EXAMPLE.strip() in DESIGN_MD.read_text(encoding="utf-8")


def test_the_v2_example_sets_every_new_field(tmp_path: Path) -> None:
    v2 = load_scenario(write(tmp_path, DESIGN_V2_EXAMPLE)).params
    assert (v2.reshare, v2.max_hops, v2.extra_platforms, v2.fatigue_days) == (0.15, 2, 0.2, 14)
    assert (v2.prior_a, v2.prior_b, v2.calibration_alpha, v2.calibration_beta) == (
        0.05, 0.6, 0.0, 1.0)
    assert v2 == lv.ModelParams(reach_rates=v2.reach_rates)  # DESIGN.md's defaults
    other = json.loads(DESIGN_V2_EXAMPLE) | {
        "max_hops": 4, "extra_platforms": 1, "fatigue_days": 7,
        "prior": {"a": 0.1, "b": 0.3}, "calibration": {"alpha": -0.5, "beta": 1.5}}
    params = parse_scenario(json.dumps(other)).params
    assert (params.max_hops, params.extra_platforms, params.fatigue_days, params.prior_a,
            params.prior_b, params.calibration_alpha, params.calibration_beta) == (
        4, 1.0, 7.0, 0.1, 0.3, -0.5, 1.5)
    # A v1 scenario is still valid; the new fields take their defaults.
    v1 = load_scenario(write(tmp_path)).params
    assert (v1.reshare, v1.max_hops, v1.extra_platforms, v1.prior_a, v1.prior_b) == (
        0.3, 2, 0.2, 0.05, 0.6)


def test_design_example_loads(tmp_path: Path) -> None:
    s = load_scenario(write(tmp_path))
    assert s.params.universe == 100_000 and s.params.reshare == 0.3
    assert s.params.rate("instagram") == 0.10 and s.params.rate("newsletter") == 0.35
    assert s.post == lv.PostInput(frozenset({"bread", "events"}), frozenset({"instagram"}))
    assert s.own_channels == (lv.AudienceInput("instagram", 800),)
    (cafe,) = s.partners
    assert (cafe.id, cafe.name, cafe.strength, cafe.asked, cafe.shared) == (
        "p1", "Corner Café", 0.6, 3, 2)
    assert cafe.days_since_last_ask == 30 and cafe.effort_minutes == 10
    assert cafe.audiences == (lv.AudienceInput("instagram", 5000, frozenset({"food"})),)
    # p2 is not among the partners: the link is left out, and the user told so.
    assert s.links == ()
    assert s.notes == ("links[0] ignored: no partner has the id 'p2'",)
    assert (s.budget_minutes, s.max_asks, s.runs, s.seed) == (60, None, 2000, 1)


def test_defaults_and_links(tmp_path: Path) -> None:
    s = parse_scenario(json.dumps({
        "partners": [{"id": "a", "strength": 0.2}, {"id": 7, "strength": 1}],
        "links": [{"from": "a", "to": 7}],
    }))
    assert s.params == lv.ModelParams()
    assert [p.id for p in s.partners] == ["a", "7"]
    assert s.partners[0].name == "a" and s.partners[0].effort_minutes == 10
    assert s.links == (Link("a", "7", 0.5),)
    assert (s.budget_minutes, s.max_asks, s.runs, s.seed) == (60, None, 2000, 1)
    assert plan_scenario(s).own_reach == 0


def error_for(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text, "bad.json")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(f"{path},") or message.startswith(f"{path}:")
    return message


def replaced(old: str, new: str) -> str:
    assert old in DESIGN_EXAMPLE
    return DESIGN_EXAMPLE.replace(old, new)


@pytest.mark.parametrize(("text", "expected"), [
    (replaced('"asked": 3,', '"asked": 3'),
     "line 6, column 16: not valid JSON (Expecting ',' delimiter)"),
    (replaced('"strength": 0.6', '"strength": 1.5'),
     "line 5 (partners[0].strength): must be a number from 0 to 1, not 1.5"),
    (replaced('"size": 5000', '"size": "big"'),
     'line 7 (partners[0].audiences[0].size): must be a whole number from 0 to '
     '1,000,000,000,000, not "big"'),
    (replaced('"size": 5000', '"size": -3'), "(partners[0].audiences[0].size)"),
    (replaced('"shared": 2', '"shared": 4'),
     "line 6 (partners[0].shared): 4 shares cannot be more than the 3 resolved asks"),
    (replaced('"platform": "instagram", "size"', '"size"'),
     "line 7 (partners[0].audiences[0]): 'platform' is missing"),
    (replaced('"seed": 1', '"sead": 1'), "line 9 (sead): unknown key 'sead'"),
    (replaced('"runs": 2000', '"runs": 2.5'), "line 9 (runs): must be a whole number"),
    (replaced('"max_asks": null', '"max_asks": -1'),
     "(max_asks): must be a whole number from 0 to"),
    (replaced('"universe": 100000', '"universe": 0'),
     "(universe): must be a number above 0 and at most 1,000,000,000,000, not 0"),
    (replaced('"topics": ["food"]', '"topics": ["food", 3]'),
     "line 7 (partners[0].audiences[0].topics[1]): must be a non-empty text, not 3"),
    (replaced('"partners": [', '"partners": [{"id": "p1", "strength": 0}, '),
     "line 5 (partners[1].id): the id 'p1' is already used by partners[0]"),
    (replaced('"to": "p2"', '"to": "p1"'),
     "line 8 (links[0].to): a link must join two different partners"),
    (replaced('"reach_rates": {"instagram": 0.10}', '"reach_rates": [0.1]'),
     "line 2 (reach_rates): must be an object"),
    (replaced('"reach_rates": {"instagram": 0.10}', '"reach_rates": {"instagram": 10}'),
     "line 2 (reach_rates.instagram): must be a number from 0 to 1, not 10"),
    (replaced('"own_channels": [{', '"own_channels": [3, {'),
     "line 4 (own_channels[0]): must be an object {…}, not a number"),
    (replaced('"weight": 0.5', '"weight": true'),
     "line 8 (links[0].weight): must be a number from 0 to 1, not true"),
    ("[1, 2]", "line 1: must be an object {…}, not a list"),
    ('{"universe": NaN}', "not valid JSON (NaN is not a number)"),
    # Numbers JSON allows but no count is: infinite once read, or beyond any float.
    (replaced('"universe": 100000', '"universe": 1e400'),
     "line 1 (universe): must be a number above 0 and at most 1,000,000,000,000, not a "
     "number too large to use"),
    (replaced('"universe": 100000', '"universe": -1e400'), "line 1 (universe): must be"),
    (replaced('"universe": 100000', '"universe": ' + "9" * 400),
     "line 1 (universe): must be a number above 0 and at most 1,000,000,000,000, not a "
     "400-digit number"),
    (replaced('"size": 5000', '"size": ' + "1" * 400),
     "line 7 (partners[0].audiences[0].size): must be a whole number from 0 to "
     "1,000,000,000,000, not a 400-digit number"),
    (replaced('"size": 5000', '"size": 1e13'),
     "line 7 (partners[0].audiences[0].size): must be a whole number from 0 to "
     "1,000,000,000,000, not 10000000000000.0"),
    (replaced('"followers": 800', '"followers": 2e308'),
     "line 4 (own_channels[0].followers): must be a whole number"),
    (replaced('"asked": 3,', '"asked": 1e300,'), "line 5 (partners[0].asked): must be"),
    (replaced('"effort_minutes": 10', '"effort_minutes": 1e400'),
     "line 6 (partners[0].effort_minutes): must be a number from 0 to"),
    (replaced('"days_since_last_ask": 30', '"days_since_last_ask": 1e999'),
     "line 6 (partners[0].days_since_last_ask): must be a number from 0 to"),
    (replaced('"budget_minutes": 60', '"budget_minutes": 1e400'),
     "line 9 (budget_minutes): must be a number from 0 to"),
    (replaced('"max_asks": null', '"max_asks": ' + "7" * 400), "line 9 (max_asks): must be"),
    (replaced('"seed": 1', '"seed": ' + "3" * 400), "line 9 (seed): must be"),
    (replaced('"weight": 0.5', '"weight": 1e400'), "line 8 (links[0].weight): must be"),
    (replaced('"instagram": 0.10}', '"instagram": -1e400}'),
     "line 2 (reach_rates.instagram): must be a number from 0 to 1"),
    (replaced('"reshare": 0.3', '"reshare": 0.3, "max_hops": 5'),
     "line 1 (max_hops): must be a whole number from 1 to 4, not 5"),
    (replaced('"reshare": 0.3', '"reshare": 0.3, "extra_platforms": 1.5'),
     "line 1 (extra_platforms): must be a number from 0 to 1, not 1.5"),
    (replaced('"reshare": 0.3', '"reshare": 0.3, "prior": {"a": 0.1, "c": 1}'),
     "line 1 (prior.c): unknown key 'c'"),
    (replaced('"reshare": 0.3', '"reshare": 0.3, "calibration": {"beta": 1e400}'),
     "line 1 (calibration.beta): must be a number from -100 to 100"),
    ("", "line 1, column 1: not valid JSON"),
])
def test_bad_files_name_the_line_and_the_place(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in error_for(tmp_path, text)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.json")
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"partners": [{"id": "Café"}]}'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="not a UTF-8 text file"):
        load_scenario(latin1)


def test_a_byte_order_mark_and_case_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({
        "post": {"topics": ["Bread"], "platforms": ["Instagram"]},
        "own_channels": [{"platform": "Instagram", "followers": 100}]}).encode())
    s = load_scenario(path)
    assert s.post.topics == {"bread"} and s.own_channels[0].platform == "instagram"
    assert math.isclose(plan_scenario(s).own_reach, 100 * 0.10)
