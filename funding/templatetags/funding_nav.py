"""The navigation's funding links, shown only to those they have something for."""

from django import template
from django.db.models import BooleanField, Case, Exists, Value, When

from funding import permissions
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
        # Pole staff see the dashboard; the others when they see some lines in full (a
        # consortium's, a pole's: a reviewer's are in their portfolio), asked only then.
        row = (
            Person.objects.filter(pk=user.pk)
            .annotate(
                dashboard=Case(
                    When(Exists(permissions.dashboard_poles(user)), then=Value(True)),
                    default=Exists(permissions.some_figure_lines(user)),
                    output_field=BooleanField(),
                ),
                reviewer=Exists(permissions.funders_of(user)),
            )
            .values("dashboard", "reviewer")
            .get()
        )
        request._funding_links = {
            "dashboard": bool(row["dashboard"]),
            "portfolio": bool(row["reviewer"]),
        }
    return request._funding_links
