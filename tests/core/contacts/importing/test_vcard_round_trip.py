"""vCard → SocialDesk → vCard: every interop file keeps its details, as vobject reads them.

Each card's e-mail addresses, phones and web addresses (each with its type: TYPE values,
PREF and its group's X-ABLabel), ORG (its name and units), NOTE and CATEGORIES are read
with vobject from the original file and from SocialDesk's export of it (4.0 and 3.0), and
compared.

vobject cannot read every original as it is (it drops the continuation of a 2.1
quoted-printable soft break and stops at the Android photo), so :func:`_for_vobject`
joins soft breaks, decodes the quoted-printable values and drops the pictures first.
"""

from __future__ import annotations

import binascii
import re
from pathlib import Path

import pytest
from import_helpers import interop_files

from socialdesk.core.contacts.export import export_contacts
from socialdesk.core.contacts.importing import import_contacts
from socialdesk.store.workspace import Workspace

vobject = pytest.importorskip("vobject")

FILES = interop_files("vcard")
# Files in a legacy charset that they do not (or not everywhere) declare.
_CHARSETS = {"aosp_v21_multiple_entry_shift_jis_no_fn.vcf": "shift_jis",
             "roundcube_thebat_v21_qp_latin2_no_charset.vcf": "cp1250"}
# What each card is compared on. UID and N join this list once the import keeps them
# (issue 13, items 1 and 3): see _identity.
COMPARED = ("details", "org", "note", "categories")
# TYPE values that carry nothing: every e-mail is internet, a phone is voice unless
# said otherwise; encodings and charsets of 2.1 appear among the bare parameters.
_DULL = {"internet", "voice", "x400", "quoted-printable", "base64", "8bit", "7bit"}
# Apple's built-in labels and the same words as TYPE values.
_SAME = {"mobile": {"cell"}, "homefax": {"home", "fax"}, "workfax": {"work", "fax"},
         "homepage": {"website"}, "preferred": {"pref"}}
# Google's and Android's system groups, which SocialDesk does not keep as tags.
_SYSTEM_GROUPS = {"my contacts", "mycontacts", "starred in android"}
_STRUCTURED = {b"N", b"ORG", b"ADR"}
_PICTURE = re.compile(rb"^(PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)


def _for_vobject(path: Path) -> str:
    """The file as text vobject reads.

    Soft breaks joined, quoted-printable values decoded, pictures dropped, and the
    commas of 2.1 notes (which knows no escapes) escaped.
    """
    charset = _CHARSETS.get(path.name, "utf-8")
    lines: list[bytes] = []
    for raw in re.split(rb"\r\n|\r|\n", path.read_bytes()):
        last = lines[-1] if lines else b""
        if b"QUOTED-PRINTABLE" in last.split(b":")[0].upper() and last.endswith(b"="):
            lines[-1] = last[:-1] + raw  # a soft line break
        elif raw[:1] in (b" ", b"\t"):
            if lines and not _PICTURE.match(last):
                lines[-1] = last + raw[1:]  # a folded line
        elif raw.strip():
            lines.append(raw)
    text: list[str] = []
    version = b""
    for line in lines:
        if _PICTURE.match(line):
            continue
        head, colon, value = line.partition(b":")
        if head.upper() == b"VERSION":
            version = value.strip()
        if version == b"2.1" and head.upper() == b"NOTE":
            value = value.replace(b",", b"\\,")  # no escapes in 2.1: a comma is a comma
        if b"QUOTED-PRINTABLE" in head.upper():
            found = re.search(rb"CHARSET=([\w-]+)", head, re.IGNORECASE)
            declared = found.group(1).decode() if found else charset
            decoded = binascii.a2b_qp(value).decode(declared, errors="replace")
            decoded = decoded.replace("\r\n", "\n").replace("\n", "\\n").replace(",", "\\,")
            if head.split(b";")[0].upper() not in _STRUCTURED:
                decoded = decoded.replace(";", "\\;")
            value = decoded.encode()
            head = re.sub(rb";(ENCODING=)?QUOTED-PRINTABLE|;CHARSET=[\w-]+", b"", head,
                          flags=re.IGNORECASE)
        text.append((head + colon + value).decode(charset))
    return "\r\n".join(text) + "\r\n"


def _words(text: str) -> set[str]:
    found: set[str] = set()
    for word in re.split(r"[\s,;]+", text.strip().lower()):
        if word and word not in _DULL and not word.startswith("x-"):
            found |= _SAME.get(word, {word})
    return found


def _types(prop: object, labels: dict[str, str]) -> frozenset[str]:
    params = prop.params  # type: ignore[attr-defined]
    words = _words(",".join(v.strip('"') for v in params.get("TYPE", [])))
    words |= _words(",".join(prop.singletonparams))  # type: ignore[attr-defined]
    if "1" in params.get("PREF", []):
        words.add("pref")
    label = labels.get((prop.group or "").lower(), "")  # type: ignore[attr-defined]
    apple = re.fullmatch(r"_\$!<(.*)>!\$_", label)
    return frozenset(words | _words(apple.group(1) if apple else label))


def _value(name: str, value: str) -> str:
    value = " ".join(value.replace("\\:", ":").split())
    if name == "tel":
        value = value.removeprefix("tel:").replace(";ext=", " ext. ")
    return value


def _summary(card: object) -> dict[str, object]:
    contents = card.contents  # type: ignore[attr-defined]
    labels = {(p.group or "").lower(): p.value for p in contents.get("x-ablabel", [])}
    details = frozenset(
        (name, _value(name, prop.value), _types(prop, labels))
        for name in ("tel", "email", "url") for prop in contents.get(name, [])
        # SocialDesk leaves out (and reports) an e-mail address without an @
        if name != "email" or "@" in prop.value
    )
    # vobject splits an unescaped comma in an ORG component ("Ximian, Inc.") too
    orgs = [[", ".join(part) if isinstance(part, list) else part for part in prop.value]
            for prop in contents.get("org", [])]
    notes = "\n".join(prop.value for prop in contents.get("note", []))
    tags = {tag.strip().casefold() for prop in contents.get("categories", [])
            for tag in prop.value} - _SYSTEM_GROUPS - {""}
    found = {
        "details": details,
        # the first ORG with a name: the name and its units (trailing empty units say nothing)
        "org": next((_org(org) for org in orgs if org and org[0].strip()), ()),
        "note": "\n".join(line.rstrip() for line in notes.replace("\r\n", "\n").split("\n"))
        .strip(),
        "categories": frozenset(tags),
        **_identity(card),
    }
    return {key: found[key] for key in COMPARED}


def _identity(card: object) -> dict[str, object]:
    """UID and N, for when COMPARED lists them."""
    contents = card.contents  # type: ignore[attr-defined]
    uid = next((str(p.value) for p in contents.get("uid", [])), "")
    n = next((p.value for p in contents.get("n", [])), None)
    name = (n.family, n.given, n.additional, n.prefix, n.suffix) if n is not None else ()
    return {"uid": uid, "n": name}


def _org(components: list[str]) -> tuple[str, ...]:
    """An ORG value's name and units, each with its white space made single spaces."""
    parts = [" ".join(part.split()) for part in components]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return tuple(parts)


def _cards(text: str) -> list[dict[str, object]]:
    cards = vobject.readComponents(text, ignoreUnreadable=True)
    return sorted((_summary(card) for card in cards), key=repr)


@pytest.mark.skipif(not FILES, reason="interop corpus not found")
@pytest.mark.parametrize("version", ["4.0", "3.0"])
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_vcard_goes_out_as_it_came_in(path: Path, version: str, tmp_path: Path) -> None:
    original = _cards(_for_vobject(path))
    out = tmp_path / "out.vcf"
    with Workspace.open(tmp_path / "w.sqlite", create=True) as ws:
        report = import_contacts(ws, path)
        export_contacts(ws, out, "vcard", vcard_version=version)
    exported = _cards(out.read_text(encoding="utf-8"))
    assert report.imported == len(original)
    assert exported == original
