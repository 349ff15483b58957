"""vCard labels: standard TYPE values where one exists, a grouped X-ABLabel only for
custom labels, and the same label back on import (fax, PREF, tel: extensions, case)."""

from __future__ import annotations

import pytest

from socialdesk.core.contacts.importing import parse_bytes
from socialdesk.core.contacts.vcard_write import card
from socialdesk.store.contacts_export import ExportContact
from socialdesk.store.models import Contact, Detail


def written(details: tuple[Detail, ...], version: str) -> list[str]:
    """The detail lines of one contact's card (unfolded)."""
    text = card(ExportContact(Contact(1, "Ann Lee", details=details), uid="urn:uuid:1",
                              created_at="", updated_at=""), version)
    lines = text.replace("\r\n ", "").split("\r\n")
    return [line for line in lines if line.split(":")[0].split(";")[0].split(".")[-1]
            in ("TEL", "EMAIL", "URL", "X-ABLabel")]


def read_back(data: str) -> list[tuple[str, str, str]]:
    (parsed,) = parse_bytes(data.encode(), "cards.vcf", "vcard").contacts
    return [(d.kind, d.value, d.label) for d in parsed.contact.details]


DETAILS = (
    Detail("email", "ann@work.example", "work, preferred"),
    Detail("email", "ann@home.example", "home"),
    Detail("email", "ann@old.example", "other"),
    Detail("phone", "+44 7700 900001", "mobile"),
    Detail("phone", "+44 1632 960001", "work"),
    Detail("phone", "+44 1632 960002", "home fax"),
    Detail("phone", "+44 1632 960003", "pager"),
    Detail("phone", "+44 7700 900002", "mobile, preferred"),
    Detail("phone", "+44 7700 900003", "Zoom Room"),
    Detail("url", "https://ann.example", "website"),
    Detail("url", "https://www.linkedin.com/in/ann", "LinkedIn"),
)


def test_standard_types_are_written_without_groups_in_4_0() -> None:
    assert written(DETAILS, "4.0") == [
        "EMAIL;TYPE=work;PREF=1:ann@work.example",
        "EMAIL;TYPE=home:ann@home.example",
        "EMAIL;TYPE=other:ann@old.example",
        "TEL;TYPE=cell:+44 7700 900001",
        "TEL;TYPE=work:+44 1632 960001",
        "TEL;TYPE=home,fax:+44 1632 960002",
        "TEL;TYPE=pager:+44 1632 960003",
        "TEL;TYPE=cell;PREF=1:+44 7700 900002",
        "item1.TEL:+44 7700 900003",
        "item1.X-ABLabel:Zoom Room",
        "URL;TYPE=website:https://ann.example",
        "item2.URL:https://www.linkedin.com/in/ann",
        "item2.X-ABLabel:LinkedIn",
    ]


def test_standard_types_are_written_in_3_0_spelling() -> None:
    assert written(DETAILS, "3.0") == [
        "EMAIL;TYPE=INTERNET,WORK,PREF:ann@work.example",
        "EMAIL;TYPE=INTERNET,HOME:ann@home.example",
        "EMAIL;TYPE=INTERNET,OTHER:ann@old.example",
        "TEL;TYPE=CELL:+44 7700 900001",
        "TEL;TYPE=WORK:+44 1632 960001",
        "TEL;TYPE=HOME,FAX:+44 1632 960002",
        "TEL;TYPE=PAGER:+44 1632 960003",
        "TEL;TYPE=CELL,PREF:+44 7700 900002",
        "item1.TEL:+44 7700 900003",
        "item1.X-ABLabel:Zoom Room",
        "URL;TYPE=WEBSITE:https://ann.example",
        "item2.URL:https://www.linkedin.com/in/ann",
        "item2.X-ABLabel:LinkedIn",
    ]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_every_label_comes_back_as_it_went_out(version: str) -> None:
    data = "BEGIN:VCARD\r\n" + f"VERSION:{version}\r\nFN:Ann Lee\r\n" + "\r\n".join(
        written(DETAILS, version)) + "\r\nEND:VCARD\r\n"
    back = read_back(data)
    assert sorted(back) == sorted((d.kind, d.value, d.label) for d in DETAILS)


def test_fax_pref_extension_and_case_are_read() -> None:
    data = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon\r\n"
        'TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102\r\n'
        "TEL;TYPE=HOME,FAX:+1 555 0100\r\n"
        "TEL;TYPE=WORK;TYPE=FAX:+1 555 0101\r\n"
        "TEL;TYPE=VOICE:+1 555 0102\r\n"
        "URL;TYPE=LinkedIn:https://www.linkedin.com/in/simon\r\n"
        "EMAIL;TYPE=INTERNET:simon@example.org\r\n"
        "END:VCARD\r\n"
    )
    assert read_back(data) == [
        ("email", "simon@example.org", ""),
        ("phone", "+1-418-656-9254 ext. 102", "work, preferred"),
        ("phone", "+1 555 0100", "home fax"),
        ("phone", "+1 555 0101", "work fax"),
        ("phone", "+1 555 0102", ""),
        ("url", "https://www.linkedin.com/in/simon", "LinkedIn"),
    ]
    # and out again: a fax stays a fax, the extension stays after the number
    details = tuple(Detail(kind, value, label) for kind, value, label in read_back(data))
    assert written(details, "4.0")[1:3] == [
        "TEL;TYPE=work;PREF=1:+1-418-656-9254 ext. 102",
        "TEL;TYPE=home,fax:+1 555 0100",
    ]


def test_apple_and_google_labels_are_read_as_standard_types() -> None:
    data = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tim\r\n"
        "item1.TEL;type=pref:+1 555 0200\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n"
        "item2.TEL:+1 555 0201\r\nitem2.X-ABLabel:_$!<HomeFAX>!$_\r\n"
        "item3.URL:https://tim.example\r\nitem3.X-ABLabel:_$!<HomePage>!$_\r\n"
        "item4.URL:https://tim.example/blog\r\nitem4.X-ABLabel:BLOG\r\n"
        "item5.TEL:+1 555 0202\r\nitem5.X-ABLabel:_$!<Other>!$_\r\n"
        "item6.EMAIL;TYPE=INTERNET:tim@club.example\r\nitem6.X-ABLabel:Chess\\, club\r\n"
        "END:VCARD\r\n"
    )
    assert read_back(data) == [
        ("email", "tim@club.example", "Chess, club"),
        ("phone", "+1 555 0200", "mobile, preferred"),
        ("phone", "+1 555 0201", "home fax"),
        ("phone", "+1 555 0202", "other"),
        ("url", "https://tim.example", "website"),
        ("url", "https://tim.example/blog", "blog"),
    ]


def test_one_number_with_several_types_is_kept_with_each() -> None:
    data = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bob\r\n"
        "TEL;CELL;PREF:123456\r\nTEL;WORK:123456\r\nTEL;WORK;FAX:123456\r\n"
        "TEL;WORK:123456\r\nTEL:123456\r\nEMAIL:bob@example.com\r\nEMAIL;WORK:BOB@example.com\r\n"
        "END:VCARD\r\n"
    )
    assert read_back(data) == [
        ("email", "bob@example.com", ""),
        ("email", "BOB@example.com", "work"),
        ("phone", "123456", "mobile, preferred"),
        ("phone", "123456", "work"),
        ("phone", "123456", "work fax"),
    ]
