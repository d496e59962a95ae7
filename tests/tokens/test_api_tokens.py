"""Using the API with a personal token: ``Authorization: Bearer <token>``."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from projects.models import Milestone, Project
from tokens.models import ApiToken
from tokens.services import create_token, revoke_token

from ..shared import module_world
from ..world import SECRET, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]


built_world, world = module_world(build_world, language="en")


def bearer(key):
    return Client(headers={"Authorization": f"Bearer {key}"})


def token_for(world, role="leader", scope="read_write", **kwargs):
    return create_token(world["people"][role], name="Script", scope=scope, **kwargs)


def test_a_token_reads_the_api_as_its_person(world):
    _token, key = token_for(world, scope="read")
    response = bearer(key).get(f"/api/v1/projects/{world['projects']['draft'].pk}/")
    assert response.status_code == 200
    assert response.json()["description"] == SECRET.format("DRAFT")


def test_the_header_of_the_first_api_version_still_works(world):
    _token, key = token_for(world, scope="read")
    client = Client(headers={"Authorization": f"Token {key}"})
    assert client.get("/api/v1/projects/").status_code == 200


def test_the_database_holds_no_secret(world):
    token, key = token_for(world)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in str(stored.values())
    assert stored["prefix"] == key[:8] and len(stored["key_hash"]) == 64


@pytest.mark.parametrize(
    "header",
    ["Bearer nope", "Bearer", "Bearer a b", "Token " + "x" * 43],
    ids=["unknown", "no token", "two words", "old-style key"],
)
def test_a_bad_token_is_a_401(world, header):
    response = Client(headers={"Authorization": header}).get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_no_credentials_is_a_401_that_asks_for_a_bearer_token(client):
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused_with_a_clear_message(world):
    token, key = token_for(world)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = bearer(key).get("/api/v1/projects/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused(world):
    token, key = token_for(world)
    client = bearer(key)
    assert client.get("/api/v1/projects/").status_code == 200
    revoke_token(token)
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_an_inactive_person_is_refused(world):
    _token, key = token_for(world)
    person = world["people"]["leader"]
    person.is_active = False
    person.save()
    response = bearer(key).get("/api/v1/projects/")
    assert response.status_code == 401 and "disabled" in response.json()["detail"]


def test_a_read_only_token_may_not_write(world):
    draft = world["projects"]["draft"]
    _token, key = token_for(world, scope="read")
    client = bearer(key)
    url = f"/api/v1/projects/{draft.pk}/"
    for method in ("post", "put", "patch", "delete"):
        target = "/api/v1/projects/" if method == "post" else url
        response = getattr(client, method)(target, {"title": "Changed"}, "application/json")
        assert response.status_code == 403, method
        assert "read-only" in response.json()["detail"]
    assert client.head(url).status_code == 200
    assert client.options(url).status_code == 200
    draft.refresh_from_db()
    assert draft.title != "Changed"
    assert Project.objects.count() == 5


def test_a_read_write_token_writes_where_its_person_may(world):
    draft = world["projects"]["draft"]
    _token, key = token_for(world)
    client = bearer(key)
    response = client.patch(
        f"/api/v1/projects/{draft.pk}/",
        {"title": "Changed through a token"},
        "application/json",
    )
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert draft.title == "Changed through a token"

    response = client.post(
        "/api/v1/milestones/",
        {"project": draft.pk, "title": "Prototype", "due_date": "2027-01-01"},
        "application/json",
    )
    assert response.status_code == 201, response.json()
    milestone = response.json()["id"]
    assert client.delete(f"/api/v1/milestones/{milestone}/").status_code == 204
    assert not Milestone.objects.filter(pk=milestone).exists()


def test_a_token_never_gives_more_than_its_person_has(world):
    foreign = world["projects"]["foreign_draft"]
    _token, key = token_for(world)
    client = bearer(key)
    assert client.get(f"/api/v1/projects/{foreign.pk}/").status_code == 404
    response = client.patch(
        f"/api/v1/projects/{foreign.pk}/", {"title": "Taken over"}, "application/json"
    )
    assert response.status_code == 404
    listed = {p["acronym"] for p in client.get("/api/v1/projects/").json()["results"]}
    assert "FDRAFT" not in listed

    # The member may see the draft but not edit the project: no more with a token.
    _token, key = token_for(world, role="member")
    draft = world["projects"]["draft"]
    response = bearer(key).patch(
        f"/api/v1/projects/{draft.pk}/",
        {"title": "Member's title"},
        "application/json",
    )
    assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.title != "Member's title"


def test_a_session_still_writes_without_a_token(client, world):
    draft = world["projects"]["draft"]
    client.force_login(world["people"]["leader"])
    response = client.patch(
        f"/api/v1/projects/{draft.pk}/",
        {"title": "Changed in a session"},
        "application/json",
    )
    assert response.status_code == 200


def test_last_use_is_noted_at_most_once_a_minute(world, django_assert_num_queries):
    token, key = token_for(world, scope="read")
    client = bearer(key)
    client.get("/api/v1/poles/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/poles/")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/poles/")
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=1)


def test_a_new_password_revokes_every_token(world):
    person = world["people"]["leader"]
    read, read_key = token_for(world, scope="read")
    write, write_key = token_for(world)
    person.set_password("a new long passphrase")
    person.save()
    assert not ApiToken.objects.filter(person=person, revoked_at=None).exists()
    assert bearer(read_key).get("/api/v1/projects/").status_code == 401
    assert bearer(write_key).get("/api/v1/projects/").status_code == 401


def test_other_saves_of_the_person_and_hash_upgrades_revoke_nothing(world, settings):
    person = world["people"]["leader"]
    token, _key = token_for(world)
    person.first_name = "Renamed"
    person.save()
    # A sign-in with a password hashed by an older hasher upgrades the hash: no revocation.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert person.check_password("demo")
    person.refresh_from_db()
    assert person.password.startswith("pbkdf2_")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_schema_declares_bearer_authentication(client, world):
    client.force_login(world["people"]["outsider"])
    schema = client.get("/api/schema/", headers={"Accept": "application/json"})
    text = schema.content.decode()
    assert "tokenAuth" in text and "bearer" in text


def test_erasing_a_person_deletes_their_tokens(world):
    from portal.privacy import erase

    person = world["people"]["outsider"]
    _token, key = token_for(world, role="outsider")
    erase(person)
    assert not ApiToken.objects.filter(person=person).exists()
    assert bearer(key).get("/api/v1/projects/").status_code == 401
