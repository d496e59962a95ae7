"""An outcome report's page: each partner's contacts fill their partner's figures, the leaders
fill any and submit; the pole's staff validate (then it is locked) or return it with their
comments; funders read it; bad input and changes the report's state refuses save nothing."""

import copy
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from outcomes import permissions, services
from outcomes.models import OutcomeReport
from portal.models import Notification, Person
from projects.models import Project
from tests.world import build_world

from ..shared import build_once
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]
HTMX = {"HX-Request": "true"}

FILLED = {
    "revenue": "100000",
    "export_share": "25",
    "jobs_created": "2,5",
    "jobs_maintained": "4",
    "patents_filed": "1",
    "patents_granted": "0",
    "publications": "3",
    "follow_on_funding": "0",
    "comments": "",
}


@pytest.fixture(scope="module", autouse=True)
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(
        django_db_blocker, lambda: build_outcomes(build_world()), language="en", site=True
    )


@pytest.fixture
def world(built_world, db):
    return copy.deepcopy(built_world)


@pytest.fixture
def report(world):
    return world["extra"]["funded:report"]


def login(client, world, role):
    client.force_login(world["people"][role])
    return world["people"][role]


def page_url(report):
    return f"/reports/{report.pk}/"


def figures_url(figures):
    return f"/reports/{figures.report_id}/figures/{figures.pk}/"


def fresh(instance):
    instance.refresh_from_db()
    return instance


def post_figures(client, figures, values=None, htmx=True, **extra):
    data = {**FILLED, **(values or {}), "version": str(fresh(figures).version), **extra}
    return client.post(figures_url(figures), data, headers=HTMX if htmx else {})


def fill_all(world, report):
    leader = world["people"]["leader"]
    for figures in report.figures.all():
        services.save_figures(
            figures,
            by=leader,
            revenue=Decimal("100000"),
            export_share=Decimal("25"),
            jobs_created=Decimal("2.5"),
            jobs_maintained=Decimal("4"),
            patents_filed=1,
            patents_granted=0,
            publications=3,
            follow_on_funding=Decimal("0"),
        )
    services.save_report(fresh(report), by=leader, narrative="A pilot line.", spin_offs=0)


def submitted(world, report):
    fill_all(world, report)
    services.submit_report(fresh(report), by=world["people"]["leader"])
    return fresh(report)


# --- Reading ------------------------------------------------------------------------------------


def test_the_page_shows_each_partner_prefilled_from_the_portal(client, world, report):
    login(client, world, "leader")
    response = client.get(page_url(report))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Outcome report 2026 — FUNDED" in html
    assert "Leader SAS" in html and "Member Lab" in html
    member = world["extra"]["funded:member_figures"]
    # The member's launch brought 40 000 € in 2026: offered, not saved.
    form = next(row.form for row in response.context["figures"] if row.pk == member.pk)
    assert form.initial["revenue"] == Decimal("40000.00")
    assert "pre-filled from the portal: launches" in html
    assert fresh(member).revenue is None
    assert html.count('name="complete"') == 2  # the leader fills both partners


def test_member_fills_their_own_partner_only(client, world, report):
    member = login(client, world, "member")
    html = client.get(page_url(report)).content.decode()
    assert html.count('name="complete"') == 1
    own, coordinator = (
        world["extra"]["funded:member_figures"],
        world["extra"]["funded:coordinator_figures"],
    )
    response = post_figures(client, own)
    assert response.status_code == 200
    assert "Figures of Member Lab saved." in response.content.decode()
    assert 'aria-labelledby="totals-heading" hx-swap-oob="true"' in response.content.decode()
    own = fresh(own)
    assert own.revenue == Decimal("100000.00") and own.jobs_created == Decimal("2.5")
    assert own.updated_by == member and own.completed_at is None
    assert fresh(report).started_at is not None

    response = post_figures(client, coordinator)
    assert response.status_code == 404
    assert fresh(coordinator).revenue is None


def test_leader_fills_any_partner(client, world, report):
    login(client, world, "leader")
    for key in ("funded:member_figures", "funded:coordinator_figures"):
        assert post_figures(client, world["extra"][key]).status_code == 200
    assert set(report.figures.values_list("revenue", flat=True)) == {Decimal("100000")}
    html = client.get(page_url(report)).content.decode()
    assert "€200,000.00" in html  # the project's total revenue


def test_my_part_is_complete_needs_every_figure(client, world, report):
    login(client, world, "member")
    own = world["extra"]["funded:member_figures"]
    response = post_figures(client, own, {"patents_granted": ""}, complete="1")
    assert response.status_code == 400
    assert "Give this figure (zero if there is none)." in response.content.decode()
    own = fresh(own)
    assert own.completed_at is None and own.revenue is None  # both or nothing
    response = post_figures(client, own, complete="1")
    assert response.status_code == 200
    assert "saved, and marked complete" in response.content.decode()
    assert fresh(own).completed_at is not None
    assert "1 of 2 partners said their part is complete." in response.content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("jobs_created", "-1", "greater than or equal to 0"),
        ("export_share", "101", "less than or equal to 100"),
        ("revenue", "1000 USD", "Amounts are in euros"),
        ("revenue", "$1000", "Amounts are in euros"),
        ("revenue", "1 000 £", "Amounts are in euros"),
        ("follow_on_funding", "5000 dollars", "Amounts are in euros"),
        ("revenue", "-5", "cannot be negative"),
        ("patents_filed", "-2", "greater than or equal to 0"),
    ],
)
def test_bad_input_saves_nothing(client, world, report, field, value, message):
    login(client, world, "member")
    own = world["extra"]["funded:member_figures"]
    response = post_figures(client, own, {field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    own = fresh(own)
    assert own.revenue is None and own.version == 1 and own.updated_at is None


def test_euros_may_be_written_with_their_sign(client, world, report):
    login(client, world, "member")
    own = world["extra"]["funded:member_figures"]
    assert (
        post_figures(client, own, {"revenue": "1000 €", "follow_on_funding": "EUR 20"}).status_code
        == 200
    )
    own = fresh(own)
    assert own.revenue == Decimal("1000.00") and own.follow_on_funding == Decimal("20.00")


def test_a_save_over_a_newer_version_shows_the_newer_values(client, world, report):
    own = world["extra"]["funded:member_figures"]
    login(client, world, "member")
    assert post_figures(client, own, {"revenue": "111"}).status_code == 200
    login(client, world, "leader")
    data = {**FILLED, "revenue": "999", "version": "1"}  # the page loaded before the save
    response = client.post(figures_url(own), data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved a change meanwhile" in html
    assert 'value="111.00"' in html  # the newer value, to check and save again
    assert fresh(own).revenue == Decimal("111.00")


def test_without_htmx_a_save_comes_back_to_the_report(client, world, report):
    login(client, world, "member")
    own = world["extra"]["funded:member_figures"]
    response = post_figures(client, own, htmx=False)
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/#figures-{own.pk}"
    response = post_figures(client, own, {"export_share": "150"}, htmx=False)
    assert response.status_code == 400
    assert "<html" in response.content.decode()


# --- The leaders' part and the submission ------------------------------------------------------


def test_leaders_save_the_narrative_inline(client, world, report):
    login(client, world, "leader")
    data = {"narrative": "A pilot line in Grenoble.", "spin_offs": "1", "version": "1"}
    response = client.post(f"/reports/{report.pk}/narrative/", data, headers=HTMX)
    assert response.status_code == 200
    assert "Narrative saved." in response.content.decode()
    report = fresh(report)
    assert report.narrative == "A pilot line in Grenoble." and report.spin_offs == 1
    # The page loaded before that save: refused, with the newer text.
    response = client.post(
        f"/reports/{report.pk}/narrative/", {**data, "narrative": "Other"}, headers=HTMX
    )
    assert response.status_code == 409
    assert "A pilot line in Grenoble." in response.content.decode()
    assert fresh(report).narrative == "A pilot line in Grenoble."


def test_members_do_not_write_the_narrative(client, world, report):
    login(client, world, "member")
    html = client.get(page_url(report)).content.decode()
    assert 'id="submit-report"' not in html
    data = {"narrative": "Mine", "spin_offs": "0", "version": "1"}
    assert client.post(f"/reports/{report.pk}/narrative/", data).status_code == 404
    assert client.post(f"/reports/{report.pk}/submit/", data).status_code == 404
    assert fresh(report).narrative == ""


def test_submitting_with_missing_figures_lists_them(client, world, report):
    login(client, world, "leader")
    data = {"narrative": "A pilot line.", "spin_offs": "", "version": "1"}
    response = client.post(f"/reports/{report.pk}/submit/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The report cannot be submitted yet:" in html
    assert "Member Lab: revenue from the project&#x27;s results (€)" in html
    assert "Leader SAS: revenue from the project&#x27;s results (€)" in html
    assert "Give the number of spin-offs" in html
    report = fresh(report)
    assert report.state == OutcomeReport.State.DRAFT
    assert report.narrative == "A pilot line."  # the text typed is kept


def test_submit_then_validate_locks_the_report(
    client, world, report, django_capture_on_commit_callbacks, mailoutbox
):
    fill_all(world, report)
    login(client, world, "leader")
    data = {
        "narrative": "A pilot line, then a plant.",
        "spin_offs": "1",
        "version": str(fresh(report).version),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{report.pk}/submit/", data)
    assert response.status_code == 302
    report = fresh(report)
    assert report.state == OutcomeReport.State.SUBMITTED
    assert report.submitted_figures["narrative"] == "A pilot line, then a plant."
    assert [m.to for m in mailoutbox] == [["staff@world.example"]]
    html = client.get(page_url(report)).content.decode()
    assert "Submitted on" in html and 'name="complete"' not in html

    # Nothing changes any more: the member is told why (400), nothing is saved.
    login(client, world, "member")
    own = world["extra"]["funded:member_figures"]
    response = post_figures(client, own, {"revenue": "1"})
    assert response.status_code == 400
    assert "This report is submitted" in response.content.decode()
    assert fresh(own).revenue == Decimal("100000.00")

    staff = login(client, world, "staff")
    assert 'id="validate-report"' in client.get(page_url(report)).content.decode()
    response = client.post(f"/reports/{report.pk}/validate/")
    assert response.status_code == 302
    report = fresh(report)
    assert report.state == OutcomeReport.State.VALIDATED and report.reviewed_by == staff

    login(client, world, "leader")
    html = client.get(page_url(report)).content.decode()
    assert "by Staff: the report is locked." in html
    assert "<form" not in html.split('id="report"')[1]  # everything read-only
    response = post_figures(client, own, {"revenue": "1"})
    assert response.status_code == 400
    assert "validated by the pole: it is locked" in response.content.decode()
    version = str(fresh(report).version)  # the current one: refused for the state
    response = client.post(f"/reports/{report.pk}/narrative/", {**data, "version": version})
    assert response.status_code == 400
    assert fresh(own).revenue == Decimal("100000.00")
    assert fresh(report).narrative == "A pilot line, then a plant."


def test_staff_return_with_comments_and_the_submitted_version_stays_apart(client, world, report):
    report = submitted(world, report)
    login(client, world, "staff")
    response = client.post(f"/reports/{report.pk}/return/", {"review_comments": " "})
    assert response.status_code == 400
    assert fresh(report).state == OutcomeReport.State.SUBMITTED
    response = client.post(f"/reports/{report.pk}/return/", {"review_comments": "Jobs look high."})
    assert response.status_code == 302
    assert fresh(report).state == OutcomeReport.State.RETURNED
    assert Notification.objects.filter(
        recipient=world["people"]["member"], subject__contains="returned for changes"
    ).exists()

    login(client, world, "member")
    own = world["extra"]["funded:member_figures"]
    assert post_figures(client, own, {"jobs_created": "1"}).status_code == 200
    html = client.get(page_url(report)).content.decode()
    assert "Jobs look high." in html
    assert "What was submitted on" in html
    submitted_part = html.split('id="submitted-version"')[1]
    assert "2.5" in submitted_part  # as submitted, apart from the draft's 1.0
    assert report.figures.get(pk=own.pk).jobs_created == Decimal("1.0")


def test_validate_or_return_is_the_campaign_poles_staffs(client, world, report):
    login(client, world, "staff")
    response = client.post(f"/reports/{report.pk}/validate/")  # a draft
    assert response.status_code == 400
    assert "Only a submitted report is validated or returned" in response.content.decode()
    report = submitted(world, report)
    for role in ("leader", "member", "funder"):
        login(client, world, role)
        assert client.post(f"/reports/{report.pk}/validate/").status_code == 404
        assert (
            client.post(f"/reports/{report.pk}/return/", {"review_comments": "x"}).status_code
            == 404
        )
    assert fresh(report).state == OutcomeReport.State.SUBMITTED


def test_funders_read_experts_and_others_find_nothing(client, world, report):
    login(client, world, "funder")
    response = client.get(page_url(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" not in html.split('id="report"')[1]
    own = world["extra"]["funded:member_figures"]
    assert post_figures(client, own).status_code == 404
    login(client, world, "staff")
    assert post_figures(client, own).status_code == 404
    for role in ("expert", "outsider"):
        login(client, world, role)
        assert client.get(page_url(report)).status_code == 404
        assert post_figures(client, own).status_code == 404
    assert fresh(own).revenue is None


def test_another_poles_report_does_not_exist_for_our_staff(client, world):
    login(client, world, "staff")
    foreign = world["extra"]["foreign_labelled:report"]
    assert client.get(page_url(foreign)).status_code == 404


def test_figures_of_another_report_are_not_found_through_this_one(client, world, report):
    login(client, world, "leader")
    foreign = world["extra"]["foreign_labelled:report"].figures.get()
    response = client.post(f"/reports/{report.pk}/figures/{foreign.pk}/", FILLED)
    assert response.status_code == 404


def test_a_late_report_says_so(client, world, report):
    campaign = report.campaign
    campaign.due_date = datetime.date(2020, 1, 1)
    campaign.save()
    login(client, world, "member")
    assert "This report was due on" in client.get(page_url(report)).content.decode()


# --- Elsewhere: the project page, the home page --------------------------------------------------


def test_the_project_page_lists_the_reports_one_may_read(client, world, report):
    url = world["projects"]["funded"].get_absolute_url()
    for role, shown in [("leader", True), ("funder", True), ("staff", True), ("expert", False)]:
        login(client, world, role)
        html = client.get(url).content.decode()
        assert (f'href="/reports/{report.pk}/"' in html) is shown, role


def test_the_project_pages_reports_are_those_one_may_read(world, report):
    """The project page reads the reports of its project alone (``project_reports``): the
    same ones as ``visible_reports`` there, for everyone and every project."""
    people = [*world["people"].values(), Person.objects.create_superuser("boss@world.example")]
    for project in Project.objects.all():
        for person in people:
            shown = set(permissions.visible_reports(person).filter(project=project))
            assert set(permissions.project_reports(person, project)) == shown, (person, project)
    assert permissions.project_reports(AnonymousUser(), report.project).count() == 0


def test_home_pages_show_reports_to_fill_and_to_review(client, world, report):
    for role in ("leader", "member"):
        login(client, world, role)
        html = client.get("/").content.decode()
        assert "Outcome reports to fill" in html and f"/reports/{report.pk}/" in html
    login(client, world, "staff")
    html = client.get("/").content.decode()
    assert "No submitted report waits for your review." in html
    assert 'href="/campaigns/"' in html  # and in the navigation
    submitted(world, report)
    html = client.get("/").content.decode()
    assert "Outcome reports to review" in html and f"/reports/{report.pk}/" in html
    login(client, world, "leader")
    html = client.get("/").content.decode()
    assert "Outcome reports to fill" not in html
    assert 'href="/campaigns/"' not in html
