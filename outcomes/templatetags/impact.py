"""The navigation's link to the impact figures, and the figures written the reader's way."""

from django import template

from portal.charts import format_value
from portal.navigation import link
from portal.templatetags.grappe import euros

register = template.Library()


@register.simple_tag(takes_context=True)
def impact_link(context):
    """Whether the navigation shows "Impact": pole staff and the national view, read with the
    other links in one query a request (``portal.navigation``)."""
    request = context.get("request")
    return request is not None and link(request, "impact")


@register.filter
def amount(value):
    """Euros without cents, "—" when there is no value (no report gives it)."""
    return "—" if value is None else euros(value, 0)


@register.filter
def number(value, decimals=None):
    """A count or FTEs the reader's way (1 234 / 2,5), "—" when there is no value."""
    if value is None:
        return "—"
    return format_value(value, "", None if decimals is None else int(decimals))


@register.filter
def share(value):
    """A percentage with one decimal, "—" when there is none."""
    return "—" if value is None else format_value(value, "%")


@register.filter
def lever(value):
    """Private € per public €, two decimals, "—" without public funding."""
    return "—" if value is None else format_value(value, "", 2)
