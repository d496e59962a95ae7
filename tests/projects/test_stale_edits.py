"""Projects, milestones and committee sessions edited by two people at once: the second save,
over the version both loaded, is refused with the newer values (``tests/stale.py``)."""

import pytest

from projects.forms import CommitteeSessionForm, MilestoneForm, ProjectForm

from ..shared import module_world
from ..stale import Case, api_story, build_matrix_world, form_data, page_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]


built_world, world = module_world(build_matrix_world, language="en", site=True)


CASES = [
    Case(
        "project",
        "leader",
        lambda world: world["projects"]["draft"],
        "title",
        ("Green hydrogen shuttles", "Blue hydrogen shuttles"),
        api="projects/{pk}/",
        page="/projects/{pk}/edit/",
        page_data=lambda project: form_data(ProjectForm(instance=project)),
    ),
    Case(
        "milestone",
        "leader",
        lambda world: world["extra"]["draft:member_milestone"],
        "title",
        ("D1, second run", "D1, third run"),
        api="milestones/{pk}/",
        page="/projects/{project}/milestones/{pk}/edit/",
        page_data=lambda m: form_data(MilestoneForm(instance=m, project=m.project)),
        second="member",
    ),
    Case(
        "committee session",
        "staff",
        lambda world: world["extra"]["submitted:session"],
        "name",
        ("February committee (postponed)", "February committee (cancelled)"),
        api="committee-sessions/{pk}/",
        page="/poles/{pole}/committees/{pk}/edit/",
        page_data=lambda session: form_data(CommitteeSessionForm(instance=session)),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_stale_page_save_is_refused_with_the_newer_values(client, world, case):
    page_story(client, world, case)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_stale_api_change_is_a_409_with_the_current_values(client, world, case):
    api_story(client, world, case)


def test_marking_a_milestone_done_makes_an_open_edit_form_stale(client, world):
    milestone = world["extra"]["draft:member_milestone"]
    client.force_login(world["people"]["leader"])
    url = f"/projects/{milestone.project_id}/milestones/{milestone.pk}/"
    assert client.post(url + "done/").status_code == 302
    data = form_data(MilestoneForm(instance=milestone, project=milestone.project))
    response = client.post(url + "edit/", {**data, "version": 1})  # opened before, not done
    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.done_on is not None and milestone.version == 2


def test_a_stale_api_change_of_the_themes_writes_none_of_them(client, world):
    project = world["projects"]["draft"]
    client.force_login(world["people"]["leader"])
    url = f"/api/v1/projects/{project.pk}/"
    client.patch(url, {"title": "Green shuttles", "version": 1}, content_type="application/json")
    response = client.patch(url, {"themes": [], "version": 1}, content_type="application/json")
    assert response.status_code == 409
    assert project.themes.exists()
