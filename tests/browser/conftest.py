"""Fixtures of the browser journeys: one headless Chromium for the session, a fresh page per test.

Debian's ``chromium`` is driven by Playwright from PyPI (never ``playwright install``: no
network). Pages are served by pytest-django's ``live_server``, which also serves static files.
"""

import os
import shutil
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import two_factor
from portal.models import Person
from tests.world import build_world

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo"


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once. Skips every browser test when it is not installed."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium not found on PATH: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django refuses
    # ORM calls here (building the world, reading the database back) unless told otherwise.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def world(browser, transactional_db):
    """The people and projects of ``tests.world``, committed so the live server sees them;
    those whose role requires two-factor authentication have the demo key, as in the demo."""
    world = build_world()
    for person in Person.objects.all():
        if two_factor.role_requires(person):
            two_factor.give_demo_device(person)
    return world


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context (no cookies), in French, whose relative URLs hit the live server.

    JavaScript errors on the page fail the test.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page, email, password=PASSWORD):
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url or "/login/code/" in url)
    if "/accounts/login/code/" in page.url:  # two-factor: the code of the demo key
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        page.locator("input[name=code]").fill(two_factor.next_code(device))
        page.locator("form.stacked button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot(page, name):
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
