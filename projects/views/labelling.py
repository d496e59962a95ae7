from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.forms_utils import add_model_errors
from portal.permissions import staff_poles
from projects import permissions, services
from projects.forms import (
    DecisionForm,
)
from projects.models import Submission


def _session_for(request, submission):
    """The committee session deciding: the one the form was opened from, or the agenda's."""
    chosen = request.GET.get("session", "")
    if chosen.isdigit():
        sessions = permissions.committee_sessions(request.user)
        return sessions.filter(pole=submission.pole_id, pk=chosen).first()
    return submission.session


@login_required
def submission_decide(request, pk, submission_pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_label)
    submission = get_object_or_404(
        Submission.objects.select_related("pole", "session"),
        pk=submission_pk,
        project=project,
        pole__in=staff_poles(request.user),
    )
    session = _session_for(request, submission)
    initial = {"committee": session.name, "decided_on": session.date} if session else {}
    from_session = session is not None and "session" in request.GET
    back_url = (
        reverse("committee_detail", args=[session.pole_id, session.pk])
        if from_session
        else project.get_absolute_url()
    )
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_decision(submission, data.pop("decision"), by=request.user, **data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(back_url)
    return render(
        request,
        "projects/decision_form.html",
        {"form": form, "project": project, "submission": submission, "back_url": back_url},
    )
