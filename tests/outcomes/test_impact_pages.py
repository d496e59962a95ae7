"""The impact pages: a pole's dashboard, the national view, the yearly report as a page and as a
workbook, and the API — on the hand-made data set of tests/outcomes/impact_data.py."""

import copy
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from outcomes import services as outcome_services
from outcomes.impact_report import build_report, report_figures
from portal.pdf import figures_json

from ..factories import PersonFactory
from ..shared import build_once
from .impact_data import build_impact_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(scope="module", autouse=True)
def built_data(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(django_db_blocker, build_impact_data, language="en")


@pytest.fixture
def data(built_data, db):
    return copy.deepcopy(built_data)


def national_viewer():
    person = PersonFactory()
    person.user_permissions.add(Permission.objects.get(codename="view_national_impact"))
    return person


def page(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


# --- The dashboard -----------------------------------------------------------------------------


def test_staff_land_on_their_poles_figures(data, client):
    client.force_login(data["people"]["staff"])
    html = page(client, "/impact/")
    assert "Impact of Pôle Alpha" in html
    assert "The outcome figures rest on 2 validated reports." in html
    assert "€1,300,000" in html  # budgets of P1 and P2
    assert "€1,900,000" in html  # private funding raised
    assert "8.64" in html  # leverage
    assert html.count("<svg") >= 12
    for caption in ["Figures by year", "Figures by theme", "Figures by region"]:
        assert f"<caption>{caption}</caption>" in html
    assert "Figures by pole" not in html
    # Nothing of pole B: its theme, its budget, its per-pole view.
    for foreign in ["Textile", "Pôle Beta", "€5,000,000", "€2,000,000", "national view"]:
        assert foreign not in html
    # The yearly reports of the years with figures.
    pole = data["poles"]["a"].pk
    assert f'href="/impact/{pole}/2025/report/"' in html
    assert f'href="/impact/{pole}/2024/report/"' in html


def test_another_poles_figures_do_not_exist(data, client):
    client.force_login(data["people"]["staff"])
    assert client.get(f"/impact/?pole={data['poles']['b'].pk}").status_code == 404
    assert client.get("/impact/?pole=nonsense").status_code == 404


def test_someone_without_a_pole_is_told_so(data, client):
    client.force_login(data["people"]["leader"])
    html = page(client, "/impact/")
    assert "You do not work for a pole" in html
    assert "€1,300,000" not in html and "<svg" not in html
    assert 'href="/impact/"' not in html  # no link in the navigation


def test_filters_rerender_the_figures_as_a_fragment(data, client):
    client.force_login(data["people"]["staff"])
    html = page(client, "/impact/?year=2025&region=ARA", HX_Request="true")
    assert html.lstrip().startswith('<div id="impact-figures"')
    assert "<html" not in html
    assert "The outcome figures rest on 1 validated report." in html
    assert "€400,000" in html  # R1's revenue, MicroTech's and ETI's
    assert "€1,300,000" not in html
    # The whole page keeps the filters chosen.
    full = page(client, "/impact/?year=2025&region=ARA")
    assert '<option value="ARA" selected>' in full
    assert '<option value="2025" selected>' in full


def test_invalid_filters_are_said_not_hidden(data, client):
    client.force_login(data["people"]["staff"])
    html = page(client, "/impact/?year=soon&category=giant")
    assert "Enter a whole number." in html
    assert "Select a valid choice." in html
    assert "€1,300,000" in html  # the figures without the invalid filters


def test_navigation_link(data, client):
    client.force_login(data["people"]["staff"])
    assert 'href="/impact/"' in page(client, "/projects/")
    client.force_login(national_viewer())
    assert 'href="/impact/"' in page(client, "/projects/")
    client.force_login(PersonFactory())
    assert 'href="/impact/"' not in page(client, "/projects/")


# --- The national view -----------------------------------------------------------------------


def test_national_view_is_for_the_national_permission(data, client):
    for person in [data["people"]["staff"], data["people"]["leader"], PersonFactory()]:
        client.force_login(person)
        assert client.get("/impact/national/").status_code == 404
    client.force_login(national_viewer())
    html = page(client, "/impact/national/")
    assert "Impact of every pole" in html
    assert "<caption>Figures by pole</caption>" in html
    assert '<th scope="row">Pôle Alpha</th>' in html and '<th scope="row">Pôle Beta</th>' in html
    assert "The outcome figures rest on 3 validated reports." in html
    assert "€1,900,000" in html  # budgets of both poles
    assert "Textile (Pôle Beta)" in html  # a theme says its pole
    fragment = page(client, "/impact/national/?year=2024", HX_Request="true")
    assert fragment.lstrip().startswith('<div id="impact-figures"')


def test_national_viewer_chooses_any_pole(data, client):
    client.force_login(national_viewer())
    html = page(client, "/impact/")
    assert "Impact of Pôle Alpha" in html and 'name="pole"' in html
    assert 'href="/impact/national/"' in html
    html = page(client, f"/impact/?pole={data['poles']['b'].pk}")
    assert "Impact of Pôle Beta" in html and "€600,000" in html


# --- The yearly report ---------------------------------------------------------------------------


def test_yearly_report_page(data, client):
    client.force_login(data["people"]["staff"])
    pole = data["poles"]["a"].pk
    html = page(client, f"/impact/{pole}/2025/report/")
    assert "<h1>Impact report 2025 of Pôle Alpha</h1>" in html
    assert "The outcome figures of 2025 rest on 1 validated report." in html
    assert "<h2" in html and "<h3>" in html
    assert html.count("<svg") >= 12
    # The launches of 2025 recorded on the pole's labelled projects, and the validated report.
    launches = html.split('id="report-launches"')[1].split("</section>")[0]
    assert "LA1" in launches and "LA2" in launches
    assert "LA3" not in launches  # 2024
    assert "LA4" not in launches and "LA5" not in launches  # not pole A's
    reports = html.split('id="report-reports"')[1].split("</section>")[0]
    assert "P1" in reports and "P2" not in reports  # R2 is only submitted
    assert "€400,000" in reports
    assert f'href="/impact/{pole}/2025/report.xlsx"' in html


def test_yearly_report_of_another_pole_does_not_exist(data, client):
    client.force_login(data["people"]["staff"])
    b = data["poles"]["b"].pk
    assert client.get(f"/impact/{b}/2025/report/").status_code == 404
    assert client.get(f"/impact/{b}/2025/report.xlsx").status_code == 404
    assert client.get(f"/impact/{data['poles']['a'].pk}/1800/report/").status_code == 404
    client.force_login(data["people"]["leader"])
    assert client.get(f"/impact/{data['poles']['a'].pk}/2025/report/").status_code == 404
    client.force_login(national_viewer())
    assert client.get(f"/impact/{b}/2024/report/").status_code == 200


def test_yearly_report_workbook(data, client):
    p1 = data["projects"]["p1"]
    outcome_services.record_launch(
        project=p1,
        partner=p1.partners.get(organisation__legal_name="MicroTech"),
        name='=HYPERLINK("http://evil.example","click")',
        kind="service",
        launch_date=datetime.date(2025, 6, 1),
        trl_reached=7,
        revenues={2025: "12000.00"},
    )
    client.force_login(data["people"]["staff"])
    response = client.get(f"/impact/{data['poles']['a'].pk}/2025/report.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Key figures",
        "Outcomes",
        "Members by category",
        "Funding by source",
        "Launches by kind",
        "By year",
        "By theme",
        "By region",
        "By category",
        "Market launches",
        "Validated reports",
    ]
    key = {row[0]: row[1] for row in book["Key figures"].iter_rows(min_row=2, values_only=True)}
    assert key["Budgets of the labelled projects (€)"] == 400000
    assert key["Projects submitted"] == 3
    assert key["Private € per public € (leverage)"] == pytest.approx(27.14)
    outcomes = list(book["Outcomes"].iter_rows(min_row=2, values_only=True))
    assert outcomes[0] == ("Revenue from the projects' results", 400000, 1)
    years = list(book["By year"].iter_rows(values_only=True))
    assert years[0][:4] == ("Year", "Members", "Projects submitted", "Projects labelled")
    assert [row[0] for row in years[1:]] == ["2024", "2025"]
    launches = book["Market launches"]
    names = [row[0].value for row in launches.iter_rows(min_row=2)]
    assert names == ["LA1", '=HYPERLINK("http://evil.example","click")', "LA2"]
    evil = next(row for row in launches.iter_rows(min_row=2) if row[0].value.startswith("="))
    assert evil[0].data_type == "s"  # text, never a formula
    assert evil[7].value == 12000  # the revenue of 2025, a number
    reports = list(book["Validated reports"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in reports] == ["P1"]
    assert reports[0][3] == 400000


# --- The API -------------------------------------------------------------------------------------


def test_api_figures_of_the_staffs_pole(data, client):
    client.force_login(data["people"]["staff"])
    api = client.get("/api/v1/impact/").json()
    assert api["pole"] == data["poles"]["a"].pk and api["national"] is False
    assert api["members"]["total"] == 3
    assert api["projects"]["labelled_rate"] == "50.0"
    assert api["budget"] == "1300000.00"
    assert api["funding"]["leverage"]["ratio"] == "8.64"
    assert api["outcomes"]["revenue"] == {"value": "450000.00", "reports": 2}
    assert api["outcomes"]["export_share"] == {"value": "45.56", "reports": 2}
    assert api["outcomes"]["jobs_created"] == {"value": "8.0", "reports": 2}
    assert api["outcomes"]["patents_filed"] == {"value": 4, "reports": 2}
    assert [row["key"] for row in api["by_year"]] == ["2024", "2025"]
    assert api["by_pole"] == []
    in_2025 = client.get("/api/v1/impact/?year=2025&category=micro").json()
    assert in_2025["outcomes"]["revenue"] == {"value": "100000.00", "reports": 1}


def test_api_scope(data, client):
    client.force_login(data["people"]["staff"])
    assert client.get(f"/api/v1/impact/?pole={data['poles']['b'].pk}").status_code == 404
    assert client.get("/api/v1/impact/?national=1").status_code == 404
    response = client.get("/api/v1/impact/?year=soon&region=XX")
    assert response.status_code == 400
    assert set(response.json()) == {"year", "region"}
    textile = data["themes"]["textile"].pk
    assert client.get(f"/api/v1/impact/?theme={textile}").status_code == 400
    client.force_login(data["people"]["leader"])
    assert client.get("/api/v1/impact/").status_code == 404
    client.force_login(national_viewer())
    national = client.get("/api/v1/impact/?national=1").json()
    assert national["pole"] is None and national["national"] is True
    assert [row["label"] for row in national["by_pole"]] == ["Pôle Alpha", "Pôle Beta"]
    assert national["outcomes"]["revenue"] == {"value": "1450000.00", "reports": 3}


def test_report_queries_do_not_grow_with_launches_and_reports(data, client):
    client.force_login(data["people"]["staff"])
    url = f"/impact/{data['poles']['a'].pk}/2025/report/"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = queries()
    p1 = data["projects"]["p1"]
    for i in range(5):
        outcome_services.record_launch(
            project=p1,
            partner=p1.partners.get(organisation__legal_name="ETI"),
            name=f"More {i}",
            kind="product",
            launch_date=datetime.date(2025, 8, 1),
            trl_reached=7,
            revenues={2025: "1000.00"},
        )
    outcome_services.validate_report(data["reports"]["r2"], by=data["people"]["staff"])
    assert queries() == before


def test_the_reports_figures_are_plain_json_for_the_pdf(data):
    report = build_report(data["poles"]["a"], 2025)
    figures = json.loads(figures_json(report_figures(report)))
    assert figures["pole"]["name"] == "Pôle Alpha" and figures["year"] == 2025
    assert figures["validated_reports"] == 1
    assert figures["figures"]["outcomes"]["revenue"] == {"value": "400000.00", "reports": 1}
    assert [launch["name"] for launch in figures["launches"]] == ["LA1", "LA2"]
    assert figures["reports"][0]["project"] == "P1"
    assert figures["reports"][0]["revenue"] == "400000.00"
