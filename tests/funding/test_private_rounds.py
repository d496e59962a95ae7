"""Private rounds: money the partner companies raised on the strength of the project,
recorded by the leaders; funders see their total, never the investors."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import PrivateRound
from funding.services import change_private_round, record_private_round
from portal.models import Organisation
from projects import services as project_services
from projects.history import project_history
from tests.factories import OrganisationFactory

from ..shared import module_world
from .records import funding_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CLOSED = datetime.date(2026, 5, 12)


built_world, world = module_world(funding_world, language="en", client_language="en")


@pytest.fixture
def company(world):
    """The member's partner on FUNDED: an SME."""
    return world["projects"]["funded"].partners.get(organisation=world["organisations"]["member"])


@pytest.fixture
def lab(world):
    return project_services.add_partner(
        world["projects"]["funded"],
        organisation=OrganisationFactory(category=Organisation.Category.RESEARCH),
    )


def page_url(world, suffix=""):
    return f"/projects/{world['projects']['funded'].pk}/funding/{suffix}"


def test_a_company_records_its_round_and_its_changes_are_in_the_history(world, company):
    leader = world["people"]["leader"]
    private_round = record_private_round(
        company,
        by=leader,
        kind="equity",
        amount=Decimal("1200000.00"),
        investors="Fund A",
        closed_on=CLOSED,
    )
    change_private_round(private_round, by=leader, amount=Decimal("1250000.00"))
    entries = [
        e
        for e in project_history(world["people"]["staff"], company.project).entries
        if e.kind == "private_round"
    ]
    assert [e.action for e in entries] == ["changed", "created"]
    amount = next(c for c in entries[0].changes if c.name == "amount")
    assert (amount.before_value, amount.after_value, entries[0].who) == (
        "1200000.00",
        "1250000.00",
        leader,
    )
    # A funder's reviewer reads nothing of the rounds in the history.
    funder_entries = project_history(world["people"]["funder"], company.project).entries
    assert not [e for e in funder_entries if e.kind == "private_round"]


@pytest.mark.parametrize("category", ["research", "school", "public"])
def test_research_schools_and_public_bodies_raise_no_round(world, category):
    partner = project_services.add_partner(
        world["projects"]["funded"], organisation=OrganisationFactory(category=category)
    )
    with pytest.raises(ValidationError) as caught:
        record_private_round(partner, kind="equity", amount=Decimal("1000.00"), closed_on=CLOSED)
    assert list(caught.value.message_dict) == ["partner"]
    assert not PrivateRound.objects.exists()


def test_the_leader_records_a_round_on_the_page(client, world, company, lab):
    client.force_login(world["people"]["leader"])
    form = client.get(page_url(world, "rounds/"), headers={"HX-Request": "true"}).content.decode()
    assert "Member Lab" in form and lab.organisation.legal_name not in form  # companies only
    response = client.post(
        page_url(world, "rounds/"),
        {
            "partner": company.pk,
            "kind": "equity",
            "amount": "800000",
            "investors": "Business angels of Lyon",
            "closed_on": "2026-05-12",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Business angels of Lyon" in response.content.decode()
    assert PrivateRound.objects.get().amount == Decimal("800000.00")
    response = client.post(
        page_url(world, "rounds/"),
        {"partner": lab.pk, "kind": "equity", "amount": "10", "closed_on": "2026-05-12"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Private rounds are raised by companies" in response.content.decode()
    assert PrivateRound.objects.count() == 1


def test_funders_see_the_total_only_and_others_nothing(client, world, company):
    record_private_round(
        company,
        kind="equity",
        amount=Decimal("500000.00"),
        investors="Secret Fund",
        closed_on=CLOSED,
    )
    client.force_login(world["people"]["funder"])
    html = client.get(page_url(world)).content.decode()
    assert "Secret Fund" not in html and "500,000.00" in html
    client.force_login(world["people"]["member"])
    html = client.get(page_url(world)).content.decode()
    assert "Secret Fund" in html
    assert client.post(page_url(world, "rounds/"), {}).status_code == 404


def test_the_api_lists_and_records_rounds_for_the_right_people(client, world, company):
    body = {
        "partner": company.pk,
        "kind": "equity",
        "amount": "250000.00",
        "investors": "Seed club",
        "closed_on": "2026-05-12",
    }
    for role in ("member", "staff", "funder", "expert", "outsider"):
        client.force_login(world["people"][role])
        response = client.post("/api/v1/private-rounds/", body, content_type="application/json")
        assert response.status_code == 404, role
    client.force_login(world["people"]["leader"])
    response = client.post("/api/v1/private-rounds/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    for role, count in [("leader", 1), ("member", 1), ("staff", 1), ("funder", 0), ("expert", 0)]:
        client.force_login(world["people"][role])
        assert len(client.get("/api/v1/private-rounds/").json()["results"]) == count, role
    client.force_login(world["people"]["leader"])
    response = client.patch(
        f"/api/v1/private-rounds/{pk}/", {"amount": "-5"}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.delete(f"/api/v1/private-rounds/{pk}/")
    assert response.status_code == 204
    assert not PrivateRound.objects.exists()
