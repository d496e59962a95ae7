"""Every route of the URLconf and of the API, asked by each role of the world for objects of
another consortium, pole and funder: 404 (405 for a method the route does not take), or
what ``tests/url_walk.py``'s ``EXCEPTIONS`` say for what is public. Never a 500, never a
write. Signed out, every page that is not public sends to the sign-in page and the API
answers 401/403.

How it works, and where to add a route: ``tests/url_walk.py``.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve

from . import url_walk
from .matrix import BUILDERS
from .url_walk import (
    ADMIN_PARAMS,
    EXCEPTIONS,
    KNOWN_LEAKS,
    PARAMS,
    SCENARIO_KINDS,
    VALUES,
    allowed,
    is_admin,
    is_api,
    object_kinds,
    parameters,
    routes,
    scenarios_of,
)
from .world import ROLES, SECRET, build_world

# Once, on SQLite: the walk checks that every route looks its objects up within what the
# person may see, which the views decide alike on both engines; the permission matrix
# (tests/test_permission_matrix.py) runs the rules' SQL on PostgreSQL too. Twice would add
# minutes to the suite for no case the matrix does not already run there.
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the URL walk runs on SQLite (see above)"
)

ROUTES = routes()
WALKED = [t for t in ROUTES if not is_admin(t) and object_kinds(t)]
# Django's admin sign-in page is everyone's, and signing out is anyone's (and would sign the
# walking client out): the rest of the admin is walked.
ADMIN_PUBLIC = ("/admin/login/", "/admin/logout/")
ADMIN = [t for t in ROUTES if is_admin(t) and t not in ADMIN_PUBLIC]
API_DETAIL_METHODS = ("get", "post", "put", "patch", "delete")
# Tables a request may write to without changing anything of anyone's: the signed-in
# sessions, the sign-in attempts' log.
UNWATCHED = ("django_session", "axes_")


class Walk:
    def __init__(self, world, scenarios):
        self.world = world
        self.scenarios = scenarios
        self.clients = {}
        for role in ROLES:
            self.clients[role] = Client()
            self.clients[role].force_login(world["people"][role])
        self.anonymous = Client()
        self.foreign_objects = url_walk.foreign_objects(scenarios, world)
        tables = [t for t in connection.introspection.table_names() if not t.startswith(UNWATCHED)]
        quote = connection.ops.quote_name
        self.tables = tables
        self.count_sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)

    def objects(self, template, scenario, role):
        """{parameter: object or value} for ``template`` in ``scenario``, as ``role`` asks."""
        filled = self.scenarios[scenario]
        objects = {name: filled[kind] for name, kind in PARAMS[template].items()}
        if scenario == "mixed":  # the parent is one the role sees
            parent, kind = next(iter(PARAMS[template].items()))
            objects[parent] = self.world["own_parents"][role][kind]
        return objects

    def url(self, template, objects):
        url = template
        for name, obj in objects.items():
            url = url.replace("{" + name + "}", str(getattr(obj, "pk", obj)))
        return url

    def fingerprint(self, objects):
        """The number of rows of every table, and the rows of ``objects``."""
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql)
            counts = dict(zip(self.tables, cursor.fetchone(), strict=True))
        rows = [
            type(o)._base_manager.filter(pk=o.pk).values().first()
            for o in objects
            if hasattr(o, "_meta")
        ]
        return counts, rows


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    """The world, the permission matrix's objects and the foreign ones, built once for the
    module and rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world["extra"] = {}
        for build in BUILDERS:
            build(world)
        scenarios = url_walk.build_foreign(world)
        yield Walk(world, scenarios)
        transaction.set_rollback(True)


def send(client, method, url, api):
    """The response, or the exception the view raised (a 500 in production)."""
    try:
        if api:
            return getattr(client, method)(url, {}, content_type="application/json")
        return getattr(client, method)(url, {})
    except Exception as error:  # noqa: BLE001 — any of them is a 500
        return error


def status(response):
    if isinstance(response, Exception):
        return f"500 ({type(response).__name__}: {response})"
    return response.status_code


def methods(template):
    if is_api(template) and template.endswith("/{pk}/"):
        return API_DETAIL_METHODS
    return ("get", "post")


def _case(template, scenario, role):
    marks = []
    leak = KNOWN_LEAKS.get((template, scenario, role))
    if leak:
        marks.append(pytest.mark.xfail(strict=True, reason=leak))
    return pytest.param(template, scenario, role, marks=marks, id=f"{template}|{scenario}|{role}")


CASES = [
    _case(template, scenario, role)
    for template in WALKED
    for scenario in scenarios_of(template)
    for role in ROLES
]


# The walk's own completeness


def test_every_route_with_a_parameter_says_what_fills_it():
    """A new route with a parameter fails here until ``PARAMS`` says which object of
    another consortium, pole or funder fills each of its parameters."""
    unknown = [
        (t, n)
        for t in ROUTES
        if not is_admin(t)
        for n in parameters(t)
        if n not in PARAMS.get(t, {})
    ]
    assert not unknown, f"add these to tests/url_walk.py PARAMS: {unknown}"
    stale = [t for t in PARAMS if t not in ROUTES]
    assert not stale, f"routes no longer in the URLconf, remove them from PARAMS: {stale}"
    extra = [(t, n) for t, filled in PARAMS.items() for n in filled if n not in parameters(t)]
    assert not extra, extra
    admin = {n for t in ADMIN for n in parameters(t)} - set(ADMIN_PARAMS)
    assert not admin, f"admin parameters the walk does not fill: {admin}"


def test_every_route_about_an_object_is_walked():
    """Each route naming an object is walked in at least one scenario."""
    assert len(WALKED) > 140
    assert [t for t in WALKED if not scenarios_of(t)] == []


def test_every_exception_is_about_a_walked_route():
    for template, scenario, roles, _methods, _statuses, _reason in EXCEPTIONS:
        assert scenario in scenarios_of(template), (template, scenario)
        assert set(roles) <= set(ROLES)
    for template, scenario, role in KNOWN_LEAKS:
        assert scenario in scenarios_of(template) and role in ROLES


@pytest.mark.django_db
def test_scenarios_fill_what_they_say(walk):
    for name, kinds in SCENARIO_KINDS.items():
        built = set(walk.scenarios[name]) - set(VALUES)
        assert built == kinds, (name, built ^ kinds)


# The walk


@pytest.mark.django_db
@pytest.mark.parametrize("template,scenario,role", CASES)
def test_foreign_objects_do_not_exist_for_the_role(walk, template, scenario, role):
    objects = walk.objects(template, scenario, role)
    url = walk.url(template, objects)
    assert resolve(url.partition("?")[0]), url  # a 404 must come from the view, not the URLconf
    before = walk.fingerprint(objects.values())
    wrong = []
    for method in methods(template):
        response = send(walk.clients[role], method, url, is_api(template))
        expected, reason = allowed(template, scenario, role, method)
        if status(response) not in expected:
            body = b"" if isinstance(response, Exception) else response.content[:300]
            wrong.append(f"{method.upper()} {url}: {status(response)} not in {expected} ({body})")
        elif response.status_code == 200:
            for obj in objects.values():  # what is public shows, never the confidential part
                if hasattr(obj, "description") and hasattr(obj, "acronym"):
                    assert SECRET.format(obj.acronym).encode() not in response.content
    assert not wrong, "\n".join(wrong)
    assert walk.fingerprint(objects.values()) == before, f"{url}: the walk changed data"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_valid_put_to_a_public_project_is_refused(walk, role):
    """The walk's empty PUT to FLABEL gets 400 (see EXCEPTIONS): a valid one, 404."""
    project = walk.world["projects"]["foreign_labelled"]
    body = {
        "acronym": "TAKEN",
        "title": "Taken over",
        "public_summary": "Taken over",
        "description": "Taken over",
        "trl_start": 3,
        "trl_target": 6,
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
    }
    before = walk.fingerprint([project])
    url = f"/api/v1/projects/{project.pk}/"
    response = walk.clients[role].put(url, body, content_type="application/json")
    assert response.status_code == 404
    assert walk.fingerprint([project]) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_nobodys_of_the_world(walk, role):
    """No person of the world is ``is_staff``: every admin page sends them to its sign-in."""
    wrong = []
    for template in ADMIN:
        url = template
        for name in parameters(template):
            value = url_walk.admin_value(template, name, walk.foreign_objects)
            url = url.replace("{" + name + "}", value)
        for method in ("get", "post"):
            response = send(walk.clients[role], method, url, api=False)
            if status(response) != 302 or not response["Location"].startswith("/admin/login/"):
                wrong.append(f"{method.upper()} {url}: {status(response)}")
    assert not wrong, "\n".join(wrong)


# Signed out

ANONYMOUS_PUBLIC = {
    "/": "the home page (a welcome with the sign-in link)",
    "/healthz": "DESIGN.md: 200 when the database answers",
    "/accounts/signup/": "creating an account",
    "/accounts/login/": "signing in",
    "/accounts/logout/": "signing out",
    "/accounts/password_reset/": "Django's password reset",
    "/accounts/password_reset/done/": "Django's password reset",
    "/accounts/reset/{uidb64}/{token}/": "Django's password reset: the token is the credential",
    "/accounts/reset/done/": "Django's password reset",
    "/i18n/setlang/": "choosing the language",
    "/invitations/{token}/": "an invitation link: the token is the credential (unknown: 404)",
    "/api/schema/": "DESIGN.md: the API's OpenAPI document",
    "/api/docs/": "DESIGN.md: the API's browsable docs",
}


def anonymous_url(walk, template):
    if is_admin(template):
        url = template
        for name in parameters(template):
            value = url_walk.admin_value(template, name, walk.foreign_objects)
            url = url.replace("{" + name + "}", value)
        return url
    if not PARAMS.get(template):
        return template
    scenario = (scenarios_of(template) or ["flabel"])[0]
    filled = {**walk.scenarios["flabel"], **walk.scenarios[scenario]}
    objects = {name: filled[kind] for name, kind in PARAMS[template].items()}
    return walk.url(template, objects)


@pytest.mark.django_db
def test_signed_out_every_page_sends_to_sign_in(walk):
    wrong = []
    for template in ROUTES:
        url = anonymous_url(walk, template)
        for method in ("get", "post"):
            response = send(walk.anonymous, method, url, is_api(template))
            code = status(response)
            if code == 405:  # a method the route does not take: refused before anything
                ok = True
            elif template in ANONYMOUS_PUBLIC:
                ok = isinstance(code, int) and code < 500
            elif template in ADMIN_PUBLIC:
                ok = isinstance(code, int) and code < 500
            elif is_admin(template):
                ok = code == 302 and response["Location"].startswith("/admin/login/")
            elif is_api(template):
                ok = code in (401, 403)
            else:
                ok = code == 302 and response["Location"].startswith("/accounts/login/")
            if not ok:
                where = response.get("Location", "") if not isinstance(response, Exception) else ""
                wrong.append(f"{method.upper()} {url}: {code} {where}")
    assert not wrong, "\n".join(wrong)
