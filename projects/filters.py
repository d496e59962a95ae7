import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Pole, Region, Theme

from .models import Project, State, Submission


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=State.choices, empty_label=_("All states")
    )
    pole = django_filters.ModelChoiceFilter(
        label=_("Pole"), queryset=Pole.objects.all(), field_name="poles", empty_label=_("All poles")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        field_name="themes",
        empty_label=_("All themes"),
    )
    trl = django_filters.ChoiceFilter(
        label=_("TRL"),
        choices=[(n, str(n)) for n in range(1, 10)],
        empty_label=_("Any TRL"),
        method="trl_range",
        help_text=_("Projects going through this TRL, from their start to their target."),
    )
    category = django_filters.ChoiceFilter(
        label=_("Partner category"),
        choices=Organisation.Category.choices,
        field_name="partners__organisation__category",
        empty_label=_("All categories"),
    )
    region = django_filters.ChoiceFilter(
        label=_("Partner region"),
        choices=Region.choices,
        field_name="partners__organisation__region",
        empty_label=_("All regions"),
    )
    year = django_filters.NumberFilter(
        label=_("Year submitted"),
        field_name="submissions__submitted_at",
        method="submitted_in",
        min_value=1900,
        max_value=2999,
        decimal_places=0,
    )

    class Meta:
        model = Project
        fields = ["q", "state", "pole", "theme", "trl", "category", "region", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years offered are those of the projects the person may see, read when shown.
        projects = self.queryset
        self.filters["year"].extra["widget"] = forms.Select(
            choices=lambda: (
                [("", _("All years"))]
                + [
                    (d.year, str(d.year))
                    for d in Submission.objects.filter(project__in=projects.values("pk")).dates(
                        "submitted_at", "year", order="DESC"
                    )
                ]
            )
        )

    def trl_range(self, queryset, name, value):
        return queryset.filter(trl_start__lte=int(value), trl_target__gte=int(value))

    def submitted_in(self, queryset, name, value):
        return queryset.filter(submissions__submitted_at__year=int(value))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(acronym__icontains=value)
            | Q(title__icontains=value)
            | Q(public_summary__icontains=value)
        )

    @property
    def qs(self):
        # Filtering through many-to-many relations can repeat rows.
        return super().qs.distinct()
