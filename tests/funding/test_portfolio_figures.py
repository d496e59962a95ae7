"""A funder's portfolio totals (funding.figures.portfolio_figures): kept once for its funders'
reviewers, shown again while none of these funders' lines and tranches changed, computed
again at once after any change to them — whichever way it was made."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding import figures, permissions, services
from funding.models import Disbursement, FundingLine
from portal.models import FiguresSnapshot

from ..factories import FunderFactory, ProgrammeFactory, funder_reviewer, project_with_consortium

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = datetime.date.today()


@pytest.fixture
def data():
    bpi, region = FunderFactory(name="Bpifrance"), FunderFactory(name="Région")
    inov = ProgrammeFactory(funder=bpi, name="i-Nov")
    pspc = ProgrammeFactory(funder=bpi, name="PSPC")
    ambition = ProgrammeFactory(funder=region, name="Pack Ambition")
    innovation = ProgrammeFactory(funder=region, name="Innovation")
    project = project_with_consortium(acronym="HYDRO")
    coordinator, partner = project.partners.order_by("pk")
    granted = services.record_funding_line(
        project=project,
        partner=coordinator,
        programme=inov,
        amount_requested=D("100000"),
        amount_granted=D("90000"),
        status="granted",
        decision_date=datetime.date(2025, 3, 1),
    )
    applied = services.record_funding_line(
        project=project,
        partner=partner,
        programme=inov,
        amount_requested=D("40000"),
        status="applied",
    )
    services.record_funding_line(  # the region's: never in Bpifrance's portfolio
        project=project, partner=partner, programme=ambition, amount_requested=D("7000")
    )
    paid = services.record_disbursement(
        granted,
        amount=D("30000"),
        scheduled_date=datetime.date(2025, 4, 1),
        paid_date=datetime.date(2025, 4, 2),
    )
    late = services.record_disbursement(
        granted, amount=D("20000"), scheduled_date=TODAY - datetime.timedelta(days=10)
    )
    services.record_disbursement(
        granted, amount=D("10000"), scheduled_date=TODAY + datetime.timedelta(days=10)
    )
    return {
        "reviewer": funder_reviewer(bpi),
        "other_reviewer": funder_reviewer(region),
        "funders": {"bpi": bpi, "region": region},
        "programmes": {"inov": inov, "pspc": pspc, "ambition": ambition, "innovation": innovation},
        "project": project,
        "lines": {"granted": granted, "applied": applied},
        "tranches": {"paid": paid, "late": late},
    }


def kept(person, status="", today=TODAY):
    horizon = today + datetime.timedelta(days=90)
    return figures.portfolio_figures(
        permissions.funder_ids(person), status=status, today=today, horizon=horizon
    )


def fresh(person, status="", today=TODAY):
    """The same figures, computed from the person's portfolio without anything kept."""
    lines = permissions.portfolio_lines(person)
    if status:
        lines = lines.filter(status=status)
    horizon = today + datetime.timedelta(days=90)
    tranches = permissions.portfolio_disbursements(person)
    return {
        "totals": figures.line_totals(lines),
        "due": figures.unpaid_totals(tranches, today, horizon),
    }


def queries(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        function(*args, **kwargs)
    return len(captured)


def forget_ids(person):
    person.__dict__.pop("_funder_ids", None)  # read once per request: a new request


# --- Kept, and shown again -------------------------------------------------------------------


def test_the_totals_are_computed_once_and_shown_again(data):
    reviewer = data["reviewer"]
    figures_ = kept(reviewer)
    assert figures_ == fresh(reviewer)
    assert figures_["totals"]["lines"] == 2
    assert figures_["totals"]["disbursed"] == D("30000")
    assert figures_["due"]["late_amount"] == D("20000")
    assert figures_["due"]["upcoming_amount"] == D("10000")
    # Shown again: the versions and the kept figures, two queries, whatever the data.
    assert queries(kept, reviewer) == 2
    assert FiguresSnapshot.objects.filter(kind="portfolio").count() == 1


def test_the_reviewers_of_the_same_funders_share_their_totals(data):
    colleague = funder_reviewer(data["funders"]["bpi"])
    kept(data["reviewer"])
    permissions.funder_ids(colleague)  # read once per request, with the page's funders
    assert queries(kept, colleague) == 2
    assert kept(colleague) == fresh(colleague)


def test_each_status_and_each_day_has_its_own_totals(data):
    reviewer = data["reviewer"]
    assert kept(reviewer, status="applied") == fresh(reviewer, status="applied")
    assert kept(reviewer, status="applied")["totals"]["lines"] == 1
    tomorrow = TODAY + datetime.timedelta(days=11)  # the upcoming tranche is late then
    assert kept(reviewer, today=tomorrow) == fresh(reviewer, today=tomorrow)
    assert kept(reviewer, today=tomorrow)["due"]["late_amount"] == D("30000")
    assert kept(reviewer)["due"]["late_amount"] == D("20000")


def test_a_change_to_another_funders_lines_keeps_these_totals(data):
    reviewer = data["reviewer"]
    kept(reviewer)
    services.change_funding_line(
        FundingLine.objects.get(funder=data["funders"]["region"]), amount_requested=D("8000")
    )
    assert queries(kept, reviewer) == 2


def test_a_reviewer_of_one_more_funder_sees_both_funders_totals(data):
    reviewer = data["reviewer"]
    before = kept(reviewer)
    services.add_reviewer(data["funders"]["region"], reviewer)
    forget_ids(reviewer)
    assert kept(reviewer) == fresh(reviewer) != before
    assert kept(reviewer)["totals"]["lines"] == 3


# --- Computed again after every kind of change -----------------------------------------------


def record_a_line(data):
    project = data["project"]
    services.record_funding_line(
        project=project,
        partner=project.partners.order_by("pk").first(),
        programme=data["programmes"]["pspc"],
        amount_requested=D("5000"),
        status="applied",
    )


def decide_on_a_line(data):
    services.change_funding_line(
        data["lines"]["applied"],
        status="granted",
        amount_granted=D("35000"),
        decision_date=TODAY,
    )


def cancel_part_of_a_line(data):
    services.change_funding_line(data["lines"]["granted"], amount_cancelled=D("1000"))


def move_a_line_to_another_funder(data):
    services.change_funding_line(
        data["lines"]["applied"], programme=data["programmes"]["innovation"]
    )


def delete_a_line(data):
    # As the CORDIS import does: a queryset's delete, not one row's.
    FundingLine.objects.filter(pk=data["lines"]["applied"].pk).delete()


def record_a_paid_tranche(data):
    services.record_disbursement(
        data["lines"]["granted"], amount=D("5000"), scheduled_date=TODAY, paid_date=TODAY
    )


def pay_a_late_tranche(data):
    services.change_disbursement(data["tranches"]["late"], paid_date=TODAY)


def delete_a_tranche(data):
    services.delete_disbursement(data["tranches"]["paid"])


def schedule_a_tranche(data):
    Disbursement.objects.create(
        line=data["lines"]["granted"], amount=D("1000"), scheduled_date=TODAY
    )


CHANGES = [
    record_a_line,
    decide_on_a_line,
    cancel_part_of_a_line,
    move_a_line_to_another_funder,
    delete_a_line,
    record_a_paid_tranche,
    pay_a_late_tranche,
    delete_a_tranche,
    schedule_a_tranche,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_shows_in_the_totals_at_once(data, change):
    reviewer = data["reviewer"]
    before = kept(reviewer)
    change(data)
    assert kept(reviewer) == fresh(reviewer)
    assert kept(reviewer) != before  # the change shows in them


def test_a_line_moved_to_another_funder_shows_in_that_funders_totals_too(data):
    other = data["other_reviewer"]
    before = kept(other)
    move_a_line_to_another_funder(data)
    assert kept(other) == fresh(other) != before
    assert kept(other)["totals"]["requested"] == before["totals"]["requested"] + D("40000")


# --- The page --------------------------------------------------------------------------------


def test_the_portfolio_shows_a_paid_tranche_at_once(data, client):
    client.force_login(data["reviewer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with CaptureQueriesContext(connection) as first:
        html = client.get("/funding/portfolio/").content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get("/funding/portfolio/")
    assert len(again) < len(first)
    assert "€30,000</span> paid out" in html and "late tranche (€20,000)" in html
    pay_a_late_tranche(data)
    html = client.get("/funding/portfolio/").content.decode()
    assert "€50,000</span> paid out" in html and "No late tranche." in html


def test_a_reviewer_added_in_the_admin_sees_the_projects_of_the_portfolio(client, data):
    from django.contrib.auth import get_user_model

    from projects.permissions import visible_projects

    bpi = data["funders"]["bpi"]
    newcomer = get_user_model().objects.create_user("newcomer@example.com", "x")
    admin = get_user_model().objects.create_superuser("root@example.com", "x")
    client.force_login(admin)
    reviewers = [*bpi.reviewers.values_list("pk", flat=True), newcomer.pk]
    response = client.post(
        f"/admin/funding/funder/{bpi.pk}/change/",
        {"name": bpi.name, "kind": bpi.kind, "category": bpi.category, "reviewers": reviewers},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert bpi.reviewers.filter(pk=newcomer.pk).exists()
    assert visible_projects(newcomer).filter(acronym="HYDRO").exists()
