"""Amounts of money as people type them, read strictly: euros with at most two decimals.

Python's ``Decimal`` (and so Django's and DRF's decimal fields) reads ``1e9``, ``NaN``,
``Infinity`` or ``-0``; a person typing ``1.234,56`` means 1234.56 in French and 1.23456 to
a program. None of them is an amount anyone meant to type: they are refused with a message
that says how to write it. Every form field and API field where money is typed uses
``MoneyField`` (here) or ``portal.api.fields.MoneyField`` (the API's).

Accepted: digits, then optionally one decimal separator (a point or a comma) and one or two
digits: ``1234``, ``1234.5``, ``1234,56``. Refused: signs, exponents, thousands separators,
spaces inside the number, currency signs, more than two decimals, more than 12 digits
before the decimals (the columns hold 14 digits, 2 of them decimals).

Where people may say the currency (reported revenue, follow-on funding), ``parse_euros``
reads the same amounts with the euro said around them (``1000 €``, ``EUR 1000``, ``1000
euros``) and refuses an amount in any other currency (``$1000``, ``1000 USD``, ``1 000 £``,
``5000 dollars``) rather than read it as euros: ``EuroAmountField`` here, and
``portal.api.fields.EuroAmountField`` and ``CurrencyField`` in the API.
"""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_WHOLE_DIGITS = 12
_AMOUNT = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<cents>[0-9]+))?")
CENT = Decimal("0.01")


def parse_money(value, *, allow_zero=False):
    """The ``Decimal`` amount of ``value`` (a string as typed, an int, or a Decimal), or a
    ``ValidationError`` saying what is wrong with it. Floats are refused: they cannot say
    which amount was written."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(
            _('Send the amount as text with a decimal point, e.g. "1234.56".'), code="float"
        )
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _malformed(value)
        value = format(value, "f")
    text = str(value).strip()
    if text.startswith("-") and _AMOUNT.fullmatch(text[1:]):
        raise ValidationError(_("An amount cannot be negative."), code="negative")
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise _malformed(text)
    whole, cents = match["whole"], match["cents"] or ""
    if len(cents) > 2:
        raise ValidationError(
            _("At most two decimals: amounts are in euros and cents."), code="decimals"
        )
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise ValidationError(_("This amount is too large."), code="too_large")
    amount = Decimal(f"{whole}.{cents or '0'}").quantize(CENT)
    if not amount and not allow_zero:
        raise ValidationError(_("The amount must be above zero."), code="zero")
    return amount


# The euro said before or after the amount: "1000 €", "€1000", "EUR 1000", "1000 euros".
_EURO_MARK = r"(?:€|(?<![^\W\d_])eur(?:os?)?(?![^\W\d_]))"
_EUROS = re.compile(
    rf"\s*(?:{_EURO_MARK}\s*)?(?P<amount>.*?)(?:\s*{_EURO_MARK})?\s*", re.IGNORECASE | re.DOTALL
)
_WORDS = re.compile(r"[^\W\d_]+")
# Words of other currencies people type with an amount; a three-letter word is taken for a
# currency code (USD, gbp…), except those that parse_money refuses as malformed numbers.
_CURRENCY_WORDS = frozenset(
    "dollar dollars pound pounds sterling livre livres franc francs yen yuan renminbi "
    "rouble roubles ruble rubles rupee rupees krona kronor krone kroner zloty real reais "
    "peso pesos won".split()
)
_NOT_CURRENCIES = frozenset({"nan", "inf"})
OTHER_CURRENCY = _(
    "Amounts are in euros: convert this amount into euros and type the number alone, e.g. 1234.56."
)


def in_other_currency(text):
    """Whether ``text`` names a currency other than the euro: a sign ($, £, ¥…), a code
    (USD, GBP…) or a word (dollars, livres…)."""
    if any(unicodedata.category(char) == "Sc" and char != "€" for char in text):
        return True
    for word in _WORDS.findall(text):
        word = word.lower()
        if word in _CURRENCY_WORDS or (len(word) == 3 and word not in _NOT_CURRENCIES):
            return True
    return False


def parse_euros(value, *, allow_zero=False):
    """``parse_money`` of an amount that may say it is in euros (the euro sign, "EUR" or
    "euros" before or after it); an amount in another currency is refused with one message
    (code ``currency``), never read as a number of euros."""
    if isinstance(value, str):
        amount = _EUROS.fullmatch(value)["amount"]
        if in_other_currency(amount):
            raise ValidationError(OTHER_CURRENCY, code="currency")
        value = amount
    return parse_money(value, allow_zero=allow_zero)


def _malformed(text):
    return ValidationError(
        _(
            "“%(value)s” is not an amount in euros: write digits with at most two decimals, "
            "e.g. 1234.56 or 1234,56, without thousands separators, signs or exponents."
        ),
        code="malformed",
        params={"value": str(text)[:40]},
    )


class MoneyInput(forms.TextInput):
    """A text box, not ``type=number``: a browser empties a number box it cannot read (and
    the server would see nothing), and it reads ``1e9``; here the server reads what was typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format(value, "f")
        return super().format_value(value)


class MoneyField(forms.Field):
    """An amount in euros typed in a form, read by ``parse_money``."""

    widget = MoneyInput

    def __init__(self, *, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_money(value, allow_zero=self.allow_zero)


class EuroAmountField(MoneyField):
    """An amount typed in euros, read by ``parse_euros``: the euro may be said around it, an
    amount in another currency is refused."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_euros(value, allow_zero=self.allow_zero)
