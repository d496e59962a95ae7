"""Fields and parsing shared by every app's API."""

import codecs

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

from portal.money import parse_euros, parse_money


class JSONNumber(str):
    """A JSON number with a fraction or an exponent, or NaN/Infinity, as written: parsed into a
    float it could not tell ``1e9`` from ``1000000000.0``, nor say which amount was meant."""


class StrictJSONParser(JSONParser):
    """JSON whose non-integer numbers keep their text (``JSONNumber``): money fields read them
    strictly; other fields read text as they read a string."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            decoded = codecs.getreader(get_encoding(parser_context or {}))(stream)
            return json.load(decoded, parse_float=JSONNumber, parse_constant=JSONNumber)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


class MoneyField(serializers.DecimalField):
    """An amount in euros, read by ``portal.money.parse_money``: as text (``"1234.56"``) or a
    JSON number written plainly (``1234.56``); never ``1e9``, ``NaN``, ``Infinity``, a sign,
    thousands separators or more than two decimals. Written back as text with two decimals."""

    def __init__(self, *, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    parse = staticmethod(parse_money)

    def to_internal_value(self, data):
        if isinstance(data, JSONNumber):
            data = str(data)
        if data == "":
            if self.allow_null:
                return None
            self.fail("required")
        try:
            return self.parse(data, allow_zero=self.allow_zero)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class EuroAmountField(MoneyField):
    """An amount that may say it is in euros (``"1000 €"``, ``"EUR 1000"``), read by
    ``portal.money.parse_euros``; one in another currency (``"$1000"``, ``"1000 USD"``) is
    refused, never read as euros."""

    parse = staticmethod(parse_euros)


CURRENCY = "EUR"


class CurrencyField(serializers.CharField):
    """The currency of a serializer's amounts: always "EUR". A client may send it to say so
    (in any case); any other currency is refused rather than read as euros."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", 'Optional: amounts are in euros, "EUR" only.')
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return CURRENCY

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip().upper()
        if value != CURRENCY:
            raise serializers.ValidationError(
                str(_('Amounts are in euros: convert them and send "EUR" or no currency.')),
                code="currency",
            )
        return value


class VersionField(serializers.IntegerField):
    """The object's version (optimistic locking, ``portal.modelutils.claim_version``): read,
    and optionally sent with an update to be told (409) of a change saved meanwhile."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "On update, the version you edited: a change saved meanwhile by someone else "
            "makes the update fail with 409 and the newer values.",
        )
        super().__init__(**kwargs)
