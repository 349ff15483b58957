"""``socialdesk plan``: the leverage planner for a stored post or a scenario file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from itertools import islice, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    print_json,
    reading,
    workspace_path,
)
from socialdesk.commands.json_text import Rows

if TYPE_CHECKING:
    from socialdesk.core.planner.leverage import PartnerEstimate, Plan

TABLE_ROWS = 20  # partners shown in the table (all of them with --json)


def _count(low: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from error
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}")
        return value
    return parse


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from error
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of minutes, 0 or more")
    return value


def register(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``plan``."""
    parser = commands.add_parser(
        "plan", help="rank the partners who could spread a post and choose whom to ask",
        description="Rank the partners who could spread a post (a stored post, by its id "
        "- the post_id column of the calendar CSV export - or a scenario file) and choose "
        "the asks that add the most reach for the time you have.",
    )
    parser.add_argument("post_id", metavar="POST_ID", nargs="?", type=_count(1),
                        help="the post to plan (from the workspace)")
    parser.add_argument("--scenario", metavar="FILE.json",
                        help="plan a scenario file instead of a stored post")
    parser.add_argument("--budget", metavar="MINUTES", type=_minutes,
                        help="time you can spend asking (default: 60, or the scenario's)")
    parser.add_argument("--max-asks", metavar="N", type=_count(0),
                        help="ask at most N partners (within the time budget too)")
    parser.add_argument("--runs", metavar="N", type=_count(1),
                        help="Monte Carlo runs for the range with reshares (default: 2000)")
    parser.add_argument("--seed", metavar="N", type=_count(0),
                        help="random seed of the Monte Carlo (default: 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_workspace_option(parser)
    parser.set_defaults(run=run_plan, plan_parser=parser)
    return parser


def run_plan(args: argparse.Namespace) -> int:
    """Plan a stored post or a scenario file, print the result."""
    if (args.post_id is None) == (args.scenario is None):
        args.plan_parser.error("give either a POST_ID or --scenario FILE.json")
    if args.scenario is not None:
        title, plan, runs = _from_file(Path(args.scenario).expanduser(), args)
        numeric_ids = False
    else:
        title, plan, runs = _from_workspace(args)
        numeric_ids = True
    if args.json:
        print_json(plan_json(plan, numeric_ids))
    else:
        print(plan_table(plan, title, runs))
    return 0


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    given = {"budget_minutes": args.budget, "max_asks": args.max_asks, "runs": args.runs,
             "seed": args.seed}
    return {k: v for k, v in given.items() if v is not None}


def _from_file(path: Path, args: argparse.Namespace) -> tuple[str, Plan, int]:
    import dataclasses

    from socialdesk.core.planner.planning import plan_scenario
    from socialdesk.core.planner.scenario import ScenarioError, load_scenario

    try:
        scenario = dataclasses.replace(load_scenario(path), **_overrides(args))
    except ScenarioError as error:
        raise UserError(str(error)) from error
    for note in scenario.notes:
        print(f"socialdesk: note: {note}", file=sys.stderr)
    return f"Scenario {path.name}", plan_scenario(scenario), scenario.runs


def _from_workspace(args: argparse.Namespace) -> tuple[str, Plan, int]:
    from socialdesk.core import clock
    from socialdesk.core.formatting import short_date
    from socialdesk.core.planner import planning

    options = {"budget_minutes": 60.0, "max_asks": None, "runs": 2000, "seed": 1,
               **_overrides(args)}
    path = workspace_path(args)
    today = clock.today()
    with reading(path) as ws:
        try:
            # The Planner view ranks through the same post_model.
            post, plan = planning.plan_post(
                ws, args.post_id, today, options["budget_minutes"], options["max_asks"],
                runs=options["runs"], seed=options["seed"])
        except LookupError as error:
            raise UserError(f"{path}: there is no post with id {args.post_id} (post ids "
                            "are the post_id column of the calendar CSV export).") from error
    topics = ", ".join(sorted(post.topics)) or "no topics"
    title = (f"Post {post.id} “{post.title}” ({short_date(post.scheduled_on, today)}; "
             f"{topics})")
    return title, plan, options["runs"]


def _partners(estimates: Sequence[PartnerEstimate], plan: Plan, numeric_ids: bool) -> Rows:
    """The partners' objects, as columns: 50,000 on a huge workspace."""
    from socialdesk.core.planner.ranking import PartnerFigures

    f, marginal = PartnerFigures.of(estimates), plan.marginal
    ids: list[int | str] = list(f.ids)
    if numeric_ids:
        digits = "".join(f.ids)
        if all(f.ids) and digits.isascii() and digits.isdigit():  # a workspace's ids
            ids = list(map(int, f.ids))
        else:
            ids = [int(pid) if pid.isdigit() else pid for pid in f.ids]
    return Rows({
        "id": ids, "name": f.names, "p": f.p, "fit": f.fit, "added_reach": f.added,
        "marginal_reach": list(map(marginal.get, f.ids, repeat(0.0))),
        "effort_minutes": f.effort_minutes,
    })


def plan_json(plan: Plan, numeric_ids: bool = False) -> dict[str, Any]:
    """The ``--json`` object (DESIGN.md, v2): reach, the cascade, the asks, the ranking.

    Without Monte Carlo runs the cascade is the first-hop expectation, with ``p_none``
    exact: the chance that none of the asked partners shares.
    """
    import math

    c = plan.cascade
    if c is None:
        reach = plan.expected_reach
        none = math.prod(1.0 - e.p for e in plan.chosen)
        cascade = {"mean": reach, "median": reach, "p10": reach, "p90": reach,
                   "p_none": none, "runs": 0}
    else:
        cascade = {"mean": c.mean, "median": c.median, "p10": c.p10, "p90": c.p90,
                   "p_none": c.p_none, "runs": c.runs}
    return {
        "own_reach": plan.own_reach,
        "expected_reach": plan.expected_reach,
        "multiplier": plan.multiplier,
        "effort_minutes": plan.effort_minutes,
        "cascade": cascade,
        "asks": _partners(plan.chosen, plan, numeric_ids),
        "ranked": _partners(plan.ranked, plan, numeric_ids),
    }


def plan_table(plan: Plan, title: str, runs: int) -> str:
    """The plan as aligned text: a summary, then the best partners with the asks marked."""
    from socialdesk.core.formatting import compact, percent
    from socialdesk.core.planner.headline import likely_range, mean_and_none, multiplier_text
    from socialdesk.core.planner.likelihood import SHARE_CHANCE
    from socialdesk.core.planner.ranking import PartnerFigures

    asks = len(plan.chosen)
    with_asks = f"With {asks} ask{'' if asks == 1 else 's'}:"
    lines = [title]
    c = plan.cascade
    if c is not None and c.runs:
        lines += [f"  {'Likely reach:':<17}{likely_range(c)}",
                  f"  {'':<17}{mean_and_none(c)} ({c.runs:,} runs, with reshares)"]
    lines += [
        f"  {'Reach alone:':<17}{compact(plan.own_reach):>7}",
        f"  {with_asks:<17}{compact(plan.expected_reach):>7}   "
        f"{multiplier_text(plan.multiplier)} "
        f"expected without reshares, {plan.effort_minutes:.0f} min of asking",
    ]
    if not plan.ranked:
        lines.append("\nNo partners yet: " + ("add some to the scenario's \"partners\"."
                     if title.startswith("Scenario") else
                     "give a contact an audience to plan with them."))
        return "\n".join(lines)
    chosen = {e.id for e in plan.chosen}
    # The asks and the best others, in rank order, by their places (ids are unique): the
    # 50,000 estimates of a huge workspace are not made to find 20.
    ids = PartnerFigures.ids_of(plan.ranked)
    places = [r for r, pid in enumerate(ids) if pid in chosen]
    places += islice((r for r, pid in enumerate(ids) if pid not in chosen),
                     max(0, TABLE_ROWS - len(places)))
    shown = [plan.ranked[r] for r in sorted(places)]
    width = min(32, max(len("Partner"), *(len(e.name) for e in shown)))
    lines.append("")
    # "Adds": the partner alone; "In plan": what the partner adds to the chosen asks.
    lines.append(f"  Ask  {'Partner':<{width}}  {SHARE_CHANCE:>12}  {'Fit':>4}  {'Adds':>6}  "
                 f"{'In plan':>7}  {'Effort':>7}")
    for e in shown:
        name = e.name if len(e.name) <= width else e.name[: width - 1] + "…"
        marginal = compact(plan.marginal.get(e.id, 0.0)) if e.id in chosen else ""
        lines.append(
            f"  {'✓' if e.id in chosen else ' ':^3}  {name:<{width}}  {percent(e.p):>12}  "
            f"{percent(e.fit):>4}  {compact(e.added_reach):>6}  {marginal:>7}  "
            f"{e.effort_minutes:>3.0f} min"
        )
    hidden = len(plan.ranked) - len(shown)
    if hidden:
        lines.append(f"  … and {hidden:,} more partners (--json lists them all)")
    return "\n".join(lines)
