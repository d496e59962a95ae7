"""Personal data: a person downloads everything the portal holds about them and asks for
erasure; erasure anonymises them and keeps the financial records; retention periods."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from funding.models import FundingLine
from portal import backup, privacy
from portal.models import ErasureRequest, Notification, Person
from portal.notifications import notify
from projects.models import Contact, Invitation

from ..factories import PersonFactory
from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


built_world, world = module_world(build_world, language="en")


@pytest.fixture
def admin_person():
    return PersonFactory(is_superuser=True, is_staff=True)


def signed_in(client, person):
    client.force_login(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- Download ---------------------------------------------------------------------------------


def test_a_person_downloads_everything_the_portal_holds_about_them(world, client):
    member = world["people"]["member"]
    notify([member], "Something happened")
    Invitation.objects.create(
        partner=Contact.objects.filter(person=member).first().partner,
        email=member.email,
        token="t" * 40,
    )
    response = signed_in(client, member).get("/account/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="grappe-personal-')
    data = json.loads(response.content)
    assert data["person"]["email"] == member.email
    records = data["records"]
    assert any(key.startswith("projects.Contact (person)") for key in records)
    assert any(key.startswith("portal.Notification (recipient)") for key in records)
    assert any(key.startswith("portal.Affiliation (person)") for key in records)
    assert "projects.Invitation (e-mail)" in records
    body = response.content.decode()
    assert member.password not in body and '"password"' not in body
    # Only theirs: nobody else's notifications or profile.
    notify([world["people"]["leader"]], "Not for the member")
    data = json.loads(signed_in(client, member).get("/account/data.json").content)
    assert "Not for the member" not in json.dumps(data)


def test_the_account_pages_need_a_sign_in(client):
    for url in ["/account/", "/account/data.json", "/account/erasure/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_account_page_links_to_the_data_and_the_erasure(world, client):
    html = signed_in(client, world["people"]["member"]).get("/account/").content.decode()
    assert "<h1>My account</h1>" in html
    assert 'href="/account/data.json"' in html and 'href="/account/erasure/"' in html
    assert "Notifications: 365 days." in html


# --- Asking for erasure ---------------------------------------------------------------------------


def test_asking_for_erasure_needs_the_password_and_tells_the_admins(world, client, admin_person):
    member = world["people"]["member"]
    signed_in(client, member)
    html = client.post("/account/erasure/", {"password": "wrong"}).content.decode()
    assert "This is not your password." in html
    assert not ErasureRequest.objects.exists()

    member.set_password("right password")
    member.save()
    signed_in(client, member)
    response = client.post("/account/erasure/", {"password": "right password", "reason": "Gone"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get()
    assert (request.person, request.state, request.reason) == (member, "asked", "Gone")
    assert Notification.objects.filter(
        recipient=admin_person, subject__contains="asks for the erasure"
    ).exists()
    html = client.get("/account/erasure/").content.decode()
    assert "You asked for the erasure of your account" in html
    client.post("/account/erasure/", {"password": "right password"})
    assert ErasureRequest.objects.count() == 1


# --- Erasure ----------------------------------------------------------------------------------------


def test_erasure_anonymises_the_person_and_keeps_the_money(
    world, admin_person, django_capture_on_commit_callbacks
):
    member = world["people"]["member"]
    email = member.email
    notify([member], "Hello")
    request = privacy.ask_erasure(member, "Please")
    before = backup.inventory()
    lines = FundingLine.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(member, by=admin_person)

    member.refresh_from_db()
    assert member.email == f"erased-{member.pk}@erased.invalid"
    assert (member.first_name, member.last_name, member.is_active) == ("", "", False)
    assert not member.has_usable_password()
    assert not member.check_password("demo")
    assert not Person.objects.filter(email__iexact=email).exists()
    assert not Contact.objects.filter(person=member).exists()  # left the consortia
    assert not Notification.objects.filter(recipient=member).exists()
    assert not member.affiliations.exists()
    # The money and every project's records are intact.
    after = backup.inventory()
    assert after["project_money"] == before["project_money"]
    assert FundingLine.objects.count() == lines
    request.refresh_from_db()
    assert (request.state, request.decided_by, request.reason) == ("done", admin_person, "")
    assert mail.outbox[-1].to == [email]
    assert "erased" in mail.outbox[-1].subject


def test_the_last_coordinator_contact_cannot_be_erased_yet(world):
    leader = world["people"]["leader"]
    email = leader.email
    with pytest.raises(ValidationError, match="last coordinator contact"):
        privacy.erase(leader)
    leader.refresh_from_db()
    assert leader.email == email and leader.is_active
    assert Contact.objects.filter(person=leader).exists()


def test_the_admins_erase_or_refuse_requests(world, client, admin_person):
    member, expert = world["people"]["member"], world["people"]["expert"]
    erase_it = privacy.ask_erasure(member)
    refuse_it = privacy.ask_erasure(expert)
    signed_in(client, admin_person)
    url = "/admin/portal/erasurerequest/"
    client.post(url, {"action": "erase_people", "_selected_action": [erase_it.pk]})
    erase_it.refresh_from_db()
    assert erase_it.state == "done"
    client.post(url, {"action": "refuse", "_selected_action": [refuse_it.pk]})
    refuse_it.refresh_from_db()
    assert refuse_it.state == "asked"  # no outcome written: refused only with a reason
    refuse_it.outcome = "You are the pole's expert for a running evaluation."
    refuse_it.save()
    client.post(url, {"action": "refuse", "_selected_action": [refuse_it.pk]})
    refuse_it.refresh_from_db()
    assert refuse_it.state == "refused"
    html = signed_in(client, expert).get("/account/").content.decode()
    assert "You are the pole&#x27;s expert for a running evaluation." in html


def test_erase_person_command(world):
    member = world["people"]["member"]
    call_command("erase_person", member.email, stdout=io.StringIO())
    member.refresh_from_db()
    assert privacy.is_erased(member)


# --- Retention ----------------------------------------------------------------------------------


def test_retention_deletes_only_what_is_past_its_period(world, settings):
    member = world["people"]["member"]
    old, recent = notify([member], "Old") + notify([member], "Recent")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert privacy.apply_retention()["notifications"] == 1
    assert Notification.objects.filter(recipient=member, subject="Old").count() == 0
    assert Notification.objects.filter(pk=recent.pk).exists()

    settings.RETENTION_DAYS = {"notifications": 1}
    Notification.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "notifications: 1 deleted (kept 1 days)" in out.getvalue()


def test_the_download_holds_no_secret_and_erasure_removes_the_authenticators(world, client):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal import two_factor
    from tokens.models import ApiToken
    from tokens.services import create_token

    member = world["people"]["member"]
    device = two_factor.give_demo_device(member)
    token, secret = create_token(member, name="Scripts", scope="read")
    signed_in(client, member)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # both sign-in steps done
    session.save()
    data = json.loads(client.get("/account/data.json").content)
    body = json.dumps(data)
    assert "otp_totp.TOTPDevice (user)" in data["records"]  # that it is on, and since when
    assert "tokens.ApiToken (person)" in data["records"]
    for secret_value in [device.key, secret, token.key_hash, member.password]:
        assert secret_value not in body

    privacy.erase(member)
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not ApiToken.objects.filter(person=member).exists()
