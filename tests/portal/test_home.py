"""The home page fits the person: each role sees what it comes for, and nothing else."""

import pytest

from ..shared import module_world
from ..world import build_world

pytestmark = pytest.mark.django_db


built_world, world = module_world(build_world)


def _home(client, world, role):
    client.force_login(world["people"][role])
    response = client.get("/")
    assert response.status_code == 200
    return response.context["sections"], response.content.decode()


def _acronyms(projects):
    return {p.acronym for p in projects}


def test_leader_sees_their_projects_as_leader(client, world):
    sections, html = _home(client, world, "leader")
    assert _acronyms(sections["my_projects"]) == {"DRAFT", "SUBMIT", "FUNDED"}
    assert all(p.is_leader for p in sections["my_projects"])
    assert not sections["pipelines"] and not sections["funders"]
    assert "FDRAFT" not in html


def test_member_sees_the_projects_they_contribute_to(client, world):
    sections, _ = _home(client, world, "member")
    assert _acronyms(sections["my_projects"]) == {"DRAFT", "SUBMIT", "FUNDED"}
    assert not any(p.is_leader for p in sections["my_projects"])


def test_staff_see_their_poles_pipeline(client, world):
    sections, html = _home(client, world, "staff")
    (pipeline,) = sections["pipelines"]
    assert pipeline["pole"] == world["poles"]["own"]
    assert _acronyms(pipeline["awaiting"]) == {"SUBMIT"}
    assert pipeline["total"] == 2  # SUBMIT awaiting, FUNDED labelled
    assert "FLABEL" not in _acronyms(pipeline["awaiting"])
    assert "DRAFT<" not in html


def test_funder_sees_the_projects_they_fund(client, world):
    sections, _ = _home(client, world, "funder")
    assert [f.name for f in sections["funders"]] == ["Bpifrance"]
    assert _acronyms(sections["funded_projects"]) == {"FUNDED"}


def test_expert_sees_the_one_project_to_review(client, world):
    sections, _ = _home(client, world, "expert")
    assert [a.project.acronym for a in sections["expert_assignments"]] == ["SUBMIT"]
    assert not sections["my_projects"]


def test_outsider_sees_public_summaries_and_the_directory_only(client, world):
    sections, html = _home(client, world, "outsider")
    assert not sections["my_projects"] and not sections["pipelines"]
    assert not sections["funded_projects"] and not sections["expert_assignments"]
    assert _acronyms(sections["public_projects"]) == {"FUNDED", "FLABEL"}
    assert "/directory/" in html
    for hidden in ("DRAFT", "SUBMIT", "FDRAFT"):
        assert f">{hidden}<" not in html


def test_the_site_speaks_french_first_and_english_on_request(client, world):
    client.force_login(world["people"]["leader"])
    assert "Mes projets" in client.get("/").content.decode()
    english = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    assert "My projects" in english and 'lang="en"' in english


def test_a_funder_of_many_projects_sees_the_first_ones_and_how_many(client, world, monkeypatch):
    from funding.services import record_funding_line

    monkeypatch.setattr("portal.home.LISTED", 1)
    funded = world["projects"]["funded"]
    submitted = world["projects"]["submitted"]
    record_funding_line(
        project=submitted,
        partner=submitted.partners.first(),
        funder=funded.funding_lines.first().funder,
        programme="i-Nov",
        amount_requested=10,
    )
    client.force_login(world["people"]["funder"])
    response = client.get("/", headers={"Accept-Language": "en"})
    sections, html = response.context["sections"], response.content.decode()
    assert _acronyms(sections["funded_projects"]) == {"FUNDED"}  # the first, by acronym
    assert sections["funded_count"] == 2
    assert "2 projects; the first 1 are listed." in html
    assert 'href="/funding/portfolio/"' in html
