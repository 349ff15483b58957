"""``socialdesk report campaign``: a campaign's report as a PDF, without opening a window."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    reading,
    require_latest,
    workspace_path,
)
from socialdesk.core.formatting import plural

if TYPE_CHECKING:
    from socialdesk.store.models import Campaign


def register(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add ``report`` and its ``campaign`` target; return the targets."""
    report = commands.add_parser("report", help="write a report as a PDF")
    add_workspace_option(report)
    targets = report.add_subparsers(dest="what", metavar="WHAT", required=True)
    campaign = targets.add_parser(
        "campaign", help="one campaign's report: figures, weekly chart, partners, posts",
        description="Write a campaign's report (goal, dates, reach alone and through "
        "partners, the leverage ratio, the weekly chart, top partners and every post) as a "
        "PDF, the same as Reports → Campaigns → Export PDF… in the app.",
    )
    campaign.add_argument("campaign", metavar="NAME_OR_ID",
                          help="the campaign's name (or the start of it) or its id")
    campaign.add_argument("--out", metavar="FILE.pdf", required=True, help="file to write")
    add_workspace_option(campaign)
    campaign.set_defaults(run=run_report_campaign)
    return targets


def find_campaign(campaigns: list[Campaign], wanted: str) -> Campaign:
    """The campaign ``wanted`` names: its id, its name, or the only name starting so.

    Raises UserError naming the candidates when none or several match.
    """
    text = wanted.strip()
    if text.isdigit():
        found = [c for c in campaigns if c.id == int(text)]
        if found:
            return found[0]
    folded = text.casefold()
    for exact, matches in ((True, [c for c in campaigns if c.name.casefold() == folded]),
                           (False, [c for c in campaigns
                                    if c.name.casefold().startswith(folded)]),
                           (False, [c for c in campaigns if folded in c.name.casefold()])):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(f"{c.name} (id {c.id})" for c in matches[:8])
            hint = "Give its id." if exact else "Give its id or more of its name."
            raise UserError(f"{wanted!r} matches several campaigns: {names}. {hint}")
    known = ", ".join(f"{c.name} (id {c.id})" for c in campaigns[:8]) or "none yet"
    raise UserError(f"There is no campaign {wanted!r} in this workspace. Campaigns: {known}.")


def run_report_campaign(args: argparse.Namespace) -> int:
    """Write one campaign's report from a workspace opened read-only."""
    from socialdesk.core import clock
    from socialdesk.store import posts, reports

    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".pdf":
        raise UserError(f"{out}: the report is a PDF; give a file name ending in .pdf.")
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist.")
    path = workspace_path(args)
    with reading(path) as ws:
        require_latest(ws, path, "make the report again")
        campaign = find_campaign(posts.campaigns(ws), args.campaign)
        report = reports.campaign_report(ws, campaign.id)
    assert report is not None
    # The chart is drawn by Qt: without a display, on the offscreen platform.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from socialdesk.qt.app import create_application
    from socialdesk.qt.reports.pdf import ReportError, pdf_chart, write_campaign_pdf

    create_application()
    try:
        pages = write_campaign_pdf(out, report, pdf_chart(report), source=path.name,
                                   made_on=clock.today())
    except ReportError as error:
        raise UserError(str(error)) from error
    print(f"Wrote the report of {campaign.name} ({plural(len(report.posts), 'post')}, "
          f"{plural(pages, 'page')}) to {out}.")
    return 0
