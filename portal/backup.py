"""What a backup must keep: the rows of every table and the money, and the portable copy of a
whole database (``manage.py export_data`` / ``import_data``).

``inventory()`` describes a database in a few kilobytes: the number of rows of each model and
a SHA-256 of the money of each project (partners' costs, funding lines, disbursements,
repayments, private rounds, launch revenue, reported revenue and follow-on funding) and of
every other model holding amounts (fee calls, payments). Two databases with the same
inventory hold the same rows and the same money, to the cent. ``differences(before, after)``
lists what changed, for people to read.

The production backup of PostgreSQL is ``pg_dump`` (README, "Backups"); the inventory checks
that what a restore gives back is what was saved, whichever way it was saved.
"""

import gzip
import hashlib
import json
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import models, transaction

from .modelutils import restoring

# The money of a project: model label → (path to the project's pk, amount fields).
PROJECT_MONEY = {
    "projects.Partner": (
        "project_id",
        ["personnel_costs", "equipment_costs", "subcontracting_costs", "other_costs", "budget"],
    ),
    "funding.FundingLine": (
        "project_id",
        ["amount_requested", "amount_granted", "amount_cancelled"],
    ),
    "funding.Disbursement": ("line__project_id", ["amount"]),
    "funding.Repayment": ("line__project_id", ["amount"]),
    "funding.PrivateRound": ("partner__project_id", ["amount"]),
    "outcomes.LaunchRevenue": ("launch__project_id", ["amount"]),
    "outcomes.PartnerFigures": ("report__project_id", ["revenue", "follow_on_funding"]),
}

# Not data of the portal: rebuilt by migrations, or short-lived.
NOT_EXPORTED = [
    "contenttypes",  # made by migrate; the rows pointing to them use natural keys
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_db",  # the queue: a restored database starts with an empty one
    "axes",  # sign-in attempts and logs: kept a while only (RETENTION_DAYS)
    "portal.figuressnapshot",  # kept figures: computed again when asked for
    "portal.figuresversion",
]


def _exported(model):
    label = model._meta.label_lower
    return not any(label == skip or label.split(".")[0] == skip for skip in NOT_EXPORTED)


def exported_models():
    """Every model whose rows a backup keeps, in the order loading them needs (Django sorts
    them by their dependencies when serialising with natural keys)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and _exported(model)
    ]


def _amount(value):
    return "" if value is None else str(Decimal(value).normalize())


def _digest(rows):
    return hashlib.sha256(json.dumps(sorted(rows)).encode()).hexdigest()


def inventory():
    """``{"rows": {model: count}, "project_money": {project pk: sha256}, "other_money":
    {model: sha256}}`` of the database, every figure computed by reading the rows."""
    rows = {
        model._meta.label: model._default_manager.count()
        for model in sorted(exported_models(), key=lambda m: m._meta.label)
    }
    per_project = defaultdict(list)
    for label, (path, fields) in PROJECT_MONEY.items():
        model = apps.get_model(label)
        for values in model._default_manager.values_list(path, "pk", *fields).iterator():
            project, pk, *amounts = values
            per_project[project].append([label, pk, *(_amount(a) for a in amounts)])
    other = {}
    for model in exported_models():
        if model._meta.label in PROJECT_MONEY:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DecimalField) and not f.name.startswith("history_")
        ]
        if fields:
            values = model._default_manager.values_list("pk", *fields)
            other[model._meta.label] = _digest(
                [[str(pk), *(_amount(a) for a in amounts)] for pk, *amounts in values.iterator()]
            )
    return {
        "rows": rows,
        "project_money": {str(pk): _digest(items) for pk, items in sorted(per_project.items())},
        "other_money": other,
    }


def differences(before, after):
    """What differs between two inventories, one sentence each (empty: nothing)."""
    found = []
    for model in sorted(set(before["rows"]) | set(after["rows"])):
        was, now = before["rows"].get(model), after["rows"].get(model)
        if was != now:
            found.append(f"{model}: {was} rows saved, {now} rows now")
    projects = before["project_money"], after["project_money"]
    for pk in sorted(set(projects[0]) | set(projects[1]), key=int):
        if projects[0].get(pk) != projects[1].get(pk):
            found.append(f"project {pk}: its money differs")
    for model in sorted(set(before["other_money"]) | set(after["other_money"])):
        if before["other_money"].get(model) != after["other_money"].get(model):
            found.append(f"{model}: its amounts differ")
    return found


# --- The portable copy ------------------------------------------------------------------------


def _open(path, mode):
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def export_to(path):
    """Write every exported row to ``path`` (JSON, gzipped when it ends in .gz) with the
    database's inventory; returns the inventory."""
    described = inventory()
    wanted = set(exported_models())
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    objects = (
        obj
        for model in ordered
        if model in wanted
        for obj in model._default_manager.order_by("pk").iterator()
    )
    with _open(path, "w") as out:
        out.write('{"inventory": ')
        json.dump(described, out)
        out.write(', "objects": ')
        serializers.serialize("json", objects, stream=out, use_natural_foreign_keys=True)
        out.write("}\n")
    return described


def filled_models():
    """The exported models that hold rows (an import goes into a database with none)."""
    return [m._meta.label for m in exported_models() if m._default_manager.exists()]


def import_from(path):
    """Load an export into this (empty, migrated) database, as ``loaddata`` does (raw saves:
    no signal makes rows of its own), in one transaction; returns (inventory saved,
    differences from what the database now holds)."""
    with _open(path, "r") as source:
        data = json.load(source)
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "grappe-export.json"
        fixture.write_text(json.dumps(data["objects"]), encoding="utf-8")
        del data["objects"]
        with transaction.atomic():
            token = restoring.set(True)
            try:
                call_command("loaddata", str(fixture), verbosity=0)
            finally:
                restoring.reset(token)
            found = differences(data["inventory"], inventory())
            if found:
                transaction.set_rollback(True)
    return data["inventory"], found
