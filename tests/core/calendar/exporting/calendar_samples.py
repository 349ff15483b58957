"""Small workspaces for the calendar export tests, written with plain SQL."""

from __future__ import annotations

from socialdesk.store.post_writes import channel_rows
from socialdesk.store.workspace import Workspace

TRICKY_TITLE = (
    "Croissants, 2 for 1; today!\nÖffnungszeiten 7–12 Uhr — «café» 🥐 back\\slash "
    "and a long tail so that the line has to be folded more than once, with ünïcödé"
)

_POST_COLUMNS = (
    "uid", "title", "body", "status", "campaign_id", "scheduled_on", "scheduled_time",
    "timezone", "link", "location", "repeat_rule", "repeat_until", "evergreen_weeks", "sequence",
    "created_at", "updated_at",
)


def add_post(ws: Workspace, **values: object) -> int:
    """Insert a post; unspecified columns get their defaults (uid from the title)."""
    values.setdefault("uid", f"post-{abs(hash(values.get('title', 'x')))}@test")
    values.setdefault("title", "Untitled")
    names = [k for k in values if k not in ("channels", "topics")]
    assert set(names) <= set(_POST_COLUMNS), names
    cur = ws.conn.execute(
        f"INSERT INTO posts ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [values[n] for n in names],
    )
    post_id = cur.lastrowid
    assert post_id is not None
    channels = [channel if isinstance(channel, tuple) else (channel, None)
                for channel in values.get("channels", ())]  # type: ignore[union-attr]
    ws.conn.executemany(  # a platform the store does not list is "other" with its name
        "INSERT INTO post_channels (post_id, platform, platform_label, body) VALUES (?, ?, ?, ?)",
        [(post_id, *row) for row in channel_rows(channels)],
    )
    for topic in values.get("topics", ()):  # type: ignore[union-attr]
        ws.conn.execute("INSERT OR IGNORE INTO topics (name) VALUES (?)", (topic,))
        ws.conn.execute(
            "INSERT INTO post_topics (post_id, topic_id) "
            "SELECT ?, id FROM topics WHERE name = ?",
            (post_id, topic),
        )
    return post_id


def add_contact(ws: Workspace, name: str, follow_up_on: str | None = None) -> int:
    cur = ws.conn.execute(
        "INSERT INTO contacts (name, organisation, follow_up_on, created_at, updated_at) "
        "VALUES (?, ?, ?, '2024-01-02T10:00:00Z', '2024-02-03T11:00:00Z')",
        (name, f"{name} Ltd", follow_up_on),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def add_ask(ws: Workspace, uid: str, contact_id: int, post_id: int | None, status: str,
            due_on: str | None) -> None:
    ws.conn.execute(
        "INSERT INTO asks (uid, post_id, contact_id, status, asked_on, due_on, message) "
        "VALUES (?, ?, ?, ?, '2024-03-01', ?, 'Could you share this?')",
        (uid, post_id, contact_id, status, due_on),
    )


def build_sample(ws: Workspace) -> None:
    """Fill ``ws`` with six posts of every kind, three asks and a follow-up."""
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO campaigns (id, name, colour) VALUES (1, 'Spring, launch; 🌸', '#ff0000')"
        )
        ws.conn.executemany(
            "INSERT INTO channels (platform, handle, followers) VALUES (?, ?, ?)",
            [("instagram", "@bakery", 800), ("facebook", "bakery", 300)],
        )
        stamps = {"created_at": "2024-01-05T08:00:00Z", "updated_at": "2024-02-06T09:30:00Z"}
        add_post(  # 1: timed in Berlin, two channels, one with its own text
            ws, uid="p1@test", title=TRICKY_TITLE, body="Fresh = warm, +1 @friends",
            status="scheduled", campaign_id=1, scheduled_on="2024-03-10",
            scheduled_time="09:30", timezone="Europe/Berlin", link="https://bakery.example/a?b=1,2",
            sequence=3, channels=[("instagram", "=HYPERLINK(\"x\")"), "facebook"],
            location="Hall 2; stand 7, by the door",
            topics=["bread", "events"], **stamps,
        )
        add_post(  # 2: all day, weekly until
            ws, uid="p2@test", title="Market day", status="draft", scheduled_on="2024-03-12",
            repeat_rule="weekly", repeat_until="2024-04-30", **stamps,
        )
        add_post(ws, uid="p3@test", title="Someday idea", status="idea", **stamps)  # 3: undated
        add_post(  # 4: timed, default zone, evergreen every 4 weeks
            ws, uid="p4@test", title="Evergreen tip", status="published",
            scheduled_on="2024-03-14", scheduled_time="18:00", evergreen_weeks=4,
            channels=["instagram"], **stamps,
        )
        add_post(  # 5: monthly in New York until June
            ws, uid="p5@test", title="Monthly newsletter", status="scheduled",
            scheduled_on="2024-03-15", scheduled_time="07:05", timezone="America/New_York",
            repeat_rule="monthly", repeat_until="2024-06-15", channels=["newsletter"], **stamps,
        )
        add_post(  # 6: skipped, UTC
            ws, uid="p6@test", title="-skipped post", status="skipped",
            scheduled_on="2024-03-20", scheduled_time="12:00", timezone="UTC",
            channels=["facebook"], **stamps,
        )
        anna = add_contact(ws, "Anna Café", follow_up_on="2024-03-18")
        ben = add_contact(ws, "Ben")
        add_ask(ws, "ask-1@test", anna, 1, "asked", "2024-03-09")
        add_ask(ws, "ask-2@test", ben, 1, "shared", "2024-03-09")
        add_ask(ws, "ask-3@test", ben, 5, "agreed", "2024-03-14")

# A link that, written raw, would end its event and start one of its own.
INJECTED_LINK = (
    "https://bakery.example/menu\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected@evil.example"
    "\r\nSUMMARY:Injected\r\nDTSTART:20240312T090000Z\r\nDESCRIPTION:gotcha\nX:\rY:\x00\x7f"
)


# A Thunderbird series: every Tuesday and Thursday, 100 times, but on three dates, and
# one date moved (Thursday 10 September to Friday 11 September, 19:00).
SERIES_UID = "lessons@thunderbird.test"
SERIES_ICS = f"""\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
BEGIN:VEVENT
UID:{SERIES_UID}
SUMMARY:Baking class
LOCATION:Back room
SEQUENCE:2
DTSTART;TZID=Europe/Paris:20260901T180000
DTEND;TZID=Europe/Paris:20260901T193000
RRULE:FREQ=WEEKLY;COUNT=100;BYDAY=TU,TH
EXDATE;TZID=Europe/Paris:20261222T180000,20261224T180000
EXDATE;TZID=Europe/Paris:20261231T180000
END:VEVENT
BEGIN:VEVENT
UID:{SERIES_UID}
RECURRENCE-ID;TZID=Europe/Paris:20260910T180000
SUMMARY:Baking class
LOCATION:Back room
SEQUENCE:2
DTSTART;TZID=Europe/Paris:20260911T190000
DTEND;TZID=Europe/Paris:20260911T203000
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n").encode()


def series_post(ws: Workspace, day: str) -> int:
    """The id of the post of the imported series for ``day`` (its date in the series)."""
    row = ws.conn.execute("SELECT id FROM posts WHERE uid = ?", (f"{SERIES_UID}/{day}",))
    return int(row.fetchone()[0])
