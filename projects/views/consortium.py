from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.modelutils import StaleEdit
from portal.permissions import visible_organisations
from projects import permissions, services
from projects.forms import (
    PartnerBudgetForm,
    PartnerForm,
    SubmitForm,
)
from projects.models import COST_FIELDS, Partner
from projects.views.projects import detail_context


@login_required
@require_POST
def partner_add(request, pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_change)
    form = PartnerForm(request.POST, organisations=visible_organisations(request.user))
    if form.is_valid():
        try:
            partner = services.add_partner(project, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s joined the consortium.")
                % {"organisation": partner.organisation},
            )
            return redirect(project)
    context = detail_context(request, project)
    context.update(partner_form=form, submit_form=SubmitForm() if context["may_submit"] else None)
    return render(request, "projects/project_detail.html", context, status=400)


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
            form = PartnerBudgetForm(instance=error.current)
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
