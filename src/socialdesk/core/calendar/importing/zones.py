"""Turn the TZIDs calendar programs write into IANA time zones.

In order: an IANA name (any case, with or without a vendor prefix such as
``/freeassociation.sourceforge.net/Europe/Berlin``); a Windows zone name
(``W. Europe Standard Time``, from ``icalendar``'s copy of the Unicode CLDR table);
the IANA name a VTIMEZONE carries in ``X-LIC-LOCATION``; an Outlook display name
(``(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna``) whose cities name
an IANA zone with the same UTC offset as the file's own VTIMEZONE (or as the display
name says). A zone known only from the file's VTIMEZONE is still exact: the time is
converted, instant for instant, to the workspace's zone. A name that is none of these,
without a VTIMEZONE, is read as the workspace's local time (with a note); an offset in
the name (``(UTC-03:00) …``) is used when there is one. A VTIMEZONE that cannot be
followed within bounds (``vtimezone``) counts as absent, with a note saying why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from socialdesk.core.calendar.importing.reader import RawComponent
from socialdesk.core.calendar.importing.vtimezone import ZoneError, file_zone

MAX_FILE_ZONES = 20  # VTIMEZONE descriptions followed per file (each within bounds)
UTC_KEYS = frozenset({
    "utc", "etc/utc", "etc/uct", "uct", "etc/zulu", "zulu", "gmt", "etc/gmt", "z",
    "etc/greenwich", "greenwich", "universal", "etc/universal",
})

# Cities of Windows display names that are not the last part of an IANA name.
CITY_ALIASES = {
    "brasilia": "America/Sao_Paulo",
    "eastern time (us & canada)": "America/New_York",
    "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver",
    "pacific time (us & canada)": "America/Los_Angeles",
    "atlantic time (canada)": "America/Halifax",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
    "newfoundland": "America/St_Johns",
    "coordinated universal time": "UTC",
    "beijing": "Asia/Shanghai",
    "chongqing": "Asia/Shanghai",
    "new delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "osaka": "Asia/Tokyo",
    "sapporo": "Asia/Tokyo",
    "canberra": "Australia/Sydney",
    "wellington": "Pacific/Auckland",
    "st. petersburg": "Europe/Moscow",
    "bern": "Europe/Zurich",
    "edinburgh": "Europe/London",
    "krakow": "Europe/Warsaw",
    "kiev": "Europe/Kyiv",
    "pretoria": "Africa/Johannesburg",
    "hanoi": "Asia/Bangkok",
    "seoul": "Asia/Seoul",
    "taipei": "Asia/Taipei",
    "guadalajara": "America/Mexico_City",
    "monterrey": "America/Monterrey",
    "bogota": "America/Bogota",
    "lima": "America/Lima",
    "quito": "America/Guayaquil",
    "abu dhabi": "Asia/Dubai",
    "muscat": "Asia/Muscat",
}
_OFFSET = re.compile(
    r"^\(\s*(?:UTC|GMT)\s*(?:(?P<sign>[+-])\s*(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?)?\s*\)\s*"
)


@dataclass(frozen=True, slots=True)
class Zone:
    """Where a TZID puts a wall-clock time.

    ``tz`` computes instants (``None``: floating, the workspace's local time); ``key``
    is the IANA name to keep on the post, or ``None`` when the time must be converted
    to the workspace's zone (UTC, a zone known only from the file's VTIMEZONE, a bare
    offset). ``note`` says what was guessed, for the problems list.
    """

    tz: tzinfo | None
    key: str | None
    note: str | None = None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").split())


@lru_cache(maxsize=1)
def _iana() -> tuple[dict[str, str], dict[str, str]]:
    """IANA names by folded full name, and by folded city (last part)."""
    names = sorted(available_timezones())
    by_name = {name.casefold(): name for name in names}
    by_city: dict[str, str] = {}
    for name in names:
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            by_city.setdefault(_fold(name.rsplit("/", 1)[1]), name)
    return by_name, by_city


@lru_cache(maxsize=1)
def _windows() -> dict[str, str]:
    return {name.casefold(): olson for name, olson in WINDOWS_TO_OLSON.items()}


def iana_name(tzid: str) -> str | None:
    """The IANA name a TZID stands for by name alone (IANA, vendor-prefixed, Windows)."""
    cleaned = tzid.strip().strip('"').strip()
    if not cleaned:
        return None
    if cleaned.casefold().strip("/") in UTC_KEYS:
        return "UTC"
    by_name, _ = _iana()
    parts = cleaned.strip("/").split("/")
    for start in range(len(parts)):  # "/vendor/Europe/Berlin" → "Europe/Berlin"
        found = by_name.get("/".join(parts[start:]).casefold())
        if found and (start == 0 or "/" in found):
            return found
    return _windows().get(cleaned.casefold())


def _loads(key: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _stated_offset(tzid: str) -> timedelta | None:
    match = _OFFSET.match(tzid.strip())
    if not match:
        return None
    if not match.group("sign"):
        return timedelta(0)
    offset = timedelta(hours=int(match.group("h")), minutes=int(match.group("m") or 0))
    return -offset if match.group("sign") == "-" else offset


def _cities(tzid: str) -> list[str]:
    rest = _OFFSET.sub("", tzid.strip().strip('"'))
    return [_fold(part) for part in re.split(r"[,/;]| and ", rest) if part.strip()]


def _same_offset(
    zone: ZoneInfo, at: datetime, custom: tzinfo | None, stated: timedelta | None
) -> bool:
    if custom is not None:
        return zone.utcoffset(at) == custom.utcoffset(at)
    if stated is not None:
        offset, dst = zone.utcoffset(at), zone.dst(at)
        return offset is not None and offset - (dst or timedelta(0)) == stated
    return True


class ZoneResolver:
    """Resolves the TZIDs of one file, remembering each answer.

    At most :data:`MAX_FILE_ZONES` of the file's VTIMEZONEs are followed (each within
    the bounds of ``vtimezone``); past that, zones are known by their names only.
    """

    def __init__(self, vtimezones: dict[str, RawComponent], default: ZoneInfo) -> None:
        self.vtimezones = vtimezones
        self.default = default
        self._cache: dict[str, Zone] = {}
        self._zones_left = MAX_FILE_ZONES

    def resolve(self, tzid: str, at: datetime) -> Zone:
        """The zone of ``tzid``, for a wall-clock time ``at`` (naive) in that zone."""
        zone = self._cache.get(tzid)
        if zone is None:
            zone = self._cache[tzid] = self._resolve(tzid, at)
        return zone

    def _resolve(self, tzid: str, at: datetime) -> Zone:
        key = iana_name(tzid)
        raw = self.vtimezones.get(tzid) or self.vtimezones.get(tzid.strip('"'))
        if key is None and raw is not None:
            key = iana_name(raw.value("X-LIC-LOCATION"))
        if key is not None:
            return self._known(key)
        custom, why = self._described(raw) if raw is not None else (None, None)
        unusable = (f"the file's description of time zone “{tzid}” cannot be followed "
                    f"({why}); ") if why else None
        stated = _stated_offset(tzid)
        found = self._by_city(tzid, at, custom, stated)
        if found is not None:
            zone = self._known(found)
            if unusable and zone.note is None:
                zone = Zone(zone.tz, zone.key, f"{unusable}{found} was used, as its name says.")
            return zone
        if custom is not None:
            return Zone(custom, None)
        if stated is not None:
            return Zone(
                timezone(stated), None,
                (unusable or f"time zone “{tzid}” is not known; ")
                + "its UTC offset was used (daylight saving time may shift it by an hour).",
            )
        return Zone(
            None, None,
            (unusable or f"time zone “{tzid}” is not known and the file does not describe "
             "it; ") + "the time was kept as the workspace's local time.",
        )

    def _described(self, raw: RawComponent) -> tuple[tzinfo | None, str | None]:
        """The zone a VTIMEZONE describes, or why it cannot be used."""
        if self._zones_left <= 0:
            return None, f"the file describes more than {MAX_FILE_ZONES} time zones"
        self._zones_left -= 1
        try:
            return file_zone(raw), None
        except ZoneError as error:
            return None, str(error)

    def _known(self, key: str) -> Zone:
        if key == "UTC":
            return Zone(UTC, None)
        zone = _loads(key)
        if zone is None:
            return Zone(None, None, f"time zone “{key}” is not available on this computer.")
        return Zone(zone, key)

    @staticmethod
    def _by_city(
        tzid: str, at: datetime, custom: tzinfo | None, stated: timedelta | None
    ) -> str | None:
        _, by_city = _iana()
        for city in _cities(tzid):
            key = CITY_ALIASES.get(city) or by_city.get(city)
            zone = _loads(key) if key else None
            if zone is not None and _same_offset(zone, at, custom, stated):
                return key
        return None


def vtimezones(calendar: RawComponent) -> dict[str, RawComponent]:
    """The calendar's VTIMEZONE components by TZID."""
    found: dict[str, RawComponent] = {}
    for child in calendar.children:
        if child.name == "VTIMEZONE":
            tzid = child.value("TZID")
            if tzid:
                found.setdefault(tzid, child)
    return found

