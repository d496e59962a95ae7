"""Invitations to join a consortium: the e-mail and its link, whichever account the person
has or has not, and the link that expires, is used once and cannot be guessed."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Notification, Person
from projects import permissions, services
from projects.models import Contact, Invitation, Partner
from tests.factories import PersonFactory
from tests.shared import module_world
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


built_world, world = module_world(build_world, language="en", client_language="en")


@pytest.fixture
def project(world):
    return world["projects"]["draft"]


@pytest.fixture
def member_partner(world, project):
    return project.partners.get(organisation=world["organisations"]["member"])


@pytest.fixture
def coordinator(project):
    return project.partners.get(role=Partner.Role.COORDINATOR)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the e-mails a block sends (they leave once the transaction commits)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def invite(send, partner, email, role="partner_contact", by=None):
    return send(
        services.invite_contact, partner, email, role, by, base_url="https://grappe.example"
    )


def link_in(message):
    return re.search(r"https://grappe\.example(/invitations/[\w-]+/)", message.body).group(1)


# --- sending -------------------------------------------------------------------------------


def test_an_invitation_to_a_new_address_is_e_mailed_with_its_link(
    world, member_partner, send, mailoutbox
):
    invitation = invite(send, member_partner, " Zoe@Example.TEST ", by=world["people"]["member"])
    assert invitation.email == "zoe@example.test"
    assert len(invitation.token) >= 40
    assert [m.to for m in mailoutbox] == [["zoe@example.test"]]
    assert link_in(mailoutbox[0]) == f"/invitations/{invitation.token}/"
    assert "DRAFT" in mailoutbox[0].subject
    assert "Member Lab" in mailoutbox[0].body
    assert not Notification.objects.filter(url__contains="/invitations/").exists()


def test_a_person_with_an_account_is_notified_in_the_portal_too(
    world, member_partner, send, mailoutbox
):
    person = PersonFactory(email="anne@example.test")
    invitation = invite(send, member_partner, "anne@example.test")
    notification = Notification.objects.get(recipient=person)
    assert notification.url.endswith(f"/invitations/{invitation.token}/")
    assert [m.to for m in mailoutbox] == [["anne@example.test"]]


def test_inviting_the_same_address_again_replaces_the_pending_invitation(
    member_partner, send, mailoutbox
):
    first = invite(send, member_partner, "zoe@example.test")
    second = invite(send, member_partner, "ZOE@example.test", "financial_signatory")
    pending = list(Invitation.pending().filter(partner=member_partner))
    assert pending == [second] and second.token != first.token
    assert len(mailoutbox) == 2


def test_someone_already_contact_is_not_invited(world, member_partner, send, mailoutbox):
    with pytest.raises(ValidationError) as caught:
        invite(send, member_partner, "member@world.example")
    assert "Member is already a contact of Member Lab." in str(caught.value)
    assert not Invitation.objects.exists() and not mailoutbox


def test_a_coordinator_contact_is_invited_to_the_coordinator_only(
    member_partner, coordinator, send
):
    with pytest.raises(ValidationError) as caught:
        invite(send, member_partner, "zoe@example.test", "coordinator_contact")
    assert "coordinating partner" in str(caught.value)
    assert not Invitation.objects.exists()
    assert invite(send, coordinator, "zoe@example.test", "coordinator_contact").pk


def test_the_leader_invites_from_the_project_page(
    client, world, project, member_partner, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(world["people"]["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/projects/{project.pk}/partners/{member_partner.pk}/invitations/",
            {"email": "zoe@example.test", "role": "financial_signatory"},
            headers={"HX-Request": "true"},
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "An invitation was sent to zoe@example.test." in page
    assert "Pending invitations" in page and "zoe@example.test" in page
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.invited_by) == (
        "financial_signatory",
        world["people"]["leader"],
    )
    assert link_in_testserver(mailoutbox[0]) == f"/invitations/{invitation.token}/"
    assert invitation.token not in page  # the link is the invitee's only


def link_in_testserver(message):
    return re.search(r"http://testserver(/invitations/[\w-]+/)", message.body).group(1)


def test_a_member_invites_to_their_own_row_only(
    client, world, project, member_partner, coordinator
):
    client.force_login(world["people"]["member"])
    url = f"/projects/{project.pk}/partners/{{}}/invitations/"
    response = client.post(
        url.format(member_partner.pk), {"email": "zoe@example.test", "role": "partner_contact"}
    )
    assert response.status_code == 302
    response = client.post(
        url.format(coordinator.pk), {"email": "eve@example.test", "role": "partner_contact"}
    )
    assert response.status_code == 404
    assert list(Invitation.objects.values_list("email", flat=True)) == ["zoe@example.test"]


def test_the_leader_resends_and_cancels(client, world, project, member_partner, send, mailoutbox):
    invitation = invite(send, member_partner, "zoe@example.test")
    old_link = f"/invitations/{invitation.token}/"
    client.force_login(world["people"]["leader"])
    with_callbacks = send
    with_callbacks(client.post, f"/projects/{project.pk}/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert (
        len(mailoutbox) == 2
        and link_in_testserver(mailoutbox[1]) == f"/invitations/{invitation.token}/"
    )
    assert client.get(old_link).status_code == 404  # the old link is dead
    client.post(f"/projects/{project.pk}/invitations/{invitation.pk}/cancel/")
    assert not Invitation.objects.exists()


# --- accepting -----------------------------------------------------------------------------


def test_a_new_person_creates_their_account_and_joins(client, project, member_partner, send):
    invitation = invite(send, member_partner, "zoe@example.test", "financial_signatory")
    url = f"/invitations/{invitation.token}/"
    page = client.get(url).content.decode()
    assert (
        "Create your account" in page and 'value="zoe@example.test"' in page and "readonly" in page
    )
    response = client.post(
        url,
        {
            "first_name": "Zoé",
            "last_name": "Martin",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    person = Person.objects.get(email="zoe@example.test")
    assert person.get_full_name() == "Zoé Martin" and person.check_password("a-long-pass-phrase")
    assert member_partner.contact_rows.get(person=person).role == "financial_signatory"
    invitation.refresh_from_db()
    assert invitation.accepted_by == person and invitation.accepted_at
    page = client.get(response["Location"]).content.decode()  # signed in, and in the consortium
    assert "Confidential plan of DRAFT" in page and "Welcome to DRAFT" in page


def test_a_sign_up_with_a_bad_password_creates_nothing(client, member_partner, send):
    invitation = invite(send, member_partner, "zoe@example.test")
    response = client.post(
        f"/invitations/{invitation.token}/",
        {"first_name": "Zoé", "last_name": "Martin", "password1": "abc", "password2": "abd"},
    )
    assert response.status_code == 400
    assert not Person.objects.filter(email="zoe@example.test").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_signed_in_person_confirms_and_joins(client, project, member_partner, send):
    anne = PersonFactory(email="anne@example.test", first_name="Anne", last_name="Droit")
    invitation = invite(send, member_partner, "anne@example.test")
    client.force_login(anne)
    url = f"/invitations/{invitation.token}/"
    page = client.get(url).content.decode()
    assert "Join as Anne Droit" in page and "you are signed in as" not in page
    assert not Contact.objects.filter(person=anne).exists()  # nothing before the confirmation
    response = client.post(url)
    assert response.status_code == 302
    assert member_partner.contact_rows.get(person=anne).role == "partner_contact"
    assert permissions.may_view_confidential(anne, project)


def test_another_signed_in_account_is_warned_and_may_join(client, member_partner, send):
    other = PersonFactory(email="anne.perso@example.test", first_name="Anne")
    invitation = invite(send, member_partner, "anne@example.test")
    client.force_login(other)
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert (
        "The invitation was sent to anne@example.test; you are signed in as anne.perso@example.test."
        in page
    )
    client.post(f"/invitations/{invitation.token}/")
    assert member_partner.contact_rows.filter(person=other).exists()


def test_an_existing_account_signs_in_first(client, member_partner, send):
    PersonFactory(email="anne@example.test")
    invitation = invite(send, member_partner, "anne@example.test")
    url = f"/invitations/{invitation.token}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    response = client.post(
        url, {"first_name": "X", "last_name": "Y", "password1": "p", "password2": "p"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Person.objects.filter(email="anne@example.test").count() == 1


def test_an_expired_invitation_says_so(client, member_partner, send):
    invitation = invite(send, member_partner, "zoe@example.test")
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=14, minutes=1)
    )
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    response = client.post(
        f"/invitations/{invitation.token}/",
        {
            "first_name": "Z",
            "last_name": "M",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 410
    assert not Person.objects.filter(email="zoe@example.test").exists()
    assert not Invitation.pending().exists()


def test_an_invitation_is_used_once(client, member_partner, send):
    anne, bob = PersonFactory(), PersonFactory()
    invitation = invite(send, member_partner, anne.email)
    client.force_login(anne)
    client.post(f"/invitations/{invitation.token}/")
    client.force_login(bob)
    response = client.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not member_partner.contact_rows.filter(person=bob).exists()
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, bob)


def test_an_unknown_token_is_not_found(client):
    assert client.get("/invitations/not-a-token/").status_code == 404


def test_someone_already_contact_gets_a_clear_message(client, world, project, member_partner, send):
    invitation = invite(send, member_partner, "zoe@example.test")
    member = world["people"]["member"]
    client.force_login(member)
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "You are already a contact of Member Lab on DRAFT." in page
    assert "Join as" not in page
    assert member_partner.contact_rows.filter(person=member).count() == 1


def test_a_coordinator_contact_invitation_fails_clearly_after_a_handover(
    client, project, coordinator, member_partner, send
):
    invitation = invite(send, coordinator, "zoe@example.test", "coordinator_contact")
    services.change_coordinator(project, member_partner)
    zoe = PersonFactory(email="zoe@example.test")
    client.force_login(zoe)
    response = client.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 400
    assert "coordinating partner" in response.content.decode()
    assert not Contact.objects.filter(person=zoe).exists()


# --- the API --------------------------------------------------------------------------------


def api_invite(client, partner, email, role="partner_contact"):
    return client.post(
        "/api/v1/invitations/",
        {"partner": partner.pk, "email": email, "role": role},
        content_type="application/json",
    )


def test_the_api_invites_lists_and_cancels(
    client, world, member_partner, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(world["people"]["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_invite(client, member_partner, "zoe@example.test")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["partner"], data["email"], data["role"]) == (
        member_partner.pk,
        "zoe@example.test",
        "partner_contact",
    )
    token = Invitation.objects.get().token
    assert token not in response.content.decode() and token in mailoutbox[0].body
    assert (
        api_invite(client, member_partner, "eve@example.test", "coordinator_contact").status_code
        == 400
    )
    listed = client.get("/api/v1/invitations/").json()["results"]
    assert [i["email"] for i in listed] == ["zoe@example.test"]
    assert token not in str(listed)
    response = client.post(f"/api/v1/invitations/{data['id']}/resend/")
    assert response.status_code == 200
    assert client.delete(f"/api/v1/invitations/{data['id']}/").status_code == 204
    assert not Invitation.objects.exists()


def test_the_api_invites_a_partner_contact_when_no_role_is_given(client, world, member_partner):
    """``role`` is optional in the API's document; without it the API answered 500
    (found by tests/api/test_schemathesis.py)."""
    client.force_login(world["people"]["leader"])
    response = client.post(
        "/api/v1/invitations/",
        {"partner": member_partner.pk, "email": "zoe@example.test"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "partner_contact"


def test_the_api_keeps_members_to_their_own_row(client, world, member_partner, coordinator, send):
    leaders_invitation = invite(send, coordinator, "eve@example.test")
    client.force_login(world["people"]["member"])
    assert api_invite(client, member_partner, "zoe@example.test").status_code == 201
    assert api_invite(client, coordinator, "yan@example.test").status_code == 404
    listed = client.get("/api/v1/invitations/").json()["results"]
    assert [i["email"] for i in listed] == ["zoe@example.test"]
    assert client.delete(f"/api/v1/invitations/{leaders_invitation.pk}/").status_code == 404
    client.force_login(world["people"]["outsider"])
    assert client.get("/api/v1/invitations/").json()["results"] == []
    assert api_invite(client, member_partner, "x@example.test").status_code == 404


def test_the_invitation_list_costs_the_same_with_more_invitations(
    client, world, member_partner, coordinator, send
):
    client.force_login(world["people"]["leader"])
    invite(send, member_partner, "first@example.test", by=world["people"]["member"])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/invitations/").status_code == 200
        return len(context.captured_queries)

    before = queries()
    for n in range(5):
        invite(send, coordinator, f"x{n}@example.test", by=world["people"]["leader"])
    assert queries() == before
