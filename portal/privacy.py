"""Personal data: what the portal holds about a person (a download of it all), erasure, and
how long what is only kept for a while stays.

``personal_data(person)`` walks every relation that points to the person (every model's
foreign keys and many-to-many to ``Person``, found by Django's model meta-data, so a new
model is included without touching this file), plus the rows that name them by e-mail
(invitations, sign-in attempts).

``erase(person, by=…)`` anonymises the account: e-mail, names and password replaced, the
account closed, and what only served them removed (their notifications, roles, contacts on
projects, API tokens, authenticators, sessions, sign-in records, invitations to their address). What they
took part in stays — funding lines, disbursements and payments they recorded, decisions,
history — pointing to the anonymised account: the financial records are intact. It refuses,
changing nothing, while the person is a project's last coordinator contact.

``apply_retention()`` deletes what is kept only for a while (``settings.RETENTION_DAYS``).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from . import two_factor
from .models import Affiliation, ErasureRequest, FiguresSnapshot, Notification, PoleStaff
from .notifications import notify, send_email

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never a real address
# Secrets are never written out, not even to their owner: a downloaded file must not let
# anyone sign in (password hash, authenticator keys, backup codes, API token hashes).
SECRETS = {"password", "key", "token", "key_hash"}


def _serialised(rows):
    """Rows as plain dicts (the model, the pk, every field), ``SECRETS`` left out."""
    data = serializers.serialize("python", rows)
    return [
        {
            "model": item["model"],
            "pk": item["pk"],
            "fields": {k: v for k, v in item["fields"].items() if k not in SECRETS},
        }
        for item in data
    ]


def _relations_to_people():
    """(model, field name) of every foreign key and many-to-many that points to Person."""
    person = get_user_model()
    for relation in person._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if model._meta.auto_created:  # a many-to-many's table: read from its owner
            continue
        yield model, relation.field.name


def _by_email(person):
    """Rows that name the person by their e-mail address rather than point to them."""
    from projects.models import Invitation  # projects imports portal

    found = {"projects.Invitation": Invitation.objects.filter(email__iexact=person.email)}
    if apps.is_installed("axes"):
        for name in ("AccessAttempt", "AccessFailureLog", "AccessLog"):
            try:
                model = apps.get_model("axes", name)
            except LookupError:
                continue
            found[f"axes.{name}"] = model.objects.filter(username__iexact=person.email)
    return found


def personal_data(person):
    """Everything the portal holds about ``person``, as JSON-ready data."""
    records = {}
    for model, field in sorted(_relations_to_people(), key=lambda r: r[0]._meta.label):
        rows = model._default_manager.filter(**{field: person}).distinct().order_by("pk")
        if rows.exists():
            key = f"{model._meta.label} ({field})"
            records[key] = _serialised(rows)
    for label, rows in _by_email(person).items():
        if rows.exists():
            records[f"{label} (e-mail)"] = _serialised(rows.order_by("pk"))
    return {
        "generated_at": timezone.now().isoformat(),
        "person": _serialised([person])[0]["fields"] | {"pk": person.pk},
        "records": records,
    }


# --- Erasure -----------------------------------------------------------------------------------


def is_erased(person):
    return person.email.endswith(f"@{ERASED_DOMAIN}")


@transaction.atomic
def ask_erasure(person, reason=""):
    """Record ``person``'s request (one open at a time); the admins erase or refuse it."""
    if ErasureRequest.objects.filter(person=person, state=ErasureRequest.State.ASKED).exists():
        raise ValidationError(_("You have already asked for the erasure of your account."))
    request = ErasureRequest.objects.create(person=person, reason=reason.strip())
    admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
    notify(
        admins,
        _("%(person)s asks for the erasure of their account"),
        url=f"/admin/portal/erasurerequest/{request.pk}/change/",
        params={"person": str(person)},
    )
    return request


@transaction.atomic
def erase(person, *, by=None, request=None):
    """Anonymise ``person`` (see the module's docstring); ValidationError, nothing changed,
    when they cannot be erased yet."""
    from funding.permissions import sync_funder
    from projects import services as project_services
    from projects.models import Contact

    from .permissions import sync_pole_staff

    if is_erased(person):
        raise ValidationError(_("This account is already erased."))
    for contact in Contact.objects.filter(person=person).select_related("partner__project"):
        try:
            project_services.remove_contact(contact)
        except ValidationError:
            raise ValidationError(
                _(
                    "%(person)s is the last coordinator contact of %(project)s: name another "
                    "one first."
                )
                % {"person": person, "project": contact.partner.project.acronym}
            ) from None
    for staff in PoleStaff.objects.filter(person=person).select_related("pole"):
        staff.delete()
        sync_pole_staff(staff.pole)
    for funder in person.reviewer_for.all():
        funder.reviewers.remove(person)
        sync_funder(funder)
    Affiliation.objects.filter(person=person).delete()
    Notification.objects.filter(recipient=person).delete()
    person.groups.clear()
    person.user_permissions.clear()
    for label, rows in _by_email(person).items():
        if label == "projects.Invitation":
            rows.update(email=f"invitee-{person.pk}@{ERASED_DOMAIN}")
        else:
            rows.delete()
    _end_sessions(person)
    if apps.is_installed("tokens"):
        apps.get_model("tokens", "ApiToken").objects.filter(person=person).delete()
    two_factor.reset(person)  # their authenticator and backup codes
    _anonymise_trail(person)

    # The last e-mail to their address, sent once the erasure is committed.
    send_email(
        person.email,
        _("Your Grappe account is erased"),
        _(
            "As you asked, your account is erased: your name and e-mail address are removed "
            "and nobody can sign in to it any more. The projects, funding and decisions you "
            "took part in are kept, without your name."
        ),
    )
    person.email = f"erased-{person.pk}@{ERASED_DOMAIN}"
    person.first_name = ""
    person.last_name = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.save()

    request = (
        request
        or ErasureRequest.objects.filter(person=person, state=ErasureRequest.State.ASKED).first()
    )
    if request is not None:
        request.state = ErasureRequest.State.DONE
        request.decided_at, request.decided_by = timezone.now(), by
        request.reason = ""  # their words go with them
        request.outcome = _("Erased: account anonymised, records kept.")
        request.save()
    return person


def _anonymise_trail(person):
    """The audit trail keeps every change they made, as the anonymised account's, but not
    where they made it from nor their name in what it says of the objects (their roles)."""
    if not apps.is_installed("audit"):
        return
    entries = apps.get_model("audit", "AuditEntry").objects
    entries.filter(who=person).update(address=None)
    anonymous = _("erased person")
    for name in {person.get_full_name(), person.email} - {""}:
        entries.filter(object_repr__contains=name).update(
            object_repr=Replace("object_repr", Value(name), Value(anonymous))
        )


def _end_sessions(person):
    """Every session of ``person`` ends (the session table has no person column)."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()


@transaction.atomic
def refuse_erasure(request, *, by, outcome):
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say why: the person reads it.")})
    request.state = ErasureRequest.State.REFUSED
    request.decided_at, request.decided_by = timezone.now(), by
    request.outcome = outcome.strip()
    request.save()
    return request


# --- Retention ---------------------------------------------------------------------------------


def retention_days():
    return {**DEFAULT_RETENTION_DAYS, **getattr(settings, "RETENTION_DAYS", {})}


DEFAULT_RETENTION_DAYS = {
    "notifications": 365,  # read or not
    "signin_records": 365,  # sign-in attempts and logs
    "invitations": 90,  # after they expired or were accepted
    "task_results": 30,  # finished background tasks
    "kept_figures": 30,  # dashboards' figures not computed again since (portal.snapshots)
    "audit_addresses": 365,  # the address a change came from (the change itself stays)
}


def apply_retention(now=None):
    """Delete what is kept only for a while; returns ``{what: rows deleted}``."""
    from projects.models import Invitation

    now = now or timezone.now()
    days = retention_days()

    def before(name):
        return now - datetime.timedelta(days=days[name])

    deleted = {
        "notifications": Notification.objects.filter(
            created_at__lt=before("notifications")
        ).delete()[0],
        # Accepted or expired (they are valid for Invitation.VALID_FOR) that long ago.
        "invitations": Invitation.objects.filter(
            created_at__lt=before("invitations") - Invitation.VALID_FOR
        ).delete()[0],
    }
    signins = 0
    if apps.is_installed("axes"):
        for name, field in (("AccessAttempt", "attempt_time"), ("AccessLog", "attempt_time")):
            model = apps.get_model("axes", name)
            signins += model.objects.filter(**{f"{field}__lt": before("signin_records")}).delete()[
                0
            ]
    deleted["signin_records"] = signins
    deleted["kept_figures"] = FiguresSnapshot.objects.filter(
        computed_at__lt=before("kept_figures")
    ).delete()[0]
    if apps.is_installed("audit"):
        deleted["audit_addresses"] = (
            apps.get_model("audit", "AuditEntry")
            .objects.filter(at__lt=before("audit_addresses"), address__isnull=False)
            .update(address=None)
        )
    from django_tasks_db.models import DBTaskResult

    deleted["task_results"] = DBTaskResult.objects.filter(
        finished_at__lt=before("task_results")
    ).delete()[0]
    return deleted
