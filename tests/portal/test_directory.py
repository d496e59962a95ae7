"""The member directory: who is listed to whom, the accent-free text search (on SQLite and on
PostgreSQL: ``scripts/with-postgres -- .venv/bin/pytest tests/portal/test_directory.py``), the
filters, the HTMX fragment, the API and the organisation's page."""

from io import StringIO

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.directory import naf_section, sector_label
from portal.matchmaking import close_post, create_post
from portal.models import Membership, Organisation, Person, Post, Theme
from portal.services import create_organisation
from projects import services
from projects.models import Project

from ..factories import valid_siren
from ..shared import module_world
from ..world import _label, _project, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def member(organisation, pole, status=Membership.Status.CURRENT):
    Membership.objects.update_or_create(
        organisation=organisation, pole=pole, defaults={"status": status}
    )
    return organisation


def organisation(name, n, *, pole=None, consent=True, admin=None, **fields):
    fields.setdefault("category", "sme")
    fields.setdefault("region", "ARA")
    created = create_organisation(
        Organisation(
            legal_name=name, siren=valid_siren(7000 + n), directory_consent=consent, **fields
        ),
        admin=admin,
    )
    return member(created, pole) if pole else created


def _build_world():
    world = build_world()
    own = world["poles"]["own"]
    member(world["organisations"]["leader"], own)
    member(world["organisations"]["member"], own)  # did not consent: staff and partners see it
    member(world["organisations"]["foreign"], world["poles"]["foreign"])
    return world


built_world, world = module_world(_build_world, language="en")


def names(response):
    if response["Content-Type"].startswith("application/json"):
        return {row["legal_name"] for row in response.json()["results"]}
    return {o.legal_name for o in response.context["page"]}


def search(client, world, role="outsider", **params):
    client.force_login(world["people"][role])
    return names(client.get("/directory/", params))


@pytest.fixture
def schools(world):
    own = world["poles"]["own"]
    organisation("École des Mines d'Alès", 1, pole=own, category="school", city="Alès")
    organisation("ÉCOLE NORMALE SUPÉRIEURE", 2, pole=own, category="school", region="IDF")
    organisation("ecole du numerique", 3, pole=own, category="school", keywords="IA, données")
    organisation("Collège de France", 4, pole=own, category="school", region="IDF")
    return {"École des Mines d'Alès", "ÉCOLE NORMALE SUPÉRIEURE", "ecole du numerique"}


@pytest.mark.parametrize("query", ["ecole", "École", "ÉCOLE", "eCoLe", "  ecole  "])
def test_the_search_ignores_accents_and_case(client, world, schools, query):
    assert search(client, world, q=query) == schools


def test_every_word_of_the_query_must_match(client, world, schools):
    assert search(client, world, q="ecole mines") == {"École des Mines d'Alès"}
    assert search(client, world, q="Normale supérieure") == {"ÉCOLE NORMALE SUPÉRIEURE"}
    # A word may match the name and another a keyword, or the city.
    assert search(client, world, q="école données") == {"ecole du numerique"}
    assert search(client, world, q="ales ecole") == {"École des Mines d'Alès"}
    assert search(client, world, q="ecole sorbonne") == set()


def test_the_search_looks_at_competences_keywords_city_and_description(client, world):
    own = world["poles"]["own"]
    organisation("Alpha", 10, pole=own, competences="Moulage RTM, thermoplastiques renforcés")
    organisation("Beta", 11, pole=own, keywords="pile à combustible, électrolyse")
    organisation("Gamma", 12, pole=own, city="Besançon")
    organisation("Delta", 13, pole=own, description="Spécialiste de la fibre optique")
    assert search(client, world, q="thermoplastiques renforces") == {"Alpha"}
    assert search(client, world, q="ELECTROLYSE") == {"Beta"}
    assert search(client, world, q="besancon") == {"Gamma"}
    assert search(client, world, q="fibre optique") == {"Delta"}
    assert search(client, world, q=valid_siren(7011)) == {"Beta"}  # the SIREN, as a whole


def test_only_active_members_are_listed(client, world):
    own = world["poles"]["own"]
    organisation("Current Member", 20, pole=own)
    organisation("In Grace", 21, pole=own)
    Membership.objects.filter(organisation__legal_name="In Grace").update(status="grace")
    organisation("Just Applied", 22)
    member(Organisation.objects.get(legal_name="Just Applied"), own, Membership.Status.APPLIED)
    organisation("Lapsed", 23)
    member(Organisation.objects.get(legal_name="Lapsed"), own, Membership.Status.EXPIRED)
    organisation("Never Joined", 24)
    listed = search(client, world)
    assert {"Current Member", "In Grace", "Leader SAS"} <= listed
    assert not {"Just Applied", "Lapsed", "Never Joined", "Outsider SARL"} & listed


def test_organisations_that_did_not_consent_are_shown_to_their_poles_staff_only(client, world):
    own = world["poles"]["own"]
    hidden_admin = Person.objects.create_user("hidden@world.example", "demo")
    hidden = organisation("Discreet Composites", 30, pole=own, consent=False, admin=hidden_admin)
    world["people"]["hidden"] = hidden_admin
    world["people"]["other-staff"] = Person.objects.get(email="other-staff@world.example")
    seen = {
        role: "Discreet Composites" in search(client, world, role)
        for role in ["staff", "other-staff", "outsider", "leader", "funder", "hidden"]
    }
    assert seen == {
        "staff": True,  # staff of the pole it is a member of
        "other-staff": False,  # staff of another pole
        "outsider": False,
        "leader": False,
        "funder": False,
        "hidden": True,  # its own people
    }
    # Not public: its page does not exist for the others either, nor in the API.
    client.force_login(world["people"]["outsider"])
    assert client.get(f"/organisations/{hidden.pk}/").status_code == 404
    assert "Discreet Composites" not in names(client.get("/api/v1/directory/"))
    client.force_login(world["people"]["staff"])
    assert client.get(f"/organisations/{hidden.pk}/").status_code == 200
    assert "Discreet Composites" in names(client.get("/api/v1/directory/", {"q": "discreet"}))
    # The consortium partners of one's projects stay visible, as elsewhere.
    assert "Member Lab" in search(client, world, "leader")
    assert "Member Lab" not in search(client, world, "outsider")


def test_filters_region_sector_category_and_pole(client, world):
    own, foreign = world["poles"]["own"], world["poles"]["foreign"]
    organisation("Software Lyon", 40, pole=own, naf_code="62.01Z")
    organisation("Moulage Grenoble", 41, pole=own, naf_code="22.29A", category="midcap")
    organisation(
        "Lab Rennes", 42, pole=foreign, naf_code="72.19Z", region="BRE", category="research"
    )
    assert search(client, world, sector="J") == {"Software Lyon"}
    assert search(client, world, sector="C") == {"Moulage Grenoble"}
    assert search(client, world, sector="M") == {"Lab Rennes"}
    assert search(client, world, region="BRE") == {"Lab Rennes"}
    assert search(client, world, category="midcap") == {"Moulage Grenoble"}
    assert search(client, world, pole=foreign.pk) == {"Lab Rennes"}
    assert "Lab Rennes" not in search(client, world, pole=own.pk)
    assert search(client, world, region="ARA", sector="C", category="midcap") == {
        "Moulage Grenoble"
    }
    assert search(client, world, q="software", sector="C") == set()


def test_the_theme_filter_looks_at_public_projects_and_posts(client, world):
    own = world["poles"]["own"]
    theme = Theme.objects.get(name="Hydrogène")
    world["projects"]["funded"].themes.add(theme)  # labelled: public
    lonely = organisation("Only In A Draft", 50, pole=own, admin=world["people"]["outsider"])
    draft = services.create_project(
        by=world["people"]["outsider"],
        coordinator=lonely,
        acronym="SECRETH2",
        title="x",
        themes=[theme],
    )
    assert draft.labelled_on is None
    poster = organisation("H2 Poster", 51, pole=own, admin=world["people"]["expert"])
    post = create_post(
        by=world["people"]["expert"],
        organisation=poster,
        kind=Post.Kind.OFFER,
        title="Essais hydrogène",
        body="Banc d'essai",
        themes=[theme],
    )
    # The consortium of the labelled project and the poster; not the draft's coordinator.
    found = search(client, world, "leader", theme=theme.pk)
    assert found == {"Leader SAS", "Member Lab", "H2 Poster"}
    assert search(client, world, "outsider", theme=theme.pk) == {"Leader SAS", "H2 Poster"}
    close_post(post)
    assert search(client, world, "outsider", theme=theme.pk) == {"Leader SAS"}


def test_the_theme_filter_groups_the_themes_by_pole(client, world):
    own, foreign = world["poles"]["own"], world["poles"]["foreign"]
    foreign.short_name = "PF"
    foreign.save()
    Theme.objects.create(pole=foreign, name="Hydrogène")  # the same name, another pole
    Theme.objects.create(pole=own, name="Aéronautique")
    client.force_login(world["people"]["outsider"])
    form = client.get("/directory/").context["filter"].form
    assert list(form.fields["theme"].choices) == [
        ("", "Toutes les thématiques"),
        ("PF", [(Theme.objects.get(pole=foreign).pk, "Hydrogène")]),
        (
            "Pôle Own",
            [
                (Theme.objects.get(pole=own, name="Aéronautique").pk, "Aéronautique"),
                (Theme.objects.get(pole=own, name="Hydrogène").pk, "Hydrogène"),
            ],
        ),
    ]
    html = str(form["theme"])
    assert html == forms.Select(choices=form.fields["theme"].choices).render(
        "theme", None, attrs={"id": "id_theme"}
    )
    assert '<optgroup label="PF">' in html and '<optgroup label="Pôle Own">' in html


def test_each_entry_shows_its_sector_region_keywords_and_public_projects(client, world):
    leader_org = world["organisations"]["leader"]
    leader_org.naf_code = "22.29A"
    leader_org.keywords = "composites, allègement"
    leader_org.save()
    client.force_login(world["people"]["outsider"])
    html = client.get("/directory/", {"q": "leader"}).content.decode()
    assert "Industrie manufacturière" in html and "Auvergne-Rhône-Alpes" in html
    assert "composites, allègement" in html
    assert ">FUNDED<" in html  # labelled, public
    assert "DRAFT" not in html and "SUBMIT" not in html  # not labelled: confidential


def test_naf_sections():
    assert naf_section("62.01Z") == "J"
    assert naf_section("01.11Z") == "A"
    assert naf_section("33.20A") == "C"
    assert naf_section("99.00Z") == "U"
    assert naf_section("") == "" and naf_section("04.00Z") == ""
    assert sector_label("85.42Z") == "Enseignement"


def test_the_htmx_request_gets_the_results_fragment(client, world, schools):
    client.force_login(world["people"]["outsider"])
    page = client.get("/directory/", {"q": "ecole"}).content.decode()
    assert "<html" in page and 'id="directory-results"' in page and 'name="q"' in page
    fragment = client.get("/directory/", {"q": "ecole"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'name="q"' not in html
    assert html.strip().startswith('<div id="directory-results"')
    assert "ÉCOLE NORMALE SUPÉRIEURE" in html and "Collège de France" not in html


def test_pages_of_25(client, world):
    own = world["poles"]["own"]
    for n in range(30):
        organisation(f"Paged {n:02}", 100 + n, pole=own)
    client.force_login(world["people"]["outsider"])
    first = client.get("/directory/", {"q": "paged"})
    assert len(first.context["page"]) == 25 and first.context["page"].paginator.count == 30
    second = client.get("/directory/", {"q": "paged", "page": 2})
    assert [o.legal_name for o in second.context["page"]] == [f"Paged {n}" for n in range(25, 30)]
    assert "q=paged&amp;page=2" in first.content.decode()


def test_past_the_cap_the_count_says_more_than_and_asks_for_a_narrower_search(
    client, world, monkeypatch
):
    monkeypatch.setattr("portal.views.DIRECTORY_COUNT_CAP", 30)
    own = world["poles"]["own"]
    for n in range(31):
        organisation(f"Capped {n:02}", 300 + n, pole=own)
    client.force_login(world["people"]["outsider"])
    response = client.get("/directory/", {"q": "capped"})
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count == 30 and paginator.num_pages == 2
    assert "Plus de 30 organisations : précisez votre recherche pour les voir toutes." in (
        response.content.decode()
    )
    # The last page ends at the cap; a page past it is the last one.
    last = client.get("/directory/", {"q": "capped", "page": 9})
    assert [o.legal_name for o in last.context["page"]] == [f"Capped {n}" for n in range(25, 30)]
    # At the cap or under it, the count is exact.
    Organisation.objects.filter(legal_name="Capped 30").delete()
    response = client.get("/directory/", {"q": "capped"})
    assert not response.context["page"].paginator.capped
    assert "30 organisations" in response.content.decode()
    assert "Plus de" not in response.content.decode()


def test_in_french_the_cap_is_written_with_its_thousands(client, world, monkeypatch):
    organisation("Solitaire", 400, pole=world["poles"]["own"])
    # As if the search had matched more than a cap of 1 000.
    monkeypatch.setattr("portal.views.DIRECTORY_COUNT_CAP", 1000)
    monkeypatch.setattr("portal.pagination.CappedPaginator._counted", 1001)
    client.force_login(world["people"]["outsider"])
    html = client.get("/directory/", {"q": "solitaire"}, HTTP_ACCEPT_LANGUAGE="fr").content
    assert "Plus de 1\xa0000 organisations : précisez votre recherche" in html.decode()


def test_an_entry_shows_its_first_five_projects_and_links_to_the_rest(client, world):
    own, staff = world["poles"]["own"], world["people"]["staff"]
    leader, leader_org = world["people"]["leader"], world["organisations"]["leader"]
    for n in range(6):
        _label(_project(f"ZZ{n}", leader, leader_org), own, staff)
    client.force_login(world["people"]["outsider"])
    # FUNDED, FLABEL… and ZZ0 to ZZ5: the first five by acronym, then how many more.
    labelled = sorted(
        Project.objects.filter(
            partners__organisation=leader_org, labelled_on__isnull=False
        ).values_list("acronym", flat=True)
    )
    assert len(labelled) > 5
    response = client.get("/directory/", {"q": "leader sas"})
    (entry,) = response.context["page"]
    assert [p.acronym for p in entry.public_projects] == labelled[:5]
    assert entry.more_projects == len(labelled) - 5
    html = response.content.decode()
    more = len(labelled) - 5
    assert f'<a href="/organisations/{leader_org.pk}/" class="muted">et {more} autres' in html
    assert f">{labelled[5]}<" not in html
    # The API: the same five, and how many there are.
    row = client.get("/api/v1/directory/", {"q": "leader sas"}).json()["results"][0]
    assert [p["acronym"] for p in row["projects"]] == labelled[:5]
    assert row["projects_total"] == len(labelled)


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_members(client, world):
    own = world["poles"]["own"]
    funded = world["projects"]["funded"]
    organisation("Grown first", 200, pole=own, naf_code="22.29A")
    client.force_login(world["people"]["staff"])
    funded.themes.add(theme := Theme.objects.get(name="Hydrogène"))
    urls = [
        "/directory/",
        f"/directory/?q=grown&region=ARA&theme={theme.pk}&sector=C",
        "/api/v1/directory/",
    ]
    services.add_partner(funded, organisation=Organisation.objects.get(legal_name="Grown first"))
    before = [_count(client, url) for url in urls]
    for n in range(8):
        grown = organisation(f"Grown {n}", 210 + n, pole=own, naf_code="22.29A")
        services.add_partner(funded, organisation=grown, personnel_costs="1000.00")
    assert [_count(client, url) for url in urls] == before
    assert "Grown 7" in client.get(urls[1]).content.decode()


def test_the_api_searches_and_filters_like_the_page(client, world, schools):
    client.force_login(world["people"]["outsider"])
    response = client.get("/api/v1/directory/", {"q": "ECOLE", "region": "IDF"})
    assert names(response) == {"ÉCOLE NORMALE SUPÉRIEURE"}
    client.force_login(world["people"]["leader"])
    leader = client.get("/api/v1/directory/", {"q": "leader sas"}).json()["results"][0]
    assert leader["region_label"] == "Auvergne-Rhône-Alpes"
    assert [p["acronym"] for p in leader["projects"]] == ["FUNDED"]
    assert client.get("/api/v1/directory/", {"sector": "Z"}).status_code == 400


def test_rebuild_search_text_repairs_rows_written_without_save(client, world):
    own = world["poles"]["own"]
    (bulk,) = Organisation.objects.bulk_create(
        [
            Organisation(
                legal_name="Bulk Université",
                siren=valid_siren(300),
                category="school",
                directory_consent=True,
            )
        ]
    )
    member(bulk, own)
    assert search(client, world, q="universite") == set()
    out = StringIO()
    call_command("rebuild_search_text", stdout=out)
    assert "1 organisation(s)" in out.getvalue()
    assert search(client, world, q="universite") == {"Bulk Université"}
    out = StringIO()
    call_command("rebuild_search_text", stdout=out)  # what save() wrote is left alone
    assert "0 organisation(s), 0 post(s)" in out.getvalue()


def test_the_organisation_page_shows_its_sector_poles_projects_and_posts(client, world):
    leader_org = world["organisations"]["leader"]
    leader_org.naf_code = "62.01Z"
    leader_org.save()
    create_post(
        by=world["people"]["leader"],
        organisation=leader_org,
        kind=Post.Kind.NEED,
        title="Cherche laboratoire en composites",
        body="Pour un démonstrateur.",
    )
    client.force_login(world["people"]["member"])
    html = client.get(f"/organisations/{leader_org.pk}/").content.decode()
    assert "Information et communication" in html
    assert "Pôle Own" in html  # member of
    assert "FUNDED" in html
    assert "Cherche laboratoire en composites" in html
    assert f'href="/organisations/{leader_org.pk}/contact/"' in html
    client.force_login(world["people"]["leader"])  # one's own: no contact button
    html = client.get(f"/organisations/{leader_org.pk}/").content.decode()
    assert "/contact/" not in html and 'href="/matchmaking/new/"' in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_on_postgresql_a_search_word_is_looked_up_in_the_trigram_index(world):
    searched = Organisation.objects.filter(search_text__contains="pixarobotics").order_by()
    sql, params = searched.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is too small to need it
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organisation_search_trgm" in plan
