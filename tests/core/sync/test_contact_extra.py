"""A card's lines SocialDesk has no field for (a phone's BDAY, ADR, PHOTO, …) survive it.

Kept in ``contacts.vcard_extra`` and written back on every write of the card: the sync,
through a real Radicale, and the ``.vcf`` export.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import vobject

from socialdesk.core.contacts.export import export_contacts
from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.core.sync.contact_card import MAX_EXTRA_CHARS, from_text, to_text
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.core.sync.kinds import default_kinds
from socialdesk.core.sync.summary import Summary
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

PHOTO = "PHOTO;ENCODING=b;TYPE=JPEG:" + "/9j/4AAQSkZJRgABAQ" * 200
PHONES_OWN = [
    "NICKNAME:Annie", "BDAY:1985-04-12",
    "item1.ADR;type=HOME;type=pref:;;1 High Street;Hove;;BN3 1AA;United Kingdom",
    "item1.X-ABLabel:_$!<Home>!$_", "IMPP;X-SERVICE-TYPE=Skype;type=pref:skype:ann.lee",
    "X-PHONETIC-LAST-NAME:Lee", "RELATED;TYPE=child;VALUE=text:Tom", PHOTO,
]
PHONE_CARD = "\r\n".join([
    "BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
    "UID:phone-ann", "FN:Ann Lee", "N:Lee;Ann;;;", "ORG:Hove Bakes;",
    "item2.EMAIL;type=INTERNET:ann@hovebakes.example", "item2.X-ABLabel:LinkedIn",
    "TEL;type=CELL;type=VOICE;type=pref:+44 7700 900123", *PHONES_OWN,
    "REV:2026-11-30T09:00:00Z", "END:VCARD", ""])
KEPT = [line.replace("item1.", "xitem1.") for line in PHONES_OWN]


def _laptop(tmp_path: Path, name: str, url: str) -> Workspace:
    ws = Workspace.open(tmp_path / f"{name}.socialdesk", create=True)
    setup(ws, url, "team", "secret", name="Corner Bakery")
    return ws


def _sync(ws: Workspace) -> Summary:
    with client_for(ws) as client:
        return engine.sync(ws, client, default_kinds())


def _lines(card: str) -> list[str]:
    return card.replace("\r\n ", "").split("\r\n")


def _phones_own(card: str) -> dict[str, object]:
    """What the phone wrote that SocialDesk has no field for, as vobject reads the card."""
    parsed = vobject.readOne(card)
    return {"bday": parsed.bday.value, "nickname": parsed.nickname.value,
            "street": parsed.adr.value.street, "impp": parsed.impp.value,
            "related": parsed.related.value, "phonetic": parsed.x_phonetic_last_name.value,
            "photo": len(parsed.photo.value),
            "labels": sorted(c.value for c in parsed.contents["x-ablabel"])}


PHONES_DATA = _phones_own(PHONE_CARD)


def test_a_phones_card_keeps_what_socialdesk_has_no_field_for(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann = _laptop(tmp_path, "ann", dav.url)
    _sync(ann)
    account = state.account(ann)
    assert account is not None
    href = httpx.URL(dav.url).join(account.addressbook_url).join("phone-ann.vcf")
    auth = ("team", "secret")
    put = httpx.put(href, content=PHONE_CARD, auth=auth,
                    headers={"Content-Type": "text/vcard", "If-None-Match": "*"})
    assert put.status_code == 201
    assert _sync(ann).received == 1
    with ann.transaction():  # an edit here: SocialDesk writes the card again
        ann.conn.execute("UPDATE contacts SET stage = 'engaged' WHERE uid = 'phone-ann'")
    assert _sync(ann).sent == 1
    card = httpx.get(href, auth=auth).text  # Radicale accepted it (it stores its own form)
    assert "X-SOCIALDESK-STAGE:engaged" in _lines(card)
    assert _phones_own(card) == PHONES_DATA

    bob = _laptop(tmp_path, "bob", dav.url)  # a teammate joining gets them too
    _sync(bob)
    assert CONTACT_KIND.records(bob) == CONTACT_KIND.records(ann)
    export_contacts(bob, tmp_path / "contacts.vcf", "vcard")
    assert _phones_own((tmp_path / "contacts.vcf").read_text(encoding="utf-8")) == PHONES_DATA
    assert _sync(ann).sent == _sync(bob).sent == 0
    ann.close()
    bob.close()


def test_the_lines_kept_are_bounded_and_never_break_the_card(workspace: Workspace) -> None:
    hostile = PHONE_CARD.replace("END:VCARD", "\r\n".join(
        f"X-FILLER-{n}:{'x' * 990}" for n in range(400)) + "\r\nEND:VCARD")
    uid, record = from_text(hostile)
    extra = str(record["vcard_extra"])
    assert len(extra) <= MAX_EXTRA_CHARS < len(hostile)
    assert extra.split("\n")[:len(KEPT)] == KEPT  # the first lines, in order
    assert from_text(to_text(uid, record)) == (uid, record)

    with workspace.transaction():  # another program writes what no card may hold
        CONTACT_KIND.apply(workspace, uid, record)
        workspace.conn.execute(
            "UPDATE contacts SET vcard_extra = 'END:VCARD\nBEGIN:VCARD\nFN:Intruder\n"
            "NICKNAME:Annie\nBDAY\nitem3.X-ODD:x\nEMAIL:intruder@example.com' "
            "WHERE uid = ?", (uid,))
    [(uid, record)] = CONTACT_KIND.records(workspace).items()
    assert record["vcard_extra"] == "NICKNAME:Annie\nxitem3.X-ODD:x"
    card = to_text(uid, record)
    assert card.count("BEGIN:VCARD") == 1 and "Intruder" not in card
    assert "intruder@" not in card
    assert from_text(card) == (uid, record)


def test_a_card_with_nothing_unknown_keeps_its_record_as_it_was() -> None:
    """Records without extra lines have no such field: what was synced before stays equal."""
    plain = PHONE_CARD
    for line in PHONES_OWN:
        plain = plain.replace(line + "\r\n", "")
    _uid, record = from_text(plain)
    assert "vcard_extra" not in record
