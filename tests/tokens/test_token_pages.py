"""The API tokens page: a person makes, sees and revokes their own tokens."""

import datetime

import pytest
from django.utils import timezone

from tokens.models import ApiToken, hash_key
from tokens.services import create_token

from ..factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

URL = "/account/tokens/"


@pytest.fixture
def person(client):
    person = PersonFactory()
    client.force_login(person)
    return person


def make(client, **data):
    return client.post(URL, {"name": "Export script", "scope": "read", "days": "30", **data})


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_secret_is_shown_once_right_after_making_the_token(client, person):
    response = make(client)
    assert response.status_code == 200
    token = ApiToken.objects.get(person=person)
    secret = response.context["secret"]
    page = response.content.decode()
    assert secret in page and "will not be shown again" in page
    assert "no-store" in response["Cache-Control"]
    assert token.key_hash == hash_key(secret) and token.prefix == secret[:8]
    assert token.scope == "read"
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)

    later = client.get(URL).content.decode()
    assert secret not in later
    assert "Export script" in later and f"{token.prefix}…" in later


def test_making_a_token_with_htmx_answers_the_fragment(client, person):
    response = client.post(
        URL,
        {"name": "CI", "scope": "read_write", "days": "90"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" not in page and response.context["secret"] in page
    assert ApiToken.objects.get(person=person).scope == "read_write"


@pytest.mark.parametrize(
    "data,field",
    [({"days": "366"}, "days"), ({"days": "0"}, "days"), ({"name": ""}, "name")],
    ids=["over a year", "no days", "no name"],
)
def test_invalid_tokens_are_not_made(client, person, data, field):
    response = make(client, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["secret"] is None
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_ones_own_tokens_and_their_state(client, person):
    mine, _ = create_token(person, name="Mine")
    expired, _ = create_token(person, name="Old one")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    create_token(PersonFactory(), name="Someone else's")
    response = client.get(URL)
    page = response.content.decode()
    assert list(response.context["tokens"]) == [expired, mine]
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert "Expired" in page and "Active" in page and "never" in page


def test_revoking_ones_own_token(client, person):
    token, key = create_token(person, name="Mine")
    response = client.post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get(URL).content.decode()


def test_revoking_with_htmx_answers_the_row(client, person):
    token, _key = create_token(person, name="Mine")
    response = client.post(f"{URL}{token.pk}/revoke/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.strip().startswith(f'<tr id="token-{token.pk}"') and "Revoked" in page


def test_another_persons_token_does_not_exist(client, person):
    token, _key = create_token(PersonFactory(), name="Theirs")
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_takes_a_post(client, person):
    token, _key = create_token(person, name="Mine")
    assert client.get(f"{URL}{token.pk}/revoke/").status_code == 405


def test_superusers_see_tokens_in_the_admin_and_revoke_them(client):
    owner = PersonFactory()
    token, key = create_token(owner, name="Owner's script")
    admin = PersonFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/tokens/apitoken/").content.decode()
    assert "Owner&#x27;s script" in page and token.prefix in page
    assert key not in page and token.key_hash not in page
    assert key not in client.get(f"/admin/tokens/apitoken/{token.pk}/change/").content.decode()
    response = client.post(
        "/admin/tokens/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_staff_who_are_not_superusers_do_not_see_tokens_in_the_admin(client):
    create_token(PersonFactory(), name="Script")
    client.force_login(PersonFactory(is_staff=True))
    assert client.get("/admin/tokens/apitoken/").status_code == 403


def test_changing_ones_password_revokes_every_token(client, person):
    create_token(person, name="Read", scope="read")
    create_token(person, name="Write", scope="read_write")
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "demo",
            "new_password1": "a much longer passphrase",
            "new_password2": "a much longer passphrase",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(person=person, revoked_at=None).exists()
    page = client.get(URL).content.decode()
    assert page.count("Revoked") == 2


def test_the_account_page_leads_to_the_tokens(client, person):
    assert f'href="{URL}"' in client.get("/account/").content.decode()
