"""Each analytics tool's export brings visits back to the right asks (real files where found)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from clicks_samples import GA4_DAILY_CONTENT, GA4_SOURCE_MEDIUM, UMAMI_EVENTS, two_partners
from shared_files import INTEROP
from socialdesk.core.share.clicks import ClicksImportError, import_clicks, read_clicks
from socialdesk.store.share import keep_slug
from socialdesk.store.workspace import Workspace

CLICKS = INTEROP / "clicks"
PLAUSIBLE_UTM = CLICKS / "plausible_dashboard_30d_utm_sources_crlf.csv"
PLAUSIBLE_SOURCES = CLICKS / "plausible_dashboard_30d_sources_crlf.csv"
PLAUSIBLE_CAMPAIGNS = CLICKS / "plausible_dashboard_30d_utm_campaigns_crlf.csv"
MATOMO_CSV = CLICKS / "matomo_schedrep_month_campaigns_section.csv"
MATOMO_TSV = CLICKS / "matomo_ecommerce_schedrep_week_campaigns_no_data.tsv"
NOVEMBER = {"first_day": "2026-11-01", "last_day": "2026-11-30"}


def real(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared interop corpus)")
    return path


def visits(ws: Workspace) -> list[tuple[int, str, str, int]]:
    return [tuple(r) for r in ws.conn.execute(
        "SELECT ask_id, first_day, last_day, visits FROM ask_visits ORDER BY ask_id, first_day")]


def name_partner(ws: Workspace, slug: str) -> int:
    """Give the partner of the demo's first ask for a post with a link ``slug``; its ask.

    It becomes the partner's only ask, so that visits without a post can only be its.
    """
    ask, contact = ws.conn.execute(
        "SELECT a.id, a.contact_id FROM asks a JOIN posts p ON p.id = a.post_id "
        "WHERE p.link <> '' ORDER BY a.asked_on DESC, a.id LIMIT 1").fetchone()
    keep_slug(ws, contact, slug)
    with ws.transaction():
        ws.conn.execute("UPDATE asks SET asked_on = '2026-10-01' WHERE id = ?", (ask,))
        ws.conn.execute("DELETE FROM asks WHERE contact_id = ? AND id <> ?", (contact, ask))
    return int(ask)


def test_plausible_utm_sources_bring_a_partners_visits_to_their_ask(demo: Workspace) -> None:
    ask = name_partner(demo, "google")  # the real file's only utm_source
    report = import_clicks(demo, real(PLAUSIBLE_UTM), **NOVEMBER)
    assert report.format == "plausible"
    assert visits(demo) == [(ask, "2026-11-01", "2026-11-30", 1)]
    assert report.unmatched == ()


def test_plausible_sources_table_matches_ignoring_capitals(demo: Workspace) -> None:
    ask = name_partner(demo, "google")
    report = import_clicks(demo, real(PLAUSIBLE_SOURCES), **NOVEMBER)
    assert [(a, n) for a, _, n in report.asks] == [(ask, 1)]
    assert "Sources table" in report.problems[0].message


def test_plausible_campaigns_table_alone_is_refused_saying_why(demo: Workspace) -> None:
    with pytest.raises(ClicksImportError, match="by campaign, not by source") as caught:
        import_clicks(demo, real(PLAUSIBLE_CAMPAIGNS), **NOVEMBER)
    assert PLAUSIBLE_CAMPAIGNS.name in str(caught.value)
    assert visits(demo) == []


def plausible_zip(path: Path, visitors_csv: str | None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(real(PLAUSIBLE_SOURCES), "sources.csv")
        archive.write(real(PLAUSIBLE_UTM), "utm_sources.csv")
        archive.write(real(PLAUSIBLE_CAMPAIGNS), "utm_campaigns.csv")
        if visitors_csv is not None:
            archive.writestr("visitors.csv", visitors_csv)
    return path


def test_plausible_zip_uses_its_utm_sources_over_the_days_visitors_csv_spans(
        demo: Workspace, tmp_path: Path) -> None:
    ask = name_partner(demo, "google")
    # visitors.csv has the layout of Plausible's export (date,visitors,pageviews,…).
    days = "date,visitors,pageviews,bounce_rate,visit_duration\r\n" + "".join(
        f"2026-11-{d:02},3,4,50,20\r\n" for d in range(5, 12))
    report = import_clicks(demo, plausible_zip(tmp_path / "export.zip", days))
    assert (report.first_day, report.last_day) == ("2026-11-05", "2026-11-11")
    assert visits(demo) == [(ask, "2026-11-05", "2026-11-11", 1)]  # utm_sources, not both


def test_plausible_zip_without_dates_needs_the_period(demo: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ClicksImportError, match="holds no dates"):
        import_clicks(demo, plausible_zip(tmp_path / "export.zip", None))
    assert visits(demo) == []


def test_matomo_report_without_a_source_breakdown_says_so(demo: Workspace) -> None:
    with pytest.raises(ClicksImportError) as caught:
        import_clicks(demo, real(MATOMO_CSV), **NOVEMBER)
    message = str(caught.value)
    assert message.startswith(str(MATOMO_CSV))
    assert "no breakdown of visits by campaign source" in message
    assert "Campaigns report (line 350)" in message and "Campaign Source - Medium" in message


def test_matomo_tsv_whose_campaigns_have_no_data_says_so(demo: Workspace) -> None:
    with pytest.raises(ClicksImportError, match="has no data here"):
        import_clicks(demo, real(MATOMO_TSV), **NOVEMBER)


def test_matomo_campaign_source_medium_section_is_read(demo: Workspace, tmp_path: Path) -> None:
    corner, _ = two_partners(demo)
    # The real scheduled report with the Marketing Campaigns Reporting plugin's section
    # added in the same layout (title line, header, rows, blank line).
    text = real(MATOMO_CSV).read_text(encoding="utf-8") + (
        "\nCampaign Source - Medium\nlabel,nb_visits,nb_actions,nb_actions_per_visit,"
        "avg_time_on_site,bounce_rate,revenue\n"
        "corner-cafe - partner,14,20,1.4,00:01:05,30%,$0\n"
        "google - cpc,40,80,2,00:02:00,20%,$0\n"
        "market-hall - newsletter,3,3,1,00:00:10,100%,$0\n")
    path = tmp_path / "matomo.csv"
    path.write_text(text, encoding="utf-8")
    report = import_clicks(demo, path, **NOVEMBER)
    assert report.format == "matomo"
    assert visits(demo) == [(corner.ask, "2026-11-01", "2026-11-30", 14)]
    # Another medium is not a partner's link.
    assert dict(report.unmatched) == {"google - cpc": 40, "market-hall - newsletter": 3}


def test_matomo_single_exported_table_in_tsv(demo: Workspace, tmp_path: Path) -> None:
    corner, _ = two_partners(demo)
    path = tmp_path / "export.tsv"
    path.write_bytes("label\tnb_visits\tnb_actions\ncorner-cafe - partner\t1,204\t9\n"
                     .encode("utf-16"))  # Matomo's exports may be UTF-16 with a BOM
    import_clicks(demo, path, **NOVEMBER)
    assert visits(demo) == [(corner.ask, "2026-11-01", "2026-11-30", 1204)]


def test_ga4_source_medium_report_over_its_stated_period(demo: Workspace, tmp_path: Path) -> None:
    """Built from GA4's documented download layout (no real GA4 export was found)."""
    corner, market = two_partners(demo)
    path = tmp_path / "ga4.csv"
    path.write_text(GA4_SOURCE_MEDIUM, encoding="utf-8")
    report = import_clicks(demo, path)
    assert report.format == "ga4"
    assert (report.first_day, report.last_day) == ("2026-11-01", "2026-11-30")
    assert sorted((a, n) for a, _, n in report.asks) == sorted(
        [(corner.ask, 25), (market.ask, 9)])  # Sessions, not Users
    assert dict(report.unmatched) == {"google / organic": 402, "(direct) / (none)": 150}


def test_ga4_daily_report_by_ad_content_goes_to_the_post_and_day(
        demo: Workspace, tmp_path: Path) -> None:
    """Built from GA4's documented download layout (no real GA4 export was found)."""
    corner, _ = two_partners(demo)
    path = tmp_path / "ga4.csv"
    path.write_text(GA4_DAILY_CONTENT.format(post=corner.post), encoding="utf-8")
    import_clicks(demo, path)
    assert visits(demo) == [(corner.ask, "2026-11-20", "2026-11-20", 4),
                            (corner.ask, "2026-11-21", "2026-11-21", 6)]


def test_umami_events_count_visits_per_day(demo: Workspace, tmp_path: Path) -> None:
    """Built from Umami's documented events export columns (no real Umami export was found)."""
    corner, market = two_partners(demo)
    path = tmp_path / "website_event.csv"
    path.write_text(UMAMI_EVENTS.format(post=corner.post, other=market.post), encoding="utf-8")
    report = import_clicks(demo, path)
    assert report.format == "umami"
    # v1 viewed two tracked pages in one visit: one visit; url_query is read when the
    # utm_* columns are empty.
    assert visits(demo) == sorted([(corner.ask, "2026-11-20", "2026-11-20", 2),
                                   (market.ask, "2026-11-21", "2026-11-21", 1)])


def test_umami_dashboard_export_is_refused_saying_it_has_no_sources(tmp_path: Path) -> None:
    """Umami's dashboard export zips x,y tables (documented; no real file was found)."""
    path = tmp_path / "umami.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("referrers.csv", "x,y\ngoogle.com,12\n")
        archive.writestr("pages.csv", "x,y\n/,40\n")
    with pytest.raises(ClicksImportError, match="hold no UTM sources"):
        read_clicks(path)


def test_any_csv_with_a_source_and_a_count(demo: Workspace, tmp_path: Path) -> None:
    corner, _ = two_partners(demo)
    path = tmp_path / "mine.csv"
    path.write_text("Day;UTM Source;Clicks\n2026-11-25;Corner-Cafe;3\n\n2026-11-26;nobody;5\n",
                    encoding="cp1252")
    report = import_clicks(demo, path)
    assert report.format == "csv"
    assert visits(demo) == [(corner.ask, "2026-11-25", "2026-11-25", 3)]
    assert report.unmatched == (("nobody", 5),)


@pytest.mark.parametrize("content", [
    "First Name,Last Name,E-mail 1 - Value\nAda,Baker,ada@example.com\n",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD\n",
])
def test_a_file_that_is_not_an_analytics_export_is_refused_naming_file_and_line(
        demo: Workspace, tmp_path: Path, content: str) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ClicksImportError) as caught:
        import_clicks(demo, path, **NOVEMBER)
    assert str(caught.value).startswith(f"{path}, line 1: not an analytics export")
    assert visits(demo) == []


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(ClicksImportError, match=r"photo\.csv, line \d+: this is not a text file"):
        read_clicks(path)


def test_a_bad_count_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("source,visits\ncorner-cafe,3\nmarket-hall,lots\n", encoding="utf-8")
    with pytest.raises(ClicksImportError, match=r"bad\.csv, line 3: the visits column holds "
                                                r"'lots'"):
        read_clicks(path)


def test_plausible_zip_without_visitors_takes_the_period_from_its_name(
        demo: Workspace, tmp_path: Path) -> None:
    ask = name_partner(demo, "google")
    path = plausible_zip(tmp_path / "example.com 20261101-20261115.zip", None)
    import_clicks(demo, path)
    assert visits(demo) == [(ask, "2026-11-01", "2026-11-15", 1)]
