from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.models import Pole
from portal.modelutils import StaleEdit
from projects import permissions, services
from projects.filters import ProjectFilter
from projects.forms import (
    ProjectCreateForm,
    ProjectForm,
    SubmitForm,
    TransitionForm,
)
from projects.history import kept_preview
from projects.models import Contact, State, Submission
from projects.views import contacts as contact_views
from projects.views import documents as document_views
from projects.views import experts as expert_views
from projects.views import milestones as milestone_views


@login_required
def project_list(request):
    projects = permissions.visible_projects(request.user).prefetch_related(
        Prefetch("poles", queryset=Pole.objects.order_by("name")), "themes"
    )
    filterset = ProjectFilter(request.GET or None, queryset=projects.order_by("acronym", "pk"))
    page = Paginator(filterset.qs, 20).get_page(request.GET.get("page"))
    template = "projects/project_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": filterset, "page": page})


# Other apps' sections of the project page (funding…) give their context through
# ``section_provider``: projects imports none of them.
_section_providers = []


def section_provider(function):
    """Register ``function(request, project, confidential)``, returning a section's context."""
    _section_providers.append(function)
    return function


def _provided_sections(request, project, confidential):
    context = {}
    for provider in _section_providers:
        context.update(provider(request, project, confidential))
    return context


def detail_context(request, project):
    user = request.user
    confidential = permissions.may_view_confidential(user, project)
    partners = list(
        permissions.visible_partners(user, project).prefetch_related(
            Prefetch("contact_rows", queryset=Contact.objects.select_related("person"))
        )
    )
    changeable = permissions.changeable_partner_ids(user, project) if partners else set()
    for partner in partners:
        partner.may_change = partner.pk in changeable
    own_poles = permissions.deliberation_pole_ids(user)
    submissions = list(project.submissions.select_related("pole")) if confidential else []
    for submission in submissions:
        submission.show_notes = submission.pole_id in own_poles
        submission.may_decide = (
            submission.pole_id in own_poles
            and submission.decision == Submission.Decision.PENDING
            and permissions.may_label(user, project)
        )
    may_change = permissions.may_change(user, project)
    return {
        "project": project,
        "confidential": confidential,
        "may_change": may_change,
        "partners": partners,
        "budget_total": sum(p.budget for p in partners),
        **_provided_sections(request, project, confidential),
        "submissions": submissions,
        "transitions": [
            s for s in permissions.transitions_for(user, project) if s != State.SUBMITTED
        ],
        "may_submit": may_change and State.SUBMITTED in project.allowed_transitions(),
        # The latest changes (kept between views); the whole history has its own page.
        "history_html": kept_preview(user, project) if confidential else "",
        "themes": list(project.themes.all()),
        **milestone_views.section_context(user, project, confidential),
        **document_views.section_context(user, project, confidential),
        **expert_views.section_context(user, project, submissions, own_poles),
        **contact_views.section_context(user, project, partners),
        "labelling_poles": [
            s
            for s in (submissions if confidential else project.submissions.select_related("pole"))
            if s.decision == Submission.Decision.LABELLED
        ],
    }


@login_required
def project_detail(request, pk):
    project = permissions.get_project_or_404(request.user, pk)
    context = detail_context(request, project)
    if context["may_submit"]:
        context["submit_form"] = SubmitForm()
    return render(request, "projects/project_detail.html", context)


@login_required
def project_create(request):
    form = ProjectCreateForm(request.POST or None, user=request.user)
    if not form.fields["coordinator"].queryset.exists():
        messages.warning(
            request, _("Create your organisation's profile first: it coordinates the project.")
        )
        return redirect("organisation_create")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        coordinator, themes = data.pop("coordinator"), data.pop("themes")
        try:
            project = services.create_project(
                by=request.user, coordinator=coordinator, themes=themes, **data
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request, _("Project %(acronym)s created as a draft.") % {"acronym": project.acronym}
            )
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form})


@login_required
def project_edit(request, pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
    form = ProjectForm(request.POST or None, instance=project)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_project(project, expected_version=data.pop("version"), **data)
        except StaleEdit as error:
            form, status = form.with_newer_values(error), 409
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Project updated."))
            return redirect(project)
    if form.errors:
        status = 400
    context = {"form": form, "project": form.instance}
    return render(request, "projects/project_form.html", context, status=status)


@login_required
@require_POST
def project_transition(request, pk):
    project = permissions.get_project_or_404(
        request.user, pk, need=permissions.may_view_confidential
    )
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown state: nothing changed."))
        return redirect(project)
    target = form.cleaned_data["state"]
    if not permissions.may_move(request.user, project, target):
        raise Http404
    try:
        services.change_state(
            project, target, by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The project is now “%(state)s”.") % {"state": project.get_state_display()}
        )
    return redirect(project)


@login_required
@require_POST
def project_submit(request, pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.submit_project(project, list(form.cleaned_data["poles"]), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The project was submitted for labelling."))
    else:
        messages.error(request, _("Choose at least one pole to submit the project to."))
    return redirect(project)
