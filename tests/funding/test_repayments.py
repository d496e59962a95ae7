"""Repayments: the schedule of a repayable advance or a loan, recorded by its funder; a grant
is never repaid, and no more is repaid than was disbursed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import Repayment
from funding.services import (
    change_repayment,
    delete_repayment,
    record_disbursement,
    record_repayment,
)
from projects.history import project_history

from ..shared import module_world
from .records import DECIDED, advance_line, funding_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DUE = datetime.date(2029, 6, 30)


built_world, world = module_world(funding_world, language="en", client_language="en")


@pytest.fixture
def advance(world):
    """100 000 € granted, 60 000 € disbursed."""
    line = advance_line(world)
    record_disbursement(
        line, kind="pre_financing", amount=Decimal("60000.00"), scheduled_date=DECIDED
    )
    return line


def page_url(world, suffix):
    return f"/projects/{world['projects']['funded'].pk}/funding/{suffix}"


def test_a_repayment_schedule_on_an_advance(world, advance):
    funder = world["people"]["funder"]
    for year in range(3):
        record_repayment(
            advance, by=funder, amount=Decimal("20000.00"), due_date=DUE.replace(year=2029 + year)
        )
    assert Repayment.objects.filter(line=advance).count() == 3
    with pytest.raises(ValidationError) as caught:
        record_repayment(advance, amount=Decimal("0.01"), due_date=DUE)
    assert list(caught.value.message_dict) == ["amount"]
    assert "above the €60,000.00 disbursed" in caught.value.message_dict["amount"][0]


def test_a_grant_is_not_repaid(world):
    grant = world["lines"]["bpi"]
    record_disbursement(grant, kind="interim", amount=Decimal("1000.00"), scheduled_date=DECIDED)
    with pytest.raises(ValidationError) as caught:
        record_repayment(grant, amount=Decimal("10.00"), due_date=DUE)
    assert list(caught.value.message_dict) == ["line"]
    assert not Repayment.objects.exists()


def test_a_repayment_is_not_due_before_the_decision(advance):
    with pytest.raises(ValidationError) as caught:
        record_repayment(advance, amount=Decimal("10.00"), due_date=datetime.date(2025, 12, 31))
    assert list(caught.value.message_dict) == ["due_date"]


def test_a_repayment_changed_and_removed_is_in_the_history(world, advance):
    funder = world["people"]["funder"]
    repayment = record_repayment(advance, by=funder, amount=Decimal("10000.00"), due_date=DUE)
    change_repayment(repayment, by=funder, amount=Decimal("12000.00"), paid_date=DUE)
    delete_repayment(repayment, by=funder)
    entries = [
        e
        for e in project_history(world["people"]["member"], advance.project).entries
        if e.kind == "repayment"
    ]
    assert [e.action for e in entries] == ["deleted", "changed", "created"]
    amount = next(c for c in entries[1].changes if c.name == "amount")
    assert (amount.before_value, amount.after_value) == ("10000.00", "12000.00")


def test_a_disbursement_that_repayments_depend_on_cannot_go(world, advance):
    from funding.services import delete_disbursement

    record_repayment(advance, amount=Decimal("60000.00"), due_date=DUE)
    with pytest.raises(ValidationError):
        delete_disbursement(advance.disbursements.get())


def test_the_funder_records_a_repayment_on_the_page(client, world, advance):
    client.force_login(world["people"]["funder"])
    response = client.post(
        page_url(world, f"lines/{advance.pk}/repayments/"),
        {"amount": "15000", "due_date": "2029-06-30"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    repayment = Repayment.objects.get()
    assert repayment.amount == Decimal("15000.00")
    response = client.post(
        page_url(world, f"repayments/{repayment.pk}/paid/"),
        {"paid_date": "2029-07-02", "version": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    repayment.refresh_from_db()
    assert repayment.paid_date == datetime.date(2029, 7, 2)
    assert "15,000.00" in response.content.decode()  # repaid


def test_no_repayment_form_on_a_grant_and_none_for_the_leader(client, world, advance):
    grant = world["lines"]["bpi"]
    client.force_login(world["people"]["funder"])
    data = {"amount": "10", "due_date": "2029-06-30"}
    assert client.post(page_url(world, f"lines/{grant.pk}/repayments/"), data).status_code == 404
    client.force_login(world["people"]["leader"])
    assert client.post(page_url(world, f"lines/{advance.pk}/repayments/"), data).status_code == 404
    assert not Repayment.objects.exists()


def test_the_api_records_repayments_with_the_same_rules(client, world, advance):
    client.force_login(world["people"]["funder"])
    body = {"line": advance.pk, "amount": "60000.00", "due_date": "2029-06-30"}
    response = client.post("/api/v1/repayments/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    response = client.post(
        "/api/v1/repayments/", {**body, "amount": "1.00"}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        "/api/v1/repayments/",
        {**body, "line": world["lines"]["bpi"].pk, "amount": "1.00"},
        content_type="application/json",
    )
    assert response.status_code == 404  # a grant: nothing to repay, nothing to find
    client.force_login(world["people"]["member"])
    assert len(client.get("/api/v1/repayments/").json()["results"]) == 1
    client.force_login(world["people"]["outsider"])
    assert client.get("/api/v1/repayments/").json()["results"] == []
