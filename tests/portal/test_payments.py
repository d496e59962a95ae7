"""Payments of fee calls: partial payments add up, a payment larger than what remains due is
refused, and each call's status (due, partially paid, paid, overdue) is computed by the
database; the payment that settles a call extends the membership to the end of its year."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from portal import services
from portal.figures import CallStatus, with_balance
from portal.models import Affiliation, FeeCall, Membership, Notification, Payment

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PoleFactory,
    pole_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ISSUED = datetime.date(2026, 1, 15)
DUE = datetime.date(2026, 2, 15)


@pytest.fixture
def pole():
    return PoleFactory(name="Pôle Véga", short_name="Véga")


@pytest.fixture
def admin(pole):
    return PersonFactory(email="admin@acme.example")


@pytest.fixture
def call(pole, admin):
    organisation = OrganisationFactory(legal_name="Acme Composites", category="sme", headcount=42)
    Affiliation.objects.create(person=admin, organisation=organisation, is_admin=True)
    membership = MembershipFactory(
        organisation=organisation,
        pole=pole,
        status=Membership.Status.GRACE,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    return FeeCall.objects.create(
        membership=membership, year=2026, amount=Decimal("900.00"), issued_on=ISSUED, due_date=DUE
    )


def _status(call, today):
    return with_balance(FeeCall.objects.filter(pk=call.pk), today).get()


def _pay(call, amount, paid_on=datetime.date(2026, 2, 1), today=datetime.date(2026, 3, 1)):
    return services.record_payment(
        call, paid_on=paid_on, amount=Decimal(amount), reference="VIR-1", today=today
    )


@pytest.mark.parametrize(
    "payments,today,paid,remaining,status",
    [
        ([], datetime.date(2026, 2, 1), "0.00", "900.00", CallStatus.DUE),
        ([], DUE, "0.00", "900.00", CallStatus.DUE),  # due that very day
        ([], datetime.date(2026, 2, 16), "0.00", "900.00", CallStatus.OVERDUE),
        (["300.00"], datetime.date(2026, 2, 1), "300.00", "600.00", CallStatus.PARTIAL),
        (["300.00"], datetime.date(2026, 3, 1), "300.00", "600.00", CallStatus.OVERDUE),
        (["300.00", "600.00"], datetime.date(2026, 3, 1), "900.00", "0.00", CallStatus.PAID),
        (["0.10", "0.20", "899.70"], datetime.date(2026, 3, 1), "900.00", "0.00", CallStatus.PAID),
    ],
)
def test_the_status_of_a_call_follows_its_payments_and_its_due_date(
    call, payments, today, paid, remaining, status
):
    for amount in payments:
        Payment.objects.create(fee_call=call, paid_on=ISSUED, amount=Decimal(amount))
    annotated = _status(call, today)
    assert annotated.paid == Decimal(paid)
    assert annotated.remaining == Decimal(remaining)
    assert annotated.payment_status == status


def test_partial_payments_add_up(call):
    _pay(call, "400.00")
    _pay(call, "500.00")
    assert _status(call, DUE).payment_status == CallStatus.PAID
    assert call.payments.count() == 2


@pytest.mark.parametrize("amount", ["900.01", "1000.00"])
def test_a_payment_larger_than_what_remains_due_is_refused(call, amount):
    with pytest.raises(ValidationError) as error:
        _pay(call, amount)
    assert "larger than what remains due (€900.00)" in error.value.message_dict["amount"][0]
    assert not Payment.objects.exists()


def test_after_a_partial_payment_only_the_rest_is_accepted(call):
    _pay(call, "600.00")
    with pytest.raises(ValidationError, match="larger than what remains due"):
        _pay(call, "300.01")
    _pay(call, "300.00")
    with pytest.raises(ValidationError, match="already paid in full"):
        _pay(call, "1.00")


@pytest.mark.parametrize("amount", ["0", "0.00", "-5"])
def test_a_payment_is_above_zero(call, amount):
    with pytest.raises(ValidationError) as error:
        _pay(call, amount)
    assert "amount" in error.value.message_dict


def test_a_payment_is_not_dated_in_the_future(call):
    with pytest.raises(ValidationError) as error:
        _pay(call, "10.00", paid_on=datetime.date(2026, 3, 2), today=datetime.date(2026, 3, 1))
    assert "paid_on" in error.value.message_dict


def test_the_payment_that_settles_the_call_extends_the_membership(call):
    membership = call.membership
    _pay(call, "400.00")
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 12, 31)
    assert membership.status == Membership.Status.GRACE
    _pay(call, "500.00")
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 12, 31)
    assert membership.status == Membership.Status.CURRENT


def test_a_status_set_by_hand_stays_when_the_call_is_paid(call):
    membership = call.membership
    services.set_membership_status(membership, Membership.Status.EXPIRED)
    _pay(call, "900.00")
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 12, 31)
    assert membership.status == Membership.Status.EXPIRED


def test_the_members_admins_are_told_of_each_payment(
    call, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _pay(call, "400.00")
    note = Notification.objects.get(recipient=admin)
    assert "400,00" in note.body and "500,00" in note.body  # written in French: the site's
    assert mail.outbox[0].to == ["admin@acme.example"]


# The staff's pages --------------------------------------------------------------------------


@pytest.fixture
def staff(client, pole):
    person = pole_staff(pole, PersonFactory(first_name="Sophie", last_name="Marchand"))
    client.force_login(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return person


def test_staff_record_a_partial_payment_with_htmx(client, call, staff):
    url = f"/poles/{call.membership.pole_id}/fee-calls/{call.pk}/payments/"
    response = client.post(
        url,
        {"paid_on": "2026-02-01", "amount": "400,00", "reference": "VIR 2026-118"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="payments"' in html
    assert "Payment recorded." in html
    assert "VIR 2026-118" in html and "€500.00" in html  # what remains
    payment = Payment.objects.get()
    assert payment.recorded_by == staff and payment.amount == Decimal("400.00")


def test_staff_are_told_a_payment_is_too_large_on_the_form(client, call, staff):
    url = f"/poles/{call.membership.pole_id}/fee-calls/{call.pk}/payments/"
    response = client.post(
        url, {"paid_on": "2026-02-01", "amount": "950"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "The payment (€950.00) is larger than what remains due (€900.00)." in (
        response.content.decode()
    )
    assert not Payment.objects.exists()


def test_a_paid_call_offers_no_payment_form(client, call, staff):
    _pay(call, "900.00", today=timezone.localdate())
    html = client.get(f"/poles/{call.membership.pole_id}/fee-calls/{call.pk}/").content.decode()
    assert "Record a payment" not in html


def _calls_for_the_list(pole):
    today = timezone.localdate()
    calls = {}
    for name, due, paid in [
        ("Overdue Ltd", today - datetime.timedelta(days=10), []),
        ("Partial SA", today + datetime.timedelta(days=10), ["100.00"]),
        ("Paid SAS", today - datetime.timedelta(days=10), ["500.00"]),
        ("Due SARL", today + datetime.timedelta(days=10), []),
    ]:
        membership = MembershipFactory(pole=pole, organisation=OrganisationFactory(legal_name=name))
        call = FeeCall.objects.create(
            membership=membership, year=today.year, amount=Decimal("500.00"), due_date=due
        )
        for amount in paid:
            Payment.objects.create(
                fee_call=call, paid_on=today, amount=Decimal(amount), reference=f"REF-{name}"
            )
        calls[name] = call
    return calls


def test_the_overdue_list(client, pole, staff):
    _calls_for_the_list(pole)
    response = client.get(
        f"/poles/{pole.pk}/fee-calls/", {"status": "overdue"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Overdue Ltd" in html
    assert not any(name in html for name in ["Partial SA", "Paid SAS", "Due SARL"])
    html = client.get(f"/poles/{pole.pk}/fee-calls/").content.decode()
    assert all(name in html for name in ["Overdue Ltd", "Partial SA", "Paid SAS", "Due SARL"])


def test_the_accountants_exports(client, pole, staff):
    calls = _calls_for_the_list(pole)
    evil = calls["Due SARL"].membership.organisation
    evil.legal_name = '=HYPERLINK("http://evil.example")'
    evil.save()
    response = client.get(f"/poles/{pole.pk}/fee-calls/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Year", "Organisation", "SIREN"]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Partial SA"][8:11] == ["100,00", "400,00", "partially paid"]
    assert by_name["Paid SAS"][13] == "REF-Paid SAS"
    assert '\'=HYPERLINK("http://evil.example")' in by_name  # never a formula

    response = client.get(f"/poles/{pole.pk}/payments/export.xlsx", {"status": "paid"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Paid on", "Amount", "Reference")
    assert [row[4] for row in values[1:]] == ["Paid SAS"]
    assert values[1][1] == 500


def test_exports_do_not_exist_for_other_people(client, pole):
    _calls_for_the_list(pole)
    client.force_login(PersonFactory())
    assert client.get(f"/poles/{pole.pk}/fee-calls/export.csv").status_code == 404
    assert client.get(f"/poles/{pole.pk}/payments/export.xlsx").status_code == 404


# The API ----------------------------------------------------------------------------------


def test_api_staff_record_payments_and_a_too_large_one_answers_400(client, call, staff):
    body = {"fee_call": call.pk, "paid_on": "2026-02-01", "amount": "400.00", "reference": "V1"}
    response = client.post("/api/v1/payments/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    response = client.post(
        "/api/v1/payments/", {**body, "amount": "500.01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "larger than what remains due" in response.json()["amount"][0]
    data = client.get(f"/api/v1/fee-calls/{call.pk}/").json()
    assert (data["paid"], data["remaining"]) == ("400.00", "500.00")
    assert data["payment_status"] in ("partial", "overdue")
    assert [p["reference"] for p in data["payments"]] == ["V1"]


def test_api_the_members_admin_sees_the_call_but_records_nothing(client, call, admin):
    client.force_login(admin)
    data = client.get("/api/v1/fee-calls/").json()
    assert [c["id"] for c in data["results"]] == [call.pk]
    body = {"fee_call": call.pk, "paid_on": "2026-02-01", "amount": "100.00"}
    response = client.post("/api/v1/payments/", body, content_type="application/json")
    assert response.status_code == 400
    assert "fee_call" in response.json()  # no fee call of theirs to record a payment on
    assert not Payment.objects.exists()


def test_api_fee_calls_of_others_do_not_exist(client, call):
    client.force_login(PersonFactory())
    assert client.get(f"/api/v1/fee-calls/{call.pk}/").status_code == 404
    assert client.get("/api/v1/fee-calls/").json()["count"] == 0
    assert client.get("/api/v1/payments/").json()["count"] == 0


def test_api_fee_calls_filter_by_payment_status(client, pole, staff):
    calls = _calls_for_the_list(pole)
    data = client.get("/api/v1/fee-calls/", {"payment_status": "overdue", "pole": pole.pk}).json()
    assert [c["id"] for c in data["results"]] == [calls["Overdue Ltd"].pk]
