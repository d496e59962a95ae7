"""Disbursements: the funder's tranches of a granted line, never above the amount granted
(net of cancellations), never on a line not granted, never dated before the decision — even
when two people record one at the same time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import Disbursement, FundingLine
from funding.services import (
    change_disbursement,
    change_funding_line,
    delete_disbursement,
    record_disbursement,
    record_funding_line,
)
from projects.history import project_history

from ..shared import module_world
from .records import DECIDED, fresh, funding_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = FundingLine.Status
LATER = datetime.date(2026, 3, 1)


built_world, world = module_world(funding_world, language="en", client_language="en")


@pytest.fixture
def line(world):
    return world["lines"]["bpi"]  # 150 000 € granted on 1 February 2026


def tranche(line, amount, **fields):
    return record_disbursement(
        line,
        **{"kind": "interim", "amount": Decimal(amount), "scheduled_date": LATER, **fields},
    )


def page_url(world, suffix):
    return f"/projects/{world['projects']['funded'].pk}/funding/{suffix}"


# --- The rules -----------------------------------------------------------------------------


def test_disbursements_add_up_to_the_amount_granted_and_no_more(line):
    tranche(line, "100000.00")
    tranche(line, "50000.00")
    with pytest.raises(ValidationError) as caught:
        tranche(line, "0.01")
    assert list(caught.value.message_dict) == ["amount"]
    assert "above the €150,000.00 granted" in caught.value.message_dict["amount"][0]
    assert Disbursement.objects.filter(line=line).count() == 2


def test_cancelled_amounts_are_not_disbursed(line):
    change_funding_line(fresh(line), amount_cancelled=Decimal("30000.00"))
    tranche(line, "120000.00")
    with pytest.raises(ValidationError):
        tranche(line, "1.00")


def test_two_stale_copies_of_a_line_cannot_overshoot_together(line):
    """Both loaded before either disbursement: the second is checked against the database,
    under the line's lock, not against what its copy remembers."""
    first, second = fresh(line), fresh(line)
    tranche(first, "100000.00")
    with pytest.raises(ValidationError):
        tranche(second, "60000.00")
    assert Disbursement.objects.filter(line=line).count() == 1
    tranche(second, "50000.00")


def test_a_refused_withdrawn_planned_or_applied_line_carries_no_disbursement(world):
    funded = world["projects"]["funded"]
    partner = funded.partners.get(organisation=world["organisations"]["member"])
    statuses = {
        Status.PLANNED: {},
        Status.APPLIED: {},
        Status.REFUSED: {"decision_date": DECIDED},
        Status.WITHDRAWN: {},
    }
    for number, (status, extra) in enumerate(statuses.items()):
        line = record_funding_line(
            project=funded,
            partner=partner,
            funder=world["funders"]["anr"],
            programme=f"Call {number}",
            amount_requested=Decimal("1000.00"),
            status=status,
            **extra,
        )
        with pytest.raises(ValidationError) as caught:
            tranche(line, "10.00")
        assert list(caught.value.message_dict) == ["line"], status
    assert not Disbursement.objects.exclude(line=world["lines"]["bpi"]).exists()


def test_a_closed_line_still_takes_its_last_tranche(line):
    change_funding_line(fresh(line), status=Status.CLOSED)
    tranche(line, "150000.00", kind="final")
    assert fresh(line).disbursements.get().kind == "final"


def test_money_moves_after_the_decision(line):
    with pytest.raises(ValidationError) as caught:
        tranche(line, "10.00", scheduled_date=DECIDED - datetime.timedelta(days=1))
    assert list(caught.value.message_dict) == ["scheduled_date"]
    with pytest.raises(ValidationError) as caught:
        tranche(line, "10.00", paid_date=datetime.date(2026, 1, 15))
    assert list(caught.value.message_dict) == ["paid_date"]
    tranche(line, "10.00", scheduled_date=DECIDED, paid_date=DECIDED)


def test_a_tranche_changed_or_removed_keeps_the_rules_and_the_history(world, line):
    funder = world["people"]["funder"]
    paid = tranche(line, "100000.00", by=funder)
    other = tranche(line, "50000.00", by=funder)
    with pytest.raises(ValidationError):
        change_disbursement(other, amount=Decimal("50000.01"))
    change_disbursement(paid, paid_date=LATER, by=funder)
    delete_disbursement(other, by=funder)
    assert list(Disbursement.objects.filter(line=line)) == [paid]
    entries = [
        e
        for e in project_history(world["people"]["leader"], line.project).entries
        if e.kind == "disbursement"
    ]
    assert [e.action for e in entries] == ["deleted", "changed", "created", "created"]
    assert all(e.who == funder for e in entries)
    changed = entries[1]
    assert [(c.name, c.before_value, c.after_value) for c in changed.changes] == [
        ("paid_date", None, "2026-03-01")
    ]


# --- The page ------------------------------------------------------------------------------


def test_the_funder_records_a_disbursement_and_sees_the_totals_follow(client, world, line):
    client.force_login(world["people"]["funder"])
    response = client.post(
        page_url(world, f"lines/{line.pk}/disbursements/"),
        {
            "kind": "pre_financing",
            "amount": "45000",
            "scheduled_date": "2026-02-15",
            "paid_date": "2026-02-20",
            "reference": "VIR-2026-001",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Disbursement recorded." in html
    assert "VIR-2026-001" in html
    assert "45,000.00" in html and "105,000.00" in html  # disbursed, remaining
    disbursement = Disbursement.objects.get()
    assert disbursement.history.get().history_user == world["people"]["funder"]


def test_an_over_disbursement_shows_its_error_in_place_and_saves_nothing(client, world, line):
    client.force_login(world["people"]["funder"])
    tranche(line, "100000.00")
    response = client.post(
        page_url(world, f"lines/{line.pk}/disbursements/"),
        {"kind": "interim", "amount": "60000", "scheduled_date": "2026-04-01"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "above the €150,000.00 granted" in html
    assert f'id="line-{line.pk}-disbursement-amount_error"' in html
    assert 'value="60000"' in html  # what was typed stays in the form
    assert Disbursement.objects.count() == 1


def test_a_date_before_the_decision_shows_in_place(client, world, line):
    client.force_login(world["people"]["funder"])
    response = client.post(
        page_url(world, f"lines/{line.pk}/disbursements/"),
        {"kind": "interim", "amount": "1000", "scheduled_date": "2026-01-10"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "before the decision" in response.content.decode()
    assert not Disbursement.objects.exists()


def test_the_funder_marks_a_tranche_paid_and_removes_one(client, world, line):
    client.force_login(world["people"]["funder"])
    scheduled = tranche(line, "1000.00")
    response = client.post(
        page_url(world, f"disbursements/{scheduled.pk}/paid/"),
        {"paid_date": "2026-03-05", "version": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert Disbursement.objects.get().paid_date == datetime.date(2026, 3, 5)
    response = client.post(
        page_url(world, f"disbursements/{scheduled.pk}/delete/"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert not Disbursement.objects.exists()


def test_only_the_lines_funder_records_its_tranches(client, world, line):
    data = {"kind": "interim", "amount": "10", "scheduled_date": "2026-04-01"}
    anr = world["lines"]["anr"]
    for role in ("leader", "member", "staff", "expert", "outsider"):
        client.force_login(world["people"][role])
        response = client.post(page_url(world, f"lines/{line.pk}/disbursements/"), data)
        assert response.status_code == 404, role
    client.force_login(world["people"]["funder"])
    assert client.post(page_url(world, f"lines/{anr.pk}/disbursements/"), data).status_code == 404
    foreign = tranche(anr, "10.00")
    response = client.post(page_url(world, f"disbursements/{foreign.pk}/paid/"), {})
    assert response.status_code == 404
    assert not Disbursement.objects.filter(line=line).exists()


def test_a_late_tranche_is_marked_late(client, world, line):
    tranche(line, "1000.00", scheduled_date=DECIDED)
    client.force_login(world["people"]["leader"])
    html = client.get(page_url(world, "")).content.decode()
    assert "badge-overdue" in html and ">late<" in html


# --- The API -------------------------------------------------------------------------------


def test_the_api_records_disbursements_with_the_same_rules(client, world, line):
    client.force_login(world["people"]["funder"])
    body = {
        "line": line.pk,
        "kind": "interim",
        "amount": "150000.00",
        "scheduled_date": "2026-03-01",
    }
    response = client.post("/api/v1/disbursements/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    response = client.post(
        "/api/v1/disbursements/", {**body, "amount": "0.01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    response = client.post(
        "/api/v1/disbursements/",
        {**body, "amount": "1.00", "line": world["lines"]["anr"].pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    pk = Disbursement.objects.get().pk
    response = client.patch(
        f"/api/v1/disbursements/{pk}/", {"paid_date": "2026-01-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "paid_date" in response.json()
    client.force_login(world["people"]["leader"])
    assert client.get(f"/api/v1/disbursements/{pk}/").status_code == 200
    response = client.patch(
        f"/api/v1/disbursements/{pk}/", {"paid_date": "2026-03-02"}, content_type="application/json"
    )
    assert response.status_code == 404
    client.force_login(world["people"]["expert"])
    assert client.get(f"/api/v1/disbursements/{pk}/").status_code == 404


def test_without_htmx_a_change_redirects_and_an_error_shows_on_a_page(client, world, line):
    client.force_login(world["people"]["funder"])
    url = page_url(world, f"lines/{line.pk}/disbursements/")
    response = client.post(
        url, {"kind": "interim", "amount": "1000", "scheduled_date": "2026-03-01"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{world['projects']['funded'].pk}/#funding")
    response = client.post(
        url, {"kind": "interim", "amount": "1e9", "scheduled_date": "2026-03-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" in html and "is not an amount in euros" in html
    assert Disbursement.objects.count() == 1
