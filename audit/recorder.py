"""Writes the audit trail: a receiver on every save, delete and many-to-many change of the
models ``registry.TRACKED`` names, in the same transaction as the change (a change rolled
back leaves no entry; an entry never lacks its change).

Who: the person a service names (``instance._history_user``, as for django-simple-history),
else the request's user; from where: the request's client address (``portal.signin``, which
knows the reverse proxy). Both come from the request simple-history's middleware keeps for
the thread. A change made outside a request (a command, a task) has no address, and no
person unless the service names one.

``QuerySet.update()`` and ``bulk_create()`` send no signal: code that changes tracked rows
that way writes its entries with ``record()`` (the daily membership job)."""

import datetime
import decimal
import uuid
from decimal import Decimal, InvalidOperation
from functools import partial

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import DecimalField
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from simple_history.models import HistoricalRecords

from portal.modelutils import restoring, rows_changed
from portal.signin import client_address

from .models import AuditEntry
from .registry import NEVER

_tracks = {}  # model -> its registry entry


def connect(tracked):
    rows_changed.connect(_rows_changed, weak=False, dispatch_uid="audit:rows_changed")
    for label, track in tracked.items():
        model = apps.get_model(label)
        _tracks[model] = track
        fields = tracked_fields(model, track)
        uid = f"audit:{label}"
        pre_save.connect(
            partial(_before_save, fields=fields), sender=model, weak=False, dispatch_uid=uid
        )
        post_save.connect(
            partial(_after_save, track=track, fields=fields),
            sender=model,
            weak=False,
            dispatch_uid=uid,
        )
        pre_delete.connect(
            partial(_before_delete, track=track, fields=fields),
            sender=model,
            weak=False,
            dispatch_uid=uid,
        )
        for name in track.m2m:
            m2m_changed.connect(
                partial(_m2m_changed, track=track, name=name),
                sender=getattr(model, name).through,
                weak=False,
                dispatch_uid=f"{uid}:{name}",
            )


def tracked_fields(model, track):
    """The concrete fields of ``model`` the trail records, in the model's order."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in NEVER
        and field.name not in track.exclude
        and (not track.fields or field.name in track.fields)
    ]


def jsonable(value):
    """A field's value as the trail stores it (JSON): amounts and dates as text."""
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):  # datetimes too
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


def _stored(field, value):
    """``value`` of ``field`` as the database keeps it, then as the trail stores it: an amount
    computed as 0 and read back as 0.00 is the same amount."""
    if isinstance(field, DecimalField) and value is not None:
        try:
            value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
        except (InvalidOperation, TypeError, ValueError):
            pass  # not a number: the model's validation says so, the trail keeps it
    return jsonable(value)


def _value(instance, field):
    return _stored(field, getattr(instance, field.attname))


def _held(instance, fields):
    """(name, value) of each of ``fields`` that holds something: what a creation set, or what
    a deletion took away."""
    for field in fields:
        value = _value(instance, field)
        if value not in (None, "", []):
            yield field.name, value


def _before_save(sender, instance, raw=False, update_fields=None, fields=(), **kwargs):
    instance._audit_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    if fields:
        row = (
            sender._base_manager.using(instance._state.db)
            .filter(pk=instance.pk)
            .values(*(f.attname for f in fields))
            .first()
        )
        instance._audit_before = (fields, row)


def _after_save(sender, instance, created, raw=False, track=None, fields=(), **kwargs):
    if raw:
        return
    if created:
        changes = [
            {"field": name, "before": None, "after": value}
            for name, value in _held(instance, fields)
        ]
        if track.changes_only and all(
            change["after"] == jsonable(sender._meta.get_field(change["field"]).get_default())
            for change in changes
        ):
            return
        record(instance, AuditEntry.Action.CREATED, changes, track)
        return
    compared, before = getattr(instance, "_audit_before", None) or ((), None)
    instance._audit_before = None
    if before is None:
        return  # nothing tracked was saved (``update_fields``), or the row was gone
    changes = []
    for field in compared:
        old, new = _stored(field, before[field.attname]), _value(instance, field)
        if old != new:
            changes.append({"field": field.name, "before": old, "after": new})
    if changes:
        record(instance, AuditEntry.Action.CHANGED, changes, track)


def _before_delete(sender, instance, track=None, fields=(), **kwargs):
    changes = [
        {"field": name, "before": value, "after": None} for name, value in _held(instance, fields)
    ]
    record(instance, AuditEntry.Action.DELETED, changes, track)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, track=None, name="", **kw):
    """An addition or removal of ``name`` (a funder's reviewers): one entry on the object
    whose field it is, "before" holding who left and "after" who came."""
    if action not in ("post_add", "post_remove", "pre_clear") or restoring.get():
        return  # a backup loaded (its raw saves record nothing either)
    if reverse:  # person.reviewer_for.add(funder): the change of each funder
        owner_model = model
        owners = owner_model._base_manager.filter(pk__in=pk_set or ())
        people = {instance.pk}
    else:
        owner_model = type(instance)
        owners = [instance]
        if action == "pre_clear":
            pk_set = set(getattr(instance, name).values_list("pk", flat=True))
        people = set(pk_set or ())
    if not people:
        return
    for owner in owners:
        removed = sorted(people) if action != "post_add" else []
        added = sorted(people) if action == "post_add" else []
        change = {"field": name, "before": removed, "after": added, "many": True}
        record(owner, AuditEntry.Action.CHANGED, [change], track, model=owner_model)


def _follow(instance, path):
    if not path:
        return None
    value = instance
    try:
        for part in path.split("."):
            value = getattr(value, part)
            if value is None:
                return None
    except ObjectDoesNotExist:
        return None
    return value


def _describe(instance):
    try:
        return str(instance)[:300]
    except ObjectDoesNotExist:  # its string names a row already gone (a cascade)
        return f"{instance._meta.verbose_name} #{instance.pk}"


def record(instance, action, changes, track, *, model=None, who=None):
    """Write one entry about ``instance`` (``track``: its registry entry)."""
    request = getattr(HistoricalRecords.context, "request", None)
    who = who or getattr(instance, "_history_user", None)
    if who is None and request is not None:
        user = getattr(request, "user", None)
        who = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.using(instance._state.db or "default").create(
        who=who,
        address=client_address(request) if request is not None else None,
        action=action,
        content_type=ContentType.objects.get_for_model(model or type(instance)),
        object_id=instance.pk,
        object_repr=_describe(instance),
        project_id=_follow(instance, track.project),
        pole_id=_follow(instance, track.pole),
        changes=changes,
    )


def _rows_changed(sender, changes, **kwargs):
    """Rows changed without ``save()`` (``portal.modelutils.rows_changed``): one entry each."""
    track = _tracks.get(sender)
    if track is None:
        return
    for instance, fields in changes:
        changes = [
            {"field": name, "before": jsonable(before), "after": jsonable(after)}
            for name, (before, after) in fields.items()
        ]
        if changes:
            record(instance, AuditEntry.Action.CHANGED, changes, track)
