"""The people of a consortium: each partner's contacts and the invitations sent to new ones.

Leaders manage every partner's; a partner's own contacts manage their row's
(``permissions.may_manage_contacts``). With HTMX each change answers the partner's
management block and, out of band, its row of the consortium table.

On the project page each partner's block stays folded, its forms out of the page, until it
is opened: the GET of its "add a contact" URL answers them (``portal.folded``)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.folded import folded_form
from portal.forms_utils import add_model_errors
from portal.permissions import visible_organisations
from projects import permissions, services
from projects.forms import ContactForm, ContactRoleForm, PartnerAddForm, PartnerRoleForm
from projects.models import Contact, Invitation, Partner


def _decorate(user, partner, invitations, coordinator_contacts, form=None):
    """What ``user`` may do on ``partner``'s row and each of its contacts, for the page."""
    partner.may_change_role = permissions.may_change_partner_role(user, partner)
    partner.may_remove = permissions.may_remove_partner(user, partner)
    partner.contact_roles = permissions.contact_roles_for(user, partner)
    partner.pending_invitations = invitations
    for invitation in invitations:
        invitation.may_manage = invitation.role in partner.contact_roles
    partner.contact_form = form or ContactForm(
        roles=partner.contact_roles, auto_id=f"contact-{partner.pk}-%s"
    )
    for contact in partner.contact_rows.all():
        contact.may_change = permissions.may_change_contact(user, contact)
        contact.is_last_leader = (
            contact.role == Contact.Role.COORDINATOR_CONTACT and coordinator_contacts == 1
        )
        contact.may_remove = contact.may_change and not contact.is_last_leader
        contact.role_choices = partner.contact_roles if contact.may_change else []
    return partner


def section_context(user, project, partners):
    """The consortium management part of the project page: the partner rows ``user``
    manages (``partners`` carry ``may_change`` and their prefetched contacts), folded with
    their counts of contacts and invitations, and the form to add a partner. Its queries do
    not grow with the number of partners, contacts or invitations."""
    managed = [p for p in partners if getattr(p, "may_change", False)]
    leader = permissions.may_change(user, project)
    if not managed:
        return {"managed_partners": [], "partner_form": None}
    pending = defaultdict(list)
    for invitation in Invitation.pending().filter(partner__in=managed).select_related("invited_by"):
        pending[invitation.partner_id].append(invitation)
    for partner in managed:
        partner.pending_invitations = pending[partner.pk]
    return {
        "managed_partners": managed,
        "partner_form": PartnerAddForm(organisations=visible_organisations(user))
        if leader
        else None,
    }


def _block(user, project, partner, form=None, **extra):
    """The context of ``partner``'s management block, open (``partner`` carries its
    prefetched contacts); ``form``: the contact form posted with errors."""
    partner.may_change = True
    coordinator_contacts = Contact.objects.filter(
        partner__project=project, role=Contact.Role.COORDINATOR_CONTACT
    ).count()
    invitations = list(Invitation.pending().filter(partner=partner).select_related("invited_by"))
    _decorate(user, partner, invitations, coordinator_contacts, form)
    return {
        "project": project,
        "partner": partner,
        "partner_roles": PartnerRoleForm.base_fields["role"].choices,
        "open": True,
        **extra,
    }


def _managed_partner_or_404(user, pk, partner_pk):
    project = permissions.get_project_or_404(user, pk, need=permissions.may_view_confidential)
    partner = get_object_or_404(
        Partner.objects.select_related("organisation"), pk=partner_pk, project=project
    )
    partner.project = project
    if not permissions.may_manage_contacts(user, partner):
        raise Http404
    return project, partner


def _contact_or_404(user, pk, contact_pk):
    project = permissions.get_project_or_404(user, pk, need=permissions.may_view_confidential)
    contact = get_object_or_404(
        Contact.objects.select_related("partner__organisation", "person"),
        pk=contact_pk,
        partner__project=project,
    )
    contact.partner.project = project
    if not permissions.may_change_contact(user, contact):
        raise Http404
    return project, contact


def _invitation_or_404(user, pk, invitation_pk):
    project = permissions.get_project_or_404(user, pk, need=permissions.may_view_confidential)
    invitation = get_object_or_404(
        Invitation.objects.select_related("partner__organisation"),
        pk=invitation_pk,
        partner__project=project,
        accepted_at__isnull=True,
    )
    invitation.partner.project = project
    if not permissions.may_give_contact_role(user, invitation.partner, invitation.role):
        raise Http404
    return project, invitation


def _answer(request, project, partner_pk, *, notice="", error=None, form=None):
    """After a change: with HTMX, the partner's block and (out of band) its table row;
    otherwise back to the project page with a message."""
    status = 400 if (error is not None or (form is not None and form.errors)) else 200
    user = request.user
    # The change may have taken away what the person may see (a member who left their row).
    project = type(project).objects.get(pk=project.pk)
    partner = (
        permissions.visible_partners(user, project)
        .prefetch_related("contact_rows__person")
        .filter(pk=partner_pk)
        .first()
    )
    may_manage = partner is not None and permissions.may_manage_contacts(user, partner)
    if not request.htmx or not may_manage:
        for message in getattr(error, "messages", []):
            messages.error(request, message)
        if form is not None:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        if notice:
            messages.success(request, notice)
        if not permissions.may_view(user, project):
            target = "/projects/"
        else:
            target = project.get_absolute_url() + (
                f"#manage-partner-{partner_pk}" if may_manage else "#consortium"
            )
        if request.htmx:
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    form = form if form is not None and form.errors else None
    context = _block(user, project, partner, form, notice=notice, error=error, row_oob=True)
    block = render_to_string(
        "projects/consortium_section.html#partner_manage", context, request=request
    )
    row = render_to_string("projects/project_detail.html#partner_row", context, request=request)
    # A table row cannot stand alone in HTML: htmx takes out-of-band rows from a template.
    return HttpResponse(f"{block.strip()}\n<template>{row.strip()}</template>", status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request, pk, partner_pk):
    """Add someone who has an account as a contact of the partner; its GET answers the
    partner's management block, opened on the project page."""
    project, partner = _managed_partner_or_404(request.user, pk, partner_pk)
    if request.method == "GET":
        return _folded(request, project, partner)
    form = ContactForm(
        request.POST,
        roles=permissions.contact_roles_for(request.user, partner),
        auto_id=f"contact-{partner.pk}-%s",
    )
    notice = ""
    if form.is_valid():
        try:
            contact = services.add_contact_by_email(partner, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            notice = _("%(person)s is now %(role)s of %(organisation)s.") % {
                "person": contact.person,
                "role": contact.get_role_display(),
                "organisation": partner.organisation,
            }
    return _answer(request, project, partner.pk, notice=notice, form=form)


def _folded(request, project, partner):
    """``partner``'s management block opened from its folded ``<details>``."""
    prefetch_related_objects([partner], "contact_rows__person")
    leader = permissions.may_change(request.user, project)
    return folded_form(
        request,
        "projects/consortium_section.html#partner_manage_body",
        _block(request.user, project, partner),
        heading=_("Partners and their contacts") if leader else _("Your organisation's contacts"),
        subject=partner.organisation,
        back=f"{project.get_absolute_url()}#manage-partner-{partner.pk}",
    )


@login_required
@require_POST
def contact_role(request, pk, contact_pk):
    project, contact = _contact_or_404(request.user, pk, contact_pk)
    roles = permissions.contact_roles_for(request.user, contact.partner)
    form = ContactRoleForm(request.POST, roles=roles)
    if not form.is_valid():
        error = ValidationError(_("Choose one of the roles."))
        return _answer(request, project, contact.partner_id, error=error)
    try:
        services.change_contact_role(contact, form.cleaned_data["role"])
    except ValidationError as error:
        return _answer(request, project, contact.partner_id, error=error)
    notice = _("%(person)s is now %(role)s.") % {
        "person": contact.person,
        "role": contact.get_role_display(),
    }
    return _answer(request, project, contact.partner_id, notice=notice)


@login_required
@require_POST
def contact_remove(request, pk, contact_pk):
    project, contact = _contact_or_404(request.user, pk, contact_pk)
    try:
        services.remove_contact(contact)
    except ValidationError as error:
        return _answer(request, project, contact.partner_id, error=error)
    notice = _("%(person)s is no longer a contact of %(organisation)s.") % {
        "person": contact.person,
        "organisation": contact.partner.organisation,
    }
    return _answer(request, project, contact.partner_id, notice=notice)


@login_required
@require_POST
def invitation_create(request, pk, partner_pk):
    """Invite someone by e-mail, whether or not they have an account yet."""
    project, partner = _managed_partner_or_404(request.user, pk, partner_pk)
    form = ContactForm(
        request.POST,
        roles=permissions.contact_roles_for(request.user, partner),
        auto_id=f"contact-{partner.pk}-%s",
    )
    notice = ""
    if form.is_valid():
        try:
            invitation = services.invite_contact(
                partner,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            notice = _("An invitation was sent to %(email)s.") % {"email": invitation.email}
    return _answer(request, project, partner.pk, notice=notice, form=form)


@login_required
@require_POST
def invitation_resend(request, pk, invitation_pk):
    project, invitation = _invitation_or_404(request.user, pk, invitation_pk)
    try:
        services.resend_invitation(invitation, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        return _answer(request, project, invitation.partner_id, error=error)
    notice = _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
    return _answer(request, project, invitation.partner_id, notice=notice)


@login_required
@require_POST
def invitation_cancel(request, pk, invitation_pk):
    project, invitation = _invitation_or_404(request.user, pk, invitation_pk)
    try:
        services.cancel_invitation(invitation)
    except ValidationError as error:
        return _answer(request, project, invitation.partner_id, error=error)
    notice = _("The invitation to %(email)s was cancelled.") % {"email": invitation.email}
    return _answer(request, project, invitation.partner_id, notice=notice)
