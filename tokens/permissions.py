"""Who may see and do what with API tokens: a person, their own tokens only; and what a
token's scope lets its holder do through the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


def own_tokens(person):
    """The tokens ``person`` may see and revoke: their own, never anyone else's."""
    if not person.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(person=person)


class TokenScope(BasePermission):
    """A read-only token reads (GET, HEAD, OPTIONS) and nothing else. Requests signed in
    with a session, or with a read-write token, pass: what they may then do is the person's
    own permissions, checked by each view."""

    message = _("This API token is read-only: it may only read (GET, HEAD, OPTIONS).")

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in SAFE_METHODS
        return True
