"""Grant checks name a permission by its pk, read once per process and database, and read
again after the permissions change (a test's flush made them anew with other pks)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import permissions
from portal.permissions import permission_pk
from projects import permissions as project_permissions
from projects.models import Project

pytestmark = pytest.mark.django_db


def _view_project():
    return Permission.objects.get(content_type__app_label="projects", codename="view_project")


def test_the_pk_is_read_once():
    emit_post_migrate_signal(0, False, "default")  # forget what other tests read
    with CaptureQueriesContext(connection) as first:
        assert permission_pk(Project, "view_project") == _view_project().pk
    with CaptureQueriesContext(connection) as again:
        permission_pk(Project, "view_project")
    assert len(again) == 0 < len(first)


def test_a_permission_made_anew_is_read_again():
    old = _view_project()
    assert permission_pk(Project, "view_project") == old.pk
    old.delete()
    new = Permission.objects.create(
        content_type=old.content_type, codename=old.codename, name=old.name
    )
    assert new.pk != old.pk and permission_pk(Project, "view_project") == new.pk


def test_migrations_forget_the_pks():
    """A flush (``TransactionTestCase``, the browser tests) deletes the permissions and makes
    them again by the migrations' signal, with other pks."""
    permission_pk(Project, "view_project")
    for key in permissions._permission_pks:
        permissions._permission_pks[key] = -1  # as if the rows had been made anew
    emit_post_migrate_signal(0, False, "default")
    assert permission_pk(Project, "view_project") == _view_project().pk


def test_grant_checks_do_not_join_the_permission_tables(django_user_model):
    person = django_user_model.objects.create(email="someone@example.org")
    permission_pk(Project, "view_project")
    with CaptureQueriesContext(connection) as queries:
        list(project_permissions.visible_projects(person))
    (sql,) = [q["sql"] for q in queries]
    assert "auth_permission" not in sql and "django_content_type" not in sql
