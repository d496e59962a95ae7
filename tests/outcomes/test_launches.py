"""Market launches on the project page and on the list of launches: who sees them, who records
and changes them, and the bad input that saves nothing but says what is wrong."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from outcomes import services
from outcomes.models import LaunchRevenue, MarketLaunch
from tests.world import build_world

from ..shared import module_world
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HX-Request": "true"}


built_world, world = module_world(
    lambda: build_outcomes(build_world()), language="en", client_language="en"
)


@pytest.fixture
def launch(world):
    """Hydro-Cell 1: the member's product from FUNDED, launched on 1 June 2026 in FR and DE,
    TRL 8, 40 000 € of revenue in 2026."""
    return world["extra"]["funded:launch"]


def url(world, suffix=""):
    return f"/projects/{world['projects']['funded'].pk}/launches/{suffix}"


def partner(world, key="member"):
    funded = world["projects"]["funded"]
    if key == "coordinator":
        return funded.partners.get(role="coordinator")
    return funded.partners.get(organisation=world["organisations"]["member"])


def new_launch(world, **changes):
    return {
        "partner": partner(world).pk,
        "name": "Hydro-Cell 2",
        "kind": "service",
        "launch_date": "2027-03-01",
        "markets": "fr, de",
        "trl_reached": "9",
        "description": "Maintenance contracts",
        **changes,
    }


def edit(launch, **changes):
    return {
        "partner": launch.partner_id,
        "name": launch.name,
        "kind": launch.kind,
        "launch_date": launch.launch_date.isoformat(),
        "markets": ", ".join(launch.markets),
        "trl_reached": str(launch.trl_reached),
        "description": launch.description,
        "version": str(launch.version),
        **changes,
    }


def signed_in(client, world, role):
    client.force_login(world["people"][role])
    return client


# --- Seeing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "member", "staff", "funder"])
def test_whoever_sees_the_confidential_part_sees_the_launches(client, world, launch, role):
    html = signed_in(client, world, role).get(world["projects"]["funded"].get_absolute_url())
    html = html.content.decode()
    section = html[html.index('id="launches"') :]
    for text in ["Hydro-Cell 1", "Member Lab", "FR, DE", "€40,000.00", ">2026<"]:
        assert text in section
    may_record = role in ("leader", "member")
    assert ("Add a launch" in section) is may_record
    assert ("Edit the launch" in section) is may_record
    assert ("Delete the launch" in section) is may_record


@pytest.mark.parametrize("role", ["expert", "outsider"])
def test_the_others_see_no_launch(client, world, launch, role):
    signed_in(client, world, role)
    html = client.get(world["projects"]["funded"].get_absolute_url()).content.decode()
    assert "Hydro-Cell" not in html and 'id="launches"' not in html
    assert client.get(url(world)).status_code == 404
    assert client.get("/launches/").content.decode().count("Hydro-Cell") == 0


def test_the_section_alone_answers_htmx_with_its_fragment(client, world, launch):
    response = signed_in(client, world, "staff").get(url(world), headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card launches"')
    assert "Hydro-Cell 1" in html and "<html" not in html


# --- Recording, changing, deleting ------------------------------------------------------------------


def test_the_leader_adds_a_launch_with_markets_written_loosely(client, world):
    response = signed_in(client, world, "leader").post(
        url(world, "new/"), new_launch(world), headers=HTMX
    )
    assert response.status_code == 200
    assert "Launch “Hydro-Cell 2” added." in response.content.decode()
    added = MarketLaunch.objects.get(name="Hydro-Cell 2")
    assert (added.markets, added.trl_reached, added.partner) == (["FR", "DE"], 9, partner(world))
    assert added.history.get().history_user == world["people"]["leader"]


def test_without_htmx_a_change_goes_back_to_the_project_page(client, world):
    response = signed_in(client, world, "leader").post(url(world, "new/"), new_launch(world))
    funded = world["projects"]["funded"]
    assert response.status_code == 302 and response.url == f"{funded.get_absolute_url()}#launches"
    assert "Launch “Hydro-Cell 2” added." in client.get(response.url).content.decode()


def test_a_partner_contact_records_their_own_partners_launches_only(client, world):
    signed_in(client, world, "member")
    form = client.get(url(world, "new/"), headers=HTMX).content.decode()
    assert "Member Lab" in form and "Leader SAS" not in form
    response = client.post(
        url(world, "new/"),
        new_launch(world, partner=partner(world, "coordinator").pk),
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url(world, "new/"), new_launch(world), headers=HTMX)
    assert response.status_code == 200
    assert MarketLaunch.objects.filter(name="Hydro-Cell 2", partner=partner(world)).exists()


def test_staff_and_funders_only_look(client, world, launch):
    for role in ("staff", "funder"):
        signed_in(client, world, role)
        assert client.post(url(world, "new/"), new_launch(world)).status_code == 404
        assert client.post(url(world, f"{launch.pk}/edit/"), edit(launch)).status_code == 404
        assert client.post(url(world, f"{launch.pk}/delete/")).status_code == 404
    assert MarketLaunch.objects.count() == 1 and MarketLaunch.objects.get().version == 1


def test_the_member_edits_their_launch(client, world, launch):
    response = signed_in(client, world, "member").post(
        url(world, f"{launch.pk}/edit/"),
        edit(launch, name="Hydro-Cell One", markets="fr, es", trl_reached="9"),
        headers=HTMX,
    )
    assert response.status_code == 200, response.content.decode()
    launch.refresh_from_db()
    assert (launch.name, launch.markets, launch.trl_reached, launch.version) == (
        "Hydro-Cell One",
        ["FR", "ES"],
        9,
        2,
    )


def test_a_stale_edit_says_so_shows_the_newer_values_and_saves_nothing(client, world, launch):
    services.change_launch(launch, expected_version=1, name="Hydro-Cell Pro")
    response = signed_in(client, world, "leader").post(
        url(world, f"{launch.pk}/edit/"),
        edit(launch, name="Hydro-Cell Old", version="1"),
        headers=HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved a change meanwhile" in html
    edit_form = html[html.index(f'id="launch-{launch.pk}-edit-details"') :]
    assert edit_form.startswith(f'id="launch-{launch.pk}-edit-details" open')
    assert 'value="Hydro-Cell Pro"' in edit_form and 'name="version" value="2"' in edit_form
    launch.refresh_from_db()
    assert (launch.name, launch.version) == ("Hydro-Cell Pro", 2)


def test_the_leader_deletes_a_launch_and_its_revenue(client, world, launch):
    response = signed_in(client, world, "leader").post(
        url(world, f"{launch.pk}/delete/"), headers=HTMX
    )
    assert response.status_code == 200
    assert "Launch “Hydro-Cell 1” removed." in response.content.decode()
    assert not MarketLaunch.objects.exists() and not LaunchRevenue.objects.exists()


def test_a_launch_of_another_project_is_not_found_here(client, world, launch):
    other = world["projects"]["submitted"]
    signed_in(client, world, "leader")
    response = client.post(f"/projects/{other.pk}/launches/{launch.pk}/delete/")
    assert response.status_code == 404
    assert MarketLaunch.objects.exists()


# --- Other projects it came from ---------------------------------------------------------------------


def test_the_leader_links_other_projects_they_lead_and_an_edit_by_the_member_keeps_them(
    client, world, launch
):
    submitted = world["projects"]["submitted"]
    signed_in(client, world, "leader")
    edit_form = client.get(url(world, f"{launch.pk}/edit/"), headers=HTMX).content.decode()
    assert "SUBMIT — SUBMIT project" in edit_form and "FLABEL" not in edit_form
    response = client.post(
        url(world, f"{launch.pk}/edit/"),
        {**edit(launch), "other_projects": [submitted.pk]},
        headers=HTMX,
    )
    assert response.status_code == 200, response.content.decode()
    assert list(launch.other_projects.all()) == [submitted]
    # The member leads no project: no choice for them, and their edit keeps the link.
    launch.refresh_from_db()
    signed_in(client, world, "member")
    html = client.get(url(world, f"{launch.pk}/edit/"), headers=HTMX).content.decode()
    assert 'name="version"' in html and 'name="other_projects"' not in html
    response = client.post(
        url(world, f"{launch.pk}/edit/"), edit(launch, name="Hydro-Cell One"), headers=HTMX
    )
    assert response.status_code == 200
    assert list(launch.other_projects.all()) == [submitted]
    # SUBMIT's page names it among the launches that also came from it.
    html = client.get(f"/projects/{submitted.pk}/launches/").content.decode()
    assert "Hydro-Cell One" in html and "FUNDED" in html
    # The funder sees FUNDED, not SUBMIT (not labelled): the link is not shown to them.
    html = signed_in(client, world, "funder").get(url(world)).content.decode()
    assert "Hydro-Cell One" in html and "SUBMIT" not in html
    # On SUBMIT's page: named to its leader; not to its expert, who does not see FUNDED.
    html = signed_in(client, world, "leader").get(f"/projects/{submitted.pk}/").content.decode()
    assert "also came from this one" in html and "Hydro-Cell One" in html
    html = signed_in(client, world, "expert").get(f"/projects/{submitted.pk}/").content.decode()
    assert 'id="launches"' in html and "Hydro-Cell One" not in html


def test_a_project_one_does_not_lead_cannot_be_linked(client, world, launch):
    foreign = world["projects"]["foreign_labelled"]
    response = signed_in(client, world, "leader").post(
        url(world, f"{launch.pk}/edit/"),
        {**edit(launch), "other_projects": [foreign.pk]},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert not launch.other_projects.exists()


# --- Revenue by year ----------------------------------------------------------------------------------


def test_revenue_is_added_replaced_and_removed_inline(client, world, launch):
    signed_in(client, world, "member")
    revenues = url(world, f"{launch.pk}/revenues/")
    response = client.post(revenues, {"year": "2027", "amount": "125000,50"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "€125,000.50" in html and "€165,000.50" in html  # the year and the total
    client.post(revenues, {"year": "2027", "amount": "130000 €"}, headers=HTMX)
    assert dict(launch.revenues.values_list("year", "amount")) == {
        2026: Decimal("40000.00"),
        2027: Decimal("130000.00"),
    }
    revenue = launch.revenues.get(year=2026)
    response = client.post(url(world, f"{launch.pk}/revenues/{revenue.pk}/delete/"), headers=HTMX)
    assert response.status_code == 200
    assert "Revenue of “Hydro-Cell 1” for 2026 removed." in response.content.decode()
    assert list(launch.revenues.values_list("year", flat=True)) == [2027]


def test_staff_cannot_touch_revenue(client, world, launch):
    signed_in(client, world, "staff")
    revenue = launch.revenues.get()
    response = client.post(url(world, f"{launch.pk}/revenues/"), {"year": "2027", "amount": "1"})
    assert response.status_code == 404
    assert client.post(url(world, f"{launch.pk}/revenues/{revenue.pk}/delete/")).status_code == 404
    assert launch.revenues.count() == 1


# --- Bad input: a message, nothing saved ------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"launch_date": "2025-12-31"}, "launch_date", "A launch cannot come before its project"),
        ({"markets": "FR, XX, France"}, "markets", "Not ISO country codes: XX, FRANCE"),
        ({"trl_reached": "0"}, "trl_reached", "greater than or equal to 1"),
        ({"trl_reached": "10"}, "trl_reached", "less than or equal to 9"),
        ({"name": ""}, "name", "This field is required"),
    ],
)
def test_a_bad_launch_saves_nothing(client, world, changes, field, message):
    response = signed_in(client, world, "leader").post(
        url(world, "new/"), new_launch(world, **changes), headers=HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    add_form = html[html.index('id="add-launch"') :]
    assert add_form.startswith('id="add-launch" open') and 'aria-invalid="true"' in add_form
    assert not MarketLaunch.objects.filter(name="Hydro-Cell 2").exists()


def test_without_htmx_bad_input_shows_the_section_on_a_page_of_its_own(client, world):
    response = signed_in(client, world, "leader").post(
        url(world, "new/"), new_launch(world, markets="Europe")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and "FUNDED — FUNDED project" in html
    assert "Not ISO country codes: EUROPE" in html
    assert not MarketLaunch.objects.filter(name="Hydro-Cell 2").exists()


def test_a_bad_edit_saves_nothing(client, world, launch):
    response = signed_in(client, world, "leader").post(
        url(world, f"{launch.pk}/edit/"),
        edit(launch, name="Changed", launch_date="2025-06-01"),
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "A launch cannot come before its project" in response.content.decode()
    launch.refresh_from_db()
    assert (launch.name, launch.version) == ("Hydro-Cell 1", 1)


def test_moving_the_launch_after_a_year_with_revenue_is_refused(client, world, launch):
    response = signed_in(client, world, "leader").post(
        url(world, f"{launch.pk}/edit/"), edit(launch, launch_date="2027-01-15"), headers=HTMX
    )
    assert response.status_code == 400
    assert "Revenue is recorded for years before this date." in response.content.decode()
    launch.refresh_from_db()
    assert launch.launch_date == datetime.date(2026, 6, 1) and launch.version == 1


@pytest.mark.parametrize(
    "year,amount,message",
    [
        ("2025", "1000", "This year is before the launch (2026)."),
        ("2027", "1000 USD", "Amounts are in euros"),
        ("2027", "$1000", "Amounts are in euros"),
        ("2027", "1 000 £", "Amounts are in euros"),
        ("2027", "-1000", "An amount cannot be negative."),
        ("2027", "1e6", "is not an amount in euros"),
        ("1900", "1000", "greater than or equal to 1990"),
    ],
)
def test_bad_revenue_saves_nothing(client, world, launch, year, amount, message):
    response = signed_in(client, world, "leader").post(
        url(world, f"{launch.pk}/revenues/"), {"year": year, "amount": amount}, headers=HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="launch-{launch.pk}-revenue-details" open' in html
    assert list(launch.revenues.values_list("year", flat=True)) == [2026]


# --- The list of launches ---------------------------------------------------------------------------------


def _second_launch(world):
    """A licence of the leader's company on FUNDED, 2027, no revenue yet."""
    return services.record_launch(
        project=world["projects"]["funded"],
        partner=partner(world, "coordinator"),
        name='=HYPERLINK("http://evil.example")',
        kind="licence",
        launch_date=datetime.date(2027, 2, 1),
        markets=["US"],
        trl_reached=7,
    )


@pytest.mark.parametrize(
    "role,listed", [("leader", 2), ("staff", 2), ("funder", 2), ("expert", 0), ("outsider", 0)]
)
def test_the_list_shows_every_launch_one_may_see(client, world, launch, role, listed):
    _second_launch(world)
    html = signed_in(client, world, role).get("/launches/").content.decode()
    assert f"{listed} launch" in html
    assert ("Hydro-Cell 1" in html) is bool(listed)
    assert 'href="/launches/"' in html  # in the navigation of everyone signed in


def test_the_list_filters_with_htmx(client, world, launch):
    _second_launch(world)
    signed_in(client, world, "staff")
    response = client.get("/launches/?kind=licence", headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="launch-results"')
    assert "1 launch" in html and "HYPERLINK" in html and "Hydro-Cell 1" not in html
    html = client.get("/launches/?year=2026").content.decode()
    assert "Hydro-Cell 1" in html and "HYPERLINK" not in html
    html = client.get("/launches/?category=research").content.decode()
    assert "0 launches" in html
    own, foreign = world["poles"]["own"], world["poles"]["foreign"]
    assert "2 launches" in client.get(f"/launches/?pole={own.pk}").content.decode()
    assert "0 launches" in client.get(f"/launches/?pole={foreign.pk}").content.decode()


def test_the_exports_hold_the_filtered_launches_safely(client, world, launch):
    _second_launch(world)
    signed_in(client, world, "funder")
    response = client.get("/launches/export.csv?kind=licence")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2 and rows[1][0] == "FUNDED"
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'
    response = client.get("/launches/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 3
    hydro = next(row for row in values if row[1] == "Hydro-Cell 1")
    assert hydro[6] == "FR, DE" and hydro[8] == 40000
    evil = next(cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value))
    assert evil.data_type == "s"
    signed_in(client, world, "outsider")
    response = client.get("/launches/export.csv")
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 1
