"""SIREN, SIRET, PIC and VAT numbers of organisations, as people type them.

The valid identifiers below are real ones, checked by hand against the Luhn formula; each
invalid one is a valid one with a single digit changed, which the Luhn check always catches.
"""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from portal.models import Organisation
from portal.validators import validate_siren, validate_siret
from tests.factories import OrganisationFactory, valid_siren, valid_siret

pytestmark = pytest.mark.usefixtures("english")

VALID_SIRENS = [
    "542051180",  # TotalEnergies SE
    "552081317",  # EDF
    "552120222",  # Société Générale
    "662042449",  # BNP Paribas
    "180089013",  # CNRS
    "732829320",  # Google France
    "356000000",  # La Poste
]
# One digit changed in each of the above.
INVALID_SIRENS = ["542051181", "552081318", "552120223", "662042448", "180089014", "732829321"]

VALID_SIRETS = [
    "73282932000074",  # Google France, head office
    "54205118000066",  # TotalEnergies SE
    "55208131766522",  # EDF
]
INVALID_SIRETS = ["73282932000075", "54205118000067", "55208131766532"]


def organisation(**fields):
    """An unsaved French SME with nothing but what the test gives."""
    defaults = {"legal_name": "ACME", "category": Organisation.Category.SME, "country": "FR"}
    return Organisation(**{**defaults, **fields})


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


# --- SIREN -------------------------------------------------------------------------------


@pytest.mark.parametrize("siren", VALID_SIRENS)
def test_real_sirens_pass(siren):
    validate_siren(siren)


@pytest.mark.parametrize("siren", INVALID_SIRENS)
def test_a_wrong_check_digit_is_refused(siren):
    with pytest.raises(ValidationError) as caught:
        validate_siren(siren)
    assert caught.value.code == "siren_checksum"


@pytest.mark.parametrize(
    "siren", ["54205118", "5420511800", "54205118A", "ABCDEFGHI", "", "542 051 180"]
)
def test_a_siren_is_nine_digits(siren):
    with pytest.raises(ValidationError) as caught:
        validate_siren(siren)
    assert caught.value.code == "siren_format"


def test_the_factories_make_valid_distinct_sirens_and_sirets():
    sirens = [valid_siren(n) for n in range(200)]
    assert len(set(sirens)) == 200
    for siren in sirens:
        validate_siren(siren)
        validate_siret(valid_siret(siren, 7))
    assert valid_siret("732829320", 7) == "73282932000074"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["542 051 180", "542.051.180", " 542-051-180 "])
def test_separators_typed_in_a_siren_are_dropped(typed):
    acme = organisation(siren=typed)
    acme.full_clean()
    acme.save()
    acme.refresh_from_db()
    assert acme.siren == "542051180"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("siren", "code"),
    [("542051181", "siren_checksum"), ("54205118", "siren_format"), ("54205118O", "siren_format")],
)
def test_an_invalid_siren_is_reported_on_its_field(siren, code):
    with pytest.raises(ValidationError) as caught:
        organisation(siren=siren).full_clean()
    assert [e.code for e in caught.value.error_dict["siren"]] == [code]


@pytest.mark.django_db
def test_a_french_company_needs_its_siren():
    assert "siren" in errors_of(organisation(siren=""))


@pytest.mark.django_db
def test_an_organisation_of_category_other_may_have_no_siren():
    organisation(siren="", category=Organisation.Category.OTHER).full_clean()


# --- SIRET -------------------------------------------------------------------------------


@pytest.mark.parametrize("siret", VALID_SIRETS)
def test_real_sirets_pass(siret):
    validate_siret(siret)


@pytest.mark.parametrize("siret", INVALID_SIRETS)
def test_a_siret_with_a_wrong_check_digit_is_refused(siret):
    with pytest.raises(ValidationError) as caught:
        validate_siret(siret)
    assert caught.value.code == "siret_checksum"


@pytest.mark.parametrize("siret", ["7328293200007", "732829320000740", "7328293200007A", ""])
def test_a_siret_is_fourteen_digits(siret):
    with pytest.raises(ValidationError) as caught:
        validate_siret(siret)
    assert caught.value.code == "siret_format"


# La Poste's establishments: the sum of the digits is a multiple of 5, Luhn does not apply.
@pytest.mark.parametrize("siret", ["35600000049837", "35600000000001"])
def test_la_poste_establishments_follow_their_own_rule(siret):
    validate_siret(siret)


@pytest.mark.parametrize("siret", ["35600000049838", "35600000000014"])
def test_la_poste_establishments_are_refused_when_the_sum_is_no_multiple_of_5(siret):
    # 35600000000014 passes the Luhn check: only La Poste's rule refuses it.
    with pytest.raises(ValidationError) as caught:
        validate_siret(siret)
    assert caught.value.code == "siret_checksum"


def test_la_poste_head_office_keeps_the_luhn_check():
    validate_siret("35600000000048")


@pytest.mark.django_db
def test_the_siret_must_start_with_the_siren():
    assert "siret" in errors_of(organisation(siren="542051180", siret="73282932000074"))


@pytest.mark.django_db
def test_the_siren_is_taken_from_the_siret_when_missing():
    acme = organisation(siren="", siret="732 829 320 00074")
    acme.full_clean()
    assert (acme.siren, acme.siret) == ("732829320", "73282932000074")


@pytest.mark.django_db
def test_a_siret_whose_siren_part_is_invalid_is_refused():
    # 73282932100015 passes the Luhn check as a SIRET; its SIREN 732829321 does not.
    validate_siret("73282932100015")
    assert "siret" in errors_of(organisation(siren="", siret="73282932100015"))


# --- one organisation per SIREN -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["542051180", "542 051 180"])
def test_a_second_organisation_with_the_same_siren_is_refused(typed):
    OrganisationFactory(siren="542051180", siret="")
    with pytest.raises(ValidationError) as caught:
        organisation(siren=typed).full_clean()
    assert "An organisation with this SIREN already exists." in str(caught.value)


@pytest.mark.django_db
def test_a_siren_taken_from_a_siret_is_checked_for_duplicates_too():
    OrganisationFactory(siren="732829320", siret="")
    with pytest.raises(ValidationError):
        organisation(siren="", siret="73282932000074").full_clean()


@pytest.mark.django_db
def test_a_duplicate_siren_is_reported_on_the_siren_field():
    OrganisationFactory(siren="542051180", siret="")
    errors = errors_of(organisation(siren="542051180"))
    assert NON_FIELD_ERRORS not in errors
    assert errors["siren"] == ["An organisation with this SIREN already exists."]


@pytest.mark.django_db
def test_organisations_without_a_siren_are_no_duplicates():
    OrganisationFactory(siren="", siret="", category=Organisation.Category.OTHER)
    organisation(siren="", category=Organisation.Category.OTHER).full_clean()


@pytest.mark.django_db
def test_editing_an_organisation_does_not_collide_with_its_own_siren():
    acme = OrganisationFactory(siren="542051180", siret="54205118000066")
    acme.legal_name = "TotalEnergies SE"
    acme.full_clean()


# --- foreign organisations -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_foreign_organisation_needs_its_vat_number_or_pic():
    errors = errors_of(organisation(siren="", country="de", region=""))
    assert "vat_number" in errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        ({"vat_number": "de 123 456 789"}, {"vat_number": "DE123456789"}),
        ({"pic": "999.123.456"}, {"pic": "999123456"}),
    ],
)
def test_a_foreign_organisation_with_vat_number_or_pic_is_accepted(fields, stored):
    fraunhofer = organisation(siren="", country="de", category="research", **fields)
    fraunhofer.full_clean()
    assert fraunhofer.country == "DE"
    for name, value in stored.items():
        assert getattr(fraunhofer, name) == value


@pytest.mark.django_db
def test_a_pic_is_nine_digits():
    errors = errors_of(organisation(siren="", country="BE", pic="12345678"))
    assert "pic" in errors


@pytest.mark.django_db
def test_a_french_organisation_cannot_be_in_the_region_abroad():
    assert "region" in errors_of(organisation(siren="542051180", region="ZZZ"))
