"""Two people edit the same object (optimistic locking, ``portal.modelutils.claim_version``).

Each app's ``test_stale_edits.py`` lists its objects as ``Case``s and runs the same two
stories on each:

- on the pages, two people loaded the form at version 1; the first saves; the second's save
  is refused (409) with the message, the form showing the first one's values and the new
  version, and nothing of theirs is written;
- in the API, a change with the version edited is saved (200, version + 1); another one with
  the old version answers 409 with the current values, and nothing of it is written.

The objects come from the world of the permission matrix (``tests/matrix``), built once for
each module as ``tests/shared.py`` says, in English (the pages are compared in English).
"""

from collections.abc import Callable
from dataclasses import dataclass

from .matrix import BUILDERS
from .world import build_world

STALE = "Someone else saved a change meanwhile: check the newer values and save again."


def build_matrix_world():
    """The permission matrix's world, with every feature's objects (``world["extra"]``)."""
    world = build_world()
    world["extra"] = {}
    for build in BUILDERS:
        build(world)
    return world


def form_data(form):
    """What a browser posts back for an unchanged ``form`` (its initial values)."""
    data = {}
    for field in form:
        value = field.value()
        if value is not None and value is not False:
            data[field.html_name] = value
    return data


@dataclass
class Case:
    name: str
    role: str  # who saves first
    get: Callable  # world → the object
    field: str  # the field both change
    values: tuple  # the first one's value, the second one's (as posted)
    api: str = ""  # the API route, "{pk}" for the object's
    page: str = ""  # the page's route: "{pk}", "{project}", "{pole}" filled from the object
    page_data: Callable = None  # the object → what the page's form posts, version apart
    shown: str = ""  # how the first value shows on the page after the refusal
    form_shown: bool = True  # the form is shown again (its hidden version with it)
    second: str = ""  # who saves second, if another role may: else the same, in another tab

    def __str__(self):
        return self.name


def _url(template, obj):
    project = getattr(obj, "project_id", None) or getattr(
        getattr(obj, "line", None), "project_id", None
    )
    pole = getattr(obj, "pole_id", None)
    return template.format(pk=obj.pk, project=project, pole=pole)


def page_story(client, world, case):
    obj = case.get(world)
    url = _url(case.page, obj)
    first, second = case.values
    client.force_login(world["people"][case.role])
    loaded = {**case.page_data(obj), "version": 1}
    response = client.post(url, {**loaded, case.field: first})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    client.force_login(world["people"][case.second or case.role])
    response = client.post(url, {**loaded, case.field: second})  # loaded at 1 too
    assert response.status_code == 409
    html = response.content.decode()
    assert STALE in html and "The form shows the newer values." in html
    assert (case.shown or str(first)) in html
    if case.form_shown:
        assert 'name="version" value="2"' in html
    _assert_kept(obj, case.field, first)


def api_story(client, world, case):
    obj = case.get(world)
    url = "/api/v1/" + case.api.format(pk=obj.pk)
    first, second = case.values
    client.force_login(world["people"][case.role])
    response = client.patch(url, {case.field: first, "version": 1}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert (response.json()[case.field], response.json()["version"]) == (first, 2)
    response = client.patch(
        url, {case.field: second, "version": 1}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == STALE
    current = response.json()["current"]
    assert (current[case.field], current["version"]) == (first, 2)
    _assert_kept(obj, case.field, first)


def _assert_kept(obj, name, value):
    """The database holds the first one's ``value`` (as posted) at version 2."""
    obj.refresh_from_db()
    stored = obj._meta.get_field(name).to_python(value)
    assert (getattr(obj, name), obj.version) == (stored, 2)
