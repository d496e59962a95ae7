"""Sign-in: how many tries it takes (django-axes) and how long a sign-in lasts.

Throttling: every password check made with a request (the sign-in form, the admin's, any
password-based API authentication) goes through django-axes. Failures are counted per
account (the e-mail typed, whether or not such an account exists) and per client address,
within ``SIGNIN_LOCKOUT_MINUTES`` of the last failure; past ``SIGNIN_FAILURES_PER_ACCOUNT``
or ``SIGNIN_FAILURES_PER_ADDRESS``, sign-in is refused until the cool-off has passed or a
superuser deletes the attempts in the admin ("Access attempts").

Lifetime: a session ends after ``SESSION_COOKIE_AGE`` seconds without a request (idle) and in
any case ``SESSION_MAX_AGE`` seconds after signing in (absolute).
"""

import ipaddress
import time

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q, Sum
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# -- Throttling ---------------------------------------------------------------------------


def account_name(request, credentials):
    """The account an attempt is counted against: the e-mail as typed, in lower case (e-mails
    sign in whatever their case). ``AXES_USERNAME_CALLABLE``."""
    credentials = credentials or {}
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    name = credentials.get("username") or credentials.get("email") or data.get("username")
    return str(name).strip().lower() if name else None


def client_address(request):
    """The address a request comes from: ``REMOTE_ADDR``, or, behind a reverse proxy that sets
    it (``CLIENT_ADDRESS_HEADER``), the last address of that header: the one the proxy itself
    saw and appended, which a client cannot forge. ``AXES_CLIENT_IP_CALLABLE``."""
    meta = request.META
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        forwarded = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass  # no header (a request that did not come through the proxy): the peer
    return meta.get("REMOTE_ADDR") or None


class SigninHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own per address: Axes compares one number
    with ``AXES_FAILURE_LIMIT`` (the per-account limit), so an address that reached
    ``SIGNIN_FAILURES_PER_ADDRESS`` counts as reaching it."""

    def get_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        counts = recent.aggregate(
            account=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start", filter=Q(ip_address=request.axes_ip_address)),
        )
        account = (counts["account"] or 0) if username else 0
        if (counts["address"] or 0) >= settings.SIGNIN_FAILURES_PER_ADDRESS:
            return max(account, settings.AXES_FAILURE_LIMIT)
        return account

    def reset_user_attempts(self, request, credentials=None):
        """A successful sign-in forgets the account's failures, not the address's: otherwise
        signing in to one's own account between guesses would reset the address's count."""
        username = get_client_username(request, credentials)
        deleted, _rows = AccessAttempt.objects.filter(username=username).delete()
        return deleted


class SigninBackend(AxesStandaloneBackend):
    """Axes' backend (first in AUTHENTICATION_BACKENDS: refuses a locked-out sign-in before any
    password is checked). Every sign-in over the web passes its request; a check without one
    (the shell, the test client's ``login()``) has no address to count and is let through to
    the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """What a refused sign-in answers (``AXES_LOCKOUT_CALLABLE``): the same for an account that
    exists or not, and whether the account or the address is blocked, so that it tells an
    attacker nothing."""
    minutes = settings.SIGNIN_LOCKOUT_MINUTES
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": signin_blocked_message(minutes)}, status=429)
    else:
        response = render(
            request, "registration/signin_blocked.html", {"minutes": minutes}, status=429
        )
    response["Retry-After"] = str(minutes * 60)
    return response


def signin_blocked_message(minutes):
    return ngettext(
        "Too many failed sign-in attempts. Signing in is blocked for %(minutes)s minute: "
        "wait and try again, or ask a Grappe administrator to unblock it.",
        "Too many failed sign-in attempts. Signing in is blocked for %(minutes)s minutes: "
        "wait and try again, or ask a Grappe administrator to unblock it.",
        minutes,
    ) % {"minutes": minutes}


# -- Lifetime -----------------------------------------------------------------------------

SIGNED_IN_AT = "grappe_signed_in_at"
SEEN_AT = "grappe_seen_at"
# An active session is saved (and its idle expiry moved on) at most this often, not on every
# request: one write a minute per person instead of one per page.
REFRESH_SECONDS = 60


@receiver(user_logged_in)
def note_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """Signs out a session older than ``SESSION_MAX_AGE``; moves the idle expiry
    (``SESSION_COOKIE_AGE``) of an active session on. After the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if auth.SESSION_KEY in session:
            now = int(time.time())
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)  # sessions from before
            if now - signed_in_at > settings.SESSION_MAX_AGE:
                auth.logout(request)
                messages.info(request, _("Your session has expired: please sign in again."))
            elif now - session.get(SEEN_AT, signed_in_at) >= REFRESH_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)
