"""Who may see and do what on market launches, reporting campaigns, outcome reports and the
impact figures: the only place that decides it (pages and API both call it).

- Launches belong to their project: whoever sees its confidential part sees them; its leaders
  record any, a partner's contacts their own partner's.
- Campaigns are their pole's staff's: they open them, follow them, validate or return reports.
- A report shows to its consortium, to the staff of the campaign's pole (not another pole's,
  even on a co-labelled project), and to the reviewers of a funder with a line on the project;
  not to experts. Its leaders fill and submit it; each partner's contacts fill their partner's
  figures; nothing changes once it is submitted, until staff return it; validated, it is locked.
- Impact figures: the staff of a pole see their pole's; the national view (every pole of the
  installation) is for superusers and people given ``outcomes.view_national_impact``.
"""

from django.contrib.auth.models import Permission
from django.db.models import Exists, Q
from django.shortcuts import get_object_or_404

from funding.models import FundingLine
from funding.permissions import funder_ids, funders_of
from portal.models import Pole
from portal.permissions import is_pole_staff, navigation_link, staff_pole_ids, staff_poles
from projects import permissions as project_permissions
from projects.models import ProjectGroupObjectPermission

from .models import Campaign, MarketLaunch, OutcomeReport, PartnerFigures

NATIONAL = "outcomes.view_national_impact"


# --- Launches --------------------------------------------------------------------------------


def visible_launches(user):
    """Every launch ``user`` may see: those of the projects whose confidential part they see."""
    return MarketLaunch.objects.filter(
        project__in=project_permissions.projects_with(user, project_permissions.VIEW)
    )


def may_view_launches(user, project):
    return project_permissions.may_view_confidential(user, project)


def project_launches(user, project):
    """The launches of ``project`` that ``user`` may see (``visible_launches`` for one
    project: all of them or none, without reading every project ``user`` sees)."""
    if not may_view_launches(user, project):
        return MarketLaunch.objects.none()
    return MarketLaunch.objects.filter(project=project)


def may_record_launch(user, project):
    """Leaders record any partner's launches, a partner's contacts their partner's."""
    return bool(project_permissions.changeable_partner_ids(user, project))


def launch_partners(user, project):
    """The partners of ``project`` whose launches ``user`` records."""
    return project.partners.filter(
        pk__in=project_permissions.changeable_partner_ids(user, project)
    ).select_related("organisation")


def may_change_launch(user, launch):
    return project_permissions.may_change_partner(user, launch.partner)


def recordable_partners(user):
    """Every partner whose launches ``user`` records, on any project."""
    return project_permissions.manageable_partners(user)


def launch_partner_ids(user, project):
    """The partners of ``project`` whose launches ``user`` records and changes, in one query
    (``may_change_launch`` for a whole section)."""
    return project_permissions.changeable_partner_ids(user, project)


def linkable_projects(user):
    """The projects ``user`` may say a launch also came from: those they lead."""
    return project_permissions.projects_with(user, project_permissions.CHANGE)


def other_project_choices(user, project):
    """The other projects offered for a launch of ``project``: those ``user`` leads where an
    organisation whose launches they record is a partner (the service checks the launch's)."""
    organisations = launch_partners(user, project).values("organisation")
    return (
        linkable_projects(user)
        .exclude(pk=project.pk)
        .filter(partners__organisation__in=organisations)
        .distinct()
        .order_by("acronym", "pk")
    )


def kept_other_projects(user, launch):
    """The other projects of ``launch`` not offered to ``user`` (another leader linked them):
    their edit keeps them."""
    offered = other_project_choices(user, launch.project).order_by().values("pk")
    return launch.other_projects.exclude(pk__in=offered)


def shown_other_projects(user):
    """The other projects a launch names to ``user``: those that exist for them."""
    return project_permissions.visible_projects(user).order_by("acronym", "pk")


# --- Campaigns -------------------------------------------------------------------------------


def campaign_poles(user):
    """The poles whose campaigns ``user`` opens and follows."""
    if user.is_authenticated and user.is_superuser:
        return Pole.objects.all()
    return staff_poles(user)


@navigation_link("campaigns")
def campaign_link(user):
    """Whether the navigation shows "Campaigns": to those with some ``campaign_poles``."""
    return Exists(campaign_poles(user))


def may_open_campaign(user, pole):
    return user.is_authenticated and (user.is_superuser or is_pole_staff(user, pole))


def visible_campaigns(user):
    return Campaign.objects.filter(pole__in=campaign_poles(user))


def may_manage_campaign(user, campaign):
    return may_open_campaign(user, campaign.pole)


# --- Reports ---------------------------------------------------------------------------------


def _consortium_projects(user):
    """The projects whose consortium ``user`` belongs to (leaders included)."""
    return ProjectGroupObjectPermission.objects.filter(
        group__user=user,
        group__name__startswith="project:",
        group__name__endswith=":consortium",
        permission_id=project_permissions.view_permission_pk(),
    ).values("content_object_id")


def visible_reports(user):
    """Every outcome report ``user`` may read."""
    if not user.is_authenticated:
        return OutcomeReport.objects.none()
    if user.is_superuser:
        return OutcomeReport.objects.all()
    funded = FundingLine.objects.filter(funder__in=funders_of(user)).values("project")
    return OutcomeReport.objects.filter(
        Q(project__in=_consortium_projects(user))
        | Q(campaign__pole__in=staff_poles(user))
        | Q(project__in=funded)
    )


def project_reports(user, project):
    """``visible_reports`` for one project (its page's section), each condition scoped to it:
    the consortium's is read from the grants the page read already, a funder's is a line of
    their funder on this project; the query reads this project's reports only."""
    if not user.is_authenticated:
        return OutcomeReport.objects.none()
    reports = OutcomeReport.objects.filter(project=project)
    if user.is_superuser or any(
        name.startswith("project:") and name.endswith(":consortium")
        for name in project_permissions.view_groups(user, project)
    ):
        return reports
    # The person's poles and funders as the page read them already (kept on ``user``).
    condition = Q(campaign__pole__in=staff_pole_ids(user))
    if funders := funder_ids(user):
        condition |= Exists(FundingLine.objects.filter(project=project, funder__in=funders))
    return reports.filter(condition)


def may_fill_report(user, report):
    """The leaders write the narrative, correct any partner's figures and submit, whatever
    the report's state: on a submitted or validated report the services say why nothing
    changes (the person is told, not 404); the pages and the API offer to fill it while it
    ``is_editable``."""
    return project_permissions.may_change(user, report.project)


def fillable_partner_ids(user, report):
    """The partners of ``report`` whose figures ``user`` fills (a partner's contacts their
    partner's, the leaders everyone's), whatever the report's state, in one query."""
    return project_permissions.changeable_partner_ids(user, report.project)


def may_review_report(user, report):
    """The staff of the campaign's pole validate or return a report, whatever its state: the
    services refuse to validate or return one that is not submitted, with their reason."""
    return may_manage_campaign(user, report.campaign)


def reports_to_review(user):
    """The submitted reports of the campaigns ``user`` follows (their home page)."""
    return OutcomeReport.objects.filter(
        state=OutcomeReport.State.SUBMITTED, campaign__pole__in=campaign_poles(user)
    )


def reports_to_fill(user):
    """The reports waiting for ``user``'s figures or submission (their home page)."""
    if not user.is_authenticated:
        return OutcomeReport.objects.none()
    return OutcomeReport.objects.filter(
        project__in=project_permissions.manageable_partner_projects(user),
        state__in=OutcomeReport.EDITABLE,
    )


def visible_figures(user):
    return PartnerFigures.objects.filter(report__in=visible_reports(user))


# --- Impact figures --------------------------------------------------------------------------


def impact_poles(user):
    """The poles whose impact figures ``user`` sees."""
    if may_view_national(user):
        return Pole.objects.all()
    return staff_poles(user)


def may_view_national(user):
    return user.is_authenticated and (user.is_superuser or user.has_perm(NATIONAL))


def impact_pole_or_404(user, pole_pk):
    """The pole ``pole_pk`` if ``user`` sees its impact figures; else it does not exist for
    them (the yearly report, the API)."""
    return get_object_or_404(impact_poles(user), pk=pole_pk)


@navigation_link("impact")
def impact_link(user):
    """Whether ``user`` sees the impact figures of some pole (the navigation's link): staff of
    a pole, or the national view; an ``Exists`` for ``portal.navigation``."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    app_label, codename = NATIONAL.split(".")
    national = Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label=app_label, codename=codename
    )
    return Exists(Pole.objects.filter(Q(polestaff__person=user) | Q(Exists(national))))


def may_view_impact(user):
    """Whether ``user`` sees the impact figures of some pole; one query."""
    link = impact_link(user)
    return link if isinstance(link, bool) else Pole.objects.filter(link).exists()
