"""Data a module's tests share: built once for the module instead of once per test.

Building ``tests.world`` goes through the services (permissions, history, notifications) and
costs a good part of a second, more on PostgreSQL; most tests only read it. A module that
shares its data makes its two fixtures with ``module_world``::

    built_world, world = module_world(build_world)

that is::

    @pytest.fixture(scope="module", autouse=True)
    def built_world(django_db_setup, django_db_blocker):
        yield from build_once(django_db_blocker, build_world)


    @pytest.fixture
    def world(built_world, db):
        return copy.deepcopy(built_world)

- the data is written once, in a transaction rolled back at the module's end;
- each test runs in a savepoint inside it (pytest-django's ``db``), so what a test writes is
  undone before the next one;
- each test gets its own deep copy of the objects, so what a test changes on them in memory
  (``project.state = …``) is not seen by the next one either;
- autouse: every test of the module, asking for the data or not, sees it in the database.
  Otherwise a test that does not ask for it would see it or not depending on which of the
  module's tests ran before it, and with pytest-xdist that changes from run to run. A test
  that needs an empty database belongs in another module.

With pytest-xdist, each worker that runs some of a module's tests builds the data once for them.
"""

import contextlib
import copy

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation


def build_once(django_db_blocker, build, *, language=None, site=False):
    """Yield ``build()``'s data, written in a transaction that is rolled back afterwards.

    Build it as the module's tests would have built it inside each test: ``language="en"``
    for a module that uses the ``english`` fixture (that language active), and also
    ``site=True`` for one that uses ``english_site`` (the site's ``LANGUAGE_CODE`` too, the
    language notifications and e-mails are written in).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with contextlib.ExitStack() as as_in_a_test:
            if site:
                as_in_a_test.enter_context(override_settings(LANGUAGE_CODE=language))
            if language:
                as_in_a_test.enter_context(translation.override(language))
            data = build()
        yield data
        transaction.set_rollback(True)


def module_world(build, *, language=None, site=False, client_language=None):
    """A module's two fixtures for ``build()``'s data, shared by its tests (see above):
    ``built_world`` (autouse, built once with ``build_once``'s ``language`` and ``site``) and
    ``world`` (each test's own copy). ``client_language``: the test client asks for pages in
    that language too (``Accept-Language``). Bind them to those names in the module::

        built_world, world = module_world(build_world, language="en")
    """

    @pytest.fixture(scope="module", autouse=True)
    def built_world(django_db_setup, django_db_blocker):
        yield from build_once(django_db_blocker, build, language=language, site=site)

    if client_language is None:

        @pytest.fixture
        def world(built_world, db):
            return copy.deepcopy(built_world)

    else:

        @pytest.fixture
        def world(built_world, db, client):
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = client_language
            return copy.deepcopy(built_world)

    return built_world, world
