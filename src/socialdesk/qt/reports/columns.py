"""Table columns of the Reports view: partners, predictions, campaigns, top partners."""

from __future__ import annotations

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact, percent
from socialdesk.qt.formatting import day_text
from socialdesk.qt.reports.figures import date_span, hours_text, ratio_text
from socialdesk.qt.table_model import Column, count_column
from socialdesk.store.report_models import CampaignRow, PartnerAsks, PostResult


def _partner_tip(p: PartnerAsks) -> str:
    return f"{p.name} — {p.organisation}" if p.organisation else p.name


def _success_tip(p: PartnerAsks) -> str:
    if not p.answered:
        return "No answer yet to any ask"
    return f"Shared {p.shared:,} of {p.answered:,} answered asks"


def _per_hour_tip(p: PartnerAsks) -> str:
    if p.reach_per_hour is None:
        return "No effort recorded"
    return (f"{exact(round(p.reach_per_hour))} people per hour: {exact(p.reach)} reached for "
            f"{hours_text(p.effort_minutes)} spent asking")


SUCCESS = Column("Success", lambda p: p.success, display=percent, numeric=True,
                 tooltip=_success_tip)
PARTNER_COLUMNS: list[Column[PartnerAsks]] = [
    Column("Partner", lambda p: p.name, tooltip=_partner_tip),
    count_column("Asked", lambda p: p.asked),
    count_column("Shared", lambda p: p.shared),
    count_column("Declined", lambda p: p.declined),
    count_column("No reply", lambda p: p.no_reply),
    count_column("Waiting", lambda p: p.waiting),
    SUCCESS,
    count_column("Reach via them", lambda p: p.reach),
    count_column("Visits", lambda p: p.visits),
    Column("Reach per hour", lambda p: p.reach_per_hour, display=compact, numeric=True,
           tooltip=_per_hour_tip),
    Column("Last asked", lambda p: p.last_asked_on,
           display=lambda v: day_text(v, today()) if v else "never"),
    Column("Organisation", lambda p: p.organisation),
]
COL_PARTNER_REACH = 7

TOP_PARTNER_COLUMNS: list[Column[PartnerAsks]] = [
    Column("Partner", lambda p: p.name, tooltip=_partner_tip),
    count_column("Asked", lambda p: p.asked),
    count_column("Shared", lambda p: p.shared),
    SUCCESS,
    count_column("Reach via them", lambda p: p.reach),
    count_column("Visits", lambda p: p.visits),
]


def _accuracy_tip(r: PostResult) -> str:
    asks = f"{r.compared} answered ask" + ("s" if r.compared != 1 else "")
    return (f"Through partners, over the {asks} with a prediction: predicted "
            f"{exact(round(r.predicted or 0))}, realised {exact(r.realised)} "
            f"({percent(r.accuracy)} of the prediction)")


PREDICTION_COLUMNS: list[Column[PostResult]] = [
    Column("Date", lambda r: r.scheduled_on, display=lambda v: day_text(v, today())),
    Column("Post", lambda r: r.title, tooltip=lambda r: r.campaign or "No campaign",
           colour=lambda r: r.colour),
    count_column("Own reach", lambda r: r.own_reach),
    count_column("Asks", lambda r: r.asks),
    Column("Predicted", lambda r: r.predicted, display=compact, numeric=True,
           tooltip=_accuracy_tip),
    Column("Realised", lambda r: r.realised, display=compact, numeric=True,
           tooltip=_accuracy_tip),
    Column("Of prediction", lambda r: r.accuracy, display=percent, numeric=True,
           tooltip=_accuracy_tip),
]
COL_PREDICTION_DATE = 0


CAMPAIGN_COLUMNS: list[Column[CampaignRow]] = [
    Column("Campaign", lambda c: c.name, tooltip=lambda c: c.goal or c.name,
           colour=lambda c: c.colour),
    Column("Dates", lambda c: (c.starts_on, c.ends_on),
           display=lambda v: date_span(*v) if all(v) else ""),
    count_column("Posts", lambda c: c.posts),
    count_column("Published", lambda c: c.published),
    count_column("Own reach", lambda c: c.own_reach),
    count_column("Via partners", lambda c: c.partner_reach),
    Column("Leverage", lambda c: c.ratio, display=ratio_text, numeric=True,
           tooltip=lambda c: "Reach through partners ÷ own reach"
           + (f": {c.ratio:.2f}" if c.ratio is not None else " (no own reach typed in)")),
    count_column("Asks", lambda c: c.asks),
    Column("Shared", lambda c: c.success, display=percent, numeric=True,
           tooltip=lambda c: f"{c.shared:,} of {c.answered:,} answered asks shared"
           f" ({c.asks - c.answered:,} waiting)"),
    count_column("Visits", lambda c: c.visits),
    Column("Goal", lambda c: c.goal),
]
