"""Hostile and damaged archives are refused with one message; nothing is written."""

from __future__ import annotations

import hashlib
import json
import stat
import time
import zipfile
from pathlib import Path

import pytest

from bad_workspaces import with_kdf
from socialdesk.core.backup import archive, crypto
from socialdesk.core.backup import create as backup
from socialdesk.core.backup.restore import (
    BadPassphrase,
    PassphraseRequired,
    RestoreError,
    restore,
    stage,
)
from socialdesk.store import reports
from socialdesk.store.workspace import Workspace


@pytest.fixture
def made(demo, tmp_path) -> Path:
    return backup.make_backup(demo, tmp_path / "backups").path


def rebuild(source: Path, target: Path, extra: dict[str, bytes] | None = None, *,
            link: str | None = None, manifest_changes: dict | None = None) -> Path:
    """A copy of ``source`` with extra members, listed in a matching manifest."""
    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        members = {name: zf.read(name) for name in zf.namelist() if name != "manifest.json"}
    members.update(extra or {})
    for name, data in (extra or {}).items():
        manifest["members"][name] = {"size": len(data),
                                     "sha256": hashlib.sha256(data).hexdigest()}
    manifest.update(manifest_changes or {})
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name == link:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return target


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"/"
            for p in sorted(folder.rglob("*"))}


def refused(source: Path, tmp_path: Path, match: str) -> None:
    area = tmp_path / "area"
    area.mkdir(exist_ok=True)
    target = area / "restore-here" / "ws.sqlite"
    before = snapshot_of(tmp_path)
    with pytest.raises(RestoreError, match=match) as raised:
        restore(source, target)
    assert str(source) in str(raised.value) and "Nothing was restored" in str(raised.value)
    after = snapshot_of(tmp_path)
    created = {k for k in after if k not in before}
    assert created <= {"area/restore-here"}, created  # the (empty) folder asked for, no more
    assert not (area / "restore-here" / "ws.sqlite").exists()


@pytest.mark.parametrize("name", ["../evil.txt", "media/../../evil.txt", "/tmp/evil.txt",
                                  "C:/evil.txt", "media\\..\\evil.txt", "./workspace.sqlite"])
def test_a_member_outside_the_folder_is_refused(made, tmp_path, name):
    hostile = rebuild(made, tmp_path / "hostile.sdbackup", {name: b"gotcha"})
    refused(hostile, tmp_path, "outside|not a workspace file")
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_a_link_member_is_refused(made, tmp_path):
    hostile = rebuild(made, tmp_path / "link.sdbackup", {"media/passwd": b"/etc/passwd"},
                      link="media/passwd")
    refused(hostile, tmp_path, "is a link")


def test_an_unlisted_member_is_refused(made, tmp_path):
    hostile = tmp_path / "unlisted.sdbackup"
    hostile.write_bytes(made.read_bytes())
    with zipfile.ZipFile(hostile, "a") as zf:
        zf.writestr("media/extra.jpg", b"not in the manifest")
    refused(hostile, tmp_path, "not in its manifest")


def test_an_oversized_member_is_refused_before_anything_is_written(made, tmp_path):
    big = rebuild(made, tmp_path / "big.sdbackup", {"media/huge.bin": bytes(3 << 20)})
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(RestoreError, match="larger than a backup may hold"):
        stage(big, staging, limits=archive.Limits(member_bytes=2 << 20))
    assert list(staging.iterdir()) == []


def test_an_unknown_format_version_is_refused(made, tmp_path):
    newer = rebuild(made, tmp_path / "newer.sdbackup", manifest_changes={"format_version": 99})
    refused(newer, tmp_path, "newer SocialDesk")


def test_a_changed_member_fails_its_hash(made, tmp_path):
    with zipfile.ZipFile(made) as zf:
        manifest = zf.read("manifest.json")
        db = bytearray(zf.read("workspace.sqlite"))
    db[5000] ^= 0xFF
    changed = tmp_path / "changed.sdbackup"
    with zipfile.ZipFile(changed, "w") as zf:
        zf.writestr("workspace.sqlite", bytes(db))
        zf.writestr("manifest.json", manifest)
    refused(changed, tmp_path, "SHA-256")


def test_damaged_pages_are_refused_even_when_the_manifest_vouches_for_them(made, tmp_path):
    """A hostile backup carries hashes of its own damaged database: the pages are checked."""
    with zipfile.ZipFile(made) as zf:
        db = bytearray(zf.read("workspace.sqlite"))
    page = 4096
    pages = len(db) // page
    for number in range(pages // 3, pages - 1):  # every page past the schema: zeroed
        db[number * page:(number + 1) * page] = bytes(page)
    forged = rebuild(made, tmp_path / "forged.sdbackup", {"workspace.sqlite": bytes(db)})
    refused(forged, tmp_path, "damaged workspace")


def test_encrypted_backup_round_trip(demo, tmp_path):
    made = backup.make_backup(demo, tmp_path / "b", passphrase="correct horse battery")
    assert made.encrypted and crypto.is_encrypted(made.path)
    assert b"SQLite format 3" not in made.path.read_bytes()
    target = tmp_path / "restored.sqlite"
    restore(made.path, target, passphrase="correct horse battery")
    with Workspace.open_readonly(target) as ws:
        assert reports.counts(ws) == reports.counts(demo)


@pytest.fixture
def sealed(demo, tmp_path) -> Path:
    return backup.make_backup(demo, tmp_path / "b", passphrase="s3cret").path


def test_wrong_or_missing_passphrase_is_refused(sealed, tmp_path):
    with pytest.raises(BadPassphrase, match="wrong passphrase"):
        restore(sealed, tmp_path / "x.sqlite", passphrase="guess")
    with pytest.raises(PassphraseRequired, match="encrypted"):
        restore(sealed, tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


@pytest.mark.parametrize("where", ["header", "first chunk", "last byte"])
def test_one_flipped_byte_of_an_encrypted_archive_is_refused(sealed, tmp_path, where):
    data = bytearray(sealed.read_bytes())
    header_end = len(crypto.MAGIC) + 4 + int.from_bytes(data[8:12], "big")
    offset = {"header": header_end - 20, "first chunk": header_end + 100,
              "last byte": len(data) - 1}[where]
    data[offset] ^= 0x01
    tampered = tmp_path / "tampered.sdbackup"
    tampered.write_bytes(bytes(data))
    with pytest.raises(RestoreError, match=r"damaged|changed|wrong passphrase|cannot be read"):
        restore(tampered, tmp_path / "x.sqlite", passphrase="s3cret")
    assert not (tmp_path / "x.sqlite").exists()


def test_a_cut_or_extended_encrypted_archive_is_refused(sealed, tmp_path):
    data = sealed.read_bytes()
    for name, changed in (("cut", data[: len(data) - crypto.TAG - 10]),
                          ("extended", data + b"\x00" * 32)):
        path = tmp_path / f"{name}.sdbackup"
        path.write_bytes(changed)
        with pytest.raises(RestoreError, match="damaged"):
            restore(path, tmp_path / "x.sqlite", passphrase="s3cret")


def test_large_encrypted_stream_spans_chunks(tmp_path):
    import io
    import os

    plain = os.urandom(crypto.CHUNK * 2 + 123)
    sink = io.BytesIO()
    writer = crypto.EncryptingWriter(sink, "pw")
    for start in range(0, len(plain), 70_000):
        writer.write(plain[start:start + 70_000])
    writer.close()
    out = io.BytesIO()
    assert crypto.decrypt(io.BytesIO(sink.getvalue()), out, "pw") == len(plain)
    assert out.getvalue() == plain


@pytest.mark.parametrize("kdf", [
    {"n": 1 << 18}, {"r": 16}, {"p": 2},  # a little more than SocialDesk asks for
    {"n": 1 << 20, "r": 32, "p": 16},  # 4 GiB of memory and minutes of work
], ids=["n", "r", "p", "4GiB"])
def test_a_costly_key_derivation_is_refused_before_it_starts(sealed, tmp_path, kdf):
    crafted = with_kdf(sealed, tmp_path / "costly.sdbackup", **kdf)
    started = time.monotonic()
    with pytest.raises(RestoreError, match="encryption parameters") as raised:
        restore(crafted, tmp_path / "x.sqlite", passphrase="s3cret")
    assert time.monotonic() - started < 2
    assert str(crafted) in str(raised.value)
    with pytest.raises(crypto.DecryptionError, match="encryption parameters"):
        crypto.passphrase_opens(crafted, "s3cret")
    assert not (tmp_path / "x.sqlite").exists()


def test_a_zip_bomb_is_refused_before_anything_is_expanded(made, tmp_path):
    """256 MiB of zeros squeezed into about 1 MiB: listed honestly in the manifest."""
    with zipfile.ZipFile(made) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        database = zf.read("workspace.sqlite")
    bomb = tmp_path / "bomb.sdbackup"
    digest, block = hashlib.sha256(), bytes(1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("workspace.sqlite", database, zipfile.ZIP_STORED)
        with zf.open("media/zeros.bin", "w", force_zip64=True) as out:
            for _ in range(256):
                digest.update(block)
                out.write(block)
        manifest["members"]["media/zeros.bin"] = {"size": 256 << 20,
                                                  "sha256": digest.hexdigest()}
        zf.writestr("manifest.json", json.dumps(manifest), zipfile.ZIP_STORED)
    assert bomb.stat().st_size < 2 << 20
    refused(bomb, tmp_path, "compressed")


def test_an_archive_larger_than_the_free_space_is_refused(made, tmp_path, monkeypatch):
    import shutil

    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage",
                        lambda path: real(path)._replace(free=made.stat().st_size // 2))
    refused(made, tmp_path, "free")
