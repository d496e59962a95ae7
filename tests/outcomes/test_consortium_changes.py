"""A partner's figures follow it in and out of the consortium: one who joins has its figures
to fill in the reports still open (reading a report writes nothing); one who leaves takes
its figures of those reports with it, and stays while a submitted report holds its figures."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outcomes import services
from outcomes.models import PartnerFigures
from projects import services as project_services
from projects.models import Contact, Partner
from tests.world import _organisation, build_world

from ..shared import build_once
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

COMPLETE = {
    "revenue": Decimal("100000.00"),
    "export_share": Decimal("25"),
    "jobs_created": Decimal("2.5"),
    "jobs_maintained": Decimal("4"),
    "patents_filed": 1,
    "patents_granted": 0,
    "publications": 3,
    "follow_on_funding": Decimal("0"),
}


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
def newcomer(world):
    """A partner who joins FUNDED after its report was asked for, the outsider its contact."""
    people = world["people"]
    return project_services.add_partner(
        world["projects"]["funded"],
        organisation=_organisation("Extra SARL", people["outsider"], 7),
        personnel_costs=Decimal("1000.00"),
        contacts=[(people["outsider"], Contact.Role.PARTNER_CONTACT)],
    )


def _submit(world, report):
    leader = world["people"]["leader"]
    for figures in report.figures.all():
        services.save_figures(figures, by=leader, **COMPLETE)
    services.save_report(report, by=leader, narrative="A pilot line.", spin_offs=0)
    return services.submit_report(report, by=leader)


def _remove(client, world, partner):
    client.force_login(world["people"]["leader"])
    url = f"/projects/{partner.project_id}/partners/{partner.pk}/remove/"
    return client.post(url, follow=True)


# --- Joining ------------------------------------------------------------------------------


def test_a_partner_who_joins_has_its_figures_to_fill(report, newcomer):
    assert report.figures.filter(partner=newcomer).exists()


def test_reading_a_report_writes_nothing(client, world, report, newcomer):
    PartnerFigures.objects.filter(partner=newcomer).delete()  # a row missing, whatever the cause
    for role in ("funder", "staff", "member", "leader"):
        client.force_login(world["people"][role])
        assert client.get(f"/reports/{report.pk}/").status_code == 200
        assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200
        assert not report.figures.filter(partner=newcomer).exists(), role


def test_the_newcomers_contact_fills_its_figures_on_the_page(client, world, report, newcomer):
    client.force_login(world["people"]["outsider"])
    figures = report.figures.get(partner=newcomer)
    response = client.post(
        f"/reports/{report.pk}/figures/{figures.pk}/",
        {"revenue": "12", "version": str(figures.version)},
    )
    assert response.status_code == 302
    figures.refresh_from_db()
    assert figures.revenue == Decimal("12.00")


def test_a_partner_who_joins_a_submitted_report_gets_its_row_when_returned(world, report):
    _submit(world, report)
    people = world["people"]
    partner = project_services.add_partner(
        world["projects"]["funded"],
        organisation=_organisation("Late SARL", people["outsider"], 9),
    )
    assert not report.figures.filter(partner=partner).exists()  # what was submitted stays
    services.return_report(report, comments="Add the new partner.", by=people["staff"])
    assert report.figures.filter(partner=partner).exists()


# --- Leaving ------------------------------------------------------------------------------


def test_a_partner_leaves_with_its_figures_of_an_open_report(world, report, newcomer):
    services.save_figures(report.figures.get(partner=newcomer), revenue=Decimal("5"))
    project_services.remove_partner(newcomer)
    assert not Partner.objects.filter(pk=newcomer.pk).exists()
    assert not PartnerFigures.objects.filter(partner_id=newcomer.pk).exists()
    assert report.figures.count() == 2


@pytest.mark.parametrize("state", ["submitted", "validated"])
def test_a_partner_with_submitted_figures_stays(world, report, newcomer, state):
    _submit(world, report)
    if state == "validated":
        services.validate_report(report, by=world["people"]["staff"])
    with pytest.raises(ValidationError) as caught:
        project_services.remove_partner(newcomer)
    assert "Extra SARL has figures in outcome reports submitted to the pole (2026" in str(
        caught.value
    )
    assert Partner.objects.filter(pk=newcomer.pk).exists()
    assert report.figures.count() == 3


def test_the_leader_is_told_why_a_partner_stays(client, world, report, newcomer):
    _submit(world, report)
    services.validate_report(report, by=world["people"]["staff"])
    html = _remove(client, world, newcomer).content.decode()
    assert "Extra SARL has figures in outcome reports submitted to the pole" in html
    assert report.figures.filter(partner=newcomer).exists()


def test_the_leader_removes_a_partner_with_open_figures_on_the_page(
    client, world, report, newcomer
):
    response = _remove(client, world, newcomer)
    assert "Extra SARL left the consortium." in response.content.decode()
    assert report.figures.count() == 2


def test_a_partner_with_a_launch_stays_and_the_leader_is_told_why(client, world, report):
    launch = world["extra"]["funded:launch"]
    html = _remove(client, world, launch.partner).content.decode()
    assert "Records still depend on this partner (funding lines, market launches)" in html
    assert Partner.objects.filter(pk=launch.partner_id).exists()
    assert report.figures.filter(partner=launch.partner).exists()  # nothing went
