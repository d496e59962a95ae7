"""Amounts typed by people and sent by programs: euros with at most two decimals, positive;
anything else is refused with a message saying how to write it, on the page and in the API,
and nothing is saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funding.models import Disbursement, FundingLine, PrivateRound
from portal.money import parse_money

from ..shared import module_world
from .records import funding_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MALFORMED = {
    "1.234,56": "is not an amount in euros",
    "1,234.56": "is not an amount in euros",
    "1 234": "is not an amount in euros",
    "1e9": "is not an amount in euros",
    "1E3": "is not an amount in euros",
    "NaN": "is not an amount in euros",
    "Infinity": "is not an amount in euros",
    "-Infinity": "is not an amount in euros",
    "12 €": "is not an amount in euros",
    "+12": "is not an amount in euros",
    "0x1F": "is not an amount in euros",
    "١٢": "is not an amount in euros",  # digits, but not the ones amounts are written with
    "-5": "cannot be negative",
    "-0.50": "cannot be negative",
    "12.345": "At most two decimals",
    "0": "must be above zero",
    "0,00": "must be above zero",
    "1234567890123": "too large",
}


@pytest.mark.parametrize(
    "text,amount",
    [
        ("1234", "1234.00"),
        ("1234.5", "1234.50"),
        ("1234,56", "1234.56"),
        (" 0.01 ", "0.01"),
        ("000150", "150.00"),
        (12, "12.00"),
        (Decimal("99.9"), "99.90"),
    ],
)
def test_amounts_written_plainly_are_read(text, amount):
    assert parse_money(text) == Decimal(amount)


@pytest.mark.parametrize("text,message", MALFORMED.items())
def test_anything_else_is_refused_with_what_is_wrong(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_money(text)
    assert message in caught.value.messages[0] % (caught.value.params or {})


def test_a_float_is_refused_and_zero_only_where_allowed():
    with pytest.raises(ValidationError):
        parse_money(1.5)
    with pytest.raises(ValidationError):
        parse_money(Decimal("NaN"))
    assert parse_money("0", allow_zero=True) == Decimal("0.00")


built_world, world = module_world(funding_world, language="en", client_language="en")


def page(world, suffix):
    return f"/projects/{world['projects']['funded'].pk}/funding/{suffix}"


@pytest.mark.parametrize("text,message", MALFORMED.items())
def test_the_disbursement_form_refuses_each_malformed_amount_in_place(client, world, text, message):
    line = world["lines"]["bpi"]
    client.force_login(world["people"]["funder"])
    response = client.post(
        page(world, f"lines/{line.pk}/disbursements/"),
        {"kind": "interim", "amount": text, "scheduled_date": "2026-03-01"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index(f'id="line-{line.pk}-disbursement-amount_error"') :][:400]
    assert message in error
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("text", ["1.234,56", "1e9", "NaN", "-5"])
def test_the_line_and_decision_forms_refuse_them_too(client, world, text):
    funded = world["projects"]["funded"]
    line = world["lines"]["bpi"]
    lines = FundingLine.objects.count()
    client.force_login(world["people"]["leader"])
    response = client.post(
        page(world, "lines/"),
        {
            "partner": funded.partners.get(role="coordinator").pk,
            "programme": line.programme_id,
            "amount_requested": text,
            "status": "planned",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert 'id="add-line-amount_requested_error"' in response.content.decode()
    client.force_login(world["people"]["funder"])
    response = client.post(
        page(world, f"lines/{line.pk}/decision/"),
        {"version": line.version, "status": "granted", "amount_granted": text},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert f'id="line-{line.pk}-decision-amount_granted_error"' in response.content.decode()
    client.force_login(world["people"]["leader"])
    response = client.post(
        page(world, "rounds/"),
        {
            "partner": funded.partners.get(role="coordinator").pk,
            "kind": "equity",
            "amount": text,
            "closed_on": "2026-05-01",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert 'id="add-round-amount_error"' in response.content.decode()
    assert FundingLine.objects.count() == lines
    assert FundingLine.objects.get(pk=line.pk).amount_granted == Decimal("150000.00")
    assert not PrivateRound.objects.exists()


@pytest.mark.parametrize("text,message", MALFORMED.items())
def test_the_api_refuses_each_malformed_amount_as_text(client, world, text, message):
    client.force_login(world["people"]["funder"])
    response = client.post(
        "/api/v1/disbursements/",
        {
            "line": world["lines"]["bpi"].pk,
            "kind": "interim",
            "amount": text,
            "scheduled_date": "2026-03-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in response.json()["amount"][0]
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize(
    "number,message",
    [
        ("1e9", "is not an amount in euros"),
        ("1.5E2", "is not an amount in euros"),
        ("NaN", "is not an amount in euros"),
        ("Infinity", "is not an amount in euros"),
        ("-Infinity", "is not an amount in euros"),
        ("-5", "cannot be negative"),
        ("12.345", "At most two decimals"),
    ],
)
def test_the_api_refuses_them_as_json_numbers(client, world, number, message):
    """A JSON number is read as written: 1e9 is not taken for 1000000000."""
    client.force_login(world["people"]["funder"])
    line = world["lines"]["bpi"].pk
    body = (
        f'{{"line": {line}, "kind": "interim", "amount": {number}, "scheduled_date": "2026-03-01"}}'
    )
    response = client.post("/api/v1/disbursements/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert message in response.json()["amount"][0]
    assert not Disbursement.objects.exists()


def test_the_api_reads_a_plain_json_number(client, world):
    client.force_login(world["people"]["funder"])
    line = world["lines"]["bpi"].pk
    body = (
        f'{{"line": {line}, "kind": "interim", "amount": 1234.5, "scheduled_date": "2026-03-01"}}'
    )
    response = client.post("/api/v1/disbursements/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "1234.50"


@pytest.mark.parametrize("field", ["amount_requested", "amount_granted", "amount_cancelled"])
def test_the_api_refuses_malformed_amounts_on_a_line(client, world, field):
    line = world["lines"]["bpi"]
    user = "leader" if field == "amount_requested" else "funder"
    client.force_login(world["people"][user])
    response = client.patch(
        f"/api/v1/funding-lines/{line.pk}/", {field: "1e9"}, content_type="application/json"
    )
    # The leader may not change a decided line at all; the funder gets the field's error.
    if user == "leader":
        assert response.status_code == 404
    else:
        assert response.status_code == 400
        assert "is not an amount in euros" in response.json()[field][0]
    assert FundingLine.objects.get(pk=line.pk).version == line.version
