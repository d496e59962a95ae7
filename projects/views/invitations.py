"""The link of an invitation e-mail: join a consortium as a contact of one partner.

Signed in, the person confirms ("Join as …?"). Not signed in, they create their account
when the invited address has none, or sign in first when it has one."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.forms_utils import add_model_errors
from portal.models import Person
from projects import services
from projects.forms import InvitationSignUpForm
from projects.models import Invitation


def _page(request, invitation, status=200, **context):
    context["invitation"] = invitation
    return render(request, "projects/invitation.html", context, status=status)


def _joined(request, invitation):
    project = invitation.partner.project
    messages.success(
        request,
        _("Welcome to %(acronym)s: you are %(role)s of %(organisation)s.")
        % {
            "acronym": project.acronym,
            "role": invitation.get_role_display(),
            "organisation": invitation.partner.organisation,
        },
    )
    return redirect(project)


def invitation_accept(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related(
            "partner__project", "partner__organisation", "invited_by"
        ),
        token=token,
    )
    if invitation.accepted_at is not None:
        return _page(
            request, invitation, status=410, problem=_("This invitation has already been used.")
        )
    if invitation.is_expired:
        return _page(
            request,
            invitation,
            status=410,
            problem=_("This invitation has expired: ask the person who invited you for a new one."),
        )
    if request.user.is_authenticated:
        return _signed_in(request, invitation)
    if Person.objects.filter(email__iexact=invitation.email).exists():
        messages.info(
            request,
            _("You have an account with %(email)s: sign in to accept the invitation.")
            % {"email": invitation.email},
        )
        return redirect_to_login(request.get_full_path())
    return _sign_up(request, invitation)


def _signed_in(request, invitation):
    partner = invitation.partner
    if partner.contact_rows.filter(person=request.user).exists():
        return _page(
            request,
            invitation,
            already=_("You are already a contact of %(organisation)s on %(project)s.")
            % {"organisation": partner.organisation, "project": partner.project},
        )
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, request.user)
        except ValidationError as error:
            return _page(request, invitation, status=400, problem=" ".join(error.messages))
        return _joined(request, invitation)
    return _page(request, invitation, confirm=True)


def _sign_up(request, invitation):
    form = InvitationSignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        try:
            services.accept_invitation(invitation, person)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, invitation)
    return _page(request, invitation, status=400 if form.errors else 200, form=form)
