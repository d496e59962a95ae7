"""What a report pre-fills from the portal: only for the partners the reader fills, from the
launches the reader sees, each launch counted once however many projects it came from."""

import copy
import datetime
from decimal import Decimal

import pytest

from funding.services import record_private_round
from outcomes import services
from projects import services as project_services
from tests.world import _organisation, build_world

from ..shared import build_once
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]


@pytest.fixture(scope="module", autouse=True)
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(
        django_db_blocker, lambda: build_outcomes(build_world()), language="en", site=True
    )


@pytest.fixture
def world(built_world, db):
    return copy.deepcopy(built_world)


@pytest.fixture
def report(world):
    return world["extra"]["funded:report"]


@pytest.fixture
def member_partner(world):
    return world["extra"]["funded:member_figures"].partner


@pytest.fixture
def secret_round(member_partner):
    """A round the member's company closed in the campaign's year: funders see its total only."""
    return record_private_round(
        member_partner,
        amount=Decimal("777000.00"),
        closed_on=datetime.date(2026, 5, 1),
        kind="equity",
        investors="Secret VC",
    )


def test_a_launch_from_several_projects_counts_once(world, report, member_partner):
    launch = world["extra"]["funded:launch"]
    projects = world["projects"]
    services.change_launch(
        launch,
        other_projects=[projects["draft"], projects["submitted"]],
        by=world["people"]["leader"],
    )
    suggested = services.suggested_figures(report, world["people"]["leader"])
    assert suggested[member_partner.pk]["revenue"] == Decimal("40000.00")


def test_revenue_comes_only_from_launches_the_reader_sees(world, report, member_partner):
    """A launch of another consortium's project that names FUNDED among its projects: its
    leaders see it, FUNDED's do not, and its revenue is not theirs to be told."""
    people = world["people"]
    other_org = _organisation("Hidden SAS", people["outsider"], 8)
    hidden = project_services.create_project(
        by=people["outsider"],
        coordinator=other_org,
        acronym="HIDDEN",
        title="Hidden project",
        start_date=datetime.date(2026, 1, 1),
    )
    partner = project_services.add_partner(hidden, organisation=world["organisations"]["member"])
    services.record_launch(
        project=hidden,
        partner=partner,
        other_projects=[world["projects"]["funded"]],
        name="Hidden product",
        launch_date=datetime.date(2026, 9, 1),
        trl_reached=7,
        revenues={2026: Decimal("9000.00")},
    )
    for role in ("leader", "member"):
        suggested = services.suggested_figures(report, people[role])
        assert suggested[member_partner.pk]["revenue"] == Decimal("40000.00"), role


def test_only_the_partners_one_fills_get_suggestions(world, report, member_partner, secret_round):
    people = world["people"]
    member = services.suggested_figures(report, people["member"])
    assert member == {
        member_partner.pk: {
            "revenue": Decimal("40000.00"),
            "follow_on_funding": Decimal("777000.00"),
        }
    }
    assert len(services.suggested_figures(report, people["leader"])) == 2
    for role in ("staff", "funder"):
        assert services.suggested_figures(report, people[role]) == {}


def test_a_funder_reads_no_private_round_in_the_api(client, world, report, secret_round):
    client.force_login(world["people"]["funder"])
    response = client.get(f"/api/v1/reports/{report.pk}/")
    assert response.status_code == 200
    assert response.json()["suggested"] == []
    assert "777000" not in response.content.decode()
    client.force_login(world["people"]["member"])
    (row,) = client.get(f"/api/v1/reports/{report.pk}/").json()["suggested"]
    assert row["follow_on_funding"] == "777000.00" and row["revenue"] == "40000.00"


def test_a_funder_reads_no_private_round_on_the_page(client, world, report, secret_round):
    client.force_login(world["people"]["funder"])
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "777" not in html and "pre-filled from the portal" not in html
