"""What each calendar mode shows, and paging between periods."""

from __future__ import annotations

from datetime import date

from socialdesk.qt.calendar.periods import add_months, days_shown, neighbours, step


def test_months_step_across_the_year_end_to_the_first() -> None:
    assert add_months(date(2031, 12, 17), 1) == date(2032, 1, 1)
    assert add_months(date(2031, 1, 31), -1) == date(2030, 12, 1)
    assert step("month", date(2031, 3, 15), 2) == date(2031, 5, 1)
    assert step("week", date(2031, 3, 15), -1) == date(2031, 3, 8)


def test_each_mode_shows_its_days() -> None:
    assert days_shown("week", date(2031, 3, 13)) == (date(2031, 3, 10), date(2031, 3, 16))
    assert days_shown("month", date(2031, 3, 13)) == (date(2031, 2, 24), date(2031, 4, 6))
    assert days_shown("agenda", date(2031, 2, 13)) == (date(2031, 2, 1), date(2031, 2, 28))


def test_the_neighbours_are_the_periods_either_side() -> None:
    anchor = date(2031, 3, 13)
    assert neighbours("week", anchor) == [(date(2031, 3, 3), date(2031, 3, 9)),
                                          (date(2031, 3, 17), date(2031, 3, 23))]
    assert neighbours("month", anchor) == [(date(2031, 1, 27), date(2031, 3, 9)),
                                           (date(2031, 3, 31), date(2031, 5, 11))]
    assert neighbours("agenda", anchor) == [(date(2031, 2, 1), date(2031, 2, 28)),
                                            (date(2031, 4, 1), date(2031, 4, 30))]
