r"""A contact record as the vCard 4.0 an address book server stores, and back.

Written with the contacts export's writer (:func:`~socialdesk.core.contacts.vcard_write.card`),
so that a phone or Thunderbird subscribed to the address book sees a proper contact:
``FN``, ``N``, ``ORG``, ``EMAIL``, ``TEL``, ``URL`` with their types and labels,
``CATEGORIES`` for the tags, ``NOTE``, and the own fields as ``X-SOCIALDESK-KIND``,
``-STAGE``, ``-STRENGTH``, ``-EFFORT-MINUTES`` and ``-FOLLOW-UP``. Then what only
SocialDesk reads:

* ``X-SOCIALDESK-SLUG``: the partner's name in tracked links;
* ``X-SOCIALDESK-AUDIENCES`` and ``X-SOCIALDESK-INTERACTIONS``: each a JSON list (escaped as
  vCard text), the audiences with every column and their topics, the interactions with
  their date, kind and note;
* one ``RELATED`` per link, its value the other contact's UID (a ``urn:uuid:`` URI, else
  ``VALUE=text``) and its ``TYPE`` the nearest of RFC 6350 (``acquaintance``,
  ``co-worker``, ``kin``, ``friend``, ``contact``), grouped with an
  ``X-SOCIALDESK-LINK`` that holds the link's kind, weight, direction and note as JSON;
  the record's ``links`` are those the card decides, its ``linked_by`` those the other
  contact's card decides (``link_authority``).

Read with the contacts importer's syntax and field readers (``vcard_syntax``, labels,
``N`` and ``ORG``), without its cleaning, so that the record written comes back equal.
A card another program wrote (a phone's: ``FN``, ``TEL``, ``EMAIL``; a vCard 3.0 card)
reads too, the fields it lacks taking their defaults; its ``RELATED`` becomes a link of the
kind its ``TYPE`` says. The lines SocialDesk has no field for (a ``BDAY``, ``ADR``,
``PHOTO``, an ``X-ABLabel`` of theirs, a ``RELATED`` naming someone by text) are kept as
written (field ``vcard_extra``, see ``contact_record``) and written back into the card.
Everything is bounded: a card over :data:`MAX_CARD_CHARS`, a list over :data:`MAX_ITEMS`,
JSON that does not read as the list it should be, or an invalid date or value in an
``X-SOCIALDESK-*`` property raises :class:`~socialdesk.core.sync.kind.SyncFormatError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from socialdesk.core.contacts.fields import OWN_FIELDS
from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.vcard import (
    DETAIL_KIND,
    card_detail,
    name_from_n,
    organisation_card,
)
from socialdesk.core.contacts.importing.vcard_syntax import (
    Property,
    logical_lines,
    read_cards,
    split,
    unescape,
)
from socialdesk.core.contacts.names import from_vcard
from socialdesk.core.contacts.org_units import stored as stored_units
from socialdesk.core.contacts.vcard_write import card, escape, extra_lines, fold
from socialdesk.core.sync import contact_record as canon
from socialdesk.core.sync.kind import Record, SyncFormatError
from socialdesk.core.sync.link_authority import MIRROR, links_in, split_links
from socialdesk.store.contacts_export import ExportContact
from socialdesk.store.models import Audience, Contact, Detail, Interaction
from socialdesk.store.sync_contacts import SyncedContact, SyncedLink
from socialdesk.store.vocabulary import INTERACTION_KINDS

MAX_CARD_CHARS = 4_000_000
MAX_ITEMS = 5_000  # details, tags, audiences, topics, interactions or links of one card
MAX_COUNT = 2**63 - 1  # the largest whole number the workspace holds (SQLite INTEGER)
MAX_EXTRA_CHARS = 200_000  # of a card's lines kept without a field; the rest is left out
SLUG, AUDIENCES, INTERACTIONS, LINK = (
    f"X-SOCIALDESK-{name}" for name in ("SLUG", "AUDIENCES", "INTERACTIONS", "LINK"))
_OWN = {own.vcard_property: own for own in OWN_FIELDS}
_WANTED = frozenset((
    "VERSION", "UID", "FN", "N", "ORG", "KIND", "X-ABSHOWAS", "EMAIL", "TEL", "URL",
    "X-ABLABEL", "NOTE", "CATEGORIES", "RELATED", SLUG, AUDIENCES, INTERACTIONS, LINK, *_OWN,
))
# A link's kind as RFC 6350's RELATED TYPE, and a TYPE another program wrote as a kind.
_RELATED_TYPE = {"knows": "acquaintance", "works_with": "co-worker", "family": "kin",
                 "friend": "friend"}
_TYPE_KIND = {"friend": "friend", "co-worker": "works_with", "colleague": "works_with",
              "kin": "family", "spouse": "family", "child": "family", "parent": "family",
              "sibling": "family"}
_END = "END:VCARD\r\n"
# What SocialDesk reads itself never goes into the lines kept (but another program's
# label or relation by name); a group of SocialDesk's own lines is renamed there.
_READ = _WANTED - {"X-ABLABEL", "RELATED"}
_OWN_GROUP = re.compile(r"(?:item|related)[0-9]+\.", re.IGNORECASE)
_EXTRA_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _json(value: object) -> str:
    return escape(json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                             sort_keys=True, allow_nan=False))


def _related_lines(links: list[dict[str, Any]]) -> list[str]:
    lines = []
    for number, link in enumerate(links, start=1):
        uid = str(link["uid"])
        value = uid if uid.startswith("urn:") else escape(uid)
        kind = _RELATED_TYPE.get(str(link["kind"]), "contact")
        lines.append(f"related{number}.RELATED;TYPE={kind};"
                     f"VALUE={'uri' if uid.startswith('urn:') else 'text'}:{value}")
        lines.append(f"related{number}.{LINK}:{_json(link)}")
    return lines


def to_text(uid: str, record: Record) -> str:
    """The record as one vCard 4.0 (folded, CRLF line ends)."""
    extra = str(record.get("vcard_extra") or "")
    head = card(ExportContact(canon.contact_of(record), uid, "", "", extra), "4.0")
    lines = []
    if record.get("slug"):
        lines.append(f"{SLUG}:{record['slug']}")
    for name, key in ((AUDIENCES, "audiences"), (INTERACTIONS, "interactions")):
        if record.get(key):
            lines.append(f"{name}:{_json(record[key])}")
    # by the other contact's UID: those the other cards decide come first
    lines += _related_lines(links_in(record, MIRROR) + links_in(record))
    return head.removesuffix(_END) + "".join(fold(one) for one in lines) + _END


# --- reading ----------------------------------------------------------------------------


def _fail(prop: Property | None, message: str) -> SyncFormatError:
    where = f"line {prop.line}: " if prop is not None else ""
    return SyncFormatError(f"{where}{message}")


def _props(text: str, every: list[tuple[Property, bytes]]) -> list[Property]:
    if len(text) > MAX_CARD_CHARS:
        raise SyncFormatError(f"the card is {len(text):,} characters long; SocialDesk reads "
                              f"cards of up to {MAX_CARD_CHARS:,}.")
    try:
        cards = list(read_cards(logical_lines(text.encode("utf-8")), "card", _WANTED, every))
    except ContactImportError as error:
        raise SyncFormatError(f"line {error.line}: {error.message}") from error
    except UnicodeEncodeError as error:
        raise SyncFormatError("the card holds characters that are not Unicode text.") from error
    if len(cards) != 1:
        raise SyncFormatError(f"expected one vCard, found {len(cards)}.")
    return cards[0].props


def _raw(prop: Property) -> str:
    """The value as written, escapes and all (for N, ORG, CATEGORIES: split it first)."""
    try:
        return prop.raw.decode("utf-8")
    except UnicodeDecodeError as error:  # a fold inside a character, mended wrongly
        raise _fail(prop, f"{prop.name} is not UTF-8 text.") from error


def _value(prop: Property, version: str) -> str:
    """The value of a property of one text value, escapes resolved."""
    return unescape(_raw(prop), version)


def _loads(prop: Property, version: str) -> Any:
    try:
        return json.loads(_value(prop, version))
    except (ValueError, RecursionError) as error:
        raise _fail(prop, f"{prop.name} is not the JSON SocialDesk writes.") from error


def _items(prop: Property, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _fail(prop, f"{prop.name} is not a list of objects.")
    if len(value) > MAX_ITEMS:
        raise _fail(prop, f"{prop.name} has {len(value):,} entries, over {MAX_ITEMS:,}.")
    return value


def _field(prop: Property, item: dict[str, Any], key: str, check: Callable[[Any], bool],
           default: Any = None) -> Any:
    value = item.get(key, default)
    if not check(value):
        raise _fail(prop, f"{prop.name}: {key} {str(value)[:40]!r} is not valid.")
    return value


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _is_share(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and 0 <= value <= 1)


def _is_day(value: Any) -> bool:
    return canon.valid_day(value) is not None


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value is None or check(value)


def _topics(value: Any) -> bool:
    return (isinstance(value, list) and len(value) <= MAX_ITEMS
            and all(isinstance(topic, str) for topic in value))


def _audiences(prop: Property, version: str) -> list[Audience]:
    found = []
    for item in _items(prop, _loads(prop, version)):
        platform = _field(prop, item, "platform", _is_name)
        found.append(Audience(
            0, 0, platform, _field(prop, item, "size", _is_count, 0),
            _field(prop, item, "handle", _is_text, ""),
            _field(prop, item, "engagement_rate", _optional(_is_share)),
            _field(prop, item, "last_checked_on", _optional(_is_day)),
            tuple(_field(prop, item, "topics", _topics, [])),
            _field(prop, item, "url", _is_text, "")))
    return found


def _interactions(prop: Property, version: str) -> list[Interaction]:
    return [Interaction(0, 0, _field(prop, item, "happened_on", _is_day),
                        _field(prop, item, "kind", lambda v: v in INTERACTION_KINDS, "note"),
                        _field(prop, item, "note", _is_text, ""))
            for item in _items(prop, _loads(prop, version))]


_Extra = tuple[Property, dict[str, Any]]


class _LinkExtras:
    """The card's X-SOCIALDESK-LINK lines, each given to one RELATED.

    A RELATED takes the one that names its UID in its group, else the first that names
    its UID (a program that renames or renumbers groups, as Apple's Contacts does, keeps
    each link's kind and weight), else one in its group that names no UID. Each lookup
    is quick, however many lines the card has.
    """

    def __init__(self, props: list[Property], version: str) -> None:
        self._lists: dict[tuple[str, str | None], list[_Extra]] = {}
        self._next: dict[tuple[str, str | None], int] = {}
        self._used: set[int] = set()
        for prop in props:
            item = _loads(prop, version)
            if not isinstance(item, dict):
                raise _fail(prop, f"{LINK} is not an object.")
            uid = item.get("uid", "")
            uid = uid if isinstance(uid, str) else ""
            for key in ((uid, prop.group), (uid, None)):
                self._lists.setdefault(key, []).append((prop, item))

    def _first(self, key: tuple[str, str | None]) -> _Extra | None:
        items = self._lists.get(key, [])
        index = self._next.get(key, 0)
        while index < len(items) and id(items[index]) in self._used:
            index += 1
        self._next[key] = index
        return items[index] if index < len(items) else None

    def take(self, prop: Property, uid: str) -> _Extra | None:
        """The line for the RELATED ``prop`` naming ``uid``, if there is one left."""
        found = self._first((uid, prop.group)) or self._first((uid, None))
        if found is None and prop.group:
            found = self._first(("", prop.group))
        if found is not None:
            self._used.add(id(found))
        return found


def _link(prop: Property, extras: _LinkExtras, version: str) -> SyncedLink | None:
    """A RELATED as a link, with what its X-SOCIALDESK-LINK says; None without a UID.

    Without an X-SOCIALDESK-LINK, only a URI (another card's ``urn:uuid:``) names a contact.
    """
    raw = prop.raw.decode("utf-8", errors="replace")
    text_value = any(v.lower() == "text" for v in prop.params.get("VALUE", ()))
    uid = (unescape(raw, version) if text_value else raw).strip()
    if not canon.usable_uid(uid):
        return None
    extra = extras.take(prop, uid)
    if extra is None and (text_value or not _URI.match(uid)):
        return None  # another program's relation by name ("child: Ann"): no contact's UID
    if extra is None:
        types = [t.lower() for t in prop.params.get("TYPE", ())]
        kind = next((_TYPE_KIND[t] for t in types if t in _TYPE_KIND), "knows")
        return SyncedLink(uid, kind, 0.5, "both", "")
    found, item = extra
    return SyncedLink(
        uid, _field(found, item, "kind", _is_name), _field(found, item, "weight", _is_share, 0.5),
        _field(found, item, "direction", lambda v: v in canon.DIRECTIONS, "both"),
        _field(found, item, "note", _is_text, ""))


def _own_fields(values: dict[str, list[Property]], version: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, own in _OWN.items():
        if name in values:
            prop = values[name][0]
            text = _value(prop, version).strip()
            try:
                found[own.name] = own.read(text)
            except ValueError as error:
                raise _fail(prop, f"{name} {text[:40]!r} is not valid.") from error
    return found


def _name(values: dict[str, list[Property]], version: str, organisation: str,
          details: list[Detail]) -> str:
    for prop in values.get("FN", ()):
        if name := canon.line(_value(prop, version)):
            return name
    for prop in values.get("N", ()):
        if name := name_from_n(_raw(prop), version):
            return name
    name = organisation or next((d.value for d in details if d.kind in ("email", "phone")), "")
    if not name:
        raise SyncFormatError("the card has no name (FN), organisation, e-mail or phone.")
    return name


def _limited(values: dict[str, list[Property]], names: tuple[str, ...]) -> None:
    for name in names:
        if len(values.get(name, ())) > MAX_ITEMS:
            prop = values[name][MAX_ITEMS]
            raise _fail(prop, f"more than {MAX_ITEMS:,} {name} lines.")


def _parsed(text: str) -> SyncedContact:
    values: dict[str, list[Property]] = {}
    every: list[tuple[Property, bytes]] = []
    for prop in _props(text, every):
        values.setdefault(prop.name, []).append(prop)
    _limited(values, ("EMAIL", "TEL", "URL", "RELATED", "CATEGORIES", "X-ABLABEL", LINK))
    version = next((_value(p, "4.0").strip() for p in values.get("VERSION", ())), "3.0")
    uid = next((u for p in values.get("UID", ()) if (u := _value(p, "4.0").strip())), "")
    if not canon.usable_uid(uid):
        raise SyncFormatError("the card has no UID SocialDesk can use.")
    labels = {p.group: _value(p, version) for p in values.get("X-ABLABEL", ()) if p.group}
    details = [
        card_detail(DETAIL_KIND[name], prop, _value(prop, version), labels)
        for name in ("EMAIL", "TEL", "URL") for prop in values.get(name, ())
    ]
    org = next((parts for p in values.get("ORG", ())
                if canon.line((parts := split(_raw(p), ";", version))[0])), [""])
    organisation = canon.line(org[0])
    name = _name(values, version, organisation, details)
    if organisation_card({key: [(p, _raw(p)) for p in values.get(key, ())]
                          for key in ("KIND", "X-ABSHOWAS")}):
        organisation = organisation or name
    structured = next((n for p in values.get("N", ()) if (n := from_vcard(_raw(p)))), "")
    tags = [tag for p in values.get("CATEGORIES", ()) for tag in split(_raw(p), ",", version)]
    if len(tags) > MAX_ITEMS:
        raise SyncFormatError(f"the card has more than {MAX_ITEMS:,} categories.")
    contact = Contact(
        0, name, organisation, notes="\n".join(_value(p, version) for p in values.get("NOTE", ())),
        structured_name=structured, org_units=stored_units(org[1:]) if organisation else "",
        details=tuple(details), tags=tuple(tags), **_own_fields(values, version))
    slug = next((_value(p, version).strip() for p in values.get(SLUG, ())), None)
    if slug is not None and canon.valid_slug(slug) is None:
        raise _fail(values[SLUG][0], f"{SLUG} {slug[:40]!r} is not a slug.")
    extras = _LinkExtras(values.get(LINK, []), version)
    links, by_text = [], set()
    for prop in values.get("RELATED", ()):
        if (link := _link(prop, extras, version)) is not None:
            links.append(link)
        else:
            by_text.add(prop.line)
    groups = {p.group for name in ("EMAIL", "TEL", "URL") for p in values.get(name, ())}
    return SyncedContact(
        uid, contact, slug,
        audiences=[a for p in values.get(AUDIENCES, ())[:1] for a in _audiences(p, version)],
        interactions=[i for p in values.get(INTERACTIONS, ())[:1]
                      for i in _interactions(p, version)],
        links=links, vcard_extra=extra_text(_extra_lines(every, groups, by_text)))


def extra_text(lines: Iterable[str]) -> str:
    """A card's lines without a field of their own as a record and the workspace keep them.

    Those a card can carry as they are (``vcard_write.extra_lines``) and that SocialDesk
    does not read itself, a group of SocialDesk's own lines (``item1``, ``related1``)
    prefixed with ``x`` (so that it is not taken for a detail's label), one per line, in
    order, at most :data:`MAX_EXTRA_CHARS` in all (the lines past that are left out).
    """
    found: list[str] = []
    size = 0
    for line in extra_lines("\n".join(lines)):
        name = _EXTRA_NAME.match(line)
        if name is None or name[1].upper() in _READ:
            continue
        if _OWN_GROUP.match(line):
            line = "x" + line
        if size + len(line) + 1 <= MAX_EXTRA_CHARS:
            found.append(line)
            size += len(line) + 1
    return "\n".join(found)


def _extra_lines(every: list[tuple[Property, bytes]], detail_groups: set[str],
                 by_text: set[int]) -> list[str]:
    """The card's lines SocialDesk has no field for, as written (``every``: all of them).

    Every property SocialDesk does not read; an ``X-ABLabel`` of a group without an
    e-mail address, phone or web address (another property's label); a ``RELATED`` that
    is no link (line numbers ``by_text``). An embedded card (vCard 2.1 ``AGENT``) is not.
    """
    found = []
    for prop, raw in every:
        if prop.name in _WANTED and not (
                (prop.name == "X-ABLABEL" and prop.group not in detail_groups)
                or (prop.name == "RELATED" and prop.line in by_text)):
            continue
        try:
            found.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return found


def from_text(text: str) -> tuple[str, Record]:
    """The UID and canonical record of one vCard (4.0 or 3.0, as CardDAV servers hold)."""
    item = _parsed(text)
    return item.uid, split_links(item.uid, canon.record_of(item))

