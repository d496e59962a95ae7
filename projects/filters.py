import datetime

import django_filters
from django.core.validators import EMPTY_VALUES
from django.db import connections
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.filters import ModelChoiceFilter
from portal.models import Organisation, Pole, Region, Theme
from portal.widgets import Select

from .models import Project, State, Submission

# Two instants no submission has, standing for a year's first and last in the query that
# ``submission_years`` compiles once.
_YEAR_START = datetime.datetime(1001, 1, 1, tzinfo=datetime.UTC)
_YEAR_END = datetime.datetime(1002, 1, 1, tzinfo=datetime.UTC)


def submission_years(projects):
    """The years (in local time) in which some project of ``projects`` was submitted to a
    pole, newest first. Two or three queries whatever the number of submissions: the first
    and last dates of all submissions, then one EXISTS a year between them, each a range of
    the index on the date that stops at the first submission of ``projects``."""
    # Each bound its own subquery: one end of the date's index each (SQLite reads the whole
    # index for MIN and MAX together).
    dates = Submission.objects.values("submitted_at")
    bounds = (
        Submission.objects.annotate(
            first=Subquery(dates.order_by("submitted_at")[:1]),
            last=Subquery(dates.order_by("-submitted_at")[:1]),
        )
        .values("first", "last")
        .order_by("pk")
        .first()
    )
    if bounds is None:
        return []
    first, last = (timezone.localtime(bounds[end]).year for end in ("first", "last"))
    years = list(range(last, first - 1, -1))
    # Labelled projects first: a year one of them was submitted in is a year of ``projects``,
    # found without reading the person's grants (a set the database would build again for
    # each year); the grants only for the years left, if any.
    found = _years_with(projects.filter(labelled_on__isnull=False), years)
    left = [year for year in years if year not in found]
    if left:
        found |= _years_with(projects, left)
    return [year for year in years if year in found]


def _years_with(projects, years):
    """Those of ``years`` in which some project of ``projects`` was submitted, in one query."""
    # Built and compiled once, its two instants then swapped for each year's: an ORM query a
    # year costs more to build than the database takes to answer them all.
    in_year = Submission.objects.filter(
        Exists(projects.filter(pk=OuterRef("project_id"))),
        submitted_at__gte=_YEAR_START,
        submitted_at__lt=_YEAR_END,
    ).order_by()
    connection = connections[in_year.db]
    sql, params = in_year.values("pk")[:1].query.sql_with_params()
    field = Submission._meta.get_field("submitted_at")

    def prepared(value):
        return field.get_db_prep_value(value, connection)

    start, end = prepared(_YEAR_START), prepared(_YEAR_END)
    if not params.count(start) == params.count(end) == 1:  # not found as given: the long way
        submissions = Submission.objects.filter(project__in=projects.values("pk"))
        return {d.year for d in submissions.dates("submitted_at", "year")} & set(years)
    all_params = []
    for year in years:
        begins, ends = (
            prepared(timezone.make_aware(datetime.datetime(y, 1, 1))) for y in (year, year + 1)
        )
        all_params.extend(
            begins if param == start else ends if param == end else param for param in params
        )
    exists = ", ".join([f"EXISTS({sql})"] * len(years))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {exists}", all_params)
        found = cursor.fetchone()
    return {year for year, submitted in zip(years, found, strict=True) if submitted}


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=State.choices, empty_label=_("All states"), widget=Select
    )
    pole = ModelChoiceFilter(
        label=_("Pole"),
        queryset=Pole.objects.all(),
        field_name="poles",
        empty_label=_("All poles"),
        widget=Select,
    )
    theme = ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        field_name="themes",
        empty_label=_("All themes"),
        widget=Select,
    )
    trl = django_filters.ChoiceFilter(
        label=_("TRL"),
        choices=[(n, str(n)) for n in range(1, 10)],
        empty_label=_("Any TRL"),
        widget=Select,
        method="trl_range",
        help_text=_("Projects going through this TRL, from their start to their target."),
    )
    category = django_filters.ChoiceFilter(
        label=_("Partner category"),
        choices=Organisation.Category.choices,
        field_name="partners__organisation__category",
        empty_label=_("All categories"),
        widget=Select,
    )
    region = django_filters.ChoiceFilter(
        label=_("Partner region"),
        choices=Region.choices,
        field_name="partners__organisation__region",
        empty_label=_("All regions"),
        widget=Select,
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
                years.append(("", _("All years")))
                years.extend((year, str(year)) for year in submission_years(projects))
            return years

        self.filters["year"].extra["widget"] = Select(choices=year_choices)

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

    # The filters that join a to-many relation and may meet a project more than once
    # (partners, submissions by date). Not a pole nor a theme: a project is submitted to a
    # pole once (``submission_unique``) and has a theme once.
    TO_MANY = ("category", "region", "year")

    @property
    def qs(self):
        # Filtering through to-many relations can repeat rows: DISTINCT then, and only then —
        # over every visible project it sorts their whole rows, slower than the page itself.
        qs = super().qs
        values = self.form.cleaned_data if self.is_bound else {}
        if any(values.get(name) not in EMPTY_VALUES for name in self.TO_MANY):
            return qs.distinct()
        return qs
