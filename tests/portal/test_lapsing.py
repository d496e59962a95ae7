"""Memberships lapse by their dates: new in their first year, current while paid up, in their
grace period for MEMBERSHIP_GRACE_DAYS after the end date while the year's fee is unpaid,
expired after — unless the pole's staff set the status by hand."""

import datetime
from decimal import Decimal

import pytest

from portal import services
from portal.models import Affiliation, FeeCall, Membership, Notification, Payment

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, pole_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

D = datetime.date
Status = Membership.Status


@pytest.mark.parametrize(
    "status,start,end,today,expected",
    [
        (Status.NEW, D(2026, 3, 1), D(2026, 12, 31), D(2026, 6, 1), Status.NEW),
        (Status.NEW, D(2025, 3, 1), D(2026, 12, 31), D(2026, 1, 1), Status.CURRENT),
        (Status.CURRENT, D(2020, 1, 1), D(2026, 12, 31), D(2026, 12, 31), Status.CURRENT),
        (Status.CURRENT, D(2020, 1, 1), D(2025, 12, 31), D(2026, 1, 1), Status.GRACE),
        (Status.CURRENT, D(2020, 1, 1), D(2025, 12, 31), D(2026, 3, 31), Status.GRACE),  # day 90
        (Status.GRACE, D(2020, 1, 1), D(2025, 12, 31), D(2026, 4, 1), Status.EXPIRED),  # day 91
        (Status.EXPIRED, D(2020, 1, 1), D(2026, 12, 31), D(2026, 5, 1), Status.CURRENT),
        (Status.APPLIED, None, None, D(2026, 5, 1), Status.APPLIED),
        (Status.REJECTED, None, None, D(2026, 5, 1), Status.REJECTED),
        (Status.CURRENT, D(2020, 1, 1), None, D(2026, 5, 1), Status.CURRENT),  # no date to go by
    ],
)
def test_the_dates_give_the_status(status, start, end, today, expected):
    membership = Membership(status=status, start_date=start, end_date=end)
    assert services.status_on(membership, today, grace=90) == expected


def test_the_grace_period_is_a_setting(settings):
    settings.MEMBERSHIP_GRACE_DAYS = 30
    membership = Membership(
        status=Status.CURRENT, start_date=D(2020, 1, 1), end_date=D(2025, 12, 31)
    )
    assert services.status_on(membership, D(2026, 1, 30)) == Status.GRACE
    assert services.status_on(membership, D(2026, 1, 31)) == Status.EXPIRED


SINCE = D(2020, 1, 1)


def _member(name, status, end, start=SINCE, override=False):
    organisation = OrganisationFactory(legal_name=name)
    admin = PersonFactory(email=f"admin@{name.lower().replace(' ', '-')}.example")
    Affiliation.objects.create(person=admin, organisation=organisation, is_admin=True)
    return MembershipFactory(
        organisation=organisation,
        status=status,
        start_date=start,
        end_date=end,
        status_override=override,
    )


def test_the_daily_update_moves_memberships_by_their_dates(django_capture_on_commit_callbacks):
    today = D(2026, 5, 1)
    lapsing = _member("Lapsing", Status.CURRENT, D(2026, 3, 31))
    gone = _member("Gone", Status.GRACE, D(2025, 12, 31))
    fine = _member("Fine", Status.CURRENT, D(2026, 12, 31))
    kept = _member("Kept By Hand", Status.CURRENT, D(2024, 12, 31), override=True)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.update_membership_statuses(today=today, grace=90)
    assert moved == {Status.GRACE: 1, Status.EXPIRED: 1}
    for membership, expected in [
        (lapsing, Status.GRACE),
        (gone, Status.EXPIRED),
        (fine, Status.CURRENT),
        (kept, Status.CURRENT),
    ]:
        membership.refresh_from_db()
        assert membership.status == expected, membership.organisation
    subjects = set(Notification.objects.values_list("subject", flat=True))
    assert subjects == {
        f"Your membership of {lapsing.pole} is in its grace period",
        f"Your membership of {gone.pole} has expired",
    }
    # Run again: nothing moves, nobody is told twice.
    assert services.update_membership_statuses(today=today, grace=90) == {}
    assert Notification.objects.count() == 2


def test_a_paid_fee_call_keeps_the_member_current():
    membership = _member("Payer", Status.CURRENT, D(2025, 12, 31))
    call = FeeCall.objects.create(
        membership=membership, year=2026, amount=Decimal("500.00"), due_date=D(2026, 2, 15)
    )
    # Paid before this code recorded payments (an import): the end date was not extended.
    Payment.objects.create(fee_call=call, paid_on=D(2026, 2, 1), amount=Decimal("500.00"))
    services.update_membership_statuses(today=D(2026, 5, 1), grace=90)
    membership.refresh_from_db()
    assert membership.end_date == D(2026, 12, 31)
    assert membership.status == Status.CURRENT


def test_a_partly_paid_call_does_not_keep_the_member():
    membership = _member("Half Payer", Status.CURRENT, D(2025, 12, 31))
    call = FeeCall.objects.create(
        membership=membership, year=2026, amount=Decimal("500.00"), due_date=D(2026, 2, 15)
    )
    Payment.objects.create(fee_call=call, paid_on=D(2026, 2, 1), amount=Decimal("499.99"))
    services.update_membership_statuses(today=D(2026, 5, 1), grace=90)
    membership.refresh_from_db()
    assert membership.status == Status.EXPIRED


def test_staff_set_a_status_by_hand_and_give_it_back_to_the_dates(client):
    membership = _member("Friend Of The Pole", Status.GRACE, D(2025, 12, 31))
    staff = pole_staff(membership.pole)
    client.force_login(staff)
    url = f"/poles/{membership.pole_id}/members/{membership.pk}/status/"
    response = client.post(url, {"status": "current"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.status_override) == (Status.CURRENT, True)
    services.update_membership_statuses(today=D(2026, 11, 1), grace=90)
    membership.refresh_from_db()
    assert membership.status == Status.CURRENT  # the dates no longer decide

    client.post(url, {"status": ""})
    membership.refresh_from_db()
    assert membership.status_override is False
    assert membership.status == Status.EXPIRED  # the end date is long past


def test_only_the_poles_staff_set_a_status(client):
    membership = _member("Someone", Status.GRACE, D(2025, 12, 31))
    client.force_login(membership.organisation.affiliations.get().person)
    url = f"/poles/{membership.pole_id}/members/{membership.pk}/status/"
    assert client.post(url, {"status": "current"}).status_code == 404
    response = client.post(
        f"/api/v1/memberships/{membership.pk}/status/",
        {"status": "current"},
        content_type="application/json",
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status_override is False


def test_api_staff_set_a_status(client):
    membership = _member("Api Member", Status.GRACE, D(2025, 12, 31))
    client.force_login(pole_staff(membership.pole))
    url = f"/api/v1/memberships/{membership.pk}/status/"
    response = client.post(url, {"status": "current"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_override"]) == ("current", True)
    response = client.post(url, {"status": None}, content_type="application/json")
    assert response.json()["status_override"] is False
    response = client.post(url, {"status": "applied"}, content_type="application/json")
    assert response.status_code == 400
