"""Production settings pass `check --deploy`, and every page runs under a strict CSP.

The production settings are read the way a server reads them: ``portal.settings`` imported in
a fresh interpreter with a production environment (DEBUG off, a real secret). Their security
values are then applied to this process's requests, to see the headers and cookies a browser
gets. Development (DEBUG on, the tests) stays on plain http.
"""

import copy
import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.main_pages import leader_pages, staff_pages
from tests.outcomes.world import build_outcomes

from ..shared import build_once
from ..world import build_world

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SETTINGS_ENV = {  # what the environment may say to portal/settings.py
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "EMAIL_URL",
    "SITE_URL",
    "HTTPS_ONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
}
SECURITY_SETTINGS = [
    "DEBUG",
    "SECRET_KEY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_CSP",
]


def production_env(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="grappe.example.org",
        SITE_URL="https://grappe.example.org",
        EMAIL_URL="smtp+tls://grappe%40example.org:secret@smtp.example.org:587",
        DATABASE_URL=f"sqlite:///{tmp_path / 'grappe.sqlite3'}",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def read_settings(env):
    """The security settings ``portal.settings`` computes from ``env``, in a fresh interpreter."""
    code = (
        "import json, portal.settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return read_settings(production_env(tmp_path_factory.mktemp("production")))


@pytest.fixture
def in_production(production):
    """This process's requests with the production security settings (DEBUG aside)."""
    values = {k: v for k, v in production.items() if k not in {"DEBUG", "SECRET_KEY"}}
    with override_settings(**values):
        yield


# The settings module ----------------------------------------------------------------------


def test_check_deploy_finds_nothing_in_production(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_production_is_https_only(production):
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]
    assert production["SECURE_SSL_REDIRECT"]
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_PROXY_SSL_HEADER"] is None  # trusted only when configured


def test_development_and_the_tests_stay_on_plain_http():
    assert not settings.SESSION_COOKIE_SECURE and not settings.CSRF_COOKIE_SECURE
    assert not settings.SECURE_SSL_REDIRECT and not settings.SECURE_HSTS_SECONDS


def test_hsts_and_the_proxy_header_are_configurable(tmp_path):
    values = read_settings(
        production_env(
            tmp_path,
            SECURE_HSTS_SECONDS="3600",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
            SECURE_HSTS_PRELOAD="false",
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
        )
    )
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert not values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and not values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_https_can_be_turned_off_for_a_loopback_benchmark(tmp_path):
    values = read_settings(production_env(tmp_path, HTTPS_ONLY="false"))
    assert not values["SECURE_SSL_REDIRECT"] and not values["SESSION_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.parametrize("secret", [None, "", "dev-only-insecure-key-change-me"])
def test_production_refuses_to_start_without_a_secret_of_its_own(tmp_path, secret):
    result = run(["-c", "import portal.settings"], production_env(tmp_path, SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# Headers and cookies a browser gets ---------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""

    def build():
        world = build_world()
        build_outcomes(world)
        return world

    yield from build_once(django_db_blocker, build)


@pytest.fixture
def world(built_world, db):
    return copy.deepcopy(built_world)


def test_every_page_carries_the_policy(client, world):
    assert client.get("/accounts/login/").headers["Content-Security-Policy"] == POLICY
    client.force_login(world["people"]["leader"])
    assert client.get("/").headers["Content-Security-Policy"] == POLICY
    fragment = client.get("/projects/?q=FUND", headers={"HX-Request": "true"})
    assert fragment.headers["Content-Security-Policy"] == POLICY
    assert client.get("/projects/999999/").headers["Content-Security-Policy"] == POLICY


def test_only_the_api_docs_allow_data_images(client, world):
    client.force_login(world["people"]["leader"])
    policy = client.get("/api/docs/").headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy and "script-src 'self';" in policy
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]


def test_a_pdf_keeps_only_its_framing_rule_so_the_browser_can_show_it(client, world):
    client.force_login(world["people"]["leader"])
    response = client.get(f"/projects/{world['projects']['funded'].pk}/summary.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_frames_referrer_and_sniffing_are_refused(client, world, in_production):
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https_except_the_health_probe(client, world, in_production):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/accounts/login/"
    assert client.get("/healthz").status_code == 200


def test_hsts_is_sent_over_https(client, world, in_production):
    response = client.get("/accounts/login/", secure=True)
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_behind_the_proxy_its_header_says_https(client, world, production):
    values = {k: v for k, v in production.items() if k not in {"DEBUG", "SECRET_KEY"}}
    values["SECURE_PROXY_SSL_HEADER"] = ("HTTP_X_FORWARDED_PROTO", "https")
    with override_settings(**values):
        response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


def test_session_and_csrf_cookies_are_https_only(client, world, in_production):
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": "leader@world.example", "password": "demo"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# No inline code in any page -------------------------------------------------------------------


class InlineCode(HTMLParser):
    """Collects what the policy would refuse: inline scripts and styles, event handlers, and
    the htmx features that evaluate JavaScript (hx-on, js: values, [filters] in triggers)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(self.get_starttag_text())
        if tag == "style":
            self.found.append(self.get_starttag_text())
        for name, value in attrs:
            value = (value or "").strip().lower()
            if (
                name.startswith(("on", "hx-on", "data-hx-on"))
                or name == "style"
                or value.startswith(("javascript:", "js:"))
                or (name in {"hx-trigger", "data-hx-trigger"} and "[" in value)
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("role, pages", [("staff", staff_pages), ("leader", leader_pages)])
def test_main_pages_have_no_inline_code(client, world, role, pages):
    client.force_login(world["people"][role])
    for path in pages(world):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not inline_code(response.content.decode()), path


def test_htmx_fragments_have_no_inline_code(client, world):
    client.force_login(world["people"]["staff"])
    for path in ["/projects/?q=FUND", "/directory/?q=lab", "/funding/", "/impact/"]:
        response = client.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 200, path
        assert not inline_code(response.content.decode()), path


def test_charts_are_styled_by_the_stylesheet(client, world):
    client.force_login(world["people"]["staff"])
    html = client.get("/funding/").content.decode()
    assert 'class="chart-svg"' in html
    assert "svg.chart-svg" in (BASE_DIR / "static/css/grappe.css").read_text()


def test_no_template_has_inline_code():
    """Every template, pages not rendered above included."""
    patterns = {
        "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
        "style element": re.compile(r"<style\b"),
        "style attribute": re.compile(r"\sstyle\s*="),
        "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
        "hx-on": re.compile(r"hx-on"),
        "js: value": re.compile(r"""["']\s*(js|javascript):""", re.I),
    }
    found = [
        f"{path.relative_to(BASE_DIR)}: {what}"
        for path in sorted((BASE_DIR / "templates").rglob("*.html"))
        for what, pattern in patterns.items()
        if pattern.search(path.read_text())
    ]
    assert not found
