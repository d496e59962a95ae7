"""The permission table of DESIGN.md, walked for every role, page and API route.

Each row: a request, the object it is about, and what each role gets, in the order
leader, member, staff, funder, expert, outsider. What a person may not see does not
exist for them: 404. The rows are data in ``tests/matrix/``: adding one is one line.
"""

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from .matrix import BODIES, BUILDERS, FULL, NF, ROWS, SUMM
from .world import ROLES, SECRET, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, rolled back at its end; each test runs in a savepoint.

    Each role is signed in once here too, and ``sessions`` keeps its session key: signing in
    for each of the thousands of cases cost more than most of their requests."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = build_world()
        data["extra"] = {}
        for build in BUILDERS:
            build(data)
        data["sessions"] = {}
        for role in ROLES:
            signed_in = Client()
            signed_in.force_login(data["people"][role])
            data["sessions"][role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        yield data
        transaction.set_rollback(True)


def _resolve(template, world):
    """Fill ``{draft}``, ``{draft:member_partner}``, ``{org:member}``… with primary keys."""

    def key(match):
        name, _, part = match.group(1).partition(":")
        if name == "org":
            return str(world["organisations"][part].pk)
        if name == "pole":
            return str(world["poles"][part].pk)
        project = world["projects"][name]
        if not part:
            return str(project.pk)
        if part == "coordinator":
            return str(project.partners.get(role="coordinator").pk)
        if part == "member_partner":
            return str(project.partners.get(organisation=world["organisations"]["member"]).pk)
        if part == "submission":
            return str(project.submissions.get().pk)
        return str(world["extra"][f"{name}:{part}"].pk)

    return re.sub(r"\{([a-z_]+(?::[a-z_]+)?)\}", key, template)


def _body(name, world):
    body = BODIES.get(name)
    if body is None:
        return {}
    return {k: _value(v, world) for k, v in body.items()}


def _value(value, world):
    if callable(value):  # made afresh for each request, e.g. an uploaded file
        return value()
    if isinstance(value, list):
        return [_resolve(i, world) for i in value]
    return _resolve(value, world)


CASES = [
    pytest.param(name, method, path, role, expected, id=f"{name}:{obj}:{role}")
    for name, method, path, obj, *expectations in ROWS
    for role, expected in zip(ROLES, expectations, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,method,path,role,expected", CASES)
def test_permission_matrix(client, world, name, method, path, role, expected):
    # The role's session of the module (see ``world``): what a request changes in it is in
    # this test's savepoint, undone after it.
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    url = _resolve(path, world)
    body = _body(name, world)
    if url.startswith("/api/"):
        response = getattr(client, method)(url, body, content_type="application/json")
    else:
        response = getattr(client, method)(url, body)

    if expected == NF:
        assert response.status_code == 404, response.content[:500]
        return
    assert response.status_code in (200, 201, 204, 302), (
        response.status_code,
        response.content[:800],
    )
    if expected in (FULL, SUMM):
        project = next(
            p for p in world["projects"].values() if url.rstrip("/").endswith(f"/{p.pk}")
        )
        secret = SECRET.format(project.acronym)
        if url.startswith("/api/"):
            data = response.json()
            assert data["access"] == expected
            assert (data.get("description") == secret) is (expected == FULL)
            assert ("partners" in data) is (expected == FULL)
        else:
            assert (secret in response.content.decode()) is (expected == FULL)
            assert project.public_summary in response.content.decode()


#               leader member staff funder expert outsider
LISTED = {
    "leader": {"DRAFT", "SUBMIT", "FUNDED", "FLABEL"},
    "member": {"DRAFT", "SUBMIT", "FUNDED", "FLABEL"},
    "staff": {"SUBMIT", "FUNDED", "FLABEL"},
    "funder": {"FUNDED", "FLABEL"},
    "expert": {"SUBMIT", "FUNDED", "FLABEL"},
    "outsider": {"FUNDED", "FLABEL"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_exactly_what_each_role_may_see(client, world, role):
    client.force_login(world["people"][role])
    html = client.get("/projects/").content.decode()
    api = client.get("/api/v1/projects/").json()
    assert {p["acronym"] for p in api["results"]} == LISTED[role]
    assert api["count"] == len(LISTED[role])
    for project in world["projects"].values():
        assert (f">{project.acronym}<" in html) is (project.acronym in LISTED[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_partner_api_lists_only_visible_consortia(client, world, role):
    client.force_login(world["people"][role])
    listed = {p["project"] for p in client.get("/api/v1/partners/").json()["results"]}
    projects = world["projects"]
    expected = {
        "leader": {"draft", "submitted", "funded"},
        "member": {"draft", "submitted", "funded"},
        "staff": {"submitted", "funded"},
        "funder": {"funded"},
        "expert": {"submitted"},
        "outsider": set(),
    }[role]
    assert listed == {projects[k].pk for k in expected}


@pytest.mark.django_db
def test_pole_staff_never_see_another_poles_deliberation_notes(client, world):
    from projects.models import Submission

    project = world["projects"]["submitted"]
    other_pole = world["poles"]["foreign"]
    Submission.objects.create(project=project, pole=other_pole, staff_notes="Foreign notes")
    Submission.objects.filter(project=project, pole=world["poles"]["own"]).update(
        staff_notes="Own notes"
    )
    client.force_login(world["people"]["staff"])
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Own notes" in html
    assert "Foreign notes" not in html
    client.force_login(world["people"]["leader"])
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Own notes" not in html and "Foreign notes" not in html
