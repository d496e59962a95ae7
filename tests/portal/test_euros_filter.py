"""How pages write amounts (the ``euros`` filter): the reader's language's grouping and
decimal mark, rounded half up, exactly as Django's ``number_format`` would write them."""

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from portal.templatetags.grappe import euros

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "language,value,decimals,text",
    [
        ("fr", Decimal("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89{NBSP}€"),
        ("fr", Decimal("1234.5"), 0, f"1{NBSP}235{NBSP}€"),
        ("fr", Decimal("-1234.565"), 2, f"-1{NBSP}234,57{NBSP}€"),
        ("fr", Decimal("-0.004"), 2, f"0,00{NBSP}€"),
        ("en", Decimal("1234567.891"), 2, "€1,234,567.89"),
        ("en", Decimal("-1234.565"), 2, "−€1,234.57"),
        ("en", 12, 0, "€12"),
        ("en", None, 2, "—"),
        ("en", "", 2, "—"),
        ("en", "not an amount", 2, "not an amount"),
    ],
)
def test_an_amount_is_written_the_readers_way(language, value, decimals, text):
    with translation.override(language):
        assert euros(value, decimals) == text


def _with_number_format(value, decimals, language):
    """The amount as the filter wrote it with Django's ``number_format``."""
    amount = Decimal(value)
    if amount.is_finite():
        amount = amount.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = number_format(amount, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if language == "en":
        return f"−€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"{text}{NBSP}€"


def test_the_grouping_is_number_formats_for_every_kind_of_amount():
    """The filter groups the digits itself (quicker, on pages of hundreds of amounts): the
    same text as ``number_format`` for large, small, negative, zero and odd amounts."""
    draw = random.Random(8)
    values = [0, -0, 1, -1, 10**15, Decimal("-0.00"), Decimal("0.005"), Decimal("-999.995")]
    values += [Decimal("1E+3"), Decimal("1.5E-7"), Decimal("Infinity"), 2.5, "12.5"]
    for _ in range(2000):
        digits = Decimal(draw.randint(-(10**9), 10**9)).scaleb(-draw.randint(0, 6))
        values.append(digits * 10 ** draw.randint(0, 5))
    for language in ("fr", "en"):
        with translation.override(language):
            for value in values:
                for decimals in (0, 1, 2, 3):
                    expected = _with_number_format(value, decimals, language)
                    assert euros(value, decimals) == expected, (language, value, decimals)
