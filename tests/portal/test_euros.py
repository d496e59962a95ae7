"""Amounts where people may say the currency (reported revenue, follow-on funding): the euro
may be said around the amount; any other currency is refused with one message, never read as
euros; otherwise ``parse_money``'s rules. One reading for the forms and the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from portal.api.fields import CurrencyField, EuroAmountField
from portal.money import EuroAmountField as EuroAmountFormField
from portal.money import parse_euros

pytestmark = pytest.mark.usefixtures("english")

OTHER_CURRENCY = "Amounts are in euros: convert this amount into euros"


@pytest.mark.parametrize(
    "text,amount",
    [
        ("1000", "1000.00"),
        ("1000 €", "1000.00"),
        ("€1000", "1000.00"),
        ("EUR 1000", "1000.00"),
        ("1000EUR", "1000.00"),
        ("1000 euros", "1000.00"),
        ("1000,50 Euro", "1000.50"),
        (" eur 12.5 ", "12.50"),
        (12, "12.00"),
        (Decimal("99.9"), "99.90"),
    ],
)
def test_euros_said_around_the_amount_are_read(text, amount):
    assert parse_euros(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    ["1000 USD", "1000 usd", "$1000", "US$ 5", "1 000 £", "¥300", "5000 dollars", "20 livres"],
)
def test_another_currency_is_refused_with_one_message(text):
    with pytest.raises(ValidationError) as caught:
        parse_euros(text)
    assert caught.value.code == "currency"
    assert OTHER_CURRENCY in caught.value.messages[0]


@pytest.mark.parametrize(
    "text,message",
    [
        ("1e6", "is not an amount in euros"),
        ("NaN €", "is not an amount in euros"),
        ("europe 1000", "is not an amount in euros"),
        ("1 000 €", "is not an amount in euros"),
        ("€", "is not an amount in euros"),
        ("-5 €", "cannot be negative"),
        ("12.345 EUR", "At most two decimals"),
        ("0 €", "must be above zero"),
    ],
)
def test_the_rules_of_amounts_still_hold(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_euros(text)
    assert message in caught.value.messages[0]


def test_zero_when_it_is_an_answer():
    assert parse_euros("0 €", allow_zero=True) == Decimal("0.00")


def test_the_form_field_reads_the_same():
    field = EuroAmountFormField(required=False, allow_zero=True)
    assert field.clean("EUR 1234") == Decimal("1234.00")
    assert field.clean("") is None
    with pytest.raises(ValidationError, match="Amounts are in euros"):
        field.clean("1000 USD")


class Amounts(serializers.Serializer):
    amount = EuroAmountField(allow_zero=True, allow_null=True, required=False)
    currency = CurrencyField()


@pytest.mark.parametrize(
    "data,valid",
    [
        ({"amount": "1000 €"}, {"amount": Decimal("1000.00")}),
        ({"amount": "12.50", "currency": "EUR"}, {"amount": Decimal("12.50"), "currency": "EUR"}),
        ({"amount": None, "currency": " eur "}, {"amount": None, "currency": "EUR"}),
        ({}, {}),
    ],
)
def test_the_api_fields_read_euros(data, valid):
    serializer = Amounts(data=data)
    assert serializer.is_valid(), serializer.errors
    assert dict(serializer.validated_data) == valid


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"amount": "1000 USD"}, "amount", OTHER_CURRENCY),
        ({"amount": "$5"}, "amount", OTHER_CURRENCY),
        ({"amount": "1e9"}, "amount", "is not an amount in euros"),
        ({"currency": "USD"}, "currency", 'Amounts are in euros: convert them and send "EUR"'),
    ],
)
def test_the_api_fields_refuse_other_currencies(data, field, message):
    serializer = Amounts(data=data)
    assert not serializer.is_valid()
    assert list(serializer.errors) == [field]
    assert message in serializer.errors[field][0]


def test_the_currency_reads_as_euros():
    assert Amounts({"amount": Decimal("5")}).data == {"amount": "5.00", "currency": "EUR"}
