import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES
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
        # The years offered are those of the projects the person may see, read when shown,
        # once (the select asks for its choices twice: its first one, then all).
        projects = self.queryset
        years = []

        def year_choices():
            if not years:
                submissions = Submission.objects.filter(project__in=projects.values("pk"))
                years.append(("", _("All years")))
                years.extend(
                    (d.year, str(d.year))
                    for d in submissions.dates("submitted_at", "year", order="DESC")
                )
            return years

        self.filters["year"].extra["widget"] = forms.Select(choices=year_choices)

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

    # The filters that join a to-many relation (poles, themes, partners, submissions).
    TO_MANY = ("pole", "theme", "category", "region", "year")

    @property
    def qs(self):
        # Filtering through to-many relations can repeat rows: DISTINCT then, and only then —
        # over every visible project it sorts their whole rows, slower than the page itself.
        qs = super().qs
        values = self.form.cleaned_data if self.is_bound else {}
        if any(values.get(name) not in EMPTY_VALUES for name in self.TO_MANY):
            return qs.distinct()
        return qs
