"""Who may see and do what on funders and funding lines."""

from portal.permissions import role_group, set_group_members
from projects import permissions as project_permissions

from .models import Funder, FundingLine


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
    """Funding lines show to the consortium, the project's poles and its funders."""
    if not project_permissions.may_view_confidential(user, project):
        return FundingLine.objects.none()
    return project.funding_lines.select_related("funder", "partner__organisation")


def rebuild_grants():
    for funder in Funder.objects.all():
        sync_funder(funder)
