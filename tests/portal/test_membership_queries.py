"""The membership pages' SQL queries do not grow with the members, applications, fee calls
and payments they list."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import services
from portal.models import Affiliation, FeeCall, FeeSchedule, Membership, Organisation, Payment

from ..factories import valid_siren
from ..world import build_world

pytestmark = pytest.mark.django_db

PAGES = [
    ("staff", "/"),
    ("leader", "/"),
    ("leader", "/memberships/"),
    ("staff", "/poles/{pole}/applications/"),
    ("staff", "/poles/{pole}/members/"),
    ("staff", "/poles/{pole}/fees/"),
    ("staff", "/poles/{pole}/fee-calls/"),
    ("staff", "/poles/{pole}/fee-calls/?status=overdue"),
    ("staff", "/poles/{pole}/members/{membership}/"),
    ("staff", "/poles/{pole}/fee-calls/{call}/"),
    ("staff", "/poles/{pole}/fee-calls/export.xlsx"),
    ("staff", "/poles/{pole}/payments/export.xlsx"),
    ("staff", "/api/v1/applications/"),
    ("staff", "/api/v1/memberships/"),
    ("staff", "/api/v1/fee-calls/"),
    ("staff", "/api/v1/payments/"),
    ("staff", "/api/v1/fee-schedules/"),
    ("leader", "/api/v1/fee-calls/"),
]
DOSSIER = {"activities": "Composites.", "needs": "Partners."}


def _member(world, n):
    """One more organisation of the leader's, a member of the own pole with a fee call of
    this year partly paid (twice), and an application of another of the leader's to it."""
    pole, leader = world["poles"]["own"], world["people"]["leader"]
    year = timezone.localdate().year
    organisation = services.create_organisation(
        Organisation(
            legal_name=f"Member {n}",
            siren=valid_siren(7000 + n),
            category="sme",
            headcount=20,
            region="ARA",
        ),
        admin=leader,
    )
    Affiliation.objects.create(person=world["people"]["member"], organisation=organisation)
    membership = Membership.objects.create(
        organisation=organisation,
        pole=pole,
        status=Membership.Status.CURRENT,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )
    call = FeeCall.objects.create(
        membership=membership,
        year=year,
        amount=Decimal("900.00"),
        due_date=timezone.localdate() - datetime.timedelta(days=n + 1),
    )
    for amount in ("100.00", "200.00"):
        Payment.objects.create(fee_call=call, paid_on=timezone.localdate(), amount=Decimal(amount))
    applicant = services.create_organisation(
        Organisation(
            legal_name=f"Applicant {n}", siren=valid_siren(7500 + n), category="micro", region="ARA"
        ),
        admin=leader,
    )
    services.apply_for_membership(pole, applicant, by=leader, people=[leader], **DOSSIER)
    return membership, call


def _queries(client, url):
    client.get(url)  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("role,path", PAGES)
def test_query_count_does_not_grow_with_the_members(client, role, path):
    world = build_world()
    year = timezone.localdate().year
    FeeSchedule.objects.create(pole=world["poles"]["own"], year=year, category="sme", amount=1)
    membership, call = _member(world, 0)
    url = path.format(pole=world["poles"]["own"].pk, membership=membership.pk, call=call.pk)
    client.force_login(world["people"][role])
    before = _queries(client, url)
    for n in range(1, 7):
        _member(world, n)
    assert _queries(client, url) <= before
