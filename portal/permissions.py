"""Who may see and do what on poles, organisations and people — and the machinery shared
by every app's ``permissions`` module.

Per-object permissions are django-guardian rows. They are never granted by hand in a
view: the domain services call the ``sync_*`` functions, which compute the rows a
role implies from the domain data and apply the difference, so running them again
changes nothing (``manage.py rebuild_permissions`` runs them all).
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.shortcuts import get_object_or_404

from .models import (
    Affiliation,
    ContactRequest,
    FeeCall,
    FeeSchedule,
    Membership,
    MembershipApplication,
    Notification,
    Organisation,
    Payment,
    Person,
    Pole,
    PoleStaff,
    Post,
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


_permission_pks = {}


def permission_pk(model, codename):
    """The pk of ``model``'s permission ``codename``, read once per process and database.

    Guardian's rows point to a permission; a grant check that names it by its codename joins
    the permission and content type tables in every query (to write, to plan, to run) for
    an id that does not change while the database lives. The ids are forgotten whenever
    migrations run — a test's flush made them anew — or a permission is saved or deleted.
    """
    key = (connection.settings_dict["NAME"], model._meta.label_lower, codename)
    try:
        return _permission_pks[key]
    except KeyError:
        content_type = ContentType.objects.get_for_model(model)
        pk = Permission.objects.get(content_type=content_type, codename=codename).pk
        return _permission_pks.setdefault(key, pk)


def _forget_permission_pks(**kwargs):
    _permission_pks.clear()


post_migrate.connect(_forget_permission_pks, dispatch_uid="forget_permission_pks")
post_save.connect(_forget_permission_pks, sender=Permission, dispatch_uid="forget_pks_saved")
post_delete.connect(_forget_permission_pks, sender=Permission, dispatch_uid="forget_pks_deleted")


def sync_pole_staff(pole):
    set_group_members(role_group("pole", pole.pk, "staff"), Person.objects.filter(staff_of=pole))


def staff_poles(user):
    """The poles ``user`` works for as staff."""
    if not user.is_authenticated:
        return Pole.objects.none()
    return Pole.objects.filter(polestaff__person=user)


def per_request(user, name, read):
    """``read()``, read once per request: kept on ``user`` (``request.user``, made anew for
    each request) as ``name`` — an attribute, ``request.user`` being a lazy object."""
    kept = getattr(user, name, None)
    if kept is None:
        kept = read()
        setattr(user, name, kept)
    return kept


def staff_pole_ids(user):
    """The pks of ``staff_poles(user)``, read once per request."""
    if not user.is_authenticated:
        return frozenset()
    return per_request(
        user, "_staff_pole_ids", lambda: frozenset(staff_poles(user).values_list("pk", flat=True))
    )


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


_navigation_links = {}


def navigation_link(name):
    """Register ``function(user)`` deciding whether the navigation shows the link ``name``:
    a boolean, or a boolean expression (``Exists``…) that ``portal.navigation`` reads with
    the other links' in one query a request (apps that portal does not import)."""

    def register(function):
        _navigation_links[name] = function
        return function

    return register


def navigation_links(user):
    """{name: bool or boolean expression} of every registered link, for ``user``."""
    if not user.is_authenticated:
        return dict.fromkeys(_navigation_links, False)
    return {name: function(user) for name, function in _navigation_links.items()}


def visible_organisations(user):
    """Organisations that consented to the directory, plus those the person belongs to,
    plus every member of a pole the person works for, plus those whose people wrote to the
    person's organisations (``correspondents``), plus what other apps register."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    condition = (
        Q(directory_consent=True)
        | Q(pk__in=Affiliation.objects.filter(person=user).values("organisation"))
        | Q(pk__in=Membership.objects.filter(pole__polestaff__person=user).values("organisation"))
        | Q(pk__in=correspondents(user))
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


# The member directory and the matchmaking board

ACTIVE_MEMBERSHIP = (Membership.Status.NEW, Membership.Status.CURRENT, Membership.Status.GRACE)


def active_members():
    """The organisations that are active members of a pole, as a subquery of their pks."""
    return Membership.objects.filter(status__in=ACTIVE_MEMBERSHIP).values("organisation")


def active_member_poles(organisation):
    """The poles ``organisation`` is an active member of (public, like the directory)."""
    return Pole.objects.filter(
        memberships__organisation=organisation, memberships__status__in=ACTIVE_MEMBERSHIP
    ).order_by("name")


def correspondents(user):
    """The organisations of the people who wrote to one of ``user``'s organisations through
    the portal, as a subquery: whoever received a message may see who sent it, and answer."""
    senders = ContactRequest.objects.filter(organisation__affiliations__person=user)
    return Affiliation.objects.filter(person__in=senders.values("sender")).values("organisation")


def directory_organisations(user):
    """The member directory as ``user`` sees it: the organisations they may see (those that
    consented, their own, their poles' members, their consortia's partners) that are active
    members of a pole."""
    # EXISTS, not pk IN: SQLite then walks the (legal_name, id) index of the directory's
    # order and stops at its page, instead of sorting every active member.
    active = Membership.objects.filter(organisation=OuterRef("pk"), status__in=ACTIVE_MEMBERSHIP)
    return visible_organisations(user).filter(Exists(active))


def postable_organisations(user):
    """The organisations ``user`` posts offers and needs for: their own, while members."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Affiliation.objects.filter(person=user).values("organisation")
    ).filter(pk__in=active_members())


def is_member(user):
    """``user`` works for an organisation that is an active member of a pole."""
    return postable_organisations(user).exists()


def may_use_matchmaking(user):
    """Members and pole staff read the board; members post on it and write to each other."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or is_member(user) or is_pole_staff(user)


def visible_posts(user):
    """The posts of the organisations ``user`` may see, for members and pole staff; anyone
    else sees only their own organisations' posts (kept when a membership lapses)."""
    if not user.is_authenticated:
        return Post.objects.none()
    if user.is_superuser:
        return Post.objects.all()
    if not may_use_matchmaking(user):
        own = Affiliation.objects.filter(person=user).values("organisation")
        return Post.objects.filter(organisation__in=own)
    return Post.objects.filter(organisation__in=visible_organisations(user))


def may_change_post(user, post):
    """The people of its organisation edit, close and reopen a post."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Affiliation.objects.filter(person=user, organisation_id=post.organisation_id).exists()
    )


def may_contact(user, organisation):
    """Members write through the portal to an organisation they may see, other than theirs."""
    if not user.is_authenticated or not is_member(user):
        return False
    if Affiliation.objects.filter(person=user, organisation=organisation).exists():
        return False
    return visible_organisations(user).filter(pk=organisation.pk).exists()


# Memberships, applications and fees: an organisation's admins apply and see their own; the
# staff of the pole review, decide, call the fees and record the payments; nobody else.

OPEN_APPLICATION = (
    MembershipApplication.Status.SUBMITTED,
    MembershipApplication.Status.INFO_REQUESTED,
)


def administered_organisations(user):
    """The organisations ``user`` is an admin of: theirs to apply with and to pay fees for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    admin_of = Affiliation.objects.filter(person=user, is_admin=True).values("organisation")
    return Organisation.objects.filter(pk__in=admin_of)


def staff_pole_or_404(user, pk):
    """A pole ``user`` works for; its members, applications and fees exist for its staff only."""
    return get_object_or_404(staff_poles(user), pk=pk)


def own_applications(user):
    """The applications of the organisations ``user`` administers."""
    return MembershipApplication.objects.filter(organisation__in=administered_organisations(user))


def staff_applications(user):
    """The applications to the poles ``user`` works for: theirs to review and decide."""
    return MembershipApplication.objects.filter(pole__in=staff_poles(user))


def visible_applications(user):
    return MembershipApplication.objects.filter(
        Q(pk__in=own_applications(user).values("pk"))
        | Q(pk__in=staff_applications(user).values("pk"))
    )


def may_edit_application(user, application):
    """The applicant's admins complete the dossier until the pole decides."""
    return (
        application.status in OPEN_APPLICATION
        and administered_organisations(user).filter(pk=application.organisation_id).exists()
    )


def own_memberships(user):
    return Membership.objects.filter(organisation__in=administered_organisations(user))


def staff_memberships(user):
    return Membership.objects.filter(pole__in=staff_poles(user))


def visible_memberships(user):
    return Membership.objects.filter(
        Q(pk__in=own_memberships(user).values("pk"))
        | Q(pk__in=staff_memberships(user).values("pk"))
    )


def staff_fee_schedules(user):
    return FeeSchedule.objects.filter(pole__in=staff_poles(user))


def staff_fee_calls(user):
    return FeeCall.objects.filter(membership__pole__in=staff_poles(user))


def visible_fee_calls(user):
    """Fee calls: to an organisation's admins their own, to a pole's staff every one of it."""
    return FeeCall.objects.filter(
        Q(membership__organisation__in=administered_organisations(user))
        | Q(membership__pole__in=staff_poles(user))
    )


def visible_payments(user):
    return Payment.objects.filter(fee_call__in=visible_fee_calls(user))


def rebuild_grants():
    for pole in Pole.objects.all():
        sync_pole_staff(pole)
