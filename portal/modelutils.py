import contextvars

from django.core.exceptions import ValidationError
from django.db.models import F
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class StaleEdit(ValidationError):
    """The object changed since the person loaded it; ``current`` holds the newer values."""

    def __init__(self, current):
        super().__init__(
            _("Someone else saved a change meanwhile: check the newer values and save again."),
            code="stale",
        )
        self.current = current


# Sent by code that changes rows without ``save()`` (``bulk_update``), so that what follows
# every save (the audit trail) follows these too: ``sender`` the model, ``changes`` a list of
# (instance, {field name: (before, after)}).
rows_changed = Signal()

# True while a backup is loaded (``portal.backup.import_from``): receivers of signals that say
# nothing of it (many-to-many changes have no ``raw``) leave the rows as they were saved.
restoring = contextvars.ContextVar("restoring", default=False)


def update_announced(queryset, *, by=None, **values):
    """``queryset.update(**values)`` (plain values), announced with ``rows_changed`` with each
    row's values before, made by ``by``: what follows every save (the audit trail) follows it
    too."""
    rows = list(queryset)
    model = queryset.model
    updated = model._base_manager.filter(pk__in=[row.pk for row in rows]).update(**values)
    changes = []
    for row in rows:
        fields = {
            name: (getattr(row, name), value)
            for name, value in values.items()
            if getattr(row, name) != value
        }
        for name, value in values.items():
            setattr(row, name, value)
        row._history_user = by  # who, as django-simple-history reads it
        if fields:
            changes.append((row, fields))
    rows_changed.send(sender=model, changes=changes)
    return updated


def claim_version(instance, expected_version=None):
    """Move ``instance``'s version on, provided nobody did since ``expected_version`` (the
    version the person edited; without one, the version loaded): a change sent without its
    version still makes a later save over an older one stale.

    A conditional UPDATE takes the row's write lock: of two people saving the same
    version, the second finds no row to update and is refused (no lost update)."""
    if expected_version is None:
        expected_version = instance.version
    model = type(instance)
    claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEdit(model.objects.get(pk=instance.pk))
    instance.version = expected_version + 1


class ConstraintErrorsOnFields:
    """Report a violated database constraint on the field a person would correct.

    Django reports most constraint violations as errors of the whole form; a model lists
    in ``constraint_error_fields`` the field each ``violation_error_code`` belongs to.
    """

    constraint_error_fields = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = {}
            for field, messages in error.error_dict.items():
                for message in messages:
                    target = self.constraint_error_fields.get(message.code, field)
                    errors.setdefault(target, []).append(message)
            raise ValidationError(errors) from None


def on_postgresql(statements):
    """A migration's function (for ``RunPython``) that runs the SQL ``statements`` on
    PostgreSQL and does nothing on SQLite: for what only PostgreSQL has (pg_trgm's indexes)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run
