"""Changes to projects that touch several objects: each runs in one transaction and
re-derives the permissions the change implies."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import snapshots
from portal.models import Person
from portal.modelutils import claim_version, update_announced
from portal.services import create_organisation

from . import notifications, permissions, uploads
from .models import (
    CommitteeSession,
    Contact,
    Document,
    ExpertAssignment,
    Invitation,
    Milestone,
    Partner,
    Project,
    State,
    StateChange,
    Submission,
)
from .signals import partner_leaving


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _save_version(instance, expected_version=None):
    """Validate, claim the version (``portal.modelutils.claim_version``) and save."""
    instance.full_clean()
    claim_version(instance, expected_version)
    instance.save()
    return instance


@transaction.atomic
def create_project(*, by, coordinator, themes=(), **fields):
    """A draft project, its coordinating partner and ``by`` as its coordinator contact."""
    project = _save(Project(created_by=by, state=State.DRAFT, **fields))
    if themes:
        project.themes.set(themes)
    partner = _save(
        Partner(project=project, organisation=coordinator, role=Partner.Role.COORDINATOR)
    )
    _save(Contact(partner=partner, person=by, role=Contact.Role.COORDINATOR_CONTACT))
    permissions.sync_project(project)
    return project


@transaction.atomic
def update_project(project, *, expected_version=None, themes=None, **fields):
    """Change a project's description and ``themes``. With ``expected_version`` (the version
    the person edited), a save over a newer one is refused with ``StaleEdit``."""
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    claim_version(project, expected_version)
    # Its own fields only: the state and the labelling date move under the project's lock.
    project.save(update_fields=[*fields, "version", "updated_at"])
    if themes is not None:
        project.themes.set(themes)
    return project


@transaction.atomic
def add_partner(project, *, organisation, role=Partner.Role.PARTNER, contacts=(), **costs):
    """Add ``organisation`` to the consortium with its costs (``personnel_costs``…)."""
    partner = _save(Partner(project=project, organisation=organisation, role=role, **costs))
    for person, contact_role in contacts:
        _save(Contact(partner=partner, person=person, role=contact_role))
    permissions.sync_project(project)
    return partner


@transaction.atomic
def change_partner(partner, *, expected_version=None, **fields):
    """Change a partner row. With ``expected_version`` (the version the person edited), a
    save based on an outdated row is refused with ``StaleEdit``, which shows the newer values."""
    was_coordinator = partner.role == Partner.Role.COORDINATOR
    for name, value in fields.items():
        setattr(partner, name, value)
    if was_coordinator and partner.role != Partner.Role.COORDINATOR:
        raise ValidationError(
            {"role": _("A project keeps exactly one coordinator: name another one first.")}
        )
    partner.full_clean()
    claim_version(partner, partner.version if expected_version is None else expected_version)
    partner.save()
    permissions.sync_project(partner.project)
    return partner


@transaction.atomic
def remove_partner(partner):
    if partner.role == Partner.Role.COORDINATOR:
        raise ValidationError(_("The coordinator cannot be removed from its project."))
    project = partner.project
    partner_leaving.send(sender=Partner, partner=partner)
    try:
        partner.delete()
    except ProtectedError as error:
        kinds = sorted(
            {str(type(record)._meta.verbose_name_plural) for record in error.protected_objects}
        )
        raise ValidationError(
            _("Records still depend on this partner (%(records)s): remove them first.")
            % {"records": ", ".join(kinds)}
        ) from None
    permissions.sync_project(project)


@transaction.atomic
def add_contact(partner, person, role=Contact.Role.PARTNER_CONTACT):
    if partner.contact_rows.filter(person=person).exists():
        raise ValidationError(
            _("%(person)s is already a contact of %(organisation)s.")
            % {"person": person, "organisation": partner.organisation},
            code="already_contact",
        )
    contact = _save(Contact(partner=partner, person=person, role=role))
    permissions.sync_project(partner.project)
    return contact


def _move(project, target, by, comment=""):
    project.check_transition(target)
    StateChange.objects.create(
        project=project, from_state=project.state, to_state=target, by=by, comment=comment
    )
    project.state = target
    project.save(update_fields=["state", "labelled_on", "updated_at"])


def _locked(project):
    """The project re-read under a row lock, so two people cannot move it at once."""
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def change_state(project, target, *, by, comment=""):
    """Move ``project`` along its lifecycle. Labelling goes through ``record_decision``."""
    locked = _locked(project)
    if target in (State.LABELLED, State.REJECTED):
        raise ValidationError({"state": _("Labelling is decided by the poles' committees.")})
    if target == State.SUBMITTED:
        raise ValidationError({"state": _("Choose the poles to submit the project to.")})
    was_submitted = locked.state == State.SUBMITTED
    _move(locked, target, by, comment)
    if was_submitted:
        # Withdrawn or abandoned: no pole decides any more, and its experts' access ends.
        pending = locked.submissions.filter(decision=Submission.Decision.PENDING)
        update_announced(pending, by=by, decision=Submission.Decision.WITHDRAWN)
        snapshots.changed(projects=[locked.pk])
        open_assignments = locked.expert_assignments.filter(closed_at__isnull=True)
        update_announced(open_assignments, by=by, closed_at=timezone.now())
    project.refresh_from_db()
    permissions.sync_project(project)
    return project


@transaction.atomic
def submit_project(project, poles, *, by):
    """Submit a draft to one or several poles for labelling (co-labelling)."""
    if not poles:
        raise ValidationError({"poles": _("Choose at least one pole.")})
    locked = _locked(project)
    if not locked.partners.filter(role=Partner.Role.COORDINATOR).exists():
        raise ValidationError(_("A project needs its coordinator before it is submitted."))
    _move(locked, State.SUBMITTED, by)
    now = timezone.now()
    for pole in poles:
        Submission.objects.update_or_create(
            project=locked,
            pole=pole,
            defaults={
                "decision": Submission.Decision.PENDING,
                "submitted_at": now,
                "decided_on": None,
            },
        )
    project.refresh_from_db()
    permissions.sync_project(project)
    notifications.submission_received(project, poles, by=by)
    return project


@transaction.atomic
def record_decision(
    submission,
    decision,
    *,
    by,
    decided_on=None,
    committee="",
    opinion="",
    conditions="",
    staff_notes="",
):
    """One pole's labelling decision. The first label makes the project labelled (and its
    summary public); it is rejected once every pole it was submitted to has rejected it."""
    if decision not in (Submission.Decision.LABELLED, Submission.Decision.REJECTED):
        raise ValidationError({"decision": _("A decision labels or rejects the project.")})
    project = _locked(submission.project)
    # Re-read under the lock: two staff members may have opened the same pending submission.
    if Submission.objects.get(pk=submission.pk).decision != Submission.Decision.PENDING:
        raise ValidationError({"decision": _("This pole has already decided on the project.")})
    decided_on = decided_on or timezone.localdate()
    submission.decision = decision
    submission.decided_on = decided_on
    submission.committee, submission.opinion, submission.conditions = committee, opinion, conditions
    submission.staff_notes = staff_notes
    submission.decided_by = by
    _save(submission)
    if decision == Submission.Decision.LABELLED:
        if project.state == State.SUBMITTED:
            project.labelled_on = project.labelled_on or decided_on
            _move(project, State.LABELLED, by, comment=str(submission.pole))
        elif project.labelled_on is None:
            project.labelled_on = decided_on
            project.save(update_fields=["labelled_on", "updated_at"])
    else:
        pending_or_labelled = project.submissions.filter(
            decision__in=[Submission.Decision.PENDING, Submission.Decision.LABELLED]
        )
        if project.state == State.SUBMITTED and not pending_or_labelled.exists():
            _move(project, State.REJECTED, by, comment=str(submission.pole))
    open_assignments = ExpertAssignment.objects.filter(
        project=project, pole=submission.pole, closed_at__isnull=True
    )
    update_announced(open_assignments, by=by, closed_at=timezone.now())
    submission.project.refresh_from_db()
    permissions.sync_project(submission.project)
    notifications.decision_made(submission)
    return submission


@transaction.atomic
def assign_expert(project, pole, expert, *, requested_by=None):
    """Ask ``expert`` for an opinion: they see this one project until the pole decides."""
    if not project.submissions.filter(pole=pole, decision=Submission.Decision.PENDING).exists():
        raise ValidationError(_("Experts are asked about projects awaiting the pole's decision."))
    if Contact.objects.filter(partner__project=project, person=expert).exists():
        raise ValidationError(
            {"expert": _("A member of the consortium cannot give an expert opinion on it.")}
        )
    defaults = {"closed_at": None}
    if requested_by is not None:
        defaults["requested_by"] = requested_by
    assignment, _created = ExpertAssignment.objects.update_or_create(
        project=project, pole=pole, expert=expert, defaults=defaults
    )
    permissions.sync_project(project)
    notifications.expert_asked(assignment)
    return assignment


@transaction.atomic
def give_opinion(assignment, opinion, *, by):
    """The expert's opinion, given or amended until the pole decides."""
    locked = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.expert_id != by.pk:
        raise ValidationError(_("Only the expert who was asked gives this opinion."))
    # Re-read under the lock: the decision closes the assignment, and the opinion with it.
    if locked.closed_at is not None:
        raise ValidationError(_("The pole has decided: the opinion can no longer be changed."))
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write your opinion.")})
    locked.opinion = opinion.strip()
    locked.opinion_given_at = timezone.now()
    locked.save(update_fields=["opinion", "opinion_given_at"])
    assignment.opinion, assignment.opinion_given_at = locked.opinion, locked.opinion_given_at
    return assignment


@transaction.atomic
def create_session(pole, *, name, date, location="", notes=""):
    """A meeting of ``pole``'s labelling committee."""
    return _save(CommitteeSession(pole=pole, name=name, date=date, location=location, notes=notes))


@transaction.atomic
def update_session(session, *, expected_version=None, **fields):
    fields.pop("pole", None)  # a session stays with its pole
    for name, value in fields.items():
        setattr(session, name, value)
    return _save_version(session, expected_version)


@transaction.atomic
def delete_session(session):
    """A session goes only while no decision refers to it; its pending agenda is freed."""
    if session.agenda.exclude(decision=Submission.Decision.PENDING).exists():
        raise ValidationError(
            _("Decisions were recorded at this session: it stays as their record.")
        )
    session.delete()


@transaction.atomic
def schedule(submission, session):
    """Put a submission awaiting its pole's decision on the agenda of one of that pole's sessions."""
    original, submission = submission, Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.pole_id != session.pole_id:
        raise ValidationError(
            {"session": _("A project goes on the agenda of the pole it was submitted to.")}
        )
    if submission.decision != Submission.Decision.PENDING:
        raise ValidationError(
            {"submission": _("Only projects awaiting the pole's decision go on an agenda.")}
        )
    submission.session = session
    submission.save(update_fields=["session"])
    original.session = session  # the caller's copy too: a later save must not undo this
    return submission


@transaction.atomic
def unschedule(submission):
    """Take a submission off its session's agenda; a decided one stays where it was decided."""
    original, submission = submission, Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.decision != Submission.Decision.PENDING:
        raise ValidationError(
            {"submission": _("The decision on this project was recorded at this session.")}
        )
    submission.session = None
    submission.save(update_fields=["session"])
    original.session = None
    return submission


# --- Milestones and deliverables ------------------------------------------------------------


@transaction.atomic
def add_milestone(project, **fields):
    """A milestone or deliverable of ``project`` (``title``, ``due_date``, ``partner``…)."""
    return _save(Milestone(project=project, **fields))


@transaction.atomic
def change_milestone(milestone, *, expected_version=None, **fields):
    fields.pop("project", None)  # a milestone stays with its project
    for name, value in fields.items():
        setattr(milestone, name, value)
    return _save_version(milestone, expected_version)


@transaction.atomic
def complete_milestone(milestone, done_on=None):
    """Mark ``milestone`` done, today unless told otherwise; a form opened before then is
    stale (its version moves on)."""
    milestone.done_on = done_on or timezone.localdate()
    return _save_version(milestone)


@transaction.atomic
def delete_milestone(milestone):
    milestone.delete()


# --- Documents --------------------------------------------------------------------------------


@transaction.atomic
def add_document(project, *, by, upload, kind=Document.Kind.OTHER, title=""):
    """Store ``upload`` for ``project`` once its size and real type are checked (the one place
    that checks them). A refused file leaves nothing behind, neither row nor file."""
    file_type = uploads.check_upload(upload)
    original_name = uploads.clean_name(upload.name)
    document = Document(
        project=project,
        kind=kind,
        title=(title or "").strip() or original_name,
        original_name=original_name,
        content_type=file_type.content_type,
        size=upload.size,
        sha256=uploads.sha256_of(upload),
        uploaded_by=by,
    )
    document.full_clean(exclude=["file"])
    document.file.save(original_name, upload, save=False)
    try:
        document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def delete_document(document):
    """Delete the row now and its file once the deletion is committed."""
    file = document.file
    storage, name = file.storage, file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- the consortium: roles, contacts, invitations ------------------------------------------


@transaction.atomic
def add_partner_with_new_organisation(
    project, organisation, *, confirm_distinct=False, among=None, **fields
):
    """Add a partner that is new to Grappe: its organisation is created without an admin
    (whoever adds it does not work there) and the consortium sees it. Duplicates are
    refused as ``portal.services.create_organisation`` says."""
    create_organisation(organisation, confirm_distinct=confirm_distinct, among=among)
    return add_partner(project, organisation=organisation, **fields)


def _person_with_email(email):
    return Person.objects.filter(email__iexact=(email or "").strip()).first()


def add_contact_by_email(partner, email, role=Contact.Role.PARTNER_CONTACT):
    """Make the person who has an account with ``email`` a contact of ``partner``."""
    person = _person_with_email(email)
    if person is None:
        raise ValidationError(
            {"email": _("No one has an account with this e-mail address: invite them instead.")}
        )
    return add_contact(partner, person, role)


def _keep_a_coordinator_contact(contact):
    """A project always keeps a coordinator contact: someone leads it."""
    _locked(contact.partner.project)  # two leaders removing each other wait for one another
    others = Contact.objects.filter(
        partner__project_id=contact.partner.project_id, role=Contact.Role.COORDINATOR_CONTACT
    ).exclude(pk=contact.pk)
    if contact.role == Contact.Role.COORDINATOR_CONTACT and not others.exists():
        raise ValidationError(
            {
                "role": _(
                    "%(person)s is the project's last coordinator contact: name another one first."
                )
                % {"person": contact.person}
            }
        )


@transaction.atomic
def change_contact_role(contact, role):
    if role != Contact.Role.COORDINATOR_CONTACT:
        _keep_a_coordinator_contact(contact)
    contact.role = role
    _save(contact)
    permissions.sync_project(contact.partner.project)
    return contact


@transaction.atomic
def remove_contact(contact):
    _keep_a_coordinator_contact(contact)
    project = contact.partner.project
    contact.delete()
    permissions.sync_project(project)


def _set_role(partner, role):
    # A new version: a budget form opened before the change cannot write the old role back.
    partner.role = role
    partner.full_clean()
    claim_version(partner, partner.version)
    partner.save()


@transaction.atomic
def change_coordinator(project, new_partner):
    """Hand the coordination over to ``new_partner``: the old coordinator becomes a plain
    partner and its coordinator contacts partner contacts; the new one's partner contacts
    become the coordinator contacts (it needs at least one)."""
    _locked(project)
    partners = {
        p.pk: p for p in project.partners.select_for_update().select_related("organisation")
    }
    new = partners.get(new_partner.pk)
    if new is None:
        raise ValidationError({"role": _("This partner is not in the project's consortium.")})
    if new.role != Partner.Role.COORDINATOR:
        new_leaders = list(new.contact_rows.filter(role=Contact.Role.PARTNER_CONTACT))
        if not new_leaders:
            raise ValidationError(
                {
                    "role": _(
                        "Give %(organisation)s a partner contact first: they become the "
                        "project's coordinator contacts."
                    )
                    % {"organisation": new.organisation}
                }
            )
        for old in partners.values():
            if old.role == Partner.Role.COORDINATOR:
                _set_role(old, Partner.Role.PARTNER)
                for contact in old.contact_rows.filter(role=Contact.Role.COORDINATOR_CONTACT):
                    contact.role = Contact.Role.PARTNER_CONTACT
                    _save(contact)
        _set_role(new, Partner.Role.COORDINATOR)
        for contact in new_leaders:
            contact.role = Contact.Role.COORDINATOR_CONTACT
            _save(contact)
        permissions.sync_project(project)
    new_partner.refresh_from_db()
    return new_partner


def change_partner_role(partner, role):
    """A partner's role; naming another coordinator hands the coordination over."""
    if role == Partner.Role.COORDINATOR:
        return change_coordinator(partner.project, partner)
    return change_partner(partner, role=role)


def _send_invitation(invitation, base_url):
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
    notifications.invitation_sent(invitation, link)


@transaction.atomic
def invite_contact(partner, email, role, by, *, base_url=""):
    """Invite ``email`` to become a contact of ``partner`` with ``role``, by an e-mail with a
    single-use link (``base_url``, e.g. ``https://grappe.example``, makes it absolute).
    It replaces a pending invitation of the same address to the same partner."""
    email = (email or "").strip().lower()
    person = _person_with_email(email)
    if person is not None and partner.contact_rows.filter(person=person).exists():
        raise ValidationError(
            {
                "email": _("%(person)s is already a contact of %(organisation)s.")
                % {"person": person, "organisation": partner.organisation}
            }
        )
    Contact(partner=partner, role=role).clean()  # a coordinator contact on the coordinator only
    partner.invitations.filter(email__iexact=email, accepted_at__isnull=True).delete()
    invitation = _save(
        Invitation(
            partner=partner, email=email, role=role, token=secrets.token_urlsafe(32), invited_by=by
        )
    )
    _send_invitation(invitation, base_url)
    return invitation


@transaction.atomic
def resend_invitation(invitation, *, base_url=""):
    """Send a pending invitation again with a new link, valid from now (the old one dies)."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    invitation.token = secrets.token_urlsafe(32)
    invitation.created_at = timezone.now()
    invitation.save(update_fields=["token", "created_at"])
    _send_invitation(invitation, base_url)
    return invitation


@transaction.atomic
def cancel_invitation(invitation):
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    invitation.delete()


@transaction.atomic
def accept_invitation(invitation, person):
    """Make ``person`` the contact the invitation names. A ``person`` not saved yet is the
    account created from the invitation: saved with the contact, or not at all."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if locked.is_expired:
        raise ValidationError(
            _("This invitation has expired: ask the person who invited you for a new one."),
            code="expired",
        )
    if person.pk is None:
        _save(person)
    partner = invitation.partner
    if partner.contact_rows.filter(person=person).exists():
        raise ValidationError(
            _("You are already a contact of %(organisation)s on %(project)s.")
            % {"organisation": partner.organisation, "project": partner.project},
            code="already_contact",
        )
    contact = _save(Contact(partner=partner, person=person, role=locked.role))
    locked.accepted_at, locked.accepted_by = timezone.now(), person
    locked.save(update_fields=["accepted_at", "accepted_by"])
    invitation.accepted_at, invitation.accepted_by = locked.accepted_at, person
    permissions.sync_project(partner.project)
    return contact
