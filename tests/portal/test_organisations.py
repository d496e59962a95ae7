import pytest

from portal.models import Affiliation, Membership, Organisation, Person, Pole

from ..factories import valid_siren

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = Person.objects.create_user("anne@example.fr", "x")
    client.force_login(person)
    return person


def _form(**changes):
    data = {
        "legal_name": "Composites du Dauphiné",
        "category": "sme",
        "siren": valid_siren(42),
        "siret": "",
        "country": "FR",
        "region": "ARA",
        "city": "Grenoble",
        "naf_code": "22.29A",
        "directory_consent": "on",
    }
    data.update(changes)
    return data


def test_creating_an_organisation_makes_its_creator_admin(client, person):
    response = client.post(
        "/organisations/new/", _form(siren=" ".join(valid_siren(42)[i : i + 3] for i in (0, 3, 6)))
    )
    organisation = Organisation.objects.get()
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert organisation.siren == valid_siren(42)  # spaces typed by a person are dropped
    assert Affiliation.objects.get(organisation=organisation).person == person
    assert Affiliation.objects.get(organisation=organisation).is_admin


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"siren": "123456789"}, "siren"),
        ({"siren": "12345"}, "siren"),
        ({"siret": "12345678901234"}, "siret"),
        ({"naf_code": "6201"}, "naf_code"),
        ({"country": "DE", "region": "ZZZ", "siren": ""}, "vat_number"),
        ({"siren": ""}, "siren"),
    ],
)
def test_bad_identifiers_are_explained_on_their_field_and_nothing_is_saved(
    client, person, changes, field
):
    response = client.post("/organisations/new/", _form(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_duplicate_siren_is_refused(client, person):
    client.post("/organisations/new/", _form())
    response = client.post("/organisations/new/", _form(legal_name="Another name"))
    assert response.status_code == 200
    assert "siren" in response.context["form"].errors or response.context["form"].non_field_errors()
    assert Organisation.objects.count() == 1


def test_only_its_admins_edit_an_organisation(client, person):
    client.post("/organisations/new/", _form())
    organisation = Organisation.objects.get()
    response = client.post(
        f"/organisations/{organisation.pk}/edit/", _form(city="Lyon", version="1")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Lyon"
    client.force_login(Person.objects.create_user("other@example.fr", "x"))
    assert (
        client.post(f"/organisations/{organisation.pk}/edit/", _form(city="Paris")).status_code
        == 404
    )
    organisation.refresh_from_db()
    assert organisation.city == "Lyon"


def test_directory_search_and_htmx_fragment(client, person):
    pole = Pole.objects.create(name="Pôle", kind=Pole.Kind.CLUSTER)
    for n, (name, consent) in enumerate([("Hydrogène Alpes", True), ("Secret Widgets", False)]):
        organisation = Organisation.objects.create(
            legal_name=name, siren=valid_siren(n), category="sme", directory_consent=consent
        )
        Membership.objects.create(organisation=organisation, pole=pole, status="current")
    page = client.get("/directory/?q=hydro").content.decode()
    assert "Hydrogène Alpes" in page and "Secret Widgets" not in page
    assert "<html" in page
    fragment = client.get("/directory/?q=", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="directory-results"' in fragment
    assert "Hydrogène Alpes" in fragment and "Secret Widgets" not in fragment
