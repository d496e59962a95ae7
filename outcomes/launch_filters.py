import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Pole
from projects.models import Submission

from .models import MarketLaunch


class LaunchFilter(django_filters.FilterSet):
    """The filters of the list of launches (and of its exports): kind, year of launch, pole
    (the projects submitted to it), category of the launching partner."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MarketLaunch.Kind.choices, empty_label=_("All kinds")
    )
    year = django_filters.NumberFilter(
        label=_("Year of launch"),
        field_name="launch_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2999,
        decimal_places=0,
    )
    pole = django_filters.ModelChoiceFilter(
        label=_("Pole"), queryset=Pole.objects.all(), method="in_pole", empty_label=_("All poles")
    )
    category = django_filters.ChoiceFilter(
        label=_("Partner category"),
        choices=Organisation.Category.choices,
        field_name="partner__organisation__category",
        empty_label=_("All categories"),
    )

    class Meta:
        model = MarketLaunch
        fields = ["kind", "year", "pole", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years offered are those of the launches the person sees, read when shown.
        launches = self.queryset
        self.filters["year"].extra["widget"] = forms.Select(
            choices=lambda: [
                ("", _("All years")),
                *((d.year, str(d.year)) for d in launches.dates("launch_date", "year", "DESC")),
            ]
        )

    def in_pole(self, queryset, name, value):
        """Launches of the projects submitted to the pole (and not withdrawn)."""
        submitted = Submission.objects.filter(pole=value).exclude(
            decision=Submission.Decision.WITHDRAWN
        )
        return queryset.filter(project__in=submitted.values("project"))
