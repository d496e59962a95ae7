"""Outcome reports and campaigns through the API: each partner fills its own figures, the
leader submits (told what is missing), the pole's staff validate (then locked) or return
them; money is read strictly; a stale save is a 409; what one may not see is a 404."""

import copy
import datetime

import pytest

from outcomes.models import Campaign, OutcomeReport
from projects import services as project_services
from projects.models import State
from tests.world import build_world

from ..shared import build_once
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

COMPLETE = {
    "revenue": "100000.00",
    "export_share": "25",
    "jobs_created": "2.5",
    "jobs_maintained": "4",
    "patents_filed": 1,
    "patents_granted": 0,
    "publications": 3,
    "follow_on_funding": "0",
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
def api(client, world):
    """``api(role, method, path, body)``: the response to ``role``'s JSON request."""

    def call(role, method, path, body=None):
        client.force_login(world["people"][role])
        return getattr(client, method)(path, body or {}, content_type="application/json")

    return call


def _report_url(world, suffix=""):
    return f"/api/v1/reports/{world['extra']['funded:report'].pk}/{suffix}"


def _figures_url(world, which, suffix=""):
    return f"/api/v1/report-figures/{world['extra'][f'funded:{which}_figures'].pk}/{suffix}"


def _fill(api, world):
    for which in ("member", "coordinator"):
        assert api("leader", "patch", _figures_url(world, which), COMPLETE).status_code == 200
    body = {"narrative": "A pilot line in Grenoble.", "spin_offs": 0}
    assert api("leader", "patch", _report_url(world), body).status_code == 200


def _submit(api, world):
    _fill(api, world)
    response = api("leader", "post", _report_url(world, "submit/"))
    assert response.status_code == 200, response.json()
    return response


def test_a_member_fills_their_own_partners_figures_only(api, world):
    response = api("member", "patch", _figures_url(world, "member"), {"revenue": "1234.5"})
    assert response.status_code == 200
    assert response.json()["revenue"] == "1234.50"
    assert "revenue" not in response.json()["missing"]
    assert (
        api("member", "patch", _figures_url(world, "coordinator"), {"revenue": "1"}).status_code
        == 404
    )
    # The leader corrects any partner's figures.
    assert (
        api("leader", "patch", _figures_url(world, "member"), {"revenue": "10"}).status_code == 200
    )
    # The member neither writes the narrative nor submits.
    assert api("member", "patch", _report_url(world), {"narrative": "Mine"}).status_code == 404
    assert api("member", "post", _report_url(world, "submit/")).status_code == 404
    figures = world["extra"]["funded:member_figures"]
    figures.refresh_from_db()
    assert str(figures.revenue) == "10.00" and figures.updated_by == world["people"]["leader"]


def test_the_report_shows_partners_figures_totals_and_suggestions(api, world):
    api("member", "patch", _figures_url(world, "member"), {"revenue": "300", "export_share": "50"})
    api(
        "leader",
        "patch",
        _figures_url(world, "coordinator"),
        {"revenue": "100", "export_share": "10"},
    )
    data = api("member", "get", _report_url(world)).json()
    assert data["state"] == "draft" and data["project_acronym"] == "FUNDED"
    assert {f["organisation"] for f in data["figures"]} == {"Leader SAS", "Member Lab"}
    assert data["totals"]["revenue"] == "400.00"
    assert data["totals"]["export_share"] == "40.00"  # weighted by revenue
    assert data["submitted_figures"] is None
    member_partner = world["extra"]["funded:member_figures"].partner_id
    suggested = {row["partner"]: row for row in data["suggested"]}
    assert suggested[member_partner]["revenue"] == "40000.00"  # the launch's 2026 revenue
    assert data["fillable_partners"] == [member_partner] and data["may_fill"] is False
    leader = api("leader", "get", _report_url(world)).json()
    assert leader["may_fill"] is True and len(leader["fillable_partners"]) == 2


def test_money_jobs_and_shares_are_read_strictly(api, world):
    url = _figures_url(world, "member")
    for body, field in [
        ({"revenue": "1e9"}, "revenue"),
        ({"revenue": "1.234,56"}, "revenue"),
        ({"revenue": "-5"}, "revenue"),
        ({"follow_on_funding": "12.345"}, "follow_on_funding"),
        ({"jobs_created": "-1"}, "jobs_created"),
        ({"export_share": "100.5"}, "export_share"),
        ({"export_share": "-1"}, "export_share"),
        ({"patents_filed": -1}, "patents_filed"),
    ]:
        response = api("member", "patch", url, body)
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    figures = world["extra"]["funded:member_figures"]
    figures.refresh_from_db()
    assert figures.revenue is None and figures.jobs_created is None
    # Zero is an answer; 100 % exported is a share.
    response = api("member", "patch", url, {"revenue": "0", "export_share": "100"})
    assert response.status_code == 200
    assert response.json()["revenue"] == "0.00"


def test_only_euros_are_accepted(api, world):
    url = _figures_url(world, "member")
    response = api("member", "patch", url, {"revenue": "1000", "currency": "USD"})
    assert response.status_code == 400
    assert "euros" in response.json()["currency"][0]
    figures = world["extra"]["funded:member_figures"]
    figures.refresh_from_db()
    assert figures.revenue is None
    response = api("member", "patch", url, {"revenue": "1000", "currency": "EUR"})
    assert response.status_code == 200 and response.json()["currency"] == "EUR"


def test_amounts_may_say_they_are_in_euros_and_in_no_other_currency(api, world):
    url = _figures_url(world, "member")
    body = {"revenue": "1000 €", "follow_on_funding": "EUR 50", "currency": "eur"}
    response = api("member", "patch", url, body)
    assert response.status_code == 200, response.json()
    assert (response.json()["revenue"], response.json()["follow_on_funding"]) == (
        "1000.00",
        "50.00",
    )
    response = api("member", "patch", url, {"revenue": "1000 USD"})
    assert response.status_code == 400
    assert "Amounts are in euros" in response.json()["revenue"][0]


def test_submitting_with_figures_missing_lists_them(api, world):
    api("member", "patch", _figures_url(world, "member"), COMPLETE)
    response = api("leader", "post", _report_url(world, "submit/"))
    assert response.status_code == 400
    errors = response.json()
    assert len(errors["figures"]) == 1 and errors["figures"][0].startswith("Leader SAS:")
    assert "revenue from the project" in errors["figures"][0]
    assert "narrative" in errors and "spin_offs" in errors
    assert OutcomeReport.objects.get(pk=world["extra"]["funded:report"].pk).state == "draft"


def test_a_partner_completes_its_part_once_every_figure_is_there(api, world):
    url = _figures_url(world, "member", "complete/")
    api("member", "patch", _figures_url(world, "member"), {"revenue": "10"})
    response = api("member", "post", url)
    assert response.status_code == 400
    assert "jobs_created" in response.json() and "revenue" not in response.json()
    api("member", "patch", _figures_url(world, "member"), COMPLETE)
    response = api("member", "post", url)
    assert response.status_code == 200 and response.json()["completed_at"]
    assert api("member", "post", _figures_url(world, "coordinator", "complete/")).status_code == 404


def test_staff_validate_a_submitted_report_which_is_then_locked(api, world, mailoutbox):
    assert api("staff", "post", _report_url(world, "validate/")).status_code == 400  # a draft
    data = _submit(api, world).json()
    assert data["state"] == "submitted"
    assert data["submitted_figures"]["totals"]["revenue"] == "200000.00"
    # Submitted: nothing changes until the pole answers.
    response = api("leader", "patch", _figures_url(world, "member"), {"revenue": "1"})
    assert response.status_code == 400 and "submitted" in str(response.json())
    assert api("leader", "post", _report_url(world, "validate/")).status_code == 404
    assert api("staff", "get", _report_url(world)).json()["may_review"] is True
    response = api("staff", "post", _report_url(world, "validate/"))
    assert response.status_code == 200 and response.json()["state"] == "validated"
    assert response.json()["reviewed_by_name"]
    for url, body in [
        (_figures_url(world, "member"), {"revenue": "1"}),
        (_report_url(world), {"narrative": "Changed"}),
    ]:
        response = api("leader", "patch", url, body)
        assert response.status_code == 400
        assert "locked" in str(response.json())
    assert api("leader", "post", _report_url(world, "submit/")).status_code == 400
    assert api("staff", "post", _report_url(world, "return/"), {"comments": "x"}).status_code == 400
    report = OutcomeReport.objects.get(pk=world["extra"]["funded:report"].pk)
    assert report.state == "validated" and report.narrative == "A pilot line in Grenoble."


def test_returned_report_is_editable_again(api, world):
    _submit(api, world)
    response = api("staff", "post", _report_url(world, "return/"), {"comments": "  "})
    assert response.status_code == 400 and "comments" in response.json()
    assert (
        api("leader", "post", _report_url(world, "return/"), {"comments": "x"}).status_code == 404
    )
    response = api("staff", "post", _report_url(world, "return/"), {"comments": "Jobs look high."})
    assert response.status_code == 200
    assert response.json()["state"] == "returned"
    assert response.json()["review_comments"] == "Jobs look high."
    response = api("member", "patch", _figures_url(world, "member"), {"jobs_created": "1"})
    assert response.status_code == 200
    data = api("leader", "get", _report_url(world)).json()
    # The draft moves on; what was submitted is kept apart.
    assert data["totals"]["jobs_created"] == "3.5"
    assert data["submitted_figures"]["totals"]["jobs_created"] == "5.0"
    assert api("leader", "post", _report_url(world, "submit/")).status_code == 200


def test_a_stale_save_is_a_409_with_the_newer_values(api, world):
    url = _figures_url(world, "member")
    version = api("member", "get", url).json()["version"]
    assert api("leader", "patch", url, {"revenue": "5", "version": version}).status_code == 200
    response = api("member", "patch", url, {"revenue": "7", "version": version})
    assert response.status_code == 409
    assert response.json()["current"]["revenue"] == "5.00"
    report_url = _report_url(world)
    version = api("leader", "get", report_url).json()["version"]
    assert (
        api("leader", "patch", report_url, {"narrative": "One", "version": version}).status_code
        == 200
    )
    response = api("leader", "patch", report_url, {"narrative": "Two", "version": version})
    assert response.status_code == 409
    assert response.json()["current"]["narrative"] == "One"


def test_a_change_without_its_version_moves_the_version_on(api, world):
    url = _figures_url(world, "member")
    assert api("member", "patch", url, {"revenue": "5"}).json()["version"] == 2
    assert api("leader", "patch", _report_url(world), {"narrative": "One"}).json()["version"] == 2
    # Whoever edited version 1 is told someone saved meanwhile.
    response = api("leader", "patch", url, {"revenue": "7", "version": 1})
    assert response.status_code == 409 and response.json()["current"]["revenue"] == "5.00"
    response = api("leader", "patch", _report_url(world), {"narrative": "Two", "version": 1})
    assert response.status_code == 409


def test_the_funder_reads_and_nobody_else_outside_sees_it(api, world):
    assert api("funder", "get", _report_url(world)).status_code == 200
    assert api("funder", "get", _figures_url(world, "member")).status_code == 200
    assert (
        api("funder", "patch", _figures_url(world, "member"), {"revenue": "1"}).status_code == 404
    )
    assert api("funder", "post", _report_url(world, "submit/")).status_code == 404
    assert api("staff", "patch", _report_url(world), {"narrative": "x"}).status_code == 404
    for role in ("expert", "outsider"):
        assert api(role, "get", _report_url(world)).status_code == 404
        assert api(role, "get", _figures_url(world, "member")).status_code == 404
        assert api(role, "get", "/api/v1/reports/").json()["count"] == 0
    foreign = world["extra"]["foreign_labelled:report"]
    for role in ("leader", "member", "staff", "funder"):
        assert api(role, "get", f"/api/v1/reports/{foreign.pk}/").status_code == 404
        listed = {r["id"] for r in api(role, "get", "/api/v1/reports/").json()["results"]}
        assert listed == {world["extra"]["funded:report"].pk}
    foreign_figures = foreign.figures.get()
    assert api("staff", "get", f"/api/v1/report-figures/{foreign_figures.pk}/").status_code == 404


def test_the_list_filters_by_campaign_project_and_state(api, world):
    report = world["extra"]["funded:report"]
    campaign = world["extra"]["funded:campaign"]
    for query, expected in [
        (f"campaign={campaign.pk}", 1),
        (f"project={report.project_id}", 1),
        ("state=draft", 1),
        ("state=submitted", 0),
    ]:
        data = api("staff", "get", f"/api/v1/reports/?{query}").json()
        assert data["count"] == expected, query
    row = api("staff", "get", "/api/v1/reports/").json()["results"][0]
    assert row["year"] == 2026 and row["pole_name"] == "Pôle Own"
    assert row["totals"]["revenue"] == "0.00"


def test_a_hidden_report_filters_as_one_that_does_not_exist(api, world):
    foreign = world["extra"]["foreign_labelled:report"]
    for field, hidden in (("project", foreign.project_id), ("campaign", foreign.campaign_id)):
        for value in (hidden, 999999):
            response = api("staff", "get", f"/api/v1/reports/?{field}={value}")
            assert (response.status_code, response.json()["count"]) == (200, 0), (field, value)
        assert api("staff", "get", f"/api/v1/reports/?{field}=x").status_code == 400
    campaign = world["extra"]["foreign_labelled:campaign"]
    for value in (campaign.pole_id, 999999):
        response = api("staff", "get", f"/api/v1/campaigns/?pole={value}")
        assert (response.status_code, response.json()["count"]) == (200, 0)


# --- Campaigns ----------------------------------------------------------------------------


def test_staff_follow_their_poles_campaigns(api, world):
    api("member", "patch", _figures_url(world, "member"), {"revenue": "1"})
    data = api("staff", "get", "/api/v1/campaigns/").json()
    assert [c["year"] for c in data["results"]] == [2026]  # not the foreign pole's
    campaign = world["extra"]["funded:campaign"]
    progress = api("staff", "get", f"/api/v1/campaigns/{campaign.pk}/").json()["progress"]
    assert progress == {
        "total": 1,
        "not_started": 0,
        "draft": 1,
        "submitted": 0,
        "validated": 0,
        "returned": 0,
    }
    for role in ("leader", "member", "funder", "expert", "outsider"):
        assert api(role, "get", "/api/v1/campaigns/").json()["count"] == 0
        assert api(role, "get", f"/api/v1/campaigns/{campaign.pk}/").status_code == 404


def test_staff_open_a_campaign_for_the_projects_in_scope(api, world, mailoutbox):
    funded, leader = world["projects"]["funded"], world["people"]["leader"]
    for state in (State.FUNDING_SOUGHT, State.FUNDED, State.RUNNING):
        project_services.change_state(funded, state, by=leader)
    pole = world["poles"]["own"]
    due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    body = {"pole": pole.pk, "year": 2027, "due_date": due, "message": "Thanks!"}
    assert api("leader", "post", "/api/v1/campaigns/", body).status_code == 404
    response = api("staff", "post", "/api/v1/campaigns/", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["progress"]["total"] == data["progress"]["not_started"] == 1
    assert data["opened_by_name"]
    assert OutcomeReport.objects.get(campaign_id=data["id"]).project == funded
    # One campaign a year; never due in the past; only one's own pole.
    again = api("staff", "post", "/api/v1/campaigns/", body)
    assert again.status_code == 400 and "year" in again.json()
    past = {**body, "year": 2028, "due_date": "2020-01-01"}
    response = api("staff", "post", "/api/v1/campaigns/", past)
    assert response.status_code == 400 and "due_date" in response.json()
    foreign = {**body, "pole": world["poles"]["foreign"].pk, "year": 2029}
    assert api("staff", "post", "/api/v1/campaigns/", foreign).status_code == 404
    assert Campaign.objects.filter(pole=pole).count() == 2


def test_opening_a_campaign_is_not_found_but_for_the_poles_staff(api, world):
    for role in ("leader", "member", "funder", "expert", "outsider"):
        for body in ({}, {"pole": "x"}, {"pole": world["poles"]["own"].pk}):
            assert api(role, "post", "/api/v1/campaigns/", body).status_code == 404, role
    foreign = {"pole": world["poles"]["foreign"].pk}
    assert api("staff", "post", "/api/v1/campaigns/", foreign).status_code == 404
    response = api("staff", "post", "/api/v1/campaigns/", {})
    assert response.status_code == 400 and "pole" in response.json()


def test_a_campaign_nothing_is_in_scope_of_is_refused(api, world):
    due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    body = {"pole": world["poles"]["own"].pk, "year": 2025, "due_date": due}
    response = api("staff", "post", "/api/v1/campaigns/", body)
    assert response.status_code == 400
    assert "No project" in response.json()["non_field_errors"][0]
