"""Files that cannot be imported fail with one message naming file and line, writing nothing."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from socialdesk.core.contacts.importing import ContactImportError, import_contacts
from socialdesk.store.contacts import ContactQuery, contact_rows, save_contact
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

Write = Callable[[str, bytes], Path]


def _png() -> bytes:
    raw = b"\x00\xff\x00\x00" * 4
    body = b"IHDR" + (2).to_bytes(4, "big") * 2 + b"\x08\x06\x00\x00\x00"
    chunk = len(body[4:]).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    idat = b"IDAT" + zlib.compress(raw)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk
        + len(idat[4:]).to_bytes(4, "big") + idat + zlib.crc32(idat).to_bytes(4, "big")
    )


CASES = {
    "png_renamed.vcf": (_png(), 3, "not a text file"),
    "no_end.vcf": (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\n",
        5, "BEGIN:VCARD has no matching END:VCARD",
    ),
    "begin_inside.vcf": (
        b"BEGIN:VCARD\nFN:Ann\nBEGIN:VCARD\nFN:Bob\nEND:VCARD\n", 3, "is its END:VCARD missing",
    ),
    "end_alone.vcf": (b"BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n", 4, "without a BEGIN:VCARD"),
    "junk_between.vcf": (
        b"BEGIN:VCARD\nFN:A\nEND:VCARD\nhello there\nBEGIN:VCARD\nFN:B\nEND:VCARD\n",
        4, "text outside a vCard",
    ),
    "mixed.csv": (
        b"Name,Email,Company\nAnn,ann@example.com,Acme\nBob;bob@example.com;Beta\n",
        3, "the file mixes delimiters",
    ),
    "extra_fields.csv": (
        b"Name;Email\nAnn;ann@example.com\nBob;bob@example.com;surprise\n", 3, "has 3 fields",
    ),
    "open_quote.csv": (b'Name,Email\nAnn,"ann@example.com\nBob,bob@example.com\n', 2, "broken"),
    "no_header.csv": (b"\n\nhello,world\n1,2\n", 3, "no contact columns found"),
    "empty.csv": (b"  \r\n", 1, "the file is empty"),
    "damaged_utf16.csv": (b"\xff\xfeN\x00a\x00m\x00e\x00\n\x00\x00\xd8", 2, "UTF-16-LE"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_fails_with_file_and_line(name: str, ws: Workspace, write: Write, counts) -> None:
    data, line, message = CASES[name]
    save_contact(ws, Contact(0, "Existing", details=(Detail("email", "ann@example.com"),)))
    before = counts()
    path = write(name, data)
    with pytest.raises(ContactImportError) as raised:
        import_contacts(ws, path)
    error = raised.value
    assert str(error).startswith(f"{path}, line {line}: "), str(error)
    assert message in str(error)
    assert (error.path, error.line) == (path, line)
    assert counts() == before


def test_png_as_vcard_format_is_refused(ws: Workspace, write: Write) -> None:
    with pytest.raises(ContactImportError, match="not a text file"):
        import_contacts(ws, write("photo.vcf", _png()), "vcard")


def test_csv_given_as_vcard(ws: Workspace, write: Write) -> None:
    with pytest.raises(ContactImportError, match=r"line 1: text outside a vCard"):
        import_contacts(ws, write("people.vcf", b"Name,Email\nAnn,a@example.com\n"), "vcard")


def test_missing_file(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ContactImportError, match="cannot be read"):
        import_contacts(ws, tmp_path / "nope.vcf")


def test_failure_during_write_rolls_back(
    ws: Workspace, write: Write, counts, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialdesk.store import contact_import

    before = counts()

    def broken(*args: object) -> list[int]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(contact_import, "insert_contacts", broken)
    with pytest.raises(RuntimeError):
        import_contacts(ws, write("a.csv", b"Name\nAnn\n"))
    assert counts() == before
    assert contact_rows(ws, ContactQuery()) == []


@pytest.mark.parametrize("huge_line", [2, 30])
def test_a_field_over_the_size_limit_is_named_with_its_line(
        huge_line: int, ws: Workspace, write: Write, counts) -> None:
    from socialdesk.core.contacts.importing.csv_reader import FIELD_LIMIT

    before = counts()
    rows = [f"Person {n},p{n}@example.com,hello".encode() for n in range(2, 40)]
    rows[huge_line - 2] = b"Huge,huge@example.com," + b"x" * (FIELD_LIMIT + 10)
    path = write("huge_cell.csv", b"Name,Email,Notes\n" + b"\n".join(rows) + b"\n")
    with pytest.raises(ContactImportError) as raised:
        import_contacts(ws, path)
    assert str(raised.value) == (
        f"{path}, line {huge_line}: a field is larger than the limit "
        f"({FIELD_LIMIT // 2**20} MB).")
    assert counts() == before
