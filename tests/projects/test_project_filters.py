"""The project list's filters: a project shows once, however many of its partners, poles or
themes match (the list only pays for DISTINCT when a filter joins those)."""

import pytest

from ..world import build_world

pytestmark = pytest.mark.django_db

# Every partner of the world's projects is an SME of Auvergne-Rhône-Alpes.
QUERIES = ["", "category=sme", "region=ARA", "category=sme&region=ARA&q=D"]


@pytest.mark.parametrize("query", QUERIES)
def test_a_project_whose_partners_all_match_is_listed_once(client, query):
    world = build_world()
    client.force_login(world["people"]["leader"])
    page = client.get(f"/projects/?{query}").context["page"]
    acronyms = [project.acronym for project in page]
    assert acronyms and len(acronyms) == len(set(acronyms)) == page.paginator.count


@pytest.mark.parametrize("query", QUERIES)
def test_the_api_lists_it_once_too(client, query):
    world = build_world()
    client.force_login(world["people"]["leader"])
    body = client.get(f"/api/v1/projects/?{query}").json()
    ids = [project["id"] for project in body["results"]]
    assert ids and len(ids) == len(set(ids)) == body["count"]
