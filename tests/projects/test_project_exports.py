"""The project list as CSV and XLSX: the list's filters, public fields for projects seen by
their summary, the consortium and its budget only for those seen in full."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ..shared import module_world
from ..world import ROLES, SECRET, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LISTED = {
    "leader": {"DRAFT", "SUBMIT", "FUNDED", "FLABEL"},
    "member": {"DRAFT", "SUBMIT", "FUNDED", "FLABEL"},
    "staff": {"SUBMIT", "FUNDED", "FLABEL"},
    "funder": {"FUNDED", "FLABEL"},
    "expert": {"SUBMIT", "FUNDED", "FLABEL"},
    "outsider": {"FUNDED", "FLABEL"},
}
FULL = {
    "leader": {"DRAFT", "SUBMIT", "FUNDED"},
    "member": {"DRAFT", "SUBMIT", "FUNDED"},
    "staff": {"SUBMIT", "FUNDED"},
    "funder": {"FUNDED"},
    "expert": {"SUBMIT"},
    "outsider": set(),
}


built_world, world = module_world(build_world, language="en")


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare headers in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _csv(client, query=""):
    response = client.get(f"/projects/export.csv{query}")
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    return {row["Acronym"]: row for row in rows}, raw.decode("utf-8-sig")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_exports_what_the_list_shows(client, world, role):
    client.force_login(world["people"][role])
    rows, text = _csv(client)
    assert set(rows) == LISTED[role]
    for acronym, row in rows.items():
        full = acronym in FULL[role]
        assert bool(row["Coordinator"]) is full, (acronym, row)
        assert bool(row["Eligible costs (€)"]) is full
        assert bool(row["Partners"]) is full
        assert row["Public summary"] == f"Public summary of {acronym}"
    for project in world["projects"].values():
        assert SECRET.format(project.acronym) not in text


def test_the_consortium_and_its_budget_for_a_project_seen_in_full(client, world):
    client.force_login(world["people"]["leader"])
    rows, _ = _csv(client)
    funded = rows["FUNDED"]
    assert funded["Coordinator"] == "Leader SAS"
    assert funded["Partners"] == "2"
    assert funded["Eligible costs (€)"] == "120000,00"
    assert funded["State"] == world["projects"]["funded"].get_state_display()
    assert funded["Poles"] == "Pôle Own"
    assert funded["Start date"] == "2026-01-01"
    assert rows["DRAFT"]["Themes"] == "Hydrogène"


def test_the_lists_filters_apply(client, world):
    client.force_login(world["people"]["leader"])
    assert set(_csv(client, "?state=draft")[0]) == {"DRAFT"}
    assert set(_csv(client, "?q=FLAB")[0]) == {"FLABEL"}
    assert set(_csv(client, f"?pole={world['poles']['own'].pk}")[0]) == {"SUBMIT", "FUNDED"}


def test_filters_joining_partners_do_not_multiply_budgets(client, world):
    client.force_login(world["people"]["leader"])
    rows, _ = _csv(client, "?category=sme&region=ARA")
    assert rows["FUNDED"]["Eligible costs (€)"] == "120000,00"
    assert rows["FUNDED"]["Partners"] == "2"


def test_xlsx_has_numbers_and_dates(client, world):
    client.force_login(world["people"]["leader"])
    response = client.get("/projects/export.xlsx?state=funding_sought")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="projects-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [[c for c in row] for row in sheet.iter_rows()]
    names = [c.value for c in header]
    row = {name: cell for name, cell in zip(names, rows[0], strict=True)}
    assert row["Acronym"].value == "FLABEL"
    assert row["Eligible costs (€)"].value is None  # seen by its summary only
    assert row["Start date"].is_date


def test_xlsx_budget_is_money(client, world):
    client.force_login(world["people"]["member"])
    response = client.get("/projects/export.xlsx?q=FUNDED")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=names.index("Eligible costs (€)") + 1)
    assert Decimal(str(cell.value)) == Decimal("120000")
    assert "€" in cell.number_format


def test_an_empty_result_is_a_header_row(client, world):
    client.force_login(world["people"]["outsider"])
    rows, text = _csv(client, "?state=draft")
    assert rows == {}
    assert text.startswith("Acronym;Title;State")


def test_headers_in_the_users_language(client, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(world["people"]["leader"])
    raw = b"".join(client.get("/projects/export.csv").streaming_content).decode("utf-8-sig")
    assert raw.startswith("Acronyme;Titre;")


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/projects/export.csv")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_formats_do_not_exist(client, world):
    client.force_login(world["people"]["leader"])
    assert client.get("/projects/export.pdf").status_code == 404
    assert client.get("/projects/export.csv/").status_code == 404


def test_the_list_links_to_its_exports_with_its_filters(client, world):
    client.force_login(world["people"]["leader"])
    html = client.get("/projects/?state=draft&page=1").content.decode()
    assert 'href="/projects/export.csv?state=draft"' in html
    assert 'href="/projects/export.xlsx?state=draft"' in html
    fragment = client.get("/projects/?q=FUN", headers={"HX-Request": "true"}).content.decode()
    assert 'href="/projects/export.xlsx?q=FUN"' in fragment


def test_the_pipeline_shows_no_project_list_export(client, world):
    client.force_login(world["people"]["staff"])
    html = client.get(f"/poles/{world['poles']['own'].pk}/pipeline/").content.decode()
    assert "/projects/export." not in html
