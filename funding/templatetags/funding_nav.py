"""The navigation's funding links, shown only to those they have something for."""

from django import template

from portal.navigation import link

register = template.Library()


@register.simple_tag(takes_context=True)
def funding_links(context):
    """{"dashboard": pole staff, or people who see some funding; "portfolio": funder
    reviewers} (``funding.permissions``), read with the other links in one query a request."""
    request = context.get("request")
    if request is None:
        return {"dashboard": False, "portfolio": False}
    return {
        "dashboard": link(request, "funding_dashboard"),
        "portfolio": link(request, "funding_portfolio"),
    }
