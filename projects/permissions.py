"""Who may see and do what on projects: the only place that decides it.

Guardian rows on each project are derived from the domain: the consortium's contacts
(a group per project, and one for its leaders), the staff of every pole it is submitted
to, the experts asked for an opinion, and whatever other apps register with
``grant_provider`` (funders' reviewers). ``sync_project`` recomputes them.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.http import Http404
from rest_framework.generics import get_object_or_404  # a malformed id is a 404 too

from portal.models import Person
from portal.permissions import (
    organisation_visibility,
    permission_pk,
    role_group,
    set_group_members,
    staff_pole_ids,
    staff_poles,
)

from .models import (
    DECISION_STATES,
    CommitteeSession,
    Contact,
    Document,
    ExpertAssignment,
    Milestone,
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
    # One condition per kind of grant: each a join from the person's grants to the partners
    # by their project (an OR of both would read every partner row of the database).
    condition = Q()
    for granted in _granted_projects(user, VIEW):
        condition |= Q(pk__in=Partner.objects.filter(project__in=granted).values("organisation"))
    return condition


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
    project.__dict__.pop("_changeable_partners", None)


def rebuild_grants():
    for project in Project.objects.all():
        sync_project(project)


def project_permission_pk(codename):
    """The pk of the project permission ``codename`` (``portal.permissions.permission_pk``)."""
    return permission_pk(Project, codename)


def view_permission_pk():
    """The pk of the permission to view a project (what its grants to see it name)."""
    return project_permission_pk(VIEW)


def partner_permission_pk(codename):
    return permission_pk(Partner, codename)


def _granted(user, codename, prefix=""):
    """The projects on which ``user`` holds ``codename``, as a condition on ``prefix + pk``."""
    through_user, through_groups = _granted_projects(user, codename)
    return Q(**{f"{prefix}pk__in": through_user}) | Q(**{f"{prefix}pk__in": through_groups})


def _granted_projects(user, codename):
    """The pks of the projects on which ``user`` holds ``codename``: two subqueries, through
    the person's own rows and through their groups'."""
    # Guardian's direct tables, read by their (owner, permission) index: the person's groups
    # a subquery, not a join (cheaper to plan and to run at scale), the permission its pk.
    permission = project_permission_pk(codename)
    through_user = ProjectUserObjectPermission.objects.filter(
        user=user, permission_id=permission
    ).values("content_object_id")
    groups = Person.groups.through.objects.filter(person=user).values("group_id")
    through_groups = ProjectGroupObjectPermission.objects.filter(
        group__in=groups, permission_id=permission
    ).values("content_object_id")
    return through_user, through_groups


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
    if not user.is_authenticated or user.is_superuser:
        granted = user.is_authenticated
        return queryset.annotate(full_access=Value(granted, output_field=BooleanField()))
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
    return _grants(user, project)[0]


def view_groups(user, project):
    """The names of ``user``'s role groups ("<kind>:<pk>:<role>") through which they see
    ``project``'s confidential part, read with ``project_perms``."""
    if not user.is_authenticated or user.is_superuser:
        return frozenset()
    return _grants(user, project)[1]


def _grants(user, project):
    """(codenames, names of the groups holding VIEW) of ``user`` on ``project``, in one
    query, once per request and object."""
    cache = project.__dict__.setdefault("_perm_cache", {})
    if user.pk not in cache:
        own = ProjectUserObjectPermission.objects.filter(user=user, content_object=project)
        own = own.annotate(group_name=Value(None, output_field=CharField()))
        through_groups = ProjectGroupObjectPermission.objects.filter(
            group__user=user, content_object=project
        ).annotate(group_name=F("group__name"))
        rows = own.values_list("permission__codename", "group_name").union(
            through_groups.values_list("permission__codename", "group_name")
        )
        rows = list(rows)
        cache[user.pk] = (
            frozenset(codename for codename, _group in rows),
            frozenset(group for codename, group in rows if group and codename == VIEW),
        )
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
        user=user, content_object=partner, permission_id=partner_permission_pk(CHANGE_PARTNER)
    ).exists()


def changeable_partner_ids(user, project):
    """The partner rows of ``project`` that ``user`` may change, in one query, read once per
    request and object (the page's sections all ask; ``sync_project`` forgets it)."""
    cache = project.__dict__.setdefault("_changeable_partners", {})
    if user.pk not in cache:
        cache[user.pk] = frozenset(_changeable_partner_ids(user, project))
    return set(cache[user.pk])


def _changeable_partner_ids(user, project):
    if may_change(user, project):
        return project.partners.values_list("pk", flat=True)
    if not user.is_authenticated:
        return ()
    return PartnerUserObjectPermission.objects.filter(
        user=user,
        content_object__project=project,
        permission_id=partner_permission_pk(CHANGE_PARTNER),
    ).values_list("content_object_id", flat=True)


def may_change_partner_role(user, partner):
    """Roles in the consortium (and handing the coordination over) are the leaders' call."""
    return may_change(user, partner.project)


def may_remove_partner(user, partner):
    return may_change(user, partner.project) and partner.role != Partner.Role.COORDINATOR


def may_manage_contacts(user, partner):
    """Leaders manage every partner's contacts and invitations; a partner's own contacts
    manage their row's (coordinator contacts excepted: see ``may_give_contact_role``)."""
    if hasattr(partner, "may_change"):  # set for a whole page from changeable_partner_ids
        return partner.may_change
    return may_change_partner(user, partner)


def may_give_contact_role(user, partner, role):
    """Coordinator contacts lead the project: only its leaders name them, and only on the
    coordinator's row."""
    if role == Contact.Role.COORDINATOR_CONTACT:
        return partner.role == Partner.Role.COORDINATOR and may_change(user, partner.project)
    return may_manage_contacts(user, partner)


def contact_roles_for(user, partner):
    """The roles ``user`` may give to contacts (and invitees) of ``partner``."""
    return [role for role in Contact.Role if may_give_contact_role(user, partner, role)]


def may_change_contact(user, contact):
    """Change a contact's role or remove it; a coordinator contact only by the leaders."""
    return may_give_contact_role(user, contact.partner, contact.role)


def manageable_partners(user):
    """The partner rows whose contacts and invitations ``user`` manages."""
    if not user.is_authenticated:
        return Partner.objects.none()
    own_rows = PartnerUserObjectPermission.objects.filter(
        user=user, permission_id=partner_permission_pk(CHANGE_PARTNER)
    ).values("content_object_id")
    return Partner.objects.filter(Q(project__in=projects_with(user, CHANGE)) | Q(pk__in=own_rows))


def manageable_partner_projects(user):
    """The pks of the projects of ``manageable_partners(user)``: those they change and those
    of their own partner rows, one UNION of three index reads (an OR of them has the database
    guess thousands of rows and scan every project and partner to find a person's few)."""
    if not user.is_authenticated or user.is_superuser:
        return projects_with(user, CHANGE).values("pk")
    through_user, through_groups = _granted_projects(user, CHANGE)
    own_rows = PartnerUserObjectPermission.objects.filter(
        user=user, permission_id=partner_permission_pk(CHANGE_PARTNER)
    ).values("content_object__project_id")
    return through_user.union(through_groups, own_rows)


def visible_contacts(user):
    """The contacts of every consortium ``user`` may see."""
    return Contact.objects.filter(partner__project__in=projects_with(user, VIEW))


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
        project = Project.objects.get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # ``visible_projects`` for one project, its grants read once for the whole request.
    if not (user.is_authenticated and may_view(user, project)):
        raise Http404
    if need is not None and not need(user, project):
        raise Http404
    return project


def visible_partners(user, project):
    """The consortium shows to those who may see the confidential part only."""
    if not may_view_confidential(user, project):
        return Partner.objects.none()
    return project.partners.select_related("organisation")


def deliberation_pole_ids(user):
    """The poles whose deliberation notes ``user`` reads (on the project page, in its
    history): those they work for, never another pole's, even on a co-labelled project."""
    return set(staff_pole_ids(user))


# --- Labelling: the pole staff's pipeline and committees, experts, letters ---------------


def staff_pole_or_404(user, pk):
    """A pole ``user`` works for; the pole's pipeline and committees exist for its staff only."""
    return get_object_or_404(staff_poles(user), pk=pk)


def pipeline_projects(user, pole):
    """The projects submitted to ``pole`` (and not withdrawn), for its staff: they see every
    one of them (``pole_grants``), so their grants need not be read again; none for others."""
    submitted = Submission.objects.filter(project=OuterRef("pk"), pole=pole).exclude(
        decision=Submission.Decision.WITHDRAWN
    )
    return Project.objects.filter(Exists(submitted), Exists(staff_poles(user).filter(pk=pole.pk)))


def staff_submissions(user):
    """The submissions to the poles ``user`` works for: theirs to schedule, review, decide."""
    return Submission.objects.filter(pole__in=staff_poles(user)).exclude(
        decision=Submission.Decision.WITHDRAWN
    )


def get_staff_submission_or_404(user, pk, **lookups):
    return get_object_or_404(
        staff_submissions(user).select_related("pole", "project", "session"), pk=pk, **lookups
    )


def committee_sessions(user):
    """The committee sessions of the poles ``user`` works for; other poles' do not exist."""
    return CommitteeSession.objects.filter(pole__in=staff_poles(user))


def visible_assignments(user):
    """Expert assignments: every one of their pole's to its staff (never another pole's, never
    the consortium's); to an expert, their own until the decision closes it."""
    if not user.is_authenticated:
        return ExpertAssignment.objects.none()
    return ExpertAssignment.objects.filter(
        Q(pole__in=staff_poles(user)) | Q(expert=user, closed_at__isnull=True)
    )


def open_assignment_or_404(user, pk, **lookups):
    """The expert's own assignment, while the pole has not decided."""
    return get_object_or_404(
        ExpertAssignment.objects.select_related("project", "pole"),
        pk=pk,
        expert=user,
        closed_at__isnull=True,
        **lookups,
    )


# The letter is for those who see the project through a role: its consortium, the poles it
# was submitted to and its funders (role groups are named "<kind>:<pk>:<role>"). Not its
# experts, whose access is personal and ends with the decision.
LETTER_READER_GROUPS = ("project:", "pole:", "funder:")


def may_view_letters(user, project):
    """Whether ``user`` may read the labelling letters of ``project``'s decided submissions."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(name.startswith(LETTER_READER_GROUPS) for name in view_groups(user, project))


def may_view_letter(user, submission):
    """Whether ``user`` may read the labelling letter of ``submission``: once decided."""
    if submission.decision not in (Submission.Decision.LABELLED, Submission.Decision.REJECTED):
        return False
    return may_view_letters(user, submission.project)


# --- Milestones and documents: the consortium's, seen with the confidential part ----------


def in_consortium(user, project):
    """The consortium: its leaders and every partner's contacts."""
    # A partner's contacts are those holding a partner row of it (``changeable_partner_ids``).
    return may_change(user, project) or bool(changeable_partner_ids(user, project))


def consortium_projects(user):
    """The projects whose consortium ``user`` belongs to."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    own_rows = PartnerUserObjectPermission.objects.filter(
        user=user, permission_id=partner_permission_pk(CHANGE_PARTNER)
    ).values("content_object__project")
    return Project.objects.filter(_granted(user, CHANGE) | Q(pk__in=own_rows))


def visible_milestones(user):
    """Milestones show to whoever may see their project's confidential part."""
    return Milestone.objects.filter(project__in=projects_with(user, VIEW))


def may_manage_milestones(user, project):
    """The leader plans: adds, assigns to a partner and deletes milestones."""
    return may_change(user, project)


def may_change_milestone(user, milestone, changeable_ids=None):
    """The leader changes any milestone; a member, those their own partner is responsible
    for. ``changeable_ids`` (from ``changeable_partner_ids``) saves a query per row."""
    if may_change(user, milestone.project):
        return True
    if milestone.partner_id is None:
        return False
    if changeable_ids is None:
        changeable_ids = changeable_partner_ids(user, milestone.project)
    return milestone.partner_id in changeable_ids


def visible_documents(user):
    """Documents show to whoever may see their project's confidential part."""
    return Document.objects.filter(project__in=projects_with(user, VIEW))


def may_upload_document(user, project):
    return in_consortium(user, project)


def may_delete_document(user, document):
    """The leader, or whoever uploaded it while they may still see it."""
    project = document.project
    if may_change(user, project):
        return True
    return document.uploaded_by_id == user.pk and may_view_confidential(user, project)
