"""A contact's card as other programs see it, and cards other programs wrote.

SocialDesk's card is a proper vCard 4.0 for vobject and for Debian's ``khard`` (what a
phone or Thunderbird subscribed to the address book shows); a phone's minimal card, a
vCard 3.0 card and the interop corpus's real cards read as contacts; an edit another
program makes to a SocialDesk card changes only what it touched.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from shared_files import INTEROP
from socialdesk.core.contacts.importing.vcard import read_vcards
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.core.sync.kind import Record
from socialdesk.store.workspace import Workspace

vobject = pytest.importorskip("vobject")

PHONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:7d1c0f52-6a0e-4e0a-9a55-phone-made\r\n"
    "FN:Rosa Diaz\r\nTEL;TYPE=CELL:+34 600 000 000\r\nEMAIL;TYPE=INTERNET:rosa@example.es\r\n"
    "END:VCARD\r\n"
)


def _values(record: Record, kind: str) -> set[str]:
    return {str(d["value"]) for d in record["details"] if d["kind"] == kind}  # type: ignore[index,union-attr]


def test_the_card_is_a_vcard_4_that_vobject_reads(demo: Workspace) -> None:
    for uid, record in CONTACT_KIND.records(demo).items():
        card = vobject.readOne(CONTACT_KIND.to_text(uid, record))
        assert card.version.value == "4.0"
        assert card.uid.value == uid
        assert card.fn.value == record["name"]
        assert {t.value for t in card.contents.get("tel", [])} == _values(record, "phone")
        assert {e.value for e in card.contents.get("email", [])} == _values(record, "email")
        assert len(card.contents.get("related", [])) == len(record["links"])  # type: ignore[arg-type]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HOME=str(tmp_path / "home"), LANG="C.UTF-8", LC_ALL="C.UTF-8",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    return env


@pytest.mark.skipif(shutil.which("khard") is None, reason="khard is not installed")
def test_khard_reads_every_card_with_its_phones_and_emails(demo: Workspace, tmp_path: Path) -> None:
    records = CONTACT_KIND.records(demo)
    book = tmp_path / "book"
    book.mkdir()
    for number, (uid, record) in enumerate(records.items()):
        (book / f"{number}.vcf").write_text(CONTACT_KIND.to_text(uid, record), encoding="utf-8",
                                            newline="")
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[team]]\npath = {book}\n", encoding="utf-8")
    done = subprocess.run(
        ["khard", "-c", str(config), "list", "--parsable", "--fields",
         "uid,formatted_name,emails,phone_numbers"],
        capture_output=True, text=True, encoding="utf-8", env=_env(tmp_path), timeout=60,
        check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    read = {}
    for line in done.stdout.splitlines():
        uid, name, *columns = line.split("\t")
        emails, phones = (ast.literal_eval(c) if c else {} for c in columns)
        read[uid] = (name, {v for values in emails.values() for v in values},
                     {v for values in phones.values() for v in values})
    expected = {uid: (r["name"], _values(r, "email"), _values(r, "phone"))
                for uid, r in records.items()}
    assert read == expected
    assert sum(len(phones) for _, _, phones in read.values()) > 50


def test_a_phones_new_contact_reads_with_defaults_for_the_rest(workspace: Workspace) -> None:
    uid, record = CONTACT_KIND.from_text(PHONE_CARD)
    assert uid == "7d1c0f52-6a0e-4e0a-9a55-phone-made"
    assert record["name"] == "Rosa Diaz"
    assert record["details"] == [
        {"kind": "email", "value": "rosa@example.es", "label": ""},
        {"kind": "phone", "value": "+34 600 000 000", "label": "mobile"}]
    assert (record["kind"], record["stage"], record["strength"], record["effort_minutes"]) == \
        ("customer", "aware", None, 10)
    assert record["audiences"] == record["links"] == record["interactions"] == record["tags"] == []
    CONTACT_KIND.apply(workspace, uid, record)
    assert CONTACT_KIND.records(workspace) == {uid: record}
    # and written back, it is the same contact
    assert CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, record)) == (uid, record)


def test_a_vcard_3_card_with_labels_organisation_and_a_relation_reads() -> None:
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nUID:urn:uuid:2b8d0a8e-1111-4c1e-9d7f-000000000001\n"
        "N:Okafor;Chidi;;Dr.;\nFN:Dr. Chidi Okafor\nORG:Mill Lane Bakery;Wholesale\n"
        "item1.TEL:+44 1632 960000\nitem1.X-ABLabel:_$!<HomeFAX>!$_\n"
        "item2.URL:https://example.org/chidi\nitem2.X-ABLabel:Portfolio\n"
        "EMAIL;TYPE=INTERNET,WORK,PREF:chidi@example.org\nCATEGORIES:Suppliers,VIP\n"
        "NOTE:Flour\\, oats\\nand rye.\n"
        "RELATED;TYPE=friend:urn:uuid:2b8d0a8e-1111-4c1e-9d7f-000000000002\nEND:VCARD\n")
    uid, record = CONTACT_KIND.from_text(card)
    assert uid == "urn:uuid:2b8d0a8e-1111-4c1e-9d7f-000000000001"
    assert (record["name"], record["organisation"], record["org_units"]) == \
        ("Dr. Chidi Okafor", "Mill Lane Bakery", "Wholesale")
    assert record["structured_name"] == ""  # what the name gives anyway
    assert record["details"] == [
        {"kind": "email", "value": "chidi@example.org", "label": "work, preferred"},
        {"kind": "phone", "value": "+44 1632 960000", "label": "home fax"},
        {"kind": "url", "value": "https://example.org/chidi", "label": "Portfolio"}]
    assert record["tags"] == ["Suppliers", "VIP"]
    assert record["notes"] == "Flour, oats\nand rye."
    assert record["links"] == [{"uid": "urn:uuid:2b8d0a8e-1111-4c1e-9d7f-000000000002",
                                "kind": "friend", "weight": 0.5, "direction": "both",
                                "note": ""}]


def test_an_edit_another_program_makes_changes_only_what_it_touched(demo: Workspace) -> None:
    records = CONTACT_KIND.records(demo)
    uid, record = next((u, r) for u, r in records.items()
                       if r["audiences"] and _values(r, "phone"))
    card = CONTACT_KIND.to_text(uid, record)
    phone = sorted(_values(record, "phone"))[0]
    # Thunderbird: a new number, a birthday and an address it knows, our own lines kept
    edited = card.replace(phone, "+1 555 0100").replace(
        "END:VCARD", "BDAY:19800101\r\nADR;TYPE=home:;;1 Main St;Town;;12345;\r\nEND:VCARD")
    _, after = CONTACT_KIND.from_text(edited)
    assert {k for k in record if record[k] != after[k]} == {"details"}
    assert _values(after, "phone") == _values(record, "phone") - {phone} | {"+1 555 0100"}


def _cards(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r"BEGIN:VCARD.*?END:VCARD\r?\n?", text, re.S | re.I)


_CORPUS = ("ezvcard_rfc6350-example_v40.vcf", "ezvcard_gmail-single2_v30_itemN_groups.vcf",
           "ezvcard_John_Doe_EVOLUTION_v30_folded_escapes.vcf",
           "kcontacts_vcard15_v30_item1_group_xablabel.vcf",
           "kcontacts_vcard12_v30_inline_png_photos.vcf")


@pytest.mark.parametrize("name", _CORPUS)
def test_real_cards_read_as_the_contacts_import_reads_them(name: str) -> None:
    path = INTEROP / "vcard" / name
    if not path.exists():
        pytest.skip("the interop corpus is not here")
    for number, card in enumerate(_cards(path)):
        if not re.search(r"^UID[;:]", card, re.M | re.I):  # a server's card always has one
            card = re.sub(r"(?im)^(VERSION:.*)$", rf"\1\nUID:corpus-{number}", card, count=1)
        uid, record = CONTACT_KIND.from_text(card)
        imported = read_vcards(card.encode("utf-8"), path).contacts[0]
        assert uid == (imported.uid or f"corpus-{number}")
        contact = imported.contact
        assert record["name"] == contact.name
        assert record["organisation"] == contact.organisation
        for kind in ("email", "phone", "url"):
            assert _values(record, kind) == set(contact.values(kind)), kind
        assert record["tags"] == sorted(contact.tags, key=lambda t: (t.casefold(), t))
        # and SocialDesk's own card of it reads back the same
        assert CONTACT_KIND.from_text(CONTACT_KIND.to_text(uid, record)) == (uid, record)


def test_separators_inside_a_value_stay_in_it() -> None:
    record = CONTACT_KIND.from_text(PHONE_CARD)[1]
    record.update(name="Smith; Jones", organisation="Smith; Jones, Ltd",
                  org_units="Bakery\\;Retail", structured_name="O\\,Neil;Rosa;;;",
                  tags=["bread, rye", "semi;colon"])
    card = CONTACT_KIND.to_text("u-1", record)
    assert CONTACT_KIND.from_text(card) == ("u-1", record)


def test_links_survive_another_program_renaming_the_groups(demo: Workspace) -> None:
    records = CONTACT_KIND.records(demo)
    uid, record = next((u, r) for u, r in records.items()
                       if len({link["kind"] for link in r["links"]}) > 1)  # type: ignore[union-attr,index]
    card = CONTACT_KIND.to_text(uid, record)
    # as Apple's Contacts does when it saves a card: its own group names, in its own order
    groups = re.findall(r"^(related\d+)\.RELATED", card, re.M)
    renamed = card
    for number, group in enumerate(groups):
        renamed = re.sub(rf"^{group}\.RELATED", f"item{len(groups) - number}.RELATED", renamed,
                         flags=re.M)
        renamed = re.sub(rf"^{group}\.X-SOCIALDESK-LINK", f"item{number + 1}.X-SOCIALDESK-LINK",
                         renamed, flags=re.M)
    assert renamed != card
    assert CONTACT_KIND.from_text(renamed) == (uid, record)


def test_a_relation_named_by_text_is_no_link() -> None:
    """A phone's "child: Child Tester" names no contact: it does not become a link to apply."""
    card = PHONE_CARD.replace("END:VCARD", "RELATED;TYPE=child;VALUE=text:Child Tester\r\n"
                              "RELATED;TYPE=spouse:Jane\r\nEND:VCARD")
    assert CONTACT_KIND.from_text(card)[1]["links"] == []
