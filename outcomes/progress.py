"""How far a campaign's reports have got: counts by state and the table of its reports, read
in a fixed number of queries whatever their number. Reads only; the callers restrict the
campaigns and reports to what the person may see (``outcomes.permissions``)."""

from django.db.models import Count, Max, OuterRef, Q, Subquery

from projects.models import Contact, Partner

from .models import OutcomeReport
from .report_forms import ReportFilterForm, state_choices

State = OutcomeReport.State

# The progress columns, in the order a campaign follows its reports.
PROGRESS = [
    ("not_started", {"state": State.DRAFT, "started_at__isnull": True}),
    ("drafting", {"state": State.DRAFT, "started_at__isnull": False}),
    ("submitted", {"state": State.SUBMITTED}),
    ("returned", {"state": State.RETURNED}),
    ("validated", {"state": State.VALIDATED}),
]
# The filter value of each progress column (``ReportFilterForm``'s choices).
FILTER_OF = {
    "not_started": ReportFilterForm.NOT_STARTED,
    "drafting": ReportFilterForm.STARTED,
    "submitted": State.SUBMITTED.value,
    "returned": State.RETURNED.value,
    "validated": State.VALIDATED.value,
}


def with_progress(campaigns):
    """``campaigns`` annotated with ``total`` and a count per progress column, in the same
    query as the campaigns themselves."""
    return campaigns.annotate(
        total=Count("reports"),
        **{
            name: Count("reports", filter=Q(**{f"reports__{k}": v for k, v in lookups.items()}))
            for name, lookups in PROGRESS
        },
    )


def progress_rows(campaign):
    """[(label, count, filter value)] of an annotated campaign, in the order of the columns."""
    labels = dict(state_choices())
    return [
        (labels[FILTER_OF[name]], getattr(campaign, name), FILTER_OF[name]) for name, _ in PROGRESS
    ]


def report_rows(reports):
    """The reports of a campaign's table, each with its partners complete, its last change,
    its leader organisation and leaders (``finish`` adds the leaders after the query)."""
    history = OutcomeReport.history.model.objects.filter(id=OuterRef("pk"))
    coordinator = Partner.objects.filter(
        project=OuterRef("project_id"), role=Partner.Role.COORDINATOR
    )
    return (
        reports.select_related("project", "campaign__pole")
        .annotate(
            partners_total=Count("figures", distinct=True),
            partners_complete=Count(
                "figures", filter=Q(figures__completed_at__isnull=False), distinct=True
            ),
            figures_changed=Max("figures__updated_at"),
            report_changed=Subquery(history.order_by("-history_date").values("history_date")[:1]),
            leader_organisation=Subquery(coordinator.values("organisation__legal_name")[:1]),
        )
        .order_by("project__acronym", "pk")
    )


def finish(rows):
    """The rows (a list) with their leaders' names, last change and progress label: one more
    query for the leaders of them all."""
    contacts = Contact.objects.filter(
        partner__project__in={row.project_id for row in rows},
        role=Contact.Role.COORDINATOR_CONTACT,
    ).select_related("person", "partner")
    leaders = {}
    for contact in contacts.order_by("person__last_name", "person__first_name", "pk"):
        leaders.setdefault(contact.partner.project_id, []).append(str(contact.person))
    labels = dict(state_choices())
    for row in rows:
        row.leaders = ", ".join(leaders.get(row.project_id, []))
        changes = [d for d in (row.figures_changed, row.report_changed) if d is not None]
        row.last_change = max(changes) if changes else None
        row.progress = progress_of(row)
        row.progress_label = labels[row.progress]
    return rows


def progress_of(report):
    """The filter value a report shows under: a draft nobody saved yet is "not started"."""
    if report.state == State.DRAFT:
        if report.started_at is None:
            return ReportFilterForm.NOT_STARTED
        return ReportFilterForm.STARTED
    return report.state
