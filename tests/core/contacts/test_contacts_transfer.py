"""Contacts out and back in: vCard/CSV export, column mapping, reviewed imports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialdesk.cli import main
from socialdesk.core.atomic import ExportError
from socialdesk.core.contacts.export import ExportCancelled, export_contacts
from socialdesk.core.contacts.import_mapping import (
    apply_mapping,
    guess_mapping,
    header_signature,
    read_table,
)
from socialdesk.core.contacts.import_plan import KEEP, MERGE, SKIP, ImportPlan, apply_plan, plan_for
from socialdesk.core.contacts.importing import (
    ContactImportError,
    ImportCancelled,
    find_duplicates,
    import_contacts,
    parse_file,
)
from socialdesk.core.contacts.vcard_write import card, fold
from socialdesk.store import contacts
from socialdesk.store.contact_import import count_all
from socialdesk.store.contacts_export import ExportContact, export_batches
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

TRICKY = Contact(
    id=0, name="Zoë O'Brien-Łukasiewicz, Jr.", organisation="Café; Bäckerei & Co",
    kind="press", stage="champion", strength=0.9, notes="Line one\nLine two, with; punctuation\\",
    details=(
        Detail("email", "zoe@example.org", "work"), Detail("email", "z.ob@mail.example", "home"),
        Detail("email", "zo@other.example", ""),
        Detail("phone", "+44 20 7946 0000", "mobile"), Detail("phone", "01632 960000", "fax"),
        Detail("url", "https://example.org/a,b;c", "blog"), Detail("url", "https://zoe.example"),
    ),
    tags=("press, local", "VIP", "日本語"),
)


def key(contact: Contact) -> tuple:
    return (contact.name, contact.organisation, contact.notes,
            sorted((d.kind, d.value, d.label) for d in contact.details),
            sorted(contact.tags, key=str.casefold))


def stored(ws: Workspace) -> list[Contact]:
    return [item.contact for batch in export_batches(ws) for item in batch]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_export_reimports_to_the_same_contacts(demo: Workspace, tmp_path: Path,
                                                     version: str) -> None:
    contacts.save_contact(demo, TRICKY)
    out = tmp_path / "everyone.vcf"
    result = export_contacts(demo, out, "vcard", vcard_version=version)
    before = stored(demo)
    assert result.contacts == len(before)
    text = out.read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD") == len(before) and f"VERSION:{version}\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "X-SOCIALDESK-KIND:press" in text and "X-SOCIALDESK-STAGE:champion" in text
    parsed = parse_file(out)
    assert parsed.problems == ()
    assert [key(p.contact) for p in parsed.contacts] == [key(c) for c in before]

    with Workspace.open(tmp_path / "fresh.sqlite", create=True) as fresh:
        report = import_contacts(fresh, out)
        assert (report.imported, report.merged) == (len(before), 0)
        assert sorted(key(c) for c in stored(fresh)) == sorted(key(c) for c in before)


def test_vcard_is_read_by_an_independent_parser(workspace: Workspace, tmp_path: Path) -> None:
    vobject = pytest.importorskip("vobject")
    contacts.save_contact(workspace, TRICKY)
    out = tmp_path / "one.vcf"
    export_contacts(workspace, out, "vcard", vcard_version="3.0")
    (parsed,) = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert parsed.fn.value == TRICKY.name
    assert parsed.org.value == [TRICKY.organisation]
    assert {e.value for e in parsed.contents["email"]} == set(TRICKY.values("email"))
    assert parsed.note.value == TRICKY.notes


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_a_value_with_line_breaks_cannot_add_a_card_or_a_property(
    workspace: Workspace, tmp_path: Path, version: str
) -> None:
    hostile = "https://ann.example\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected\nNOTE:x\ry"
    contacts.save_contact(workspace, Contact(
        0, "Ann\r\nEND:VCARD", notes=hostile, details=(
            Detail("url", hostile), Detail("email", "ann@x.example\r\nTEL:1", "work"),
            Detail("phone", "+44 1\nX-INJECTED:1", "Mobile\r\nX-LABEL:1"))))
    workspace.conn.execute("UPDATE contacts SET uid = ?", ("urn:uuid:1\r\nX-INJECTED:1",))
    out = tmp_path / "ann.vcf"
    export_contacts(workspace, out, "vcard", vcard_version=version)
    raw = out.read_bytes().decode("utf-8")
    # every line break in the file ends a content line the exporter meant to write
    lines = raw.replace("\r\n ", "").split("\r\n")
    names = [line.split(":")[0].split(";")[0].split(".")[-1] for line in lines if line]
    assert "\r" not in raw.replace("\r\n", "") and "\n" not in raw.replace("\r\n", "")
    assert names.count("BEGIN") == names.count("END") == 1
    assert not [name for name in names if "INJECTED" in name or name == "LABEL"]
    assert [names.count(name) for name in ("FN", "NOTE", "URL", "EMAIL", "TEL", "UID")] \
        == [1] * 6
    (back,) = [p.contact for p in parse_file(out).contacts]
    encoded = hostile.replace("\r", "%0D").replace("\n", "%0A")
    assert back.values("url") == (encoded,)  # the whole link, percent-encoded
    assert back.name == "Ann END:VCARD"  # a name is one line
    assert back.notes == hostile.replace("\r\n", "\n").replace("\r", "\n")


# Whatever a contact's texts hold, its card is one card of the properties the exporter
# writes, one content line each.
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40))
def test_no_text_can_add_a_card_or_a_property(text: str) -> None:
    contact = Contact(1, text, organisation=f"{text} Ltd", notes=text, tags=(text,),
                      structured_name=text, details=(
        Detail("email", text, "Newsletter"), Detail("phone", text, "work"), Detail("url", text)))
    written = card(ExportContact(contact, uid=text, created_at="", updated_at=""))
    lines = written.replace("\r\n ", "").split("\r\n")
    assert lines[-1] == "" and not any(set(line) & set("\r\n") for line in lines)
    names = [line.split(":")[0].split(";")[0].split(".")[-1] for line in lines[:-1]]
    assert names == ["BEGIN", "VERSION", "PRODID", "UID", "FN", "N", "ORG", "EMAIL",
                     "X-ABLabel", "TEL", "URL", "CATEGORIES", "NOTE", "X-SOCIALDESK-KIND",
                     "X-SOCIALDESK-STAGE", "X-SOCIALDESK-EFFORT-MINUTES", "END"]
    assert not any(ch < " " and ch != "\t" for ch in written.replace("\r\n", ""))


def test_folding_never_splits_a_character() -> None:
    line = "NOTE:" + "é" * 100 + "日本" * 30
    folded = fold(line)
    parts = folded.rstrip("\r\n").split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    item = ExportContact(Contact(1, "Ann"), uid=None, created_at="2026-01-01T00:00:00Z",
                         updated_at="2026-01-02T00:00:00Z")
    assert card(item) == card(item)  # a stable UID for contacts without one
    with pytest.raises(ValueError):
        card(item, "2.1")


def test_csv_export_neutralises_formulas_and_reimports(workspace: Workspace,
                                                       tmp_path: Path) -> None:
    contacts.save_contact(workspace, Contact(
        0, "=HYPERLINK(\"http://evil.example\",\"click\")", organisation="@SUM(A1:A9)",
        notes="-2+3", tags=("+cmd",), details=(Detail("email", "evil@example.org"),)))
    contacts.save_contact(workspace, TRICKY)
    out = tmp_path / "everyone.csv"
    export_contacts(workspace, out, "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    header, cells = rows[0], [cell for row in rows[1:] for cell in row]
    assert "E-mail 3 - Value" in header and "Phone 2 - Label" in header
    for cell in cells:
        assert not cell.startswith(("=", "-", "@")), cell
        assert not cell.startswith("+") or cell == "+44 20 7946 0000", cell
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells
    assert "'@SUM(A1:A9)" in cells and "'-2+3" in cells and "'+cmd" in cells
    assert "+44 20 7946 0000" in cells  # a phone number, for address books, as typed
    parsed = {p.contact.name: p.contact for p in parse_file(out).contacts}
    zoe = parsed[TRICKY.name]
    assert (zoe.organisation, zoe.notes) == (TRICKY.organisation, TRICKY.notes)
    assert set(zoe.tags) == set(TRICKY.tags)
    assert [(d.value, d.label) for d in zoe.details if d.kind == "email"] == [
        (d.value, d.label) for d in TRICKY.details if d.kind == "email"]


HIDDEN_FORMULAS = ("\n=1+1", "\u00a0=HYPERLINK(\"x\")", "\u200b+cmd", "\ufeff@SUM(A1)",
                   "＝1+1", " -2+3", "'=already quoted")


def test_csv_export_sees_formulas_behind_invisible_characters_and_keeps_phone_numbers(
    workspace: Workspace, tmp_path: Path
) -> None:
    phones = ("+44 7700 900693", "+1 (555) 010-9999", "-12.5")
    contacts.save_contact(workspace, Contact(
        0, "Ann", organisation=HIDDEN_FORMULAS[1], notes="\n\n".join(HIDDEN_FORMULAS),
        tags=HIDDEN_FORMULAS[2:4], details=tuple(Detail("phone", p) for p in phones)))
    (ann,) = stored(workspace)
    out = tmp_path / "ann.csv"
    export_contacts(workspace, out, "csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, cells = list(csv.reader(handle))
    row = dict(zip(header, cells, strict=True))
    assert row["Organisation"] == "'" + ann.organisation
    assert row["Notes"] == "'" + ann.notes
    assert row["Tags"].startswith("'")
    assert [row[f"Phone {n} - Value"] for n in (1, 2, 3)] == list(phones)
    (back,) = [p.contact for p in parse_file(out).contacts]
    assert (back.organisation, back.tags) == (ann.organisation, ann.tags)
    assert back.notes == ann.notes.strip()  # the import trims notes, line breaks and all
    assert back.values("phone") == phones


def test_a_failed_export_leaves_the_old_file(workspace: Workspace, tmp_path: Path) -> None:
    contacts.save_contact(workspace, TRICKY)
    out = tmp_path / "keep.vcf"
    out.write_text("old")
    with pytest.raises(ExportCancelled):
        export_contacts(workspace, out, "vcard", progress=lambda done, total: done == 0)
    assert out.read_text() == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    with pytest.raises(ExportError, match="folder"):
        export_contacts(workspace, tmp_path, "csv")
    with pytest.raises(ExportError, match="vcard or csv"):
        export_contacts(workspace, out, "xlsx")


def test_cli_export_contacts(demo_path: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.vcf"
    assert main(["export", "contacts", "--format", "vcard", "--vcard-version", "3.0",
                 "--out", str(out), "--workspace", str(demo_path)]) == 0
    assert "VERSION:3.0" in out.read_text(encoding="utf-8")
    assert "(vCard 3.0)" in capsys.readouterr().out
    assert main(["export", "contacts", "--format", "csv", "--out", str(tmp_path / "c.csv"),
                 "--workspace", str(demo_path)]) == 0
    assert main(["export", "contacts", "--format", "csv", "--out", str(tmp_path / "no" / "c"),
                 "--workspace", str(demo_path)]) == 1
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["export", "contacts", "--format", "pdf", "--out", "x", "--workspace",
              str(demo_path)])
    assert usage.value.code == 2


ODD = (
    "Who;Reach me at;Works for;Labels;Work Email\n"
    "Dana Scully;dana@fbi.example;FBI;x-files, agents;ds@work.example\n"
    ";;;;\n"
    "Fox Mulder;fox@fbi.example ::: spooky@fbi.example;FBI;;\n"
)


def test_mapping_reads_any_csv(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(ODD, encoding="cp1252")
    table = read_table(path)
    assert table.delimiter == ";" and table.headers[0] == "Who" and len(table.rows) == 2
    assert guess_mapping(table.headers) == ["ignore", "ignore", "ignore", "tags", "email"]
    mapping = ["name", "email", "organisation", "tags", "email"]
    result = apply_mapping(table, mapping)
    dana, fox = (p.contact for p in result.contacts)
    assert dana.values("email") == ("dana@fbi.example", "ds@work.example")
    assert [d.label for d in dana.details] == ["", "work"]  # the header's own label is kept
    assert dana.tags == ("x-files", "agents") and dana.organisation == "FBI"
    assert fox.values("email") == ("fox@fbi.example", "spooky@fbi.example")
    assert header_signature(table.headers) == header_signature([h.upper() for h in table.headers])
    with pytest.raises(ValueError, match="name"):
        apply_mapping(table, ["ignore", "phone", "notes", "tags", "url"])
    (tmp_path / "mixed.csv").write_text("a,b\n1,2\n3,4,5,6\n")
    with pytest.raises(ContactImportError, match="line 3"):
        read_table(tmp_path / "mixed.csv")


def test_reviewed_plan_merges_keeps_and_skips_in_one_transaction(workspace: Workspace,
                                                                 tmp_path: Path) -> None:
    ann = contacts.save_contact(workspace, Contact(0, "Ann Lee", details=(
        Detail("email", "ann@corner.example"),), notes="Mine"))
    bob = contacts.save_contact(workspace, Contact(0, "Bob Ray"))
    source = tmp_path / "in.csv"
    source.write_text("Name,E-mail,Company,Tags\nAnn Lee,ANN@corner.example,Corner,vip\n"
                      "Bob Ray,bob@ray.example,,\nCat New,cat@new.example,,\n"
                      "Cat Again,cat@new.example,Cats Ltd,\n", encoding="utf-8")
    parsed = parse_file(source)
    matches = find_duplicates(workspace, parsed.contacts)
    assert [(m.existing_id, m.kind) for m in matches] == [(ann, "exact"), (bob, "likely")]
    plan = plan_for(source, parsed.contacts, matches)
    assert [plan.decision(m) for m in matches] == [MERGE, KEEP]

    before = count_all(workspace)
    with pytest.raises(ImportCancelled):
        apply_plan(workspace, plan, progress=lambda done, total: done < total)
    assert count_all(workspace) == before

    chosen = ImportPlan(plan.path, plan.contacts, plan.matches,
                        {matches[0].index: MERGE, matches[1].index: SKIP})
    summary = apply_plan(workspace, chosen)
    assert (summary.imported, summary.merged, summary.skipped_duplicates) == (1, 2, 1)
    merged = contacts.get_contact(workspace, ann)
    assert merged.notes == "Mine" and merged.organisation == "Corner" and merged.tags == ("vip",)
    assert merged.values("email") == ("ann@corner.example",)
    names = [r.name for r in contacts.contact_rows(workspace)]
    assert names == ["Ann Lee", "Bob Ray", "Cat New"]
    cat = contacts.get_contact(workspace, contacts.contact_rows(workspace)[2].id)
    assert cat.organisation == "Cats Ltd"  # the second row with the same address joined it
    assert summary.as_json()["skipped"] == 1


def test_spreadsheet_safe_cells_and_own_fields_come_back(tmp_path, workspace) -> None:
    """A CSV cell neutralised as '+44… imports as +44…; X-SOCIALDESK-* fields round-trip."""
    from socialdesk.core.contacts.importing import parse_bytes, parse_file
    from socialdesk.store import contacts as contact_store
    from socialdesk.store.models import Contact, Detail

    csv_bytes = b"Name,Phone,Work E-mail\nAda,'+44 20 7946 0000,ada@work.example\n"
    parsed = parse_bytes(csv_bytes, tmp_path / "x.csv").contacts[0].contact
    assert parsed.values("phone") == ("+44 20 7946 0000",)
    assert parsed.values("email") == ("ada@work.example",)

    contact_store.save_contact(workspace, Contact(
        id=0, name="Zoë", kind="blogger", stage="champion", strength=0.9, effort_minutes=25,
        follow_up_on="2026-12-01", details=(Detail("email", "zoe@x.example"),)))
    out = tmp_path / "c.vcf"
    from socialdesk.core.contacts.export import export_contacts

    export_contacts(workspace, out, "vcard")
    back = parse_file(out).contacts[0].contact
    assert (back.kind, back.stage, back.strength, back.effort_minutes, back.follow_up_on) == (
        "blogger", "champion", 0.9, 25, "2026-12-01")


def test_every_own_field_goes_out_in_both_formats_and_back_from_a_vcard(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Kind, stage, strength, effort and follow-up date: written and read by one table."""
    from socialdesk.core.contacts.fields import OWN_FIELDS

    ann = Contact(id=0, name="Ann Lee", kind="press", stage="ally", strength=0.25,
                  effort_minutes=40, follow_up_on="2026-05-01",
                  structured_name="Lee;Ann;Mary\\, Jo,Beth;Dr.;")
    contacts.save_contact(workspace, ann)
    export_contacts(workspace, tmp_path / "ann.vcf", "vcard")
    export_contacts(workspace, tmp_path / "ann.csv", "csv")
    (back,) = [p.contact for p in parse_file(tmp_path / "ann.vcf").contacts]
    with (tmp_path / "ann.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle)
    for own in OWN_FIELDS:
        assert getattr(back, own.name) == getattr(ann, own.name), own.name
        assert row[own.csv_title] == own.text(ann) != "", own.name
    assert back.structured_name == ann.structured_name  # the vCard's N


ORG_UNITS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nORG:Acme Inc.;Sales;EMEA\r\n"
    b"EMAIL:ann@acme.example\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Gump Shrimp Co.\r\n"
    b"ORG:Gump Shrimp Co.;Sales Dept.\\;Manager;Fish\\, keeper\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_an_organisations_units_go_out_as_they_came_in(workspace: Workspace, tmp_path: Path,
                                                       version: str) -> None:
    """ORG is the organisation's name and its units: the name is stored readable."""
    vobject = pytest.importorskip("vobject")
    source = tmp_path / "in.vcf"
    source.write_bytes(ORG_UNITS)
    import_contacts(workspace, source)
    rows = {r.name: r for r in contacts.contact_rows(workspace)}
    assert rows["Ann Lee"].organisation == "Acme Inc."
    assert rows["Gump Shrimp Co."].organisation == "Gump Shrimp Co."
    out = tmp_path / "out.vcf"
    export_contacts(workspace, out, "vcard", vcard_version=version)
    text = out.read_bytes().decode("utf-8")
    assert "\r\nORG:Acme Inc.;Sales;EMEA\r\n" in text
    assert "\r\nORG:Gump Shrimp Co.;Sales Dept.\\;Manager;Fish\\, keeper\r\n" in text
    orgs = {card.fn.value: card.org.value for card in vobject.readComponents(text)}
    assert orgs == {"Ann Lee": ["Acme Inc.", "Sales", "EMEA"],
                    "Gump Shrimp Co.": ["Gump Shrimp Co.", "Sales Dept.;Manager",
                                        "Fish, keeper"]}
    with Workspace.open(tmp_path / "again.sqlite", create=True) as again:
        import_contacts(again, out)
        export_contacts(again, tmp_path / "again.vcf", "vcard", vcard_version=version)
    assert [line for line in (tmp_path / "again.vcf").read_bytes().decode("utf-8").split("\r\n")
            if line.startswith("ORG")] == [line for line in text.split("\r\n")
                                           if line.startswith("ORG")]


@pytest.mark.parametrize("reviewed", [False, True], ids=["import", "reviewed import"])
def test_a_merge_takes_the_units_with_the_organisation_it_fills(
        workspace: Workspace, tmp_path: Path, reviewed: bool) -> None:
    ann = contacts.save_contact(workspace, Contact(0, "Ann Lee", details=(
        Detail("email", "ann@acme.example"),)))
    bob = contacts.save_contact(workspace, Contact(0, "Bob Ray", organisation="Acme", details=(
        Detail("email", "bob@acme.example"),)))
    source = tmp_path / "in.vcf"
    source.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nORG:Acme Inc.;Sales;EMEA\r\n"
        b"EMAIL:ann@acme.example\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Ray\r\nORG:Acme Inc.;Sales\r\n"
        b"EMAIL:bob@acme.example\r\nEND:VCARD\r\n")
    if reviewed:
        parsed = parse_file(source)
        apply_plan(workspace, plan_for(source, parsed.contacts,
                                       find_duplicates(workspace, parsed.contacts)))
    else:
        import_contacts(workspace, source)
    out = tmp_path / "out.vcf"
    export_contacts(workspace, out, "vcard")
    orgs = [line for line in out.read_bytes().decode("utf-8").split("\r\n")
            if line.startswith("ORG")]
    assert orgs == ["ORG:Acme Inc.;Sales;EMEA", "ORG:Acme"]  # Bob's typed one stays, alone
    assert [contacts.get_contact(workspace, i).organisation for i in (ann, bob)] == [
        "Acme Inc.", "Acme"]
