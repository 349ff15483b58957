"""Calendar CSV import: SocialDesk's own spreadsheet round trip, Hootsuite files, bad rows."""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.calendar.importing import (
    CalendarImportError,
    import_calendar,
    parse_calendar,
)
from socialdesk.core.calendar.importing.csv_posts import MAX_POSTS, MAX_ROWS
from socialdesk.core.contacts.importing.textstream import BLOCK
from socialdesk.store.calendar_export import calendar_export_data
from socialdesk.store.calendar_import import count_rows
from socialdesk.store.post_writes import set_media
from socialdesk.store.vocabulary import PLATFORMS
from socialdesk.store.workspace import Workspace

ZONE = "Europe/London"
OTHER_ZONE = "America/Toronto"
Write = Callable[[bytes, str], Path]


def _posts(ws: Workspace) -> dict[str, dict[str, object]]:
    """Every post by UID with what the calendar spreadsheet carries, field for field."""
    return {
        post.uid: {
            "title": post.title, "body": post.body, "status": post.status,
            "campaign": post.campaign, "date": post.scheduled_on, "time": post.scheduled_time,
            "zone": (post.timezone or ZONE) if post.scheduled_time else None,
            "link": post.link, "topics": sorted(post.topics, key=str.casefold),
            "channels": sorted((c.platform, c.body) for c in post.channels),
            "first_comment": post.first_comment, "media": [(m.path, m.alt) for m in post.media],
        }
        for post in calendar_export_data(ws).posts
    }


def _hand_off(ws: Workspace) -> list[int]:
    """Give a few posts (one with several channels and a channel text) comments and media."""
    posts = calendar_export_data(ws).posts
    chosen = [next(p for p in posts if len(p.channels) > 1 and any(c.body for c in p.channels)),
              next(p for p in posts if len(p.channels) == 1),
              next(p for p in posts if not p.scheduled_on)]
    with ws.transaction():
        for number, post in enumerate(chosen):
            ws.conn.execute("UPDATE posts SET first_comment = ? WHERE id = ?", (
                ["@partner thanks!\n#bread #rye", "=1+1 is two", "More at https://x.example"]
                [number], post.id))
            set_media(ws, post.id, ("loaf.jpg", "shots/oven (2).mp4", "flour.png")[number:],
                      ("A crusty loaf, on a board", "", "-flour; a bag")[number:])
    return [post.id for post in chosen]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)


def test_the_demo_comes_back_field_for_field_and_again_without_duplicates(
        demo: Workspace, ws: Workspace, tmp_path: Path) -> None:
    _hand_off(demo)
    out = tmp_path / "calendar.csv"
    export_calendar(demo, out, "csv", default_tz=ZONE)
    before = _posts(demo)
    assert len(before) > 100
    assert any(len(p["channels"]) > 1 for p in before.values())  # type: ignore[arg-type]
    assert any(body for p in before.values() for _, body in p["channels"])  # type: ignore
    assert sum(bool(p["media"]) and bool(p["first_comment"]) for p in before.values()) == 3

    # Into the workspace it came from, in the zone its posts name or in another: nothing
    # changes (a post naming the workspace's zone itself is not "changed" to it).
    named = demo.conn.execute("SELECT count(*) FROM posts WHERE timezone = ?", (ZONE,))
    assert named.fetchone()[0] > 0
    for zone in (ZONE, OTHER_ZONE):
        home = tmp_path / "home.csv"
        export_calendar(demo, home, "csv", default_tz=zone)
        same = import_calendar(demo, home, default_tz=zone)
        assert (same.imported, same.merged, same.unchanged) == (0, 0, len(before)), zone
        assert _posts(demo) == before

    report = import_calendar(ws, out, default_tz=ZONE)
    assert (report.imported, report.merged, report.skipped, report.problems) == (
        len(before), 0, 0, ())
    assert _posts(ws) == before

    counts = count_rows(ws)
    again = import_calendar(ws, out, default_tz=ZONE)
    assert (again.imported, again.merged, again.unchanged) == (0, 0, len(before))
    assert count_rows(ws) == counts

    # An edited cell updates that post, and only it.
    rows = _rows(out)
    header = rows[0]
    uids = [r[header.index("uid")] for r in rows[1:]]
    edited = next(r for r in rows[1:] if uids.count(r[header.index("uid")]) == 1)
    uid = edited[header.index("uid")]
    edited[header.index("title")] = "Renamed in the spreadsheet"
    edited[header.index("date")] = "2031-01-02"
    _write_rows(out, rows)
    third = import_calendar(ws, out, default_tz=ZONE)
    assert (third.imported, third.merged) == (0, 1)
    after = _posts(ws)
    assert (after[uid]["title"], after[uid]["date"]) == ("Renamed in the spreadsheet",
                                                        "2031-01-02")
    assert {k: v for k, v in after.items() if k != uid} == {
        k: v for k, v in before.items() if k != uid}

    # So does an edited first comment, on a post with media that stay as they are.
    commented = next(r for r in rows[1:] if r[header.index("first_comment")] and
                     uids.count(r[header.index("uid")]) == 1)
    uid = commented[header.index("uid")]
    commented[header.index("first_comment")] = "Edited in the spreadsheet"
    _write_rows(out, rows)
    fourth = import_calendar(ws, out, default_tz=ZONE)
    assert (fourth.imported, fourth.merged) == (0, 1)
    assert _posts(ws)[uid] == {**after[uid], "first_comment": "Edited in the spreadsheet"}
    assert after[uid]["media"]


def test_a_file_without_the_hand_off_columns_keeps_the_posts_comments_and_media(
        demo: Workspace, tmp_path: Path) -> None:
    _hand_off(demo)
    out = tmp_path / "calendar.csv"
    export_calendar(demo, out, "csv", default_tz=OTHER_ZONE)
    before = _posts(demo)
    rows = _rows(out)
    kept = [i for i, name in enumerate(rows[0])
            if name not in ("media", "alt_text", "first_comment")]
    _write_rows(out, [[row[i] for i in kept] for row in rows])  # as an older SocialDesk wrote
    report = import_calendar(demo, out, default_tz=OTHER_ZONE)
    assert (report.imported, report.merged, report.problems) == (0, 0, ())
    assert _posts(demo) == before


def test_a_hostile_media_cell_is_bounded_and_kept_in_the_media_folder(
        ws: Workspace, write: Write) -> None:
    from socialdesk.core.calendar.importing.media import MAX_MEDIA

    paths = "\n".join(["/etc/passwd", "../../.ssh/id_rsa", "C:\\Windows\\x.dll", "ok.jpg"]
                      + [f"f{n}.jpg" for n in range(200_000)])
    alts = "\n".join(["a", "b", "c", " Fine \r"] + ["x"] * 200_000)
    rows = [["uid", "date", "title", "text", "media", "alt_text", "first_comment"],
            ["h1", "2030-01-01", "Hostile", "x", paths, alts, ""]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = write(buffer.getvalue().encode(), "hostile.csv")
    started = time.monotonic()
    report = import_calendar(ws, path, default_tz=ZONE)
    assert time.monotonic() - started < 10
    assert report.imported == 1
    assert [p.message for p in report.problems] == [
        f"more than {MAX_MEDIA} media files: those after the first {MAX_MEDIA} were left out.",
        "media file '/etc/passwd' (and 2 more) left out: a media path is a file in the "
        "workspace's media folder.",
    ]
    (post,) = _posts(ws).values()
    assert len(post["media"]) == MAX_MEDIA - 3  # type: ignore[arg-type]
    assert post["media"][:2] == [("ok.jpg", "Fine"), ("f0.jpg", "x")]  # type: ignore[index]


def test_a_channel_text_of_its_own_and_the_campaign_are_made_from_the_rows(
        ws: Workspace, write: Write) -> None:
    path = write((
        b"uid,date,time,time_zone,channel,status,campaign,title,text,link,topics,post_text\r\n"
        b"a1,2030-05-01,09:00,Europe/Paris,instagram,scheduled,Spring,Rye,Rye is back,"
        b"https://x.example,bread; rye,\r\n"
        b"a1,2030-05-01,09:00,Europe/Paris,mastodon,scheduled,Spring,Rye,Rye! #bread,"
        b"https://x.example,bread; rye,Rye is back\r\n"
        b"b2,,,,,idea,,'=Idea,'+1 for scones,,,\r\n"
    ), "mine.csv")
    report = import_calendar(ws, path, default_tz=ZONE)
    assert (report.imported, report.problems) == (2, ())
    posts = {p.uid: p for p in calendar_export_data(ws).posts}
    rye = posts["a1"]
    assert (rye.body, rye.campaign, rye.timezone, rye.topics) == (
        "Rye is back", "Spring", "Europe/Paris", ("bread", "rye"))
    assert sorted((c.platform, c.body) for c in rye.channels) == [
        ("instagram", None), ("mastodon", "Rye! #bread")]
    idea = posts["b2"]  # the spreadsheet-safe ' is taken off again
    assert (idea.title, idea.body, idea.scheduled_on, idea.channels) == (
        "=Idea", "+1 for scones", None, ())


HOOTSUITE = (
    "14/03/2030 09:00,Fresh rye today!,https://bakery.example/rye\r\n"
    "15/03/2030 17:30,\"Two lines,\nwith a comma\",\r\n"
    "not a date,Lost,\r\n"
    "16/03/2030 08:05,,https://bakery.example\r\n"
)


def test_a_hootsuite_file_becomes_scheduled_posts_keyed_on_date_and_text(
        ws: Workspace, write: Write) -> None:
    path = write(HOOTSUITE.encode(), "bulk-instagram.csv")
    report = import_calendar(ws, path, default_tz=ZONE)
    assert (report.imported, report.skipped) == (2, 2)
    assert [(p.line, p.message) for p in report.problems] == [
        (4, "'not a date' is not a date and time (DD/MM/YYYY HH:MM); this row was left out."),
        (5, "no message; this row was left out."),
    ]
    posts = sorted(calendar_export_data(ws).posts, key=lambda p: p.scheduled_on or "")
    assert [(p.title, p.body, p.status, p.scheduled_on, p.scheduled_time, p.link)
            for p in posts] == [
        ("Fresh rye today!", "Fresh rye today!", "scheduled", "2030-03-14", "09:00",
         "https://bakery.example/rye"),
        ("Two lines,", "Two lines,\nwith a comma", "scheduled", "2030-03-15", "17:30", ""),
    ]
    # Again with another link: the same post, updated; with another text: a new one.
    path.write_text(HOOTSUITE.replace("/rye", "/rye-loaf").replace("Two lines", "2 lines"))
    again = import_calendar(ws, path, default_tz=ZONE)
    assert (again.imported, again.merged) == (1, 1)
    links = {p.body: p.link for p in calendar_export_data(ws).posts}
    assert links["Fresh rye today!"] == "https://bakery.example/rye-loaf"
    assert len(links) == 3


def test_our_hootsuite_export_comes_back(demo: Workspace, ws: Workspace,
                                         tmp_path: Path) -> None:
    result = export_calendar(demo, tmp_path / "bulk.csv", "hootsuite", default_tz=ZONE)
    first = result.files[0]
    rows = _rows(first)
    report = import_calendar(ws, first, default_tz=ZONE)
    assert (report.imported, report.problems) == (len(rows), ())
    written = sorted((when, message, link) for when, message, link in rows)
    read = sorted((f"{p.scheduled_on[8:]}/{p.scheduled_on[5:7]}/{p.scheduled_on[:4]} "
                   f"{p.scheduled_time}", p.body, p.link)
                  for p in calendar_export_data(ws).posts if p.scheduled_on)
    assert read == written


def test_month_first_dates_are_told_by_the_file_and_mixed_orders_refused(
        ws: Workspace, write: Write) -> None:
    path = write(b"Date,Message,Link\r\n03/14/2030 09:00,Pi day,\r\n03/02/2030 10:00,Two,\r\n",
                 "us.csv")
    import_calendar(ws, path, default_tz=ZONE)
    assert sorted(p.scheduled_on for p in calendar_export_data(ws).posts) == [
        "2030-03-02", "2030-03-14"]
    said = write(b"Date (MM/DD/YYYY HH:MM),Message\r\n04/05/2030 09:00,Said,\r\n", "said.csv")
    import_calendar(ws, said, default_tz=ZONE)
    assert {p.body: p.scheduled_on for p in calendar_export_data(ws).posts}["Said"] == \
        "2030-04-05"
    mixed = write(b"14/03/2030 09:00,A,\r\n03/14/2030 09:00,B,\r\n", "mixed.csv")
    with pytest.raises(CalendarImportError) as caught:
        import_calendar(ws, mixed, default_tz=ZONE)
    assert str(caught.value).startswith(f"{mixed}, line 2: the dates mix orders")


def test_bad_rows_are_listed_with_their_lines_and_the_rest_imported(
        ws: Workspace, write: Write) -> None:
    path = write((
        b"uid,date,time,status,title,text\r\n"
        b"a,2030-01-01,09:00,posted,Bad status,x\r\n"
        b"b,2030-02-30,,idea,Bad date,x\r\n"
        b"c,2030-01-01,25:00,draft,Bad time,x\r\n"
        b"d,2030-01-01,10:00,draft,Good,x\r\n"
        b"d,2030-01-02,10:00,draft,Good,x\r\n"
    ), "bad.csv")
    report = import_calendar(ws, path, default_tz=ZONE)
    assert report.imported == 1 and report.skipped == 3
    assert [p.line for p in report.problems] == [2, 3, 4, 6]
    assert "unknown status 'posted'" in report.problems[0].message
    assert "'2030-02-30' is not a date" in report.problems[1].message
    assert "'25:00' is not a time" in report.problems[2].message
    assert report.problems[3].message.startswith("the date differ from line 5")


@pytest.mark.parametrize(("data", "line", "message"), [
    (b"uid,title,text,date\r\na,\"open quote,x,2030-01-01\r\n", 2, "the CSV structure is broken"),
    (b"name,email\r\nAna,ana@example.org\r\n", 1, "this is neither SocialDesk's calendar CSV"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", 3, "this is not a text file"),
])
def test_a_file_that_cannot_be_read_fails_whole_naming_file_and_line(
        ws: Workspace, write: Write, data: bytes, line: int, message: str) -> None:
    path = write(data, "broken.csv")
    with pytest.raises(CalendarImportError) as caught:
        import_calendar(ws, path, default_tz=ZONE)
    assert str(caught.value).startswith(f"{path}, line {line}: {message}")
    assert count_rows(ws)["posts"] == 0


@pytest.mark.parametrize(("row", "count", "message"), [
    ("{n},2030-01-01,,idea,T{n},x", MAX_POSTS, "the file holds more than"),
    ("same,,,idea,T,x{n}", MAX_ROWS, "the file has more than"),  # one post, endless rows
])
def test_a_hostile_file_is_bounded(ws: Workspace, write: Write, row: str, count: int,
                                   message: str) -> None:
    rows = "".join(row.format(n=n) + "\r\n" for n in range(count + 1))
    path = write(("uid,date,time,status,title,text\r\n" + rows).encode(), "huge.csv")
    started = time.monotonic()
    with pytest.raises(CalendarImportError) as caught:
        import_calendar(ws, path, default_tz=ZONE)
    assert time.monotonic() - started < 30
    assert f"line {count + 2}: {message}" in str(caught.value)
    assert count_rows(ws)["posts"] == 0


def _many_blocks(path: Path, posts: int = 300) -> tuple[str, dict[int, int]]:
    """A calendar CSV of several 1 MB blocks: each post on 13 channels, the same text of
    two lines (quoted cells across the blocks' ends); the text, and each post's first line.
    """
    text = ("A crusty loaf of rye, baked at dawn, " * 20 + "\n") * 2
    first_line: dict[int, int] = {}
    line = 2
    rows = [["uid", "date", "time", "status", "title", "text", "channel"]]
    for n in range(posts):
        first_line[n] = line
        for channel in PLATFORMS[:13]:
            rows.append([f"post-{n}", "2030-01-01", "09:00", "draft", f"Loaf {n}",
                         f"{text}{n}", channel])
            line += 1 + text.count("\n")
    _write_rows(path, rows)
    return text, first_line


def test_a_file_of_many_blocks_is_read_in_parts_naming_the_right_lines(
        ws: Workspace, tmp_path: Path) -> None:
    # the file is read block by block, never whole: rows and quoted cells that cross the
    # end of a block read as any other, and problems name their lines
    path = tmp_path / "big.csv"
    text, first_line = _many_blocks(path)
    rows = _rows(path)
    for row in rows[1 + 150 * 13 : 1 + 151 * 13]:
        row[3] = "posted"  # post 150: an unknown status, left out
    rows[1 + 250 * 13 + 4][1] = "2030-01-02"  # post 250's fifth row: another date
    _write_rows(path, rows)
    assert path.stat().st_size > 4 * BLOCK
    report = import_calendar(ws, path, default_tz=ZONE)
    assert (report.imported, report.skipped) == (299, 1)
    assert [p.line for p in report.problems] == [first_line[150], first_line[250] + 4 * 3]
    assert "unknown status 'posted'" in report.problems[0].message
    assert report.problems[1].message.startswith(f"the date differ from line {first_line[250]}")
    posts = _posts(ws)
    assert len(posts) == 299 and "post-150" not in posts
    assert posts["post-299"]["body"] == f"{text}299"
    assert posts["post-299"]["channels"] == sorted((c, None) for c in PLATFORMS[:13])


def test_a_file_is_never_held_whole(tmp_path: Path) -> None:
    # what a read holds is its posts (a post's 13 rows hold its text once) and a block or
    # two, not the file (nor its text, four bytes a character in a StringIO)
    path = tmp_path / "big.csv"
    _many_blocks(path, posts=1000)
    tracemalloc.start()
    try:
        preview = parse_calendar(path, default_tz=ZONE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(preview.posts) == 1000
    assert peak < path.stat().st_size * 0.75, (peak, path.stat().st_size)


def test_a_broken_row_after_the_first_blocks_names_its_line(ws: Workspace,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    _, first_line = _many_blocks(path, posts=100)
    with path.open("ab") as handle:
        handle.write(b'late,2030-01-01,09:00,draft,"open quote,x,bluesky\r\nmore\r\n')
    last = first_line[99] + 13 * 3
    with pytest.raises(CalendarImportError) as caught:
        import_calendar(ws, path, default_tz=ZONE)
    assert str(caught.value).startswith(f"{path}, line {last}: the CSV structure is broken")
    assert count_rows(ws)["posts"] == 0
