"""The impact dashboard's filters and charts, shared by its pages, its API and the yearly report.

``ImpactFilterForm`` reads the filters (year, theme, region, member category) from a query
string; ``impact_charts`` turns ``outcomes.figures.impact()`` into SVG charts, each with the
table of its numbers.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import charts
from portal.models import Organisation, Region, Theme


class ImpactFilterForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2100
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=gettext_lazy("All themes"),
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Region"),
        choices=[("", gettext_lazy("All regions")), *Region.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Member category"),
        choices=[("", gettext_lazy("All categories")), *Organisation.Category.choices],
        required=False,
    )

    def __init__(self, data=None, *, poles, **kwargs):
        super().__init__(data, **kwargs)
        pole_ids = [pole.pk for pole in poles]
        themes = Theme.objects.filter(pole__in=pole_ids).select_related("pole")
        self.fields["theme"].queryset = themes.order_by("pole__name", "name")
        if len(pole_ids) > 1:  # the same theme name in two poles: say whose
            self.fields["theme"].label_from_instance = lambda theme: f"{theme.name} ({theme.pole})"
        self.fields["year"].widget = forms.Select(choices=[("", _("All years"))])

    def filters(self):
        """The valid filters, as keyword arguments of the figures (invalid ones are dropped and
        the form shows their errors)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year"),
            "theme": data.get("theme"),
            "region": data.get("region") or None,
            "category": data.get("category") or None,
        }

    def offer_years(self, series):
        """The years to choose from: those of the series over the years, this year and the
        one asked for, newest first."""
        years = {row["key"] for row in series} | {timezone.localdate().year}
        asked = self.filters()["year"]
        if asked:
            years.add(asked)
        self.years = sorted(years, reverse=True)
        self.fields["year"].widget.choices = [
            ("", _("All years")),
            *((year, str(year)) for year in self.years),
        ]


def _labels(rows):
    return [row["label"] for row in rows]


def impact_charts(data, *, caption=False):
    """The charts of the impact dashboard, from ``outcomes.figures.impact()``: a dict of
    SafeStrings, each a figure with its SVG and the table behind it (``caption=True`` adds a
    visible title to each, for a page without a heading per chart, e.g. a PDF)."""
    funding = data["funding"]
    lever = funding["leverage"]
    sme = funding["sme_share"]
    years = data["by_year"]
    public_sources = [row for row in funding["by_source"] if row["kind"] == "public"]
    result = {
        "projects_by_year": charts.grouped_bar_chart(
            _labels(years),
            {
                _("submitted"): [row["submitted"] for row in years],
                _("labelled"): [row["labelled"] for row in years],
                _("funded"): [row["funded"] for row in years],
            },
            title=_("Projects by year"),
            unit="",
            caption=caption,
            category_header=_("Year"),
        ),
        "money_by_year": charts.grouped_bar_chart(
            _labels(years),
            {
                _("budgets"): [row["budget"] for row in years],
                _("public funding"): [row["public"] for row in years],
                _("private funding"): [row["private"] for row in years],
            },
            title=_("Budgets and funding by year"),
            description=_("Eligible costs of the projects labelled that year; funding decided."),
            caption=caption,
            category_header=_("Year"),
        ),
        "outcomes_by_year": charts.grouped_bar_chart(
            _labels(years),
            {
                _("revenue"): [row["revenue"] for row in years],
                _("follow-on funding"): [row["follow_on_funding"] for row in years],
            },
            title=_("Revenue and follow-on funding by year"),
            description=_("From the validated outcome reports of each year's campaign."),
            caption=caption,
            category_header=_("Year"),
        ),
        "jobs_by_year": charts.grouped_bar_chart(
            _labels(years),
            {
                _("jobs created"): [row["jobs_created"] for row in years],
                _("jobs maintained"): [row["jobs_maintained"] for row in years],
            },
            title=_("Jobs by year (FTE)"),
            description=_("From the validated outcome reports of each year's campaign."),
            unit="",
            caption=caption,
            category_header=_("Year"),
        ),
        "members_by_category": charts.bar_chart(
            [(row["label"], row["members"]) for row in data["members"]["by_category"]],
            title=_("Members by category"),
            unit="",
            caption=caption,
            label_header=_("Category"),
            value_header=_("Members"),
        ),
        "public_by_source": charts.bar_chart(
            [(row["label"], row["net"]) for row in public_sources],
            title=_("Public funding by source"),
            description=_("Granted to the labelled projects, net of cancellations."),
            caption=caption,
            label_header=_("Source"),
            value_header=_("Granted, net"),
        ),
        "public_private": charts.proportion_chart(
            [
                (_("public funders"), lever["public"]),
                (_("private funders"), lever["private_lines"]),
                (_("private rounds"), lever["private_rounds"]),
            ],
            title=_("Public and private money"),
            description=_("Granted net of cancellations, and private rounds raised by partners."),
            caption=caption,
            label_header=_("Source"),
        ),
        "sme_share": charts.proportion_chart(
            [
                (_("micro-enterprises and SMEs"), sme["sme"]),
                (_("mid-caps (ETI)"), sme["midcap"]),
                (_("other partners"), sme["public_granted"] - sme["sme_midcap"]),
            ],
            title=_("Public funding, by size of partner"),
            description=_("Granted by public funders, net of cancellations."),
            caption=caption,
            label_header=_("Partners"),
        ),
        "launches_by_kind": charts.bar_chart(
            [(row["label"], row["launches"]) for row in data["launches"]["by_kind"]],
            title=_("Market launches by kind"),
            unit="",
            caption=caption,
            label_header=_("Kind"),
            value_header=_("Launches"),
        ),
        "by_theme": charts.grouped_bar_chart(
            _labels(data["by_theme"]),
            {
                _("submitted"): [row["submitted"] for row in data["by_theme"]],
                _("labelled"): [row["labelled"] for row in data["by_theme"]],
                _("funded"): [row["funded"] for row in data["by_theme"]],
            },
            title=_("Projects by theme"),
            description=_("A project with several themes counts under each of them."),
            unit="",
            caption=caption,
            category_header=_("Theme"),
        ),
        "by_region": charts.bar_chart(
            [(row["label"], row["budget"]) for row in data["by_region"]],
            title=_("Budgets by region"),
            description=_("Eligible costs of the partners of labelled projects, by their region."),
            caption=caption,
            label_header=_("Region"),
            value_header=_("Budgets"),
        ),
        "by_category": charts.grouped_bar_chart(
            _labels(data["by_category"]),
            {
                _("public funding"): [row["public"] for row in data["by_category"]],
                _("private funding"): [row["private"] for row in data["by_category"]],
            },
            title=_("Funding by member category"),
            description=_("Funding of the partners of labelled projects, by their category."),
            caption=caption,
            category_header=_("Category"),
        ),
    }
    if data.get("by_pole"):
        result["by_pole"] = charts.grouped_bar_chart(
            _labels(data["by_pole"]),
            {
                _("labelled"): [row["labelled"] for row in data["by_pole"]],
                _("funded"): [row["funded"] for row in data["by_pole"]],
            },
            title=_("Projects by pole"),
            unit="",
            caption=caption,
            category_header=_("Pole"),
        )
    return result


# --- The tables behind the figures (pages, report and spreadsheet share their columns) ----------

# (key, header, kind): kind says how a value is written — count, money, percent, ratio, fte.
BREAKDOWN_COLUMNS = [
    ("members", gettext_lazy("Members"), "count"),
    ("submitted", gettext_lazy("Projects submitted"), "count"),
    ("labelled", gettext_lazy("Projects labelled"), "count"),
    ("funded", gettext_lazy("Projects funded"), "count"),
    ("labelled_rate", gettext_lazy("Labelled / submitted (%)"), "percent"),
    ("funded_rate", gettext_lazy("Funded / labelled (%)"), "percent"),
    ("budget", gettext_lazy("Budgets (€)"), "money"),
    ("public", gettext_lazy("Public funding (€)"), "money"),
    ("private", gettext_lazy("Private funding (€)"), "money"),
    ("leverage", gettext_lazy("Private € per public €"), "ratio"),
    ("launches", gettext_lazy("Market launches"), "count"),
    ("reports", gettext_lazy("Validated reports"), "count"),
    ("revenue", gettext_lazy("Revenue (€)"), "money"),
    ("export_share", gettext_lazy("Export share (%)"), "percent"),
    ("jobs_created", gettext_lazy("Jobs created (FTE)"), "fte"),
    ("jobs_maintained", gettext_lazy("Jobs maintained (FTE)"), "fte"),
    ("patents_filed", gettext_lazy("Patents filed"), "count"),
    ("patents_granted", gettext_lazy("Patents granted"), "count"),
    ("publications", gettext_lazy("Publications"), "count"),
    ("follow_on_funding", gettext_lazy("Follow-on funding (€)"), "money"),
    ("spin_offs", gettext_lazy("Spin-offs"), "count"),
]

# The outcome figures of the key figures: (key, label, kind).
OUTCOME_ROWS = [
    ("revenue", gettext_lazy("Revenue from the projects' results"), "money"),
    ("export_share", gettext_lazy("Export share of that revenue"), "percent"),
    ("jobs_created", gettext_lazy("Jobs created (FTE)"), "fte"),
    ("jobs_maintained", gettext_lazy("Jobs maintained (FTE)"), "fte"),
    ("patents_filed", gettext_lazy("Patents filed"), "count"),
    ("patents_granted", gettext_lazy("Patents granted"), "count"),
    ("publications", gettext_lazy("Publications"), "count"),
    ("follow_on_funding", gettext_lazy("Follow-on funding raised"), "money"),
    ("spin_offs", gettext_lazy("Spin-offs created"), "count"),
]


def written(value, kind):
    """A value the reader's way; "—" when there is none."""
    if value is None:
        return "—"
    if kind == "money":
        return charts.format_value(value, "€", 0)
    if kind == "percent":
        return charts.format_value(value, "%")
    if kind == "ratio":
        return charts.format_value(value, "", 2)
    if kind == "fte":
        return charts.format_value(value, "", 1)
    return charts.format_value(value, "", 0)


def breakdown_table(rows):
    """A breakdown's rows as cells written the reader's way: [(label, [cell, …]), …]."""
    return [
        (row["label"], [written(row[key], kind) for key, _header, kind in BREAKDOWN_COLUMNS])
        for row in rows
    ]


def outcome_table(outcomes):
    """The outcome figures: [(label, value written, reports), …]."""
    return [
        (label, written(outcomes[key]["value"], kind), outcomes[key]["reports"])
        for key, label, kind in OUTCOME_ROWS
    ]


def money_table(funding, budget):
    """Budgets and funding of the labelled projects: [(label, value written), …]."""
    lever, sme = funding["leverage"], funding["sme_share"]
    return [
        (_("Budgets of the labelled projects"), written(budget, "money")),
        (_("Public funding, net granted"), written(lever["public"], "money")),
        (_("Private funders, net granted"), written(lever["private_lines"], "money")),
        (_("Private rounds raised"), written(lever["private_rounds"], "money")),
        (_("Private funding raised"), written(lever["private"], "money")),
        (_("Private € per public € (leverage)"), written(lever["ratio"], "ratio")),
        (_("Public funding to SMEs"), written(sme["sme_percent"], "percent")),
        (_("Public funding to mid-caps"), written(sme["midcap_percent"], "percent")),
        (_("Public funding to SMEs and mid-caps"), written(sme["sme_midcap_percent"], "percent")),
    ]


def impact_tables(data):
    """Every table of the figures, written for a page: the template only lays them out."""
    return {
        "columns": [header for _key, header, _kind in BREAKDOWN_COLUMNS],
        "outcomes": outcome_table(data["outcomes"]),
        "money": money_table(data["funding"], data["budget"]),
        "by_year": breakdown_table(data["by_year"]),
        "by_theme": breakdown_table(data["by_theme"]),
        "by_region": breakdown_table(data["by_region"]),
        "by_category": breakdown_table(data["by_category"]),
        "by_pole": breakdown_table(data.get("by_pole") or []),
    }
