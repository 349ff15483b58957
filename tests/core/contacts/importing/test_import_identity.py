"""A contact stays the same contact: its UID and structured name go in and out, and
importing a file again adds nobody."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from import_helpers import interop_files
from test_import_csv import LINKEDIN

from shared_files import INTEROP, REPO
from socialdesk.core.contacts.export import export_contacts
from socialdesk.core.contacts.importing import import_contacts
from socialdesk.store.contact_import import count_all
from socialdesk.store.contacts import save_contact
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

Write = Callable[[str, bytes], Path]

CARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:477343c8e6bf375a9bac1f96a5000837\r\n"
    b"FN:Mr. John Richter\\, James Doe Sr.\r\nN:Doe;John;Richter\\, James;Mr.;Sr.\r\n"
    b"TEL;TYPE=CELL:+1 555 0100\r\nEND:VCARD\r\n"
)


def exported(ws: Workspace, tmp_path: Path, version: str = "4.0") -> str:
    out = tmp_path / f"out-{version}.vcf"
    export_contacts(ws, out, "vcard", vcard_version=version)
    return out.read_text(encoding="utf-8")


def lines_of(text: str, name: str) -> list[str]:
    return [line for line in text.replace("\r\n ", "").splitlines()
            if line.split(":", 1)[0].split(";", 1)[0] == name]


def test_a_card_keeps_its_uid_and_name_parts_through_import_and_export(
        ws: Workspace, write: Write, tmp_path: Path) -> None:
    import_contacts(ws, write("john.vcf", CARD))
    for version in ("4.0", "3.0"):
        text = exported(ws, tmp_path, version)
        assert lines_of(text, "UID") == ["UID:477343c8e6bf375a9bac1f96a5000837"]
        assert lines_of(text, "N") == ["N:Doe;John;Richter\\, James;Mr.;Sr."]


def test_a_contact_without_a_uid_gets_a_random_one_that_stays(tmp_path: Path) -> None:
    seen = []
    for number in range(3):
        folder = tmp_path / str(number)
        folder.mkdir()
        with Workspace.open(folder / "w.sqlite", create=True) as ws:
            save_contact(ws, Contact(id=0, name="Ann Lee"))
            (first,) = lines_of(exported(ws, folder), "UID")
            assert lines_of(exported(ws, folder, "3.0"), "UID") == [first]
            seen.append(first)
    assert len(set(seen)) == 3
    assert all(uuid.UUID(uid.removeprefix("UID:urn:uuid:")).version == 4 for uid in seen)


def test_reimporting_a_card_matches_its_uid_before_anything_else(
        ws: Workspace, write: Write) -> None:
    import_contacts(ws, write("john.vcf", CARD))
    moved = CARD.replace(b"+1 555 0100", b"+1 555 0199").replace(b"FN:Mr. John", b"FN:Johnny")
    report = import_contacts(ws, write("john2.vcf", moved))
    assert (report.imported, report.merged) == (0, 1)
    assert count_all(ws)["contacts"] == 1


def _snapshot(ws: Workspace) -> tuple[dict[str, int], list[tuple]]:
    rows = ws.conn.execute("SELECT * FROM contacts ORDER BY id").fetchall()
    details = ws.conn.execute("SELECT * FROM contact_details ORDER BY id").fetchall()
    return count_all(ws), [tuple(r) for r in rows] + [tuple(d) for d in details]


def _twice(ws: Workspace, path: Path) -> None:
    first = import_contacts(ws, path)
    before = _snapshot(ws)
    again = import_contacts(ws, path)
    assert _snapshot(ws) == before, path.name
    assert (again.imported, again.merged) == (0, 0), path.name
    assert again.unchanged == first.imported + first.merged, path.name


def test_a_linkedin_file_imported_twice_adds_nobody(ws: Workspace, write: Write) -> None:
    _twice(ws, write("Connections.csv", LINKEDIN))


@pytest.mark.skipif(not INTEROP.is_dir(), reason="the interop corpus is not here")
@pytest.mark.parametrize(
    "path", [p for p in interop_files("vcard") + interop_files("csv")
             if not p.stem.endswith("_invalid")], ids=lambda p: p.name)
def test_every_interop_file_imported_twice_changes_nothing(ws: Workspace, path: Path) -> None:
    _twice(ws, path)


def test_people_without_an_email_are_matched_by_profile_url_then_phone(
        ws: Workspace, write: Write) -> None:
    save_contact(ws, Contact(id=0, name="M. Hamilton", details=(
        Detail("url", "http://linkedin.com/in/mhamilton/", ""),)))
    save_contact(ws, Contact(id=0, name="Grace", details=(
        Detail("phone", "+1 (555) 010-0200", "work"),)))
    save_contact(ws, Contact(id=0, name="Site owner", details=(
        Detail("url", "https://example.org", ""),)))
    report = import_contacts(ws, write("in.csv", (
        b"Name,Website,Phone\n"
        b"Margaret Hamilton,https://www.linkedin.com/in/mhamilton,\n"
        b"Grace Hopper,,+1 555 010 0200\n"
        b"Someone else,https://example.org/,\n")))
    assert (report.imported, report.merged) == (1, 2)
    names = [r[0] for r in ws.conn.execute("SELECT name FROM contacts ORDER BY id")]
    assert names == ["M. Hamilton", "Grace", "Site owner", "Someone else"]


def test_the_cli_says_when_a_second_import_changed_nothing(tmp_path: Path, write: Write) -> None:
    path = write("john.vcf", CARD)
    command = [sys.executable, "-m", "socialdesk", "import", "contacts", str(path),
               "--workspace", str(tmp_path / "cli.sqlite")]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert "Imported 1 contact" in first.stdout, first.stderr
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(
        "Nothing changed: the 1 contact in john.vcf is already there."), again.stdout


@pytest.mark.parametrize(("name", "organisation", "n_line"), [
    ("Mr. John Richter James Doe Sr.", "", "N:Doe;John;Richter James;Mr.;Sr."),
    ("Dr. Ann Lee PhD", "Lee & Co", "N:Lee;Ann;;Dr.;PhD"),
    ("Cher", "", "N:Cher;;;;"),
    ("jane.doe@company.example", "", "N:;;;;"),
    ("安藤ロイド3", "", "N:安藤ロイド3;;;;"),
    ("山田 太郎", "", "N:山田;太郎;;;"),
])
def test_a_name_without_parts_is_split_sensibly(ws: Workspace, tmp_path: Path, name: str,
                                                 organisation: str, n_line: str) -> None:
    save_contact(ws, Contact(id=0, name=name, organisation=organisation))
    for version in ("4.0", "3.0"):
        text = exported(ws, tmp_path, version)
        assert lines_of(text, "N") == [n_line]
        assert not lines_of(text, "KIND") and not lines_of(text, "X-ABShowAs")


def test_an_organisation_is_written_as_one(ws: Workspace, write: Write, tmp_path: Path) -> None:
    import_contacts(ws, write("org.vcf", b"BEGIN:VCARD\nFN\nN:\nORG:Ximian, Inc.\nEND:VCARD\n"))
    four = exported(ws, tmp_path, "4.0")
    assert lines_of(four, "KIND") == ["KIND:org"]
    assert lines_of(four, "FN") == ["FN:Ximian\\, Inc."]
    assert "Inc." not in "".join(lines_of(four, "N"))
    three = exported(ws, tmp_path, "3.0")
    assert lines_of(three, "X-ABShowAs") == ["X-ABShowAs:COMPANY"]
    assert lines_of(three, "N") == ["N:;;;;"]
    assert not lines_of(three, "KIND")


def test_an_organisation_card_comes_back_as_one(ws: Workspace, write: Write,
                                                 tmp_path: Path) -> None:
    import_contacts(ws, write("org.vcf", b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\n"
                                         b"FN:Corner Caf\xc3\xa9\r\nEND:VCARD\r\n"))
    assert lines_of(exported(ws, tmp_path, "4.0"), "KIND") == ["KIND:org"]


def test_name_columns_of_a_csv_are_kept_as_the_structured_name(
        ws: Workspace, write: Write, tmp_path: Path) -> None:
    import_contacts(ws, write("in.csv", b"First Name,Middle Name,Last Name,E-mail Address\n"
                                        b"Mary Ann,Jo,van der Berg,mary@example.com\n"))
    text = exported(ws, tmp_path)
    assert lines_of(text, "FN") == ["FN:Mary Ann Jo van der Berg"]
    assert lines_of(text, "N") == ["N:van der Berg;Mary Ann;Jo;;"]


def test_an_outsized_uid_or_n_is_not_kept(ws: Workspace, write: Write, tmp_path: Path) -> None:
    huge = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nN:" + b"Lee," * 2000 + b";Ann;;;\r\n" \
        b"UID:" + b"x" * 1000 + b"\r\nEND:VCARD\r\n"
    import_contacts(ws, write("huge.vcf", huge))
    text = exported(ws, tmp_path)
    assert lines_of(text, "N") == ["N:Lee;Ann;;;"]
    (uid,) = lines_of(text, "UID")
    assert uid.startswith("UID:urn:uuid:")
