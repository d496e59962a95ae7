"""A person's API tokens: named, scoped, with an expiry; the secret itself is never stored.

The secret is shown once, when the token is made; the database keeps its SHA-256 (a secret of
256 random bits needs no salt nor slow hash: nobody can guess it back from the hash) and its
first characters, to recognise it in a list.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DAYS = 90
MAX_DAYS = 365
PREFIX_LENGTH = 8


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        if self.expires_at and self.created_at:
            if self.expires_at <= self.created_at:
                raise ValidationError({"expires_at": _("A token must expire after it is made.")})
            if self.expires_at > self.created_at + datetime.timedelta(days=MAX_DAYS):
                raise ValidationError(
                    {"expires_at": _("A token lasts %(days)s days at most.") % {"days": MAX_DAYS}}
                )

    @property
    def state(self):
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.ACTIVE

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE

    @property
    def read_only(self):
        return self.scope == self.Scope.READ
