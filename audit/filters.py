import django_filters
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .registry import TRACKED


def _kinds():
    """The kinds of object the trail records, by their name in the reader's language."""
    types = ContentType.objects.get_for_models(*(apps.get_model(label) for label in TRACKED))
    kinds = [(ct.pk, capfirst(model._meta.verbose_name_plural)) for model, ct in types.items()]
    return [("", _("All kinds")), *sorted(kinds, key=lambda kind: str(kind[1]))]


class AuditFilter(django_filters.FilterSet):
    """The trail's filters (the list and its exports): kind and object, project, person,
    action, period."""

    kind = django_filters.NumberFilter(label=_("Kind"), field_name="content_type_id")
    object = django_filters.NumberFilter(
        label=_("Object number"), field_name="object_id", min_value=1
    )
    project = django_filters.NumberFilter(
        label=_("Project number"), field_name="project_id", min_value=1
    )
    who = django_filters.CharFilter(label=_("Person (name or e-mail)"), method="by_person")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditEntry.Action.choices, empty_label=_("All actions")
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["kind", "object", "project", "who", "action", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["widget"] = forms.Select(choices=_kinds)

    def by_person(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(who__email__icontains=word)
                | Q(who__first_name__icontains=word)
                | Q(who__last_name__icontains=word)
            )
        return queryset
