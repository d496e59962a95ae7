"""Reporting campaigns, for their pole's staff: the list with each campaign's progress, opening
a campaign (its scope previewed, its leaders told), and following it report by report."""

import copy
import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from outcomes import services
from outcomes.models import Campaign, OutcomeReport
from portal.models import Notification, Person
from projects import services as project_services
from projects.models import State
from tests.world import build_world

from ..shared import build_once
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]
HTMX = {"HX-Request": "true"}
FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.fixture(scope="module", autouse=True)
def built_world(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(
        django_db_blocker, lambda: build_outcomes(build_world()), language="en", site=True
    )


@pytest.fixture
def world(built_world, db):
    return copy.deepcopy(built_world)


def login(client, world, role):
    client.force_login(world["people"][role])
    return world["people"][role]


def running(world):
    """FUNDED, labelled by the staff's pole, now running: in the scope of a campaign."""
    funded = world["projects"]["funded"]
    for state in (State.FUNDING_SOUGHT, State.FUNDED, State.RUNNING):
        project_services.change_state(funded, state, by=world["people"]["leader"])
    return funded


def campaign_data(world, **changes):
    return {
        "pole": str(world["poles"]["own"].pk),
        "year": "2025",
        "due_date": FUTURE,
        "include_running": "on",
        "ended_within_years": "5",
        "message": "Mind the jobs: full-time equivalents.",
        **changes,
    }


# --- The list ------------------------------------------------------------------------------------


def test_staff_see_their_poles_campaigns_with_their_progress(client, world):
    login(client, world, "staff")
    report = world["extra"]["funded:report"]
    response = client.get("/campaigns/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pôle Own — 2026" in html
    assert "Pôle Foreign" not in html
    (campaign,) = response.context["campaigns"]
    assert [(str(label), n) for label, n, _ in campaign.progress] == [
        ("not started", 1),
        ("draft in progress", 0),
        ("submitted", 0),
        ("returned for changes", 0),
        ("validated", 0),
    ]
    services.save_report(report, narrative="Started")
    campaign = client.get("/campaigns/").context["campaigns"][0]
    assert [n for _, n, _ in campaign.progress] == [0, 1, 0, 0, 0]
    assert "Open a campaign" in html


def test_campaigns_do_not_exist_for_anyone_else(client, world):
    campaign = world["extra"]["funded:campaign"]
    for role in ("leader", "member", "funder", "expert", "outsider"):
        login(client, world, role)
        for url in (
            "/campaigns/",
            "/campaigns/new/",
            f"/campaigns/{campaign.pk}/",
            f"/campaigns/{campaign.pk}/export.csv",
        ):
            assert client.get(url).status_code == 404, (role, url)
        response = client.post("/campaigns/new/", campaign_data(world))
        assert response.status_code == 404
    login(client, world, "staff")
    foreign = world["extra"]["foreign_labelled:campaign"]
    assert client.get(f"/campaigns/{foreign.pk}/").status_code == 404
    assert client.get(f"/campaigns/{foreign.pk}/export.xlsx").status_code == 404


# --- Opening -------------------------------------------------------------------------------------


def test_opening_a_campaign_asks_each_project_and_tells_its_leaders(
    client, world, django_capture_on_commit_callbacks, mailoutbox
):
    running(world)
    staff = login(client, world, "staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/campaigns/new/", campaign_data(world))
    campaign = Campaign.objects.get(pole=world["poles"]["own"], year=2025)
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.opened_by == staff and campaign.message.startswith("Mind the jobs")
    report = campaign.reports.get()
    assert report.project == world["projects"]["funded"]
    assert report.figures.count() == 2
    (mail,) = mailoutbox
    assert mail.to == ["leader@world.example"]
    assert mail.subject.endswith("Outcome report 2025 of FUNDED requested by Pôle Own")
    assert f"/reports/{report.pk}/" in mail.body
    notification = Notification.objects.filter(recipient=world["people"]["leader"]).latest("pk")
    assert notification.url == f"/reports/{report.pk}/"
    assert notification.subject == "Outcome report 2025 of FUNDED requested by Pôle Own"
    html = client.get(response["Location"]).content.decode()
    assert "Campaign opened: 1 report asked for" in html
    # The leader finds it on their report, with the pole's message.
    login(client, world, "leader")
    assert "Mind the jobs" in client.get(f"/reports/{report.pk}/").content.decode()


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"due_date": "2020-01-01"}, "due_date", "The due date is already past."),
        ({"year": "2026"}, "year", "This pole already has a campaign for this year."),
        ({"include_running": ""}, None, "No project of this pole is in this scope"),
        ({"ended_within_years": "20"}, "ended_within_years", "less than or equal to 15"),
    ],
)
def test_a_campaign_that_cannot_open_says_why(client, world, changes, field, message):
    running(world)
    login(client, world, "staff")
    data = {key: value for key, value in campaign_data(world, **changes).items() if value != ""}
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors and message in " ".join(errors), form.errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Campaign.objects.count() == 2  # the world's own and foreign ones


def test_the_scope_is_previewed_as_the_form_changes(client, world):
    login(client, world, "staff")
    pole = world["poles"]["own"].pk
    url = f"/campaigns/new/scope/?pole={pole}&year=2025&include_running=on&ended_within_years=5"
    html = client.get(url, headers=HTMX).content.decode()
    assert "0 projects of Pôle Own are in this scope for 2025." in html
    running(world)
    html = client.get(url, headers=HTMX).content.decode()
    assert "1 project of Pôle Own is in this scope for 2025." in html and "FUNDED" in html
    html = client.get(url.replace("2025", "2026"), headers=HTMX).content.decode()
    assert "Pôle Own already has a campaign for 2026." in html
    # Another pole's scope is not for our staff to see: FLABEL, running, is in it.
    flabel = world["projects"]["foreign_labelled"]
    other_leader = Person.objects.get(email="other-leader@world.example")
    for state in (State.FUNDED, State.RUNNING):
        project_services.change_state(flabel, state, by=other_leader)
    foreign_url = url.replace(f"pole={pole}", f"pole={world['poles']['foreign'].pk}")
    client.force_login(Person.objects.get(email="other-staff@world.example"))
    html = client.get(foreign_url, headers=HTMX).content.decode()
    assert "1 project of Pôle Foreign is in this scope for 2025." in html and "FLABEL" in html
    login(client, world, "staff")
    html = client.get(foreign_url, headers=HTMX).content.decode()
    assert "FLABEL" not in html and "Pôle Foreign" not in html


# --- Following one ---------------------------------------------------------------------------------


def test_a_campaign_shows_its_reports_filtered_by_state(client, world):
    login(client, world, "staff")
    campaign = world["extra"]["funded:campaign"]
    response = client.get(f"/campaigns/{campaign.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Outcome reports 2026 of Pôle Own" in html
    assert "<svg" in html and "Reports by state" in html
    assert ">FUNDED<" in html and "Leader SAS" in html and "0/2" in html
    response = client.get(f"/campaigns/{campaign.pk}/?state=submitted", headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'id="campaign-reports"' in html
    assert "No report in this state." in html and ">FUNDED<" not in html
    html = client.get(f"/campaigns/{campaign.pk}/?state=not_started", headers=HTMX)
    assert ">FUNDED<" in html.content.decode()


def test_a_campaigns_table_downloads_with_its_filter(client, world):
    login(client, world, "staff")
    campaign = world["extra"]["funded:campaign"]
    report = world["extra"]["funded:report"]
    response = client.get(f"/campaigns/{campaign.pk}/export.csv")
    assert response.status_code == 200
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:5] == ["Project", "Title", "Leader organisation", "Leaders", "State"]
    assert rows[1][:7] == [
        "FUNDED",
        "FUNDED project",
        "Leader SAS",
        "Leader",
        "not started",
        "0",
        "2",
    ]
    response = client.get(f"/campaigns/{campaign.pk}/export.xlsx?state=validated")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1  # the header: nothing validated yet
    OutcomeReport.objects.filter(pk=report.pk).update(state="validated")
    response = client.get(f"/campaigns/{campaign.pk}/export.xlsx?state=validated")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 1).value == "FUNDED" and sheet.cell(2, 5).value == "validated"
