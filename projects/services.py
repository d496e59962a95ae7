"""Changes to projects that touch several objects: each runs in one transaction and
re-derives the permissions the change implies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.modelutils import claim_version

from . import permissions
from .models import Contact, ExpertAssignment, Partner, Project, State, StateChange, Submission


def _save(instance):
    instance.full_clean()
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
def update_project(project, **fields):
    for name, value in fields.items():
        setattr(project, name, value)
    return _save(project)


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
    try:
        partner.delete()
    except ProtectedError:
        raise ValidationError(
            _("Records still depend on this partner (its funding lines): remove them first.")
        ) from None
    permissions.sync_project(project)


@transaction.atomic
def add_contact(partner, person, role=Contact.Role.PARTNER_CONTACT):
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
        locked.submissions.filter(decision=Submission.Decision.PENDING).update(
            decision=Submission.Decision.WITHDRAWN
        )
        locked.expert_assignments.filter(closed_at__isnull=True).update(closed_at=timezone.now())
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
    ExpertAssignment.objects.filter(
        project=project, pole=submission.pole, closed_at__isnull=True
    ).update(closed_at=timezone.now())
    submission.project.refresh_from_db()
    permissions.sync_project(submission.project)
    return submission


@transaction.atomic
def assign_expert(project, pole, expert):
    """Ask ``expert`` for an opinion: they see this one project until the pole decides."""
    if not project.submissions.filter(pole=pole, decision=Submission.Decision.PENDING).exists():
        raise ValidationError(_("Experts are asked about projects awaiting the pole's decision."))
    assignment, _created = ExpertAssignment.objects.update_or_create(
        project=project, pole=pole, expert=expert, defaults={"closed_at": None}
    )
    permissions.sync_project(project)
    return assignment
