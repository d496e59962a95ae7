"""Making, using and revoking API tokens."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from portal.modelutils import update_announced

from .models import DEFAULT_DAYS, PREFIX_LENGTH, ApiToken, hash_key

# last_used_at is written at most this often per token, not on every request.
TOUCH_SECONDS = 60


@transaction.atomic
def create_token(person, *, name, scope=ApiToken.Scope.READ, days=DEFAULT_DAYS):
    """Make a token for ``person``; returns it with its secret, which is never kept: the
    caller shows it once."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        person=person,
        name=name,
        scope=scope,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, key


def find_token(key):
    """The token whose secret is ``key``, whatever its state, or None. Looked up by the hash of
    the key, so no comparison of secrets happens whose timing could leak one."""
    return ApiToken.objects.select_related("person").filter(key_hash=hash_key(key)).first()


def note_use(token):
    """Record that the token was used, at most once every ``TOUCH_SECONDS``."""
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < TOUCH_SECONDS:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def revoke_token(token):
    """Revoke one token; revoking it again keeps the first date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])  # the audit trail records it
    return token


@transaction.atomic
def revoke_all(person):
    """Revoke every token of ``person`` that is not revoked yet; returns how many."""
    active = ApiToken.objects.filter(person=person, revoked_at=None).select_for_update()
    return update_announced(active, revoked_at=timezone.now())
