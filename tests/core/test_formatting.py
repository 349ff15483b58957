from datetime import date

from socialdesk.core.formatting import compact, exact, percent, short_date


def test_compact_numbers() -> None:
    values = (0, 950, 999.6, 1000, 12_400, 99_960, 999_999, 3_100_000, -2500, 4e12, None,
              float("nan"))
    assert [compact(v) for v in values] == [
        "0", "950", "1k", "1k", "12.4k", "100k", "1M", "3.1M", "-2.5k", "4000B", "–", "–"]


def test_percent_and_exact() -> None:
    assert percent(0.384) == "38%"
    assert percent(0.004) == "0.4%"
    assert percent(None) == "–"
    assert percent(float("inf")) == "–"
    assert exact(12400) == "12,400"
    assert exact(2.5) == "2.50"


def test_short_date() -> None:
    today = date(2026, 11, 24)
    assert short_date("2026-11-24", today) == "Tue 24 Nov"
    assert short_date("2027-01-02", today) == "Sat 2 Jan 2027"
    assert short_date(None) == "No date"
