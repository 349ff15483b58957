"""Another calendar program (the ``caldav`` library, as a phone would) on the same calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from test_engine import laptop, posts, sync, write


def _phone_calendar(dav):  # type: ignore[no-untyped-def]
    import caldav

    client = caldav.DAVClient(url=dav.url, username="team", password="secret")
    [calendar] = [c for c in client.get_principal().get_calendars()
                  if c.get_display_name() == "Corner Bakery"]
    return client, calendar


def test_a_phones_edit_new_event_and_deletion_arrive_as_post_changes(tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann = laptop(tmp_path, "ann", dav.url)
    write(ann, "p1", title="Bread day", scheduled_on="2027-03-01")
    write(ann, "p2", title="Cake day", scheduled_on="2027-03-02")
    sync(ann)

    client, calendar = _phone_calendar(dav)
    with client:
        event = calendar.get_event_by_uid("p1")
        component = event.icalendar_component
        component["summary"] = "Bread day (moved)"
        component["dtstart"].dt = date(2027, 3, 8)
        event.save()
        calendar.save_event(dtstart=date(2027, 4, 1), summary="Added on the phone",
                            uid="phone-1")
        calendar.get_event_by_uid("p2").delete()

    summary = sync(ann)
    assert (summary.received, summary.deleted) == (2, 1)
    assert posts(ann) == {
        "p1": {"title": "Bread day (moved)", "notes": "", "scheduled_on": "2027-03-08"},
        "phone-1": {"title": "Added on the phone", "notes": "", "scheduled_on": "2027-04-01"},
    }
    assert sync(ann).sent == 0  # what came in is not sent back
    ann.close()


def test_what_no_kind_reads_or_the_workspace_refuses_is_named_and_the_rest_syncs(
        tmp_path: Path, dav) -> None:  # type: ignore[no-untyped-def]
    ann = laptop(tmp_path, "ann", dav.url)
    sync(ann)
    client, calendar = _phone_calendar(dav)
    with client:
        calendar.save_event(dtstart=date(2027, 4, 1), summary="x" * 10, uid="good")
        calendar.save_event(dtstart=date(2027, 4, 2), summary="Refused here", uid="bad")
        calendar.save_journal(dtstart=date(2027, 4, 3), summary="A journal entry",
                              uid="journal-1")
    with ann.transaction():  # the workspace refuses a second post with that title
        ann.conn.execute("CREATE TRIGGER no_refused BEFORE INSERT ON posts "
                         "WHEN NEW.title = 'Refused here' "
                         "BEGIN SELECT RAISE(ABORT, 'refused by a rule'); END")
    summary = sync(ann)
    assert summary.received == 1 and set(posts(ann)) == {"good"}
    assert summary.unreadable == ["/team/corner-bakery-calendar/bad.ics: refused by a rule"]
    assert summary.foreign == 1  # the journal entry: counted, not named
    again = sync(ann)  # named once; the server keeps them untouched
    assert again.unreadable == [] and again.foreign == 0
    ann.close()
