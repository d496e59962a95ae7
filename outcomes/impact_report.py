"""The yearly impact report of a pole: its data assembled in ONE place (``build_report``), so
that the HTML page, the XLSX workbook and the PDF show the same figures.

``build_report(pole, year)`` → ``{"pole", "year", "figures", "launches", "reports",
"validated"}``: the impact figures of the pole for the year (``outcomes.figures.impact``), the
market launches of the year and the validated outcome reports of the year's campaign, as plain
rows. ``report_figures(report)`` is the same data as JSON-able values (the PDF's attachment,
the fingerprint of a generated file). ``report_sheets(report)`` the workbook's sheets.
"""

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.models import Funder
from portal.exports import Column

from . import figures as impact_figures
from .impact_dashboard import BREAKDOWN_COLUMNS, OUTCOME_ROWS
from .models import LaunchRevenue, MarketLaunch

XLSX_KINDS = {"money": "money", "count": "integer"}


def _launch_rows(figures, year):
    """The launches of the year, with their revenue of the year, in one query."""
    revenue = LaunchRevenue.objects.filter(launch=OuterRef("pk"), year=year).values("amount")[:1]
    launches = (
        figures.launches()
        .filter(launch_date__year=year)
        .select_related("project", "partner__organisation")
        .annotate(year_revenue=Subquery(revenue))
        .order_by("launch_date", "name", "pk")
    )
    return [
        {
            "name": launch.name,
            "kind": launch.kind,
            "kind_label": str(MarketLaunch.Kind(launch.kind).label),
            "launch_date": launch.launch_date,
            "organisation": launch.partner.organisation.legal_name,
            "project": launch.project.acronym,
            "markets": ", ".join(launch.markets or []),
            "trl_reached": launch.trl_reached,
            "revenue": launch.year_revenue,
        }
        for launch in launches
    ]


def _number(value):
    """A figure of a report's JSON snapshot (written as a string) as a number."""
    if value is None:
        return None
    return value if isinstance(value, int) else Decimal(str(value))


def _report_rows(figures, year):
    """The validated reports of the year's campaign, each with its totals as submitted (a
    validated report is locked: its snapshot is its figures)."""
    reports = (
        figures.reports(year=year).select_related("project").order_by("project__acronym", "pk")
    )
    rows = []
    for report in reports:
        totals = (report.submitted_figures or {}).get("totals", {})
        rows.append(
            {
                "project": report.project.acronym,
                "title": report.project.title,
                "validated_on": timezone.localdate(report.reviewed_at)
                if report.reviewed_at
                else None,
                **{name: _number(totals.get(name)) for name in impact_figures.SUMMED},
                "export_share": _number(totals.get("export_share")),
                "spin_offs": report.spin_offs,
            }
        )
    return rows


def build_report(pole, year):
    """Everything the yearly impact report of ``pole`` for ``year`` shows."""
    figures = impact_figures.ImpactFigures([pole], year=year)
    data = figures.as_dict()
    return {
        "pole": pole,
        "year": year,
        "figures": data,
        "launches": _launch_rows(figures, year),
        "reports": _report_rows(figures, year),
        "validated": data["outcomes"]["reports"],
    }


def report_figures(report):
    """The report's data as JSON-able values (Decimals, dates and strings; no objects)."""
    return {
        "pole": {"id": report["pole"].pk, "name": report["pole"].name},
        "year": report["year"],
        "validated_reports": report["validated"],
        "figures": report["figures"],
        "launches": report["launches"],
        "reports": report["reports"],
    }


# --- The workbook: one sheet per table of the report ------------------------------------------


def _column(key, header, kind):
    return Column(header, key, kind=XLSX_KINDS.get(kind, "number"))


def _figure_rows(report):
    data = report["figures"]
    projects, funding = data["projects"], data["funding"]
    lever, sme = funding["leverage"], funding["sme_share"]
    return [
        {"figure": _("Members"), "value": data["members"]["total"]},
        {"figure": _("Projects submitted"), "value": projects["submitted"]},
        {"figure": _("Projects labelled"), "value": projects["labelled"]},
        {"figure": _("Projects funded"), "value": projects["funded"]},
        {"figure": _("Labelled / submitted (%)"), "value": projects["labelled_rate"]},
        {"figure": _("Funded / labelled (%)"), "value": projects["funded_rate"]},
        {"figure": _("Budgets of the labelled projects (€)"), "value": data["budget"]},
        {"figure": _("Public funding, net granted (€)"), "value": lever["public"]},
        {"figure": _("Private funders, net granted (€)"), "value": lever["private_lines"]},
        {"figure": _("Private rounds raised (€)"), "value": lever["private_rounds"]},
        {"figure": _("Private funding raised (€)"), "value": lever["private"]},
        {"figure": _("Private € per public € (leverage)"), "value": lever["ratio"]},
        {"figure": _("Public funding to SMEs (%)"), "value": sme["sme_percent"]},
        {"figure": _("Public funding to mid-caps (%)"), "value": sme["midcap_percent"]},
        {
            "figure": _("Public funding to SMEs and mid-caps (%)"),
            "value": sme["sme_midcap_percent"],
        },
        {"figure": _("Market launches"), "value": data["launches"]["total"]},
        {"figure": _("Validated reports"), "value": data["outcomes"]["reports"]},
    ]


def _outcome_rows(report):
    outcomes = report["figures"]["outcomes"]
    return [
        {"figure": label, "value": outcomes[key]["value"], "reports": outcomes[key]["reports"]}
        for key, label, _kind in OUTCOME_ROWS
    ]


def report_sheets(report):
    """The report's tables as ``(title, columns, rows)`` sheets for
    ``portal.exports.workbook_response``: numbers as numbers, texts formula-safe."""
    data = report["figures"]
    breakdown = [_column(key, header, kind) for key, header, kind in BREAKDOWN_COLUMNS]
    return [
        (
            _("Key figures"),
            [Column(_("Figure"), "figure"), Column(_("Value"), "value", kind="number")],
            _figure_rows(report),
        ),
        (
            _("Outcomes"),
            [
                Column(_("Figure"), "figure"),
                Column(_("Value"), "value", kind="number"),
                Column(_("Validated reports it rests on"), "reports", kind="integer"),
            ],
            _outcome_rows(report),
        ),
        (
            _("Members by category"),
            [Column(_("Category"), "label"), Column(_("Members"), "members", kind="integer")],
            data["members"]["by_category"],
        ),
        (
            _("Funding by source"),
            [
                Column(_("Source"), "label"),
                Column(_("Funder kind"), lambda row: str(Funder.Kind(row["kind"]).label)),
                Column(_("Requested (€)"), "requested", kind="money"),
                Column(_("Granted (€)"), "granted", kind="money"),
                Column(_("Cancelled (€)"), "cancelled", kind="money"),
                Column(_("Granted, net (€)"), "net", kind="money"),
            ],
            data["funding"]["by_source"],
        ),
        (
            _("Launches by kind"),
            [Column(_("Kind"), "label"), Column(_("Launches"), "launches", kind="integer")],
            data["launches"]["by_kind"],
        ),
        (_("By year"), [Column(_("Year"), "label"), *breakdown], data["by_year"]),
        (_("By theme"), [Column(_("Theme"), "label"), *breakdown], data["by_theme"]),
        (_("By region"), [Column(_("Region"), "label"), *breakdown], data["by_region"]),
        (_("By category"), [Column(_("Category"), "label"), *breakdown], data["by_category"]),
        (
            _("Market launches"),
            [
                Column(_("Name"), "name"),
                Column(_("Kind"), "kind_label"),
                Column(_("Launch date"), "launch_date", kind="date"),
                Column(_("Organisation"), "organisation"),
                Column(_("Project"), "project"),
                Column(_("Markets"), "markets"),
                Column(_("TRL reached"), "trl_reached", kind="integer"),
                Column(_("Revenue of the year (€)"), "revenue", kind="money"),
            ],
            report["launches"],
        ),
        (
            _("Validated reports"),
            [
                Column(_("Project"), "project"),
                Column(_("Title"), "title"),
                Column(_("Validated on"), "validated_on", kind="date"),
                *(
                    _column(key, header, kind)
                    for key, header, kind in BREAKDOWN_COLUMNS
                    if key in (*impact_figures.SUMMED, "export_share", "spin_offs")
                ),
            ],
            report["reports"],
        ),
    ]
