"""Funding lines as a spreadsheet: one row per line with its whole story in euros.

The rows come from ``funding.permissions`` (what the person may see); this module only
says which columns a line has; the database sums its tranches, with the meanings of
``funding.amounts`` (disbursed: tranches paid; remaining: granted − cancelled − disbursed).
"""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.exports import Column

from .amounts import with_line_amounts
from .models import Disbursement, Funder

MONEY = DecimalField(max_digits=16, decimal_places=2)

FUNDING_LINE_COLUMNS = [
    Column(_("Project"), "project.acronym"),
    Column(_("Partner"), "partner.organisation.legal_name"),
    Column(_("Partner category"), "partner.organisation.get_category_display"),
    Column(_("Funder"), "funder.name"),
    Column(_("Funder kind"), "funder.get_kind_display"),
    Column(_("Programme"), "programme.name"),
    Column(_("Instrument"), "programme.get_instrument_display"),
    Column(_("Status"), "get_status_display"),
    Column(_("Requested (€)"), "amount_requested", kind="money"),
    Column(_("Granted (€)"), "amount_granted", kind="money"),
    Column(_("Cancelled (€)"), "amount_cancelled", kind="money"),
    Column(_("Disbursed (€)"), "disbursed", kind="money"),
    Column(_("Scheduled, not yet paid (€)"), "export_scheduled", kind="money"),
    Column(_("Remaining to disburse (€)"), "remaining", kind="money"),
    Column(_("Repaid (€)"), "repaid", kind="money"),
    Column(_("Decision date"), "decision_date"),
    Column(_("Conditions"), "conditions"),
]


def _scheduled():
    """The tranches planned and not paid yet."""
    unpaid = Disbursement.objects.filter(line=OuterRef("pk"), paid_date__isnull=True)
    total = unpaid.order_by().values("line").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0.00")), output_field=MONEY)


def funding_line_rows(lines):
    """``lines`` (already restricted to what the person may see) with their tranches summed in
    the database and what each column reads fetched in the same query."""
    return (
        with_line_amounts(
            lines.select_related("project", "partner__organisation", "funder", "programme")
        )
        .annotate(export_scheduled=_scheduled())
        .order_by("project__acronym", "project_id", "partner__organisation__legal_name", "pk")
    )


# --- The figures behind the funding dashboard's charts, a sheet each ------------------------


def _amount_columns():
    return [
        Column(_("Requested (€)"), "requested", kind="money"),
        Column(_("Granted (€)"), "granted", kind="money"),
        Column(_("Cancelled (€)"), "cancelled", kind="money"),
        Column(_("Disbursed (€)"), "disbursed", kind="money"),
        Column(_("Remaining to disburse (€)"), "remaining", kind="money"),
    ]


def _kind_label(row):
    return str(Funder.Kind(row["kind"]).label) if row.get("kind") else None


def figure_sheets(data):
    """``funding.figures.dashboard()`` as ``(title, columns, rows)`` sheets for
    ``portal.exports.workbook_response``: the numbers of every chart, with the same meanings."""
    return [
        (
            _("Totals"),
            [
                *_amount_columns(),
                Column(_("Funding lines"), "lines", kind="integer"),
                Column(_("Projects"), "projects", kind="integer"),
            ],
            [data["totals"]],
        ),
        (
            _("By year"),
            [Column(_("Year of decision"), "label"), *_amount_columns()],
            data["by_year"],
        ),
        (
            _("By source"),
            [
                Column(_("Source"), "label"),
                Column(_("Funder kind"), _kind_label),
                *_amount_columns(),
            ],
            data["by_source"],
        ),
        (
            _("By instrument"),
            [Column(_("Instrument"), "label"), *_amount_columns()],
            data["by_instrument"],
        ),
        (_("By theme"), [Column(_("Theme"), "label"), *_amount_columns()], data["by_theme"]),
        (
            _("By partner category"),
            [Column(_("Partner category"), "label"), *_amount_columns()],
            data["by_partner_category"],
        ),
        (
            _("SME share"),
            [
                Column(_("Public funding granted, net (€)"), "public_granted", kind="money"),
                Column(_("To micro-enterprises and SMEs (€)"), "sme", kind="money"),
                Column(_("To mid-caps (€)"), "midcap", kind="money"),
                Column(_("SMEs (%)"), "sme_percent", kind="number"),
                Column(_("Mid-caps (%)"), "midcap_percent", kind="number"),
                Column(_("SMEs and mid-caps (%)"), "sme_midcap_percent", kind="number"),
            ],
            [data["sme_share"]],
        ),
        (
            _("Leverage"),
            [
                Column(_("Public funders, net granted (€)"), "public", kind="money"),
                Column(_("Private funders, net granted (€)"), "private_lines", kind="money"),
                Column(_("Private rounds (€)"), "private_rounds", kind="money"),
                Column(_("Private money (€)"), "private", kind="money"),
                Column(_("Private € per public €"), "ratio", kind="number"),
            ],
            [data["leverage"]],
        ),
    ]
