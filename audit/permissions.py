"""Who reads the audit trail: the platform's administrators all of it; a pole's staff what
belongs to their pole (its staff, memberships, fees, committees, campaigns, and the
labelling, expert and report records of its projects) and what belongs to the projects
submitted to it (their partners, contacts, money and states). An entry of another pole about
a co-labelled project (its deliberation, its experts) stays that pole's. Nobody else: for
them the trail does not exist (404)."""

from django.db.models import Exists, OuterRef, Q

from portal.models import PoleStaff
from portal.permissions import is_pole_staff, navigation_link, staff_poles
from projects.permissions import staff_submissions

from .models import AuditEntry


def visible_entries(user):
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    poles = staff_poles(user).values("pk")
    projects = staff_submissions(user).values("project_id")
    return AuditEntry.objects.filter(
        Q(pole_id__in=poles) | Q(pole_id__isnull=True, project_id__in=projects)
    )


def may_view_trail(user):
    return user.is_authenticated and (user.is_superuser or is_pole_staff(user))


def may_view_project_trail(user, project):
    """Whether the project's page links to its trail (its entries are ``visible_entries``)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or staff_submissions(user).filter(project=project).exists()


@navigation_link("audit")
def audit_link(user):
    """Whether the navigation shows "Audit trail": administrators and pole staff."""
    if user.is_superuser:
        return True
    return Exists(PoleStaff.objects.filter(person=OuterRef("pk")))
