"""Recompute every per-object permission from the domain data.

Each app's ``permissions`` module that has ``rebuild_grants()`` derives its guardian rows
and role groups from the domain, the same way the services do after each change; running
it again changes nothing. Apps run in INSTALLED_APPS order, so dependencies come first
(portal, projects, funding).
"""

import importlib
import importlib.util

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


def permission_modules():
    """The ``<app>.permissions`` modules that know how to rebuild their grants."""
    modules = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.permissions"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        module = importlib.import_module(name)
        if callable(getattr(module, "rebuild_grants", None)):
            modules.append(module)
    return modules


def guardian_row_count():
    bases = (UserObjectPermissionBase, GroupObjectPermissionBase)
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if issubclass(model, bases) and not model._meta.abstract
    )


def group_membership_count():
    return get_user_model().groups.through.objects.count()


class Command(BaseCommand):
    help = "Recompute every per-object permission and role group from the domain data."

    def handle(self, *args, **options):
        # Every module is imported before any runs: apps register grant providers on import.
        modules = permission_modules()
        rows, members = guardian_row_count(), group_membership_count()
        with transaction.atomic():
            for module in modules:
                module.rebuild_grants()
                if options["verbosity"] > 1:
                    self.stdout.write(f"Rebuilt {module.__name__}")
        self.stdout.write(
            f"Guardian rows: {rows} before, {guardian_row_count()} after. "
            f"Group memberships: {members} before, {group_membership_count()} after."
        )
