import pytest

from portal.models import Organisation
from projects.models import Partner, Project, State
from tokens.services import create_token

from ..factories import valid_siren
from ..shared import module_world
from ..world import build_world

pytestmark = pytest.mark.django_db


built_world, world = module_world(build_world)


@pytest.fixture
def api(client, world):
    """A client signed in as the leader, with a token rather than a session."""
    from django.test import Client

    _token, key = create_token(world["people"]["leader"], name="API tests", scope="read_write")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_token_authentication(api, client):
    assert api.get("/api/v1/projects/").status_code == 200
    bad = client.get("/api/v1/projects/", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_create_a_project_through_the_api(api, world):
    response = api.post(
        "/api/v1/projects/",
        {
            "coordinator": world["organisations"]["leader"].pk,
            "acronym": "APIH2",
            "title": "Projet créé par l'API",
            "trl_start": 2,
            "trl_target": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    project = Project.objects.get(acronym="APIH2")
    assert project.state == State.DRAFT and project.partners.get().role == "coordinator"


def test_project_validation_errors_are_field_errors(api, world):
    response = api.post(
        "/api/v1/projects/",
        {
            "coordinator": world["organisations"]["leader"].pk,
            "acronym": "X",
            "title": "Dates",
            "trl_start": 7,
            "trl_target": 3,
            "start_date": "2027-01-01",
            "end_date": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"trl_target", "end_date"}
    assert not Project.objects.filter(acronym="X").exists()


def test_coordinator_must_be_one_of_the_callers_organisations(api, world):
    response = api.post(
        "/api/v1/projects/",
        {"coordinator": world["organisations"]["foreign"].pk, "acronym": "Y", "title": "y"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "coordinator" in response.json()


def test_second_coordinator_and_duplicate_partner_are_400_on_their_field(api, world):
    draft = world["projects"]["draft"]
    open_org = Organisation.objects.create(
        legal_name="Open", siren=valid_siren(77), category="sme", directory_consent=True
    )
    response = api.post(
        "/api/v1/partners/",
        {"project": draft.pk, "organisation": open_org.pk, "role": "coordinator"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"role"}
    response = api.post(
        "/api/v1/partners/",
        {
            "project": draft.pk,
            "organisation": world["organisations"]["member"].pk,
            "role": "partner",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "organisation" in response.json()
    response = api.post(
        "/api/v1/partners/",
        {"project": draft.pk, "organisation": open_org.pk, "equipment_costs": "-1"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "equipment_costs" in response.json()
    assert draft.partners.count() == 2
    assert not Partner.objects.filter(organisation=open_org).exists()


def test_transitions_through_the_api(api, world):
    draft = world["projects"]["draft"]
    url = f"/api/v1/projects/{draft.pk}/transition/"
    response = api.post(url, {"state": "bogus"}, content_type="application/json")
    assert response.status_code == 400 and "state" in response.json()
    response = api.post(url, {"state": "running"}, content_type="application/json")
    assert response.status_code == 400 and "state" in response.json()
    response = api.post(
        f"/api/v1/projects/{draft.pk}/submit/",
        {"poles": [world["poles"]["own"].pk, world["poles"]["foreign"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["state"] == "submitted"
    assert {s["pole_name"] for s in response.json()["submissions"]} == {"Pôle Own", "Pôle Foreign"}
    response = api.post(url, {"state": "draft"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "draft"


def test_invalid_siren_is_a_400_with_the_siren_field(api):
    response = api.post(
        "/api/v1/organisations/",
        {"legal_name": "Mauvais SIREN", "siren": "123456789", "category": "sme"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "siren" in response.json()
    assert not Organisation.objects.filter(legal_name="Mauvais SIREN").exists()


def test_schema_and_docs_are_served_without_any_cdn(client, world):
    client.force_login(world["people"]["outsider"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/projects/{id}/transition/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs and "jsdelivr" not in docs
