"""Filters for the funding figures: shares and ratios written the reader's way."""

from django import template

from portal.charts import format_value

register = template.Library()


@register.filter
def percent(value):
    """42.5 → "42.5%" in English, "42,5 %" in French; "—" when there is no share."""
    return "—" if value is None else format_value(value, "%")


@register.filter
def ratio(value):
    """A ratio with two decimals (the leverage); "—" when there is none."""
    return "—" if value is None else format_value(value, "", 2)
