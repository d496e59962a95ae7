"""Who may see and do what on funders and funding lines."""

from django.contrib.auth.models import Group
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.http import Http404

from portal.permissions import (
    navigation_link,
    per_request,
    role_group,
    set_group_members,
    staff_poles,
)
from projects import permissions as project_permissions
from projects.models import Project, ProjectGroupObjectPermission, Submission

from .models import Disbursement, Funder, FundingLine, PrivateRound, Programme, Repayment


def sync_funder(funder):
    set_group_members(role_group("funder", funder.pk, "reviewers"), funder.reviewers.all())


@project_permissions.grant_provider
def funder_grants(project):
    """A funder's reviewers see the projects their funder has a line on."""
    for funder_id in (
        FundingLine.objects.filter(project=project).values_list("funder_id", flat=True).distinct()
    ):
        yield role_group("funder", funder_id, "reviewers"), project_permissions.VIEW


def funders_of(user):
    if not user.is_authenticated:
        return Funder.objects.none()
    return Funder.objects.filter(reviewers=user)


def visible_funding_lines(user, project):
    """The lines of ``project`` that ``user`` sees in full: all of them for the consortium
    and the project's poles' staff, their funders' own for a funder's reviewers (the other
    funders' lines show to them as totals: ``other_funding_totals``), none otherwise."""
    access = funding_access(user, project)
    lines = project.funding_lines.select_related("funder", "programme", "partner__organisation")
    if access == ALL_LINES:
        return lines
    if access == OWN_LINES:
        return lines.filter(funder_id__in=funder_ids(user))
    return FundingLine.objects.none()


# Role groups ("<kind>:<pk>:<role>") whose members see every line of a project: its consortium
# and the staff of its poles. A funder's reviewers see their funders' lines; experts none.
LINE_READER_GROUPS = ("project:", "pole:")


def funding_lines_for(user):
    """Every funding line ``user`` may see, across projects (exports, lists)."""
    if not user.is_authenticated:
        return FundingLine.objects.none()
    if user.is_superuser:
        return FundingLine.objects.all()
    own = Q(
        funder__in=funders_of(user).values("pk"),
        project__in=project_permissions.projects_with(user, project_permissions.VIEW).values("pk"),
    )
    return FundingLine.objects.filter(Q(project__in=_reader_projects(user)) | own)


def rebuild_grants():
    for funder in Funder.objects.all():
        sync_funder(funder)


# --- Figures: the funding dashboard and the funders' portfolios ----------------------------


def figure_projects(user, pole=None):
    """The projects whose funding counts in ``user``'s figures: those whose every line they see,
    through the consortium or a pole's staff (``_reader_projects``). Not a funder's reviewers,
    who see the other funders' lines as totals only (their figures are their portfolio's),
    nor experts. With ``pole``: those submitted to it (not withdrawn)."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        projects = Project.objects.all()
    else:
        projects = Project.objects.filter(pk__in=_reader_projects(user))
    if pole is not None:
        projects = projects.filter(pk__in=pole_figure_projects(pole).values("pk"))
    return projects


def pole_figure_projects(pole):
    """The projects whose funding counts in ``pole``'s figures: those submitted to it (not
    withdrawn). Its staff see every line of each (``_reader_projects``), so these are the
    figures of whoever of them asks — the same figures, kept once for all of them."""
    submitted = Submission.objects.filter(project=OuterRef("pk"), pole=pole).exclude(
        decision=Submission.Decision.WITHDRAWN
    )
    return Project.objects.filter(Exists(submitted))


def dashboard_poles(user):
    """The poles whose funding dashboard ``user`` sees: those they work for."""
    return staff_poles(user).order_by("name", "pk")


def some_figure_lines(user):
    """A query with a row when some funding line counts in ``user``'s figures (a line of
    ``figure_projects``), for ``Exists()``: it walks ``user``'s own grants and stops at the
    first project with a line, however many projects they see."""
    if not user.is_authenticated:
        return FundingLine.objects.none()
    if user.is_superuser:
        return FundingLine.objects.all()
    readers = Q()
    for prefix in LINE_READER_GROUPS:
        readers |= Q(name__startswith=prefix)
    # Group by group (a funder's reviewers may see thousands of projects, through a group
    # that does not count here): the grants of each reader group, up to one with a line.
    has_lines = FundingLine.objects.filter(project_id=OuterRef("content_object_id"))
    grants = ProjectGroupObjectPermission.objects.filter(
        Exists(has_lines),
        group=OuterRef("pk"),
        permission_id=project_permissions.view_permission_pk(),
    )
    return Group.objects.filter(readers, Exists(grants), user=user)


@navigation_link("funding_dashboard")
def dashboard_link(user):
    """Whether the navigation shows the funding dashboard: pole staff see it; the others when
    they see some lines in full (a consortium's, a pole's: a reviewer's are in their
    portfolio), asked only then."""
    return Case(
        When(Exists(dashboard_poles(user)), then=Value(True)),
        default=Exists(some_figure_lines(user)),
        output_field=BooleanField(),
    )


@navigation_link("funding_portfolio")
def portfolio_link(user):
    """Whether the navigation shows the funding portfolio: funder reviewers."""
    return Exists(funders_of(user))


def portfolio_lines(user):
    """A funder reviewer's portfolio: the lines of the funders they review (``funder_lines``)."""
    return funder_lines(funder_ids(user))


def funder_lines(funder_ids):
    """The lines of the funders ``funder_ids``. Their reviewers see the project of each one
    (``funder_grants``), so these are the portfolio of whoever of them asks — the same lines,
    their totals kept once for all of them (``figures.portfolio_figures``)."""
    return FundingLine.objects.filter(funder_id__in=funder_ids)


def portfolio_disbursements(user):
    """The tranches of the lines of ``user``'s portfolio."""
    return Disbursement.objects.filter(line__funder_id__in=funder_ids(user))


# --- The funding record of a project: who sees which lines, who records what ----------------

ALL_LINES = "all"  # every line in full, and the private rounds
OWN_LINES = "own"  # a funder's reviewer: their funders' lines in full, the others as totals

# What each side of a line may change: the consortium's leaders apply, the funder decides.
APPLICATION_FIELDS = frozenset({"partner", "programme", "amount_requested", "status"})
DECISION_FIELDS = frozenset(
    {
        "status",
        "amount_granted",
        "over_request_confirmed",
        "decision_date",
        "conditions",
        "amount_cancelled",
    }
)
_Status = FundingLine.Status
# The moves of a line each side makes (within FundingLine.TRANSITIONS).
APPLICATION_MOVES = {
    _Status.PLANNED: {_Status.APPLIED, _Status.WITHDRAWN},
    _Status.APPLIED: {_Status.WITHDRAWN},
}
DECISION_MOVES = {
    _Status.APPLIED: {_Status.GRANTED, _Status.REFUSED},
    _Status.GRANTED: {_Status.CLOSED},
}


def funder_ids(user):
    """The funders ``user`` reviews for, read once per request."""
    if not user.is_authenticated:
        return frozenset()
    return per_request(
        user, "_funder_ids", lambda: frozenset(funders_of(user).values_list("pk", flat=True))
    )


def _reader_projects(user):
    """The projects whose every line ``user`` sees: through their consortium or their poles."""
    readers = Q()
    for prefix in LINE_READER_GROUPS:
        readers |= Q(group__name__startswith=prefix)
    return ProjectGroupObjectPermission.objects.filter(
        readers,
        group__user=user,
        permission_id=project_permissions.view_permission_pk(),
    ).values("content_object_id")


def funding_access(user, project):
    """How ``user`` sees the funding of ``project``: ``ALL_LINES``, ``OWN_LINES`` or None
    (experts and everyone else: the funding section does not exist for them)."""
    if not user.is_authenticated:
        return None
    cache = project.__dict__.setdefault("_funding_access", {})
    if user.pk not in cache:
        cache[user.pk] = _funding_access(user, project)
    return cache[user.pk]


def _funding_access(user, project):
    if user.is_superuser:
        return ALL_LINES
    if not project_permissions.may_view_confidential(user, project):
        return None
    # The consortium and the staff of its poles see every line (``_reader_projects``).
    if any(
        g.startswith(LINE_READER_GROUPS) for g in project_permissions.view_groups(user, project)
    ):
        return ALL_LINES
    if project.funding_lines.filter(funder_id__in=funder_ids(user)).exists():
        return OWN_LINES
    return None


def may_view_funding(user, project):
    return funding_access(user, project) is not None


def get_project_or_404(user, pk):
    """The project if ``user`` sees its funding; otherwise a 404."""
    return project_permissions.get_project_or_404(user, pk, need=may_view_funding)


def other_funding_totals(user, project):
    """For a funder's reviewer: the other funders' lines of ``project``, summed by kind of
    funder (public, private), never line by line (refused and withdrawn ones left out)."""
    if funding_access(user, project) != OWN_LINES:
        return []
    decided = Q(status__in=FundingLine.DECIDED)
    rows = (
        project.funding_lines.exclude(funder_id__in=funder_ids(user))
        .exclude(status__in=[_Status.REFUSED, _Status.WITHDRAWN])
        .values("funder__kind")
        .annotate(
            requested=Sum("amount_requested"),
            granted=Sum("amount_granted", filter=decided),
            lines=Count("pk"),
        )
        .order_by("-funder__kind")
    )
    return [{**row, "kind": Funder.Kind(row.pop("funder__kind"))} for row in rows]


def visible_private_rounds(user, project):
    """Private rounds show, with their investors, where every line does."""
    if funding_access(user, project) != ALL_LINES:
        return PrivateRound.objects.none()
    return PrivateRound.objects.filter(partner__project=project).select_related(
        "partner__organisation"
    )


def private_rounds_total(user, project):
    """What a funder's reviewer sees of the private rounds: their total (the leverage)."""
    if funding_access(user, project) is None:
        return None
    rounds = PrivateRound.objects.filter(partner__project=project)
    return rounds.aggregate(total=Sum("amount"))["total"]


def disbursements_for(user):
    """Every tranche of a line ``user`` sees in full."""
    return Disbursement.objects.filter(line__in=funding_lines_for(user))


def repayments_for(user):
    return Repayment.objects.filter(line__in=funding_lines_for(user))


def private_rounds_for(user):
    """Every private round ``user`` sees, across projects."""
    if not user.is_authenticated:
        return PrivateRound.objects.none()
    if user.is_superuser:
        return PrivateRound.objects.all()
    return PrivateRound.objects.filter(partner__project__in=_reader_projects(user))


def reviews(user, line):
    """Whether ``user`` is a reviewer of ``line``'s funder (or an administrator)."""
    return user.is_authenticated and (user.is_superuser or line.funder_id in funder_ids(user))


def may_add_line(user, project):
    """The project's leaders record its applications."""
    return project_permissions.may_change(user, project)


def may_edit_application(user, line):
    """The leaders change a line until the funder decides (planned or applied)."""
    return line.status in APPLICATION_MOVES and project_permissions.may_change(user, line.project)


def may_decide(user, line):
    """The funder's reviewers decide on an application, then correct their decision (amount,
    conditions, cancellations) or close the line, on their funder's lines only."""
    return line.status in DECISION_MOVES and reviews(user, line)


def may_record_disbursement(user, line):
    """The funder's reviewers record the tranches of a granted (or closed) line."""
    return line.status in FundingLine.DECIDED and reviews(user, line)


def may_record_repayment(user, line):
    return may_record_disbursement(user, line) and line.programme.instrument in Programme.REPAID


def changeable_line_fields(user, line):
    """The fields of ``line`` that ``user`` may change now."""
    fields = set()
    if may_edit_application(user, line):
        fields |= APPLICATION_FIELDS
    if may_decide(user, line):
        fields |= DECISION_FIELDS
    return frozenset(fields)


def line_moves_for(user, line):
    """The statuses ``user`` may move ``line`` to."""
    moves = set()
    if may_edit_application(user, line):
        moves |= APPLICATION_MOVES.get(line.status, set())
    if may_decide(user, line):
        moves |= DECISION_MOVES.get(line.status, set())
    return [status for status in _Status if status in moves]


def may_move_line(user, line, status):
    return status == line.status or status in line_moves_for(user, line)


def may_manage_private_rounds(user, project):
    """The project's leaders record the rounds their partner companies raised."""
    return project_permissions.may_change(user, project)


def line_or_404(user, project, pk):
    """A line of ``project`` that ``user`` sees in full; otherwise a 404."""
    try:
        line = visible_funding_lines(user, project).get(pk=pk)
    except (FundingLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    line.project = project  # the same object: its permissions are read once
    return line
