"""A pole's file on one submission (agenda, experts, decision) and the expert's opinion form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.models import Person
from projects import permissions, services
from projects.forms import AskExpertForm, OpinionForm
from projects.models import Submission


def _staff_submission(request, pk, submission_pk):
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_label)
    submission = permissions.get_staff_submission_or_404(
        request.user, submission_pk, project=project
    )
    return project, submission


def _render_submission(request, project, submission, ask_form=None, status=200):
    pending = submission.decision == Submission.Decision.PENDING
    assignments = (
        permissions.visible_assignments(request.user)
        .filter(project=project, pole=submission.pole)
        .select_related("expert", "requested_by")
        .order_by("requested_at", "pk")
    )
    context = {
        "project": project,
        "submission": submission,
        "pending": pending,
        "assignments": list(assignments),
        "ask_form": (ask_form or AskExpertForm()) if pending else None,
        "may_read_letter": permissions.may_view_letter(request.user, submission),
    }
    return render(request, "projects/submission_detail.html", context, status=status)


@login_required
def submission_detail(request, pk, submission_pk):
    """The pole's file on a project it was submitted to: for that pole's staff only."""
    project, submission = _staff_submission(request, pk, submission_pk)
    return _render_submission(request, project, submission)


@login_required
@require_POST
def expert_ask(request, pk, submission_pk):
    project, submission = _staff_submission(request, pk, submission_pk)
    form = AskExpertForm(request.POST)
    if form.is_valid():
        expert = Person.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if expert is None:
            form.add_error(
                "email",
                _(
                    "Nobody has an account with this e-mail address. Ask the expert to sign up "
                    "on the portal, then ask them again."
                ),
            )
        else:
            try:
                services.assign_expert(project, submission.pole, expert, requested_by=request.user)
            except ValidationError as error:
                add_model_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(expert)s was asked for an opinion on %(acronym)s.")
                    % {"expert": expert, "acronym": project.acronym},
                )
                return redirect("submission_detail", project.pk, submission.pk)
    return _render_submission(request, project, submission, ask_form=form, status=400)


@login_required
def expert_opinion(request, pk, assignment_pk):
    """The expert gives or amends their opinion until the pole decides; then it is gone."""
    assignment = permissions.open_assignment_or_404(request.user, assignment_pk, project_id=pk)
    project = permissions.get_project_or_404(request.user, pk, need=permissions.may_give_opinion)
    form = OpinionForm(request.POST or None, initial={"opinion": assignment.opinion})
    if request.method == "POST" and form.is_valid():
        try:
            services.give_opinion(assignment, form.cleaned_data["opinion"], by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request, _("Your opinion was sent to %(pole)s.") % {"pole": assignment.pole}
            )
            return redirect("expert_opinion", project.pk, assignment.pk)
    return render(
        request,
        "projects/expert_opinion.html",
        {"form": form, "project": project, "assignment": assignment},
        status=400 if form.errors else 200,
    )


def section_context(user, project, submissions, own_poles):
    """For the project page: each submission's links to its pole's file and to its letter,
    and the opinions asked of ``user`` as an expert."""
    decided = (Submission.Decision.LABELLED, Submission.Decision.REJECTED)
    reads_letters = any(s.decision in decided for s in submissions) and (
        permissions.may_view_letters(user, project)
    )
    for submission in submissions:
        submission.pole_file = (
            submission.pole_id in own_poles and submission.decision != Submission.Decision.WITHDRAWN
        )
        submission.letter = reads_letters and submission.decision in decided
    requests = []
    if permissions.may_give_opinion(user, project):
        requests = list(
            project.expert_assignments.filter(expert=user, closed_at__isnull=True).select_related(
                "pole"
            )
        )
    return {"opinion_requests": requests}
