"""The consortium as the leader and its members manage it: partners found in the directory or
created on the fly (without duplicates), roles and the coordinator's handover, contacts."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Affiliation, Organisation, Person
from portal.services import DuplicateOrganisation, create_organisation, find_duplicates
from projects import permissions, services
from projects.models import Contact, Invitation, Partner
from tests.factories import OrganisationFactory, PersonFactory, valid_siren
from tests.shared import module_world
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


built_world, world = module_world(build_world, language="en", client_language="en")


@pytest.fixture
def leader(client, world):
    client.force_login(world["people"]["leader"])
    return world["people"]["leader"]


def draft_of(world):
    return world["projects"]["draft"]


def member_row(project, world):
    return project.partners.get(organisation=world["organisations"]["member"])


def coordinator_row(project):
    return project.partners.get(role=Partner.Role.COORDINATOR)


def organisation(name, n, **fields):
    return Organisation(
        legal_name=name, siren=valid_siren(n), category="sme", region="ARA", **fields
    )


# --- duplicate detection --------------------------------------------------------------------


def test_duplicates_are_found_by_siren_and_by_normalised_name():
    existing = create_organisation(organisation("Composites Dauphiné S.A.S.", 1))
    same_siren = Organisation(legal_name="Something else", siren=existing.siren)
    assert [(o, o.same_siren) for o in find_duplicates(same_siren)] == [(existing, True)]
    same_name = Organisation(legal_name="COMPOSITES DAUPHINE", siren=valid_siren(2))
    assert [(o, o.same_siren) for o in find_duplicates(same_name)] == [(existing, False)]
    assert find_duplicates(Organisation(legal_name="Composites Savoie", siren=valid_siren(3))) == []


def test_the_same_siren_is_refused_naming_the_existing_organisation():
    existing = create_organisation(organisation("Acme", 1))
    count = Organisation.objects.count()  # the module's world has its own organisations
    with pytest.raises(DuplicateOrganisation) as caught:
        create_organisation(organisation("Acme Bis", 1), confirm_distinct=True)
    assert list(caught.value.message_dict) == ["siren"]
    assert caught.value.duplicates == [existing]
    assert not caught.value.confirmable
    assert Organisation.objects.count() == count


def test_a_similar_name_needs_a_confirmation_and_gets_no_admin():
    existing = create_organisation(organisation("Acme SAS", 1))
    count = Organisation.objects.count()  # the module's world has its own organisations
    with pytest.raises(DuplicateOrganisation) as caught:
        create_organisation(organisation("ACME", 2))
    assert list(caught.value.message_dict) == ["legal_name"]
    assert caught.value.duplicates == [existing] and caught.value.confirmable
    assert Organisation.objects.count() == count
    other = create_organisation(organisation("ACME", 2), confirm_distinct=True)
    assert Organisation.objects.count() == count + 1
    assert not Affiliation.objects.filter(organisation=other).exists()


def test_a_similar_name_is_looked_for_among_what_the_creator_may_see(world):
    outsider = world["people"]["outsider"]
    from portal.permissions import visible_organisations

    # "Foreign SA" is in no directory and no consortium of the outsider's: it does not exist.
    created = create_organisation(
        organisation("Foreign", 50), among=visible_organisations(outsider)
    )
    assert created.pk


def test_the_api_answers_the_duplicates_ids_and_names(client, world, leader):
    body = {"legal_name": "LEADER", "siren": valid_siren(60), "category": "sme", "region": "ARA"}
    response = client.post("/api/v1/organisations/", body, content_type="application/json")
    assert response.status_code == 400
    existing = world["organisations"]["leader"]
    assert response.json()["duplicates"] == [{"id": existing.pk, "name": "Leader SAS"}]
    assert "legal_name" in response.json()
    body["confirm_distinct"] = True
    response = client.post("/api/v1/organisations/", body, content_type="application/json")
    assert response.status_code == 201
    assert Organisation.objects.filter(legal_name="LEADER").exists()


def test_the_api_does_not_name_an_organisation_the_caller_may_not_see(client, world, leader):
    foreign = world["organisations"]["foreign"]
    body = {"legal_name": "New", "siren": foreign.siren, "category": "sme", "region": "ARA"}
    response = client.post("/api/v1/organisations/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["duplicates"] == []
    assert "siren" in response.json()
    assert "Foreign" not in response.content.decode()


def test_the_organisation_page_asks_to_confirm_a_similar_name(client, world, leader):
    data = {"legal_name": "leader s.a.s.", "category": "sme", "siren": valid_siren(61)}
    data.update(country="FR", region="ARA")
    response = client.post("/organisations/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Leader SAS" in page and 'name="confirm_distinct"' in page
    response = client.post("/organisations/new/", {**data, "confirm_distinct": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name_key="leader").count() == 2


# --- adding partners --------------------------------------------------------------------------


def search(client, project, q, **headers):
    return client.get(
        f"/projects/{project.pk}/partners/organisations/", {"organisation_q": q}, headers=headers
    )


def test_the_search_finds_at_most_20_visible_organisations_not_yet_partners(client, world, leader):
    project = draft_of(world)
    for n in range(25):
        create_organisation(organisation(f"Acme {n:02}", 100 + n, directory_consent=True))
    create_organisation(organisation("Acme hidden", 200))  # not in the directory
    response = search(client, project, "acme", HX_Request="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="radio" name="organisation"') == 20
    assert "Acme 00" in page and "Acme 19" in page and "Acme 20" not in page
    assert "Acme hidden" not in page
    assert "Only the first 20" in page
    assert "<html" not in page  # the fragment only

    page = search(client, project, "member").content.decode()  # a partner already
    assert "Member Lab" not in page.split('id="organisation-results"')[1].split("</fieldset>")[0]
    page = search(client, project, world["organisations"]["leader"].siren).content.decode()
    assert "No organisation of the directory matches" in page


def test_the_search_without_javascript_answers_the_whole_page(client, world, leader):
    project = draft_of(world)
    create_organisation(organisation("Open Composites", 300, directory_consent=True))
    response = search(client, project, "open comp")
    page = response.content.decode()
    assert "<html" in page and "Confidential plan of DRAFT" in page
    assert "Open Composites" in page and 'value="open comp"' in page


def test_only_the_leader_searches(client, world):
    client.force_login(world["people"]["member"])
    assert search(client, draft_of(world), "acme").status_code == 404


def test_the_project_page_has_no_select_of_every_organisation(client, world, leader):
    for n in range(5):
        create_organisation(organisation(f"Listed {n}", 400 + n, directory_consent=True))
    page = client.get(f"/projects/{draft_of(world).pk}/").content.decode()
    assert "Listed 0" not in page
    assert 'id="organisation-q"' in page


def test_the_leader_adds_an_organisation_found_in_the_directory(client, world, leader):
    project = draft_of(world)
    found = create_organisation(organisation("Open Composites", 300, directory_consent=True))
    response = client.post(
        f"/projects/{project.pk}/partners/",
        {"organisation": found.pk, "role": "associated", "personnel_costs": "1000"},
    )
    partner = project.partners.get(organisation=found)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#manage-partner-{partner.pk}")
    assert (partner.role, partner.budget) == ("associated", Decimal("1000.00"))


def test_choosing_nothing_is_explained(client, world, leader):
    project = draft_of(world)
    response = client.post(f"/projects/{project.pk}/partners/", {"role": "partner"})
    assert response.status_code == 400
    assert (
        "Choose an organisation in the directory, or create a new one" in response.content.decode()
    )
    assert project.partners.count() == 2


def new_partner(**changes):
    data = {
        "role": "partner",
        "personnel_costs": "5000",
        "new-legal_name": "Brand New Robotics",
        "new-category": "micro",
        "new-siren": valid_siren(500),
        "new-region": "ARA",
        "new-country": "FR",
    }
    data.update(changes)
    return data


def test_the_leader_creates_an_organisation_on_the_fly(client, world, leader):
    project = draft_of(world)
    response = client.post(f"/projects/{project.pk}/partners/", new_partner())
    assert response.status_code == 302
    created = Organisation.objects.get(legal_name="Brand New Robotics")
    assert project.partners.get(organisation=created).budget == Decimal("5000.00")
    assert not created.affiliations.exists()  # the leader does not work there
    assert not created.directory_consent
    client.force_login(world["people"]["member"])  # the consortium sees it
    assert client.get(f"/organisations/{created.pk}/").status_code == 200
    client.force_login(world["people"]["outsider"])
    assert client.get(f"/organisations/{created.pk}/").status_code == 404


def test_a_foreign_organisation_is_created_with_its_vat_number(client, world, leader):
    project = draft_of(world)
    data = new_partner(**{"new-siren": "", "new-country": "de", "new-region": "ZZZ"})
    response = client.post(f"/projects/{project.pk}/partners/", data)
    assert response.status_code == 400
    assert "VAT number or its EU PIC" in response.content.decode()
    data["new-vat_number"] = "DE 123 456 789"
    response = client.post(f"/projects/{project.pk}/partners/", data)
    assert response.status_code == 302
    assert Organisation.objects.get(legal_name="Brand New Robotics").vat_number == "DE123456789"


def test_an_existing_siren_is_refused_pointing_at_the_organisation(client, world, leader):
    project = draft_of(world)
    existing = create_organisation(organisation("Open Composites", 300, directory_consent=True))
    response = client.post(
        f"/projects/{project.pk}/partners/", new_partner(**{"new-siren": existing.siren})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "An organisation with this SIREN already exists." in page
    assert f'name="organisation" value="{existing.pk}"' in page and "Open Composites" in page
    assert not Organisation.objects.filter(legal_name="Brand New Robotics").exists()
    assert project.partners.count() == 2


def test_an_existing_siren_not_in_the_directory_is_not_named(client, world, leader):
    project = draft_of(world)
    foreign = world["organisations"]["foreign"]
    response = client.post(
        f"/projects/{project.pk}/partners/", new_partner(**{"new-siren": foreign.siren})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not in the member directory" in page and "Foreign SA" not in page


def test_a_similar_name_is_shown_and_the_leader_picks_it_or_confirms(client, world, leader):
    project = draft_of(world)
    existing = create_organisation(organisation("Open Composites SAS", 300, directory_consent=True))
    data = new_partner(**{"new-legal_name": "OPEN COMPOSITES"})
    response = client.post(f"/projects/{project.pk}/partners/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "similar name already exists" in page
    assert f'name="organisation" value="{existing.pk}"' in page
    assert 'name="new-confirm_distinct"' in page and "This is a different organisation" in page
    assert Organisation.objects.filter(name_key="open composites").count() == 1

    # Either the existing one…
    response = client.post(
        f"/projects/{project.pk}/partners/", {**data, "organisation": existing.pk}
    )
    assert response.status_code == 302
    assert project.partners.filter(organisation=existing).exists()
    assert Organisation.objects.filter(name_key="open composites").count() == 1
    # …or, on another project, a different organisation confirmed as such.
    other = world["projects"]["submitted"]
    response = client.post(
        f"/projects/{other.pk}/partners/", {**data, "new-confirm_distinct": "on"}
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name_key="open composites").count() == 2


def test_a_new_partner_cannot_be_added_as_a_second_coordinator(client, world, leader):
    project = draft_of(world)
    response = client.post(f"/projects/{project.pk}/partners/", new_partner(role="coordinator"))
    assert response.status_code == 400
    assert not Organisation.objects.filter(legal_name="Brand New Robotics").exists()


# --- roles and the coordinator's handover --------------------------------------------------


def test_the_coordination_is_handed_over_in_one_go(world):
    project, people = draft_of(world), world["people"]
    old, new = coordinator_row(project), member_row(project, world)
    services.change_coordinator(project, new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.role, new.role) == ("partner", "coordinator")
    assert old.contact_rows.get(person=people["leader"]).role == "partner_contact"
    assert new.contact_rows.get(person=people["member"]).role == "coordinator_contact"
    project.refresh_from_db()
    assert permissions.may_change(people["member"], project)
    assert not permissions.may_change(people["leader"], project)
    assert permissions.may_view_confidential(people["leader"], project)


def test_a_handover_needs_a_partner_contact_on_the_new_coordinator(world):
    project = draft_of(world)
    lonely = services.add_partner(project, organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as caught:
        services.change_coordinator(project, lonely)
    assert "partner contact first" in str(caught.value)
    assert coordinator_row(project).organisation == world["organisations"]["leader"]


def test_a_budget_form_opened_before_a_handover_cannot_undo_it(world):
    from portal.modelutils import StaleEdit

    project = draft_of(world)
    stale = member_row(project, world)  # someone opened its budget form
    services.change_coordinator(project, member_row(project, world))
    with pytest.raises(StaleEdit):
        services.change_partner(stale, expected_version=stale.version, other_costs=Decimal(1))
    assert member_row(project, world).role == "coordinator"


def test_the_leader_changes_roles_on_the_page(client, world, leader):
    project = draft_of(world)
    partner = member_row(project, world)
    url = f"/projects/{project.pk}/partners/{partner.pk}/role/"
    response = client.post(url, {"role": "subcontractor"}, follow=True)
    assert "Member Lab is now subcontractor." in response.content.decode()
    assert member_row(project, world).role == "subcontractor"
    client.post(url, {"role": "coordinator"})
    assert coordinator_row(project).organisation == world["organisations"]["member"]
    # The former leader is a plain partner contact now: the page is no longer theirs to change.
    assert client.post(url, {"role": "partner"}).status_code == 404


def test_a_member_does_not_change_roles(client, world):
    project = draft_of(world)
    client.force_login(world["people"]["member"])
    partner = member_row(project, world)
    url = f"/projects/{project.pk}/partners/{partner.pk}/role/"
    assert client.post(url, {"role": "associated"}).status_code == 404
    response = client.patch(
        f"/api/v1/partners/{partner.pk}/", {"role": "associated"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert member_row(project, world).role == "partner"


def test_the_api_hands_the_coordination_over(client, world, leader):
    project = draft_of(world)
    partner = member_row(project, world)
    response = client.patch(
        f"/api/v1/partners/{partner.pk}/", {"role": "coordinator"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert coordinator_row(project).pk == partner.pk


def test_the_leader_removes_a_partner(client, world, leader):
    project = draft_of(world)
    partner = member_row(project, world)
    response = client.post(f"/projects/{project.pk}/partners/{partner.pk}/remove/", follow=True)
    assert "Member Lab left the consortium." in response.content.decode()
    assert not Partner.objects.filter(pk=partner.pk).exists()
    client.force_login(world["people"]["member"])
    assert client.get(f"/projects/{project.pk}/").status_code == 404


def test_funding_lines_protect_a_partner_with_a_clear_message(client, world, leader):
    project = world["projects"]["funded"]
    partner = member_row(project, world)
    response = client.post(f"/projects/{project.pk}/partners/{partner.pk}/remove/", follow=True)
    assert "Records still depend on this partner (funding lines)" in response.content.decode()
    assert Partner.objects.filter(pk=partner.pk).exists()
    response = client.delete(f"/api/v1/partners/{partner.pk}/")
    assert response.status_code == 400 and "funding lines" in response.content.decode()


def test_the_coordinator_cannot_be_removed(client, world, leader):
    project = draft_of(world)
    partner = coordinator_row(project)
    response = client.post(f"/projects/{project.pk}/partners/{partner.pk}/remove/", follow=True)
    assert "The coordinator cannot be removed" in response.content.decode()
    assert Partner.objects.filter(pk=partner.pk).exists()


# --- contacts -------------------------------------------------------------------------------


def add_contact(client, project, partner, email, role="partner_contact", **headers):
    return client.post(
        f"/projects/{project.pk}/partners/{partner.pk}/contacts/",
        {"email": email, "role": role},
        headers=headers,
    )


def test_the_leader_adds_a_known_person_by_e_mail(client, world, leader):
    project = draft_of(world)
    person = PersonFactory(email="anne@example.test")
    partner = member_row(project, world)
    response = add_contact(client, project, partner, "ANNE@example.test", "financial_signatory")
    assert response.status_code == 302
    assert partner.contact_rows.get(person=person).role == "financial_signatory"
    assert permissions.may_view_confidential(person, project)


def test_an_unknown_e_mail_is_explained(client, world, leader):
    project = draft_of(world)
    response = add_contact(client, project, member_row(project, world), "nobody@example.test")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "No one has an account with this e-mail address: invite them instead." in page


def test_with_htmx_the_block_and_the_row_come_back(client, world, leader):
    project = draft_of(world)
    PersonFactory(email="anne@example.test", first_name="Anne", last_name="Droit")
    partner = member_row(project, world)
    response = add_contact(client, project, partner, "anne@example.test", HX_Request="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f'id="manage-partner-{partner.pk}"' in page and "Anne Droit is now partner contact" in page
    )
    assert f'<template><tr id="partner-{partner.pk}" hx-swap-oob="true">' in page
    response = add_contact(client, project, partner, "nobody@example.test", HX_Request="true")
    assert response.status_code == 400
    assert "invite them instead" in response.content.decode()


def test_a_coordinator_contact_only_on_the_coordinator_row(client, world, leader):
    project = draft_of(world)
    person = PersonFactory()
    response = add_contact(
        client, project, member_row(project, world), person.email, "coordinator_contact"
    )
    assert response.status_code == 302
    assert not Contact.objects.filter(person=person).exists()
    add_contact(client, project, coordinator_row(project), person.email, "coordinator_contact")
    assert Contact.objects.get(person=person).role == "coordinator_contact"


def test_a_member_manages_the_contacts_of_their_own_row_only(client, world):
    project, member = draft_of(world), world["people"]["member"]
    client.force_login(member)
    colleague, stranger = PersonFactory(), PersonFactory()
    own, coordinator = member_row(project, world), coordinator_row(project)
    assert add_contact(client, project, own, colleague.email).status_code == 302
    assert own.contact_rows.filter(person=colleague).exists()
    assert add_contact(client, project, coordinator, stranger.email).status_code == 404
    leader_contact = coordinator.contact_rows.get()
    url = f"/projects/{project.pk}/contacts/{leader_contact.pk}/"
    assert client.post(url + "role/", {"role": "partner_contact"}).status_code == 404
    assert client.post(url + "remove/").status_code == 404
    assert coordinator.contact_rows.get().role == "coordinator_contact"


def test_a_member_never_names_a_coordinator_contact(client, world):
    project = draft_of(world)
    # The member is a plain partner contact of the coordinator's row too.
    coordinator = coordinator_row(project)
    services.add_contact(coordinator, world["people"]["member"])
    client.force_login(world["people"]["member"])
    person = PersonFactory()
    add_contact(client, project, coordinator, person.email, "coordinator_contact")
    assert not Contact.objects.filter(person=person).exists()
    own = coordinator.contact_rows.get(person=world["people"]["member"])
    client.post(f"/projects/{project.pk}/contacts/{own.pk}/role/", {"role": "coordinator_contact"})
    own.refresh_from_db()
    assert own.role == "partner_contact"
    assert not permissions.may_change(world["people"]["member"], project)


def test_the_leader_changes_a_contacts_role_and_removes_one(client, world, leader):
    project = draft_of(world)
    contact = member_row(project, world).contact_rows.get()
    url = f"/projects/{project.pk}/contacts/{contact.pk}/"
    client.post(url + "role/", {"role": "financial_signatory"})
    contact.refresh_from_db()
    assert contact.role == "financial_signatory"
    client.post(url + "remove/")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not permissions.may_view_confidential(world["people"]["member"], project)


def test_the_last_coordinator_contact_stays_with_a_clear_message(client, world, leader):
    project = draft_of(world)
    own = coordinator_row(project).contact_rows.get()
    url = f"/projects/{project.pk}/contacts/{own.pk}/"
    message = "the project&#x27;s last coordinator contact: name another one first."
    response = client.post(url + "role/", {"role": "partner_contact"}, follow=True)
    assert message in response.content.decode()
    response = client.post(url + "remove/", follow=True)
    assert message in response.content.decode()
    own.refresh_from_db()
    assert own.role == "coordinator_contact"
    # With a second coordinator contact, the first may step down.
    services.add_contact(coordinator_row(project), PersonFactory(), "coordinator_contact")
    client.post(url + "role/", {"role": "partner_contact"})
    own.refresh_from_db()
    assert own.role == "partner_contact"


def test_the_page_shows_what_each_may_manage(client, world, leader):
    project = draft_of(world)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    for partner in project.partners.all():
        assert f'id="manage-partner-{partner.pk}"' in page
    assert 'id="organisation-q"' in page
    # Each block comes when it is opened (the URL of its "add a contact" form).
    block_url = f"/projects/{project.pk}/partners/{coordinator_row(project).pk}/contacts/"
    assert f'hx-get="{block_url}"' in page
    block = client.get(block_url, headers={"HX-Request": "true"}).content.decode()
    assert "The project's last coordinator contact" in block
    block_url = f"/projects/{project.pk}/partners/{member_row(project, world).pk}/contacts/"
    block = client.get(block_url, headers={"HX-Request": "true"}).content.decode()
    assert re.search(r"/partners/\d+/(role|remove)/", block)
    client.force_login(world["people"]["member"])
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'id="manage-partner-{member_row(project, world).pk}"' in page
    assert f'id="manage-partner-{coordinator_row(project).pk}"' not in page
    assert 'id="organisation-q"' not in page
    block = client.get(block_url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="email"' in block
    assert not re.search(r"/partners/\d+/(role|remove)/", page + block)


def test_the_api_manages_contacts_with_the_same_rules(client, world, leader):
    project = draft_of(world)
    person = PersonFactory()
    partner = member_row(project, world)
    response = client.post(
        "/api/v1/contacts/",
        {"partner": partner.pk, "email": person.email, "role": "partner_contact"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    contact_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/contacts/{contact_id}/",
        {"role": "coordinator_contact"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "role" in response.json()
    response = client.patch(
        f"/api/v1/contacts/{contact_id}/",
        {"role": "financial_signatory"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["role"] == "financial_signatory"
    own = coordinator_row(project).contact_rows.get()
    response = client.delete(f"/api/v1/contacts/{own.pk}/")
    assert response.status_code == 400 and "last coordinator contact" in response.content.decode()
    assert client.delete(f"/api/v1/contacts/{contact_id}/").status_code == 204
    visible = {world["projects"][key].pk for key in ("draft", "submitted", "funded")}
    listed = client.get("/api/v1/contacts/").json()["results"]
    assert listed and {c["project"] for c in listed} == visible


# --- the project page stays cheap --------------------------------------------------------


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", ["leader", "member"])
def test_the_page_costs_the_same_with_more_contacts_and_invitations(client, world, role):
    project = draft_of(world)
    client.force_login(world["people"][role])
    url = f"/projects/{project.pk}/"
    before = queries(client, url)
    leader = world["people"]["leader"]
    for partner in [coordinator_row(project), member_row(project, world)]:
        for n in range(3):
            services.add_contact(partner, PersonFactory(), "financial_signatory")
            Invitation.objects.create(
                partner=partner,
                email=f"x{n}-{partner.pk}@example.test",
                token=f"t{n}-{partner.pk}",
                invited_by=leader,
            )
    extra = services.add_partner(project, organisation=OrganisationFactory())
    services.add_contact(extra, PersonFactory())
    # Never more (fewer when the latest changes shown are of fewer kinds: the history preview).
    assert queries(client, url) <= before
    assert Person.objects.count() > 9


def test_a_member_who_leaves_their_row_is_taken_to_the_project_list(client, world):
    project = draft_of(world)
    contact = member_row(project, world).contact_rows.get()
    client.force_login(world["people"]["member"])
    response = client.post(
        f"/projects/{project.pk}/contacts/{contact.pk}/remove/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response["HX-Redirect"] == "/projects/"
    assert client.get(f"/projects/{project.pk}/").status_code == 404
