"""Fixtures every test may use. Factories live in ``tests/factories.py``."""

import pytest
from django.test import Client, override_settings
from django.utils import translation


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded files go to a temporary folder, never into the checkout: session-wide, so that
    module-scoped worlds that upload documents are covered too."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """Hash passwords with MD5 in tests: the default PBKDF2 takes ~0.3 s per person, and
    ``PersonFactory`` hashes "demo" for every person it makes. Never do this outside tests.
    Session-wide, so that module-scoped worlds (built before any function-scoped fixture such
    as ``settings``) hash with MD5 too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def figures_current_at_once():
    """Dashboards show figures current at once after a change: production shows the last ones
    (said to be) while the worker computes them again (``portal.snapshots``), which
    tests/portal/test_snapshots.py tests with its own setting. Session-wide, as the worlds."""
    with override_settings(FIGURES_STALE_SECONDS=0):
        yield


@pytest.fixture(scope="session", autouse=True)
def force_login_completes_both_steps():
    """``client.force_login(person)`` stands for a finished sign-in, both steps: a person whose
    role requires two-factor authentication gets a confirmed authenticator (kept if they have
    one) and the session records it, exactly as the code page does (``django_otp.login``).
    Production is untouched (the middleware and REQUIRE_TWO_FACTOR stay on in every test);
    tests of the two steps themselves sign in through the forms
    (tests/portal/test_two_factor.py). Session-wide, for module-scoped worlds too."""
    from portal import two_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if two_factor.required_for(user):
            two_factor.mark_session_verified(self.session, user, "Tests")

    Client.force_login = force_login
    yield
    Client.force_login = original


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once():
    """WhiteNoise lists every static file of the apps each time its middleware is made (no
    ``collectstatic`` in tests), and the test client makes the middleware afresh for each new
    ``Client``: ~8 ms for each of thousands of tests. List them once for each value of the
    settings that decide the list and its headers; serving them is unchanged."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(self):
        names = [n for n in dir(settings) if n.startswith(("WHITENOISE_", "STATIC"))]
        names += ["DEBUG", "STORAGES", "INSTALLED_APPS", "FORCE_SCRIPT_NAME"]
        key = repr([(name, getattr(settings, name, None)) for name in sorted(names)])
        if key not in listed:
            before = dict(self.files)
            original(self)
            listed[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original


@pytest.fixture
def english():
    """Messages in English, for tests that compare them (the site speaks French by default).

    Use it per module: ``pytestmark = pytest.mark.usefixtures("english")``."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def language_reset():
    """Every test starts with no language active: a request activates its language on the
    thread and nothing deactivates it, so it would leak into the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def english_site(settings):
    """The whole site in English: pages without Accept-Language, and e-mails and
    notifications (written in the site's language), for tests that compare their text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
