"""The funding dashboard's filters and charts, shared by its page, its API and the PDFs.

``DashboardFilterForm`` reads the filters (year of decision, theme, partner category) from a
query string; ``dashboard_charts`` turns ``funding.figures.dashboard()`` into SVG charts,
each with the table of its numbers.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import charts
from portal.models import Organisation, Theme

from . import figures


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year of decision"), required=False, min_value=1900, max_value=2999
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=gettext_lazy("All themes"),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Partner category"),
        choices=[("", gettext_lazy("All categories")), *Organisation.Category.choices],
        required=False,
    )

    def __init__(self, data=None, *, projects, pole=None, **kwargs):
        super().__init__(data, **kwargs)
        # The themes of the pole, or of the projects the person sees; the years of their
        # decisions, read only when the form is shown.
        self.fields["theme"].queryset = (
            Theme.objects.filter(pole=pole)
            if pole is not None
            else Theme.objects.filter(projects__in=projects.order_by().values("pk")).distinct()
        ).order_by("name")
        decided = figures.funding_lines(projects).filter(decision_date__isnull=False)
        years = []

        def year_choices():
            if not years:  # read once, however often the widget asks
                dates = decided.dates("decision_date", "year", order="DESC")
                years.extend([("", _("All years")), *((d.year, str(d.year)) for d in dates)])
            return years

        self.fields["year"].widget = forms.Select(choices=year_choices)

    def filters(self):
        """The valid filters, as keyword arguments of the figures (invalid ones are dropped and
        the form shows their errors)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year"),
            "theme": data.get("theme"),
            "category": data.get("category") or None,
        }


MONEY_SERIES = ("requested", "granted", "disbursed")


def _series(rows, keys=MONEY_SERIES):
    names = {
        "requested": _("requested"),
        "granted": _("granted"),
        "disbursed": _("disbursed"),
        "remaining": _("remaining"),
    }
    return {names[key]: [row[key] for row in rows] for key in keys}


def dashboard_charts(data, *, caption=False):
    """The charts of the funding dashboard, from ``funding.figures.dashboard()``: a dict of
    SafeStrings, each a figure with its SVG and the table behind it (``caption=True`` adds
    a visible title to each, for a page without a heading per chart, e.g. a PDF)."""
    sme = data["sme_share"]
    lever = data["leverage"]
    return {
        "by_year": charts.grouped_bar_chart(
            [row["label"] for row in data["by_year"]],
            _series(data["by_year"]),
            title=_("Funding by year of decision"),
            caption=caption,
            category_header=_("Year"),
        ),
        "by_source": charts.grouped_bar_chart(
            [row["label"] for row in data["by_source"]],
            _series(data["by_source"]),
            title=_("Funding by source"),
            caption=caption,
            description=_("Funder categories, public ones first."),
            category_header=_("Source"),
        ),
        "by_instrument": charts.bar_chart(
            [(row["label"], row["granted"]) for row in data["by_instrument"]],
            title=_("Granted by instrument"),
            caption=caption,
            label_header=_("Instrument"),
            value_header=_("Granted"),
        ),
        "by_theme": charts.bar_chart(
            [(row["label"], row["granted"]) for row in data["by_theme"]],
            title=_("Granted by theme"),
            caption=caption,
            description=_("A project with several themes counts under each of them."),
            label_header=_("Theme"),
            value_header=_("Granted"),
        ),
        "by_partner_category": charts.grouped_bar_chart(
            [row["label"] for row in data["by_partner_category"]],
            _series(data["by_partner_category"], ("requested", "granted")),
            title=_("Funding by partner category"),
            caption=caption,
            category_header=_("Partner category"),
        ),
        "sme_share": charts.proportion_chart(
            [
                (_("micro-enterprises and SMEs"), sme["sme"]),
                (_("mid-caps (ETI)"), sme["midcap"]),
                (_("other partners"), sme["public_granted"] - sme["sme_midcap"]),
            ],
            title=_("Public funding granted, by size of partner"),
            caption=caption,
            description=_("Granted by public funders, net of cancellations."),
            label_header=_("Partners"),
        ),
        "public_private": charts.proportion_chart(
            [
                (_("public funders"), lever["public"]),
                (_("private funders"), lever["private_lines"]),
                (_("private rounds"), lever["private_rounds"]),
            ],
            title=_("Public and private money"),
            caption=caption,
            description=_("Granted net of cancellations, and private rounds raised by partners."),
            label_header=_("Source"),
        ),
    }
