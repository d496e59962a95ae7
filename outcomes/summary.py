"""The PDF summary of a project, as one reader may see it: identity, consortium, funding,
disbursements, milestones, market launches and the latest validated outcome figures.

It only reads. Every part goes through the permission modules of its app, so a funder's
summary shows their own lines in full and the other funders' as totals, an expert's shows
no funding nor reports, and nobody's shows what the pages would not show them.
"""

from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.translation import get_language

from funding import permissions as funding_permissions
from funding.figures import line_totals, with_amounts
from funding.models import Disbursement, PrivateRound
from funding.views import funding_by_partner, partner_chart
from portal.pdf import render_pdf
from projects import permissions as project_permissions
from projects.models import Submission

from . import permissions
from .models import LaunchRevenue, OutcomeReport
from .services import report_totals

CENT = Decimal("0.01")


def document_identifier(project, generated_at):
    return f"GRP-{project.pk}-{generated_at:%Y%m%d%H%M%S}"


def summary_data(user, project):
    """Everything the summary shows to ``user`` (who may see the confidential part)."""
    generated_at = timezone.now()
    access = funding_permissions.funding_access(user, project)
    data = {
        "project": project,
        "themes": list(project.themes.all()),
        "labels": list(
            project.submissions.filter(decision=Submission.Decision.LABELLED)
            .select_related("pole")
            .order_by("decided_on", "pk")
        ),
        "partners": list(
            project_permissions.visible_partners(user, project).order_by(
                "-role", "organisation__legal_name"
            )
        ),
        "milestones": list(project.milestones.select_related("partner__organisation")),
        "launches": list(
            permissions.visible_launches(user)
            .filter(project=project)
            .select_related("partner__organisation")
            .prefetch_related(Prefetch("revenues", queryset=LaunchRevenue.objects.order_by("year")))
        ),
        "funding_access": access,
        "generated_at": generated_at,
        "identifier": document_identifier(project, generated_at),
        "language": get_language() or "fr",
    }
    data["budget"] = sum((p.budget for p in data["partners"]), 0)
    for launch in data["launches"]:
        launch.revenue_total = sum((r.amount for r in launch.revenues.all()), 0)
    if access is not None:
        visible = funding_permissions.visible_funding_lines(user, project)
        data["lines"] = list(
            with_amounts(visible)
            .select_related("partner__organisation", "programme__funder")
            .order_by("partner__organisation__legal_name", "funder__name", "pk")
        )
        data["line_totals"] = line_totals(visible) if data["lines"] else None
        data["funding_chart"] = partner_chart(funding_by_partner(visible)) if data["lines"] else ""
        data["others"] = funding_permissions.other_funding_totals(user, project)
        data["disbursements"] = list(
            Disbursement.objects.filter(line__in=visible.order_by().values("pk"))
            .select_related("line__funder", "line__partner__organisation")
            .order_by("scheduled_date", "pk")
        )
        data["rounds"] = list(funding_permissions.visible_private_rounds(user, project))
        data["rounds_total"] = (
            PrivateRound.objects.filter(partner__project=project).aggregate(t=Sum("amount"))["t"]
            if access == funding_permissions.ALL_LINES
            else None
        )
    report = (
        permissions.visible_reports(user)
        .filter(project=project, state=OutcomeReport.State.VALIDATED)
        .select_related("campaign__pole")
        .order_by("-campaign__year", "-pk")
        .first()
    )
    if report is not None:
        figures = list(report.figures.select_related("partner__organisation"))
        data["report"] = report
        data["report_figures"] = figures
        data["report_totals"] = report_totals(figures)
    return data


def _money(value):
    """Euros as exact text with cents ("1234.50"), whatever the database's sum returned."""
    return None if value is None else format(Decimal(value).quantize(CENT), "f")


MONEY_FIGURES = {"revenue", "follow_on_funding"}


def _number(value):
    return format(value, "f") if isinstance(value, Decimal) else value


def summary_figures(data):
    """The figures of the summary as JSON-able data (the PDF's attachment): what the reader
    saw, nothing more."""
    project = data["project"]
    figures = {
        "document": data["identifier"],
        "generated_at": data["generated_at"].isoformat(),
        "project": {
            "id": project.pk,
            "acronym": project.acronym,
            "title": project.title,
            "state": project.state,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "trl_start": project.trl_start,
            "trl_target": project.trl_target,
            "labelled_by": [
                {"pole": str(s.pole), "decided_on": s.decided_on} for s in data["labels"]
            ],
        },
        "partners": [
            {
                "organisation": str(p.organisation),
                "role": p.role,
                "category": p.organisation.category,
                "region": p.organisation.region,
                "budget": _money(p.budget),
            }
            for p in data["partners"]
        ],
        "launches": [
            {
                "name": launch.name,
                "kind": launch.kind,
                "partner": str(launch.partner.organisation),
                "launch_date": launch.launch_date,
                "markets": launch.markets,
                "trl_reached": launch.trl_reached,
                "revenue": {str(r.year): _money(r.amount) for r in launch.revenues.all()},
            }
            for launch in data["launches"]
        ],
    }
    if data["funding_access"] is not None:
        figures["funding_lines"] = [
            {
                "partner": str(line.partner.organisation),
                "funder": str(line.funder),
                "programme": line.programme.name,
                "instrument": line.programme.instrument,
                "status": line.status,
                "requested": _money(line.amount_requested),
                "granted": _money(line.amount_granted),
                "disbursed": _money(line.disbursed),
            }
            for line in data["lines"]
        ]
        figures["other_funders"] = [
            {
                "kind": str(row["kind"].value),
                "lines": row["lines"],
                "requested": _money(row["requested"]),
                "granted": _money(row["granted"]),
            }
            for row in data["others"]
        ]
    if "report" in data:
        figures["outcomes"] = {
            "campaign_year": data["report"].campaign.year,
            "pole": str(data["report"].campaign.pole),
            "spin_offs": data["report"].spin_offs,
            **{
                name: _money(value) if name in MONEY_FIGURES else _number(value)
                for name, value in data["report_totals"].items()
            },
        }
    return figures


def render_summary(user, project):
    """The summary PDF (bytes) and its file name."""
    data = summary_data(user, project)
    content = render_pdf(
        "pdf/project_summary.html",
        data,
        identifier=data["identifier"],
        figures=summary_figures(data),
    )
    return content, f"{project.acronym}-summary.pdf"
