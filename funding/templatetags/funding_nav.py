"""The navigation's funding links, shown only to those they have something for."""

from django import template
from django.db.models import Exists

from funding import permissions
from funding.models import FundingLine
from portal.models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def funding_links(context):
    """{"dashboard": pole staff, or people who see some funding; "portfolio": funder
    reviewers} — one query, once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"dashboard": False, "portfolio": False}
    if not hasattr(request, "_funding_links"):
        row = (
            Person.objects.filter(pk=user.pk)
            .annotate(
                staff=Exists(permissions.dashboard_poles(user)),
                lines=Exists(
                    FundingLine.objects.filter(
                        project__in=permissions.figure_projects(user).values("pk")
                    )
                ),
                reviewer=Exists(permissions.funders_of(user)),
            )
            .values("staff", "lines", "reviewer")
            .get()
        )
        # Lines seen in full (a consortium's, a pole's): a reviewer's are in their portfolio.
        request._funding_links = {
            "dashboard": row["staff"] or row["lines"],
            "portfolio": row["reviewer"],
        }
    return request._funding_links
