"""What the audit trail records: the models that hold money, a state or a permission, and for
each, the project and the pole its changes belong to (whose staff read them).

A permission is held through a role — a pole's staff, a project's contact, an expert's
assignment, a funder's reviewers, an organisation's admins, a person's admin flags, an API
token —, never granted by hand: django-guardian's rows follow the roles (``sync_project``,
``sync_pole_staff``, ``sync_funder``), so the trail records the roles."""

from dataclasses import dataclass

# Bookkeeping that says nothing to an auditor: optimistic locking's counter, save stamps,
# reminders' dates, and secrets.
NEVER = frozenset({"id", "version", "updated_at", "reminded_on", "key_hash", "last_used_at"})


@dataclass(frozen=True)
class Track:
    project: str | None = None  # attribute path to the project's pk ("line.project_id")
    pole: str | None = None  # attribute path to the pole's pk
    fields: tuple = ()  # only these fields (all but ``NEVER`` and ``exclude`` when empty)
    exclude: tuple = ()
    m2m: tuple = ()  # many-to-many fields whose additions and removals are recorded
    changes_only: bool = False  # a creation is recorded only when a field is set


TRACKED = {
    # Permissions (roles) and accounts' admin flags.
    "portal.Person": Track(fields=("is_active", "is_staff", "is_superuser"), changes_only=True),
    "portal.PoleStaff": Track(pole="pole_id"),
    "portal.Affiliation": Track(),
    "projects.Contact": Track(project="partner.project_id"),
    "projects.ExpertAssignment": Track(project="project_id", pole="pole_id"),
    "funding.Funder": Track(fields=("name",), m2m=("reviewers",), changes_only=True),
    "tokens.ApiToken": Track(),
    # States.
    "projects.Project": Track(project="pk"),
    "projects.StateChange": Track(project="project_id"),
    "projects.Submission": Track(project="project_id", pole="pole_id"),
    "projects.CommitteeSession": Track(pole="pole_id"),
    "projects.Milestone": Track(project="project_id"),
    "portal.Membership": Track(pole="pole_id"),
    "portal.MembershipApplication": Track(
        pole="pole_id", exclude=("activities", "needs", "project_idea")
    ),
    "portal.ErasureRequest": Track(),
    "outcomes.Campaign": Track(pole="pole_id"),
    "outcomes.OutcomeReport": Track(
        project="project_id", pole="campaign.pole_id", exclude=("submitted_figures",)
    ),
    # Money.
    "projects.Partner": Track(project="project_id"),
    "funding.FundingLine": Track(project="project_id"),
    "funding.Disbursement": Track(project="line.project_id"),
    "funding.Repayment": Track(project="line.project_id"),
    "funding.PrivateRound": Track(project="partner.project_id"),
    "outcomes.MarketLaunch": Track(project="project_id"),
    "outcomes.LaunchRevenue": Track(project="launch.project_id"),
    "outcomes.PartnerFigures": Track(project="report.project_id", pole="report.campaign.pole_id"),
    "portal.FeeSchedule": Track(pole="pole_id"),
    "portal.FeeCall": Track(pole="membership.pole_id"),
    "portal.Payment": Track(pole="fee_call.membership.pole_id"),
}
