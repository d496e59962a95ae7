from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import translation
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(value, decimals=2):
    """Money the way the reader's language writes it: 1 234,56 € in French, €1,234.56 in English."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    # Rounded half up: number_format alone would cut the decimals off (1 234,99 → 1 234).
    if amount.is_finite():
        amount = amount.quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP)
    text = number_format(amount, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)
    if translation.get_language() == "en":
        return f"−€{text[1:]}" if text.startswith("-") else f"€{text}"
    return f"{text}\u00a0€"


@register.simple_tag(takes_context=True)
def querystring_with(context, **changes):
    """The current query string with some parameters changed (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"
