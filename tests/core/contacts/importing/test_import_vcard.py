"""vCard reader: versions, folding, quoted-printable, charsets, groups, photos, no FN."""

from __future__ import annotations

import base64

import pytest

from socialdesk.core.contacts.importing import ParseResult, detect_format, parse_bytes
from socialdesk.core.contacts.importing.textio import guess_legacy


def parse(data: bytes) -> ParseResult:
    return parse_bytes(data, "cards.vcf", "vcard")


def test_vcard_40() -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:4.0\nFN:Marie Curie\nN:Curie;Marie;;;\n"
        b"ORG;TYPE=work:Institut du Radium;Laboratoire\n"
        b"EMAIL;TYPE=work;PREF=1:marie@radium.example\n"
        b'TEL;VALUE=uri;TYPE="cell,voice":tel:+33-1-00-00-00\n'
        b"URL:https://radium.example\nCATEGORIES:Science,Partners\n"
        b"NOTE:Two\\nlines\\, with a comma\nEND:VCARD\n"
    )
    result = parse(data)
    (marie,) = [c.contact for c in result.contacts]
    assert marie.name == "Marie Curie" and marie.organisation == "Institut du Radium"
    assert [(d.kind, d.value, d.label) for d in marie.details] == [
        ("email", "marie@radium.example", "work, preferred"),
        ("phone", "+33-1-00-00-00", "mobile"),
        ("url", "https://radium.example", ""),
    ]
    assert marie.tags == ("Science", "Partners")
    assert marie.notes == "Two\nlines, with a comma"


def test_fold_that_splits_a_utf8_character() -> None:
    name = "Zoë Ångström-Żółć".encode()
    cut = name.index("ë".encode()) + 1  # in the middle of the two bytes of "ë"
    data = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name[:cut] + b"\r\n " + name[cut:] + (
        b"\r\nEMAIL:zoe@exam\r\n\tple.com\r\nEND:VCARD\r\n"
    )
    (zoe,) = [c.contact for c in parse(data).contacts]
    assert zoe.name == "Zoë Ångström-Żółć"
    assert zoe.values("email") == ("zoe@example.com",)


def test_quoted_printable_soft_breaks_and_charsets() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FC=\r\nrgen\r\n"
        b"NOTE;CHARSET=UTF-8;QUOTED-PRINTABLE:Stra=C3=\r\n=9Fe 1=0D=0A=\r\n Zimmer 2\r\n"
        b"TEL;WORK;VOICE:+49 30 1234\r\n"
        b"END:VCARD\r\n"
    )
    (card,) = [c.contact for c in parse(data).contacts]
    assert card.name == "Jürgen Müller"
    assert card.notes == "Straße 1\n Zimmer 2"
    assert card.values("phone") == ("+49 30 1234",)


def test_undeclared_8bit_values_are_guessed_once_per_file() -> None:
    data = b"BEGIN:VCARD\nVERSION:2.1\nFN:Fran\xe7ois Lef\xe8vre\nEND:VCARD\n"
    (card,) = [c.contact for c in parse(data).contacts]
    assert card.name == "François Lefèvre"
    assert guess_legacy("Łukasz Żółć, Gdańsk".encode("cp1250")) == "cp1250"
    assert guess_legacy("Иван Петров".encode("cp1251")) == "cp1251"
    assert guess_legacy("山田太郎,やまだ".encode("euc_jp")) == "euc_jp"


def test_lowercase_names_groups_photos_and_no_fn() -> None:
    photo = base64.encodebytes(bytes(range(256)) * 8).replace(b"\n", b"\r\n ")
    data = (
        b"begin:vcard\r\nversion:3.0\r\nn:Lovelace;Ada;;;\r\n"
        b"item1.email;type=INTERNET:ada@example.com\r\nitem1.X-ABLabel:Engines\r\n"
        b"PHOTO;ENCODING=b;TYPE=PNG:" + photo + b"\r\n"
        b"end:vcard\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Corner Caf\xc3\xa9;Kitchen\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:only@example.com\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:123\r\nEND:VCARD\r\n"
    )
    begins = [n for n, line in enumerate(data.split(b"\r\n"), 1) if line.upper() == b"BEGIN:VCARD"]
    result = parse(data)
    assert [(c.line, c.contact.name) for c in result.contacts] == [
        (1, "Ada Lovelace"), (begins[1], "Corner Café"), (begins[2], "only@example.com"),
    ]
    ada = result.contacts[0].contact
    assert [(d.value, d.label) for d in ada.details] == [("ada@example.com", "Engines")]
    assert result.skipped == 1 and [p.line for p in result.problems] == [begins[3]]


def test_several_cards_without_version_and_blank_lines() -> None:
    data = (
        b"\r\n\r\nBEGIN:VCARD\r\nFN:One\r\nEND:VCARD\r\n\r\n\r\n"
        b"BEGIN:VCARD\r\nFN:Two\r\nEND:VCARD"
    )
    assert [(c.line, c.contact.name) for c in parse(data).contacts] == [(3, "One"), (8, "Two")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_vcard(encoding: str) -> None:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ǽgean ĽdaMonté\r\nEND:VCARD\r\n"
    data = text.encode(encoding)
    assert detect_format(data) == "vcard"
    (card,) = [c.contact for c in parse_bytes(data, "apple.vcf").contacts]
    assert card.name == "Ǽgean ĽdaMonté"


def test_nested_agent_card_is_ignored() -> None:
    data = (
        b"BEGIN:VCARD\nVERSION:2.1\nFN:Boss\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\n"
        b"FN:Assistant\nEND:VCARD\nEMAIL:boss@example.com\nEND:VCARD\n"
    )
    (boss,) = [c.contact for c in parse(data).contacts]
    assert boss.name == "Boss" and boss.values("email") == ("boss@example.com",)


def test_detect_format() -> None:
    assert detect_format(b"\xef\xbb\xbf\r\nBEGIN:VCARD\r\n") == "vcard"
    assert detect_format(b"begin:vcard\n") == "vcard"
    assert detect_format(b"Name,Email\nBEGIN:VCARD,x\n") == "csv"
    assert detect_format(b"") == "csv"
