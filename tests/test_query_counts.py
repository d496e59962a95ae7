"""The number of SQL queries of each page does not grow with the data it shows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.services import record_funding_line
from portal.models import Organisation
from portal.services import create_organisation
from projects import services
from projects.models import Contact

from .factories import valid_siren
from .world import build_world

pytestmark = pytest.mark.django_db


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _grow(world, n=6):
    """More of everything each page lists: projects, partners, contacts, funding lines."""
    people, project = world["people"], world["projects"]["funded"]
    funder = project.funding_lines.first().funder
    for i in range(n):
        org = create_organisation(
            Organisation(
                legal_name=f"Growth {i}",
                siren=valid_siren(5000 + i),
                category="sme",
                region="ARA",
                directory_consent=True,
            ),
            admin=people["outsider"],
        )
        partner = services.add_partner(
            project,
            organisation=org,
            personnel_costs=Decimal("1000.00"),
            contacts=[(people["member"], Contact.Role.PARTNER_CONTACT)],
        )
        record_funding_line(
            project=project, partner=partner, funder=funder, amount_requested=Decimal("10.00")
        )
        extra = services.create_project(
            by=people["leader"],
            coordinator=world["organisations"]["leader"],
            acronym=f"X{i}",
            title="x",
        )
        services.submit_project(extra, [world["poles"]["own"]], by=people["leader"])


PAGES = [
    ("leader", "/"),
    ("staff", "/"),
    ("funder", "/"),
    ("leader", "/projects/"),
    ("staff", "/projects/"),
    ("member", "/projects/{funded}/"),
    ("leader", "/projects/{funded}/"),
    ("funder", "/projects/{funded}/"),
    ("outsider", "/directory/"),
    ("leader", "/api/v1/projects/"),
    ("member", "/api/v1/projects/{funded}/"),
    ("member", "/api/v1/partners/"),
    ("outsider", "/api/v1/organisations/"),
]


@pytest.mark.parametrize("role,path", PAGES)
def test_query_count_does_not_grow_with_the_data(client, role, path):
    world = build_world()
    url = path.format(funded=world["projects"]["funded"].pk)
    client.force_login(world["people"][role])
    before = _queries(client, url)
    _grow(world)
    assert _queries(client, url) == before


def test_htmx_fragment_of_the_project_list_is_as_cheap_as_the_page(client):
    world = build_world()
    client.force_login(world["people"]["staff"])
    before = _queries(client, "/projects/?state=submitted", HX_Request="true")
    _grow(world)
    assert _queries(client, "/projects/?state=submitted", HX_Request="true") == before
