"""The demo's memberships: Véga's fee schedule of this year and last, fee calls paid, partly
paid and overdue, and three applications awaiting the staff (one asked for more)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from portal.figures import CallStatus, with_balance
from portal.models import FeeCall, FeeSchedule, Membership, MembershipApplication, Person, Pole


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def vega(seeded, db):
    return Pole.objects.get(short_name="Véga")


def test_the_fee_schedule_of_this_year_and_last(vega):
    year = timezone.localdate().year
    for schedule_year in (year - 1, year):
        rows = FeeSchedule.objects.filter(pole=vega, year=schedule_year)
        amounts = {(r.category, r.min_headcount): r.amount for r in rows}
        assert amounts[("micro", 0)] == 250
        assert [amounts[("sme", n)] for n in (0, 10, 50)] == [500, 900, 1500]
        assert amounts[("midcap", 0)] == 3000 and amounts[("large", 0)] == 6000
        assert amounts[("research", 0)] == 1000 and amounts[("school", 0)] == 500
        assert amounts[("public", 0)] == 1000


def test_every_active_member_is_called_with_a_mix_of_statuses(vega):
    year = timezone.localdate().year
    active = Membership.objects.filter(pole=vega, status__in=["new", "current", "grace"])
    calls = with_balance(FeeCall.objects.filter(membership__pole=vega, year=year))
    assert set(calls.values_list("membership", flat=True)) == set(
        active.values_list("pk", flat=True)
    )
    statuses = set(calls.values_list("payment_status", flat=True))
    assert CallStatus.PAID in statuses
    assert statuses & {CallStatus.PARTIAL, CallStatus.OVERDUE}
    assert calls.filter(paid__gt=0).exclude(payment_status=CallStatus.PAID).exists()  # partial
    last_year = with_balance(FeeCall.objects.filter(membership__pole=vega, year=year - 1))
    assert last_year.filter(payment_status=CallStatus.PAID).count() >= 20
    assert last_year.filter(payment_status=CallStatus.OVERDUE).exists()


def test_three_applications_await_the_staff(vega):
    pending = MembershipApplication.objects.filter(
        pole=vega, status__in=["submitted", "info_requested"]
    )
    assert pending.count() == 3
    assert pending.filter(status="info_requested").count() == 1
    outsider = Person.objects.get(email="outsider@demo.example")
    assert pending.filter(submitted_by=outsider).exists()


def test_the_staff_and_the_applicant_see_them(client, vega):
    client.force_login(Person.objects.get(email="staff@demo.example"))
    assert client.get(f"/poles/{vega.pk}/applications/").status_code == 200
    assert client.get(f"/poles/{vega.pk}/fees/").status_code == 200
    client.force_login(Person.objects.get(email="outsider@demo.example"))
    html = client.get("/memberships/").content.decode()
    assert "Atelier" in html
