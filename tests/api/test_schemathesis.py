"""The API keeps the promises of its OpenAPI document: schemathesis generates requests for every
operation of ``/api/schema/`` and sends them to the application in-process, as the consortium
leader and as pole staff, each with a read-write token. No answer may be a server error, every
status must be one the document declares, and every body must match its schema.

Bounded for CI: a few examples per operation (``MAX_EXAMPLES``, positive and negative data),
derandomized so that a run is reproducible, no shrinking, no example database, no coverage or
stateful phase. Generated integers are three times in four replaced by the id of an object the
role may see (``{id}``, references such as ``project`` in bodies and filters, read from the
lists once for the module), and the ``version`` of the object changed by its current one, so
that reads, changes and actions reach real objects and not only 404s. Each operation runs in a
savepoint of the module's data (``tests/shared.py``): what its examples write is undone.

To reproduce a failure, run its operation alone, e.g. ``pytest tests/api/test_schemathesis.py
-k "PATCH and projects and leader"``; schemathesis prints the failing request as a curl command.
"""

import contextlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from portal.wsgi import application
from tokens.services import create_token

from ..matrix import BUILDERS
from ..shared import build_once
from ..world import build_world

MAX_EXAMPLES = 6
ROLES = ["leader", "staff"]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            # The coverage phase sends dozens of boundary cases per operation whatever
            # max-examples says, and the stateful phase chains operations: both too slow here.
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
            # The token is ours (``Authorization`` below), not generated.
            "with-security-parameters": False,
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


def _list_paths():
    """The list path under which each path with an ``{id}`` lives: ``/api/v1/projects/`` for
    ``/api/v1/projects/{id}/history/``, when that list exists."""
    return [
        path
        for path, methods in schema.raw_schema["paths"].items()
        if "get" in methods and "{" not in path
    ]


def _build():
    world = build_world()
    world["extra"] = {}
    for build in BUILDERS:
        build(world)
    keys, ids, clients = {}, {}, {}
    for role in ROLES:
        _token, keys[role] = create_token(
            world["people"][role], name="schemathesis", scope="read_write"
        )
        client = clients[role] = Client(headers={"Authorization": f"Bearer {keys[role]}"})
        for path in _list_paths():
            response = client.get(path, {"page_size": 100})
            body = response.json() if response.status_code == 200 else {}
            rows = body.get("results", []) if isinstance(body, dict) else body
            ids[role, path] = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
    return {"keys": keys, "ids": ids, "client": clients}


@pytest.fixture(scope="module", autouse=True)
def built(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(django_db_blocker, _build)


@contextlib.contextmanager
def connections_kept_open():
    """Django closes a connection whose transaction is still open at the start and the end of
    a request (``close_old_connections``): the test client stops that for each of its requests,
    and so must a WSGI client, or the module's transaction would be lost (on PostgreSQL)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


# Fields and filters that name another object: the list its ids are read from.
REFERENCES = {
    "campaign": "/api/v1/campaigns/",
    "coordinator": "/api/v1/organisations/",
    "fee_call": "/api/v1/fee-calls/",
    "funder": "/api/v1/funders/",
    "launch": "/api/v1/launches/",
    "line": "/api/v1/funding-lines/",
    "organisation": "/api/v1/organisations/",
    "other_projects": "/api/v1/projects/",
    "partner": "/api/v1/partners/",
    "pole": "/api/v1/poles/",
    "poles": "/api/v1/poles/",
    "post": "/api/v1/posts/",
    "programme": "/api/v1/programmes/",
    "project": "/api/v1/projects/",
    "session": "/api/v1/committee-sessions/",
    "submission": "/api/v1/submissions/",
}


def _pick(value, ids):
    """Three generated integers in four become the id of an object the role may see; the
    fourth, and whatever is not an integer, is sent as generated."""
    if isinstance(value, list):
        return [_pick(item, ids) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and ids and value % 4:
        return ids[value % len(ids)]
    return value


def _real_objects(case, role, built):
    """Point the case at the objects of the module's data: ``{id}``, references to other
    objects in the body and the filters, and the ``version`` of the object changed."""
    ids = built["ids"]
    path = case.operation.path
    list_path = path[: path.index("{")] if "{" in path else None
    if list_path and isinstance(case.path_parameters, dict) and "id" in case.path_parameters:
        case.path_parameters["id"] = _pick(case.path_parameters["id"], ids.get((role, list_path)))
    for values in (case.query, case.body):
        if isinstance(values, dict):
            for name, value in values.items():
                if name in REFERENCES:
                    values[name] = _pick(value, ids.get((role, REFERENCES[name])))
    body = case.body
    if list_path and isinstance(body, dict) and isinstance(body.get("version"), int):
        if body["version"] % 4 and isinstance(case.path_parameters.get("id"), int):
            current = built["client"][role].get(f"{list_path}{case.path_parameters['id']}/")
            if current.status_code == 200 and "version" in current.json():
                body["version"] = current.json()["version"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    deadline=None,
    # Every example of an operation runs in the same savepoint, on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api(case, role, built):
    _real_objects(case, role, built)
    with connections_kept_open():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {built['keys'][role]}"}, checks=CHECKS
        )
