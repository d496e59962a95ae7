import re

import pytest
from django.core import mail

from portal.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return Person.objects.create_user("camille@example.fr", "s3cret-Passw0rd", first_name="Camille")


def test_sign_in_with_email_and_land_on_home(client, person):
    response = client.post(
        "/accounts/login/", {"username": "Camille@Example.fr", "password": "s3cret-Passw0rd"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Camille" in client.get("/").content.decode()


def test_wrong_password_is_told_and_nobody_is_signed_in(client, person):
    response = client.post("/accounts/login/", {"username": person.email, "password": "nope"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert client.get("/").status_code == 302


def test_pages_ask_to_sign_in(client):
    for url in ["/", "/projects/", "/directory/", "/projects/1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/projects/").status_code in (401, 403)


def test_sign_out(client, person):
    client.force_login(person)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_by_email(client, person):
    response = client.post("/accounts/password_reset/", {"email": person.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "An0ther-Passw0rd", "new_password2": "An0ther-Passw0rd"}
    )
    assert response.status_code == 302
    assert client.login(username=person.email, password="An0ther-Passw0rd")


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Inès",
            "last_name": "Martin",
            "email": "Ines.Martin@Example.fr",
            "password1": "Vert-Galant-2026",
            "password2": "Vert-Galant-2026",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get().email == "ines.martin@example.fr"
    assert client.get("/").status_code == 200


def test_sign_up_with_an_email_already_taken_says_so(client, person):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Autre",
            "email": "CAMILLE@example.fr",
            "password1": "Vert-Galant-2026",
            "password2": "Vert-Galant-2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert Person.objects.count() == 1


def test_email_is_unique_whatever_its_case_in_the_database(person):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Person(email="CAMILLE@EXAMPLE.FR").full_clean(exclude=["password"])
    assert "email" in error.value.message_dict or "__all__" in error.value.message_dict
