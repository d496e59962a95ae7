"""Changes to funding: each runs in one transaction, validates with the models' rules and
raises ``ValidationError`` (``StaleEdit`` for a save over a newer version of a line).

Money rules that need the database: the disbursements of a line never exceed its amount
granted minus its cancelled part, and its repayments never exceed its disbursements. They
are checked with the line's row locked (``select_for_update``) and the amounts re-summed by
the database, so two people recording a tranche at once cannot overshoot together.
Every save records who made it (``by``) in the history."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.modelutils import claim_version
from portal.templatetags.grappe import euros
from projects import permissions as project_permissions

from . import notifications
from .models import Disbursement, FundingLine, PrivateRound, Programme, Repayment
from .permissions import sync_funder

ZERO = Decimal("0.00")


def programme_named(funder, name, instrument=Programme.Instrument.GRANT):
    """The funder's programme called ``name``, created if new (seeds and imports name them)."""
    programme, _created = Programme.objects.get_or_create(
        funder=funder, name=name, defaults={"instrument": instrument}
    )
    return programme


@transaction.atomic
def record_funding_line(*, project, partner, programme, funder=None, by=None, **fields):
    """A funding line of ``partner`` from ``programme`` (a Programme, or a name of
    ``funder``'s); the funder's reviewers then see the project."""
    if isinstance(programme, str):
        programme = programme_named(funder, programme)
    line = FundingLine(project=project, partner=partner, programme=programme, **fields)
    line.funder_id = programme.funder_id
    _save(line, by)
    project_permissions.sync_project(project)
    return line


@transaction.atomic
def add_reviewer(funder, person):
    funder.reviewers.add(person)
    sync_funder(funder)


def _save(instance, by=None):
    instance.full_clean()
    if by is not None:
        instance._history_user = by
    instance.save()
    return instance


def _total(queryset):
    return queryset.aggregate(total=Sum("amount"))["total"] or ZERO


def _locked(line):
    """``line`` re-read under a row lock: until the transaction ends, nobody else changes it
    nor adds a tranche to it, and its sums are read from the database."""
    return FundingLine.objects.select_for_update().select_related("programme").get(pk=line.pk)


def _check_disbursable(line, disbursed, field):
    """The tranches of ``line`` (``disbursed`` in all) fit in its net amount granted."""
    available = (line.amount_granted or ZERO) - line.amount_cancelled
    if disbursed > available:
        raise ValidationError(
            {
                field: _(
                    "The disbursements would reach %(disbursed)s, above the %(available)s "
                    "granted (net of cancellations)."
                )
                % {"disbursed": euros(disbursed), "available": euros(available)}
            }
        )


def _check_repayable(line, repaid, disbursed, field):
    if repaid > disbursed:
        raise ValidationError(
            {
                field: _(
                    "The repayments would reach %(repaid)s, above the %(disbursed)s disbursed."
                )
                % {"repaid": euros(repaid), "disbursed": euros(disbursed)}
            }
        )


@transaction.atomic
def change_funding_line(line, *, expected_version=None, by=None, **fields):
    """Change a line: the leaders' application (partner, programme, amount requested, applied
    or withdrawn) or the funder's decision (granted or refused, amount, date, conditions,
    cancellations, closing). With ``expected_version`` (the version the person edited), a
    save over a newer one is refused with ``StaleEdit``, which carries the newer values."""
    before = line.status
    for name, value in fields.items():
        setattr(line, name, value)
    if "programme" in fields:
        line.funder_id = line.programme.funder_id
    if line.status != before and line.status not in FundingLine.TRANSITIONS[before]:
        raise ValidationError(
            {
                "status": _("A funding line cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": FundingLine.Status(before).label,
                    "to": FundingLine.Status(line.status).label,
                }
            }
        )
    line.full_clean()
    claim_version(line, line.version if expected_version is None else expected_version)
    if line.status in FundingLine.DECIDED:
        field = "amount_cancelled" if "amount_cancelled" in fields else "amount_granted"
        _check_disbursable(line, _total(line.disbursements.all()), field)
    _save(line, by)
    if line.status != before and line.status in (
        FundingLine.Status.GRANTED,
        FundingLine.Status.REFUSED,
    ):
        notifications.decision_recorded(line)
    if "programme" in fields:
        project_permissions.sync_project(line.project)
    return line


@transaction.atomic
def record_disbursement(line, *, by=None, **fields):
    """A tranche of a granted (or closed) line: ``kind``, ``amount``, ``scheduled_date``,
    ``paid_date``, ``reference``."""
    locked = _locked(line)
    disbursement = Disbursement(line=locked, **fields)
    disbursement.full_clean()
    disbursed = _total(locked.disbursements.all()) + disbursement.amount
    _check_disbursable(locked, disbursed, "amount")
    return _save(disbursement, by)


@transaction.atomic
def change_disbursement(disbursement, *, expected_version=None, by=None, **fields):
    """Change a tranche (its amount, its dates: paid at last…), within the line's amount.
    With ``expected_version`` (the version the person edited), a save over a newer one is
    refused with ``StaleEdit``."""
    locked = _locked(disbursement.line)
    for name, value in fields.items():
        setattr(disbursement, name, value)
    disbursement.line = locked
    disbursement.full_clean()
    others = _total(locked.disbursements.exclude(pk=disbursement.pk))
    _check_disbursable(locked, others + disbursement.amount, "amount")
    _check_repayable(
        locked, _total(locked.repayments.all()), others + disbursement.amount, "amount"
    )
    claim_version(disbursement, expected_version)
    return _save(disbursement, by)


@transaction.atomic
def delete_disbursement(disbursement, *, by=None):
    locked = _locked(disbursement.line)
    others = _total(locked.disbursements.exclude(pk=disbursement.pk))
    try:
        _check_repayable(locked, _total(locked.repayments.all()), others, "amount")
    except ValidationError:
        raise ValidationError(
            _("Repayments depend on this disbursement: remove or reduce them first.")
        ) from None
    if by is not None:
        disbursement._history_user = by
    disbursement.delete()


@transaction.atomic
def record_repayment(line, *, by=None, **fields):
    """A scheduled repayment of a granted repayable advance or loan: ``amount``,
    ``due_date``, ``paid_date``."""
    locked = _locked(line)
    repayment = Repayment(line=locked, **fields)
    repayment.full_clean()
    repaid = _total(locked.repayments.all()) + repayment.amount
    _check_repayable(locked, repaid, _total(locked.disbursements.all()), "amount")
    return _save(repayment, by)


@transaction.atomic
def change_repayment(repayment, *, expected_version=None, by=None, **fields):
    locked = _locked(repayment.line)
    for name, value in fields.items():
        setattr(repayment, name, value)
    repayment.line = locked
    repayment.full_clean()
    repaid = _total(locked.repayments.exclude(pk=repayment.pk)) + repayment.amount
    _check_repayable(locked, repaid, _total(locked.disbursements.all()), "amount")
    claim_version(repayment, expected_version)
    return _save(repayment, by)


@transaction.atomic
def delete_repayment(repayment, *, by=None):
    if by is not None:
        repayment._history_user = by
    repayment.delete()


@transaction.atomic
def record_private_round(partner, *, by=None, **fields):
    """Private money a partner company raised on the strength of the project: ``kind``,
    ``amount``, ``investors``, ``closed_on``."""
    return _save(PrivateRound(partner=partner, **fields), by)


@transaction.atomic
def change_private_round(private_round, *, expected_version=None, by=None, **fields):
    for name, value in fields.items():
        setattr(private_round, name, value)
    claim_version(private_round, expected_version)
    return _save(private_round, by)


@transaction.atomic
def delete_private_round(private_round, *, by=None):
    if by is not None:
        private_round._history_user = by
    private_round.delete()
