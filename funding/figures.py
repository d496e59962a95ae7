"""The funding figures of a set of projects, computed by the database.

Every function takes ``projects``, a queryset ALREADY restricted to what the person may see
(``funding.permissions.figure_projects``), and the dashboard's filters, and returns plain
data: dicts and lists of dicts with ``Decimal`` euros. A figure never counts a line, a
disbursement or a round outside ``projects``.

What the amounts mean (the same everywhere, so that a total and its breakdowns agree):

- ``requested``: what was applied for — every line but the planned ones;
- ``granted``: what the funders decided — granted and closed lines, as decided;
- ``cancelled``: the part of the granted amounts cancelled since;
- ``disbursed``: the tranches actually paid (with a paid date);
- ``remaining``: granted − cancelled − disbursed, still to be paid out;
- ``net granted`` (``committed``): granted − cancelled, the basis of the SME share and the
  leverage.

Filters: ``year`` (of the line's decision; of the round's closing for private rounds),
``theme`` (a Theme: projects with it), ``category`` (an Organisation.Category value: the
partner's organisation), ``region`` (a Region code: the partner's organisation; the impact
figures use it). Breakdowns by theme count a project with two themes under both.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from portal import snapshots
from portal.models import Organisation, Pole, Theme

from . import permissions
from .models import Disbursement, Funder, FundingLine, PrivateRound, Programme

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0.00")
GRANTED = [FundingLine.Status.GRANTED, FundingLine.Status.CLOSED]
SME = [Organisation.Category.MICRO, Organisation.Category.SME]
MIDCAP = [Organisation.Category.MIDCAP]


# --- The rows a figure may count ------------------------------------------------------------


def funding_lines(projects, *, year=None, theme=None, category=None, region=None):
    """The funding lines of ``projects`` that the filters keep."""
    lines = FundingLine.objects.filter(project__in=projects.order_by().values("pk"))
    if theme is not None:
        lines = lines.filter(project__themes=theme)
    if category:
        lines = lines.filter(partner__organisation__category=category)
    if region:
        lines = lines.filter(partner__organisation__region=region)
    if year:
        lines = lines.filter(decision_date__year=int(year))
    return lines.order_by()


def private_rounds(projects, *, year=None, theme=None, category=None, region=None):
    """The private rounds raised by the partners of ``projects`` that the filters keep."""
    rounds = PrivateRound.objects.filter(partner__project__in=projects.order_by().values("pk"))
    if theme is not None:
        rounds = rounds.filter(partner__project__themes=theme)
    if category:
        rounds = rounds.filter(partner__organisation__category=category)
    if region:
        rounds = rounds.filter(partner__organisation__region=region)
    if year:
        rounds = rounds.filter(closed_on__year=int(year))
    return rounds.order_by()


# --- Aggregates ------------------------------------------------------------------------------


def _sum(expression, condition=None):
    return Coalesce(
        Sum(expression, filter=condition, output_field=MONEY), Value(ZERO), output_field=MONEY
    )


def _paid():
    """What was paid on a line: its tranches with a paid date, summed by the database."""
    return Subquery(
        Disbursement.objects.filter(line=OuterRef("pk"), paid_date__isnull=False)
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=MONEY,
    )


def _amounts():
    granted = Q(status__in=GRANTED)
    return {
        "requested": _sum("amount_requested", ~Q(status=FundingLine.Status.PLANNED)),
        "granted": _sum("amount_granted", granted),
        "cancelled": _sum("amount_cancelled", granted),
        "disbursed": _sum(Coalesce(_paid(), Value(ZERO), output_field=MONEY)),
    }


def _with_remaining(row):
    row["remaining"] = row["granted"] - row["cancelled"] - row["disbursed"]
    return row


def _net_granted(condition=None):
    condition = Q(status__in=GRANTED) & (condition or Q())
    return _sum(F("amount_granted") - F("amount_cancelled"), condition)


def _percent(part, whole):
    """part / whole in percent, one decimal; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _breakdown(lines, key, labels=None, order=None):
    """``lines`` grouped by ``key``, each group with its amounts and a label."""
    group = F(key) if isinstance(key, str) else key
    rows = [
        _with_remaining(row) for row in lines.values(group=group).annotate(**_amounts()).order_by()
    ]
    for row in rows:
        row["key"] = row.pop("group")
        row["label"] = labels(row["key"]) if labels else row["key"]
    if order is not None:
        rows.sort(key=order)
    return rows


def _totals_sums():
    return {**_amounts(), "lines": Count("pk"), "projects": Count("project", distinct=True)}


def _sme_sums():
    public = Q(funder__kind=Funder.Kind.PUBLIC)
    category = "partner__organisation__category"
    return {
        "public_granted": _net_granted(public),
        "sme": _net_granted(public & Q(**{f"{category}__in": SME})),
        "midcap": _net_granted(public & Q(**{f"{category}__in": MIDCAP})),
    }


def _leverage_sums():
    return {
        "public": _net_granted(Q(funder__kind=Funder.Kind.PUBLIC)),
        "private_lines": _net_granted(Q(funder__kind=Funder.Kind.PRIVATE)),
    }


def _pick(row, sums):
    return {key: row[key] for key in sums}


def _sme_figures(row):
    row["sme_midcap"] = row["sme"] + row["midcap"]
    row["sme_percent"] = _percent(row["sme"], row["public_granted"])
    row["midcap_percent"] = _percent(row["midcap"], row["public_granted"])
    row["sme_midcap_percent"] = _percent(row["sme_midcap"], row["public_granted"])
    return row


def _leverage_figures(row, rounds):
    row["private_rounds"] = rounds
    row["private"] = row["private_lines"] + rounds
    row["ratio"] = (
        (row["private"] / row["public"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if row["public"]
        else None
    )
    return row


def _rounds_total(projects, **filters):
    return private_rounds(projects, **filters).aggregate(total=_sum("amount"))["total"]


def totals(projects, **filters):
    """Requested, granted, cancelled, disbursed and remaining, with how many lines and projects
    they come from."""
    return _with_remaining(funding_lines(projects, **filters).aggregate(**_totals_sums()))


def sme_share(projects, **filters):
    """Of the public funding granted (net of cancellations), the part going to micro-enterprises
    and SMEs, to mid-caps, and to both, in euros and in percent (one decimal)."""
    return _sme_figures(funding_lines(projects, **filters).aggregate(**_sme_sums()))


def leverage(projects, **filters):
    """Private euros per public euro: (private rounds + net granted by private funders) / net
    granted by public funders, two decimals (None without public funding)."""
    row = funding_lines(projects, **filters).aggregate(**_leverage_sums())
    return _leverage_figures(row, _rounds_total(projects, **filters))


def headline(projects, **filters):
    """``totals``, ``sme_share`` and ``leverage`` at once: one query on the lines, one on the
    private rounds."""
    sums = (_totals_sums(), _sme_sums(), _leverage_sums())
    row = funding_lines(projects, **filters).aggregate(**sums[0], **sums[1], **sums[2])
    return {
        "totals": _with_remaining(_pick(row, sums[0])),
        "sme_share": _sme_figures(_pick(row, sums[1])),
        "leverage": _leverage_figures(_pick(row, sums[2]), _rounds_total(projects, **filters)),
    }


def by_year(projects, **filters):
    """Per year of decision (lines without a decision yet under ``None``), oldest first."""

    def label(year):
        return str(year) if year is not None else _("No decision yet")

    return _breakdown(
        funding_lines(projects, **filters),
        ExtractYear("decision_date"),
        label,
        order=lambda r: (r["key"] is None, r["key"] or 0),
    )


def by_source(projects, **filters):
    """Per funder category (Bpifrance, Region, EU, VC fund…), public ones first, then by
    amount granted; each row also says ``kind`` (public or private)."""
    rows = _breakdown(
        funding_lines(projects, **filters),
        "funder__category",
        lambda value: str(Funder.Category(value).label),
        order=None,
    )
    for row in rows:
        row["kind"] = (
            Funder.Kind.PUBLIC if row["key"] in Funder.PUBLIC_CATEGORIES else Funder.Kind.PRIVATE
        )
    rows.sort(key=lambda r: (r["kind"] != Funder.Kind.PUBLIC, -r["granted"], r["label"]))
    return rows


def by_kind(projects, **filters):
    """Public and private funders, in that order (both always present)."""
    rows = {
        row["key"]: row
        for row in _breakdown(
            funding_lines(projects, **filters),
            "funder__kind",
            lambda value: str(Funder.Kind(value).label),
        )
    }
    empty = dict.fromkeys(["requested", "granted", "cancelled", "disbursed", "remaining"], ZERO)
    return [
        rows.get(kind.value, {**empty, "key": kind.value, "label": str(kind.label)})
        for kind in Funder.Kind
    ]


def by_instrument(projects, **filters):
    """Per instrument (grant, repayable advance, loan…), in the order of the instruments."""
    order = list(Programme.Instrument.values)
    return _breakdown(
        funding_lines(projects, **filters),
        "programme__instrument",
        lambda value: str(Programme.Instrument(value).label),
        order=lambda r: order.index(r["key"]),
    )


def by_theme(projects, *, pole=None, **filters):
    """Per theme of the projects (of ``pole``'s themes only, if given), most granted first;
    lines of projects without a theme under ``None``."""
    lines = funding_lines(projects, **filters)
    key = "project__themes__name"
    if pole is not None:
        # A co-labelled project's themes of other poles stay out of this pole's dashboard.
        lines = lines.filter(Q(project__themes__pole=pole) | Q(project__themes__isnull=True))
    return _breakdown(
        lines,
        key,
        lambda value: value if value is not None else _("No theme"),
        order=lambda r: (r["key"] is None, -r["granted"], r["label"]),
    )


def by_partner_category(projects, **filters):
    """Per category of the partner's organisation (micro, SME, mid-cap…), in that order."""
    order = list(Organisation.Category.values)
    return _breakdown(
        funding_lines(projects, **filters),
        "partner__organisation__category",
        lambda value: str(Organisation.Category(value).label),
        order=lambda r: order.index(r["key"]),
    )


def dashboard(projects, *, pole=None, **filters):
    """Every figure of the funding dashboard (and of its API), for ``projects`` and the filters."""
    return {
        **headline(projects, **filters),
        "by_year": by_year(projects, **filters),
        "by_kind": by_kind(projects, **filters),
        "by_source": by_source(projects, **filters),
        "by_instrument": by_instrument(projects, **filters),
        "by_theme": by_theme(projects, pole=pole, **filters),
        "by_partner_category": by_partner_category(projects, **filters),
    }


def pole_dashboard(projects, *, pole=None, **filters):
    """``dashboard()`` of ``projects``; with ``pole`` (its staff's dashboard), of the pole's
    projects, kept until its data changes (``portal.snapshots``)."""
    if pole is None:
        return dashboard(projects, **filters)
    projects = permissions.pole_figure_projects(pole)
    return snapshots.cached(
        "funding", [pole.pk], filters, lambda: dashboard(projects, pole=pole, **filters)
    )


@snapshots.computes("funding")
def _compute_pole_dashboard(pole_ids, params):
    """A pole's funding figures computed again by the worker (``snapshots.refresh_stale``)."""
    pole = Pole.objects.get(pk=pole_ids[0])
    theme = params.get("theme")
    filters = {**params, "theme": theme and Theme.objects.filter(pk=theme).first()}
    return pole_dashboard(None, pole=pole, **filters)


# --- A funder's portfolio ------------------------------------------------------------------


def with_amounts(lines):
    """``lines``, each annotated with ``disbursed`` (paid) and ``remaining`` (granted −
    cancelled − disbursed; None for a line not granted)."""
    paid = Coalesce(_paid(), Value(ZERO), output_field=MONEY)
    return lines.annotate(disbursed=paid).annotate(
        remaining=Case(
            When(
                status__in=GRANTED,
                then=F("amount_granted") - F("amount_cancelled") - F("disbursed"),
            ),
            default=None,
            output_field=MONEY,
        )
    )


def line_totals(lines):
    """The amounts of ``lines`` (a portfolio, a filtered list) summed by the database."""
    row = lines.order_by().aggregate(**_amounts(), lines=Count("pk"))
    return _with_remaining(row)


def portfolio_figures(funder_ids, *, status="", today, horizon):
    """The totals of the portfolio of ``funder_ids`` (``permissions.funder_lines``; its lines
    of ``status`` only, if given) and of its unpaid tranches (``unpaid_totals``), kept until a
    line or a tranche of these funders changes (``portal.snapshots``)."""

    def compute():
        lines = permissions.funder_lines(funder_ids)
        if status:
            lines = lines.filter(status=status)
        tranches = Disbursement.objects.filter(line__funder_id__in=funder_ids)
        return {
            "totals": line_totals(lines),
            "due": unpaid_totals(tranches, today, horizon),
        }

    params = {"status": status, "today": today.isoformat(), "horizon": horizon.isoformat()}
    return snapshots.cached("portfolio", snapshots.funder_scopes(funder_ids), params, compute)


def unpaid_totals(disbursements, today, horizon):
    """How many unpaid tranches of ``disbursements`` are late (scheduled before ``today``) and
    upcoming (from ``today`` to ``horizon``), and their amounts, in one query."""
    unpaid = Q(paid_date__isnull=True)
    late = unpaid & Q(scheduled_date__lt=today)
    upcoming = unpaid & Q(scheduled_date__gte=today, scheduled_date__lte=horizon)
    # Read through the index of unpaid tranches by date, not every tranche.
    disbursements = disbursements.filter(unpaid, scheduled_date__lte=horizon)
    return disbursements.order_by().aggregate(
        late_count=Count("pk", filter=late),
        late_amount=_sum("amount", late),
        upcoming_count=Count("pk", filter=upcoming),
        upcoming_amount=_sum("amount", upcoming),
    )
