import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Pole, Theme

from .models import Project, State


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

    class Meta:
        model = Project
        fields = ["q", "state", "pole", "theme"]

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
