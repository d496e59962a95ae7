"""The project page's milestones and deliverables: listed, added, marked done, edited inline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.modelutils import StaleEdit
from projects import permissions, services
from projects.forms import MilestoneForm
from projects.models import Milestone

SECTION = "projects/milestones_section.html"


def _anchor(project):
    return redirect(project.get_absolute_url() + "#milestones")


def _mark(user, project, milestones, changeable=None):
    """Tell each row what ``user`` may do with it."""
    may_manage = permissions.may_manage_milestones(user, project)
    if changeable is None and not may_manage:
        changeable = permissions.changeable_partner_ids(user, project)
    for milestone in milestones:
        milestone.may_change = permissions.may_change_milestone(user, milestone, changeable)
        milestone.may_delete = may_manage
    return milestones


def section_context(user, project, confidential, form=None):
    """What the section needs, in a fixed number of queries."""
    if not confidential:
        return {"milestones": []}
    may_manage = permissions.may_manage_milestones(user, project)
    milestones = list(project.milestones.select_related("partner__organisation"))
    if may_manage and form is None:
        form = MilestoneForm(project=project, auto_id="add-milestone-%s")
    return {
        "milestones": _mark(user, project, milestones),
        "milestone_form": form if may_manage else None,
    }


def _section(request, project, form=None, status=200, notice=""):
    context = {"project": project, "confidential": True, "milestone_notice": notice}
    context.update(section_context(request.user, project, True, form))
    return render(request, f"{SECTION}#section", context, status=status)


def _milestone_or_404(request, pk, milestone_pk, need):
    project = permissions.get_project_or_404(
        request.user, pk, need=permissions.may_view_confidential
    )
    milestone = get_object_or_404(
        Milestone.objects.select_related("partner__organisation"), pk=milestone_pk, project=project
    )
    milestone.project = project  # the same object, so its permissions are read once
    if not need(request.user, milestone):
        raise Http404
    return project, milestone


def _row(request, project, milestone):
    _mark(request.user, project, [milestone])
    return render(request, f"{SECTION}#milestone_row", {"project": project, "milestone": milestone})


@login_required
@require_POST
def milestone_add(request, pk):
    project = permissions.get_project_or_404(
        request.user, pk, need=permissions.may_manage_milestones
    )
    form = MilestoneForm(request.POST, project=project, auto_id="add-milestone-%s")
    if form.is_valid():
        try:
            milestone = services.add_milestone(project, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            notice = _("“%(title)s” added.") % {"title": milestone.title}
            if request.htmx:
                return _section(request, project, notice=notice)
            messages.success(request, notice)
            return _anchor(project)
    if request.htmx:
        return _section(request, project, form=form, status=400)
    return render(
        request, "projects/milestone_form.html", {"form": form, "project": project}, status=400
    )


@login_required
def milestone_edit(request, pk, milestone_pk):
    """The inline form of one row: shown, saved or cancelled with HTMX; a page without."""
    project, milestone = _milestone_or_404(
        request, pk, milestone_pk, permissions.may_change_milestone
    )
    if request.method == "GET" and request.GET.get("cancel"):
        return _row(request, project, milestone)
    form = MilestoneForm(
        request.POST or None,
        instance=milestone,
        project=project,
        may_assign=permissions.may_manage_milestones(request.user, project),
        auto_id=f"milestone-{milestone.pk}-%s",
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.change_milestone(milestone, expected_version=data.pop("version"), **data)
            except StaleEdit as error:
                form, status = form.with_newer_values(error), 409
            except ValidationError as error:
                add_model_errors(form, error)
            else:
                if request.htmx:
                    return _row(request, project, milestone)
                messages.success(request, _("“%(title)s” saved.") % {"title": milestone.title})
                return _anchor(project)
    template = "projects/milestone_form.html"
    if request.htmx:
        template += "#form_row"
    context = {"form": form, "project": project, "milestone": form.instance}
    return render(request, template, context, status=status)


@login_required
@require_POST
def milestone_done(request, pk, milestone_pk):
    project, milestone = _milestone_or_404(
        request, pk, milestone_pk, permissions.may_change_milestone
    )
    try:
        services.complete_milestone(milestone)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _anchor(project)
    if request.htmx:
        return _row(request, project, milestone)
    messages.success(request, _("“%(title)s” is done.") % {"title": milestone.title})
    return _anchor(project)


@login_required
@require_POST
def milestone_delete(request, pk, milestone_pk):
    project, milestone = _milestone_or_404(
        request,
        pk,
        milestone_pk,
        lambda user, m: permissions.may_manage_milestones(user, m.project),
    )
    title = milestone.title
    services.delete_milestone(milestone)
    if request.htmx:
        return HttpResponse("")  # the row is swapped for nothing
    messages.success(request, _("“%(title)s” deleted.") % {"title": title})
    return _anchor(project)
