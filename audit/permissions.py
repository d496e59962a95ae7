"""Who reads the audit trail: the platform's administrators all of it; a pole's staff what
belongs to their pole (its staff, memberships, fees, committees, campaigns, and the
labelling, expert and report records of its projects) and what belongs to the projects
submitted to it (their partners, contacts, money and states). An entry of another pole about
a co-labelled project (its deliberation, its experts) stays that pole's. Nobody else: for
them the trail does not exist (404)."""

from django.db.models import Exists, OuterRef, Q

from portal.models import PoleStaff
from portal.permissions import navigation_link
from projects.models import Submission

from .models import AuditEntry


def _staff_pole_ids(user):
    return PoleStaff.objects.filter(person=user).values("pole_id")


def visible_entries(user):
    if not user.is_authenticated:
        return AuditEntry.objects.none()
    if user.is_superuser:
        return AuditEntry.objects.all()
    poles = _staff_pole_ids(user)
    projects = (
        Submission.objects.filter(pole__in=poles)
        .exclude(decision=Submission.Decision.WITHDRAWN)
        .values("project_id")
    )
    return AuditEntry.objects.filter(
        Q(pole_id__in=poles) | Q(pole_id__isnull=True, project_id__in=projects)
    )


def may_view_trail(user):
    return user.is_authenticated and (
        user.is_superuser or PoleStaff.objects.filter(person=user).exists()
    )


def may_view_project_trail(user, project):
    """Whether the project's page links to its trail (its entries are ``visible_entries``)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        Submission.objects.filter(project=project, pole__in=_staff_pole_ids(user))
        .exclude(decision=Submission.Decision.WITHDRAWN)
        .exists()
    )


@navigation_link("audit")
def audit_link(user):
    """Whether the navigation shows "Audit trail": administrators and pole staff."""
    if user.is_superuser:
        return True
    return Exists(PoleStaff.objects.filter(person=OuterRef("pk")))
