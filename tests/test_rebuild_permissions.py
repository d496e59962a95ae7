"""``manage.py rebuild_permissions``: every grant recomputed from the domain, idempotently."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from portal.models import Person
from projects.models import (
    PartnerGroupObjectPermission,
    PartnerUserObjectPermission,
    ProjectGroupObjectPermission,
    ProjectUserObjectPermission,
)

GUARDIAN_MODELS = {
    ProjectUserObjectPermission: "user",
    ProjectGroupObjectPermission: "group",
    PartnerUserObjectPermission: "user",
    PartnerGroupObjectPermission: "group",
}
Membership = Person.groups.through


def grants():
    """Every guardian row and group membership, as comparable tuples."""
    rows = set()
    for model, owner in GUARDIAN_MODELS.items():
        rows |= {
            (model.__name__, *row)
            for row in model.objects.values_list(
                "content_object_id", f"{owner}_id", "permission__codename"
            )
        }
    members = set(Membership.objects.values_list("group__name", "person__email"))
    return rows, members


def row_ids():
    ids = {
        model.__name__: set(model.objects.values_list("pk", flat=True)) for model in GUARDIAN_MODELS
    }
    ids["memberships"] = set(Membership.objects.values_list("pk", flat=True))
    ids["groups"] = set(Group.objects.values_list("pk", flat=True))
    return ids


def rebuild():
    out = StringIO()
    call_command("rebuild_permissions", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module and rolled back after it; each test runs in its
    own savepoint inside, so the grants a test deletes or adds are back after it."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    pass


def test_rebuild_restores_every_grant(demo):
    before = grants()
    assert before[0] and before[1]
    for model in GUARDIAN_MODELS:
        model.objects.all().delete()
    Membership.objects.all().delete()
    assert grants() == (set(), set())

    output = rebuild()

    assert grants() == before
    assert f"0 before, {len(before[0])} after" in output


def test_rebuild_changes_nothing_when_grants_are_right(demo):
    rebuild()
    ids, before = row_ids(), grants()
    rebuild()
    assert row_ids() == ids
    assert grants() == before


def test_rebuild_repairs_a_stray_and_a_missing_grant(demo):
    before = grants()
    outsider = Person.objects.get(email="outsider@demo.example")
    project_row = ProjectUserObjectPermission.objects.first()
    ProjectUserObjectPermission.objects.create(
        user=outsider, content_object=project_row.content_object, permission=project_row.permission
    )
    Membership.objects.filter(person__email="leader@demo.example").first().delete()

    rebuild()

    assert grants() == before
