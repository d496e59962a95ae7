"""A pole's labelling committees: its sessions and their agendas, for the pole's staff only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms_utils import add_model_errors
from portal.modelutils import StaleEdit
from projects import permissions, services
from projects.forms import AgendaForm, CommitteeSessionForm
from projects.models import Submission


def _session_or_404(request, pole_pk, session_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    session = get_object_or_404(
        permissions.committee_sessions(request.user).select_related("pole"),
        pk=session_pk,
        pole=pole,
    )
    return session


def _schedulable(request, session):
    """Submissions of the session's pole awaiting a decision and not on this agenda yet."""
    return (
        permissions.staff_submissions(request.user)
        .filter(pole=session.pole, decision=Submission.Decision.PENDING)
        .exclude(session=session)
        .select_related("project", "session")
        .order_by("submitted_at", "pk")
    )


def _agenda(session):
    """The agenda as the pole's staff see it: a withdrawn project no longer exists for them."""
    return session.agenda.exclude(decision=Submission.Decision.WITHDRAWN)


def _agenda_context(request, session, form=None, notice=""):
    # Expert opinions counted for the session's pole only: another pole's stay its own.
    agenda = (
        _agenda(session)
        .select_related("project")
        .annotate(
            opinions=Count(
                "project__expert_assignments",
                filter=Q(
                    project__expert_assignments__pole=session.pole_id,
                    project__expert_assignments__opinion_given_at__isnull=False,
                ),
            )
        )
        .order_by("project__acronym", "pk")
    )
    return {
        "session": session,
        "pole": session.pole,
        "agenda": list(agenda),
        "agenda_form": form or AgendaForm(submissions=_schedulable(request, session)),
        "notice": notice,
    }


@login_required
def committee_list(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    sessions = (
        permissions.committee_sessions(request.user)
        .filter(pole=pole)
        .annotate(
            agenda_size=Count("agenda", filter=~Q(agenda__decision=Submission.Decision.WITHDRAWN)),
            pending=Count("agenda", filter=Q(agenda__decision=Submission.Decision.PENDING)),
        )
        .order_by("-date", "-pk")
    )
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    template = "projects/committee_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#sessions"
    return render(request, template, {"pole": pole, "page": page})


@login_required
def committee_create(request, pole_pk):
    pole = permissions.staff_pole_or_404(request.user, pole_pk)
    form = CommitteeSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(pole, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Session “%(name)s” scheduled.") % {"name": session.name})
            return redirect("committee_detail", pole.pk, session.pk)
    return render(
        request,
        "projects/committee_form.html",
        {"form": form, "pole": pole},
        status=400 if form.errors else 200,
    )


@login_required
def committee_edit(request, pole_pk, session_pk):
    session = _session_or_404(request, pole_pk, session_pk)
    form = CommitteeSessionForm(request.POST or None, instance=session)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_session(session, expected_version=data.pop("version"), **data)
        except StaleEdit as error:
            form, status = form.with_newer_values(error), 409
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, _("Session updated."))
            return redirect("committee_detail", session.pole_id, session.pk)
    return render(
        request,
        "projects/committee_form.html",
        {"form": form, "pole": session.pole, "session": form.instance},
        status=400 if form.errors else status,
    )


@login_required
def committee_detail(request, pole_pk, session_pk):
    session = _session_or_404(request, pole_pk, session_pk)
    return render(request, "projects/committee_detail.html", _agenda_context(request, session))


def _agenda_response(request, session, *, form=None, notice="", error="", status=200):
    """The agenda fragment with what happened for HTMX; otherwise back to the session page."""
    if request.htmx:
        context = _agenda_context(request, session, form, notice=error or notice)
        context["notice_is_error"] = bool(error)
        return render(request, "projects/committee_detail.html#agenda", context, status=status)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect("committee_detail", session.pole_id, session.pk)


@login_required
@require_POST
def agenda_add(request, pole_pk, session_pk):
    session = _session_or_404(request, pole_pk, session_pk)
    form = AgendaForm(request.POST, submissions=_schedulable(request, session))
    if form.is_valid():
        submission = form.cleaned_data["submission"]
        try:
            services.schedule(submission, session)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            notice = _("%(acronym)s is on the agenda.") % {"acronym": submission.project.acronym}
            return _agenda_response(request, session, notice=notice)
    error = " ".join(e for errors in form.errors.values() for e in errors)
    return _agenda_response(request, session, form=form, error=error, status=400)


@login_required
@require_POST
def agenda_remove(request, pole_pk, session_pk, submission_pk):
    session = _session_or_404(request, pole_pk, session_pk)
    submission = get_object_or_404(_agenda(session).select_related("project"), pk=submission_pk)
    try:
        services.unschedule(submission)
    except ValidationError as error:
        return _agenda_response(request, session, error=" ".join(error.messages), status=400)
    notice = _("%(acronym)s is off the agenda.") % {"acronym": submission.project.acronym}
    return _agenda_response(request, session, notice=notice)
