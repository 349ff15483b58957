r"""A contact as sync compares it: one :data:`~socialdesk.core.sync.kind.Record`, canonical.

The record holds everything a teammate needs (:data:`FIELDS`): the contact's own
columns, its slug, details, tags, audiences, interactions and links (the other contact
by UID). It is *canonical*: the same data always gives an equal dict, and it holds only
what its vCard (:mod:`~socialdesk.core.sync.contact_card`) carries back unchanged, so that
reading a card written from a record gives that record again. What a card cannot carry
is normalised away on both sides, the same way:

* text loses control characters other than tab and line feed, and line ends become ``\n``;
  names, organisations, details, tags, topics and handles lose surrounding white space;
* a detail's label is the one its vCard ``TYPE``/``X-ABLabel`` reads back as ("Mobile" is
  "mobile"), a phone's ``tel:`` scheme is dropped, a web address has its control characters
  and backslashes percent-encoded, and an empty value is left out;
* a structured name that the display name gives anyway (``Doe;Jane;;;`` for "Jane Doe") is
  '' (the vCard works it out again), as are organisation units without an organisation;
* a tie strength is kept to 6 significant digits (as files write it); an invalid date
  (follow-up, interaction, audience check) is none, and such an interaction is left out;
* lists are sorted (tags and topics alphabetically, audiences by platform, interactions by
  date, links by the other contact's UID); two audiences on one platform, or two links of
  one kind to one contact, are one, merged as the store merges them;
* the card's lines SocialDesk has no field for (``vcard_extra``, only in a record that has
  some, so that other records stay as they were) are as
  :func:`~socialdesk.core.sync.contact_card.extra_text` keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, cast

from socialdesk.core.calendar.ics_lines import CONTROLS, uri_value
from socialdesk.core.contacts import names, org_units
from socialdesk.core.contacts.detail_labels import label_from_vcard, vcard_types
from socialdesk.core.contacts.importing.vcard_syntax import split
from socialdesk.core.sync.kind import Record, Value
from socialdesk.store.audiences import merged_audiences
from socialdesk.store.known_names import stored_link_kind, stored_platform
from socialdesk.store.models import Audience, Contact, Detail, Interaction
from socialdesk.store.sync_contacts import SyncedContact, SyncedLink
from socialdesk.store.vocabulary import DETAIL_KINDS

FIELDS = (
    "name", "structured_name", "organisation", "org_units", "kind", "stage", "strength",
    "effort_minutes", "notes", "follow_up_on", "slug", "details", "tags", "audiences",
    "interactions", "links",
)
DIRECTIONS = ("both", "out", "in")
NO_NAME = "(no name)"
MAX_UID = 300
_DEFAULT = Contact(0, "")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_SLUG = 60
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f]")  # what the vCard writer drops from N and units
_DETAIL_ORDER = {kind: index for index, kind in enumerate(DETAIL_KINDS)}


def text(value: str) -> str:
    """Text as a vCard carries it: line feeds for line ends, no other control character but tab."""
    if value.isprintable():  # the usual case, and quick: no control character at all
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROLS.sub("", value) if CONTROLS.search(value) else value


def line(value: str) -> str:
    """:func:`text` without surrounding white space."""
    return text(value).strip()


def valid_day(value: object) -> str | None:
    """An ISO date as written (``2026-05-01``), or None for anything else."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def usable_uid(uid: str) -> bool:
    """Whether a UID can name a contact on the server: a card carries it unchanged.

    Printable, without backslashes or surrounding white space, at most 300 characters.
    """
    return bool(uid) and len(uid) <= MAX_UID and uid.isprintable() and "\\" not in uid \
        and uid == uid.strip()


def valid_slug(value: object) -> str | None:
    """A partner's slug (lower-case ASCII words joined by hyphens), or None."""
    if isinstance(value, str) and len(value) <= _MAX_SLUG and _SLUG.fullmatch(value):
        return value
    return None


def strength(value: float | None) -> float | None:
    """A tie strength as files write it (6 significant digits)."""
    return None if value is None else float(f"{value:g}")


def detail_value(kind: str, value: str) -> str:
    """A detail's value as its vCard reads back."""
    if kind == "url":
        return uri_value(value).strip()
    value = line(value)
    while kind == "phone" and value[:4].lower() == "tel:":  # the reader drops the scheme
        number, _, params = value[4:].partition(";")
        extension = next((p[4:] for p in params.split(";") if p[:4].lower() == "ext="), "")
        value = (f"{number} ext. {extension}" if extension else number).strip()
    return value


@lru_cache(maxsize=4096)
def detail_label(kind: str, label: str) -> str:
    """A detail's label as its vCard reads back ("Mobile" → "mobile")."""
    types, custom, preferred = vcard_types(kind, label)
    return label_from_vcard(kind, types, text(custom), preferred)


def details(items: Iterable[Detail]) -> list[dict[str, Value]]:
    """Details in order (e-mail, phone, web; each kind in its own order), empty ones left out."""
    found: list[dict[str, Value]] = []
    for detail in sorted(items, key=lambda d: _DETAIL_ORDER.get(d.kind, len(_DETAIL_ORDER))):
        if detail.kind in _DETAIL_ORDER and (value := detail_value(detail.kind, detail.value)):
            found.append({"kind": detail.kind, "value": value,
                          "label": detail_label(detail.kind, detail.label)})
    return found


def names_list(items: Iterable[str]) -> list[str]:
    """Tags or topics: trimmed, one per spelling ignoring case (the first), alphabetical."""
    unique: dict[str, str] = {}
    for item in items:
        if cleaned := line(item):
            unique.setdefault(cleaned.casefold(), cleaned)
    return sorted(unique.values(), key=lambda name: (name.casefold(), name))


def organisation_units(organisation: str, units: str) -> str:
    """Organisation units as an ``ORG`` read back gives them ('' without an organisation)."""
    if not organisation or not units:
        return ""
    return org_units.stored(split(_LINE_BREAKS.sub("", units), ";", "4.0"))


def structured_name(name: str, value: str) -> str:
    """The ``N`` a card reads back as; '' when the display name gives it anyway."""
    if not value:
        return ""
    value = names.from_vcard(_LINE_BREAKS.sub("", value))
    return "" if value == names.derived(name) else value


def display_name(name: str, organisation: str, found: Sequence[Mapping[str, Value]]) -> str:
    """The contact's name, else its organisation's, else its first e-mail or phone."""
    return (line(name) or organisation
            or next((str(d["value"]) for d in found if d["kind"] == "email"), "")
            or next((str(d["value"]) for d in found if d["kind"] == "phone"), "") or NO_NAME)


@lru_cache(maxsize=1024)
def _platform(text: str) -> str:
    """A platform as it reads back: a known one's key, else the name as typed."""
    platform, label = stored_platform(line(text))
    return label or platform


@lru_cache(maxsize=1024)
def _link_kind(text: str) -> str:
    """A link's kind as it reads back: a known one's key, else the name as typed."""
    kind, label = stored_link_kind(line(text))
    return label or kind


def audience_dicts(items: Sequence[Audience]) -> list[dict[str, Value]]:
    """Audiences by platform (as it reads back), two on one platform merged as one."""
    if not items:
        return []
    shown = []
    for audience in items:
        rate = audience.engagement_rate
        shown.append(Audience(
            0, 0, _platform(audience.platform), max(int(audience.size), 0), line(audience.handle),
            float(rate) if rate is not None and 0 <= rate <= 1 else None,
            valid_day(audience.last_checked_on), tuple(audience.topics), line(audience.url)))
    found: list[dict[str, Value]] = [
        {"platform": a.platform, "handle": a.handle, "url": a.url, "size": a.size,
         "engagement_rate": a.engagement_rate, "last_checked_on": a.last_checked_on,
         "topics": _values(names_list(a.topics))}
        for a in merged_audiences(shown) if a.platform
    ]
    return sorted(found, key=lambda a: (str(a["platform"]).casefold(), str(a["platform"])))


def interaction_dicts(items: Iterable[Interaction]) -> list[dict[str, Value]]:
    """Interactions by date, then kind and note; those without a valid date left out."""
    found = [(day, i.kind, text(i.note)) for i in items
             if (day := valid_day(i.happened_on)) is not None]
    return [{"happened_on": day, "kind": kind, "note": note}
            for day, kind, note in sorted(found)]


def link_dicts(items: Sequence[SyncedLink], own_uid: str) -> list[dict[str, Value]]:
    """Links by the other contact's UID; two of one kind to one contact merged as one.

    Merged as the store merges them: the larger weight, every note, undirected unless
    both point the same way.
    """
    if not items:
        return []
    groups: dict[tuple[str, str], list[SyncedLink]] = {}
    for link in items:
        kind = _link_kind(link.kind)
        if (link.other_uid != own_uid and usable_uid(link.other_uid) and kind
                and link.direction in DIRECTIONS):
            groups.setdefault((link.other_uid, kind.casefold()), []).append(
                SyncedLink(link.other_uid, kind, float(link.weight), link.direction,
                           text(link.note).strip()))
    found: list[dict[str, Value]] = []
    for (uid, _), same in groups.items():
        first = same[0]
        direction = first.direction if all(s.direction == first.direction for s in same) \
            else "both"
        note = "\n".join(dict.fromkeys(s.note for s in same if s.note))
        found.append({"uid": uid, "kind": first.kind, "weight": max(s.weight for s in same),
                      "direction": direction, "note": note})
    return sorted(found, key=lambda link: (str(link["uid"]), str(link["kind"]).casefold(),
                                           str(link["kind"])))


def _values(items: Sequence[object]) -> list[Value]:
    return cast("list[Value]", items)  # a list of values is a list of values


def record_of(item: SyncedContact) -> Record:
    """The canonical record of a contact as the store reads it.

    ``item.vcard_extra`` goes in as it is: what :func:`~socialdesk.core.sync.contact_card.
    extra_text` keeps of a card or of the stored column.
    """
    contact = item.contact
    found = details(contact.details)
    organisation = line(contact.organisation)
    name = display_name(contact.name, organisation, found)
    record: Record = {
        "name": name,
        "structured_name": structured_name(name, contact.structured_name),
        "organisation": organisation,
        "org_units": organisation_units(organisation, contact.org_units),
        "kind": contact.kind,
        "stage": contact.stage,
        "strength": strength(contact.strength),
        "effort_minutes": int(contact.effort_minutes),
        "notes": text(contact.notes),
        "follow_up_on": valid_day(contact.follow_up_on),
        "slug": valid_slug(item.slug),
        "details": _values(found),
        "tags": _values(names_list(contact.tags)),
        "audiences": _values(audience_dicts(item.audiences)),
        "interactions": _values(interaction_dicts(item.interactions)),
        "links": _values(link_dicts(item.links, item.uid)),
    }
    if item.vcard_extra:
        record["vcard_extra"] = item.vcard_extra
    return record


def _get(record: Mapping[str, Any], name: str) -> Any:
    value = record.get(name)
    return getattr(_DEFAULT, name) if value is None and hasattr(_DEFAULT, name) else value


def contact_of(record: Mapping[str, Any]) -> Contact:
    """The contact a record describes (``id`` 0), with its details and tags."""
    return Contact(
        id=0,
        name=str(record.get("name") or NO_NAME),
        organisation=str(record.get("organisation") or ""),
        kind=str(_get(record, "kind")),
        stage=str(_get(record, "stage")),
        strength=record.get("strength"),
        effort_minutes=int(_get(record, "effort_minutes")),
        notes=str(record.get("notes") or ""),
        follow_up_on=record.get("follow_up_on"),
        structured_name=str(record.get("structured_name") or ""),
        org_units=str(record.get("org_units") or ""),
        details=tuple(Detail(d["kind"], d["value"], d["label"])
                      for d in record.get("details") or ()),
        tags=tuple(record.get("tags") or ()),
    )


def synced_of(uid: str, record: Mapping[str, Any]) -> SyncedContact:
    """What the store writes for ``record`` (links by the other contact's UID)."""
    return SyncedContact(
        uid=uid,
        contact=contact_of(record),
        slug=record.get("slug"),
        audiences=[Audience(0, 0, a["platform"], a["size"], a["handle"], a["engagement_rate"],
                            a["last_checked_on"], tuple(a["topics"]), a["url"])
                   for a in record.get("audiences") or ()],
        interactions=[Interaction(0, 0, i["happened_on"], i["kind"], i["note"])
                      for i in record.get("interactions") or ()],
        links=[SyncedLink(link["uid"], link["kind"], link["weight"], link["direction"],
                          link["note"]) for link in record.get("links") or ()],
        vcard_extra=str(record.get("vcard_extra") or ""),
    )
