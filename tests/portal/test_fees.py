"""Fee schedules: a yearly fee per category of member, by headcount band where the pole wants
one; the fee an organisation owes is its category's band that holds its headcount (a school
does not pay what a large company pays); bands never overlap; the fee income of the year."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import services
from portal.figures import fee_income
from portal.models import FeeCall, FeeSchedule, Membership, Payment

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PoleFactory,
    pole_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

YEAR = 2026
# The demo pole's schedule: (category, from, to, amount)
SCHEDULE = [
    ("micro", 0, None, "250.00"),
    ("sme", 0, 9, "500.00"),
    ("sme", 10, 49, "900.00"),
    ("sme", 50, 249, "1500.00"),
    ("midcap", 0, None, "3000.00"),
    ("large", 0, None, "6000.00"),
    ("research", 0, None, "1000.00"),
    ("school", 0, None, "500.00"),
    ("public", 0, None, "1000.00"),
]


@pytest.fixture
def pole():
    pole = PoleFactory(name="Pôle Véga", short_name="Véga")
    for category, low, high, amount in SCHEDULE:
        services.save_fee_schedule(
            FeeSchedule(
                pole=pole,
                year=YEAR,
                category=category,
                min_headcount=low,
                max_headcount=high,
                amount=Decimal(amount),
            )
        )
    return pole


@pytest.mark.parametrize(
    "category,headcount,expected",
    [
        ("micro", 5, "250.00"),
        ("micro", None, "250.00"),  # one fee whatever the size: the headcount is not needed
        ("sme", 0, "500.00"),
        ("sme", 9, "500.00"),
        ("sme", 10, "900.00"),
        ("sme", 49, "900.00"),
        ("sme", 50, "1500.00"),
        ("sme", 249, "1500.00"),
        ("midcap", 620, "3000.00"),
        ("large", 5200, "6000.00"),
        ("research", 140, "1000.00"),
        ("school", 2000, "500.00"),  # a large school pays the school fee
        ("public", 30, "1000.00"),
    ],
)
def test_the_fee_is_the_band_of_the_category_that_holds_the_headcount(
    pole, category, headcount, expected
):
    organisation = OrganisationFactory(category=category, headcount=headcount)
    assert services.fee_for(organisation, pole, YEAR) == Decimal(expected)


@pytest.mark.parametrize(
    "category,headcount,code,message",
    [
        ("sme", 250, "no_fee", "No band of the 2026 fee schedule of Véga covers a “SME (PME)”"),
        ("sme", None, "no_headcount", "depends on the headcount"),
        ("other", 3, "no_fee", "has no fee for the category “other”"),
    ],
)
def test_a_clear_error_when_no_row_matches(pole, category, headcount, code, message):
    organisation = OrganisationFactory(category=category, headcount=headcount)
    with pytest.raises(ValidationError) as error:
        services.fee_for(organisation, pole, YEAR)
    assert error.value.code == code
    assert message in error.value.messages[0]


def test_another_year_has_its_own_schedule(pole):
    organisation = OrganisationFactory(category="large", headcount=3000)
    with pytest.raises(ValidationError, match="2027 fee schedule"):
        services.fee_for(organisation, pole, YEAR + 1)


def _row(pole, category, low, high, amount="100.00", year=YEAR):
    return FeeSchedule(
        pole=pole,
        year=year,
        category=category,
        min_headcount=low,
        max_headcount=high,
        amount=Decimal(amount),
    )


@pytest.mark.parametrize(
    "category,low,high,overlaps",
    [
        ("sme", 40, 60, True),  # across two bands
        ("sme", 5, 5, True),  # inside one
        ("sme", 200, None, True),  # open-ended, over 50–249
        ("sme", 250, None, False),  # right after the last band
        ("sme", 250, 999, False),
        ("micro", 10, 20, True),  # the flat micro fee covers every size
        ("other", 0, None, False),  # a category without fee yet
    ],
)
def test_bands_of_one_category_must_not_overlap(pole, category, low, high, overlaps):
    row = _row(pole, category, low, high)
    if overlaps:
        with pytest.raises(ValidationError) as error:
            services.save_fee_schedule(row)
        assert "overlaps" in error.value.message_dict["min_headcount"][0]
        assert row.pk is None
    else:
        services.save_fee_schedule(row)
        assert row.pk is not None


def test_bands_of_other_years_and_poles_do_not_clash(pole):
    services.save_fee_schedule(_row(pole, "sme", 0, 9, year=YEAR + 1))
    services.save_fee_schedule(_row(PoleFactory(), "sme", 0, 9))


def test_a_row_changed_in_place_does_not_clash_with_itself(pole):
    row = FeeSchedule.objects.get(pole=pole, category="sme", min_headcount=10)
    row.amount = Decimal("950.00")
    row.max_headcount = 45
    services.save_fee_schedule(row)
    row.refresh_from_db()
    assert row.amount == Decimal("950.00")


def test_a_band_that_ends_before_it_starts_is_refused(pole):
    with pytest.raises(ValidationError) as error:
        services.save_fee_schedule(_row(pole, "other", 10, 5))
    assert "max_headcount" in error.value.message_dict


def test_copying_last_years_schedule(pole):
    services.copy_fee_schedule(pole, YEAR, YEAR + 1)
    assert FeeSchedule.objects.filter(pole=pole, year=YEAR + 1).count() == len(SCHEDULE)
    with pytest.raises(ValidationError, match="already has rows"):
        services.copy_fee_schedule(pole, YEAR, YEAR + 1)


# The staff's page --------------------------------------------------------------------------


@pytest.fixture
def staff(client, pole):
    person = PersonFactory()
    pole_staff(pole, person)
    client.force_login(person)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return person


def test_staff_see_the_schedule_of_a_year(client, pole, staff):
    html = client.get(f"/poles/{pole.pk}/fees/?year={YEAR}").content.decode()
    assert "10 to 49 people" in html and "€900.00" in html
    assert "250 people and more" not in html
    assert "any headcount" in html


def test_staff_add_a_band_and_an_overlapping_one_is_refused(client, pole, staff):
    url = f"/poles/{pole.pk}/fees/rows/?year={YEAR}"
    response = client.post(
        url, {"category": "sme", "min_headcount": "250", "max_headcount": "", "amount": "2500"}
    )
    assert response.status_code == 302
    assert FeeSchedule.objects.filter(pole=pole, category="sme").count() == 4
    response = client.post(
        url, {"category": "sme", "min_headcount": "100", "max_headcount": "", "amount": "2000"}
    )
    assert response.status_code == 400
    assert "overlaps the SME (PME) band “50 to 249 people” of 2026" in response.content.decode()
    assert FeeSchedule.objects.filter(pole=pole, category="sme").count() == 4


def test_staff_edit_and_remove_a_row(client, pole, staff):
    row = FeeSchedule.objects.get(pole=pole, category="school")
    response = client.post(
        f"/poles/{pole.pk}/fees/rows/{row.pk}/edit/",
        {
            "category": "school",
            "min_headcount": "0",
            "max_headcount": "",
            "amount": "450,00",
            "version": "1",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.amount == Decimal("450.00")
    client.post(f"/poles/{pole.pk}/fees/rows/{row.pk}/delete/")
    assert not FeeSchedule.objects.filter(pk=row.pk).exists()


def test_staff_start_a_year_with_the_previous_years_fees(client, pole, staff):
    html = client.get(f"/poles/{pole.pk}/fees/?year={YEAR + 1}").content.decode()
    assert "Start with the fees of 2026" in html
    client.post(f"/poles/{pole.pk}/fees/copy/", {"year": YEAR + 1})
    assert FeeSchedule.objects.filter(pole=pole, year=YEAR + 1).count() == len(SCHEDULE)


def test_another_poles_staff_and_members_never_see_the_schedule(client, pole):
    row = FeeSchedule.objects.filter(pole=pole).first()
    outsider = PersonFactory()
    pole_staff(PoleFactory(), outsider)
    client.force_login(outsider)
    assert client.get(f"/poles/{pole.pk}/fees/").status_code == 404
    assert client.get(f"/poles/{pole.pk}/fees/rows/{row.pk}/edit/").status_code == 404
    assert client.post(f"/poles/{pole.pk}/fees/rows/{row.pk}/delete/").status_code == 404
    assert client.get(f"/api/v1/fee-schedules/{row.pk}/").status_code == 404


# The fee income of the year ----------------------------------------------------------------


def _call(pole, category, headcount, amount, due, paid=()):
    membership = MembershipFactory(
        pole=pole, organisation=OrganisationFactory(category=category, headcount=headcount)
    )
    call = FeeCall.objects.create(
        membership=membership,
        year=YEAR,
        amount=Decimal(amount),
        issued_on=datetime.date(YEAR, 1, 15),
        due_date=due,
    )
    for value in paid:
        Payment.objects.create(fee_call=call, paid_on=datetime.date(YEAR, 2, 1), amount=value)
    return call


def test_the_fee_income_of_the_year_by_category(pole):
    later, past = datetime.date(YEAR, 12, 1), datetime.date(YEAR, 2, 15)
    _call(pole, "sme", 42, "900.00", past, [Decimal("900.00")])
    _call(pole, "sme", 5, "500.00", past, [Decimal("200.00")])  # partial and overdue
    _call(pole, "sme", 120, "1500.00", later)
    _call(pole, "large", 5200, "6000.00", past)  # overdue
    _call(pole, "school", 900, "500.00", later, [Decimal("250.00"), Decimal("250.00")])
    _call(PoleFactory(), "large", 3000, "6000.00", past, [Decimal("6000.00")])  # another pole

    income = fee_income(pole, YEAR, today=datetime.date(YEAR, 6, 1))
    rows = {row["category"]: row for row in income["rows"]}
    assert list(rows) == ["sme", "large", "school"]
    assert rows["sme"]["calls"] == 3
    assert rows["sme"]["called"] == Decimal("2900.00")
    assert rows["sme"]["paid"] == Decimal("1100.00")
    assert rows["sme"]["outstanding"] == Decimal("1800.00")
    assert rows["sme"]["overdue"] == 1
    assert rows["large"]["paid"] == Decimal("0") and rows["large"]["overdue"] == 1
    assert rows["school"]["outstanding"] == Decimal("0.00")
    total = income["total"]
    assert (total["calls"], total["called"], total["paid"], total["outstanding"]) == (
        5,
        Decimal("9400.00"),
        Decimal("1600.00"),
        Decimal("7800.00"),
    )
    assert total["overdue"] == 2


def test_the_fees_page_shows_the_income(client, pole, staff):
    _call(pole, "sme", 42, "900.00", datetime.date(YEAR, 2, 15), [Decimal("400.00")])
    html = client.get(f"/poles/{pole.pk}/fees/?year={YEAR}").content.decode()
    assert "Fee income 2026" in html
    assert "€400.00" in html and "€500.00" in html  # paid, outstanding


def test_the_staff_home_shows_the_years_income_and_the_applications_to_review(client, pole, staff):
    this_year = timezone.localdate().year
    membership = MembershipFactory(pole=pole, organisation=OrganisationFactory(legal_name="Acme"))
    call = FeeCall.objects.create(
        membership=membership,
        year=this_year,
        amount=Decimal("900.00"),
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    Payment.objects.create(fee_call=call, paid_on=timezone.localdate(), amount=Decimal("300.00"))
    (desk,) = client.get("/").context["sections"]["membership_desks"]
    assert desk["pole"] == pole and desk["pending"] == 0
    assert desk["income"]["paid"] == Decimal("300.00")
    assert desk["income"]["outstanding"] == Decimal("600.00")
    assert desk["income"]["overdue"] == 1


def test_api_fee_schedules_for_staff_with_overlaps_refused(client, pole, staff):
    response = client.post(
        "/api/v1/fee-schedules/",
        {
            "pole": pole.pk,
            "year": YEAR,
            "category": "sme",
            "min_headcount": 30,
            "max_headcount": 80,
            "amount": "1200.00",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "overlaps" in response.json()["min_headcount"][0]
    response = client.post(
        "/api/v1/fee-schedules/",
        {"pole": pole.pk, "year": YEAR, "category": "other", "amount": "300.00"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    listed = client.get("/api/v1/fee-schedules/", {"year": YEAR}).json()
    assert listed["count"] == len(SCHEDULE) + 1


def test_api_fee_schedules_do_not_exist_for_members(client, pole):
    member = PersonFactory()
    MembershipFactory(pole=pole, status=Membership.Status.CURRENT)
    client.force_login(member)
    assert client.get("/api/v1/fee-schedules/").json()["count"] == 0
