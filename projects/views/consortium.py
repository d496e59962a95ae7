from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.modelutils import StaleEdit
from portal.permissions import visible_organisations, with_visibility
from portal.services import DuplicateOrganisation
from portal.validators import normalise_identifier, normalise_name
from projects import permissions, services
from projects.forms import (
    PartnerAddForm,
    PartnerBudgetForm,
    PartnerRoleForm,
    SubmitForm,
)
from projects.models import COST_FIELDS, Partner
from projects.views.projects import detail_context


def matching_organisations(user, project, q, limit=20):
    """Up to ``limit`` organisations ``user`` may see matching ``q`` (name, normalised name or
    SIREN), not yet partners of ``project``; one more tells that there are more."""
    q = (q or "").strip()
    if len(q) < 2:
        return None
    condition = Q(legal_name__icontains=q)
    key, digits = normalise_name(q), normalise_identifier(q)
    if key:
        condition |= Q(name_key__contains=key)
    if digits.isdigit() and len(digits) >= 3:
        condition |= Q(siren__startswith=digits[:9])
    organisations = visible_organisations(user).filter(condition)
    return list(
        organisations.exclude(participations__project=project).order_by("legal_name", "pk")[
            : limit + 1
        ]
    )


def _page_with_partner_form(request, project, form, status=200, **extra):
    context = detail_context(request, project)
    context.update(partner_form=form, submit_form=SubmitForm() if context["may_submit"] else None)
    context.update(extra)
    return render(request, "projects/project_detail.html", context, status=status)


@login_required
def organisation_search(request, pk):
    """The organisations matching what the leader types in the "Add a partner" form: the
    results for HTMX, the whole page with them otherwise."""
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
    q = request.GET.get("organisation_q", "")
    results = matching_organisations(request.user, project, q)
    context = {"organisation_q": q, "organisation_results": results}
    if request.htmx:
        return render(
            request,
            "projects/consortium_section.html#organisation_results",
            {"project": project, **context},
        )
    form = PartnerAddForm(organisations=visible_organisations(request.user))
    return _page_with_partner_form(request, project, form, **context)


def _form_for(error, form):
    """The form whose fields the service's error is about: the new organisation's or the
    partner's."""
    fields = set(getattr(error, "error_dict", {}))
    return form.new_organisation if fields & set(form.new_organisation.fields) else form


@login_required
@require_POST
def partner_add(request, pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
    organisations = visible_organisations(request.user)
    form = PartnerAddForm(request.POST, organisations=organisations)
    duplicates, chosen = [], None
    if form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            if organisation is not None:
                partner = services.add_partner(project, organisation=organisation, **data)
            else:
                new = form.new_organisation
                partner = services.add_partner_with_new_organisation(
                    project,
                    new.instance,
                    confirm_distinct=new.cleaned_data["confirm_distinct"],
                    among=organisations,
                    **data,
                )
        except DuplicateOrganisation as error:
            add_model_errors(form.new_organisation, error)
            if error.confirmable:
                form.new_organisation.ask_confirmation()
            duplicates = with_visibility(request.user, error.duplicates)
        except ValidationError as error:
            add_model_errors(_form_for(error, form), error)
        else:
            messages.success(
                request,
                _("%(organisation)s joined the consortium: add or invite its contacts.")
                % {"organisation": partner.organisation},
            )
            return redirect(f"{project.get_absolute_url()}#manage-partner-{partner.pk}")
    if "organisation" not in form.errors and form.cleaned_data.get("organisation"):
        chosen = [form.cleaned_data["organisation"]]
    return _page_with_partner_form(
        request,
        project,
        form,
        status=400,
        duplicates=duplicates,
        organisation_results=chosen,
        chosen_organisation=chosen[0].pk if chosen else None,
    )


@login_required
@require_POST
def partner_role(request, pk, partner_pk):
    """The leader changes a partner's role; naming a new coordinator hands the coordination
    over (whoever does it may no longer lead the project afterwards)."""
    project, partner = _leaders_partner_or_404(request, pk, partner_pk)
    form = PartnerRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
    else:
        try:
            services.change_partner_role(partner, form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(organisation)s is now %(role)s.")
                % {"organisation": partner.organisation, "role": partner.get_role_display()},
            )
    return redirect(f"{project.get_absolute_url()}#manage-partner-{partner.pk}")


@login_required
@require_POST
def partner_remove(request, pk, partner_pk):
    project, partner = _leaders_partner_or_404(request, pk, partner_pk)
    try:
        services.remove_partner(partner)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{project.get_absolute_url()}#manage-partner-{partner.pk}")
    messages.success(
        request,
        _("%(organisation)s left the consortium.") % {"organisation": partner.organisation},
    )
    return redirect(f"{project.get_absolute_url()}#consortium")


def _leaders_partner_or_404(request, pk, partner_pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
    partner = get_object_or_404(
        Partner.objects.select_related("organisation"), pk=partner_pk, project=project
    )
    partner.project = project
    return project, partner


def _partner_or_404(request, pk, partner_pk):
    project = permissions.get_project_or_404(
        request.user, pk, need=permissions.may_view_confidential
    )
    partner = get_object_or_404(
        Partner.objects.select_related("organisation", "project"), pk=partner_pk, project=project
    )
    if not permissions.may_change_partner(request.user, partner):
        raise Http404
    return project, partner


@login_required
def partner_budget(request, pk, partner_pk):
    """The inline budget form of one partner row: shown, saved or cancelled with HTMX."""
    project, partner = _partner_or_404(request, pk, partner_pk)
    partner.may_change = True
    if request.method == "GET" and request.GET.get("cancel"):
        return render(
            request,
            "projects/project_detail.html#partner_row",
            {"partner": partner, "project": project},
        )
    form = PartnerBudgetForm(request.POST or None, instance=partner)
    status, stale = 200, None
    if request.method == "POST" and form.is_valid():
        costs = {field: form.cleaned_data[field] for field in COST_FIELDS}
        try:
            services.change_partner(partner, expected_version=form.cleaned_data["version"], **costs)
        except StaleEdit as error:
            # Show the newer values in the form; the person decides what to save.
            stale, status = error, 409
            form = form.with_newer_values(error)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            if request.htmx:
                # The row, and the consortium's total swapped out of band.
                context = {"partner": partner, "project": project, "oob": True}
                context["budget_total"] = project.partners.aggregate(total=Sum("budget"))["total"]
                row = render_to_string("projects/project_detail.html#partner_row", context, request)
                total = render_to_string(
                    "projects/project_detail.html#budget_total", context, request
                )
                return HttpResponse(row + total)
            messages.success(request, _("Budget updated."))
            return redirect(project)
    if form.errors:
        status = 400
    template = "projects/partner_budget_form.html"
    if request.htmx:
        template += "#form"
    return render(
        request,
        template,
        {"form": form, "partner": partner, "project": project, "stale": stale},
        status=status,
    )
