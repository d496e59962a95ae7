"""Filters of the member directory and of the matchmaking board, shared by pages and API."""

from itertools import groupby

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import permissions
from .directory import SECTION_CHOICES, in_section, text_search
from .models import Organisation, Pole, Post, Region, Theme
from .widgets import Select


class ListedChoices(forms.models.ModelChoiceIterator):
    """A model select's choices read in one fetch. Django's use ``.iterator()``: on
    PostgreSQL a server-side cursor, three round trips (DECLARE, FETCH, CLOSE) for a few
    dozen rows on every page showing the select."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _FilterListedChoices(django_filters.fields.ModelChoiceIterator, ListedChoices):
    """django-filter's iterator (its null choice) over ``ListedChoices``."""


class ModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _FilterListedChoices
    widget = Select


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on a model whose choices are read in one fetch and drawn in Python."""

    field_class = ModelChoiceField


class ThemeChoices(ListedChoices):
    """The themes' choices, grouped by pole (a group each, named as ``str(pole)`` writes it):
    a national directory offers hundreds, and two poles' themes of the same name are told
    apart. Read as values: each theme and its pole made into instances only to be written
    as an option took 5 ms a page. The queryset lists each pole's themes together."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pole", "pole__short_name", "pole__name", "pk", "name")
        for (_pole, short_name, name), themes in groupby(rows, key=lambda row: row[:3]):
            yield (short_name or name, [(pk, theme) for *_, pk, theme in themes])


class ThemeChoiceField(forms.ModelChoiceField):
    iterator = ThemeChoices
    widget = Select  # hundreds of themes: drawn in Python, the same HTML


@extend_schema_field(OpenApiTypes.INT)
class ThemeFilter(django_filters.ModelChoiceFilter):
    field_class = ThemeChoiceField


@extend_schema_field(OpenApiTypes.INT)
class PoleFilter(ModelChoiceFilter):
    pass


def _themes():
    return Theme.objects.order_by("pole__name", "pole", "name")  # by pole (``ThemeChoices``)


class DirectoryFilter(django_filters.FilterSet):
    """The member directory's search. Pass ``request``: the theme filter looks at the posts
    the person may see."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("All regions"), widget=Select
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"),
        choices=SECTION_CHOICES,
        empty_label=_("All sectors"),
        method="in_sector",
        widget=Select,
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Organisation.Category.choices,
        empty_label=_("All categories"),
        widget=Select,
    )
    theme = ThemeFilter(
        label=_("Theme"), queryset=_themes(), empty_label=_("All themes"), method="on_theme"
    )
    pole = PoleFilter(
        label=_("Pole"),
        queryset=Pole.objects.only("name", "short_name"),  # what ``str(pole)`` writes
        empty_label=_("All poles"),
        method="of_pole",
    )

    class Meta:
        model = Organisation
        fields = ["q", "region", "sector", "category", "theme", "pole"]

    def search(self, queryset, name, value):
        condition = text_search(value)
        siren = value.replace(" ", "")
        if len(siren) == 9 and siren.isdigit():
            condition |= Q(siren=siren)
        return queryset.filter(condition)

    def in_sector(self, queryset, name, value):
        return queryset.filter(in_section(value))

    def on_theme(self, queryset, name, value):
        """In a labelled (public) project of the theme, or with an open post on it one may read."""
        from projects.models import Partner

        in_projects = Partner.objects.filter(
            project__labelled_on__isnull=False, project__themes=value
        ).values("organisation")
        user = self.request.user if self.request else None
        posts = permissions.visible_posts(user) if user else Post.objects.none()
        with_posts = posts.filter(themes=value, closed_at__isnull=True).values("organisation")
        return queryset.filter(Q(pk__in=in_projects) | Q(pk__in=with_posts))

    def of_pole(self, queryset, name, value):
        members = permissions.active_members().filter(pole=value)
        return queryset.filter(pk__in=members)


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Offers or needs"), choices=Post.Kind.choices, empty_label=_("Offers and needs")
    )
    theme = ThemeFilter(
        label=_("Theme"), queryset=_themes(), field_name="themes", empty_label=_("All themes")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        choices=Region.choices,
        field_name="organisation__region",
        empty_label=_("All regions"),
    )
    wanted_category = django_filters.ChoiceFilter(
        label=_("Partner sought"),
        choices=Organisation.Category.choices,
        empty_label=_("Any partner"),
    )
    closed = django_filters.BooleanFilter(
        label=_("Closed posts too"), method="with_closed", widget=forms.CheckboxInput
    )

    class Meta:
        model = Post
        fields = ["q", "kind", "theme", "region", "wanted_category", "closed"]

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data["closed"]):
            queryset = queryset.filter(closed_at__isnull=True)
        return queryset

    def search(self, queryset, name, value):
        return queryset.filter(text_search(value))

    def with_closed(self, queryset, name, value):
        return queryset  # open posts only unless asked: see ``qs``
