"""Funding lines: the leaders apply, the funder decides, everyone who may sees the story of
the line in its amounts and in the history; a funder sees the other funders' lines as totals
only; concurrent edits of a line lose nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from funding import permissions
from funding.models import FundingLine
from funding.services import change_funding_line, record_disbursement, record_funding_line
from portal.models import Notification
from portal.modelutils import StaleEdit
from projects.history import project_history

from ..shared import module_world
from .records import ANR_CONDITIONS, DECIDED, fresh, funding_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]
Status = FundingLine.Status


built_world, world = module_world(funding_world, language="en", site=True, client_language="en")


def login(client, world, role):
    client.force_login(world["people"][role])
    return world["people"][role]


def section_url(world, suffix=""):
    return f"/projects/{world['projects']['funded'].pk}/funding/{suffix}"


def member_partner(world):
    return world["projects"]["funded"].partners.get(organisation=world["organisations"]["member"])


# --- The rules of a line -------------------------------------------------------------------


def test_a_line_moves_along_its_lifecycle_only(world):
    line = world["lines"]["bpi"]
    with pytest.raises(ValidationError) as caught:
        change_funding_line(line, status=Status.PLANNED)
    assert "status" in caught.value.message_dict
    planned = record_funding_line(
        project=world["projects"]["funded"],
        partner=member_partner(world),
        funder=world["funders"]["anr"],
        programme="ANR PRCE",
        amount_requested=Decimal("10000.00"),
    )
    with pytest.raises(ValidationError) as caught:
        change_funding_line(
            planned, status=Status.GRANTED, amount_granted=Decimal(1), decision_date=DECIDED
        )
    assert "status" in caught.value.message_dict
    assert fresh(planned).status == Status.PLANNED


def test_a_granted_line_needs_its_amount_and_its_decision_date(world):
    line = record_funding_line(
        project=world["projects"]["funded"],
        partner=member_partner(world),
        funder=world["funders"]["anr"],
        programme="ANR PRCE",
        amount_requested=Decimal("10000.00"),
        status=Status.APPLIED,
    )
    with pytest.raises(ValidationError) as caught:
        change_funding_line(line, status=Status.GRANTED, decision_date=DECIDED)
    assert list(caught.value.message_dict) == ["amount_granted"]
    line = fresh(line)
    with pytest.raises(ValidationError) as caught:
        change_funding_line(line, status=Status.GRANTED, amount_granted=Decimal("9000.00"))
    assert list(caught.value.message_dict) == ["decision_date"]
    assert fresh(line).status == Status.APPLIED


def test_granting_more_than_requested_needs_a_confirmation(world):
    line = world["lines"]["bpi"]  # 200 000 requested, 150 000 granted
    with pytest.raises(ValidationError) as caught:
        change_funding_line(line, amount_granted=Decimal("200000.01"))
    assert list(caught.value.message_dict) == ["amount_granted"]
    assert fresh(line).amount_granted == Decimal("150000.00")
    change_funding_line(
        fresh(line), amount_granted=Decimal("210000.00"), over_request_confirmed=True
    )
    assert fresh(line).amount_granted == Decimal("210000.00")


def test_amounts_are_positive(world):
    line = world["lines"]["bpi"]
    for field, value in [
        ("amount_granted", Decimal(0)),
        ("amount_requested", Decimal(0)),
        ("amount_cancelled", Decimal("150000.01")),
    ]:
        with pytest.raises(ValidationError) as caught:
            change_funding_line(fresh(line), **{field: value})
        assert field in caught.value.message_dict


def test_a_refused_line_has_no_amount_granted(world):
    anr = world["lines"]["anr"]
    line = record_funding_line(
        project=anr.project,
        partner=member_partner(world),
        funder=world["funders"]["anr"],
        programme="ANR PRCE",
        amount_requested=Decimal("10000.00"),
        status=Status.APPLIED,
    )
    with pytest.raises(ValidationError) as caught:
        change_funding_line(
            line, status=Status.REFUSED, amount_granted=Decimal(5), decision_date=DECIDED
        )
    assert list(caught.value.message_dict) == ["amount_granted"]
    change_funding_line(fresh(line), status=Status.REFUSED, decision_date=DECIDED)
    assert fresh(line).status == Status.REFUSED


def test_the_granted_amount_cannot_drop_below_what_was_disbursed(world):
    line = world["lines"]["bpi"]
    record_disbursement(
        line, kind="pre_financing", amount=Decimal("100000.00"), scheduled_date=DECIDED
    )
    with pytest.raises(ValidationError) as caught:
        change_funding_line(fresh(line), amount_granted=Decimal("90000.00"))
    assert "amount_granted" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        change_funding_line(fresh(line), amount_cancelled=Decimal("60000.00"))
    assert "amount_cancelled" in caught.value.message_dict
    change_funding_line(fresh(line), amount_cancelled=Decimal("50000.00"))
    assert fresh(line).amount_cancelled == Decimal("50000.00")


def test_two_people_editing_the_same_version_lose_no_update(world):
    first, second = fresh(world["lines"]["bpi"]), fresh(world["lines"]["bpi"])
    change_funding_line(first, expected_version=first.version, conditions="First")
    with pytest.raises(StaleEdit) as caught:
        change_funding_line(second, expected_version=second.version, conditions="Second")
    assert caught.value.current.conditions == "First"
    assert fresh(first).conditions == "First"


# --- Who sees what -------------------------------------------------------------------------


def test_the_consortium_and_staff_see_every_line_in_full(client, world):
    for role in ("leader", "member", "staff"):
        login(client, world, role)
        html = client.get(f"/projects/{world['projects']['funded'].pk}/").content.decode()
        assert "ANR PRCE" in html and "i-Nov" in html, role
        assert ANR_CONDITIONS in html, role


def test_a_funder_sees_its_lines_in_full_and_the_others_as_totals(client, world):
    login(client, world, "funder")
    html = client.get(f"/projects/{world['projects']['funded'].pk}/").content.decode()
    assert "i-Nov" in html
    assert "ANR PRCE" not in html and ANR_CONDITIONS not in html
    assert "Other public funding" in html
    assert "80,000.00" in html  # the ANR line's amount granted, as a total
    funded = world["projects"]["funded"]
    assert list(permissions.visible_funding_lines(world["people"]["funder"], funded)) == [
        world["lines"]["bpi"]
    ]


def test_experts_and_outsiders_have_no_funding_section(client, world):
    submitted = world["projects"]["submitted"]
    record_funding_line(
        project=submitted,
        partner=submitted.partners.get(role="coordinator"),
        funder=world["funders"]["anr"],
        programme="ANR PRCE",
        amount_requested=Decimal("1000.00"),
    )
    login(client, world, "expert")
    html = client.get(f"/projects/{submitted.pk}/").content.decode()
    assert "Confidential plan" in html and 'id="funding"' not in html
    assert client.get(f"/projects/{submitted.pk}/funding/").status_code == 404
    login(client, world, "outsider")
    assert client.get(section_url(world)).status_code == 404


# --- The pages -----------------------------------------------------------------------------


def test_the_leader_adds_a_line_choosing_the_programme_by_funder(client, world):
    leader = login(client, world, "leader")
    html = client.get(section_url(world, "lines/"), headers={"HX-Request": "true"}).content.decode()
    assert '<optgroup label="ANR">' in html and '<optgroup label="Bpifrance">' in html
    programme = world["lines"]["anr"].programme
    response = client.post(
        section_url(world, "lines/"),
        {
            "partner": member_partner(world).pk,
            "programme": programme.pk,
            "amount_requested": "45000,50",
            "status": "applied",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    line = FundingLine.objects.get(partner=member_partner(world), programme=programme)
    assert (line.amount_requested, line.status) == (Decimal("45000.50"), Status.APPLIED)
    assert line.history.get().history_user == leader
    html = response.content.decode()
    assert 'id="funding"' in html and "45,000.50" in html


def test_a_second_line_of_the_same_partner_and_programme_is_refused_in_place(client, world):
    login(client, world, "leader")
    bpi = world["lines"]["bpi"]
    response = client.post(
        section_url(world, "lines/"),
        {
            "partner": bpi.partner_id,
            "programme": bpi.programme_id,
            "amount_requested": "1000",
            "status": "planned",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "already has a funding line from this programme" in response.content.decode()
    assert FundingLine.objects.filter(partner=bpi.partner_id).count() == 1


def test_the_funder_records_a_decision_and_the_leaders_are_told(client, world):
    funder = login(client, world, "funder")
    line = record_funding_line(
        project=world["projects"]["funded"],
        partner=member_partner(world),
        funder=world["funders"]["bpi"],
        programme="PSPC-Régions",
        amount_requested=Decimal("50000.00"),
        status=Status.APPLIED,
    )
    mail.outbox.clear()
    response = client.post(
        section_url(world, f"lines/{line.pk}/decision/"),
        {
            "version": line.version,
            "status": "granted",
            "amount_granted": "45000",
            "decision_date": "2026-03-15",
            "conditions": "Milestone report in June",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    line = fresh(line)
    assert (line.status, line.amount_granted) == (Status.GRANTED, Decimal("45000.00"))
    assert line.decision_date == datetime.date(2026, 3, 15)
    record = line.history.latest()
    assert record.history_user == funder
    assert record.prev_record.amount_granted is None and record.amount_granted == Decimal(
        "45000.00"
    )
    told = Notification.objects.filter(subject__contains="Funding decision")
    assert set(told.values_list("recipient__email", flat=True)) == {
        "leader@world.example",
        "member@world.example",
    }


def test_a_decision_above_the_request_shows_the_error_in_place(client, world):
    login(client, world, "funder")
    line = world["lines"]["bpi"]
    response = client.post(
        section_url(world, f"lines/{line.pk}/decision/"),
        {
            "version": line.version,
            "status": "granted",
            "amount_granted": "250000",
            "decision_date": "2026-02-01",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "above the amount requested: confirm it" in html
    assert f'id="line-{line.pk}-decision-amount_granted_error"' in html
    assert fresh(line).amount_granted == Decimal("150000.00")


def test_a_stale_decision_answers_409_with_the_newer_values(client, world):
    login(client, world, "funder")
    line = world["lines"]["bpi"]
    seen = line.version
    change_funding_line(fresh(line), conditions="Changed meanwhile")
    response = client.post(
        section_url(world, f"lines/{line.pk}/decision/"),
        {
            "version": seen,
            "status": "granted",
            "amount_granted": "140000",
            "decision_date": "2026-02-01",
            "conditions": "Mine",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved a change meanwhile" in html
    assert "Changed meanwhile" in html
    assert fresh(line).amount_granted == Decimal("150000.00")


def test_each_side_records_only_its_part(client, world):
    bpi, anr = world["lines"]["bpi"], world["lines"]["anr"]
    decision = {"version": 1, "status": "granted", "amount_granted": "1"}
    login(client, world, "leader")
    assert client.post(section_url(world, f"lines/{bpi.pk}/decision/"), decision).status_code == 404
    login(client, world, "funder")
    assert client.post(section_url(world, f"lines/{anr.pk}/decision/"), decision).status_code == 404
    assert client.post(section_url(world, f"lines/{bpi.pk}/"), {}).status_code == 404
    assert client.post(section_url(world, "lines/"), {}).status_code == 404
    login(client, world, "member")
    assert client.post(section_url(world, "lines/"), {}).status_code == 404


def test_the_leader_edits_an_application_until_the_decision(client, world):
    leader = login(client, world, "leader")
    line = record_funding_line(
        project=world["projects"]["funded"],
        partner=member_partner(world),
        funder=world["funders"]["anr"],
        programme="ANR PRCE",
        amount_requested=Decimal("10000.00"),
    )
    response = client.post(
        section_url(world, f"lines/{line.pk}/"),
        {
            "version": line.version,
            "partner": line.partner_id,
            "programme": line.programme_id,
            "amount_requested": "12500.00",
            "status": "applied",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert (fresh(line).amount_requested, fresh(line).status) == (
        Decimal("12500.00"),
        Status.APPLIED,
    )
    assert fresh(line).history.latest().history_user == leader
    # Once decided, the application is the funder's record.
    assert (
        client.post(section_url(world, f"lines/{world['lines']['bpi'].pk}/"), {}).status_code == 404
    )


# --- The history ----------------------------------------------------------------------------


def test_every_change_of_an_amount_is_in_the_project_history(world):
    leader = world["people"]["leader"]
    change_funding_line(fresh(world["lines"]["bpi"]), amount_cancelled=Decimal("5000.00"))
    page = project_history(leader, world["projects"]["funded"])
    entry = next(e for e in page.entries if e.kind == "funding_line" and e.action == "changed")
    change = next(c for c in entry.changes if c.name == "amount_cancelled")
    assert (change.before_value, change.after_value) == ("0.00", "5000.00")
    assert "i-Nov" in entry.object and "Member Lab" in entry.object


def test_a_funder_reads_the_history_of_its_own_lines_only(world):
    funded = world["projects"]["funded"]
    entries = project_history(world["people"]["funder"], funded).entries
    lines = [e for e in entries if e.kind == "funding_line"]
    assert lines and all("ANR" not in e.object for e in lines)
    assert all(ANR_CONDITIONS not in c.after for e in entries for c in e.changes)
    staff_entries = project_history(world["people"]["staff"], funded).entries
    assert any("ANR PRCE" in e.object for e in staff_entries)


# --- The API -----------------------------------------------------------------------------


def test_the_api_lists_what_each_person_sees_in_full(client, world):
    expected = {
        "leader": {"bpi", "anr"},
        "staff": {"bpi", "anr"},
        "funder": {"bpi"},
        "expert": set(),
        "outsider": set(),
    }
    for role, keys in expected.items():
        login(client, world, role)
        listed = {row["id"] for row in client.get("/api/v1/funding-lines/").json()["results"]}
        assert listed == {world["lines"][k].pk for k in keys}, role
    login(client, world, "funder")
    row = client.get(f"/api/v1/funding-lines/{world['lines']['bpi'].pk}/").json()
    assert (row["amount_granted"], row["disbursed"], row["remaining"]) == (
        "150000.00",
        "0.00",
        "150000.00",
    )
    assert client.get(f"/api/v1/funding-lines/{world['lines']['anr'].pk}/").status_code == 404


def test_the_api_applies_and_decides_with_the_pages_rules(client, world):
    login(client, world, "leader")
    programme = world["lines"]["anr"].programme
    response = client.post(
        "/api/v1/funding-lines/",
        {
            "project": world["projects"]["funded"].pk,
            "partner": member_partner(world).pk,
            "programme": programme.pk,
            "amount_requested": "30000.00",
            "status": "applied",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.patch(
        f"/api/v1/funding-lines/{pk}/",
        {"amount_granted": "30000.00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "amount_granted" in response.json()
    # The ANR's reviewer decides; Bpifrance's does not find the line.
    login(client, world, "funder")
    assert (
        client.patch(
            f"/api/v1/funding-lines/{pk}/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    client.force_login(world["funders"]["anr"].reviewers.get())
    response = client.patch(
        f"/api/v1/funding-lines/{pk}/",
        {"status": "granted", "amount_granted": "31000.00", "decision_date": "2026-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "above the amount requested" in str(response.json()["amount_granted"])
    response = client.patch(
        f"/api/v1/funding-lines/{pk}/",
        {
            "status": "granted",
            "amount_granted": "31000.00",
            "over_request_confirmed": True,
            "decision_date": "2026-04-01",
            "version": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["amount_granted"] == "31000.00"
    assert response.json()["version"] == 2


def test_the_api_answers_409_with_the_newer_values(client, world):
    login(client, world, "funder")
    line = world["lines"]["bpi"]
    change_funding_line(fresh(line), conditions="Newer")
    response = client.patch(
        f"/api/v1/funding-lines/{line.pk}/",
        {"conditions": "Older", "version": line.version},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["current"]["conditions"] == "Newer"
    assert fresh(line).conditions == "Newer"


def test_the_api_refuses_a_new_line_that_is_already_decided(client, world):
    login(client, world, "leader")
    response = client.post(
        "/api/v1/funding-lines/",
        {
            "project": world["projects"]["funded"].pk,
            "partner": member_partner(world).pk,
            "programme": world["lines"]["anr"].programme_id,
            "amount_requested": "30000.00",
            "status": "granted",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_funders_and_programmes_are_read_by_everyone_signed_in(client, world):
    login(client, world, "outsider")
    names = {f["name"] for f in client.get("/api/v1/funders/").json()["results"]}
    assert {"Bpifrance", "ANR"} <= names
    programmes = client.get("/api/v1/programmes/").json()["results"]
    assert {"i-Nov", "ANR PRCE"} <= {p["name"] for p in programmes}
    assert client.post("/api/v1/funders/", {}).status_code == 405


# --- Cost ------------------------------------------------------------------------------------


def _grow(world, n):
    """``n`` more partners, each with a granted advance, its tranches, a repayment, a round."""
    from funding.services import record_private_round, record_repayment
    from projects import services as project_services
    from tests.factories import OrganisationFactory

    from .records import advance_line

    funded = world["projects"]["funded"]
    for _ in range(n):
        partner = project_services.add_partner(funded, organisation=OrganisationFactory())
        world["organisations"]["member"], keep = (
            partner.organisation,
            world["organisations"]["member"],
        )
        line = advance_line(world)
        world["organisations"]["member"] = keep
        for kind in ("pre_financing", "interim"):
            record_disbursement(line, kind=kind, amount=Decimal("1000.00"), scheduled_date=DECIDED)
        record_repayment(line, amount=Decimal("500.00"), due_date=datetime.date(2029, 1, 1))
        record_private_round(
            partner, kind="equity", amount=Decimal("1000.00"), closed_on=datetime.date(2026, 1, 1)
        )


@pytest.mark.parametrize("role", ["leader", "funder", "staff"])
def test_the_section_costs_the_same_queries_whatever_it_lists(client, world, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, world, role)

    def queries():
        client.get(section_url(world))  # warm the caches a first request fills
        with CaptureQueriesContext(connection) as context:
            assert client.get(section_url(world)).status_code == 200
        return len(context.captured_queries)

    _grow(world, 1)
    before = queries()
    _grow(world, 4)
    assert queries() == before
