"""Two-factor authentication (TOTP, django-otp): who must use it, codes, backup codes.

Signing in takes two steps for a person with a confirmed device: the password (the sign-in
form, throttled by django-axes, see portal/signin.py), then a 6-digit code from an
authenticator app or a backup code (``signin_code``). Between the two the session is signed
in but not verified (django-otp's ``request.user.is_verified()``), and
``TwoFactorMiddleware`` lets it reach only the code page, the setup pages and sign-out.

Pole staff, funder reviewers and admins (``is_staff``/``is_superuser``) must use it when
``REQUIRE_TWO_FACTOR`` is on: without a device they are sent to the setup page before
anything else. Anyone else may turn it on from /account/two-factor/.

Wrong codes count as failed sign-ins (django-axes, per account and per address);
``TWO_FACTOR_CODE_ATTEMPTS`` wrong codes end the half-signed-in session.

Backup codes live in django-otp's static device, whose tokens it stores as they are: we store
a keyed hash of each code instead (``backup_code_hash``), so that a copy of the database
alone gives none of them away.
"""

import base64
import re
import secrets
import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
# The demo accounts' key, published in the README so that anyone trying the demo can sign
# in (``manage.py demo_code``). Never given to anyone but by seed_demo and the tests.
DEMO_KEY = "GRAPPEDEMOKEYGRAPPEDEMOKEYGRAPPE"
FAILURES = "grappe_2fa_failures"
# When the session last found nothing to ask of its person (neither a device nor a role that
# requires one): checked again after RECHECK_SECONDS rather than on every request.
CLEAR_AT = "grappe_2fa_clear_at"
RECHECK_SECONDS = 300


# -- Who and what --------------------------------------------------------------------------


def required_for(user):
    """Whether ``user`` must use two-factor authentication (``REQUIRE_TWO_FACTOR``)."""
    return settings.REQUIRE_TWO_FACTOR and role_requires(user)


def role_requires(user):
    """Whether ``user``'s role calls for two-factor authentication: pole staff, funder
    reviewers, admins (``is_staff`` or ``is_superuser``)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    person = get_user_model().objects.filter(pk=user.pk)
    return person.filter(Q(polestaff__isnull=False) | Q(reviewer_for__isnull=False)).exists()


def has_device(user):
    return any(True for _device in devices_for_user(user, confirmed=True))


def authenticator(user):
    """The person's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_step(request):
    """What the signed-in person must do before anything else: "code" (type a code), "setup"
    (set up a device) or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    session = request.session
    if time.time() - session.get(CLEAR_AT, 0) < RECHECK_SECONDS:
        return None
    if has_device(user):
        return "code"
    if required_for(user):
        return "setup"
    session[CLEAR_AT] = int(time.time())
    return None


@receiver(user_logged_in)
def look_at_sign_in(sender, request, user, **kwargs):
    """A new sign-in looks at the devices and the role again, while the session is being
    written anyway (not on the next page, which would write it once more)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(FAILURES, None)
        if has_device(user) or required_for(user):
            request.session.pop(CLEAR_AT, None)
        else:
            request.session[CLEAR_AT] = int(time.time())


# -- Codes ---------------------------------------------------------------------------------


def normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def backup_code_hash(code, secret=None):
    """What is stored of a backup code: a keyed hash (HMAC-SHA256 with the SECRET_KEY),
    16 characters to fit django-otp's token field."""
    digest = salted_hmac(
        "grappe.two_factor.backup_code", normalise(code), secret=secret, algorithm="sha256"
    )
    return base64.urlsafe_b64encode(digest.digest()).decode()[:16]


def check_code(user, code):
    """The device that accepts ``code`` (6 digits: the authenticator app; otherwise a backup
    code, used up), or None."""
    code = normalise(code)
    if re.fullmatch(r"\d{6}", code):
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    if not re.fullmatch(r"[a-z2-7]{10}", code):
        return None
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    # Codes hashed with a previous SECRET_KEY still work while it is among the fallbacks.
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if device.verify_token(backup_code_hash(code, secret)):
            return device
    return None


def code_at(key_hex, step=None):
    """The 6-digit code of a TOTP key at a time step (now if None)."""
    totp = TOTP(bytes.fromhex(key_hex))
    if step is not None:
        totp.time = step * totp.step
    return f"{totp.token():06d}"


def next_code(device):
    """The code ``device`` accepts next: the current one, or the following one when the
    current one was already used (a code is good once)."""
    device.refresh_from_db(fields=["last_t"])
    now = TOTP(device.bin_key, device.step, device.t0).t()
    return code_at(device.key, max(now, device.last_t + 1))


def demo_key_hex():
    return base64.b32decode(DEMO_KEY).hex()


# -- Changes -------------------------------------------------------------------------------


def start_setup(user):
    """The person's authenticator being set up: unconfirmed until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False
    )


@transaction.atomic
def new_backup_codes(user):
    """BACKUP_CODES fresh backup codes, replacing any left; returned once, stored hashed."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Backup codes"), confirmed=True)
    codes = [base64.b32encode(secrets.token_bytes(10)).decode()[:10].lower() for _ in range(10)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=backup_code_hash(code)) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def confirm_setup(request, device):
    """The device confirmed by a right code: it replaces any other, the session counts as
    verified, and the person gets backup codes (returned, to show once)."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(device.user)
    mark_verified(request, device)
    return codes


def mark_verified(request, device):
    request.session.cycle_key()  # a session that gains a privilege gets a new key
    otp_login(request, device)
    request.session.pop(FAILURES, None)


def mark_session_verified(session, user, device_name):
    """What ``mark_verified`` does, for a session made without a request (a test client's
    ``force_login``, the benchmark's): it counts as verified with ``user``'s confirmed
    authenticator, one named ``device_name`` made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name=device_name, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@transaction.atomic
def reset(person):
    """Every device of ``person`` deleted (a lost phone): they set one up at next sign-in if
    their role requires it."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=person).delete()


@transaction.atomic
def give_demo_device(person):
    """A confirmed authenticator with the published DEMO_KEY (demo accounts, tests)."""
    TOTPDevice.objects.filter(user=person).delete()
    return TOTPDevice.objects.create(user=person, name="Demo", key=demo_key_hex(), confirmed=True)


def count_wrong_code(request):
    """A wrong code counts as a failed sign-in (django-axes, per account and per address);
    returns True when it ends the half-signed-in session."""
    failures = request.session.get(FAILURES, 0) + 1
    request.session[FAILURES] = failures
    auth.user_login_failed.send(
        sender=__name__, credentials={"username": request.user.email}, request=request
    )
    if failures >= settings.TWO_FACTOR_CODE_ATTEMPTS or getattr(request, "axes_locked_out", False):
        auth.logout(request)
        return True
    return False


# -- Middleware ----------------------------------------------------------------------------


def _open_paths():
    return (
        reverse("signin_code"),
        reverse("two_factor_setup"),
        reverse("logout"),
        reverse("login"),
        reverse("set_language"),
        reverse("healthz"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class TwoFactorMiddleware:
    """Sends a signed-in person who still owes a code to the code page, and one whose role
    requires a device they do not have to the setup page; the API answers 403. After
    django-otp's OTPMiddleware and the session lifetime middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith(_open_paths()):
            step = pending_step(request)
            if step is not None:
                return self.refuse(request, step)
        return self.get_response(request)

    def refuse(self, request, step):
        if request.path.startswith("/api/"):
            message = (
                _("Type the code of your authenticator app on the sign-in page first.")
                if step == "code"
                else _("Set up two-factor authentication first (your role requires it).")
            )
            return JsonResponse({"detail": message}, status=403)
        target = reverse("signin_code" if step == "code" else "two_factor_setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)
