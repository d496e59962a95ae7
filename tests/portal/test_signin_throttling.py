"""Sign-in throttling (per account and per address, cool-off, unlock in the admin) and how
long a session lasts (idle and absolute limits, sign-out elsewhere on a password change)."""

import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.utils import timezone

from portal.models import Person
from portal.signin import SEEN_AT, SIGNED_IN_AT, client_address

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-Passw0rd"
HERE, ELSEWHERE = "192.0.2.10", "198.51.100.20"
BLOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def person():
    return Person.objects.create_user("camille@example.fr", PASSWORD, first_name="Camille")


def sign_in(client, email, password=PASSWORD, address=HERE, path="/accounts/login/"):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail(client, email, times, address=HERE):
    for _ in range(times):
        response = sign_in(client, email, "wrong-password", address)
    return response


def signed_in(client):
    return client.get("/").status_code == 200


def text(response):
    """The page without what changes from one response to the next (CSRF tokens)."""
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.text)


# Per account ------------------------------------------------------------------------------


def test_an_account_is_blocked_after_five_failures_even_with_the_right_password(client, person):
    assert fail(client, person.email, 4).status_code == 200  # the form again, with its error
    response = fail(client, person.email, 1)
    assert response.status_code == 429 and BLOCKED in response.text
    assert "ask a Grappe administrator" in response.text
    assert int(response["Retry-After"]) == 15 * 60

    response = sign_in(client, person.email)
    assert response.status_code == 429 and not signed_in(client)
    # from another address too: the account itself is protected
    assert sign_in(client, person.email, address=ELSEWHERE).status_code == 429


def test_another_account_signs_in_from_the_same_address(client, person):
    other = Person.objects.create_user("dominique@example.fr", PASSWORD)
    fail(client, person.email, 5)
    assert sign_in(client, other.email).status_code == 302 and signed_in(client)


def test_the_e_mail_counts_whatever_its_case(client, person):
    fail(client, "Camille@Example.FR", 3)
    fail(client, "camille@example.fr ", 2)
    assert sign_in(client, person.email).status_code == 429


def test_the_refusal_does_not_tell_whether_the_account_exists(client, person):
    wrong_existing = sign_in(client, person.email, "wrong-password")
    wrong_unknown = sign_in(client, "nobody@example.fr", "wrong-password")
    assert text(wrong_existing) == text(wrong_unknown).replace("nobody@", "camille@")

    blocked_existing = fail(client, person.email, 4)
    blocked_unknown = fail(client, "nobody@example.fr", 4)
    assert blocked_existing.status_code == blocked_unknown.status_code == 429
    assert text(blocked_existing) == text(blocked_unknown)
    assert "nobody" not in blocked_unknown.text and "camille" not in blocked_existing.text


def test_a_successful_sign_in_forgets_the_account_failures(client, person):
    fail(client, person.email, 4)
    assert sign_in(client, person.email).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, person.email, 4).status_code == 200
    assert sign_in(client, person.email).status_code == 302


# Per address ------------------------------------------------------------------------------


def test_an_address_is_blocked_after_twenty_failures_on_any_accounts(client, person):
    for i in range(19):
        assert sign_in(client, f"guess{i}@example.fr", "wrong").status_code == 200
    response = sign_in(client, "guess19@example.fr", "wrong")
    assert response.status_code == 429 and BLOCKED in response.text
    # every account is refused from that address, and signs in from another one
    assert sign_in(client, person.email).status_code == 429 and not signed_in(client)
    assert sign_in(client, person.email, address=ELSEWHERE).status_code == 302


def test_signing_in_to_ones_own_account_does_not_forget_the_address_failures(
    client, person, settings
):
    settings.SIGNIN_FAILURES_PER_ADDRESS = 6
    fail(client, "victim@example.fr", 4)
    assert sign_in(client, person.email).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, "another-victim@example.fr", 1).status_code == 200
    assert fail(client, "another-victim@example.fr", 1).status_code == 429


def test_a_forged_forwarded_for_header_does_not_change_the_address(client, person, settings):
    settings.SIGNIN_FAILURES_PER_ADDRESS = 3
    for i in range(3):
        client.post(
            "/accounts/login/",
            {"username": f"guess{i}@example.fr", "password": "wrong"},
            REMOTE_ADDR=HERE,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert sign_in(client, person.email).status_code == 429


def test_behind_a_proxy_the_address_is_the_last_one_it_forwarded(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7"
    )
    assert client_address(request) == "127.0.0.1"  # not configured: the header is ignored
    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    assert client_address(request) == "203.0.113.7"
    no_header = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_address(no_header) == "127.0.0.1"


# Cool-off and unlock ----------------------------------------------------------------------


def test_the_block_ends_after_the_cool_off(client, person):
    fail(client, person.email, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert sign_in(client, person.email).status_code == 429  # and that failure starts it again
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, person.email).status_code == 302 and signed_in(client)


def test_a_superuser_sees_the_blocked_accounts_and_unblocks_one_in_the_admin(client, person):
    fail(client, person.email, 5)
    admin = Client()
    admin.force_login(Person.objects.create_superuser("root@example.fr", "Adm1n-Passw0rd"))
    listing = admin.get("/admin/axes/accessattempt/", {"locked_out": "yes"})
    assert listing.status_code == 200 and person.email in listing.text

    attempts = AccessAttempt.objects.filter(username=person.email)
    response = admin.post(
        "/admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": list(attempts.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302 and not attempts.exists()
    assert sign_in(client, person.email).status_code == 302 and signed_in(client)


def test_pole_staff_who_are_not_superusers_do_not_see_the_attempts(client, person):
    fail(client, person.email, 5)
    staff = Person.objects.create_user("staff@example.fr", PASSWORD, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


# Other ways in ----------------------------------------------------------------------------


def test_a_blocked_account_gets_no_session_for_the_api_either(client, person):
    fail(client, person.email, 5)
    assert sign_in(client, person.email).status_code == 429
    assert client.get("/api/v1/projects/").status_code in (401, 403)


def test_the_api_takes_no_password_that_would_escape_the_throttling(client, person):
    import base64

    basic = base64.b64encode(f"{person.email}:{PASSWORD}".encode()).decode()
    response = client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 401


def test_the_admin_sign_in_is_throttled_with_the_same_count(client, person):
    root = Person.objects.create_superuser("root@example.fr", "Adm1n-Passw0rd")
    fail(client, root.email, 5)
    response = sign_in(client, root.email, "Adm1n-Passw0rd", path="/admin/login/")
    assert response.status_code == 429 and BLOCKED in response.text
    assert client.get("/admin/").status_code == 302


# Sessions ---------------------------------------------------------------------------------


def test_sessions_last_eight_hours_idle_and_twelve_at_most(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_MAX_AGE == 12 * 3600
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # moved on once a minute instead


def test_session_and_throttling_limits_come_from_the_environment():
    env = {
        **os.environ,
        "SESSION_IDLE_SECONDS": "1800",
        "SESSION_MAX_SECONDS": "36000",
        "SIGNIN_FAILURES_PER_ACCOUNT": "3",
        "SIGNIN_FAILURES_PER_ADDRESS": "50",
        "SIGNIN_LOCKOUT_MINUTES": "30",
        "CLIENT_ADDRESS_HEADER": "X-Real-IP",
    }
    code = (
        "import json, portal.settings as s; print(json.dumps([s.SESSION_COOKIE_AGE, "
        "s.SESSION_MAX_AGE, s.AXES_FAILURE_LIMIT, s.SIGNIN_FAILURES_PER_ADDRESS, "
        "s.AXES_COOLOFF_TIME.total_seconds(), s.CLIENT_ADDRESS_HEADER]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [1800, 36000, 3, 50, 1800.0, "X-Real-IP"]


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_an_active_session_moves_its_idle_expiry_on(client, person):
    sign_in(client, person.email)
    soon = timezone.now() + datetime.timedelta(hours=1)
    Session.objects.update(expire_date=soon)
    client.get("/")  # signed in less than a minute ago: nothing written
    assert session_row(client).expire_date == soon

    session = client.session
    session[SEEN_AT] -= 61
    session.save()
    Session.objects.update(expire_date=soon)
    assert signed_in(client)
    assert session_row(client).expire_date > timezone.now() + datetime.timedelta(
        hours=7, minutes=59
    )


def test_an_idle_session_expires(client, person):
    sign_in(client, person.email)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not signed_in(client)


def test_a_session_ends_twelve_hours_after_signing_in_however_active(client, person):
    sign_in(client, person.email)
    session = client.session
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time()) - 12 * 3600 - 1
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Your session has expired" in response.text
    assert not signed_in(client)


def test_changing_ones_password_signs_out_the_other_sessions_only(person):
    here, there = Client(), Client()
    sign_in(here, person.email)
    sign_in(there, person.email, address=ELSEWHERE)
    response = here.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "An0ther-Passw0rd",
            "new_password2": "An0ther-Passw0rd",
        },
    )
    assert response.status_code == 302
    assert signed_in(here) and not signed_in(there)
