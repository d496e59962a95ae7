"""Two-factor authentication (TOTP): required for pole staff, funder reviewers and admins,
optional for others; the sign-in's second step, its throttling, backup codes, the API, the
admin's reset, the demo key. Every sign-in here goes through the forms (``force_login``
completes both steps, see tests/conftest.py)."""

import io
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from funding.models import Funder
from funding.services import add_reviewer
from portal import two_factor
from portal.models import Person, Pole
from portal.services import add_pole_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

PASSWORD = "s3cret-Passw0rd"
HERE = "192.0.2.10"
SETUP = "/account/two-factor/setup/"
CODE = "/accounts/login/code/"


def person(email="camille@example.fr", **fields):
    return Person.objects.create_user(email, PASSWORD, first_name="Camille", **fields)


def pole_staff():
    staff = person("staff@example.fr")
    add_pole_staff(Pole.objects.create(name="Pôle Test", kind=Pole.Kind.COMPETITIVENESS), staff)
    return staff


def reviewer():
    someone = person("reviewer@example.fr")
    add_reviewer(Funder.objects.create(name="Bpifrance", kind="public"), someone)
    return someone


def sign_in(client, who, path="/accounts/login/"):
    return client.post(path, {"username": who.email, "password": PASSWORD}, REMOTE_ADDR=HERE)


def type_code(client, code, next_url=""):
    return client.post(CODE, {"code": code, "next": next_url}, REMOTE_ADDR=HERE)


def wrong_code(device):
    """A 6-digit code the device does not accept now (nor one step before or after)."""
    totp = TOTP(device.bin_key)
    now = totp.t()
    good = {two_factor.code_at(device.key, step) for step in (now - 1, now, now + 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in good)


def with_device(who):
    """``who`` with a confirmed authenticator and backup codes, as after the setup."""
    device = TOTPDevice.objects.create(user=who, name="Phone", confirmed=True)
    return device, two_factor.new_backup_codes(who)


def lands_on(client, url="/"):
    response = client.get(url)
    return response["Location"] if response.status_code == 302 else response.status_code


# Who must use it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pole_staff,
        reviewer,
        lambda: person("root@example.fr", is_staff=True, is_superuser=True),
        lambda: person("admin@example.fr", is_staff=True),
    ],
    ids=["pole staff", "funder reviewer", "superuser", "is_staff"],
)
def test_required_roles_are_sent_to_the_setup_before_anything_else(client, make):
    who = make()
    assert sign_in(client, who).status_code == 302
    for url in ["/", "/projects/", "/directory/", "/admin/", "/account/two-factor/"]:
        assert lands_on(client, url).startswith(SETUP), url
    assert lands_on(client, "/projects/?state=submitted") == (
        SETUP + "?next=%2Fprojects%2F%3Fstate%3Dsubmitted"
    )
    htmx = client.get("/projects/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(SETUP)

    page = client.get(SETUP)
    assert page.status_code == 200 and "requires two-factor authentication" in page.text
    svg = re.search(r"<svg.*?</svg>", page.text, re.S).group(0)
    assert "style" not in svg and "<script" not in page.text.split("<main")[1]
    device = TOTPDevice.objects.get(user=who, confirmed=False)
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page.text).group(1).replace(" ", "")
    assert bytes.fromhex(device.key) == __import__("base64").b32decode(key)

    client.post("/accounts/logout/")
    assert lands_on(client).startswith("/accounts/login/")


def test_others_are_not_asked_anything(client):
    outsider = person()
    sign_in(client, outsider)
    assert lands_on(client) == 200
    page = client.get("/account/two-factor/")
    assert page.status_code == 200 and "Off: signing in asks only for your password" in page.text


def test_nobody_is_required_when_the_setting_is_off(client, settings):
    settings.REQUIRE_TWO_FACTOR = False
    staff = pole_staff()
    sign_in(client, staff)
    assert lands_on(client) == 200
    # but whoever has a device is still asked for its code
    client.post("/accounts/logout/")
    with_device(staff)
    sign_in(client, staff)
    assert lands_on(client).startswith(CODE)


# Setting it up -----------------------------------------------------------------------------


def test_the_setup_refuses_a_wrong_code(client):
    staff = pole_staff()
    sign_in(client, staff)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200 and "This code does not match" in response.text
    device.refresh_from_db()
    assert not device.confirmed and not StaticToken.objects.exists()
    assert lands_on(client).startswith(SETUP)


def test_the_right_code_confirms_the_setup_and_shows_ten_backup_codes_once(client):
    staff = pole_staff()
    sign_in(client, staff)
    client.get(SETUP)
    client.get(SETUP)  # the same key until confirmed
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(SETUP, {"code": two_factor.next_code(device), "next": "/projects/"})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>", response.text)
    assert len(set(codes)) == 10 and 'href="/projects/"' in response.text
    device.refresh_from_db()
    assert device.confirmed

    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(stored) == 10  # kept hashed: no code, with or without its dash, is stored
    assert not stored & {c for code in codes for c in (code, code.replace("-", ""))}

    assert lands_on(client) == 200  # this session is verified
    assert lands_on(client, SETUP) == "/account/two-factor/"  # set up once
    page = client.get("/account/two-factor/")
    assert "10 backup codes left" in page.text and "cannot be turned off" in page.text


# Signing in with a code --------------------------------------------------------------------


def test_signing_in_asks_for_the_code_then_goes_where_one_was_going(client):
    staff = pole_staff()
    device, _codes = with_device(staff)
    sign_in(client, staff)
    assert lands_on(client, "/projects/") == CODE + "?next=%2Fprojects%2F"
    page = client.get(CODE + "?next=/projects/")
    assert "Type your code" in page.text and 'value="/projects/"' in page.text

    response = type_code(client, two_factor.next_code(device), "/projects/")
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert lands_on(client) == 200
    assert lands_on(client, CODE) == "/"  # nothing more to type


def test_a_code_is_good_once(client):
    staff = pole_staff()
    device, _codes = with_device(staff)
    code = two_factor.next_code(device)
    sign_in(client, staff)
    assert type_code(client, code).status_code == 302

    other = Client()
    sign_in(other, staff)
    assert type_code(other, code).status_code == 200  # replayed: refused
    assert lands_on(other).startswith(CODE)


def test_wrong_codes_count_as_failed_sign_ins_and_five_end_the_half_signed_in_state(client):
    staff = pole_staff()
    device, _codes = with_device(staff)
    sign_in(client, staff)
    for tries in range(1, 5):
        response = type_code(client, wrong_code(device))
        assert response.status_code == 200 and "This code is not right" in response.text
        failures = AccessAttempt.objects.get(username=staff.email).failures_since_start
        assert failures == tries
    assert "wrong" not in AccessAttempt.objects.get().post_data  # the codes are not logged
    assert wrong_code(device) not in AccessAttempt.objects.get().post_data

    response = type_code(client, wrong_code(device))
    assert response.status_code == 429  # signed out, and the account is blocked a while
    assert lands_on(client).startswith("/accounts/login/")
    assert type_code(client, two_factor.next_code(device)).status_code == 302  # not signed in
    assert lands_on(client).startswith("/accounts/login/")
    assert sign_in(client, staff).status_code == 429


def test_the_code_limit_holds_even_when_sign_in_failures_allow_more(client, settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = settings.AXES_FAILURE_LIMIT = 50
    staff = pole_staff()
    device, _codes = with_device(staff)
    sign_in(client, staff)
    for _ in range(4):
        assert type_code(client, wrong_code(device)).status_code == 200
    response = type_code(client, wrong_code(device))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "Too many wrong codes" in client.get("/accounts/login/").text
    assert lands_on(client).startswith("/accounts/login/")


def test_a_backup_code_signs_in_once(client):
    staff = pole_staff()
    _device, codes = with_device(staff)
    sign_in(client, staff)
    response = type_code(client, codes[3].upper().replace("-", " "))  # as typed from paper
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "backup code: 9 left" in home.text

    other = Client()
    sign_in(other, staff)
    assert type_code(other, codes[3]).status_code == 200
    assert lands_on(other).startswith(CODE)
    assert type_code(other, codes[4]).status_code == 302


def test_new_backup_codes_replace_the_old_ones(client):
    outsider = person()
    _device, old = with_device(outsider)
    client.force_login(outsider)  # not required: force_login gives nothing, so verify
    type_code(client, two_factor.next_code(_device))
    response = client.post("/account/two-factor/backup-codes/")
    new = re.findall(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=outsider).count() == 10
    assert two_factor.check_code(outsider, old[0]) is None
    assert two_factor.check_code(outsider, new[0]) is not None


# The API -----------------------------------------------------------------------------------


def test_the_api_refuses_a_session_until_its_code_is_typed(client):
    staff = pole_staff()
    device, _codes = with_device(staff)
    sign_in(client, staff)
    response = client.get("/api/v1/projects/")
    assert response.status_code == 403
    assert "authenticator" in response.json()["detail"]
    type_code(client, two_factor.next_code(device))
    assert client.get("/api/v1/projects/").status_code == 200


def test_the_api_refuses_a_required_role_without_a_device(client):
    sign_in(client, reviewer())
    response = client.get("/api/v1/projects/")
    assert response.status_code == 403 and "Set up two-factor" in response.json()["detail"]


# Optional for others -----------------------------------------------------------------------


def test_anyone_may_turn_it_on_and_off(client):
    outsider = person()
    sign_in(client, outsider)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=outsider)
    assert client.post(SETUP, {"code": two_factor.next_code(device)}).status_code == 200

    client.post("/accounts/logout/")
    sign_in(client, outsider)
    assert lands_on(client).startswith(CODE)  # asked from now on
    type_code(client, two_factor.next_code(device))

    response = client.post("/account/two-factor/disable/", {"code": wrong_code(device)})
    assert TOTPDevice.objects.filter(user=outsider).exists()
    response = client.post(
        "/account/two-factor/disable/", {"code": two_factor.next_code(device)}, follow=True
    )
    assert "Two-factor authentication is off" in response.text
    assert not TOTPDevice.objects.filter(user=outsider).exists()
    assert not StaticToken.objects.filter(device__user=outsider).exists()
    client.post("/accounts/logout/")
    sign_in(client, outsider)
    assert lands_on(client) == 200


def test_a_required_role_cannot_turn_it_off(client):
    staff = pole_staff()
    client.force_login(staff)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(
        "/account/two-factor/disable/", {"code": two_factor.next_code(device)}, follow=True
    )
    assert "Your role requires two-factor authentication" in response.text
    assert TOTPDevice.objects.filter(user=staff).exists()


# Reset by an administrator -----------------------------------------------------------------


def test_a_superuser_resets_a_persons_devices_in_the_admin(client):
    staff = pole_staff()
    with_device(staff)
    admin = Client()
    admin.force_login(person("root@example.fr", is_staff=True, is_superuser=True))
    response = admin.post(
        "/admin/portal/person/",
        {"action": "reset_two_factor", "_selected_action": [staff.pk]},
        follow=True,
    )
    assert "Two-factor authentication reset for 1 person" in response.text
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticToken.objects.filter(device__user=staff).exists()

    sign_in(client, staff)
    assert lands_on(client).startswith(SETUP)  # sets it up again


def test_pole_staff_cannot_reset_anyone(client):
    outsider = person()
    with_device(outsider)
    client.force_login(pole_staff())
    client.post(
        "/admin/portal/person/", {"action": "reset_two_factor", "_selected_action": [outsider.pk]}
    )
    assert TOTPDevice.objects.filter(user=outsider).exists()


# Tests and demo ----------------------------------------------------------------------------


def test_force_login_completes_both_steps_for_the_tests(client):
    staff = pole_staff()
    client.force_login(staff)
    assert lands_on(client) == 200 and client.get("/api/v1/projects/").status_code == 200


def test_demo_code_prints_the_code_of_the_published_demo_key_only(client):
    staff = pole_staff()
    device = two_factor.give_demo_device(staff)
    out = io.StringIO()
    call_command("demo_code", "Staff@Example.fr", stdout=out)
    code = out.getvalue().strip()
    assert code == two_factor.code_at(two_factor.demo_key_hex(), TOTP(device.bin_key).t())
    sign_in(client, staff)
    assert type_code(client, code).status_code == 302 and lands_on(client) == 200

    other = reviewer()
    with_device(other)  # a real, random key
    with pytest.raises(CommandError):
        call_command("demo_code", other.email, stdout=io.StringIO())
