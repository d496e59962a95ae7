"""The audit trail: one row for every create, change and delete of the money, the states and
the permissions (``registry.TRACKED``), with who, when, from which address, and each field's
value before and after. Rows are only ever added: nothing in the portal changes them (no form,
no API, no admin page), except the erasure of a person (``privacy.erase``) and the retention
of addresses (``apply_retention``), which both only remove personal data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    at = models.DateTimeField(_("when"), default=timezone.now)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    object_repr = models.CharField(_("object"), max_length=300)
    # What the object belongs to, kept as plain ids (no database constraint): the trail of a
    # deleted project or pole stays, with the ids that say whose it was.
    project_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    pole_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # [{"field": name, "before": value, "after": value}], values as stored (JSON).
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_newest"),
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object"),
            models.Index(fields=["who", "-at"], name="audit_who"),
        ]
        default_permissions = ()  # nobody is given a right to add, change or delete entries

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
