"""Who may see and do what on projects: the only place that decides it.

Guardian rows on each project are derived from the domain: the consortium's contacts
(a group per project, and one for its leaders), the staff of every pole it is submitted
to, the experts asked for an opinion, and whatever other apps register with
``grant_provider`` (funders' reviewers). ``sync_project`` recomputes them.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Q, Value, When
from django.http import Http404

from portal.permissions import organisation_visibility, role_group, set_group_members

from .models import (
    DECISION_STATES,
    Contact,
    Partner,
    PartnerUserObjectPermission,
    Project,
    ProjectGroupObjectPermission,
    ProjectUserObjectPermission,
    Submission,
)

VIEW = "view_project"  # the confidential description, budgets and partners' figures
CHANGE = "change_project"  # edit the project and manage its partners
LABEL = "label_project"
OPINION = "give_opinion"
ALL_PERMS = frozenset({VIEW, CHANGE, LABEL, OPINION})
CHANGE_PARTNER = "change_partner"

_grant_providers = []


def grant_provider(function):
    """Register ``function(project)``, yielding ``(group or person, codename)`` pairs."""
    _grant_providers.append(function)
    return function


@grant_provider
def consortium_grants(project):
    contacts = list(Contact.objects.filter(partner__project=project).select_related("partner"))
    consortium = role_group("project", project.pk, "consortium")
    leaders = role_group("project", project.pk, "leaders")
    set_group_members(consortium, [c.person for c in contacts])
    set_group_members(
        leaders, [c.person for c in contacts if c.role == Contact.Role.COORDINATOR_CONTACT]
    )
    yield consortium, VIEW
    yield leaders, VIEW
    yield leaders, CHANGE


@grant_provider
def pole_grants(project):
    submissions = project.submissions.exclude(decision=Submission.Decision.WITHDRAWN)
    for pole_id in submissions.values_list("pole_id", flat=True):
        staff = role_group("pole", pole_id, "staff")
        yield staff, VIEW
        yield staff, LABEL


@grant_provider
def expert_grants(project):
    for assignment in project.expert_assignments.filter(closed_at__isnull=True).select_related(
        "expert"
    ):
        yield assignment.expert, VIEW
        yield assignment.expert, OPINION


@organisation_visibility
def consortium_organisations(user):
    """The partners of a project show to whoever may see its consortium."""
    return Q(
        pk__in=Partner.objects.filter(_granted(user, VIEW, "project__")).values("organisation")
    )


def _permissions(model):
    content_type = ContentType.objects.get_for_model(model)
    return {p.codename: p for p in Permission.objects.filter(content_type=content_type)}


def _apply(model, owner_field, content_object, wanted):
    """Make the rows of ``model`` on ``content_object`` exactly ``wanted``:
    a set of (owner pk, codename)."""
    permissions = _permissions(content_object.__class__)
    existing = {
        (owner_id, codename): pk
        for pk, owner_id, codename in model.objects.filter(
            content_object=content_object
        ).values_list("pk", f"{owner_field}_id", "permission__codename")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create(
        [
            model(
                content_object=content_object,
                permission=permissions[codename],
                **{f"{owner_field}_id": owner_id},
            )
            for owner_id, codename in wanted - existing.keys()
        ]
    )


def sync_project(project):
    """Recompute every guardian row on ``project`` and its partners from the domain."""
    group_rows, user_rows = set(), set()
    for provider in _grant_providers:
        for holder, codename in provider(project):
            rows = user_rows if hasattr(holder, "email") else group_rows
            rows.add((holder.pk, codename))
    _apply(ProjectGroupObjectPermission, "group", project, group_rows)
    _apply(ProjectUserObjectPermission, "user", project, user_rows)
    for partner in project.partners.prefetch_related("contact_rows"):
        _apply(
            PartnerUserObjectPermission,
            "user",
            partner,
            {(c.person_id, CHANGE_PARTNER) for c in partner.contact_rows.all()},
        )
    project.__dict__.pop("_perm_cache", None)


def rebuild_grants():
    for project in Project.objects.all():
        sync_project(project)


def _granted(user, codename, prefix=""):
    """The projects on which ``user`` holds ``codename``, as a condition on ``prefix + pk``."""
    through_user = ProjectUserObjectPermission.objects.filter(
        user=user, permission__codename=codename
    ).values("content_object_id")
    through_groups = ProjectGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=codename
    ).values("content_object_id")
    return Q(**{f"{prefix}pk__in": through_user}) | Q(**{f"{prefix}pk__in": through_groups})


def projects_with(user, codename):
    """Projects on which ``user`` holds ``codename``."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(_granted(user, codename))


def visible_projects(user):
    """Every project that exists for ``user``: theirs in full, labelled ones by their summary."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(Q(labelled_on__isnull=False) | _granted(user, VIEW))


def with_access(queryset, user):
    """Annotate each project with ``full_access``: whether ``user`` sees its confidential part."""
    if user.is_superuser:
        return queryset.annotate(full_access=Value(True, output_field=BooleanField()))
    return queryset.annotate(
        full_access=Case(
            When(_granted(user, VIEW), then=True), default=False, output_field=BooleanField()
        )
    )


def project_perms(user, project):
    """The codenames ``user`` holds on ``project``, read once per request and object."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_PERMS
    cache = project.__dict__.setdefault("_perm_cache", {})
    if user.pk not in cache:
        codenames = ProjectUserObjectPermission.objects.filter(
            user=user, content_object=project
        ).values_list("permission__codename", flat=True)
        through_groups = ProjectGroupObjectPermission.objects.filter(
            group__user=user, content_object=project
        ).values_list("permission__codename", flat=True)
        cache[user.pk] = frozenset(codenames.union(through_groups))
    return cache[user.pk]


def may_view(user, project):
    return project.is_public or VIEW in project_perms(user, project)


def may_view_confidential(user, project):
    if hasattr(project, "full_access"):  # annotated by with_access()
        return project.full_access
    return VIEW in project_perms(user, project)


def may_change(user, project):
    return CHANGE in project_perms(user, project)


def may_label(user, project):
    return LABEL in project_perms(user, project)


def may_give_opinion(user, project):
    return OPINION in project_perms(user, project)


def may_change_partner(user, partner):
    if may_change(user, partner.project):
        return True
    if not user.is_authenticated:
        return False
    return PartnerUserObjectPermission.objects.filter(
        user=user, content_object=partner, permission__codename=CHANGE_PARTNER
    ).exists()


def changeable_partner_ids(user, project):
    """The partner rows of ``project`` that ``user`` may change, in one query."""
    if may_change(user, project):
        return set(project.partners.values_list("pk", flat=True))
    if not user.is_authenticated:
        return set()
    return set(
        PartnerUserObjectPermission.objects.filter(
            user=user, content_object__project=project, permission__codename=CHANGE_PARTNER
        ).values_list("content_object_id", flat=True)
    )


def may_move(user, project, target):
    """Labelling decisions belong to the poles; the rest of the lifecycle to the leaders."""
    if target in DECISION_STATES:
        return may_label(user, project)
    return may_change(user, project)


def transitions_for(user, project):
    return [s for s in project.allowed_transitions() if may_move(user, project, s)]


def get_project_or_404(user, pk, need=None):
    """The project if it exists for ``user`` (and ``need`` holds); otherwise a 404."""
    try:
        project = visible_projects(user).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if need is not None and not need(user, project):
        raise Http404
    return project


def visible_partners(user, project):
    """The consortium shows to those who may see the confidential part only."""
    if not may_view_confidential(user, project):
        return Partner.objects.none()
    return project.partners.select_related("organisation")
