"""CSV layouts, languages, encodings and delimiters, from small inline fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from socialdesk.core.contacts.importing import (
    ContactImportError,
    ParseResult,
    parse_bytes,
    parse_file,
)
from socialdesk.core.contacts.importing.csv_layouts import column_for, detect_layout
from socialdesk.store.models import Contact

GOOGLE_CURRENT = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Website 1 - Label,Website 1 - Value\r\n"
    "Ada,,Lovelace,,,,,,,,Analytical Engines,,,,Met at the fair,,"
    "Friends ::: * myContacts,* Home,ada@example.com ::: ada@work.example,Work,"
    "lovelace@example.org,Mobile,+44 20 7946 0000,Blog,https://ada.example\r\n"
    ",,,,,,,,,,Corner Café,,,,,,* myContacts,,,,,,,,\r\n"
).encode()

GOOGLE_LEGACY = (
    b"Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,"
    b"Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,"
    b"Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,"
    b"Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Group Membership,"
    b"E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,"
    b"Organization 1 - Type,Organization 1 - Name\n"
    b"Grace Hopper,Grace,,Hopper,,,,,,,,,,,,,,,,,,,,,,,* My Contacts ::: Navy,"
    b"* Work,grace@navy.example,Mobile,555-0100,,US Navy\n"
)

OUTLOOK_EN = (
    b"First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    b"E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,"
    b"Business Phone,Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,"
    b"Pager,Business Fax,Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,"
    b"TTY/TDD Phone,IMAddress,Job Title,Department,Company,Office Location,"
    b"Manager's Name,Assistant's Name,Assistant's Phone,Company Yomi,Business Street,"
    b"Business City,Web Page,Birthday,Notes,Categories\r\n"
    b"Alan,M.,Turing,Dr.,,,,,alan@example.com,,,,,+44 1 2345,,+44 7700 900000,,,,,,,,,,,,,,"
    b"Mathematician,,Bletchley Park,,,,555-9999,,,,https://turing.example,,"
    b"\"Enigma, and more\",Research;VIP\r\n"
)

OUTLOOK_DE = (
    '"Anrede";"Vorname";"Weitere Vornamen";"Nachname";"Suffix";"Firma";"Abteilung";'
    '"Position";"Straße geschäftlich";"Telefon geschäftlich";"Mobiltelefon";'
    '"Telefon privat";"E-Mail-Adresse";"E-Mail-Typ";"E-Mail: Angezeigter Name";'
    '"E-Mail 2: Adresse";"Kategorien";"Notizen";"Webseite"\r\n'
    '"Frau";"Jürgen";"";"Müller";"";"Bäckerei Müller GmbH";"";"Inhaberin";'
    '"Hauptstraße 1";"030 123456";"0170 1234567";"";"juergen@baeckerei.example";"SMTP";'
    '"Jürgen Müller (juergen@baeckerei.example)";"";"Partner";"Liefert Brötchen";'
    '"www.baeckerei.example"\r\n'
).encode("cp1252")

OUTLOOK_FR = (
    '"Titre";"Prénom";"Deuxième prénom";"Nom";"Suffixe";"Société ";"Service ";'
    '"Titre";"Téléphone bureau";"Téléphone mobile";"Adresse de messagerie";'
    '"Type de messagerie";"Nom complet de l\'adresse de messagerie";'
    '"Adresse de messagerie 2";"Catégories";"Notes";"Page Web"\r\n'
    '"M.";"François";"";"Lefèvre";"";"Crèmerie Lefèvre";"";"Gérant";"01 23 45 67 89";'
    '"06 12 34 56 78";"francois@cremerie.example";"SMTP";"François Lefèvre";'
    '"";"Fournisseurs";"Très sympa";""\r\n'
).encode("cp1252")

OUTLOOK_ES = (
    "Tratamiento,Nombre,Segundo nombre,Apellidos,Sufijo,Organización,Departamento,Puesto,"
    "Teléfono del trabajo,Teléfono móvil,Dirección de correo electrónico,"
    "Tipo de correo electrónico,Nombre para mostrar del correo electrónico,"
    "Dirección de correo electrónico 2,Categorías,Notas,Página Web\r\n"
    "Sra.,María José,,García Ibáñez,,Panadería Niño,,Dueña,91 123 45 67,600 123 456,"
    "mariajose@panaderia.example,SMTP,María José García,mj@home.example,Clientes,,"
    "https://panaderia.example\r\n"
).encode("utf-8-sig")

LINKEDIN = (
    b"Notes:\n"
    b'"When exporting your connection data, you may notice that some of the email '
    b"addresses are missing. You will only see email addresses for connections who have "
    b"allowed their connections to see or download their email address using this setting "
    b"https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    b'https://www.linkedin.com/help/linkedin/answer/261"\n'
    b"\n"
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Margaret,Hamilton,https://www.linkedin.com/in/mhamilton,,Hamilton Technologies,"
    b"CEO,12 Jan 2024\n"
    b",,,,,,03 Feb 2023\n"
    b",,,,,,\n"
    b"Katherine,Johnson,https://www.linkedin.com/in/kjohnson,katherine@example.com,NASA,"
    b"Mathematician,01 Mar 2022\n"
)

THUNDERBIRD = (
    b"First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Screen Name,"
    b"Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,Home Address,"
    b"Home Address 2,Home City,Home State,Home ZipCode,Home Country,Work Address,"
    b"Work Address 2,Work City,Work State,Work ZipCode,Work Country,Job Title,Department,"
    b"Organization,Web Page 1,Web Page 2,Birth Year,Birth Month,Birth Day,Custom 1,"
    b"Custom 2,Custom 3,Custom 4,Notes\r\n"
    b"Linus,Torvalds,Linus T.,,linus@example.org,lt@example.com,,+1 503 555 0100,,,,"
    b"+1 503 555 0101,,,,,,,,,,,,,,,Linux Foundation,https://kernel.example,,,,,,,,,"
    b"\"Line one\nLine two\"\r\n"
)


def parse(data: bytes, fmt: str = "auto", name: str = "contacts.csv") -> ParseResult:
    return parse_bytes(data, name, fmt)


def only(result: ParseResult) -> Contact:
    (contact,) = [c.contact for c in result.contacts]
    return contact


def test_google_current_layout() -> None:
    result = parse(GOOGLE_CURRENT, "google")
    assert result.format == "google"
    ada, cafe = (c.contact for c in result.contacts)
    assert ada.name == "Ada Lovelace" and ada.organisation == "Analytical Engines"
    assert ada.values("email") == ("ada@example.com", "ada@work.example", "lovelace@example.org")
    assert [d.label for d in ada.details if d.kind == "email"] == ["home", "home", "work"]
    assert ada.values("phone") == ("+44 20 7946 0000",)
    assert ada.values("url") == ("https://ada.example",)
    assert ada.tags == ("Friends",) and ada.notes == "Met at the fair"
    assert cafe.name == "Corner Café" and cafe.tags == ()
    assert [c.line for c in result.contacts] == [2, 3]


def test_google_legacy_layout() -> None:
    grace = only(parse(GOOGLE_LEGACY, "google"))
    assert grace.name == "Grace Hopper" and grace.organisation == "US Navy"
    assert grace.tags == ("Navy",)
    assert [(d.kind, d.value, d.label) for d in grace.details] == [
        ("email", "grace@navy.example", "work"), ("phone", "555-0100", "mobile"),
    ]


def test_outlook_english() -> None:
    result = parse(OUTLOOK_EN, "outlook")
    alan = only(result)
    assert result.format == "outlook"
    assert alan.name == "Alan M. Turing" and alan.organisation == "Bletchley Park"
    assert alan.values("phone") == ("+44 1 2345", "+44 7700 900000")  # not the assistant's
    assert alan.values("url") == ("https://turing.example",)
    assert alan.notes == "Enigma, and more" and alan.tags == ("Research", "VIP")


def test_outlook_german_semicolons_windows_1252() -> None:
    result = parse(OUTLOOK_DE)
    juergen = only(result)
    assert (result.format, result.encoding) == ("outlook", "cp1252")
    assert juergen.name == "Jürgen Müller"
    assert juergen.organisation == "Bäckerei Müller GmbH"
    assert juergen.values("email") == ("juergen@baeckerei.example",)
    assert [(d.value, d.label) for d in juergen.details if d.kind == "phone"] == [
        ("030 123456", "work"), ("0170 1234567", "mobile"),
    ]
    assert juergen.tags == ("Partner",) and juergen.notes == "Liefert Brötchen"
    assert juergen.values("url") == ("www.baeckerei.example",)


def test_outlook_french() -> None:
    francois = only(parse(OUTLOOK_FR, "outlook"))
    assert francois.name == "François Lefèvre"
    assert francois.organisation == "Crèmerie Lefèvre"
    assert francois.values("email") == ("francois@cremerie.example",)
    assert francois.values("phone") == ("01 23 45 67 89", "06 12 34 56 78")
    assert francois.tags == ("Fournisseurs",) and francois.notes == "Très sympa"


def test_outlook_spanish() -> None:
    maria = only(parse(OUTLOOK_ES, "outlook"))
    assert maria.name == "María José García Ibáñez"
    assert maria.organisation == "Panadería Niño"
    assert maria.values("email") == ("mariajose@panaderia.example", "mj@home.example")
    assert [d.label for d in maria.details if d.kind == "phone"] == ["work", "mobile"]
    assert maria.tags == ("Clientes",)


def test_linkedin_preamble_and_hidden_connections() -> None:
    result = parse(LINKEDIN, "linkedin")
    assert result.format == "linkedin"
    margaret, katherine = (c.contact for c in result.contacts)
    assert margaret.name == "Margaret Hamilton"
    assert margaret.organisation == "Hamilton Technologies"
    assert [(d.value, d.label) for d in margaret.details] == [
        ("https://www.linkedin.com/in/mhamilton", "LinkedIn"),
    ]
    assert katherine.values("email") == ("katherine@example.com",)
    assert [c.line for c in result.contacts] == [5, 8]
    assert result.skipped == 1
    assert [p.as_dict() for p in result.problems] == [
        {"line": 6, "message": "skipped: no name, e-mail address or organisation."},
    ]


def test_thunderbird_with_quoted_newline() -> None:
    result = parse(THUNDERBIRD)
    linus = only(result)
    assert result.format == "thunderbird"
    assert linus.name == "Linus T." and linus.organisation == "Linux Foundation"
    assert linus.values("email") == ("linus@example.org", "lt@example.com")
    assert linus.values("phone") == ("+1 503 555 0100", "+1 503 555 0101")
    assert linus.notes == "Line one\nLine two"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(encoding: str) -> None:
    text = "Name\tE-mail\tCompany\r\nZoë Ångström\tzoe@example.com\tFika AB\r\nÅsa Öberg\t\t\r\n"
    result = parse(text.encode(encoding))
    assert [c.contact.name for c in result.contacts] == ["Zoë Ångström", "Åsa Öberg"]
    assert result.contacts[0].contact.organisation == "Fika AB"
    assert result.encoding.startswith("utf-16")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_and_quoted_newlines(delimiter: str) -> None:
    rows = [
        ["Full Name", "Email", "Phone", "Organisation", "Notes", "Tags"],
        ["Ann Lee", "ann@example.com", "555 0101", "Lee, Lee & Co", "first line\nsecond", "a, b"],
        ["Bob Ray", "bob@example.com", "", "", '"quoted"', ""],
    ]
    text = "\n".join(
        delimiter.join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows
    )
    result = parse(text.encode())
    ann, bob = (c.contact for c in result.contacts)
    assert (ann.name, ann.organisation) == ("Ann Lee", "Lee, Lee & Co")
    assert ann.notes == "first line\nsecond"
    assert ann.tags == ("a", "b") and ann.values("phone") == ("555 0101",)
    assert bob.notes == '"quoted"'
    assert [c.line for c in result.contacts] == [2, 4]


def test_generic_headers_are_recognised() -> None:
    text = (
        "organisation;mail;Telephone;Website;Groups;Display name\n"
        "Studio Nine;hi@studio9.example;+33 1 00;studio9.example;Partners;\n"
        ";;;;;\n"
        ";;+33 1 01;;;\n"
    )
    result = parse(text.encode(), "csv")
    studio = only(result)
    assert (studio.name, studio.organisation) == ("Studio Nine", "Studio Nine")
    assert studio.tags == ("Partners",) and studio.values("url") == ("studio9.example",)
    assert result.skipped == 1 and result.problems[0].line == 4


def test_header_names_are_mapped() -> None:
    assert column_for("E-mail 2 - Value").field == "email"
    assert column_for("Assistant's Phone") is None
    assert column_for("Société ").field == "org"
    assert column_for("Job Title") is None
    assert detect_layout(["Vorname", "Nachname", "E-Mail-Adresse", "Firma"]) == "outlook"
    assert detect_layout(["Name", "Email"]) == "csv"


def test_a_specific_format_must_match(write: Callable[[str, bytes], Path]) -> None:
    with pytest.raises(ContactImportError, match=r"line 4: this is not a Google Contacts"):
        parse_file(write("linkedin.csv", LINKEDIN), "google")
    with pytest.raises(ValueError, match="unknown contact format"):
        parse(LINKEDIN, "excel")
    assert parse(LINKEDIN, "csv").format == "linkedin"


def test_invalid_email_is_left_out_but_row_kept() -> None:
    result = parse(b"Name,Email\nAnn,not-an-address\n")
    assert only(result).details == ()
    assert result.problems[0].line == 2 and "not an e-mail address" in result.problems[0].message
