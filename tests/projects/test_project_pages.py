"""A leader's and staff's story through the pages: bad input gets a message, nothing half-saved."""

import pytest

from projects.models import Partner, Project, State, StateChange

from ..shared import module_world
from ..world import build_world

pytestmark = pytest.mark.django_db


built_world, world = module_world(build_world)


def test_leader_creates_a_draft_project(client, world):
    leader = world["people"]["leader"]
    client.force_login(leader)
    response = client.post(
        "/projects/new/",
        {
            "coordinator": world["organisations"]["leader"].pk,
            "acronym": "NEWH2",
            "title": "Hydrogène vert pour les navettes",
            "trl_start": 3,
            "trl_target": 6,
            "start_date": "2027-01-01",
            "end_date": "2029-12-31",
        },
    )
    project = Project.objects.get(acronym="NEWH2")
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.state == State.DRAFT
    assert project.partners.get().role == Partner.Role.COORDINATOR
    assert "NEWH2" in client.get("/").content.decode()


def test_project_dates_and_trl_are_checked(client, world):
    client.force_login(world["people"]["leader"])
    response = client.post(
        "/projects/new/",
        {
            "coordinator": world["organisations"]["leader"].pk,
            "acronym": "BAD",
            "title": "Bad dates",
            "trl_start": 6,
            "trl_target": 4,
            "start_date": "2027-01-01",
            "end_date": "2026-01-01",
        },
    )
    errors = response.context["form"].errors
    assert "end_date" in errors and "trl_target" in errors
    assert not Project.objects.filter(acronym="BAD").exists()


def test_a_second_coordinator_is_refused_with_a_message(client, world):
    draft = world["projects"]["draft"]
    client.force_login(world["people"]["leader"])
    response = client.post(
        f"/projects/{draft.pk}/partners/",
        {
            "organisation": world["organisations"]["foreign"].pk,
            "role": "coordinator",
            "budget": "10",
        },
    )
    # the foreign organisation did not consent and is in no consortium of the leader's
    assert response.status_code == 400
    response = client.post(
        f"/projects/{draft.pk}/partners/",
        {
            "organisation": world["organisations"]["member"].pk,
            "role": "coordinator",
            "budget": "10",
        },
    )
    assert response.status_code == 400
    assert response.context["partner_form"].errors
    assert draft.partners.count() == 2


def test_unknown_or_forbidden_transitions_change_nothing(client, world):
    draft = world["projects"]["draft"]
    client.force_login(world["people"]["leader"])
    for state in ["bogus", State.RUNNING]:
        response = client.post(f"/projects/{draft.pk}/transition/", {"state": state}, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"])
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert not StateChange.objects.filter(project=draft).exists()


def test_leader_submits_and_staff_labels(client, world):
    draft, pole = world["projects"]["draft"], world["poles"]["own"]
    client.force_login(world["people"]["leader"])
    client.post(f"/projects/{draft.pk}/submit/", {"poles": [pole.pk]})
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    client.force_login(world["people"]["staff"])
    submission = draft.submissions.get()
    page = client.get(f"/projects/{draft.pk}/").content.decode()
    assert f"/submissions/{submission.pk}/decision/" in page
    response = client.post(
        f"/projects/{draft.pk}/submissions/{submission.pk}/decision/",
        {"decision": "labelled", "committee": "Comité de novembre", "opinion": "Très solide"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.LABELLED and draft.labelled_on is not None
    client.force_login(world["people"]["outsider"])
    page = client.get(f"/projects/{draft.pk}/").content.decode()
    assert draft.public_summary in page and draft.description not in page


def test_project_list_answers_htmx_with_the_fragment(client, world):
    client.force_login(world["people"]["leader"])
    fragment = client.get("/projects/?q=FUND", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="project-results"' in fragment
    assert "FUNDED" in fragment and "DRAFT" not in fragment
    page = client.get("/projects/?state=draft").content.decode()
    assert "<html" in page and ">DRAFT<" in page and ">FUNDED<" not in page


def test_budget_inline_form_rejects_bad_amounts_in_place(client, world):
    draft = world["projects"]["draft"]
    partner = draft.partners.get(organisation=world["organisations"]["member"])
    client.force_login(world["people"]["member"])
    url = f"/projects/{draft.pk}/partners/{partner.pk}/budget/"
    for bad in ["-5", "abc", "1.234,56"]:
        response = client.post(
            url, {"personnel_costs": bad, "version": 1}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 400
        assert "<html" not in response.content.decode() and "errorlist" in response.content.decode()
    partner.refresh_from_db()
    assert str(partner.budget) == "120000.00"
    response = client.post(
        url,
        {"personnel_costs": "150000.50", "equipment_costs": "", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "150\u00a0000,50\u00a0€" in html
    assert 'id="budget-total" hx-swap-oob="true"' in html  # the total follows
    partner.refresh_from_db()
    assert str(partner.budget) == "150000.50" and partner.version == 2


def test_a_second_save_over_the_same_version_is_refused_and_shows_the_newer_values(client, world):
    draft = world["projects"]["draft"]
    partner = draft.partners.get(organisation=world["organisations"]["member"])
    url = f"/projects/{draft.pk}/partners/{partner.pk}/budget/"
    client.force_login(world["people"]["leader"])
    client.post(url, {"personnel_costs": "90000", "version": 1}, headers={"HX-Request": "true"})
    client.force_login(world["people"]["member"])  # loaded version 1 before the leader saved
    response = client.post(
        url, {"personnel_costs": "70000", "version": 1}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="90000.00"' in html and 'name="version" value="2"' in html
    partner.refresh_from_db()
    assert partner.personnel_costs == 90000 and partner.version == 2
