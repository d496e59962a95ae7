"""The real CORDIS organization.csv of ../shared/data/cordis/ imported whole (--all), once for
the module, then again: what every row becomes, and a second run that changes nothing. In a
module of its own: the imported release stays in the database until the module's end."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from funding.models import Funder, FundingLine
from portal.models import Organisation
from projects.models import Partner, Project

from .test_import_cordis import (
    REAL_ORGANISATIONS,
    amount,
    database_counts,
    identities,
    real_files,
    real_organisation_rows,
    run,
    write_projects_of_real_organisations,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english"), real_files]


@pytest.fixture(scope="module")
def real_import(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every project of the real organization.csv imported (--all), then imported again: the
    reports and the database after each run. Built once for the module (an import of 300
    projects takes seconds), rolled back at its end."""
    if not REAL_ORGANISATIONS.exists():
        pytest.skip(f"the real CORDIS files are not in {REAL_ORGANISATIONS.parent}")
    projects = write_projects_of_real_organisations(tmp_path_factory.mktemp("cordis"))
    with django_db_blocker.unblock(), transaction.atomic():
        first = run(projects, REAL_ORGANISATIONS, import_all=True)
        after_first = database_counts()
        again = run(projects, REAL_ORGANISATIONS, import_all=True)
        yield {"first": first, "after_first": after_first, "again": again}
        transaction.set_rollback(True)


def test_every_real_organisation_row_becomes_a_partner_with_its_eu_funding(real_import):
    rows = real_organisation_rows()
    funded = [r for r in rows if amount(r["ecContribution"]) > 0]

    report = real_import["first"]

    assert report.bad_rows == 0
    assert report.organisation_rows == len(rows) == 627
    assert report.projects["created"] == Project.objects.count() == 300
    assert report.partners["created"] == Partner.objects.count() == len(rows)
    assert Organisation.objects.count() == len(identities(rows))
    assert report.lines["created"] == FundingLine.objects.count() == len(funded)
    assert sum(line.amount_granted for line in FundingLine.objects.all()) == sum(
        amount(r["ecContribution"]) for r in funded
    )
    # totalCost "491873,75" (a decimal comma) and "228437.5" alike, to the cent.
    assert sum(p.budget for p in Partner.objects.all()) == sum(amount(r["totalCost"]) for r in rows)
    assert not FundingLine.objects.exclude(status="granted").exists()
    assert Partner.objects.filter(role="coordinator").count() == 300
    third_parties = sum(1 for r in rows if r["role"] in ("associatedPartner", "thirdParty"))
    assert Partner.objects.filter(role="associated").count() == third_parties

    engie = Organisation.objects.get(pic="999964562")
    assert (engie.legal_name, engie.vat_number, engie.siren) == (
        "ENGIE",
        "FR13542107651",
        "542107651",  # from the French VAT number
    )
    assert (engie.category, engie.region, engie.directory_consent) == ("large", "IDF", False)
    rheadhy = Project.objects.get(cordis_id="101101443")
    partner = rheadhy.partners.get(organisation=engie)
    assert (partner.role, partner.other_costs) == ("coordinator", Decimal("491873.75"))
    line = partner.funding_lines.get()
    assert line.amount_granted == Decimal("491873.75")
    assert str(line.programme) == "HORIZON — HORIZON-RIA (European Union)"
    assert line.funder.category == Funder.Category.EU
    assert line.decision_date == datetime.date(2023, 11, 15)  # ecSignatureDate
    ministry = Organisation.objects.get(pic="999822263")  # French, no VAT number: no SIREN
    assert (ministry.siren, ministry.category, ministry.region) == ("", "public", "IDF")
    belspo = Organisation.objects.get(pic="999807713")
    assert (belspo.country, belspo.region) == ("BE", "ZZZ")


def test_running_the_import_again_changes_nothing(real_import):
    first, again = real_import["first"], real_import["again"]

    assert database_counts() == real_import["after_first"]
    assert dict(again.projects) == {"unchanged": first.projects["created"]}
    assert dict(again.partners) == {"unchanged": first.partners["created"]}
    assert dict(again.lines) == {"unchanged": first.lines["created"]}
    assert again.matched["created"] == again.organisations_completed == 0
    # Every organisation found by its PIC, but the one whose PIC shares another's VAT number.
    assert (again.matched["pic"], again.matched["vat"]) == (first.partners["created"] - 1, 1)
