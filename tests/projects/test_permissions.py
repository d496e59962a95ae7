"""Who may see and change a project, as the domain decides it (projects/permissions.py).

Each test reads the project afresh from the database before asking, as a request would.
"""

import pytest
from django.http import Http404

from portal.services import remove_pole_staff
from projects import permissions, services
from projects.models import (
    Partner,
    Project,
    ProjectGroupObjectPermission,
    ProjectUserObjectPermission,
    State,
    Submission,
)
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PoleFactory,
    pole_staff,
    project_with_consortium,
)

pytestmark = pytest.mark.django_db


def fresh(project):
    return Project.objects.get(pk=project.pk)


def visible(user):
    return set(permissions.visible_projects(user))


@pytest.fixture
def leader():
    return PersonFactory()


@pytest.fixture
def member():
    return PersonFactory()


@pytest.fixture
def outsider():
    return PersonFactory()


@pytest.fixture
def draft(leader, member):
    return project_with_consortium(leader=leader, member=member)


def test_the_leader_may_view_and_change_their_project(leader):
    project = services.create_project(
        by=leader, coordinator=OrganisationFactory(), acronym="SOLO", title="Solo"
    )
    project = fresh(project)
    assert permissions.may_view(leader, project)
    assert permissions.may_view_confidential(leader, project)
    assert permissions.may_change(leader, project)
    assert not permissions.may_label(leader, project)
    assert visible(leader) == {project}


def test_a_member_may_view_but_not_change(draft, member):
    project = fresh(draft)
    assert permissions.may_view_confidential(member, project)
    assert not permissions.may_change(member, project)
    assert not permissions.may_label(member, project)
    assert project in visible(member)


def test_a_member_may_change_their_own_partner_row_only(draft, leader, member):
    own = draft.partners.get(role=Partner.Role.PARTNER)
    coordinator = draft.partners.get(role=Partner.Role.COORDINATOR)
    assert permissions.may_change_partner(member, own)
    assert not permissions.may_change_partner(member, coordinator)
    # The leader manages every partner.
    assert permissions.may_change_partner(leader, own)
    assert permissions.may_change_partner(leader, coordinator)


def test_a_partner_of_another_project_may_not_change_this_ones_rows(draft, member):
    project_with_consortium(member=member)
    own = draft.partners.get(role=Partner.Role.PARTNER)
    other = project_with_consortium()
    assert not permissions.may_change_partner(member, other.partners.get(role="partner"))
    assert permissions.may_change_partner(member, own)


@pytest.mark.parametrize("person", ["leader", "member"])
def test_the_transitions_offered_follow_the_role(draft, leader, member, person):
    user = {"leader": leader, "member": member}[person]
    offered = permissions.transitions_for(user, fresh(draft))
    # Submission is allowed by the lifecycle; the leader chooses the poles to submit to.
    assert offered == ([State.SUBMITTED, State.ABANDONED] if person == "leader" else [])


def test_pole_staff_see_a_project_only_once_submitted_to_their_pole(draft, leader):
    pole, other_pole = PoleFactory(), PoleFactory()
    staff, other_staff = pole_staff(pole), pole_staff(other_pole)
    assert not permissions.may_view(staff, fresh(draft))
    assert draft not in visible(staff)

    services.submit_project(draft, [pole], by=leader)

    project = fresh(draft)
    assert permissions.may_view_confidential(staff, project)
    assert permissions.may_label(staff, project)
    assert not permissions.may_change(staff, project)
    assert project in visible(staff)
    assert permissions.transitions_for(staff, project) == [State.LABELLED, State.REJECTED]
    assert not permissions.may_view(other_staff, project)
    assert not permissions.may_label(other_staff, project)
    assert project not in visible(other_staff)


def test_staff_joining_a_pole_later_see_its_submitted_projects(leader):
    pole = PoleFactory()
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    newcomer = pole_staff(pole)
    assert permissions.may_label(newcomer, fresh(project))


def test_staff_leaving_a_pole_lose_its_projects(leader):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    remove_pole_staff(pole, staff)
    assert not permissions.may_view(staff, fresh(project))


def test_a_labelled_project_shows_its_summary_to_everyone_signed_in(outsider):
    project = project_with_consortium(state=State.LABELLED)
    assert project in visible(outsider)
    assert permissions.may_view(outsider, project)
    assert not permissions.may_view_confidential(outsider, project)
    assert not permissions.may_change(outsider, project)
    assert list(permissions.visible_partners(outsider, project)) == []


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.REJECTED])
def test_an_unlabelled_project_does_not_exist_for_an_outsider(outsider, state):
    project = project_with_consortium(state=state)
    assert visible(outsider) == set()
    assert not permissions.may_view(outsider, project)
    with pytest.raises(Http404):
        permissions.get_project_or_404(outsider, project.pk)


def test_the_consortium_sees_its_partners(draft, member):
    assert set(permissions.visible_partners(member, fresh(draft))) == set(draft.partners.all())


def test_an_expert_sees_only_the_assigned_project(leader):
    pole = PoleFactory()
    assigned = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    other = project_with_consortium(leader=leader, state=State.SUBMITTED, pole=pole)
    expert = PersonFactory()

    services.assign_expert(assigned, pole, expert)

    assert visible(expert) == {fresh(assigned)}
    assert permissions.may_view_confidential(expert, fresh(assigned))
    assert permissions.may_give_opinion(expert, fresh(assigned))
    assert not permissions.may_label(expert, fresh(assigned))
    assert not permissions.may_change(expert, fresh(assigned))
    assert not permissions.may_view(expert, fresh(other))


def test_removing_a_partner_removes_its_contacts_access(draft, member):
    partner = draft.partners.get(role=Partner.Role.PARTNER)
    services.remove_partner(partner)
    project = fresh(draft)
    assert not permissions.may_view(member, project)
    assert visible(member) == set()


def test_a_contact_added_later_gains_access(draft):
    newcomer = PersonFactory()
    services.add_contact(draft.partners.get(role=Partner.Role.PARTNER), newcomer)
    assert permissions.may_view_confidential(newcomer, fresh(draft))
    assert not permissions.may_change(newcomer, fresh(draft))


def test_a_second_coordinator_contact_leads_too(draft):
    deputy = PersonFactory()
    services.add_contact(
        draft.partners.get(role=Partner.Role.COORDINATOR), deputy, "coordinator_contact"
    )
    assert permissions.may_change(deputy, fresh(draft))


def test_a_superuser_sees_and_does_everything(outsider):
    boss = PersonFactory(is_superuser=True, is_staff=True)
    projects = {project_with_consortium(state=state) for state in State}
    assert visible(boss) == projects
    project = next(iter(projects))
    assert permissions.may_change(boss, project)
    assert permissions.may_label(boss, project)


def test_running_sync_again_changes_nothing(draft, leader, member):
    def rows():
        return (
            set(ProjectGroupObjectPermission.objects.values_list("group", "permission", "pk")),
            set(ProjectUserObjectPermission.objects.values_list("user", "permission", "pk")),
        )

    before = rows()
    permissions.sync_project(fresh(draft))
    permissions.rebuild_grants()
    assert rows() == before


def test_a_service_call_refreshes_the_callers_permission_cache(draft, leader):
    pole = PoleFactory()
    staff = pole_staff(pole)
    project = fresh(draft)
    assert not permissions.may_label(staff, project)
    services.submit_project(project, [pole], by=leader)
    assert project.state == State.SUBMITTED
    assert permissions.may_label(staff, project)


def test_the_labelling_poles_staff_keep_seeing_the_project_as_it_moves_on(leader):
    north, south = PoleFactory(), PoleFactory()
    north_staff = pole_staff(north)
    project = project_with_consortium(leader=leader)
    services.submit_project(project, [north, south], by=leader)
    services.record_decision(
        Submission.objects.get(project=project, pole=north), "labelled", by=north_staff
    )
    services.change_state(project, State.FUNDING_SOUGHT, by=leader)
    assert permissions.may_view_confidential(north_staff, fresh(project))
