"""The planner scenarios from DESIGN.md ("The leverage model (v2)": its own example and v1's),
verbatim, for the tests."""

from __future__ import annotations

from pathlib import Path

from shared_files import DESIGN_MD  # noqa: F401 - re-exported

DESIGN_EXAMPLE = """\
{"universe": 100000, "cross_platform": 0.5, "reshare": 0.3,
 "reach_rates": {"instagram": 0.10},
 "post": {"topics": ["bread", "events"], "platforms": ["instagram"]},
 "own_channels": [{"platform": "instagram", "followers": 800}],
 "partners": [{"id": "p1", "name": "Corner Café", "strength": 0.6, "asked": 3,
               "shared": 2, "days_since_last_ask": 30, "effort_minutes": 10,
               "audiences": [{"platform": "instagram", "size": 5000, "topics": ["food"]}]}],
 "links": [{"from": "p1", "to": "p2", "weight": 0.5}],
 "budget_minutes": 60, "max_asks": null, "runs": 2000, "seed": 1}
"""


DESIGN_V2_EXAMPLE = """\
{"universe": 100000, "cross_platform": 0.5, "reshare": 0.15, "max_hops": 2,
 "extra_platforms": 0.2, "fatigue_days": 14, "prior": {"a": 0.05, "b": 0.6},
 "calibration": {"alpha": 0.0, "beta": 1.0},
 "reach_rates": {"instagram": 0.10},
 "post": {"topics": ["bread", "events"], "platforms": ["instagram"]},
 "own_channels": [{"platform": "instagram", "followers": 800}],
 "partners": [{"id": "p1", "name": "Corner Café", "strength": 0.6, "asked": 3,
               "shared": 2, "days_since_last_ask": 30, "effort_minutes": 10,
               "audiences": [{"platform": "instagram", "size": 5000, "topics": ["food"]}]}],
 "links": [{"from": "p1", "to": "p2", "weight": 0.5}],
 "budget_minutes": 60, "max_asks": null, "runs": 2000, "seed": 1}
"""


def write(tmp_path: Path, text: str = DESIGN_EXAMPLE, name: str = "scenario.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
