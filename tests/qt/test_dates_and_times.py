"""Dates and times in the GUI: one format, the user's locale's, in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from calendar_helpers import add_post
from PySide6.QtCore import QLocale

from socialdesk.qt.formatting import clock_text, day_text, moment_text


@pytest.fixture
def american():
    QLocale.setDefault(QLocale("en_US"))


def test_a_day_follows_the_locale_and_names_other_years(american) -> None:
    assert day_text("2026-12-04", date(2026, 6, 1)) == "Fri Dec 4"
    assert day_text("2025-12-04", date(2026, 6, 1)) == "Thu Dec 4, 2025"
    assert clock_text("14:46").replace("\u202f", " ") == "2:46 PM"
    QLocale.setDefault(QLocale("de_DE"))
    assert day_text("2026-12-04", date(2026, 6, 1)) == "Fr. 4. Dez."
    assert clock_text("14:46") == "14:46"


def test_a_moment_is_shown_in_local_time(monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert moment_text("2026-12-04T14:46:51Z", date(2026, 1, 1)) == "Fri 4 Dec 15:46"
        assert moment_text(datetime(2026, 12, 4, 14, 46, tzinfo=UTC),
                           date(2026, 1, 1)) == "Fri 4 Dec 15:46"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_editor_says_when_a_post_was_saved_like_every_other_date(calendar_view,
                                                                     workspace) -> None:
    from socialdesk.store.post_writes import get_post

    post_id = add_post(workspace, "Rye", "2031-03-03")
    calendar_view.reload()
    calendar_view.edit_post(post_id)
    saved = get_post(workspace, post_id).updated_at
    subheading = calendar_view.editor.subheading.text()
    assert subheading.startswith(f"Saved {moment_text(saved)} · ")
    assert "UTC" not in subheading and "T" not in subheading.split("·")[0].removeprefix("Saved")


def test_short_labels_drop_the_weekday_in_the_locales_order(american) -> None:
    from socialdesk.qt.reports.charts import week_label
    from socialdesk.qt.reports.figures import date_span, long_date

    assert week_label("2026-09-07") == day_text("2026-09-07", weekday=False)
    assert long_date("2026-11-24") == "Nov 24, 2026"
    assert date_span("2026-11-15", "2026-12-23") == "Nov 15 – Dec 23, 2026"


def test_the_today_heading_follows_the_locale(window, monkeypatch, qtbot) -> None:
    from datetime import date as day_type

    QLocale.setDefault(QLocale("de_DE"))
    window.show_view("today")
    view = window.views["today"]
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_busy())
    assert view.date_label.text() == f"Today, {day_text(day_type.today(), full=True)}"
    assert any(name in view.date_label.text() for name in
               ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"))



def test_the_calendar_title_names_the_month_and_week_in_the_locales_words() -> None:
    from socialdesk.qt.formatting import month_title, week_title

    assert month_title(date(2026, 12, 4)) == "December 2026"
    assert week_title(date(2026, 11, 30), date(2026, 12, 6)) == "30 Nov – 6 Dec 2026"
    QLocale.setDefault(QLocale("de_DE"))
    assert month_title(date(2026, 12, 4)) == "Dezember 2026"
    assert week_title(date(2026, 12, 7), date(2026, 12, 13)).startswith("7 – 13.")
