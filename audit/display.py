"""The trail as a reader reads it: each entry's kind, and each change's field label and its
values before and after written the reader's way (money in euros, choices by label, dates,
the names of the objects a reference points to). A page of entries costs one query per kind
of object referred to, whatever the number of entries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.templatetags.grappe import euros


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Shown:
    entry: object
    kind: str
    changes: list = field(default_factory=list)


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: shown by its name
        return None


def _is_money(model_field):
    return (
        isinstance(model_field, models.DecimalField)
        and model_field.max_digits == 14
        and model_field.decimal_places == 2
    )


def _naming_paths(model, depth=2, prefix=""):
    """The required foreign keys of ``model``, and theirs: what its name may be made of (a
    line's project, programme and funder, partner and organisation)."""
    paths = []
    for model_field in model._meta.concrete_fields:
        if model_field.many_to_one and not model_field.null:
            path = prefix + model_field.name
            paths.append(path)
            if depth > 1:
                paths += _naming_paths(model_field.related_model, depth - 1, path + "__")
    return paths


def _referred(entries):
    """{model: {pk: name}} of every object the changes of ``entries`` point to."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for change in entry.changes:
            model_field = _field(model, change["field"])
            if model_field is None or not model_field.is_relation:
                continue
            for value in (change["before"], change["after"]):
                values = value if isinstance(value, list) else [value]
                wanted[model_field.related_model].update(v for v in values if v is not None)
    names = {}
    for model, pks in wanted.items():
        rows = model._base_manager.all()
        paths = _naming_paths(model)
        rows = (rows.select_related(*paths) if paths else rows).in_bulk(pks)
        names[model] = {pk: str(row) for pk, row in rows.items()}
    return names


def text(model_field, value, names):
    """``value`` (as the trail stores it) the way a reader writes it; "" when empty."""
    if value is None or value == "" or value == []:
        return ""
    if model_field is None:
        return str(value)
    if model_field.is_relation:
        found = names.get(model_field.related_model, {})
        values = value if isinstance(value, list) else [value]
        return ", ".join(found.get(pk, f"#{pk}") for pk in values)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(model_field, models.DecimalField):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return str(value)
        if _is_money(model_field):
            return euros(amount)
        return formats.number_format(amount, use_l10n=True, force_grouping=True)
    if isinstance(model_field, models.DateTimeField):
        moment = timezone.localtime(datetime.datetime.fromisoformat(value))
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def shown(entries):
    """``entries`` (with ``who`` and ``content_type`` read along) ready to show."""
    entries = list(entries)
    names = _referred(entries)
    result = []
    for entry in entries:
        model = entry.content_type.model_class()
        kind = capfirst(model._meta.verbose_name) if model else entry.content_type.model
        item = Shown(entry, kind)
        for change in entry.changes:
            model_field = _field(model, change["field"])
            label = capfirst(model_field.verbose_name) if model_field else change["field"]
            before, after = (text(model_field, change[k], names) for k in ("before", "after"))
            if change.get("many"):  # who left, who came
                before, after = (f"− {before}" if before else ""), (f"+ {after}" if after else "")
            item.changes.append(Change(str(label), before, after))
        result.append(item)
    return result
