"""A clicks archive is hostile input: bounded in entries, size and paths, refused whole."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from socialdesk.core.share.clicks import ClicksImportError, read_clicks
from socialdesk.core.share.clicks import source as limits

SOURCES = "name,visitors,bounce_rate,visit_duration\r\ncorner-cafe,3,0,0\r\n"


def refused(path: Path, match: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ClicksImportError, match=match) as caught:
        read_clicks(path)
    assert str(caught.value).startswith(str(path))
    assert time.perf_counter() - start < 5


def test_an_entry_that_expands_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("utm_sources.csv", SOURCES)
        with archive.open("sources.csv", "w", force_zip64=True) as member:
            block = b"corner-cafe,1,0,0\n" * 100_000
            for _ in range(limits.MAX_MEMBER_BYTES // len(block) + 2):
                member.write(block)
    assert path.stat().st_size < 1 << 20  # small on disk, more than 64 MB inside
    refused(path, "expands to more data")


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("utm_sources.csv", SOURCES)
        for number in range(limits.MAX_MEMBERS):
            archive.writestr(f"empty{number}.txt", "")
    refused(path, f"more than {limits.MAX_MEMBERS} entries")


@pytest.mark.parametrize("name", ["../utm_sources.csv", "/etc/utm_sources.csv",
                                  "a/../../utm_sources.csv", "C:/utm_sources.csv"])
def test_an_entry_pointing_outside_its_folder_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "traversal.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), SOURCES)
    refused(path, "points outside its folder")


def test_a_damaged_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("utm_sources.csv", SOURCES * 200)
    path.write_bytes(path.read_bytes()[:300])
    refused(path, "damaged")


def test_a_file_larger_than_an_export_may_be_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: large on paper, nothing on disk
        handle.write(b"source,visits\n")
        handle.seek(limits.MAX_FILE_BYTES)
        handle.write(b"\n")
    refused(path, "larger than an analytics export may be")
