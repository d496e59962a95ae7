import django_filters
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Pole, Theme
from projects.models import Submission

from .models import Funder, FundingLine


class FundingLineFilter(django_filters.FilterSet):
    """The funding dashboard's filters (``funding.figures``: year of decision, theme, partner
    category, pole), and the funder and the status, for lists and exports of funding lines."""

    year = django_filters.NumberFilter(
        label=_("Year of decision"),
        field_name="decision_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2999,
        decimal_places=0,
    )
    funder = django_filters.ModelChoiceFilter(
        label=_("Funder"), queryset=Funder.objects.all(), empty_label=_("All funders")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FundingLine.Status.choices, empty_label=_("All statuses")
    )
    pole = django_filters.ModelChoiceFilter(
        label=_("Pole"), queryset=Pole.objects.all(), method="in_pole", empty_label=_("All poles")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        field_name="project__themes",
        distinct=True,
        empty_label=_("All themes"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Partner category"),
        choices=Organisation.Category.choices,
        field_name="partner__organisation__category",
        empty_label=_("All categories"),
    )

    class Meta:
        model = FundingLine
        fields = ["year", "funder", "status", "pole", "theme", "category"]

    def in_pole(self, queryset, name, value):
        """Lines of the projects submitted to the pole (and not withdrawn)."""
        submitted = Submission.objects.filter(pole=value).exclude(
            decision=Submission.Decision.WITHDRAWN
        )
        return queryset.filter(project__in=submitted.values("project"))
