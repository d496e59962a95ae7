"""Exports of funding lines: each person gets exactly the lines they may see, with their
amounts as numbers, and nothing a spreadsheet would run."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework.pagination import PageNumberPagination

from funding.models import Disbursement, Funder, FundingLine, Repayment
from funding.services import record_funding_line
from portal.models import Person

from ..shared import module_world
from ..world import ROLES, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DECIDED = datetime.date(2026, 3, 15)
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _build_world():
    """The world, with more on FUNDED: an ANR line beside Bpifrance's, tranches paid and to
    come, and a line on SUBMIT from a funder nobody reviews for (the expert sees SUBMIT)."""
    world = build_world()
    funded, submitted = world["projects"]["funded"], world["projects"]["submitted"]
    bpi_line = funded.funding_lines.get()
    FundingLine.objects.filter(pk=bpi_line.pk).update(decision_date=DECIDED, conditions=FORMULA)
    Disbursement.objects.create(
        line=bpi_line, amount=Decimal("50000.00"), scheduled_date=DECIDED, paid_date=DECIDED
    )
    Disbursement.objects.create(
        line=bpi_line, amount=Decimal("25000.00"), scheduled_date=datetime.date(2027, 1, 1)
    )
    anr = Funder.objects.get(name="ANR")
    record_funding_line(
        project=funded,
        partner=funded.partners.get(role="coordinator"),
        funder=anr,
        programme="ANR PRCE",
        amount_requested=Decimal("80000.00"),
        status="applied",
    )
    region = Funder.objects.create(name="Région AURA", kind="public", category="region")
    record_funding_line(
        project=submitted,
        partner=submitted.partners.get(role="coordinator"),
        funder=region,
        programme="Pack Ambition R&D",
        amount_requested=Decimal("30000.00"),
    )
    world["people"]["other_staff"] = Person.objects.get(email="other-staff@world.example")
    world["people"]["other_reviewer"] = Person.objects.get(email="other-reviewer@world.example")
    return world


built_world, world = module_world(_build_world, language="en")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _rows(response):
    assert response.status_code == 200, response.status_code
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw), delimiter=";"))


def _lines(client, person, url="/funding/lines/export.csv"):
    client.force_login(person)
    return {(row["Project"], row["Funder"]) for row in _rows(client.get(url))}


FUNDED_BPI = ("FUNDED", "Bpifrance")
FUNDED_ANR = ("FUNDED", "ANR")
SUBMIT_REGION = ("SUBMIT", "Région AURA")
FLABEL_ANR = ("FLABEL", "ANR")

EVERY_LINE = {
    "leader": {FUNDED_BPI, FUNDED_ANR, SUBMIT_REGION},
    "member": {FUNDED_BPI, FUNDED_ANR, SUBMIT_REGION},
    "staff": {FUNDED_BPI, FUNDED_ANR, SUBMIT_REGION},
    "funder": {FUNDED_BPI},  # their funder's line, not ANR's beside it
    "expert": set(),  # experts see no funding
    "outsider": set(),
    "other_staff": {FLABEL_ANR},  # another pole: nothing of this pole's projects
    "other_reviewer": {FUNDED_ANR, FLABEL_ANR},
}


@pytest.mark.parametrize("role", [*ROLES, "other_staff", "other_reviewer"])
def test_every_line_a_person_may_see_and_no_other(client, world, role):
    assert _lines(client, world["people"][role]) == EVERY_LINE[role]


# What each role gets from /projects/<FUNDED>/funding/export.csv; None: 404.
PROJECT_LINES = {
    "leader": {FUNDED_BPI, FUNDED_ANR},
    "member": {FUNDED_BPI, FUNDED_ANR},
    "staff": {FUNDED_BPI, FUNDED_ANR},
    "funder": {FUNDED_BPI},
    "expert": None,  # sees FUNDED by its public summary only
    "outsider": None,
    "other_staff": None,
    "other_reviewer": {FUNDED_ANR},
}


@pytest.mark.parametrize("role", [*ROLES, "other_staff", "other_reviewer"])
def test_a_projects_lines_for_each_role(client, world, role):
    url = f"/projects/{world['projects']['funded'].pk}/funding/export.csv"
    client.force_login(world["people"][role])
    expected = PROJECT_LINES[role]
    if expected is None:
        assert client.get(url).status_code == 404
        assert client.get(url.replace(".csv", ".xlsx")).status_code == 404
    else:
        assert {(r["Project"], r["Funder"]) for r in _rows(client.get(url))} == expected


def test_an_expert_gets_no_funding_of_the_project_they_review(client, world):
    client.force_login(world["people"]["expert"])
    url = f"/projects/{world['projects']['submitted'].pk}/funding/export.csv"
    assert client.get(url).status_code == 404


def test_a_project_nobody_may_see_does_not_exist(client, world):
    client.force_login(world["people"]["leader"])
    url = f"/projects/{world['projects']['foreign_draft'].pk}/funding/export.csv"
    assert client.get(url).status_code == 404
    assert client.get("/projects/999999/funding/export.xlsx").status_code == 404


def test_a_line_tells_its_story_in_euros(client, world):
    client.force_login(world["people"]["funder"])
    (row,) = _rows(client.get("/funding/lines/export.csv"))
    assert row["Partner"] == "Member Lab"
    assert row["Programme"] == "i-Nov"
    assert row["Instrument"] == "grant"
    assert row["Status"] == "granted"
    assert row["Requested (€)"] == "200000,00"
    assert row["Granted (€)"] == "150000,00"
    assert row["Cancelled (€)"] == "0,00"
    assert row["Disbursed (€)"] == "50000,00"
    assert row["Scheduled, not yet paid (€)"] == "25000,00"
    assert row["Remaining to disburse (€)"] == "100000,00"
    assert row["Repaid (€)"] == "0,00"
    assert row["Decision date"] == "2026-03-15"
    assert row["Conditions"] == "'" + FORMULA  # never a formula in a spreadsheet


def test_repayments_are_summed(client, world):
    line = world["projects"]["funded"].funding_lines.get(funder__name="Bpifrance")
    Repayment.objects.create(
        line=line, amount=Decimal("1000.00"), due_date=DECIDED, paid_date=DECIDED
    )
    Repayment.objects.create(line=line, amount=Decimal("2000.00"), due_date=DECIDED)
    client.force_login(world["people"]["funder"])
    (row,) = _rows(client.get("/funding/lines/export.csv"))
    assert row["Repaid (€)"] == "1000,00"
    assert row["Disbursed (€)"] == "50000,00"  # not multiplied by the repayments


def test_a_line_not_granted_has_nothing_remaining(client, world):
    client.force_login(world["people"]["leader"])
    rows = _rows(client.get("/funding/lines/export.csv"))
    anr = next(r for r in rows if r["Funder"] == "ANR")
    assert anr["Granted (€)"] == "" and anr["Remaining to disburse (€)"] == ""


def test_xlsx_amounts_are_numbers_in_euros(client, world):
    client.force_login(world["people"]["funder"])
    response = client.get("/funding/lines/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="funding-lines-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Granted (€)"].data_type == "n"
    assert Decimal(str(row["Granted (€)"].value)) == Decimal("150000")
    assert "€" in row["Granted (€)"].number_format
    assert row["Decision date"].is_date
    conditions = row["Conditions"]
    assert (conditions.value, conditions.data_type) == (FORMULA, "s")


def test_the_dashboards_filters_apply(client, world):
    leader = world["people"]["leader"]
    anr = Funder.objects.get(name="ANR")
    base = "/funding/lines/export.csv"
    assert _lines(client, leader, f"{base}?funder={anr.pk}") == {FUNDED_ANR}
    assert _lines(client, leader, f"{base}?status=granted") == {FUNDED_BPI}
    assert _lines(client, leader, f"{base}?year=2026") == {FUNDED_BPI}
    assert _lines(client, leader, f"{base}?year=2020") == set()
    assert _lines(client, leader, f"{base}?category=sme&status=applied") == {FUNDED_ANR}
    own = world["poles"]["own"].pk
    assert _lines(client, leader, f"{base}?pole={own}") == {FUNDED_BPI, FUNDED_ANR, SUBMIT_REGION}


def test_filtering_on_another_pole_gives_nothing_of_it(client, world):
    staff = world["people"]["staff"]
    foreign = world["poles"]["foreign"].pk
    assert _lines(client, staff, f"/funding/lines/export.csv?pole={foreign}") == set()


def test_the_projects_filename_names_it(client, world):
    client.force_login(world["people"]["leader"])
    response = client.get(f"/projects/{world['projects']['funded'].pk}/funding/export.xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="funded-funding-lines-')


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    assert client.get("/funding/lines/export.csv").status_code == 302
    url = f"/projects/{world['projects']['funded'].pk}/funding/export.csv"
    assert client.get(url).status_code == 302


def _api_rows(response):
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("role", [*ROLES, "other_staff", "other_reviewer"])
def test_the_api_list_as_csv_has_the_same_lines(client, world, role):
    client.force_login(world["people"][role])
    rows = _api_rows(client.get("/api/v1/funding-lines/?format=csv"))
    projects = {p.pk: p.acronym for p in world["projects"].values()}
    funders = {(projects[int(r["Project"])], r["Funder name"]) for r in rows}
    assert funders == EVERY_LINE[role]


def test_the_api_csv_is_typed_and_filtered(client, world):
    client.force_login(world["people"]["leader"])
    response = client.get("/api/v1/funding-lines/?format=csv&status=granted")
    assert response["Content-Disposition"].startswith('attachment; filename="funding-lines-')
    (row,) = _api_rows(response)
    assert row["Status"] == "granted"
    assert row["Amount granted"] == "150000,00"
    assert row["Disbursed"] == "50000,00"
    assert row["Remaining"] == "100000,00"
    assert row["Conditions"] == "'" + FORMULA


def test_the_api_xlsx_has_every_line_not_one_page(client, world, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 1)
    client.force_login(world["people"]["leader"])
    assert len(client.get("/api/v1/funding-lines/").json()["results"]) == 1
    response = client.get("/api/v1/funding-lines/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet.max_row == 1 + len(EVERY_LINE["leader"])
    disbursed = [sheet.cell(row=r, column=header.index("Disbursed") + 1) for r in range(2, 5)]
    assert all(c.data_type == "n" and "€" in c.number_format for c in disbursed)


def test_the_api_tranches_export_too(client, world):
    client.force_login(world["people"]["funder"])
    rows = _api_rows(client.get("/api/v1/disbursements/?format=csv"))
    assert sorted(r["Amount"] for r in rows) == ["25000,00", "50000,00"]
    client.force_login(world["people"]["outsider"])
    assert _api_rows(client.get("/api/v1/disbursements/?format=csv")) == []


def test_the_dashboards_figures_in_one_workbook(client, world):
    client.force_login(world["people"]["staff"])
    pole = world["poles"]["own"].pk
    response = client.get(f"/funding/figures.xlsx?pole={pole}&year=2026")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Totals", "By year", "By source"]
    totals = workbook["Totals"]
    header = [c.value for c in totals[1]]
    row = dict(zip(header, (c.value for c in totals[2]), strict=True))
    # Decided in 2026: the Bpifrance line only (granted 150 000, 50 000 paid).
    assert row["Granted (€)"] == 150000
    assert row["Disbursed (€)"] == 50000
    assert row["Funding lines"] == 1
    by_source = workbook["By source"]
    assert [c.value for c in by_source[2]][:3] == ["Bpifrance", "public", 200000]
    assert "€" in by_source["C2"].number_format


def test_the_dashboards_figures_of_another_pole_do_not_exist(client, world):
    client.force_login(world["people"]["staff"])
    foreign = world["poles"]["foreign"].pk
    assert client.get(f"/funding/figures.xlsx?pole={foreign}").status_code == 404


def test_the_dashboard_links_to_its_exports_with_its_filters(client, world):
    client.force_login(world["people"]["staff"])
    html = client.get("/funding/?year=2026").content.decode()
    pole = world["poles"]["own"].pk
    assert f"/funding/lines/export.csv?year=2026&amp;pole={pole}" in html
    assert f"/funding/figures.xlsx?year=2026&amp;pole={pole}" in html


@pytest.mark.parametrize("role", ["leader", "funder"])
def test_the_funding_section_links_to_its_export(client, world, role):
    client.force_login(world["people"][role])
    funded = world["projects"]["funded"].pk
    html = client.get(f"/projects/{funded}/").content.decode()
    assert f'href="/projects/{funded}/funding/export.xlsx"' in html


def test_the_portfolio_export_is_the_funders_lines(client, world):
    client.force_login(world["people"]["funder"])
    assert (
        'href="/funding/portfolio/export.csv' in client.get("/funding/portfolio/").content.decode()
    )
    assert _lines(client, world["people"]["funder"], "/funding/portfolio/export.csv") == {
        FUNDED_BPI
    }
    url = "/funding/portfolio/export.csv?status=refused"
    assert _lines(client, world["people"]["funder"], url) == set()
    client.force_login(world["people"]["leader"])
    assert client.get("/funding/portfolio/export.xlsx").status_code == 404
