import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from . import snapshots
from .figures import CallStatus, remaining_due, with_balance
from .models import (
    Affiliation,
    FeeCall,
    FeeSchedule,
    Membership,
    MembershipApplication,
    Organisation,
    Payment,
    Person,
    Pole,
    PoleStaff,
)
from .modelutils import claim_version, rows_changed, update_announced
from .notifications import notify
from .permissions import ACTIVE_MEMBERSHIP, OPEN_APPLICATION, sync_pole_staff
from .templatetags.grappe import euros
from .validators import normalise_identifier, normalise_name


@transaction.atomic
def add_pole_staff(pole, person, job_title=""):
    PoleStaff.objects.get_or_create(pole=pole, person=person, defaults={"job_title": job_title})
    sync_pole_staff(pole)


@transaction.atomic
def remove_pole_staff(pole, person):
    PoleStaff.objects.filter(pole=pole, person=person).delete()
    sync_pole_staff(pole)


class DuplicateOrganisation(ValidationError):
    """``organisation`` looks like organisations Grappe already has: ``duplicates``.
    A similar name may be confirmed as another organisation (``confirmable``); a SIREN not."""

    def __init__(self, field, message, duplicates, code):
        super().__init__({field: [ValidationError(message, code=code)]})
        self.duplicates = duplicates
        self.confirmable = code == "possible_duplicate"


def find_duplicates(organisation, among=None):
    """Organisations that are probably ``organisation``: the same SIREN (then certainly),
    or the same normalised name among ``among`` (all organisations if None). Each one
    found carries ``same_siren``."""
    others = Organisation.objects.exclude(pk=organisation.pk)
    siren = normalise_identifier(organisation.siren) or normalise_identifier(organisation.siret)[:9]
    found = list(others.filter(siren=siren)) if len(siren) == 9 else []
    for duplicate in found:
        duplicate.same_siren = True
    name_key = normalise_name(organisation.legal_name)
    if name_key:
        candidates = others if among is None else among.exclude(pk=organisation.pk)
        for duplicate in candidates.filter(name_key=name_key).exclude(pk__in=[o.pk for o in found]):
            duplicate.same_siren = False
            found.append(duplicate)
    return found


@transaction.atomic
def create_organisation(organisation, *, admin=None, confirm_distinct=False, among=None):
    """A new organisation, with ``admin`` (if any) as its admin.

    One with the SIREN of an existing organisation is refused; one whose normalised name is
    another's (among ``among``: what the creator may see) needs ``confirm_distinct``. Both
    refusals are ``DuplicateOrganisation`` errors naming the existing organisations."""
    duplicates = find_duplicates(organisation, among)
    same_siren = [o for o in duplicates if o.same_siren]
    if same_siren:
        raise DuplicateOrganisation(
            "siren",
            _("An organisation with this SIREN already exists."),
            same_siren,
            code="siren_taken",
        )
    organisation.full_clean()
    if duplicates and not confirm_distinct:
        raise DuplicateOrganisation(
            "legal_name",
            _(
                "An organisation with a similar name already exists: choose it, or confirm "
                "that this is a different organisation."
            ),
            duplicates,
            code="possible_duplicate",
        )
    organisation.save()
    if admin is not None:
        Affiliation.objects.create(person=admin, organisation=organisation, is_admin=True)
    return organisation


@transaction.atomic
def update_organisation(organisation, *, expected_version=None, **fields):
    """Change an organisation's profile. With ``expected_version`` (the version the person
    edited), a save over a newer one is refused with ``StaleEdit``."""
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    claim_version(organisation, expected_version)
    organisation.save()
    return organisation


# --- Memberships: applications and decisions, fee schedules, fee calls, payments, lapsing --

EMPTY_ACTIVITIES = _("Describe the activities of your organisation: what it does, and for whom.")
EMPTY_NEEDS = _(
    "Say what your organisation expects from the pole: partners, projects, funding, markets…"
)
FEE_CALL_DUE_DAYS = 30
FEE_REMINDER_EVERY_DAYS = 14


def _date(day):
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _euros(amount):
    # E-mails are written in the site's language (French): 1 234,50 €.
    with translation.override(settings.LANGUAGE_CODE):
        text = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0€"


def organisation_admins(organisation):
    """The people told about an organisation's membership: its admins."""
    return Person.objects.filter(
        affiliations__organisation=organisation, affiliations__is_admin=True
    ).order_by("pk")


def _check_dossier(activities, needs):
    errors = {}
    if not (activities or "").strip():
        errors["activities"] = ValidationError(EMPTY_ACTIVITIES, code="required")
    if not (needs or "").strip():
        errors["needs"] = ValidationError(EMPTY_NEEDS, code="required")
    if errors:
        raise ValidationError(errors)


def _check_people(organisation, people):
    affiliated = set(organisation.affiliations.values_list("person_id", flat=True))
    strangers = [person for person in people if person.pk not in affiliated]
    if strangers:
        raise ValidationError(
            {
                "people": _("%(people)s do not work for %(organisation)s.")
                % {"people": ", ".join(map(str, strangers)), "organisation": organisation}
            }
        )


def _applicant_url(application):
    return f"/memberships/applications/{application.pk}/"


def _staff_url(application):
    return f"/poles/{application.pole_id}/applications/{application.pk}/"


def _tell_staff(application, subject, body):
    return notify(
        Person.objects.filter(staff_of=application.pole_id),
        subject,
        body,
        url=_staff_url(application),
        params={"organisation": str(application.organisation), "pole": str(application.pole)},
    )


def _tell_applicant(application, subject, body, extra=()):
    people = [*organisation_admins(application.organisation), application.submitted_by, *extra]
    return notify(
        people,
        subject,
        body,
        url=_applicant_url(application),
        params={
            "organisation": str(application.organisation),
            "pole": str(application.pole),
            "comment": application.staff_comment,
        },
    )


def _locked_application(application):
    """The application re-read under a row lock: two staff members may decide at once."""
    locked = (
        MembershipApplication.objects.select_for_update()
        .select_related("organisation", "pole")
        .get(pk=application.pk)
    )
    if locked.status not in OPEN_APPLICATION:
        raise ValidationError(
            _("The pole has already decided on this application: %(status)s.")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


@transaction.atomic
def apply_for_membership(pole, organisation, *, by, activities, needs, project_idea="", people=()):
    """``organisation`` applies to ``pole`` with its dossier; the pole's staff are told.
    Its membership shows "application" until the decision."""
    _check_dossier(activities, needs)
    people = list(people)
    _check_people(organisation, people)
    # The organisation's row is the lock: two applications sent at once make one.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    membership = Membership.objects.filter(organisation=organisation, pole=pole).first()
    params = {"organisation": organisation, "pole": pole}
    if membership is not None and membership.status in ACTIVE_MEMBERSHIP:
        raise ValidationError(_("%(organisation)s is already a member of %(pole)s.") % params)
    if MembershipApplication.objects.filter(
        organisation=organisation, pole=pole, status__in=OPEN_APPLICATION
    ).exists():
        raise ValidationError(
            _("%(organisation)s already has an application to %(pole)s awaiting a decision.")
            % params
        )
    if membership is None:
        Membership.objects.create(
            organisation=organisation, pole=pole, status=Membership.Status.APPLIED
        )
    elif membership.status == Membership.Status.REJECTED:
        membership.status = Membership.Status.APPLIED  # refused before, applying again
        membership.save(update_fields=["status"])
    application = MembershipApplication(
        organisation=organisation,
        pole=pole,
        activities=activities.strip(),
        needs=needs.strip(),
        project_idea=(project_idea or "").strip(),
        submitted_by=by,
    )
    application.full_clean()
    application.save()
    application.people.set(people)
    _tell_staff(
        application,
        _("Membership application from %(organisation)s"),
        _("%(organisation)s applies to become a member of %(pole)s: review its dossier."),
    )
    return application


@transaction.atomic
def apply_with_new_organisation(
    pole, organisation, *, by, confirm_distinct=False, among=None, **dossier
):
    """A new organisation (``by`` its admin, duplicates refused as ``create_organisation``
    does) applies to ``pole``: both or neither."""
    _check_dossier(dossier.get("activities"), dossier.get("needs"))
    organisation = create_organisation(
        organisation, admin=by, confirm_distinct=confirm_distinct, among=among
    )
    return apply_for_membership(pole, organisation, by=by, people=[by], **dossier)


@transaction.atomic
def update_application(
    application, *, by, activities, needs, project_idea="", people=(), expected_version=None
):
    """The applicant completes its dossier; an application awaiting more information goes
    back to the pole's staff. With ``expected_version`` (the version the person edited), a
    save over a newer one (another admin's, or the staff's question) is refused with
    ``StaleEdit``."""
    locked = _locked_application(application)
    _check_dossier(activities, needs)
    people = list(people)
    _check_people(locked.organisation, people)
    locked.activities, locked.needs = activities.strip(), needs.strip()
    locked.project_idea = (project_idea or "").strip()
    resubmitted = locked.status == MembershipApplication.Status.INFO_REQUESTED
    if resubmitted:
        locked.status = MembershipApplication.Status.SUBMITTED
        locked.submitted_at = timezone.now()
    locked.full_clean()
    claim_version(locked, application.version if expected_version is None else expected_version)
    locked.save()
    locked.people.set(people)
    if resubmitted:
        _tell_staff(
            locked,
            _("%(organisation)s completed its membership application"),
            _("%(organisation)s answered your questions about its application to %(pole)s."),
        )
    return locked


@transaction.atomic
def request_information(application, *, by, comment):
    """Staff ask the applicant for more: the dossier goes back to the applicant."""
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": _("Say what information you need: the applicant reads it.")}
        )
    locked = _locked_application(application)
    locked.status = MembershipApplication.Status.INFO_REQUESTED
    locked.staff_comment = comment.strip()
    claim_version(locked)  # a dossier form opened before the question is stale
    locked.save(update_fields=["status", "staff_comment"])
    _tell_applicant(
        locked,
        _("%(pole)s asks for more information about your application"),
        _(
            "%(pole)s needs more information before deciding on the application of "
            "%(organisation)s:\n\n%(comment)s\n\nComplete the dossier and send it again."
        ),
    )
    return locked


@transaction.atomic
def accept_application(application, *, by, comment="", today=None):
    """Welcome the organisation: its membership starts today and runs to the end of the year;
    the people of the application are attached to it."""
    today = today or timezone.localdate()
    locked = _locked_application(application)
    locked.status = MembershipApplication.Status.ACCEPTED
    locked.staff_comment = (comment or "").strip()
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "staff_comment", "decided_by", "decided_at"])
    membership, _created = Membership.objects.select_for_update().get_or_create(
        organisation=locked.organisation, pole=locked.pole
    )
    membership.status = Membership.Status.NEW
    membership.status_override = False
    membership.start_date = today
    membership.end_date = datetime.date(today.year, 12, 31)
    membership.full_clean()
    membership.save()
    people = list(locked.people.all())
    for person in people:
        Affiliation.objects.get_or_create(person=person, organisation=locked.organisation)
    body = [_("Welcome: %(pole)s accepted %(organisation)s as a member.")]
    if locked.staff_comment:
        body.append("%(comment)s")
    _tell_applicant(
        locked,
        _("%(organisation)s is now a member of %(pole)s"),
        _Lines(body),
        extra=people,
    )
    return locked


@transaction.atomic
def reject_application(application, *, by, reason):
    """Refuse the application, with the reason the applicant reads."""
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Give the reason for the refusal: the applicant reads it.")}
        )
    locked = _locked_application(application)
    locked.status = MembershipApplication.Status.REJECTED
    locked.staff_comment = reason.strip()
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "staff_comment", "decided_by", "decided_at"])
    applied = Membership.objects.filter(
        organisation=locked.organisation, pole=locked.pole, status=Membership.Status.APPLIED
    )
    update_announced(applied, by=by, status=Membership.Status.REJECTED)
    _tell_applicant(
        locked,
        _("Your application to %(pole)s was not accepted"),
        _("%(pole)s did not accept the application of %(organisation)s:\n\n%(comment)s"),
    )
    return locked


class _Lines:
    """Messages joined by blank lines, translated when the notification is written."""

    def __init__(self, lines):
        self.lines = lines

    def __str__(self):
        return "\n\n".join(str(line) for line in self.lines)


# Fee schedules


def describe_band(min_headcount, max_headcount):
    if max_headcount is None:
        if not min_headcount:
            return str(_("any headcount"))
        return str(_("%(min)s people and more") % {"min": min_headcount})
    return str(_("%(min)s to %(max)s people") % {"min": min_headcount, "max": max_headcount})


@transaction.atomic
def save_fee_schedule(row, *, expected_version=None):
    """Add or change a row of a pole's fee schedule. The headcount bands of one category
    may not overlap: each organisation pays exactly one fee. With ``expected_version`` (the
    version the person edited), a change over a newer one is refused with ``StaleEdit``."""
    row.full_clean()
    if row.max_headcount is not None and row.max_headcount < row.min_headcount:
        raise ValidationError({"max_headcount": _("The band ends before it starts.")})
    # The pole's row is the lock: two bands added at once cannot overlap either.
    Pole.objects.select_for_update().filter(pk=row.pole_id).first()
    others = FeeSchedule.objects.filter(
        pole=row.pole_id, year=row.year, category=row.category
    ).exclude(pk=row.pk)
    overlapping = others.filter(
        Q(max_headcount__isnull=True) | Q(max_headcount__gte=row.min_headcount)
    )
    if row.max_headcount is not None:
        overlapping = overlapping.filter(min_headcount__lte=row.max_headcount)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "min_headcount": _(
                    "This band overlaps the %(category)s band “%(band)s” of %(year)s: "
                    "each organisation must fall in one band only."
                )
                % {
                    "category": clash.get_category_display(),
                    "band": describe_band(clash.min_headcount, clash.max_headcount),
                    "year": clash.year,
                }
            },
        )
    if row.pk is not None:
        claim_version(row, expected_version)
    row.save()
    return row


@transaction.atomic
def delete_fee_schedule(row):
    """Fee calls already issued keep their amount."""
    row.delete()


@transaction.atomic
def copy_fee_schedule(pole, from_year, to_year):
    """Start ``to_year``'s schedule with ``from_year``'s rows."""
    if FeeSchedule.objects.filter(pole=pole, year=to_year).exists():
        raise ValidationError(_("The %(year)s fee schedule already has rows.") % {"year": to_year})
    rows = list(FeeSchedule.objects.filter(pole=pole, year=from_year))
    if not rows:
        raise ValidationError(_("The %(year)s fee schedule is empty.") % {"year": from_year})
    for row in rows:
        row.pk = None
        row.year = to_year
        save_fee_schedule(row)
    return rows


def fee_for(organisation, pole, year, schedule=None):
    """The yearly fee ``organisation`` owes ``pole`` in ``year``: the schedule's row of its
    category whose headcount band holds its headcount. A clear error when none does.
    ``schedule``: the rows of ``pole``'s ``year``, when the caller read them already."""
    if schedule is None:
        schedule = FeeSchedule.objects.filter(pole=pole, year=year)
    rows = [row for row in schedule if row.category == organisation.category]
    params = {
        "organisation": organisation,
        "pole": pole,
        "year": year,
        "category": organisation.get_category_display(),
        "headcount": organisation.headcount,
    }
    if not rows:
        raise ValidationError(
            _("The %(year)s fee schedule of %(pole)s has no fee for the category “%(category)s”.")
            % params,
            code="no_fee",
        )
    if organisation.headcount is None:
        if len(rows) == 1 and rows[0].min_headcount == 0 and rows[0].max_headcount is None:
            return rows[0].amount
        raise ValidationError(
            _(
                "The “%(category)s” fee of %(pole)s depends on the headcount, and the "
                "headcount of %(organisation)s is unknown."
            )
            % params,
            code="no_headcount",
        )
    for row in rows:
        if row.min_headcount <= organisation.headcount and (
            row.max_headcount is None or organisation.headcount <= row.max_headcount
        ):
            return row.amount
    raise ValidationError(
        _(
            "No band of the %(year)s fee schedule of %(pole)s covers a “%(category)s” of "
            "%(headcount)s people."
        )
        % params,
        code="no_fee",
    )


# Fee calls and payments


@transaction.atomic
def issue_fee_calls(pole, year, *, issued_on=None, due_date=None):
    """Call the ``year`` fee of every active member of ``pole`` that has no call for it yet
    (running it again calls nobody twice). Returns the calls made and the members skipped,
    each with the reason (no fee in the schedule for it)."""
    issued_on = issued_on or timezone.localdate()
    due_date = due_date or issued_on + datetime.timedelta(days=FEE_CALL_DUE_DAYS)
    if due_date < issued_on:
        raise ValidationError({"due_date": _("The due date comes before the call.")})
    # The pole's row is the lock: two runs at once call each member once.
    Pole.objects.select_for_update().filter(pk=pole.pk).first()
    members = (
        Membership.objects.filter(pole=pole, status__in=ACTIVE_MEMBERSHIP)
        .exclude(fee_calls__year=year)
        .select_related("organisation", "pole")
        .order_by("organisation__legal_name", "pk")
    )
    schedule = list(FeeSchedule.objects.filter(pole=pole, year=year))
    created, skipped = [], []
    for membership in members:
        try:
            amount = fee_for(membership.organisation, pole, year, schedule)
        except ValidationError as error:
            skipped.append((membership, error.messages[0]))
            continue
        call = FeeCall(
            membership=membership, year=year, amount=amount, issued_on=issued_on, due_date=due_date
        )
        call.full_clean()
        call.save()
        created.append(call)
        notify(
            organisation_admins(membership.organisation),
            _("%(pole)s: your %(year)s membership fee"),
            _(
                "%(pole)s calls the %(year)s membership fee of %(organisation)s: %(amount)s, "
                "to pay by %(due)s."
            ),
            url="/memberships/",
            params={
                "pole": str(pole),
                "year": year,
                "organisation": str(membership.organisation),
                "amount": _euros(amount),
                "due": _date(due_date),
            },
        )
    return created, skipped


@transaction.atomic
def record_payment(fee_call, *, paid_on, amount, reference="", by=None, today=None):
    """Record a payment of ``fee_call`` (partial ones too). A payment larger than what
    remains due is refused; the payment that settles the call extends the membership to the
    end of its year."""
    today = today or timezone.localdate()
    call = (
        FeeCall.objects.select_for_update()
        .select_related("membership__organisation", "membership__pole")
        .get(pk=fee_call.pk)
    )
    payment = Payment(
        fee_call=call, paid_on=paid_on, amount=amount, reference=reference or "", recorded_by=by
    )
    payment.full_clean()
    if paid_on > today:
        raise ValidationError({"paid_on": _("A payment cannot be dated in the future.")})
    remaining = remaining_due(call)
    if remaining <= 0:
        raise ValidationError({"amount": _("This fee is already paid in full.")})
    if payment.amount > remaining:
        raise ValidationError(
            {
                "amount": _(
                    "The payment (%(amount)s) is larger than what remains due (%(remaining)s)."
                )
                % {"amount": euros(payment.amount), "remaining": euros(remaining)}
            }
        )
    payment.save()
    membership = call.membership
    settled = payment.amount == remaining
    if settled:
        _extend(membership, call.year, today)
    notify(
        organisation_admins(membership.organisation),
        _("%(pole)s received your payment"),
        _("%(pole)s recorded a payment of %(amount)s for the %(year)s fee of %(organisation)s.")
        if settled
        else _(
            "%(pole)s recorded a payment of %(amount)s for the %(year)s fee of "
            "%(organisation)s; %(remaining)s remains due."
        ),
        url="/memberships/",
        params={
            "pole": str(membership.pole),
            "year": call.year,
            "organisation": str(membership.organisation),
            "amount": _euros(payment.amount),
            "remaining": _euros(remaining - payment.amount),
        },
    )
    return payment


def _extend(membership, year, today):
    """A paid year's fee: the membership runs at least to the end of that year."""
    year_end = datetime.date(year, 12, 31)
    if membership.end_date is None or membership.end_date < year_end:
        membership.end_date = year_end
    if not membership.status_override:
        membership.status = status_on(membership, today)
    membership.save(update_fields=["end_date", "status"])


@transaction.atomic
def remind_overdue_fees(today=None):
    """Remind the admins of each member whose fee is overdue: once per fortnight per call,
    however often this runs (``reminded_on`` is claimed before anyone is told)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=FEE_REMINDER_EVERY_DAYS)
    unreminded = Q(reminded_on__isnull=True) | Q(reminded_on__lte=since)
    overdue = (
        with_balance(FeeCall.objects.filter(unreminded), today)
        .filter(payment_status=CallStatus.OVERDUE)
        .select_related("membership__organisation", "membership__pole")
        .order_by("due_date", "pk")
    )
    reminded = []
    for call in overdue:
        if not FeeCall.objects.filter(unreminded, pk=call.pk).update(reminded_on=today):
            continue
        membership = call.membership
        notify(
            organisation_admins(membership.organisation),
            _("Reminder: your %(year)s membership fee to %(pole)s is overdue"),
            _(
                "The %(year)s membership fee of %(organisation)s to %(pole)s was due on "
                "%(due)s: %(remaining)s remains to pay. Without it, the membership lapses."
            ),
            url="/memberships/",
            params={
                "pole": str(membership.pole),
                "year": call.year,
                "organisation": str(membership.organisation),
                "due": _date(call.due_date),
                "remaining": _euros(call.remaining),
            },
        )
        reminded.append(call)
    return reminded


# Lapsing: statuses follow the dates, unless set by hand


def grace_days():
    return getattr(settings, "MEMBERSHIP_GRACE_DAYS", 90)


def status_on(membership, today, grace=None):
    """The status the dates give ``membership`` on ``today``: new in its first year, current
    while paid up, in its grace period for ``grace`` days after its end date, expired after.
    An application, a refusal or a membership without dates keeps its status."""
    if membership.status in (Membership.Status.APPLIED, Membership.Status.REJECTED):
        return membership.status
    if membership.end_date is None:
        return membership.status
    if membership.end_date >= today:
        if membership.start_date and membership.start_date.year == today.year:
            return Membership.Status.NEW
        return Membership.Status.CURRENT
    grace = grace_days() if grace is None else grace
    if (today - membership.end_date).days <= grace:
        return Membership.Status.GRACE
    return Membership.Status.EXPIRED


LAPSE_NOTICES = {
    Membership.Status.GRACE: (
        _("Your membership of %(pole)s is in its grace period"),
        _(
            "The membership of %(organisation)s to %(pole)s ended on %(end)s and its fee is "
            "unpaid: it lapses after %(days)s days of grace."
        ),
    ),
    Membership.Status.EXPIRED: (
        _("Your membership of %(pole)s has expired"),
        _(
            "The membership of %(organisation)s to %(pole)s ended on %(end)s and its fee was "
            "not paid: it has expired. Contact the pole to renew it."
        ),
    ),
}


@transaction.atomic
def update_membership_statuses(today=None, grace=None):
    """Move every membership whose status is not set by hand to the status its dates give;
    a fully paid fee call first extends its membership to the end of its year. Returns the
    number of memberships moved, by new status."""
    today = today or timezone.localdate()
    grace = grace_days() if grace is None else grace
    paid_year = (
        with_balance(FeeCall.objects.filter(membership=OuterRef("pk")), today)
        .filter(payment_status=CallStatus.PAID)
        .order_by("-year")
        .values("year")[:1]
    )
    memberships = (
        Membership.objects.exclude(
            status__in=[Membership.Status.APPLIED, Membership.Status.REJECTED]
        )
        .annotate(paid_year=Subquery(paid_year))
        .select_related("organisation", "pole")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    moved, changed, changes = {}, [], []
    for membership in memberships:
        before = (membership.status, membership.end_date)
        if membership.paid_year:
            year_end = datetime.date(membership.paid_year, 12, 31)
            if membership.end_date is None or membership.end_date < year_end:
                membership.end_date = year_end
        if not membership.status_override:
            membership.status = status_on(membership, today, grace)
        if (membership.status, membership.end_date) == before:
            continue
        changed.append(membership)
        after = (membership.status, membership.end_date)
        fields = {
            name: values
            for name, *values in zip(("status", "end_date"), before, after, strict=True)
            if values[0] != values[1]
        }
        changes.append((membership, fields))
        if membership.status != before[0]:
            moved[membership.status] = moved.get(membership.status, 0) + 1
            notice = LAPSE_NOTICES.get(membership.status)
            if notice:
                notify(
                    organisation_admins(membership.organisation),
                    *notice,
                    url="/memberships/",
                    params={
                        "pole": str(membership.pole),
                        "organisation": str(membership.organisation),
                        "end": _date(membership.end_date),
                        "days": grace,
                    },
                )
    Membership.objects.bulk_update(changed, ["status", "end_date"])
    rows_changed.send(sender=Membership, changes=changes)
    snapshots.changed(poles={membership.pole_id for membership in changed})
    return moved


@transaction.atomic
def set_membership_status(membership, status=None, *, by=None, today=None):
    """Staff set a status by hand (it no longer follows the dates), or, with ``status`` None,
    let the dates decide again."""
    today = today or timezone.localdate()
    if status is None:
        membership.status_override = False
        membership.status = status_on(membership, today)
    else:
        if status not in ACTIVE_MEMBERSHIP + (Membership.Status.EXPIRED,):
            raise ValidationError({"status": _("Choose new, current, grace period or expired.")})
        membership.status_override = True
        membership.status = status
    membership.full_clean()
    membership.save(update_fields=["status", "status_override"])
    return membership
