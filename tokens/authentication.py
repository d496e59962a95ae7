"""The API's token authentication: ``Authorization: Bearer <token>``.

``Token <token>`` is accepted as well (the header the API documented first). A token acts
with its person's own permissions, never more; its scope may allow less (``TokenScope``)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from . import services
from .models import ApiToken

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
            return None  # not ours: the session, or no credentials at all
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: give 'Bearer' and the token, with one space.")
            )
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid API token.")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        token = services.find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid API token."))
        if token.state == ApiToken.State.REVOKED:
            raise exceptions.AuthenticationFailed(_("This API token has been revoked."))
        if token.state == ApiToken.State.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _("This API token expired on %(date)s: make a new one on your API tokens page.")
                % {
                    "date": formats.date_format(
                        timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT"
                    )
                }
            )
        if not token.person.is_active:
            raise exceptions.AuthenticationFailed(_("This account is disabled."))
        services.note_use(token)
        return token.person, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 (with this challenge) rather than a 403.
        return 'Bearer realm="api"'
