"""A pole's pipeline: its staff see the projects submitted to the pole by state, and filter
them (theme, state, TRL, partner category and region, year, search) live; nobody else sees it,
and no count ever includes a project the person may not see."""

import copy
import datetime
import re

import pytest

from portal.models import Organisation, Region
from projects import services
from projects.models import Partner, State, Submission
from tests.factories import (
    PersonFactory,
    PoleFactory,
    ThemeFactory,
    pole_staff,
    project_with_consortium,
)
from tests.shared import build_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare messages in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _make(
    acronym,
    pole,
    *,
    state=State.SUBMITTED,
    trl=(3, 6),
    theme=None,
    partner=("sme", "ARA"),
    year=2026,
):
    """A project submitted to ``pole`` in ``year``: its coordinator is a large company of
    Île-de-France, its other partner of the given category and region."""
    project = project_with_consortium(
        state=state,
        pole=pole,
        acronym=acronym,
        title=f"{acronym} title",
        trl_start=trl[0],
        trl_target=trl[1],
        themes=[theme] if theme else [],
    )
    Organisation.objects.filter(
        pk=project.partners.get(role=Partner.Role.COORDINATOR).organisation_id
    ).update(category="large", region=Region.IDF)
    Organisation.objects.filter(
        pk=project.partners.get(role=Partner.Role.PARTNER).organisation_id
    ).update(category=partner[0], region=partner[1])
    Submission.objects.filter(project=project).update(
        submitted_at=datetime.datetime(year, 3, 1, 12, tzinfo=datetime.UTC)
    )
    return project


def _build():
    pole = PoleFactory(name="Pôle Alpha", short_name="Alpha")
    other_pole = PoleFactory(name="Pôle Beta", short_name="Beta")
    staff, other_staff = pole_staff(pole), pole_staff(other_pole)
    hydrogen = ThemeFactory(pole=pole, name="Hydrogène")
    batteries = ThemeFactory(pole=pole, name="Batteries")
    projects = {
        "H2LAB": _make(
            "H2LAB", pole, trl=(2, 4), theme=hydrogen, partner=("research", "BRE"), year=2025
        ),
        "BATT": _make("BATT", pole, trl=(5, 7), theme=batteries, partner=("sme", "ARA")),
        "LABEL": _make("LABEL", pole, state=State.LABELLED, trl=(4, 6), partner=("school", "OCC")),
        "REJ": _make(
            "REJ", pole, state=State.REJECTED, trl=(6, 8), partner=("midcap", "ARA"), year=2024
        ),
        # Submitted to another pole: not in this pole's pipeline, and invisible to its staff.
        "FOREIGN": _make("FOREIGN", other_pole, partner=("research", "BRE"), year=2019),
    }
    # Submitted to the pole, then withdrawn: its staff no longer see it.
    withdrawn = _make("GONE", pole, partner=("research", "BRE"), year=2025)
    leader = withdrawn.partners.get(role=Partner.Role.COORDINATOR).contact_rows.get().person
    services.change_state(withdrawn, State.DRAFT, by=leader)
    projects["GONE"] = withdrawn
    return {
        "pole": pole,
        "other_pole": other_pole,
        "staff": staff,
        "other_staff": other_staff,
        "themes": {"hydrogen": hydrogen, "batteries": batteries},
        "projects": projects,
        "leader": leader,
    }


@pytest.fixture(scope="module", autouse=True)
def built(django_db_setup, django_db_blocker):
    """The poles and projects, built once for the module (see ``tests/shared.py``)."""
    yield from build_once(django_db_blocker, _build)


@pytest.fixture
def data(built, db):
    return copy.deepcopy(built)


def listed(html):
    """The acronyms in the results of a project list."""
    results = html[html.index('id="project-results"') :]
    return set(re.findall(r'<a href="/projects/\d+/">([A-Z0-9]+)</a>', results))


def pipeline_url(data):
    return f"/poles/{data['pole'].pk}/pipeline/"


def test_staff_see_their_poles_projects_counted_by_state(client, data):
    client.force_login(data["staff"])
    response = client.get(pipeline_url(data))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pipeline of Pôle Alpha" in html
    assert listed(html) == {"H2LAB", "BATT", "LABEL", "REJ"}
    counts = {state.value: n for state, n in response.context["by_state"]}
    assert counts == {"submitted": 2, "labelled": 1, "rejected": 1}
    assert response.context["total"] == 4
    assert 'href="?state=submitted"' in html and 'href="?state=draft"' not in html


@pytest.mark.parametrize("who", ["other_staff", "leader", "outsider"])
def test_the_pipeline_exists_for_the_poles_staff_only(client, data, who):
    person = PersonFactory() if who == "outsider" else data[who]
    client.force_login(person)
    assert client.get(pipeline_url(data)).status_code == 404
    assert client.get(pipeline_url(data), headers={"HX-Request": "true"}).status_code == 404


def test_staff_of_one_pole_do_not_see_another_poles_pipeline(client, data):
    client.force_login(data["staff"])
    assert client.get(f"/poles/{data['other_pole'].pk}/pipeline/").status_code == 404
    assert client.get("/poles/999999/pipeline/").status_code == 404


FILTERS = [
    ("theme={hydrogen}", {"H2LAB"}),
    ("state=labelled", {"LABEL"}),
    ("state=submitted", {"H2LAB", "BATT"}),
    ("trl=5", {"BATT", "LABEL"}),
    ("trl=4", {"H2LAB", "LABEL"}),
    ("trl=9", set()),
    ("category=research", {"H2LAB"}),
    ("category=large", {"H2LAB", "BATT", "LABEL", "REJ"}),
    ("region=OCC", {"LABEL"}),
    ("region=ARA", {"BATT", "REJ"}),
    ("year=2025", {"H2LAB"}),
    ("year=2026", {"BATT", "LABEL"}),
    ("q=batt", {"BATT"}),
    ("category=sme&year=2026", {"BATT"}),
    ("category=research&region=OCC", set()),
    ("year=not-a-year", {"H2LAB", "BATT", "LABEL", "REJ"}),
]


@pytest.mark.parametrize("query,expected", FILTERS)
def test_each_filter_of_the_pipeline(client, data, query, expected):
    query = query.format(hydrogen=data["themes"]["hydrogen"].pk)
    client.force_login(data["staff"])
    fragment = client.get(
        f"{pipeline_url(data)}?{query}", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment
    assert listed(fragment) == expected


@pytest.mark.parametrize("query,expected", FILTERS)
def test_the_project_list_and_the_api_filter_the_same_way(client, data, query, expected):
    query = query.format(hydrogen=data["themes"]["hydrogen"].pk)
    client.force_login(data["staff"])
    assert listed(client.get(f"/projects/?{query}").content.decode()) == expected
    response = client.get(f"/api/v1/projects/?{query}")
    if query.startswith("year=not"):
        assert response.status_code == 400  # the API says what is wrong with a filter
        return
    api = response.json()
    assert {p["acronym"] for p in api["results"]} == expected
    assert api["count"] == len(expected)


def test_counts_and_lists_never_include_projects_the_person_may_not_see(client, data):
    client.force_login(data["staff"])
    response = client.get(pipeline_url(data))
    html = response.content.decode()
    # GONE was submitted to the pole and withdrawn; FOREIGN went to another pole.
    assert "GONE" not in html and "FOREIGN" not in html
    assert sum(n for _, n in response.context["by_state"]) == 4
    # Filtering cannot reveal them either, on the pipeline nor on the project list.
    for query in ("category=research&year=2025", "year=2019", f"pole={data['other_pole'].pk}"):
        assert listed(client.get(f"{pipeline_url(data)}?{query}").content.decode()) <= {"H2LAB"}
        assert listed(client.get(f"/projects/?{query}").content.decode()) <= {"H2LAB"}
    # The years offered are those of the projects the person sees.
    years = re.findall(r'<option value="(\d{4})"', html)
    assert years == ["2026", "2025", "2024"]
    client.force_login(data["other_staff"])
    html = client.get(f"/poles/{data['other_pole'].pk}/pipeline/").content.decode()
    assert listed(html) == {"FOREIGN"}
    assert re.findall(r'<option value="(\d{4})"', html) == ["2019"]


def test_an_outsider_filters_only_the_labelled_projects(client, data):
    client.force_login(PersonFactory())
    html = client.get("/projects/?category=school").content.decode()
    assert listed(html) == {"LABEL"}
    assert listed(client.get("/projects/?category=research").content.decode()) == set()
    page = client.get("/projects/").content.decode()
    year_select = re.search(r'<select name="year".*?</select>', page, re.S).group(0)
    # Only the year select: other selects' values are primary keys, four digits on PostgreSQL.
    assert re.findall(r'<option value="(\d+)"', year_select) == ["2026"]


def test_the_new_filters_show_on_the_project_list_for_everyone(client, data):
    client.force_login(PersonFactory())
    html = client.get("/projects/").content.decode()
    for name in ("q", "state", "pole", "theme", "trl", "category", "region", "year"):
        assert f'<label for="id_{name}">' in html
    assert 'hx-get="/projects/"' in html


def test_the_pipeline_shares_the_lists_form_without_the_pole(client, data):
    client.force_login(data["staff"])
    html = client.get(pipeline_url(data)).content.decode()
    assert f'hx-get="{pipeline_url(data)}"' in html
    assert 'hx-target="#project-results"' in html
    assert 'name="pole"' not in html
    for name in ("q", "state", "theme", "trl", "category", "region", "year"):
        assert f'<label for="id_{name}">' in html


def test_the_pipeline_paginates_and_keeps_its_filters(client, data):
    pole = data["pole"]
    for i in range(21):
        _make(f"MORE{i}", pole, trl=(5, 5))
    client.force_login(data["staff"])
    html = client.get(f"{pipeline_url(data)}?trl=5").content.decode()
    assert len(listed(html)) == 20
    assert "?trl=5&amp;page=2" in html
    second = client.get(f"{pipeline_url(data)}?trl=5&page=2", headers={"HX-Request": "true"})
    assert len(listed(second.content.decode())) == 3  # 21 + BATT + LABEL


def test_the_home_page_leads_staff_to_their_pipeline(client, data):
    client.force_login(data["staff"])
    html = client.get("/").content.decode()
    assert f'href="{pipeline_url(data)}"' in html
    assert f'href="{pipeline_url(data)}?state=submitted"' in html
