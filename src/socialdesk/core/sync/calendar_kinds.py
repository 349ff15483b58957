"""The kinds of item the shared calendar carries: posts, asks, campaigns and the settings.

- **post** (VEVENT, :mod:`~socialdesk.core.sync.post_kind`) and **ask** (VTODO related to
  its post, :mod:`~socialdesk.core.sync.ask_kind`).
- **campaign**: a VJOURNAL. A campaign may have no dates, and a VEVENT without DTSTART is
  refused by servers (Radicale among them), while a VJOURNAL needs none; calendar programs
  and phones do not show journal entries, so campaigns do not clutter the team's calendar
  as day-long events would. SUMMARY is the name, DESCRIPTION the goal, DTSTART the first
  day; ``X-SOCIALDESK-CAMPAIGN`` (JSON) holds every field. The calendar collection must
  accept VJOURNAL (its supported-calendar-component-set).
- **settings**: one VJOURNAL with the fixed UID :data:`SETTINGS_UID` holding the settings
  the team shares (:data:`TEAM_SETTINGS`: the leverage and reach model, the default
  effort, the business's name, the time zone) and the business's own channels (field
  ``channels``: their followers are the model's own reach), as JSON in
  ``X-SOCIALDESK-SETTINGS``. What belongs to one computer or one person (backups, the
  sender's own name, publishing accounts) stays. The item exists only once a team
  setting differs from its default or a channel is set up; a computer that never synced
  it takes the team's as they are, without conflicts (the engine's ``ADOPTED``).

Follow-ups need no kind of their own: a contact's follow-up date is a field of the
contact and travels with it in the address book.

Every object written carries ``X-SOCIALDESK-KIND``; :func:`kind_of_text` tells the
engine which kind reads a server's object (another program's VEVENT is a post; its
to-dos and journal entries are not SocialDesk's).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from socialdesk.core import settings as workspace_settings
from socialdesk.core.calendar.ics_lines import Prop
from socialdesk.core.sync import ical_text as ic
from socialdesk.core.sync.ask_kind import AskDeferred, AskKind
from socialdesk.core.sync.kind import Kind, Record, SyncFormatError
from socialdesk.core.sync.post_kind import PostKind
from socialdesk.store import sync_items
from socialdesk.store.known_names import stored_platform
from socialdesk.store.workspace import Workspace

__all__ = ["CALENDAR_KINDS", "AskDeferred", "AskKind", "CampaignKind", "PostKind",
           "SettingsKind", "kind_of_text"]

SETTINGS_UID = "socialdesk-settings"
TEAM_SETTINGS = (
    "universe", "cross_platform", "reshare", "reach_rates", "fatigue_days",
    "extra_platforms", "max_hops", "prior_a", "prior_b", "calibration_on",
    "learned_rates_on", "ask_warning_count", "ask_templates", "default_effort_minutes",
    "sender_business", "timezone",
)


def _stamp() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _journal(uid: str, kind: str, summary: str, extra: list[Prop]) -> str:
    props: list[Prop] = [("UID", uid), ("DTSTAMP", _stamp()), ("SUMMARY", summary),
                         (ic.KIND_PROPERTY, kind), *extra]
    return ic.calendar_text("VJOURNAL", props)


class CampaignKind:
    """Campaigns: VJOURNALs in the shared calendar (see the module's docstring for why)."""

    name = "campaign"
    collection: Literal["calendar"] = "calendar"
    component: Literal["VJOURNAL"] = "VJOURNAL"

    def records(self, ws: Workspace) -> dict[str, Record]:
        """Every local item of this kind by UID, read in one query per table."""
        return dict(sync_items.campaign_items(ws))

    def to_text(self, uid: str, record: Record) -> str:
        """The item as the server stores it (a whole VCALENDAR object)."""
        extra: list[Prop] = []
        if record["goal"]:
            extra.append(("DESCRIPTION", str(record["goal"])))
        if record["starts_on"]:
            extra.append(("DTSTART", date.fromisoformat(str(record["starts_on"]))))
        extra.append(("X-SOCIALDESK-CAMPAIGN", ic.as_json(record)))
        return _journal(uid, self.name, str(record["name"]), extra)

    def owns(self, text: str) -> bool:
        """Whether a server's VJOURNAL is a campaign (not the settings, not a diary's)."""
        return ic.kind_of_text(text) == self.name

    def from_text(self, text: str) -> tuple[str, Record]:
        """The UID and record of a server's object; SyncFormatError if unreadable."""
        comp = ic.parse_component(text, "VJOURNAL", self.name)
        uid = ic.text_of(comp, "UID")
        data = ic.x_json(comp, "X-SOCIALDESK-CAMPAIGN") or {}
        if not isinstance(data, dict):
            raise SyncFormatError("X-SOCIALDESK-CAMPAIGN is not an object")
        name = ic.text_of(comp, "SUMMARY").strip() or "Campaign"
        colour = data.get("colour", "#4c78a8")
        if not isinstance(colour, str) or len(colour) != 7 or not colour.startswith("#"):
            raise SyncFormatError(f"a campaign's colour: {str(colour)[:20]!r}")
        try:
            int(colour[1:], 16)
        except ValueError:
            raise SyncFormatError(f"a campaign's colour: {colour!r}") from None
        record: Record = {
            "name": name, "goal": ic.text_of(comp, "DESCRIPTION"),
            "starts_on": ic.iso_day(data.get("starts_on"), "starts_on"),
            "ends_on": ic.iso_day(data.get("ends_on"), "ends_on"), "colour": colour,
        }
        return uid, record

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        """Create or update the local item to hold ``record`` (caller's transaction)."""
        sync_items.write_campaign(ws, uid, record)

    def delete(self, ws: Workspace, uid: str) -> None:
        """Remove the local item (nothing when there is none)."""
        sync_items.delete_by_uid(ws, "campaigns", uid)


class SettingsKind:
    """The team's workspace settings: one VJOURNAL with the UID :data:`SETTINGS_UID`."""

    name = "settings"
    collection: Literal["calendar"] = "calendar"
    component: Literal["VJOURNAL"] = "VJOURNAL"

    def records(self, ws: Workspace) -> dict[str, Record]:
        """Every local item of this kind by UID, read in one query per table."""
        from socialdesk.store.settings import stored_settings

        channels = _sorted_channels(sync_items.channel_items(ws))
        if not channels and not set(stored_settings(ws)) & set(TEAM_SETTINGS):
            return {}
        values = workspace_settings.workspace_settings(ws)
        return {SETTINGS_UID: {**{key: values[key] for key in TEAM_SETTINGS},
                               "channels": channels}}

    def to_text(self, uid: str, record: Record) -> str:
        """The item as the server stores it (a whole VCALENDAR object)."""
        return _journal(uid, self.name, "SocialDesk settings",
                        [("X-SOCIALDESK-SETTINGS", ic.as_json(record))])

    def owns(self, text: str) -> bool:
        """Whether a server's VJOURNAL is the settings (not a campaign, not a diary's)."""
        return ic.kind_of_text(text) == self.name

    def from_text(self, text: str) -> tuple[str, Record]:
        """The UID and record of a server's object; SyncFormatError if unreadable."""
        comp = ic.parse_component(text, "VJOURNAL", self.name)
        data = ic.x_json(comp, "X-SOCIALDESK-SETTINGS")
        if not isinstance(data, dict):
            raise SyncFormatError("X-SOCIALDESK-SETTINGS is missing or not an object")
        record: dict[str, Any] = {}
        for key in TEAM_SETTINGS:  # a value this version cannot use: the default
            value = workspace_settings.valid_value(key, data.get(key))
            default: Any = workspace_settings.DEFAULTS[key]
            if isinstance(default, dict) and isinstance(value, dict):
                value = {**default, **value}
            record[key] = default if value is None else value
        record["channels"] = _sorted_channels(
            ic.items_of(data.get("channels"), "channels", _own_channel))
        return ic.text_of(comp, "UID"), record

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        """Create or update the local item to hold ``record`` (caller's transaction)."""
        with ws.transaction():
            for key in TEAM_SETTINGS:
                value = workspace_settings.stored_form(key, record.get(key))
                workspace_settings.update_setting(
                    ws, key, workspace_settings.DEFAULTS[key] if value is None else value)
            channels: Any = record.get("channels") or []
            sync_items.replace_channels(ws, list(channels))

    def delete(self, ws: Workspace, uid: str) -> None:
        """Remove the local item (nothing when there is none)."""
        with ws.transaction():
            for key in TEAM_SETTINGS:
                workspace_settings.update_setting(ws, key, workspace_settings.DEFAULTS[key])
            sync_items.replace_channels(ws, [])


def _own_channel(entry: dict[str, Any]) -> dict[str, Any]:
    platform, label = stored_platform(ic.checked_text(entry["platform"], "a channel"))
    if not platform or len(label) > 100 or (platform == "other" and not label):
        raise SyncFormatError(f"a channel's platform: {str(entry['platform'])[:40]!r}")
    active = entry.get("active", True)
    if not isinstance(active, bool):
        raise SyncFormatError("a channel's active is not true or false")
    return {"platform": label or platform,
            "handle": ic.checked_text(entry.get("handle", ""), "a channel's handle"),
            "url": ic.checked_text(entry.get("url", ""), "a channel's address"),
            "followers": ic.count(entry.get("followers", 0), "followers") or 0,
            "active": active}


def _sorted_channels(channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One order on every computer (the same channel twice counts once)."""
    unique = {(c["platform"].casefold(), c["handle"], c["url"]): c for c in channels}
    return [unique[key] for key in sorted(unique)]


CALENDAR_KINDS: tuple[Kind, ...] = (SettingsKind(), CampaignKind(), PostKind(), AskKind())
kind_of_text = ic.kind_of_text
