"""The project list as a spreadsheet: public fields for every project the person may see,
the consortium and its budget only for those they see in full."""

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.exports import Column
from portal.models import Pole

from . import permissions
from .models import Partner


def _names(related):
    return lambda project: ", ".join(str(item) for item in getattr(project, related).all())


PROJECT_COLUMNS = [
    Column(_("Acronym"), "acronym"),
    Column(_("Title"), "title"),
    Column(_("State"), "get_state_display"),
    Column(_("Poles"), _names("poles")),
    Column(_("Themes"), _names("themes")),
    Column(_("TRL at start"), "trl_start"),
    Column(_("Target TRL"), "trl_target"),
    Column(_("Start date"), "start_date"),
    Column(_("End date"), "end_date"),
    Column(_("Labelled on"), "labelled_on"),
    Column(_("Public summary"), "public_summary"),
    # Empty unless the person sees the project in full (see project_rows).
    Column(_("Coordinator"), "export_coordinator"),
    Column(_("Partners"), "export_partner_count", kind="integer"),
    Column(_("Eligible costs (€)"), "export_budget", kind="money"),
]


def project_rows(user, projects):
    """``projects`` (already restricted to what ``user`` may see, and filtered) with the
    consortium figures computed in the database only where ``user`` sees the project in full."""
    partners = Partner.objects.filter(project=OuterRef("pk"))
    coordinator = partners.filter(role=Partner.Role.COORDINATOR).values("organisation__legal_name")
    count = partners.order_by().values("project").annotate(n=Count("pk")).values("n")
    budget = partners.order_by().values("project").annotate(total=Sum("budget")).values("total")
    money = DecimalField(max_digits=16, decimal_places=2)
    # Subqueries, not joins: the list's filters already join partners and would multiply sums.
    return (
        permissions.with_access(projects, user)
        .annotate(
            export_coordinator=Case(
                When(full_access=True, then=Subquery(coordinator[:1])),
                default=Value(None),
                output_field=CharField(),
            ),
            export_partner_count=Case(
                When(full_access=True, then=Coalesce(Subquery(count), 0)),
                default=Value(None),
                output_field=IntegerField(),
            ),
            export_budget=Case(
                When(
                    full_access=True, then=Coalesce(Subquery(budget), Value(0), output_field=money)
                ),
                default=Value(None),
                output_field=money,
            ),
        )
        .prefetch_related(Prefetch("poles", queryset=Pole.objects.order_by("name")), "themes")
    )
