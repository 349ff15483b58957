"""The exported vCards in real address books (Debian packages ``khard`` and ``abook``).

Both read the small demo's contacts with every e-mail address, phone and web address.
abook knows no vCard groups (it reads neither ``item1.TEL`` nor ``item1.URL``) and keeps
one phone per kind (home, work, mobile, fax) and one web address, as the demo has them;
khard reads one card per file.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from socialdesk.core.contacts.export import export_contacts
from socialdesk.store.contacts_export import export_batches
from socialdesk.store.workspace import Workspace

# A contact as read: name, e-mail addresses, phones, web addresses.
Card = tuple[str, frozenset[str], frozenset[str], frozenset[str]]


def _cards(cards: list[Card]) -> list[Card]:
    return sorted(cards, key=repr)


def _expected(ws: Workspace) -> list[Card]:
    return _cards([
        (item.contact.name, *(frozenset(item.contact.values(kind))
                              for kind in ("email", "phone", "url")))
        for batch in export_batches(ws) for item in batch
    ])


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HOME=str(tmp_path / "home"), LANG="C.UTF-8", LC_ALL="C.UTF-8",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    return env


def _run(args: list[str], tmp_path: Path) -> str:
    done = subprocess.run(args, capture_output=True, text=True, encoding="utf-8",
                          env=_env(tmp_path), timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("abook") is None, reason="abook is not installed")
@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_abook_reads_every_phone_email_and_url_of_the_demo(
    demo: Workspace, tmp_path: Path, version: str
) -> None:
    out = tmp_path / "demo.vcf"
    export_contacts(demo, out, "vcard", vcard_version=version)
    (tmp_path / "home").mkdir()
    text = _run(["abook", "--convert", "--informat", "vcard", "--infile", str(out),
                 "--outformat", "abook", "--outfile", "-"], tmp_path)
    read: list[Card] = []
    for block in re.split(r"\n(?=\[\d+\]\n)", text)[1:]:
        fields = dict(line.split("=", 1) for line in block.splitlines()[1:] if "=" in line)
        phones = {fields[key] for key in ("phone", "workphone", "mobile", "fax") if key in fields}
        emails = fields["email"].split(",") if "email" in fields else []
        urls = [fields["url"]] if "url" in fields else []
        read.append((fields["name"], frozenset(emails), frozenset(phones), frozenset(urls)))
    expected = _expected(demo)
    assert _cards(read) == expected
    # the demo has them all: mobiles, work phones, and web addresses
    assert sum(len(phones) for _, _, phones, _ in expected) > 50
    assert sum(len(urls) for _, _, _, urls in expected) > 20


@pytest.mark.skipif(shutil.which("khard") is None, reason="khard is not installed")
@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_khard_reads_every_phone_email_and_url_of_the_demo(
    demo: Workspace, tmp_path: Path, version: str
) -> None:
    out = tmp_path / "demo.vcf"
    export_contacts(demo, out, "vcard", vcard_version=version)
    book = tmp_path / "book"
    book.mkdir()
    cards = re.findall(r"BEGIN:VCARD\r\n.*?END:VCARD\r\n", out.read_bytes().decode(), re.S)
    for number, one in enumerate(cards):
        (book / f"{number}.vcf").write_bytes(one.encode())
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[demo]]\npath = {book}\n", encoding="utf-8")
    text = _run(["khard", "-c", str(config), "list", "--parsable", "--fields",
                 "formatted_name,emails,phone_numbers,webpages"], tmp_path)
    read: list[Card] = []
    labels: set[str] = set()
    for line in text.splitlines():
        name, *columns = line.split("\t")
        emails, phones, urls = (ast.literal_eval(c) if c else {} for c in columns)
        labels |= set(emails) | set(phones)
        read.append((
            name,
            frozenset(v for values in emails.values() for v in values),
            frozenset(v for values in phones.values() for v in values),
            frozenset(v for page in urls
                      for v in (page.values() if isinstance(page, dict) else [page])),
        ))
    assert _cards(read) == _expected(demo)
    # standard types, not Apple's _$!<Mobile>!$_ labels
    assert {label.lower() for label in labels} >= {"cell", "work"}
    assert not [label for label in labels if "$" in label]
