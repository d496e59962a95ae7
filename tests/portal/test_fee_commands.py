"""The periodic jobs of membership fees: issue_fee_calls (and the staff's button),
send_fee_reminders and update_membership_statuses."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from portal import services
from portal.models import Affiliation, FeeCall, FeeSchedule, Membership, Notification, Payment

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PoleFactory,
    pole_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
YEAR = 2027


@pytest.fixture
def pole():
    pole = PoleFactory(name="Pôle Véga", short_name="Véga")
    for category, low, high, amount in [
        ("sme", 0, 49, "900.00"),
        ("sme", 50, 249, "1500.00"),
        ("school", 0, None, "500.00"),
    ]:
        FeeSchedule.objects.create(
            pole=pole,
            year=YEAR,
            category=category,
            min_headcount=low,
            max_headcount=high,
            amount=Decimal(amount),
        )
    return pole


def _member(pole, name, category="sme", headcount=20, status=Membership.Status.CURRENT):
    organisation = OrganisationFactory(legal_name=name, category=category, headcount=headcount)
    admin = PersonFactory(email=f"admin@{name.split()[0].lower()}.example")
    Affiliation.objects.create(person=admin, organisation=organisation, is_admin=True)
    return MembershipFactory(organisation=organisation, pole=pole, status=status)


def _run(name, *args, capture=None):
    out, err = StringIO(), StringIO()
    if capture is None:
        call_command(name, *args, stdout=out, stderr=err)
    else:
        with capture(execute=True):
            call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_issue_fee_calls_calls_each_active_member_once(pole, django_capture_on_commit_callbacks):
    sme = _member(pole, "Acme Composites", headcount=42)
    school = _member(pole, "École des Mines", category="school", headcount=900)
    _member(pole, "Newcomer SAS", status=Membership.Status.NEW)
    _member(pole, "Grace SA", status=Membership.Status.GRACE)
    _member(pole, "Gone SARL", status=Membership.Status.EXPIRED)
    _member(pole, "Applicant SAS", status=Membership.Status.APPLIED)
    _member(pole, "Large Corp", category="large", headcount=5000)  # no fee for it

    out, err = _run(
        "issue_fee_calls",
        f"--pole={pole.pk}",
        f"--year={YEAR}",
        "--due-date=2027-03-31",
        capture=django_capture_on_commit_callbacks,
    )
    assert out.strip() == f"4 fee call(s) of {YEAR} issued for Véga."
    assert "Skipped Large Corp: The 2027 fee schedule of Véga has no fee for the category" in err
    calls = {c.membership.organisation.legal_name: c for c in FeeCall.objects.all()}
    assert set(calls) == {"Acme Composites", "École des Mines", "Newcomer SAS", "Grace SA"}
    assert calls["Acme Composites"].amount == Decimal("900.00")
    assert calls["École des Mines"].amount == Decimal("500.00")
    assert calls["Acme Composites"].due_date == D(2027, 3, 31)
    assert len(mail.outbox) == 4
    told = Notification.objects.get(recipient=sme.organisation.affiliations.get().person)
    assert "900,00" in told.body and "31/03/2027" in told.body  # written in French
    assert school.fee_calls.count() == 1

    out, _ = _run("issue_fee_calls", f"--pole={pole.pk}", f"--year={YEAR}")
    assert out.startswith("0 fee call(s)")
    assert FeeCall.objects.count() == 4


def test_issue_fee_calls_reports_an_unknown_pole():
    with pytest.raises(CommandError, match="No pole with id 999"):
        _run("issue_fee_calls", "--pole=999", "--year=2027")


def test_a_new_member_is_called_when_the_calls_are_issued_again(pole):
    _member(pole, "First SAS")
    services.issue_fee_calls(pole, YEAR)
    _member(pole, "Second SAS")
    created, _skipped = services.issue_fee_calls(pole, YEAR)
    assert [c.membership.organisation.legal_name for c in created] == ["Second SAS"]


def test_staff_issue_the_calls_with_a_button(client, pole):
    _member(pole, "Acme Composites")
    _member(pole, "Large Corp", category="large", headcount=5000)
    client.force_login(pole_staff(pole))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        f"/poles/{pole.pk}/fees/issue/", {"year": YEAR, "due_date": "2027-02-28"}, follow=True
    )
    html = response.content.decode()
    assert "1 fee call(s) of 2027 issued" in html
    assert "Large Corp was not called" in html
    assert FeeCall.objects.get().due_date == D(2027, 2, 28)


def test_only_the_poles_staff_issue_calls(client, pole):
    member = _member(pole, "Acme Composites")
    client.force_login(member.organisation.affiliations.get().person)
    assert client.post(f"/poles/{pole.pk}/fees/issue/", {"year": YEAR}).status_code == 404
    response = client.post(
        "/api/v1/fee-calls/issue/", {"pole": pole.pk, "year": YEAR}, content_type="application/json"
    )
    assert response.status_code == 400 and "pole" in response.json()
    assert not FeeCall.objects.exists()


def test_api_staff_issue_the_calls(client, pole):
    _member(pole, "Acme Composites")
    _member(pole, "Large Corp", category="large", headcount=5000)
    client.force_login(pole_staff(pole))
    response = client.post(
        "/api/v1/fee-calls/issue/", {"pole": pole.pk, "year": YEAR}, content_type="application/json"
    )
    assert response.status_code == 201
    data = response.json()
    assert [c["organisation_name"] for c in data["created"]] == ["Acme Composites"]
    assert [s["organisation_name"] for s in data["skipped"]] == ["Large Corp"]


DUE = D(2027, 2, 15)


def _overdue_call(pole, name, due=DUE, paid=None):
    membership = _member(pole, name)
    call = FeeCall.objects.create(
        membership=membership, year=YEAR, amount=Decimal("900.00"), due_date=due
    )
    if paid:
        Payment.objects.create(fee_call=call, paid_on=D(2027, 2, 1), amount=Decimal(paid))
    return call


def test_send_fee_reminders_once_a_fortnight(pole, django_capture_on_commit_callbacks):
    overdue = _overdue_call(pole, "Late SAS")
    partly = _overdue_call(pole, "Partly SAS", paid="300.00")
    _overdue_call(pole, "Paid SAS", paid="900.00")
    _overdue_call(pole, "Early SAS", due=D(2027, 4, 1))

    out, _ = _run(
        "send_fee_reminders", "--today=2027-03-01", capture=django_capture_on_commit_callbacks
    )
    assert out.strip() == "2 overdue fee call(s) reminded."
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@late.example", "admin@partly.example"]
    partly_mail = next(m for m in mail.outbox if m.to == ["admin@partly.example"])
    assert "600,00" in partly_mail.body  # what remains, in French
    overdue.refresh_from_db()
    assert overdue.reminded_on == D(2027, 3, 1)

    for day, expected in [("2027-03-02", 0), ("2027-03-14", 0), ("2027-03-15", 2)]:
        out, _ = _run("send_fee_reminders", f"--today={day}")
        assert out.startswith(f"{expected} overdue"), day
    assert partly.payments.count() == 1


def test_update_membership_statuses_command():
    pole = PoleFactory()
    lapsing = _member(pole, "Lapsing SAS")
    lapsing.start_date, lapsing.end_date = D(2020, 1, 1), D(2026, 12, 31)
    lapsing.save()
    out, _ = _run("update_membership_statuses", "--today=2027-02-01")
    assert out.strip() == "1 membership(s) moved: grace 1."
    lapsing.refresh_from_db()
    assert lapsing.status == Membership.Status.GRACE
    out, _ = _run("update_membership_statuses", "--today=2027-02-01")
    assert out.strip() == "0 membership(s) moved."
