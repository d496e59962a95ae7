"""Market launches in the API: the same people as on the project page see, record and change
them; revenue is in euros only; a change over a newer version is a 409."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import services
from outcomes.models import LaunchRevenue, MarketLaunch
from tests.world import build_world

from ..shared import module_world
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LAUNCHES = "/api/v1/launches/"
REVENUES = "/api/v1/launch-revenues/"


built_world, world = module_world(
    lambda: build_outcomes(build_world()), language="en", client_language="en"
)


@pytest.fixture
def launch(world):
    return world["extra"]["funded:launch"]


def as_role(client, world, role):
    client.force_login(world["people"][role])
    return client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def partner(world, key="member"):
    funded = world["projects"]["funded"]
    if key == "coordinator":
        return funded.partners.get(role="coordinator")
    return funded.partners.get(organisation=world["organisations"]["member"])


def new_launch(world, **changes):
    return {
        "project": world["projects"]["funded"].pk,
        "partner": partner(world).pk,
        "name": "Hydro-Cell 2",
        "kind": "service",
        "launch_date": "2027-03-01",
        "markets": ["fr", "de"],
        "trl_reached": 9,
        **changes,
    }


# --- Reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "member", "staff", "funder"])
def test_the_launches_of_the_projects_one_sees_in_full(client, world, launch, role):
    data = as_role(client, world, role).get(LAUNCHES).json()
    assert data["count"] == 1
    (row,) = data["results"]
    assert row["name"] == "Hydro-Cell 1" and row["partner_name"] == "Member Lab"
    assert row["markets"] == ["FR", "DE"] and row["trl_reached"] == 8
    assert row["revenues"] == [{"id": launch.revenues.get().pk, "year": 2026, "amount": "40000.00"}]
    assert (row["revenue_total"], row["version"]) == ("40000.00", 1)
    assert client.get(f"{LAUNCHES}{launch.pk}/").json()["name"] == "Hydro-Cell 1"


@pytest.mark.parametrize("role", ["expert", "outsider"])
def test_the_others_find_no_launch(client, world, launch, role):
    as_role(client, world, role)
    assert client.get(LAUNCHES).json()["count"] == 0
    assert client.get(f"{LAUNCHES}{launch.pk}/").status_code == 404
    assert client.get(REVENUES).json()["count"] == 0
    assert client.get(f"{REVENUES}{launch.revenues.get().pk}/").status_code == 404


def test_the_list_filters_by_project(client, world, launch):
    as_role(client, world, "leader")
    funded, submitted = world["projects"]["funded"], world["projects"]["submitted"]
    assert client.get(f"{LAUNCHES}?project={funded.pk}").json()["count"] == 1
    assert client.get(f"{LAUNCHES}?project={submitted.pk}").json()["count"] == 0


@pytest.mark.parametrize("role", ["expert", "outsider"])
def test_a_hidden_object_filters_as_one_that_does_not_exist(client, world, launch, role):
    as_role(client, world, role)
    hidden = {
        LAUNCHES + "?project=": world["projects"]["foreign_draft"].pk,
        LAUNCHES + "?partner=": launch.partner_id,
        REVENUES + "?launch=": launch.pk,
    }
    for url, pk in hidden.items():
        for value in (pk, 999999):
            response = client.get(f"{url}{value}")
            assert (response.status_code, response.json()["count"]) == (200, 0), url
        assert client.get(f"{url}x").status_code == 400


def test_the_list_costs_the_same_whatever_the_number_of_launches(client, world, launch):
    as_role(client, world, "leader")
    client.get(LAUNCHES)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(LAUNCHES).status_code == 200
        return len(context.captured_queries)

    before = queries()
    submitted = world["projects"]["submitted"]
    for i in range(5):
        more = services.record_launch(
            project=world["projects"]["funded"],
            partner=partner(world, "coordinator"),
            other_projects=[submitted],
            name=f"More {i}",
            launch_date=datetime.date(2026, 7, 1),
            trl_reached=7,
            revenues={2026: Decimal("1.00"), 2027: Decimal("2.00")},
        )
        assert more.other_projects.get() == submitted
    assert queries() == before


# --- Recording --------------------------------------------------------------------------------------


def test_the_leader_records_a_launch(client, world):
    response = post(as_role(client, world, "leader"), LAUNCHES, new_launch(world))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["markets"], data["revenues"], data["revenue_total"]) == (["FR", "DE"], [], None)
    added = MarketLaunch.objects.get(pk=data["id"])
    assert added.history.get().history_user == world["people"]["leader"]


def test_a_partner_contact_records_their_own_partners_launches_only(client, world):
    as_role(client, world, "member")
    response = post(client, LAUNCHES, new_launch(world, partner=partner(world, "coordinator").pk))
    assert response.status_code == 400 and list(response.json()) == ["partner"]
    assert post(client, LAUNCHES, new_launch(world)).status_code == 201


@pytest.mark.parametrize("role", ["staff", "funder", "expert", "outsider"])
def test_the_others_record_nothing(client, world, role):
    response = post(as_role(client, world, role), LAUNCHES, new_launch(world))
    assert response.status_code == 404
    assert not MarketLaunch.objects.filter(name="Hydro-Cell 2").exists()


def test_a_project_one_does_not_see_is_not_found(client, world):
    foreign = world["projects"]["foreign_draft"]
    response = post(
        as_role(client, world, "leader"), LAUNCHES, new_launch(world, project=foreign.pk)
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"launch_date": "2025-12-31"}, "launch_date"),
        ({"markets": ["FR", "Germany"]}, "markets"),
        ({"markets": "FR"}, "markets"),
        ({"trl_reached": 10}, "trl_reached"),
        ({"trl_reached": 0}, "trl_reached"),
        ({"kind": "gadget"}, "kind"),
    ],
)
def test_a_bad_launch_is_a_400_on_its_field(client, world, changes, field):
    response = post(as_role(client, world, "leader"), LAUNCHES, new_launch(world, **changes))
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not MarketLaunch.objects.filter(name="Hydro-Cell 2").exists()


def test_other_projects_are_projects_one_leads_and_another_leaders_links_stay(
    client, world, launch
):
    submitted, foreign = world["projects"]["submitted"], world["projects"]["foreign_labelled"]
    as_role(client, world, "leader")
    url = f"{LAUNCHES}{launch.pk}/"
    response = patch(client, url, {"other_projects": [foreign.pk]})
    assert response.status_code == 400 and list(response.json()) == ["other_projects"]
    response = patch(client, url, {"other_projects": [submitted.pk]})
    assert response.status_code == 200 and response.json()["other_projects"] == [submitted.pk]
    # The member leads nothing: they link nothing, and their change keeps the leader's links.
    as_role(client, world, "member")
    assert patch(client, url, {"other_projects": [submitted.pk]}).status_code == 400
    response = patch(client, url, {"other_projects": [], "name": "Hydro-Cell One"})
    assert response.status_code == 200 and response.json()["other_projects"] == [submitted.pk]


# --- Changing ------------------------------------------------------------------------------------------


def test_the_member_changes_their_launch_with_its_version(client, world, launch):
    url = f"{LAUNCHES}{launch.pk}/"
    response = patch(
        as_role(client, world, "member"), url, {"name": "Hydro-Cell One", "version": 1}
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["version"]) == ("Hydro-Cell One", 2)
    response = patch(client, url, {"name": "Hydro-Cell Old", "version": 1})
    assert response.status_code == 409
    assert response.json()["current"]["name"] == "Hydro-Cell One"
    assert response.json()["current"]["revenue_total"] == "40000.00"
    launch.refresh_from_db()
    assert (launch.name, launch.version) == ("Hydro-Cell One", 2)


def test_a_bad_change_saves_nothing(client, world, launch):
    url = f"{LAUNCHES}{launch.pk}/"
    as_role(client, world, "leader")
    response = patch(client, url, {"launch_date": "2027-02-01", "version": 1})
    assert response.status_code == 400 and list(response.json()) == ["launch_date"]
    launch.refresh_from_db()
    assert launch.launch_date == datetime.date(2026, 6, 1) and launch.version == 1


def test_put_is_not_offered(client, world, launch):
    response = as_role(client, world, "leader").put(
        f"{LAUNCHES}{launch.pk}/", new_launch(world), content_type="application/json"
    )
    assert response.status_code == 405


@pytest.mark.parametrize("role", ["staff", "funder", "expert", "outsider"])
def test_the_others_change_and_delete_nothing(client, world, launch, role):
    as_role(client, world, role)
    url = f"{LAUNCHES}{launch.pk}/"
    assert patch(client, url, {"name": "Mine"}).status_code == 404
    assert client.delete(url).status_code == 404
    launch.refresh_from_db()
    assert launch.name == "Hydro-Cell 1"


def test_the_member_deletes_their_launch(client, world, launch):
    response = as_role(client, world, "member").delete(f"{LAUNCHES}{launch.pk}/")
    assert response.status_code == 204
    assert not MarketLaunch.objects.exists() and not LaunchRevenue.objects.exists()


# --- Revenue ------------------------------------------------------------------------------------------------


def test_revenue_is_recorded_replaced_changed_and_deleted(client, world, launch):
    as_role(client, world, "member")
    response = post(
        client,
        REVENUES,
        {"launch": launch.pk, "year": 2027, "amount": "1250.50", "currency": "EUR"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["currency"] == "EUR"
    revenue_id = response.json()["id"]
    response = post(client, REVENUES, {"launch": launch.pk, "year": 2027, "amount": "1300"})
    assert response.status_code == 201 and response.json()["id"] == revenue_id  # replaced
    response = patch(client, f"{REVENUES}{revenue_id}/", {"amount": "1400.00", "year": 2030})
    assert response.status_code == 200 and response.json()["year"] == 2027
    assert launch.revenues.get(year=2027).amount == Decimal("1400.00")
    assert client.get(f"{LAUNCHES}{launch.pk}/").json()["revenue_total"] == "41400.00"
    assert client.delete(f"{REVENUES}{revenue_id}/").status_code == 204
    assert list(launch.revenues.values_list("year", flat=True)) == [2026]


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({"currency": "USD"}, "currency", "Amounts are in euros"),
        ({"amount": "1000 USD"}, "amount", "Amounts are in euros"),
        ({"amount": "$1000"}, "amount", "Amounts are in euros"),
        ({"amount": "-5"}, "amount", "An amount cannot be negative."),
        ({"amount": "1e6"}, "amount", "not an amount in euros"),
        ({"year": 2025}, "year", "This year is before the launch (2026)."),
    ],
)
def test_bad_revenue_is_a_400_on_its_field(client, world, launch, body, field, message):
    as_role(client, world, "leader")
    response = post(client, REVENUES, {"launch": launch.pk, "year": 2027, "amount": "10", **body})
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert launch.revenues.count() == 1


@pytest.mark.parametrize("role", ["staff", "funder", "expert", "outsider"])
def test_the_others_record_no_revenue(client, world, launch, role):
    as_role(client, world, role)
    response = post(client, REVENUES, {"launch": launch.pk, "year": 2027, "amount": "10"})
    assert response.status_code == 404
    revenue = launch.revenues.get()
    assert patch(client, f"{REVENUES}{revenue.pk}/", {"amount": "1"}).status_code == 404
    assert client.delete(f"{REVENUES}{revenue.pk}/").status_code == 404
    assert launch.revenues.get().amount == Decimal("40000.00")
