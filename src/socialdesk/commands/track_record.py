"""``socialdesk track-record``: the planner's forecasts scored against what happened."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from socialdesk.commands.common import (
    add_workspace_option,
    print_json,
    reading,
    require_latest,
    workspace_path,
)

if TYPE_CHECKING:
    from socialdesk.core.planner.track_record import TrackRecord


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``track-record``."""
    parser = commands.add_parser(
        "track-record", help="the planner's forecasts scored against what really happened",
        description="Score the share probabilities the planner gave the asks made from it "
        "against their outcomes (shared; declined or no reply): Brier score and skill "
        "against the share rate so far, log loss, the reliability by tenths of p with 90%% "
        "Wilson intervals, and how a share's reach compared with the forecast; with the "
        "recalibration fitted once 30 asks are resolved and the reach rates learned from "
        "published own posts.")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_workspace_option(parser)
    parser.set_defaults(run=run_track_record)


def run_track_record(args: argparse.Namespace) -> int:
    """Read the workspace's track record and print it."""
    from socialdesk.core.planner.track_record import track_record

    path = workspace_path(args)
    with reading(path) as ws:
        require_latest(ws, path, "ask again")
        record = track_record(ws)
    if args.json:
        print_json(record.as_json())
    else:
        print(track_record_text(record))
    return 0


def _number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def track_record_text(record: TrackRecord) -> str:
    """The track record as aligned text."""
    from socialdesk.core.formatting import percent, plural

    if not record.resolved:
        lines = ["No resolved asks with a forecast yet: asks created in the Planner keep the "
                 "chance it gave them; once they are answered (shared, declined or no reply) "
                 "they are scored here."]
    else:
        lines = [
            f"Resolved asks:     {record.resolved:,}"
            + (f" ({record.confirmed_by_visits:,} confirmed by visits)"
               if record.confirmed_by_visits else ""),
            f"Brier score:       {_number(record.brier)}   (share rate so far: "
            f"{_number(record.brier_base)}; skill {_number(record.skill, 2)})",
            f"Log loss:          {_number(record.log_loss)}",
            "",
            "  Planned p    Asks  Shared   Rate   90% interval",
        ]
        for b in record.bins:
            lines.append(f"  {b.p_low:.0%}–{b.p_high:.0%}".ljust(13)
                         + f"{b.asks:>6,}  {b.shared:>6,}  {percent(b.rate):>5}   "
                         f"{percent(b.low)}–{percent(b.high)}")
    bias = record.reach_bias
    if bias.asks:
        lines += ["", f"Reach of shares:   {bias.asks:,} with a reach typed in; log ratio to "
                  f"the forecast mean {_number(bias.mean_log, 2)}, SD {_number(bias.sd_log, 2)}"]
    c = record.calibration
    lines.append("")
    if c.fitted:
        lines.append(f"Calibration:       α {c.alpha:+.3f}, β {c.beta:.3f} from "
                     f"{c.resolved:,} asks, {'on' if c.active else 'off'}")
    else:
        lines.append(f"Calibration:       not fitted ({c.resolved:,} of 30 resolved asks)")
    learned = list(record.learned_rates.items())
    if learned:
        state = "on" if record.learned_rates_active else "off"
        lines.append(f"Learned reach rates ({state}):")
        for name, r in learned:
            rate = (f"{r.rate:.1%} (default {r.default:.1%})" if r.rate is not None
                    else f"— (default {r.default:.1%}; 5 posts needed)")
            lines.append(f"  {name:<12} {rate}, from {plural(r.posts, 'post')}")
    return "\n".join(lines)
