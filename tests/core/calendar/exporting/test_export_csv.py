from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from calendar_samples import TRICKY_TITLE, add_post
from hypothesis import given
from hypothesis import strategies as st

from socialdesk.core.calendar import csv_export
from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.csvsafe import neutralise_cell, restore_cell
from socialdesk.store.workspace import Workspace


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        # what a spreadsheet skips before it looks for a formula
        ("\n=1+1", "'\n=1+1"),
        ("\r\n=1+1", "'\r\n=1+1"),
        ("\t=1+1", "'\t=1+1"),
        (" =1+1", "' =1+1"),
        ("\u00a0=1+1", "'\u00a0=1+1"),  # no-break space
        ("\u200b=1+1", "'\u200b=1+1"),  # zero-width space
        ("\ufeff=1+1", "'\ufeff=1+1"),  # byte-order mark
        # full-width and small forms, which spreadsheets read as = + - @
        ("＝1+1", "'＝1+1"),
        ("＋cmd", "'＋cmd"),
        ("－2+3", "'－2+3"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("﹦1+1", "'﹦1+1"),
        # a quote before a formula is kept: the importer takes one quote off again
        ("'=1+1", "''=1+1"),
        # plainly a phone number, a number or a date: nothing to run, left as written
        ("+44 7700 900693", "+44 7700 900693"),
        ("+1 (555) 010-9999", "+1 (555) 010-9999"),
        (" +33 1 23 45 67 89", " +33 1 23 45 67 89"),
        ("-12.5", "-12.5"),
        ("-1,000.50", "-1,000.50"),
        ("+3", "+3"),
        ("2026-12-04", "2026-12-04"),
        # but not a phone number with words, nor a quoted one (the quote stays)
        ("+44 7700 900693 ext=cmd", "'+44 7700 900693 ext=cmd"),
        ("'+44 7700 900693", "''+44 7700 900693"),
        ("\tcmd", "\tcmd"),
        ("plain = text", "plain = text"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-5, "-5"),
        ("#hashtag", "#hashtag"),
    ],
)
def test_neutralise_cell(value: object, expected: str) -> None:
    assert neutralise_cell(value) == expected
    assert restore_cell(expected) == ("" if value is None else str(value))


LEADS = [" ", "\t", "\r", "\n", "\u00a0", "\u200b", "\ufeff", "\u3000", "\u2028"]
STARTS = ["=", "+", "-", "@", "＝", "＋", "－", "＠"]


@given(st.lists(st.sampled_from(LEADS), max_size=3), st.sampled_from(STARTS),
       st.text(max_size=20).map(lambda tail: "A1" + tail))
def test_whatever_comes_before_a_formula_it_is_neutralised(
    leads: list[str], start: str, tail: str
) -> None:
    assert neutralise_cell("".join(leads) + start + tail).startswith("'")


@given(st.text(max_size=40) | st.from_regex(r"\A'*[ \t\u00a0]*[-+=@＝＋－＠]?[0-9 ()./,-]*\Z"))
def test_a_neutralised_value_comes_back_as_typed(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == text


def test_plain_csv(sample: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "cal.csv"
    result = export_calendar(sample, out, "csv", default_tz="Europe/Paris")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    rows = read_csv(out)
    assert rows[0] == list(csv_export.CSV_COLUMNS)
    assert rows[0][0] == "post_id"
    body = rows[1:]
    # p1 has two channels, every other post one row (p2 and the idea have no channel)
    assert [r[0] for r in body] == ["1", "1", "2", "4", "5", "6", "3"]
    assert (result.posts, result.rows) == (6, 7)
    by_channel = {(r[0], r[4]): dict(zip(rows[0], r, strict=True)) for r in body}
    insta = by_channel[("1", "instagram")]
    assert insta["text"] == "'=HYPERLINK(\"x\")"  # the variant, neutralised
    assert insta["title"] == TRICKY_TITLE  # line breaks and all
    assert insta["campaign"] == "Spring, launch; 🌸"
    assert insta["topics"] == "bread; events"
    assert (insta["date"], insta["time"], insta["time_zone"]) == (
        "2024-03-10", "09:30", "Europe/Berlin"
    )
    assert by_channel[("1", "facebook")]["text"] == "Fresh = warm, +1 @friends"
    assert by_channel[("4", "instagram")]["time_zone"] == "Europe/Paris"  # default zone
    assert by_channel[("2", "")]["time_zone"] == ""  # all day: no zone
    assert by_channel[("6", "facebook")]["title"] == "'-skipped post"
    assert by_channel[("3", "")]["date"] == ""


def test_every_formula_start_is_neutralised(ws: Workspace, tmp_path: Path) -> None:
    starts = ["=1+1", "+cmd", "-2+3", "@SUM(1)", "\t=TAB", "\r=CR", "\u00a0=1", "＝1"]
    with ws.transaction():
        for n, text in enumerate(starts):
            add_post(ws, uid=f"f{n}@test", title=text, body=text, link=text,
                     scheduled_on="2024-01-01", channels=[(f"c{n}", text)], topics=[text])
    out = tmp_path / "cal.csv"
    export_calendar(ws, out, "csv", default_tz="UTC")
    for row in read_csv(out)[1:]:
        for cell in row:
            lead = cell.lstrip(" \t\r\n\u00a0")[:1]
            assert lead not in ("=", "+", "-", "@", "＝"), row


def test_csv_range(sample: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "cal.csv"
    export_calendar(sample, out, "csv", first=date(2024, 3, 13), last=date(2024, 3, 16),
                    default_tz="UTC")
    # no repeats expanded, no undated ideas: only posts dated in the range
    assert [r[0] for r in read_csv(out)[1:]] == ["4", "5"]


def test_hootsuite_per_channel(sample: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "upload.csv"
    result = export_calendar(sample, out, "hootsuite", default_tz="Europe/Paris")
    names = sorted(p.name for p in result.files)
    assert names == ["upload-facebook.csv", "upload-instagram.csv", "upload-newsletter.csv"]
    assert not out.exists()
    facebook = read_csv(tmp_path / "upload-facebook.csv", encoding="utf-8")
    assert facebook == [
        ["10/03/2024 09:30", "Fresh = warm, +1 @friends", "https://bakery.example/a?b=1,2"]
    ]
    assert not (tmp_path / "upload-facebook.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    instagram = read_csv(tmp_path / "upload-instagram.csv", encoding="utf-8")
    assert instagram[0][1] == "'=HYPERLINK(\"x\")"
    # 07:05 in New York is 12:05 in Paris (the account's zone)
    newsletter = read_csv(tmp_path / "upload-newsletter.csv", encoding="utf-8")
    assert newsletter == [["15/03/2024 12:05", "Monthly newsletter", ""]]
    assert result.posts == 2 and result.rows == 3
    assert result.skipped == {
        "post without a date and time (Hootsuite needs both)": 2,
        "post already published": 1,
        "post marked skipped": 1,
    }
    assert any("repeating" in note for note in result.notes)


def test_hootsuite_keeps_a_mention_or_plus_as_written(ws: Workspace, tmp_path: Path) -> None:
    """Hootsuite's uploader publishes a cell as it is: a ``'`` in front would be posted."""
    messages = {"m": "@partner thanks for the share!", "p": "+1 for rye bread",
                "w": "＠partner full-width", "s": " @partner after a space",
                "f": "=HYPERLINK(\"x\")", "t": "-- tip of the week"}
    with ws.transaction():
        for n, (key, text) in enumerate(messages.items()):
            add_post(ws, uid=f"{key}@test", title=key, body=text, status="scheduled",
                     scheduled_on="2024-05-01", scheduled_time=f"10:{n:02d}",
                     channels=["x"], link="+https://x.example")
    export_calendar(ws, tmp_path / "hs.csv", "hootsuite", default_tz="UTC")
    rows = read_csv(tmp_path / "hs-x.csv", encoding="utf-8")
    assert [row[1] for row in rows] == [
        "@partner thanks for the share!", "+1 for rye bread", "＠partner full-width",
        " @partner after a space", "'=HYPERLINK(\"x\")", "'-- tip of the week"]
    assert {row[2] for row in rows} == {"'+https://x.example"}  # a link is no message
    # every other CSV stays neutralised
    export_calendar(ws, tmp_path / "cal.csv", "csv", default_tz="UTC")
    texts = {row[7]: row[8] for row in read_csv(tmp_path / "cal.csv")[1:]}
    assert texts["m"] == "'@partner thanks for the share!"
    assert texts["p"] == "'+1 for rye bread"


def test_hootsuite_split_at_350(ws: Workspace, tmp_path: Path) -> None:
    with ws.transaction():
        ws.conn.execute("INSERT INTO channels (platform) VALUES ('mastodon')")
        for n in range(760):
            add_post(ws, uid=f"h{n}@test", title=f"Post {n}", status="scheduled",
                     scheduled_on=f"2024-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}",
                     scheduled_time=f"{8 + n % 10:02d}:{n % 12 * 5:02d}",
                     channels=["x"] if n % 2 else [])
        add_post(ws, uid="untimed@test", title="No time", scheduled_on="2024-01-01")
    out = tmp_path / "hs.csv"
    result = export_calendar(ws, out, "hootsuite", default_tz="UTC")
    sizes = {p.name: len(read_csv(p, encoding="utf-8")) for p in result.files}
    # posts with no channel go to every own channel (empty means all)
    assert sizes == {"hs-mastodon.csv": 350, "hs-mastodon-2.csv": 30,
                     "hs-x.csv": 350, "hs-x-2.csv": 30}
    assert result.rows == 760 and result.posts == 760
    assert result.skipped == {"post without a date and time (Hootsuite needs both)": 1}
    first = read_csv(tmp_path / "hs-x.csv", encoding="utf-8")[0]
    assert first == ["02/01/2024 09:05", "Post 1", ""]


def test_hootsuite_without_channels(ws: Workspace, tmp_path: Path) -> None:
    with ws.transaction():
        add_post(ws, uid="a@test", title="A", scheduled_on="2024-01-01", scheduled_time="10:00")
    result = export_calendar(ws, tmp_path / "hs.csv", "hootsuite", default_tz="UTC")
    assert result.files == ()
    assert result.skipped == {"post without a channel (and no channels in the workspace)": 1}
    assert result.notes
