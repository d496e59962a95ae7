"""Who may see and do what on poles, organisations and people — and the machinery shared
by every app's ``permissions`` module.

Per-object permissions are django-guardian rows. They are never granted by hand in a
view: the domain services call the ``sync_*`` functions, which compute the rows a
role implies from the domain data and apply the difference, so running them again
changes nothing (``manage.py rebuild_permissions`` runs them all).
"""

from django.contrib.auth.models import Group
from django.db.models import Q

from .models import (
    Affiliation,
    Membership,
    Notification,
    Organisation,
    Person,
    Pole,
    PoleStaff,
)


def role_group(kind, pk, role):
    """The group holding everyone with ``role`` on one object, e.g. the staff of pole 3."""
    group, _ = Group.objects.get_or_create(name=f"{kind}:{pk}:{role}")
    return group


def set_group_members(group, people):
    """Make ``people`` exactly the members of ``group``."""
    wanted = {p.pk for p in people}
    current = set(group.user_set.values_list("pk", flat=True))
    if wanted - current:
        group.user_set.add(*(wanted - current))
    if current - wanted:
        group.user_set.remove(*(current - wanted))


def sync_pole_staff(pole):
    set_group_members(role_group("pole", pole.pk, "staff"), Person.objects.filter(staff_of=pole))


def staff_poles(user):
    """The poles ``user`` works for as staff."""
    if not user.is_authenticated:
        return Pole.objects.none()
    return Pole.objects.filter(polestaff__person=user)


def is_pole_staff(user, pole=None):
    qs = (
        PoleStaff.objects.filter(person=user) if user.is_authenticated else PoleStaff.objects.none()
    )
    if pole is not None:
        qs = qs.filter(pole=pole)
    return qs.exists()


def visible_poles(user):
    """Poles are public to everyone signed in: their names, themes and regions."""
    return Pole.objects.all() if user.is_authenticated else Pole.objects.none()


_organisation_visibility = []


def organisation_visibility(function):
    """Register ``function(user)`` returning a Q of more organisations ``user`` may see
    (apps that portal does not import: the partners of a project one may see)."""
    _organisation_visibility.append(function)
    return function


def visible_organisations(user):
    """Organisations that consented to the directory, plus those the person belongs to,
    plus every member of a pole the person works for, plus what other apps register."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    condition = (
        Q(directory_consent=True)
        | Q(pk__in=Affiliation.objects.filter(person=user).values("organisation"))
        | Q(pk__in=Membership.objects.filter(pole__polestaff__person=user).values("organisation"))
    )
    for function in _organisation_visibility:
        condition |= function(user)
    return Organisation.objects.filter(condition)


def with_visibility(user, organisations):
    """``organisations``, each with ``visible``: whether ``user`` may see it (one query).
    An organisation found by its SIREN is named only to those who may see it."""
    pks = [o.pk for o in organisations]
    seen = set(visible_organisations(user).filter(pk__in=pks).values_list("pk", flat=True))
    for organisation in organisations:
        organisation.visible = organisation.pk in seen
    return organisations


def may_change_organisation(user, organisation):
    """Its admins keep an organisation's profile and people up to date."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Affiliation.objects.filter(
            person=user, organisation=organisation, is_admin=True
        ).exists()
    )


def own_notifications(user):
    """A person's notifications are theirs alone: anyone else's do not exist for them."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def rebuild_grants():
    for pole in Pole.objects.all():
        sync_pole_staff(pole)
