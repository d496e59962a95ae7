"""Market launches: the project page's section and the list of every launch a person sees.

The section shows the launches of the project to whoever sees its confidential part; the
leaders record any partner's, a partner's contacts their own partner's. Every form posts
with HTMX and gets the whole section back: after a change with it done, after an error with
the form open and its errors in place (400), after a save over a newer version with the
newer values (409). Without HTMX, a change redirects to the project page and an error shows
the section on a page of its own.

The forms stay folded, and out of the page, until opened: the GET of a form's URL answers
it (``portal.folded``), behind the same permission as its POST.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    DecimalField,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.exports import export_response
from portal.folded import folded_form
from portal.forms_utils import add_model_errors
from portal.modelutils import StaleEdit
from projects import permissions as project_permissions

from . import permissions, services
from .forms import LaunchEditForm, LaunchForm, RevenueForm
from .launch_exports import LAUNCH_COLUMNS
from .launch_filters import LaunchFilter
from .models import LaunchRevenue, MarketLaunch

SECTION = "outcomes/launches_section.html"
PAGE = "outcomes/launches_page.html"
LIST = "outcomes/launch_list.html"
TOTAL = DecimalField(max_digits=16, decimal_places=2)


def with_details(launches, user):
    """``launches`` with what a list shows, in a fixed number of queries: the partner, the
    project, the revenues by year and their total (summed by the database), the other
    projects the launch came from that exist for ``user`` (``shown_projects``)."""
    return _with_totals(launches).prefetch_related(*_details(user))


def _with_totals(launches):
    revenues = LaunchRevenue.objects.filter(launch=OuterRef("pk")).order_by().values("launch")
    total = revenues.annotate(total=Sum("amount")).values("total")
    return launches.select_related("partner__organisation", "project").annotate(
        revenue_total=Subquery(total, output_field=TOTAL)
    )


def _details(user):
    return (
        Prefetch("revenues", queryset=LaunchRevenue.objects.order_by("year")),
        Prefetch(
            "other_projects",
            queryset=permissions.shown_other_projects(user),
            to_attr="shown_projects",
        ),
    )


# --- The project page's section ----------------------------------------------------------------


class Bound:
    """A posted form to show in place of its blank one: ``kind`` (add, edit, revenue) and
    the launch it is about."""

    def __init__(self, kind, form, pk=None, stale=None):
        self.kind, self.form, self.pk, self.stale = kind, form, pk, stale

    def get(self, kind, pk=None):
        if self.kind == kind and self.pk == pk:
            return self.form  # None after a stale edit: a blank form shows the newer values
        return None


NOTHING_BOUND = Bound(None, None)


class Choices:
    """What the forms of one project's launches offer ``user``, read once, and only if a
    form is built."""

    def __init__(self, user, project):
        self.user, self.project = user, project
        self.partner_ids = permissions.launch_partner_ids(user, project)

    @cached_property
    def partners(self):
        return permissions.launch_partners(self.user, self.project)

    @cached_property
    def projects(self):
        return permissions.other_project_choices(self.user, self.project)

    @cached_property
    def partner_rows(self):
        return list(self.partners)

    @cached_property
    def project_rows(self):
        return list(self.projects)

    def kwargs(self, auto_id):
        return {
            "partners": self.partners,
            "partner_rows": self.partner_rows,
            "other_projects": self.projects,
            "project_rows": self.project_rows,
            "auto_id": auto_id,
        }


def section_context(request, project, confidential, bound=NOTHING_BOUND, notice="", error=""):
    """The launches section of the project page, as ``request.user`` may see and use it;
    a fixed number of queries whatever the number of launches."""
    user = request.user
    if not (confidential and permissions.may_view_launches(user, project)):
        return {"market_launches": None}
    launches = list(_with_totals(permissions.project_launches(user, project)))
    if launches:  # what with_details prefetches (nothing to read for none: no query either)
        prefetch_related_objects(launches, *_details(user))
    choices = Choices(user, project)
    for launch in launches:
        launch.may_change = launch.partner_id in choices.partner_ids
        launch.open_form = bound.pk == launch.pk and bound.kind
        launch.stale = bound.stale if bound.pk == launch.pk else None
        # The others stay folded; after a stale edit, a blank form shows the newer values.
        if launch.may_change and launch.open_form in ("edit", "revenue"):
            form = bound.form or blank_form(launch.open_form, choices, launch)
            setattr(launch, f"{launch.open_form}_form", form)
    # Launches recorded on another project that say they also came from this one: most
    # projects have none, found by the link table alone before reading what one may see.
    linked = MarketLaunch.other_projects.through.objects.filter(project=project)
    elsewhere = list(linked.values_list("marketlaunch_id", flat=True))
    section = {
        "launches": launches,
        "from_elsewhere": list(
            permissions.visible_launches(user)
            .filter(pk__in=elsewhere)
            .select_related("project", "partner__organisation")
            .order_by("-launch_date", "pk")
        )
        if elsewhere
        else [],
        "notice": notice,
        "error": error,
    }
    if choices.partner_ids:
        section["may_add"] = True
        section["add_form"] = bound.get("add")
        section["add_form_open"] = section["add_form"] is not None
    return {"market_launches": section}


def blank_form(kind, choices, launch=None):
    """The section's form ``kind`` (add; edit, revenue of ``launch``), not posted yet."""
    if kind == "add":
        return LaunchForm(**choices.kwargs("add-launch-%s"))
    auto_id = f"launch-{launch.pk}-{kind}-%s"
    if kind == "edit":
        return LaunchEditForm.for_launch(launch, **choices.kwargs(auto_id))
    return RevenueForm(auto_id=auto_id)


def _section(request, project, bound=NOTHING_BOUND, notice="", status=200, error=""):
    """The section after a change (200), an error (400) or a stale edit (409)."""
    if not request.htmx and status == 200:
        if notice:
            messages.success(request, notice)
        return redirect(project.get_absolute_url() + "#launches")
    context = {
        "project": project,
        **section_context(request, project, True, bound, notice, error),
    }
    template = f"{SECTION}#section" if request.htmx else PAGE
    return render(request, template, context, status=status)


def _failed(request, project, bound, error):
    if isinstance(error, StaleEdit):
        bound.stale, bound.form = error, None
        return _section(request, project, bound, status=409)
    add_model_errors(bound.form, error)
    return _section(request, project, bound, status=400)


def _project(request, pk, need=permissions.may_view_launches):
    return project_permissions.get_project_or_404(request.user, pk, need=need)


def _launch(request, project, launch_pk):
    """A launch of ``project`` the person may change; otherwise it is not found."""
    launch = get_object_or_404(
        permissions.visible_launches(request.user).select_related("partner"),
        pk=launch_pk,
        project=project,
    )
    launch.project = launch.partner.project = project  # its permissions, read once
    if not permissions.may_change_launch(request.user, launch):
        raise Http404
    return launch


def _folded(request, project, kind, launch=None):
    """The section's form ``kind`` opened from its folded ``<details>`` (``portal.folded``)."""
    if launch is not None:
        prefetch_related_objects([launch], *_details(request.user))  # its other projects
    form = blank_form(kind, Choices(request.user, project), launch)
    context = {"project": project, "launch": launch}
    if kind == "add":
        context["market_launches"] = {"add_form": form}
        heading, subject, back = _("Add a launch"), "", "#launches"
    else:
        setattr(launch, f"{kind}_form", form)
        heading = _("Edit the launch") if kind == "edit" else _("Record a year's revenue")
        subject, back = launch.name, f"#launch-{launch.pk}"
    return folded_form(
        request,
        f"{SECTION}#{kind}_form",
        context,
        heading=heading,
        subject=subject,
        back=project.get_absolute_url() + back,
    )


@login_required
def launches_section(request, pk):
    """The section alone: its fragment with HTMX, a page of its own otherwise."""
    project = _project(request, pk)
    context = {"project": project, **section_context(request, project, True)}
    template = f"{SECTION}#section" if request.htmx else PAGE
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def launch_add(request, pk):
    project = _project(request, pk, need=permissions.may_record_launch)
    if request.method == "GET":
        return _folded(request, project, "add")
    choices = Choices(request.user, project)
    form = LaunchForm(request.POST, **choices.kwargs("add-launch-%s"))
    bound = Bound("add", form)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        launch = services.record_launch(
            project=project,
            by=request.user,
            other_projects=form.cleaned_data.get("other_projects", ()),
            **form.launch_fields(),
        )
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Launch “%(name)s” added.") % {"name": launch})


@login_required
@require_http_methods(["GET", "POST"])
def launch_edit(request, pk, launch_pk):
    project = _project(request, pk)
    launch = _launch(request, project, launch_pk)
    if request.method == "GET":
        return _folded(request, project, "edit", launch)
    choices = Choices(request.user, project)
    form = LaunchEditForm(request.POST, **choices.kwargs(f"launch-{launch.pk}-edit-%s"))
    bound = Bound("edit", form, launch.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    other_projects = [
        *form.cleaned_data.get("other_projects", ()),
        *permissions.kept_other_projects(request.user, launch),
    ]
    try:
        services.change_launch(
            launch,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            other_projects=other_projects,
            **form.launch_fields(),
        )
    except ValidationError as error:
        return _failed(request, project, bound, error)
    return _section(request, project, notice=_("Launch “%(name)s” saved.") % {"name": launch})


@login_required
@require_POST
def launch_delete(request, pk, launch_pk):
    project = _project(request, pk)
    launch = _launch(request, project, launch_pk)
    services.delete_launch(launch, by=request.user)
    return _section(request, project, notice=_("Launch “%(name)s” removed.") % {"name": launch})


@login_required
@require_http_methods(["GET", "POST"])
def revenue_set(request, pk, launch_pk):
    """Record a year's revenue of a launch, replacing what that year had."""
    project = _project(request, pk)
    launch = _launch(request, project, launch_pk)
    if request.method == "GET":
        return _folded(request, project, "revenue", launch)
    form = RevenueForm(request.POST, auto_id=f"launch-{launch.pk}-revenue-%s")
    bound = Bound("revenue", form, launch.pk)
    if not form.is_valid():
        return _section(request, project, bound, status=400)
    try:
        revenue = services.set_launch_revenue(launch, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _failed(request, project, bound, error)
    notice = _("Revenue of “%(name)s” for %(year)s saved.") % {
        "name": launch,
        "year": revenue.year,
    }
    return _section(request, project, notice=notice)


@login_required
@require_POST
def revenue_delete(request, pk, launch_pk, revenue_pk):
    project = _project(request, pk)
    launch = _launch(request, project, launch_pk)
    revenue = get_object_or_404(LaunchRevenue, pk=revenue_pk, launch=launch)
    services.delete_launch_revenue(revenue, by=request.user)
    notice = _("Revenue of “%(name)s” for %(year)s removed.") % {
        "name": launch,
        "year": revenue.year,
    }
    return _section(request, project, notice=notice)


# --- Every launch a person sees ------------------------------------------------------------------


def _filtered(request):
    launches = permissions.visible_launches(request.user)
    return LaunchFilter(request.GET or None, queryset=launches)


@login_required
def launch_list(request):
    """Every launch of the projects whose confidential part the person sees, with filters
    (kind, year, pole, partner category); with HTMX, the results alone."""
    filterset = _filtered(request)
    rows = with_details(filterset.qs, request.user).order_by("-launch_date", "pk")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    template = LIST
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": filterset, "page": page})


@login_required
def launch_list_export(request, fmt):
    """The launches of the list, with its filters, as CSV or XLSX."""
    rows = with_details(_filtered(request).qs, request.user)
    rows = rows.order_by("project__acronym", "project_id", "-launch_date", "pk")
    return export_response("market launches", LAUNCH_COLUMNS, rows, fmt)
