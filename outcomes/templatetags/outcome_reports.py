"""The figures of outcome reports written the reader's way, and the navigation's link to the
reporting campaigns (for those who follow some)."""

from django import template

from portal.charts import format_value
from portal.navigation import link
from portal.templatetags.grappe import euros

register = template.Library()


@register.filter
def figure(item):
    """A report's figure ({"value", "kind"}): euros, a share, FTEs or a count; "—" when it is
    not given yet."""
    value, kind = item["value"], item["kind"]
    if value is None:
        return "—"
    if kind == "money":
        return euros(value)
    if kind == "percent":
        return format_value(value, "%", 2 if value != int(value) else 0)
    if kind == "fte":
        return format_value(value, "", 1)
    return format_value(value, "")


@register.simple_tag(takes_context=True)
def campaign_link(context):
    """Whether the navigation shows "Campaigns": pole staff (and superusers), read with the
    other links in one query a request (``portal.navigation``)."""
    request = context.get("request")
    return request is not None and link(request, "campaigns")
