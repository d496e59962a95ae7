"""The economic-impact figures of one pole, or of several (the national view), computed by the
database: aggregates and grouped queries, never a Python loop over rows.

``impact(poles, year=…, theme=…, region=…, category=…)`` returns every figure of the impact
dashboard, its API and the yearly report, as plain data (dicts and lists of dicts, ``Decimal``
euros). ``poles`` are Pole objects or a queryset ALREADY allowed by
``outcomes.permissions.impact_poles``.

What each figure counts (the same in the totals and in every breakdown):

- **Members**: organisations with a membership of the poles (neither an application nor a
  refusal) current in the year: its dates cover part of the year (no start date: a member
  since always; no end date: while its status is new, current or grace). Without a year: the
  memberships active today. Members are not filtered by theme.
- **Projects** are those submitted to the poles. *Submitted*: in the year it was first
  submitted to one of them (withdrawn submissions count: they were submitted). *Labelled*: by
  one of the poles, in the year of its first label from them. *Funded*: labelled by one of
  the poles AND with at least one funding line granted (granted or closed), in the year of the
  first such decision — the lines say when the money came; a project's state does not (it may
  move to "funded" before its lines are recorded, or never). The conversion rates follow
  cohorts: of the projects submitted in the year, the share labelled (whenever); of those
  labelled in the year, the share funded (whenever). They are never above 100 %.
- **Money, launches and outcomes** count the projects LABELLED by the poles only. *Budget*:
  the partners' eligible costs, in the year of the label. *Funding*: ``funding.figures`` on
  those projects (net granted by public and private funders, in the year of the decision;
  private rounds in the year closed; leverage and SME share as there).
- **Market launches**: recorded on a labelled project, in the year launched (the other
  projects a launch also came from do not make it count for their poles: a launch belongs to
  its project, and who may not see that project does not see it).
- **Outcomes**: from VALIDATED outcome reports of the poles' campaigns only (drafts, submitted
  and returned reports do not count; a validated report is locked, so its partners' figures
  are those submitted), in the campaign's year. Each figure says how many reports it rests on
  (``{"value": …, "reports": n}``); the export share is weighted by revenue (it rests on the
  reports with revenue). A project that two poles asked for the same year counts once.

Filters: ``year`` (see above: the year of each figure's own event), ``theme`` (a Theme:
projects with it), ``region`` (a Region code) and ``category`` (an Organisation.Category
value): of the member's organisation, of the partner whose budget, line, round, launch or
figures it is; a project counts when one of its partners is in that region or category.
Spin-offs are a whole project's: under a region or category they count the reports of the
projects with a partner there.

Breakdowns, as tables of rows (``BREAKDOWN`` keys): ``by_year`` (a series over every year
with data, whatever the year filter), ``by_theme`` (the poles' themes; a project with two
themes counts under both; projects without a theme of the poles are not in it), ``by_region``
and ``by_category`` (a project counts under the region and category of each of its
partners), ``by_pole`` (the national view: a co-labelled project counts in each pole's row
but once in the totals). The rows of a breakdown need not add up to the total.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from funding import figures as funding_figures
from funding.models import Funder, FundingLine
from portal import snapshots
from portal.models import Membership, Organisation, Pole, Region, Theme
from portal.permissions import ACTIVE_MEMBERSHIP
from projects.models import Partner, Project, Submission

from .models import MarketLaunch, OutcomeReport, PartnerFigures

MONEY = funding_figures.MONEY
ZERO = Decimal("0.00")
LABELLED = Submission.Decision.LABELLED
VALIDATED = OutcomeReport.State.VALIDATED

# The outcome figures summed over the partners' figures, and how each is rounded.
MONEY_FIGURES = ["revenue", "follow_on_funding"]
FTE_FIGURES = ["jobs_created", "jobs_maintained"]
COUNT_FIGURES = ["patents_filed", "patents_granted", "publications"]
SUMMED = [*MONEY_FIGURES, *FTE_FIGURES, *COUNT_FIGURES]
# Every outcome figure of the key figures, in the order pages show them.
OUTCOMES = [
    "revenue",
    "export_share",
    "jobs_created",
    "jobs_maintained",
    "patents_filed",
    "patents_granted",
    "publications",
    "follow_on_funding",
    "spin_offs",
]

# The columns of a breakdown row, besides ``key`` and ``label``, with their empty value.
BREAKDOWN = {
    "members": 0,
    "submitted": 0,
    "labelled": 0,
    "funded": 0,
    "labelled_rate": None,
    "funded_rate": None,
    "budget": ZERO,
    "public": ZERO,
    "private": ZERO,
    "leverage": None,
    "launches": 0,
    "reports": 0,
    "revenue": ZERO,
    "export_share": None,
    "jobs_created": Decimal("0.0"),
    "jobs_maintained": Decimal("0.0"),
    "patents_filed": 0,
    "patents_granted": 0,
    "publications": 0,
    "follow_on_funding": ZERO,
    "spin_offs": 0,
}


# --- Small helpers ----------------------------------------------------------------------------


def _sum(expression, condition=None):
    return Coalesce(
        Sum(expression, filter=condition, output_field=MONEY), Value(ZERO), output_field=MONEY
    )


def _first(queryset, field, output_field):
    """The earliest ``field`` of ``queryset`` (correlated with OuterRef), as a subquery."""
    return Subquery(queryset.order_by(field).values(field)[:1], output_field=output_field)


def _in_year(field, year):
    """``field`` in ``year``, or simply given when there is no year."""
    if year:
        return Q(**{f"{field}__year": int(year)})
    return Q(**{f"{field}__isnull": False})


def _group(queryset, key, sums):
    """``{key value: {name: sum}}`` in one query (``key`` None: the whole, under None)."""
    queryset = queryset.order_by()
    if key is None:
        return {None: queryset.aggregate(**sums)}
    key = F(key) if isinstance(key, str) else key
    return {row.pop("key"): row for row in queryset.values(key=key).annotate(**sums)}


def _merge(target, groups):
    for key, values in groups.items():
        target.setdefault(key, {}).update(values)
    return target


def percent(part, whole):
    """part / whole in percent, one decimal; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio(part, whole):
    """part / whole, two decimals; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _rounded(name, value):
    if value is None:
        return None
    if name in MONEY_FIGURES:
        return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if name in FTE_FIGURES:
        return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return int(value)


def current_members(year=None):
    """The memberships current in ``year`` (active today when None), as a condition."""
    if not year:
        return Q(status__in=ACTIVE_MEMBERSHIP)
    first, last = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
    started = Q(start_date__isnull=True) | Q(start_date__lte=last)
    ongoing = Q(end_date__gte=first) | Q(end_date__isnull=True, status__in=ACTIVE_MEMBERSHIP)
    return started & ongoing


# --- The figures of a set of poles ----------------------------------------------------------


class ImpactFigures:
    """The figures of ``poles`` with the filters; each method one family of figures, as totals
    (``dimension`` None) or grouped by a dimension: "year", "theme", "region", "category" or
    "pole"."""

    def __init__(self, poles, *, year=None, theme=None, region=None, category=None):
        self.poles = list(poles)
        self.pole_ids = [pole.pk for pole in self.poles]
        self.year = int(year) if year else None
        self.theme = theme
        self.region = region or None
        self.category = category or None

    # The rows each family counts ------------------------------------------------------------

    def _organisation(self, prefix):
        """The region and category filters on the organisation at ``prefix``."""
        condition = {}
        if self.region:
            condition[f"{prefix}region"] = self.region
        if self.category:
            condition[f"{prefix}category"] = self.category
        return condition

    def _submissions(self):
        return Submission.objects.filter(pole__in=self.pole_ids)

    def labelled_projects(self):
        """Every project labelled by the poles (no filter: ``funding.figures`` applies them)."""
        labelled = self._submissions().filter(project=OuterRef("pk"), decision=LABELLED)
        return Project.objects.filter(Exists(labelled))

    def projects(self):
        """The projects submitted to the poles that the filters keep (the year aside), each
        with ``first_submitted``, ``first_labelled`` (None: not labelled by the poles) and
        ``first_funded`` (its first granted line's decision)."""
        submissions = self._submissions().filter(project=OuterRef("pk"))
        projects = Project.objects.filter(Exists(submissions))
        if self.theme is not None:
            projects = projects.filter(themes=self.theme)
        partner = self._organisation("partners__organisation__")
        if partner:
            projects = projects.filter(**partner)  # grouping by partner reuses this join
        granted = FundingLine.objects.filter(
            project=OuterRef("pk"), status__in=funding_figures.GRANTED
        )
        return projects.annotate(
            first_submitted=_first(submissions, "submitted_at", DateTimeField()),
            first_labelled=_first(submissions.filter(decision=LABELLED), "decided_on", DateField()),
            first_funded=_first(granted, "decision_date", DateField()),
        )

    def partners(self):
        """The partners of the projects labelled by the poles that the filters keep (the year
        aside), each with ``first_labelled`` (its project's first label by the poles)."""
        labelled = self._submissions().filter(project=OuterRef("project"), decision=LABELLED)
        partners = Partner.objects.filter(Exists(labelled), **self._organisation("organisation__"))
        if self.theme is not None:
            partners = partners.filter(project__themes=self.theme)
        return partners.annotate(first_labelled=_first(labelled, "decided_on", DateField()))

    def launches(self):
        """The launches recorded on the projects labelled by the poles that the filters keep
        (the year aside). A launch belongs to its project: the others it also came from do not
        make it count elsewhere (who may not see its project does not see it)."""
        launches = MarketLaunch.objects.filter(project__in=self.labelled_projects().values("pk"))
        if self.theme is not None:
            launches = launches.filter(project__themes=self.theme)
        return launches.filter(**self._organisation("partner__organisation__"))

    def reports(self, *, year=None, once=True):
        """The validated reports of the poles' campaigns (of ``year``), with the theme filter;
        ``once``: a project's report counts once per year, whichever poles asked for it."""
        reports = OutcomeReport.objects.filter(state=VALIDATED, campaign__pole__in=self.pole_ids)
        if once and len(self.pole_ids) > 1:
            earlier = OutcomeReport.objects.filter(
                state=VALIDATED,
                campaign__pole__in=self.pole_ids,
                project=OuterRef("project"),
                campaign__year=OuterRef("campaign__year"),
                pk__lt=OuterRef("pk"),
            )
            reports = reports.filter(~Exists(earlier))
        if year:
            reports = reports.filter(campaign__year=year)
        if self.theme is not None:
            reports = reports.filter(project__themes=self.theme)
        return reports

    def validated_reports(self, *, year=None, once=True):
        """``reports``, with the region and category filters: those with a partner there."""
        reports = self.reports(year=year, once=once)
        partner = self._organisation("partner__organisation__")
        if partner:
            reports = reports.filter(
                Exists(PartnerFigures.objects.filter(report=OuterRef("pk"), **partner))
            )
        return reports

    def figures(self, *, year=None, once=True):
        """The partners' figures of ``reports`` that the region and category filters keep."""
        return PartnerFigures.objects.filter(
            report__in=self.reports(year=year, once=once).values("pk"),
            **self._organisation("partner__organisation__"),
        )

    def _themed(self, queryset, path):
        """For a breakdown by theme: only the poles' themes (the theme filter has one)."""
        if self.theme is not None:
            return queryset
        return queryset.filter(**{f"{path}__pole__in": self.pole_ids})

    def _year(self, dimension):
        """The year filter, except in the series over the years."""
        return None if dimension == "year" else self.year

    # Families of figures ----------------------------------------------------------------------

    def members(self, dimension=None, years=()):
        memberships = Membership.objects.filter(pole__in=self.pole_ids).exclude(
            status__in=[Membership.Status.APPLIED, Membership.Status.REJECTED]
        )
        memberships = memberships.filter(**self._organisation("organisation__"))
        if dimension == "theme":
            return {}
        if dimension == "year":
            if not years:
                return {}
            row = memberships.order_by().aggregate(
                **{
                    f"y{year}": Count("organisation", distinct=True, filter=current_members(year))
                    for year in years
                }
            )
            return {year: {"members": row[f"y{year}"]} for year in years}
        key = {
            None: None,
            "region": "organisation__region",
            "category": "organisation__category",
            "pole": "pole",
        }[dimension]
        return _group(
            memberships.filter(current_members(self.year)),
            key,
            {"members": Count("organisation", distinct=True)},
        )

    def project_counts(self, dimension=None):
        if dimension == "pole":
            return self._project_counts_by_pole()
        projects = self.projects()
        labelled = Q(first_labelled__isnull=False)
        funded = labelled & Q(first_funded__isnull=False)

        def counts(year):
            def count(condition):
                return Count("pk", distinct=True, filter=condition)

            return {
                "submitted": count(_in_year("first_submitted", year)),
                "submitted_labelled": count(_in_year("first_submitted", year) & labelled),
                "labelled": count(_in_year("first_labelled", year)),
                "labelled_funded": count(_in_year("first_labelled", year) & funded),
                "funded": count(_in_year("first_funded", year) & labelled),
            }

        if dimension == "year":
            every = counts(None)
            rows = {}
            for field, rows_counted, names in [
                ("first_submitted", Q(), ["submitted", "submitted_labelled"]),
                ("first_labelled", labelled, ["labelled", "labelled_funded"]),
                ("first_funded", funded, ["funded"]),
            ]:
                sums = {name: every[name] for name in names}
                _merge(rows, _group(projects.filter(rows_counted), ExtractYear(field), sums))
            return rows
        if dimension == "theme":
            projects = self._themed(projects, "themes")
        key = {
            None: None,
            "theme": "themes",
            "region": "partners__organisation__region",
            "category": "partners__organisation__category",
        }[dimension]
        return _group(projects, key, counts(self.year))

    def _project_counts_by_pole(self):
        """Per pole, from its own submissions: a co-labelled project counts in each."""
        projects = self.projects().values("pk")
        submissions = self._submissions().filter(project__in=projects)
        year = self.year
        labelled = Q(decision=LABELLED)
        granted = FundingLine.objects.filter(
            project=OuterRef("project"), status__in=funding_figures.GRANTED
        )
        ever_funded = Exists(granted)
        if year:
            first_grant = Project.objects.annotate(
                first_funded=_first(
                    FundingLine.objects.filter(
                        project=OuterRef("pk"), status__in=funding_figures.GRANTED
                    ),
                    "decision_date",
                    DateField(),
                )
            ).filter(first_funded__year=year)
            funded_in_year = Q(project__in=first_grant.values("pk"))
        else:
            funded_in_year = Q(ever_funded)

        def count(condition):
            return Count("project", distinct=True, filter=condition)

        submitted = _in_year("submitted_at", year)
        decided = labelled & (_in_year("decided_on", year) if year else Q())
        return _group(
            submissions,
            "pole",
            {
                "submitted": count(submitted),
                "submitted_labelled": count(submitted & labelled),
                "labelled": count(decided),
                "labelled_funded": count(decided & Q(ever_funded)),
                "funded": count(labelled & funded_in_year),
            },
        )

    def budgets(self, dimension=None):
        partners = self.partners()
        year = self._year(dimension)
        sums = {"budget": _sum("budget")}
        if dimension == "pole":
            own = {"project__submissions__pole__in": self.pole_ids}
            own["project__submissions__decision"] = LABELLED
            if year:
                own["project__submissions__decided_on__year"] = year
            return _group(partners.filter(**own), "project__submissions__pole", sums)
        if year:
            partners = partners.filter(first_labelled__year=year)
        if dimension == "theme":
            partners = self._themed(partners, "project__themes")
        key = {
            None: None,
            "year": ExtractYear("first_labelled"),
            "theme": "project__themes",
            "region": "organisation__region",
            "category": "organisation__category",
        }[dimension]
        return _group(partners, key, sums)

    def _funding_filters(self, dimension):
        return {
            "year": self._year(dimension),
            "theme": self.theme,
            "region": self.region,
            "category": self.category,
        }

    def funding(self, dimension):
        """Net granted by public and by private funders, and private rounds, grouped."""
        projects = self.labelled_projects()
        filters = self._funding_filters(dimension)
        # Only granted lines add to the sums: the others would only bring empty groups.
        lines = funding_figures.funding_lines(projects, **filters).filter(
            status__in=funding_figures.GRANTED
        )
        rounds = funding_figures.private_rounds(projects, **filters)
        if dimension == "pole":
            lines = lines.filter(
                project__submissions__pole__in=self.pole_ids,
                project__submissions__decision=LABELLED,
            )
            rounds = rounds.filter(
                partner__project__submissions__pole__in=self.pole_ids,
                partner__project__submissions__decision=LABELLED,
            )
        if dimension == "theme":
            lines = self._themed(lines, "project__themes")
            rounds = self._themed(rounds, "partner__project__themes")
        line_key = {
            "year": ExtractYear("decision_date"),
            "theme": "project__themes",
            "region": "partner__organisation__region",
            "category": "partner__organisation__category",
            "pole": "project__submissions__pole",
        }[dimension]
        round_key = {
            "year": ExtractYear("closed_on"),
            "theme": "partner__project__themes",
            "region": "partner__organisation__region",
            "category": "partner__organisation__category",
            "pole": "partner__project__submissions__pole",
        }[dimension]
        granted = Q(status__in=funding_figures.GRANTED)
        net = F("amount_granted") - F("amount_cancelled")
        rows = _group(
            lines,
            line_key,
            {
                "public": _sum(net, granted & Q(funder__kind=Funder.Kind.PUBLIC)),
                "private_lines": _sum(net, granted & Q(funder__kind=Funder.Kind.PRIVATE)),
            },
        )
        return _merge(rows, _group(rounds, round_key, {"private_rounds": _sum("amount")}))

    def launch_counts(self, dimension=None):
        launches = self.launches()
        year = self._year(dimension)
        if year:
            launches = launches.filter(launch_date__year=year)
        if dimension == "pole":
            launches = launches.filter(
                project__submissions__pole__in=self.pole_ids,
                project__submissions__decision=LABELLED,
            )
        if dimension == "theme":
            launches = self._themed(launches, "project__themes")
        key = {
            None: None,
            "kind": "kind",
            "year": ExtractYear("launch_date"),
            "theme": "project__themes",
            "region": "partner__organisation__region",
            "category": "partner__organisation__category",
            "pole": "project__submissions__pole",
        }[dimension]
        return _group(launches, key, {"launches": Count("pk", distinct=True)})

    def outcomes(self, dimension=None):
        """The partners' figures summed, each with how many reports it rests on, and the
        spin-offs of the reports."""
        year = self._year(dimension)
        once = dimension != "pole"
        figures = self.figures(year=year, once=once)
        if dimension == "theme":
            figures = self._themed(figures, "report__project__themes")
        key = {
            None: None,
            "year": "report__campaign__year",
            "theme": "report__project__themes",
            "region": "partner__organisation__region",
            "category": "partner__organisation__category",
            "pole": "report__campaign__pole",
        }[dimension]
        rows = _group(figures, key, self._outcome_sums())
        reports = self.validated_reports(year=year, once=once)
        spin_offs = {
            "spin_offs_total": Sum("spin_offs"),
            "spin_offs_reports": Count("pk", distinct=True, filter=Q(spin_offs__isnull=False)),
        }
        if dimension in ("region", "category"):
            return _merge(rows, self._spin_offs_by_organisation(reports, dimension, list(rows)))
        if dimension == "theme":
            reports = self._themed(reports, "project__themes")
        key = {
            None: None,
            "year": "campaign__year",
            "theme": "project__themes",
            "pole": "campaign__pole",
        }[dimension]
        return _merge(rows, _group(reports, key, spin_offs))

    @staticmethod
    def _outcome_sums():
        sums = {"reports": Count("report", distinct=True)}
        for name in SUMMED:
            sums[f"{name}_total"] = Sum(name)
            sums[f"{name}_reports"] = Count(
                "report", distinct=True, filter=Q(**{f"{name}__isnull": False})
            )
        shared = Q(revenue__gt=0, export_share__isnull=False)
        sums["exported"] = Sum(
            F("revenue") * F("export_share"),
            filter=shared,
            output_field=DecimalField(max_digits=24, decimal_places=4),
        )
        sums["export_base"] = Sum("revenue", filter=shared)
        sums["export_share_reports"] = Count("report", distinct=True, filter=shared)
        return sums

    def _spin_offs_by_organisation(self, reports, dimension, codes):
        """Spin-offs are a whole report's: a report counts under each region (category) of
        its partners — one query, a conditional sum per region (category) found."""
        field = f"partner__organisation__{dimension}"
        partner = self._organisation("partner__organisation__")
        sums = {}
        for index, code in enumerate(codes):
            there = Exists(
                PartnerFigures.objects.filter(report=OuterRef("pk"), **{**partner, field: code})
            )
            sums[f"s{index}"] = Sum("spin_offs", filter=Q(there))
            sums[f"n{index}"] = Count("pk", filter=Q(there) & Q(spin_offs__isnull=False))
        row = reports.order_by().aggregate(**sums) if sums else {}
        return {
            code: {"spin_offs_total": row[f"s{i}"], "spin_offs_reports": row[f"n{i}"]}
            for i, code in enumerate(codes)
        }

    # Assembly -------------------------------------------------------------------------------

    def key_figures(self):
        """Every figure of the poles with the filters, as totals."""
        filters = self._funding_filters(None)
        projects = self.labelled_projects()
        money = funding_figures.headline(projects, **filters)
        sources = funding_figures.by_source(projects, **filters)
        for row in sources:
            row["net"] = row["granted"] - row["cancelled"]
        counts = self.project_counts()[None]
        _with_rates(counts)
        by_kind = self.launch_counts("kind")
        return {
            "members": {
                "total": self.members()[None]["members"],
                "by_category": _rows(self.members("category"), "category", ["members"]),
            },
            "projects": counts,
            "budget": self.budgets()[None]["budget"],
            "funding": {
                "by_source": sources,
                "leverage": money["leverage"],
                "sme_share": money["sme_share"],
                "granted": money["totals"]["granted"],
            },
            "launches": {
                "total": self.launch_counts()[None]["launches"],
                "by_kind": [
                    {
                        "key": kind.value,
                        "label": str(kind.label),
                        "launches": by_kind.get(kind.value, {}).get("launches", 0),
                    }
                    for kind in MarketLaunch.Kind
                ],
            },
            "outcomes": _outcome_figures(self.outcomes()[None]),
        }

    def breakdown(self, dimension):
        """The rows of the breakdown by ``dimension`` (see ``BREAKDOWN`` for their columns)."""
        groups = {}
        _merge(groups, self.project_counts(dimension))
        _merge(groups, self.budgets(dimension))
        _merge(groups, self.funding(dimension))
        _merge(groups, self.launch_counts(dimension))
        _merge(groups, self.outcomes(dimension))
        if dimension == "year":
            groups.pop(None, None)  # lines without a decision yet
            _merge(groups, self.members("year", years=sorted(groups)))
        elif dimension == "pole":
            _merge(groups, self.members("pole"))
            for pole in self.poles:
                groups.setdefault(pole.pk, {})
        else:
            _merge(groups, self.members(dimension))
        groups = self._kept(groups, dimension)
        rows = []
        for key, values in groups.items():
            row = {"key": key, **BREAKDOWN, **_breakdown_values(values)}
            if dimension == "theme":
                row["members"] = None  # members have no theme
            rows.append(row)
        return _labelled(rows, dimension, self.poles)

    def _kept(self, groups, dimension):
        """Only the groups the filters allow (a project's other themes, regions or categories
        come with it)."""
        wanted = {"theme": self.theme and self.theme.pk, "region": self.region}
        wanted["category"] = self.category
        if dimension == "pole":
            return {key: value for key, value in groups.items() if key in self.pole_ids}
        if wanted.get(dimension):
            return {key: v for key, v in groups.items() if key == wanted[dimension]}
        return groups

    def as_dict(self, *, per_pole=False):
        data = self.key_figures()
        for dimension in ("year", "theme", "region", "category"):
            data[f"by_{dimension}"] = self.breakdown(dimension)
        data["by_pole"] = self.breakdown("pole") if per_pole else []
        return data


def impact(poles, *, year=None, theme=None, region=None, category=None, per_pole=False):
    """Every impact figure of ``poles`` with the filters: key figures and breakdowns
    (``by_pole`` too with ``per_pole``, for the national view)."""
    figures = ImpactFigures(poles, year=year, theme=theme, region=region, category=category)
    return figures.as_dict(per_pole=per_pole)


def cached_impact(poles, *, per_pole=False, **filters):
    """``impact()``, kept until the data of ``poles`` changes (``portal.snapshots``)."""
    poles = list(poles)
    return snapshots.cached(
        "impact:national" if per_pole else "impact",
        [pole.pk for pole in poles],
        filters,
        lambda: impact(poles, per_pole=per_pole, **filters),
    )


@snapshots.computes("impact")
def _compute_impact(pole_ids, params, per_pole=False):
    """Impact figures computed again by the worker (``snapshots.refresh_stale``)."""
    poles = Pole.objects.filter(pk__in=pole_ids).order_by("name", "pk")
    theme = params.get("theme")
    filters = {**params, "theme": theme and Theme.objects.filter(pk=theme).first()}
    return cached_impact(poles, per_pole=per_pole, **filters)


@snapshots.computes("impact:national")
def _compute_national_impact(pole_ids, params):
    return _compute_impact(pole_ids, params, per_pole=True)


# --- Turning sums into figures ------------------------------------------------------------------


def _with_rates(row):
    row["labelled_rate"] = percent(row.get("submitted_labelled", 0), row.get("submitted", 0))
    row["funded_rate"] = percent(row.get("labelled_funded", 0), row.get("labelled", 0))
    return row


def _export_share(values):
    base = values.get("export_base")
    if not base:
        return None
    share = Decimal(values.get("exported") or 0) / Decimal(base)
    return share.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _outcome_figures(values):
    """The outcome sums as figures, each ``{"value": …, "reports": n}`` (value None when no
    report gives it)."""
    figures = {"reports": values["reports"]}
    for name in SUMMED:
        reports = values[f"{name}_reports"]
        figures[name] = {
            "value": _rounded(name, values[f"{name}_total"]) if reports else None,
            "reports": reports,
        }
    figures["export_share"] = {
        "value": _export_share(values),
        "reports": values["export_share_reports"],
    }
    spin_reports = values.get("spin_offs_reports") or 0
    figures["spin_offs"] = {
        "value": int(values.get("spin_offs_total") or 0) if spin_reports else None,
        "reports": spin_reports,
    }
    return figures


def _breakdown_values(values):
    """A breakdown row's columns from the sums of its group."""
    row = {}
    for name in ("members", "submitted", "labelled", "funded", "launches", "reports"):
        if values.get(name) is not None:
            row[name] = values[name]
    rates = _with_rates(dict(values))
    row["labelled_rate"], row["funded_rate"] = rates["labelled_rate"], rates["funded_rate"]
    row["budget"] = values.get("budget") or ZERO
    row["public"] = values.get("public") or ZERO
    row["private"] = (values.get("private_lines") or ZERO) + (values.get("private_rounds") or ZERO)
    row["leverage"] = ratio(row["private"], row["public"])
    for name in SUMMED:
        if values.get(f"{name}_total") is not None:
            row[name] = _rounded(name, values[f"{name}_total"])
    row["export_share"] = _export_share(values)
    row["spin_offs"] = int(values.get("spin_offs_total") or 0)
    return row


def _label_of(dimension, poles):
    if dimension == "year":
        return str
    if dimension == "region":
        return lambda code: str(Region(code).label) if code else _("Region not given")
    if dimension == "category":
        return lambda code: str(Organisation.Category(code).label)
    if dimension == "pole":
        names = {pole.pk: pole.name for pole in poles}
        return names.get
    return str


def _labelled(rows, dimension, poles):
    """The rows with their labels, in the dimension's order."""
    if dimension == "theme":
        themes = {
            theme.pk: theme
            for theme in Theme.objects.filter(pk__in=[row["key"] for row in rows]).select_related(
                "pole"
            )
        }
        several = len(poles) > 1
        for row in rows:
            theme = themes[row["key"]]
            row["label"] = f"{theme.name} ({theme.pole})" if several else theme.name
        return sorted(rows, key=lambda row: row["label"].lower())
    label = _label_of(dimension, poles)
    for row in rows:
        row["label"] = label(row["key"])
    if dimension == "region":
        order = list(Region.values)
        return sorted(rows, key=lambda r: order.index(r["key"]) if r["key"] else len(order))
    if dimension == "category":
        order = list(Organisation.Category.values)
        return sorted(rows, key=lambda r: order.index(r["key"]))
    if dimension == "pole":
        return sorted(rows, key=lambda r: r["label"].lower())
    return sorted(rows, key=lambda r: r["key"])


def _rows(groups, dimension, names):
    """Small tables (members by category): the groups as labelled rows, in order."""
    rows = [{"key": key, **{n: values.get(n, 0) for n in names}} for key, values in groups.items()]
    return _labelled(rows, dimension, [])
