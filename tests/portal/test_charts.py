"""The server-side SVG charts: well-formed, accessible, their numbers in text and in a table."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from portal import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _svg(html):
    """The <svg> element of a chart's HTML, parsed as XML (fails if it is not well-formed)."""
    match = re.search(r"<svg.*?</svg>", str(html), re.S)
    assert match, html
    return ET.fromstring(match.group(0))


def _texts(svg):
    return [node.text for node in svg.iter(f"{SVG}text")]


def _figure(html):
    """The whole figure (SVG, details and table) parsed as XML too."""
    return ET.fromstring(str(html))


def test_bar_chart_is_accessible_svg_with_its_values_in_text():
    html = charts.bar_chart(
        [("Bpifrance", Decimal("1234567.89")), ("Région <AURA> & co", 250000), ("ANR", None)],
        title="Granted by funder",
        label_header="Funder",
    )
    svg = _svg(html)
    assert svg.get("role") == "img"
    assert svg.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    assert svg.get("width") is None  # it scales with its container: page or PDF
    assert svg.find(f"{SVG}title").text == "Granted by funder"
    desc = svg.find(f"{SVG}desc").text
    assert "Bpifrance" in desc and "€1,234,568" in desc
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    texts = _texts(svg)
    assert "€1,234,568" in texts and "€250,000" in texts and "€0" in texts
    assert "Région <AURA> & co" in texts  # escaped in the markup, intact once parsed
    assert "<AURA>" not in str(html)


def test_each_chart_carries_the_table_of_its_numbers():
    figure = _figure(
        charts.bar_chart(
            [("Bpifrance", Decimal("1234567.89"))], title="Granted", label_header="Funder"
        )
    )
    assert figure.tag == "figure"
    details = figure.find("details")
    assert details.find("summary").text == "Show the numbers behind this chart"
    table = details.find("table")
    assert table.find("caption").text == "Granted"
    assert [th.text for th in table.iter("th")] == ["Funder", "Granted", "Bpifrance"]
    assert [td.text for td in table.iter("td")] == ["€1,234,567.89"]


def test_grouped_chart_tells_series_apart_without_colour():
    html = charts.grouped_bar_chart(
        ["Bpifrance", "Region"],
        {"requested": [1000, 500], "granted": [800, 400], "disbursed": [300, 0]},
        title="Funding by source",
        category_header="Source",
    )
    svg = _svg(html)
    patterns = svg.findall(f"{SVG}defs/{SVG}pattern")
    assert len(patterns) == 2  # the first series is solid, the next two striped and dotted
    legend = _texts(svg)[:3]
    assert legend == ["requested", "granted", "disbursed"]
    assert {"€1,000", "€800", "€300", "€500", "€400", "€0"} <= set(_texts(svg))
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert "Region, granted: €400" in [b.find(f"{SVG}title").text for b in bars]
    table = _figure(html).find("details/table")
    assert [th.text for th in table.find("thead").iter("th")] == [
        "Source",
        "requested",
        "granted",
        "disbursed",
    ]
    assert [td.text for td in table.find("tbody").iter("td")] == [
        "€1,000.00",
        "€800.00",
        "€300.00",
        "€500.00",
        "€400.00",
        "€0.00",
    ]


def test_stacked_chart_writes_totals():
    html = charts.stacked_bar_chart(
        ["2024", "2025"], {"public": [100, 300], "private": [50, 400]}, title="By year"
    )
    assert {"€150", "€700"} <= set(_texts(_svg(html)))
    headers = [th.text for th in _figure(html).find("details/table/thead").iter("th")]
    assert headers[-1] == "Total"


def test_proportion_chart_gives_shares():
    html = charts.proportion_chart(
        [("SMEs", 300), ("Mid-caps", 100), ("Others", 600)], title="Public funding"
    )
    texts = _texts(_svg(html))
    assert "SMEs — 30.0% (€300)" in texts
    assert [td.text for td in _figure(html).find("details/table").iter("td")][:2] == [
        "€300.00",
        "30.0%",
    ]


@pytest.mark.parametrize(
    "html",
    [
        lambda: charts.bar_chart([], title="Empty"),
        lambda: charts.bar_chart([("A", 0), ("B", None)], title="Empty"),
        lambda: charts.grouped_bar_chart([], {}, title="Empty"),
        lambda: charts.grouped_bar_chart(["A"], {"x": [0]}, title="Empty"),
        lambda: charts.proportion_chart([("A", 0)], title="Empty"),
    ],
)
def test_no_data_is_said_not_a_crash(html):
    html = html()
    svg = _svg(html)
    assert svg.find(f"{SVG}title").text == "Empty"
    assert svg.find(f"{SVG}desc").text == "No data to show."
    assert "No data to show." in _texts(svg)
    assert "<details" not in str(html)


def test_french_amounts():
    with translation.override("fr"):
        html = charts.bar_chart([("Bpifrance", Decimal("1234567.89"))], title="Accordé")
    assert "1\xa0234\xa0568\xa0€" in _texts(_svg(html))
    assert "1\xa0234\xa0567,89\xa0€" in str(html)


def test_bare_svg_without_table():
    html = charts.bar_chart([("A", 1)], title="T", with_table=False)
    assert str(html).startswith("<svg") and "<table" not in str(html)


def test_series_must_match_categories():
    with pytest.raises(ValueError):
        charts.grouped_bar_chart(["A", "B"], {"x": [1]}, title="T")


def test_renders_in_a_pdf():
    weasyprint = pytest.importorskip("weasyprint")
    html = charts.grouped_bar_chart(["A", "B"], {"x": [1, 2], "y": [2, 1]}, title="T")
    pdf = weasyprint.HTML(string=f"<html><body>{html}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
