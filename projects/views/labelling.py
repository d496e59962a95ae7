from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.forms_utils import add_model_errors
from portal.permissions import staff_poles
from projects import permissions, services
from projects.forms import (
    DecisionForm,
)
from projects.models import Submission


@login_required
def submission_decide(request, pk, submission_pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_label)
    submission = get_object_or_404(
        Submission.objects.select_related("pole"),
        pk=submission_pk,
        project=project,
        pole__in=staff_poles(request.user),
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_decision(submission, data.pop("decision"), by=request.user, **data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(project)
    return render(
        request,
        "projects/decision_form.html",
        {"form": form, "project": project, "submission": submission},
    )
