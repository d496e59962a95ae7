"""What the home page shows each person: a read-only view across the apps."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from funding.permissions import funder_lines, funders_of
from outcomes import permissions as outcome_permissions
from projects import permissions as project_permissions
from projects.models import Contact, ExpertAssignment, Project, State, Submission

from .figures import membership_desks
from .matchmaking import suggested_for
from .models import Affiliation
from .permissions import staff_poles

LISTED = 20  # projects funded by a reviewer's funders listed on their home page


def _pipeline(pole):
    """Projects submitted to ``pole``, counted by state, and those awaiting its decision."""
    submitted = Project.objects.filter(submissions__pole=pole).exclude(
        submissions__decision=Submission.Decision.WITHDRAWN, submissions__pole=pole
    )
    counts = dict(submitted.values_list("state").annotate(n=Count("pk", distinct=True)))
    awaiting = (
        Project.objects.filter(
            submissions__pole=pole, submissions__decision=Submission.Decision.PENDING
        )
        .order_by("submissions__submitted_at")
        .distinct()
    )
    return {
        "pole": pole,
        "by_state": [(State(s).label, s, counts[s]) for s in State.values if counts.get(s)],
        "total": sum(counts.values()),
        "awaiting": list(awaiting[:20]),
    }


def _overdue_milestones(user):
    """Overdue milestones of the open projects ``user`` leads or that were submitted to a pole
    they work for: one query, however many there are."""
    pole_projects = (
        Submission.objects.filter(pole__in=staff_poles(user))
        .exclude(decision=Submission.Decision.WITHDRAWN)
        .values("project")
    )
    led = project_permissions.projects_with(user, project_permissions.CHANGE)
    return list(
        project_permissions.visible_milestones(user)
        .filter(Q(project__in=led) | Q(project__in=pole_projects))
        .filter(done_on__isnull=True, due_date__lt=timezone.localdate())
        .exclude(project__state__in=[State.CLOSED, State.ABANDONED])
        .select_related("project", "partner__organisation")
        .order_by("due_date", "pk")[:20]
    )


def _outcome_reports(user):
    """The reports waiting for ``user``: to fill (consortia), to review (pole staff)."""
    today = timezone.localdate()
    to_fill = list(
        outcome_permissions.reports_to_fill(user)
        .select_related("campaign__pole", "project")
        .order_by("campaign__due_date", "project__acronym", "pk")[:20]
    )
    for report in to_fill:
        report.is_late = report.campaign.due_date < today
    campaign_staff = outcome_permissions.campaign_poles(user).exists()
    to_review = (
        outcome_permissions.reports_to_review(user)
        .select_related("campaign__pole", "project")
        .order_by("submitted_at", "pk")[:20]
        if campaign_staff
        else []
    )
    return {
        "reports_to_fill": to_fill,
        "reports_to_review": list(to_review),
        "campaign_staff": campaign_staff,
    }


def home_sections(user):
    leads = Contact.objects.filter(
        partner__project=OuterRef("pk"), person=user, role=Contact.Role.COORDINATOR_CONTACT
    )
    my_projects = (
        Project.objects.filter(partners__contact_rows__person=user)
        .annotate(is_leader=Exists(leads))
        .distinct()
        .order_by("-updated_at")
    )
    funders = list(funders_of(user))
    # The projects of their portfolio's lines (each one they see: ``funder_grants``).
    lines = funder_lines([funder.pk for funder in funders])
    funded = Project.objects.filter(pk__in=lines.values("project_id")).order_by("acronym")
    # A regional funder funds thousands of projects: the first ones, and how many in all
    # (their lines are in the portfolio).
    funded_listed = list(funded[:LISTED])
    funded_count = funded.count() if len(funded_listed) == LISTED else len(funded_listed)
    expert_for = ExpertAssignment.objects.filter(
        expert=user, closed_at__isnull=True
    ).select_related("project", "pole")
    public = (
        project_permissions.visible_projects(user)
        .filter(labelled_on__isnull=False)
        .exclude(pk__in=my_projects.values("pk"))
        .exclude(pk__in=funded.values("pk"))
        .order_by("-labelled_on", "-pk")[:6]
    )
    return {
        "my_projects": list(my_projects),
        "pipelines": [_pipeline(pole) for pole in staff_poles(user)],
        "membership_desks": membership_desks(user),
        "overdue_milestones": _overdue_milestones(user),
        "funders": funders,
        "funded_projects": funded_listed,
        "funded_count": funded_count,
        "expert_assignments": list(expert_for),
        "public_projects": list(public),
        "affiliations": list(
            Affiliation.objects.filter(person=user).select_related("organisation")
        ),
        "suggestions": suggested_for(user),
        **_outcome_reports(user),
    }
