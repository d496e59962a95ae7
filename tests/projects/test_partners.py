"""A project's consortium: one coordinator, one row per organisation, budgets, contacts —
and the project's own dates and TRLs. Every refusal leaves the database as it was."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Contact, Partner, Project, State
from tests.factories import OrganisationFactory, PersonFactory, project_with_consortium

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def leader():
    return PersonFactory()


@pytest.fixture
def project(leader):
    return project_with_consortium(leader=leader)


def coordinator_of(project):
    return project.partners.get(role=Partner.Role.COORDINATOR)


def other_partner_of(project):
    return project.partners.get(role=Partner.Role.PARTNER)


def counts():
    return Partner.objects.count(), Contact.objects.count()


def test_a_partner_is_added_with_its_contacts(project):
    contact = PersonFactory()
    lab = OrganisationFactory(category="research")
    partner = services.add_partner(
        project,
        organisation=lab,
        role=Partner.Role.ASSOCIATED,
        personnel_costs=Decimal("10000.00"),
        equipment_costs=Decimal("2000.00"),
        subcontracting_costs=Decimal("300.00"),
        other_costs=Decimal("45.67"),
        contacts=[(contact, Contact.Role.FINANCIAL_SIGNATORY)],
    )
    partner.refresh_from_db()
    assert (partner.project, partner.organisation, partner.role, partner.budget) == (
        project,
        lab,
        "associated",
        Decimal("12345.67"),
    )
    assert list(partner.contact_rows.values_list("person", "role")) == [
        (contact.pk, "financial_signatory")
    ]


def test_a_second_coordinator_is_refused(project):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.add_partner(
            project,
            organisation=OrganisationFactory(),
            role=Partner.Role.COORDINATOR,
            contacts=[(PersonFactory(), Contact.Role.COORDINATOR_CONTACT)],
        )
    assert caught.value.message_dict == {"role": ["The project already has a coordinator."]}
    assert counts() == before


def test_promoting_a_second_partner_to_coordinator_is_refused(project):
    partner = other_partner_of(project)
    with pytest.raises(ValidationError) as caught:
        services.change_partner(partner, role=Partner.Role.COORDINATOR)
    assert list(caught.value.message_dict) == ["role"]
    assert other_partner_of(project).pk == partner.pk  # still a plain partner


def test_the_same_organisation_twice_is_refused(project):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.add_partner(
            project,
            organisation=other_partner_of(project).organisation,
            role=Partner.Role.SUBCONTRACTOR,
            contacts=[(PersonFactory(), Contact.Role.PARTNER_CONTACT)],
        )
    assert "This organisation is already a partner of the project." in caught.value.messages
    assert counts() == before


def test_the_same_organisation_twice_is_reported_on_organisation(project):
    with pytest.raises(ValidationError) as caught:
        services.add_partner(project, organisation=other_partner_of(project).organisation)
    assert caught.value.message_dict == {
        "organisation": ["This organisation is already a partner of the project."]
    }


def test_the_same_organisation_may_join_another_project(leader, project):
    organisation = other_partner_of(project).organisation
    other_project = project_with_consortium(leader=leader)
    services.add_partner(other_project, organisation=organisation)
    assert organisation.participations.count() == 2


@pytest.mark.parametrize("field", ["personnel_costs", "equipment_costs", "other_costs"])
@pytest.mark.parametrize("amount", [Decimal("-0.01"), -1000])
def test_a_negative_cost_is_refused(project, field, amount):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.add_partner(project, organisation=OrganisationFactory(), **{field: amount})
    assert list(caught.value.message_dict) == [field]
    assert counts() == before


def test_changing_a_cost_to_a_negative_one_is_refused(project):
    partner = other_partner_of(project)
    with pytest.raises(ValidationError) as caught:
        services.change_partner(partner, subcontracting_costs=Decimal("-1"))
    assert list(caught.value.message_dict) == ["subcontracting_costs"]
    assert other_partner_of(project).budget == Decimal("150000.00")


def test_the_budget_is_the_total_of_the_costs(project):
    partner = other_partner_of(project)
    services.change_partner(
        partner,
        personnel_costs=Decimal("100000.10"),
        equipment_costs=Decimal("20000.20"),
        subcontracting_costs=Decimal("3000.30"),
        other_costs=Decimal("400.40"),
    )
    assert other_partner_of(project).budget == Decimal("123401.00")


def test_a_save_over_a_newer_version_is_refused_with_the_newer_values(project):
    from portal.modelutils import StaleEdit

    first, second = other_partner_of(project), other_partner_of(project)  # two people
    services.change_partner(first, expected_version=1, personnel_costs=Decimal("1.00"))
    with pytest.raises(StaleEdit) as caught:
        services.change_partner(second, expected_version=1, personnel_costs=Decimal("2.00"))
    assert caught.value.current.personnel_costs == Decimal("1.00")
    assert caught.value.current.version == 2
    assert other_partner_of(project).personnel_costs == Decimal("1.00")


def test_demoting_the_coordinator_is_refused(project):
    coordinator = coordinator_of(project)
    with pytest.raises(ValidationError) as caught:
        services.change_partner(coordinator, role=Partner.Role.PARTNER)
    assert list(caught.value.message_dict) == ["role"]
    assert coordinator_of(project).pk == coordinator.pk


def test_removing_the_coordinator_is_refused(project):
    before = counts()
    with pytest.raises(ValidationError):
        services.remove_partner(coordinator_of(project))
    assert counts() == before


def test_removing_a_partner_removes_its_contacts(project):
    partner = other_partner_of(project)
    services.remove_partner(partner)
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert not Contact.objects.filter(partner_id=partner.pk).exists()
    assert project.partners.count() == 1


def test_a_coordinator_contact_must_be_on_the_coordinating_partner(project):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.add_contact(
            other_partner_of(project), PersonFactory(), Contact.Role.COORDINATOR_CONTACT
        )
    assert list(caught.value.message_dict) == ["role"]
    assert counts() == before


def test_a_new_partner_with_a_coordinator_contact_is_refused_whole(project):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.add_partner(
            project,
            organisation=OrganisationFactory(),
            contacts=[(PersonFactory(), Contact.Role.COORDINATOR_CONTACT)],
        )
    assert list(caught.value.message_dict) == ["role"]
    assert counts() == before


def test_the_coordinating_partner_may_have_a_second_coordinator_contact(project):
    deputy = PersonFactory()
    services.add_contact(coordinator_of(project), deputy, Contact.Role.COORDINATOR_CONTACT)
    assert coordinator_of(project).contact_rows.filter(person=deputy).exists()


def test_a_person_is_contact_of_a_partner_once(project):
    partner = other_partner_of(project)
    member = partner.contact_rows.get().person
    with pytest.raises(ValidationError):
        services.add_contact(partner, member, Contact.Role.FINANCIAL_SIGNATORY)
    assert partner.contact_rows.count() == 1


# --- the project's own figures ---------------------------------------------------------------


def project_fields(**fields):
    return {"acronym": "NEO", "title": "New", **fields}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start_date": "2026-01-01", "end_date": "2025-12-31"}, "end_date"),
        ({"trl_start": 5, "trl_target": 4}, "trl_target"),
        ({"trl_start": 0}, "trl_start"),
        ({"trl_target": 10}, "trl_target"),
    ],
)
def test_create_project_refuses_inconsistent_figures(leader, fields, field):
    before = Project.objects.count(), Partner.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.create_project(
            by=leader, coordinator=OrganisationFactory(), **project_fields(**fields)
        )
    assert list(caught.value.message_dict) == [field]
    assert (Project.objects.count(), Partner.objects.count()) == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_date": "2024-12-31"}, "end_date", "The project ends before it starts."),
        ({"trl_target": 2}, "trl_target", "The target TRL cannot be below the TRL at start."),
    ],
)
def test_update_project_refuses_inconsistent_figures(project, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        services.update_project(project, **fields)
    assert caught.value.message_dict == {field: [message]}
    stored = Project.objects.get(pk=project.pk)
    assert (stored.end_date.isoformat(), stored.trl_target) == ("2027-12-31", 6)


def test_a_project_may_start_and_end_the_same_day_at_the_same_trl(project):
    services.update_project(
        project, start_date="2026-01-01", end_date="2026-01-01", trl_start=6, trl_target=6
    )
    stored = Project.objects.get(pk=project.pk)
    assert stored.start_date == stored.end_date == date(2026, 1, 1)
    assert stored.trl_start == stored.trl_target == 6


def test_create_project_makes_the_creator_coordinator_contact_of_a_draft(leader):
    acme = OrganisationFactory()
    project = services.create_project(by=leader, coordinator=acme, **project_fields())
    assert (project.state, project.created_by) == (State.DRAFT, leader)
    assert list(project.partners.values_list("organisation", "role")) == [(acme.pk, "coordinator")]
    assert list(Contact.objects.filter(partner__project=project).values_list("person", "role")) == [
        (leader.pk, "coordinator_contact")
    ]
