"""Every file of the interop corpus (../shared/interop) imports with the right names."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import INTEROP, interop_files

from socialdesk.core.contacts.importing import ContactImportError, import_contacts, parse_file
from socialdesk.store.contact_import import count_all
from socialdesk.store.contacts import ContactQuery, contact_rows, get_contact
from socialdesk.store.workspace import Workspace

# file name -> (format, expected names in file order)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    "aosp_v21_complicated_qp_photo_escapes.vcf": ("vcard", ["Joe Due"]),
    "aosp_v21_multiple_entry_shift_jis_no_fn.vcf": (
        "vcard", ["安藤ロイド3", "安藤ロイド4", "安藤ロイド5"],
    ),
    "ezvcard_John_Doe_ANDROID_v21_multi_qp_utf8_photo.vcf": ("vcard", [
        "john.doe@company.com", "jane.doe@company.com", "Ñ Ñ Ñ Ñ Ñ",
        "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ", "Ñ Ñ Ñ Ñ", "ÑÑÑÑ",
    ]),
    "ezvcard_John_Doe_EVOLUTION_v30_folded_escapes.vcf": (
        "vcard", ["Mr. John Richter, James Doe Sr."],
    ),
    "ezvcard_John_Doe_MS_OUTLOOK_v21_qp_photo.vcf": ("vcard", ["Mr. John Richter James Doe Sr."]),
    "ezvcard_gmail-single2_v30_itemN_groups.vcf": ("vcard", ["VCard Test"]),
    "ezvcard_rfc6350-example_v40.vcf": ("vcard", ["Simon Perreault"]),
    "kcontacts_vcard10_v21_qp_softbreaks_multi.vcf": ("vcard", [
        "Bike Shop", "Field after Address broken", "Field after Address not broken",
        "Dr. med. Surname Name", "Second Doctor",
    ]),
    "kcontacts_vcard12_v30_inline_png_photos.vcf": ("vcard", ["Good Looking"]),
    "kcontacts_vcard15_v30_item1_group_xablabel.vcf": ("vcard", ["Test Tester"]),
    "kcontacts_vcard4_evolution_no_version_fn_without_colon.vcf": ("vcard", ["Ximian, Inc."]),
    "roundcube_thebat_v21_qp_latin2_no_charset.vcf": ("vcard", ["Piotr Iksiński"]),
    "roundcube_all_utf8_bom.csv": ("outlook", ["Display Name"]),
    "roundcube_gmail_google_csv_legacy_format.csv": (
        "google", ["Prefix Firstname Middle Lastname Suffix"],
    ),
    "thunderbird_csv_semicolon.csv": ("csv", ["John Doe", "Jane Doe"]),
    "thunderbird_export_embedded_quotes_tab_cr_lf.csv": (
        "thunderbird", ["contact number one", "contact number two"],
    ),
    "thunderbird_quote_all_fields_quoted_crlf.csv": ("thunderbird", ["Acer America"]),
    "thunderbird_shiftjis_addressbook.csv": ("thunderbird", ["名無しの権兵衛"]),
    "tine20_semicolon_win1252.csv": (
        "csv", ["Peter Pan", "Maja Biene", "ÖzdemirÖ Üglü", "Weiss Cornelius"],
    ),
}

FILES = interop_files("vcard") + interop_files("csv")


def _by_name(path: Path) -> dict[str, object]:
    return {c.contact.name: c.contact for c in parse_file(path).contacts}


def test_corpus_is_there() -> None:
    if not INTEROP.is_dir():
        pytest.skip(f"interop corpus not found at {INTEROP}")
    names = {p.name for p in FILES}
    assert set(EXPECTED) <= names, sorted(set(EXPECTED) - names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_corpus_file_imports_or_fails_cleanly(path: Path, ws: Workspace) -> None:
    before = count_all(ws)
    if "_invalid" in path.stem:
        with pytest.raises(ContactImportError) as raised:
            import_contacts(ws, path)
        assert str(path) in str(raised.value) and ", line " in str(raised.value)
        assert count_all(ws) == before
        return
    try:
        report = import_contacts(ws, path)
    except ContactImportError as error:  # a new, unexpected file may fail, but cleanly
        assert path.name not in EXPECTED, str(error)
        assert str(path) in str(error)
        assert count_all(ws) == before
        return
    if path.name in EXPECTED:
        fmt, names = EXPECTED[path.name]
        parsed = parse_file(path)
        assert parsed.format == fmt
        assert [c.contact.name for c in parsed.contacts] == names
        assert report.imported == len(names) and report.skipped == 0
        stored = [r.name for r in contact_rows(ws, ContactQuery(), limit=100)]
        assert sorted(stored) == sorted(names)


def _need(name: str) -> Path:
    for path in FILES:
        if path.name == name:
            return path
    pytest.skip(f"{name} not in the interop corpus")


def test_latin2_quoted_printable_without_charset() -> None:
    (contact,) = _by_name(_need("roundcube_thebat_v21_qp_latin2_no_charset.vcf")).values()
    assert contact.name == "Piotr Iksiński"
    assert contact.values("email") == ("piotr.iksinski@somedomain.com",)


def test_shift_jis_vcard_and_csv() -> None:
    parsed = parse_file(_need("aosp_v21_multiple_entry_shift_jis_no_fn.vcf"))
    assert [(c.line, c.contact.values("phone")) for c in parsed.contacts] == [
        (1, ("9", "10", "11", "12")), (12, ("13", "14", "15", "16")),
        (23, ("17", "18", "19", "20")),
    ]
    thunderbird = parse_file(_need("thunderbird_shiftjis_addressbook.csv"))
    assert thunderbird.encoding == "cp932"
    (contact,) = [c.contact for c in thunderbird.contacts]
    assert contact.values("email") == ("名無しの権兵衛@host.invalid",)


def test_windows_1252_semicolon_csv() -> None:
    parsed = parse_file(_need("tine20_semicolon_win1252.csv"))
    assert parsed.encoding == "cp1252"
    assert [c.line for c in parsed.contacts] == [2, 3, 4, 5]
    assert "Özdemir" in parsed.contacts[2].contact.name
    assert parsed.contacts[2].contact.values("email") == ("oezdemir@ueglue.tu",)


def test_quoted_printable_soft_breaks_keep_following_properties() -> None:
    contacts = _by_name(_need("kcontacts_vcard10_v21_qp_softbreaks_multi.vcf"))
    assert contacts["Field after Address broken"].values("url") == ("http://some-webseite.com",)
    assert contacts["Bike Shop"].organisation == "Bike Shop"
    assert contacts["Bike Shop"].notes.startswith("This one has a funny character")
    assert contacts["Dr. med. Surname Name"].notes.splitlines()[:2] == [
        "Sprechzeiten:", "Mo   8–12, 15–18",
    ]
    (joe,) = _by_name(_need("aosp_v21_complicated_qp_photo_escapes.vcf")).values()
    assert joe.organisation == "Gump Shrimp Co."
    assert "Now's the time for all folk to come to the aid of their country." in joe.notes
    assert joe.values("email") == ("forrestgump@walladalla.com", "cell@example.com")


def test_android_cards_without_name_use_email() -> None:
    parsed = parse_file(_need("ezvcard_John_Doe_ANDROID_v21_multi_qp_utf8_photo.vcf"))
    first = parsed.contacts[0].contact
    assert first.values("email") == ("john.doe@company.com",)
    assert first.tags == ()  # "My Contacts" is a system group
    assert [p.line for p in parsed.problems] == [36]  # a QP "e-mail" with no @


def test_folded_evolution_card() -> None:
    (john,) = _by_name(_need("ezvcard_John_Doe_EVOLUTION_v30_folded_escapes.vcf")).values()
    assert john.values("email") == ("john.doe@ibm.com",)
    assert john.values("url") == ("http://www.ibm.com",)
    assert john.organisation == "IBM" and john.tags == ("VIP",)
    assert "WARRANTIES, INCLUDING, BUT NOT LIMITED TO," in john.notes


def test_gmail_groups_label_their_properties() -> None:
    (card,) = _by_name(_need("ezvcard_gmail-single2_v30_itemN_groups.vcf")).values()
    labels = {d.value: d.label for d in card.details}
    assert labels["customcategory@example.com"] == "CustomEmailCategory"
    assert labels["http://www.example4.com"] == "website"  # Apple's _$!<HomePage>!$_
    assert "http://www.example1.com" in card.values("url")
    assert card.organisation == "TheCompany" and len(card.values("email")) == 5


def test_vcard4_example_and_no_version_card(ws: Workspace) -> None:
    (simon,) = _by_name(_need("ezvcard_rfc6350-example_v40.vcf")).values()
    assert simon.organisation == "Viagenie"
    assert simon.values("phone") == ("+1-418-656-9254 ext. 102", "+1-418-262-6501")
    ximian = _need("kcontacts_vcard4_evolution_no_version_fn_without_colon.vcf")
    report = import_contacts(ws, ximian)
    contact = get_contact(ws, contact_rows(ws)[0].id)
    assert report.imported == 1 and contact is not None
    assert contact.name == "Ximian, Inc." and "hello@ximian.com" in contact.values("email")


def test_csv_corpus_details() -> None:
    (google,) = _by_name(_need("roundcube_gmail_google_csv_legacy_format.csv")).values()
    assert google.organisation == "company" and google.tags == ("Test",)
    assert google.notes == 'note"note'
    assert google.values("email")[:2] == ("home@aaa.pl", "work@email.pl")
    (everything,) = _by_name(_need("roundcube_all_utf8_bom.csv")).values()
    assert everything.organisation == "Company"
    assert everything.values("email") == ("home@example.com", "work@example.com",
                                           "other@example.com")
    two = _by_name(_need("thunderbird_export_embedded_quotes_tab_cr_lf.csv"))
    assert two["contact number two"].notes == "here's some unicode text…"
    (acer,) = _by_name(_need("thunderbird_quote_all_fields_quoted_crlf.csv")).values()
    assert acer.values("phone") == ("(800) 000-0000",)
