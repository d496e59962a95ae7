"""Milestones and deliverables: the leader plans them, each partner's contacts complete their
own, everyone who sees the project's confidential part sees them, and overdue ones show on
the home pages of the leaders and of the pole's staff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Milestone, State

from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare messages in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


TODAY = timezone.localdate()

LAST_WEEK = TODAY - datetime.timedelta(days=7)
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def today():
    """The day as each test starts (not as the module was collected: a run may cross
    midnight, in the site's time zone, between the two)."""
    global TODAY, LAST_WEEK, NEXT_MONTH
    TODAY = timezone.localdate()
    LAST_WEEK = TODAY - datetime.timedelta(days=7)
    NEXT_MONTH = TODAY + datetime.timedelta(days=30)
    return TODAY


built_world, world = module_world(build_world, language="en")


@pytest.fixture
def project(world):
    return world["projects"]["funded"]


def coordinator(project):
    return project.partners.get(role="coordinator")


def member_partner(world, project):
    return project.partners.get(organisation=world["organisations"]["member"])


def login(client, world, role):
    client.force_login(world["people"][role])


# --- The service ------------------------------------------------------------------------------


def test_a_milestone_is_added_changed_completed_and_deleted(world, project):
    milestone = services.add_milestone(
        project,
        kind=Milestone.Kind.DELIVERABLE,
        title="D1.1 Requirements",
        partner=member_partner(world, project),
        due_date=NEXT_MONTH,
    )
    services.change_milestone(milestone, title="D1.1 Requirements and use cases")
    services.complete_milestone(milestone)
    milestone.refresh_from_db()
    assert (milestone.title, milestone.done_on, milestone.is_overdue) == (
        "D1.1 Requirements and use cases",
        TODAY,
        False,
    )
    assert milestone.history.count() == 3  # who changed what, and when
    services.delete_milestone(milestone)
    assert not Milestone.objects.exists()


def test_a_milestone_needs_a_title_and_a_due_date(project):
    with pytest.raises(ValidationError) as caught:
        services.add_milestone(project, title="", due_date=None)
    assert set(caught.value.message_dict) == {"title", "due_date"}
    assert not Milestone.objects.exists()


def test_a_milestone_cannot_be_done_in_the_future(project):
    milestone = services.add_milestone(project, title="M1", due_date=LAST_WEEK)
    with pytest.raises(ValidationError) as caught:
        services.complete_milestone(milestone, TODAY + datetime.timedelta(days=1))
    assert caught.value.message_dict == {"done_on": ["A milestone cannot be done in the future."]}
    milestone.refresh_from_db()
    assert milestone.done_on is None and milestone.is_overdue


def test_the_responsible_partner_belongs_to_the_project(world, project):
    foreign = world["projects"]["foreign_labelled"].partners.get()
    with pytest.raises(ValidationError) as caught:
        services.add_milestone(project, title="M1", due_date=NEXT_MONTH, partner=foreign)
    assert caught.value.message_dict == {"partner": ["Choose a partner of this project."]}


def test_a_milestone_stays_with_its_project(world, project):
    milestone = services.add_milestone(project, title="M1", due_date=NEXT_MONTH)
    services.change_milestone(milestone, project=world["projects"]["draft"], title="M1 bis")
    milestone.refresh_from_db()
    assert (milestone.project, milestone.title) == (project, "M1 bis")


# --- The project page -------------------------------------------------------------------------


def test_the_leader_adds_a_milestone_inline(client, world, project):
    login(client, world, "leader")
    response = client.post(
        f"/projects/{project.pk}/milestones/",
        {
            "kind": "deliverable",
            "title": "D2.1 Prototype",
            "partner": member_partner(world, project).pk,
            "due_date": NEXT_MONTH.isoformat(),
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" aria-labelledby="milestones-heading"')
    assert "D2.1 Prototype" in html and "Member Lab" in html and "to do" in html
    milestone = Milestone.objects.get()
    assert (milestone.project, milestone.kind, milestone.partner) == (
        project,
        "deliverable",
        member_partner(world, project),
    )


def test_an_invalid_milestone_is_shown_back_with_its_errors(client, world, project):
    login(client, world, "leader")
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(
        f"/projects/{project.pk}/milestones/",
        {"kind": "milestone", "title": "M1", "due_date": "", "done_on": tomorrow.isoformat()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "A milestone cannot be done in the future." in html
    assert 'value="M1"' in html
    assert not Milestone.objects.exists()
    # Without HTMX, a page with the form.
    response = client.post(f"/projects/{project.pk}/milestones/", {"title": "M1"})
    assert response.status_code == 400
    assert "<h1>" in response.content.decode()


def test_overdue_milestones_say_so_in_words(client, world, project):
    services.add_milestone(project, title="Late kick-off report", due_date=LAST_WEEK)
    services.add_milestone(project, title="Final review", due_date=NEXT_MONTH)
    services.add_milestone(project, title="Done report", due_date=LAST_WEEK, done_on=LAST_WEEK)
    login(client, world, "funder")
    html = client.get(f"/projects/{project.pk}/").content.decode()
    late = html.split("Late kick-off report")[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in late
    row = html.split("Late kick-off report")[1].split("</tr>")[0]
    assert "overdue" in row and "7 days late" in row
    final = html.split("Final review")[1].split("</tr>")[0]
    assert "to do" in final and "overdue" not in final
    done = html.split("Done report")[1].split("</tr>")[0]
    assert "done" in done and "overdue" not in done
    # The funder sees them but changes nothing.
    assert "Mark done" not in html and "Add a milestone" not in html


def test_a_member_marks_their_own_partners_milestone_done(client, world, project):
    own = services.add_milestone(
        project, title="Lab tests", due_date=LAST_WEEK, partner=member_partner(world, project)
    )
    theirs = services.add_milestone(
        project, title="Coordination", due_date=LAST_WEEK, partner=coordinator(project)
    )
    login(client, world, "member")
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert f"/milestones/{own.pk}/done/" in html
    assert f"/milestones/{theirs.pk}/done/" not in html
    assert "Add a milestone" not in html
    response = client.post(
        f"/projects/{project.pk}/milestones/{own.pk}/done/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="milestone-{own.pk}"')
    assert "done" in row and "overdue" not in row
    own.refresh_from_db()
    assert own.done_on == TODAY
    assert client.post(f"/projects/{project.pk}/milestones/{theirs.pk}/done/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.done_on is None


def test_a_member_edits_their_own_without_reassigning_it(client, world, project):
    own = services.add_milestone(
        project, title="Lab tests", due_date=NEXT_MONTH, partner=member_partner(world, project)
    )
    login(client, world, "member")
    form = client.get(
        f"/projects/{project.pk}/milestones/{own.pk}/edit/", headers={"HX-Request": "true"}
    ).content.decode()
    assert form.lstrip().startswith(f'<tr id="milestone-{own.pk}"')
    assert 'name="title"' in form and 'name="partner"' not in form
    response = client.post(
        f"/projects/{project.pk}/milestones/{own.pk}/edit/",
        {
            "kind": "milestone",
            "title": "Lab tests, second run",
            "due_date": NEXT_MONTH.isoformat(),
            "partner": coordinator(project).pk,  # ignored: not theirs to decide
            "version": "1",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Lab tests, second run" in response.content.decode()
    own.refresh_from_db()
    assert (own.title, own.partner) == ("Lab tests, second run", member_partner(world, project))


def test_the_edit_form_cancels_back_to_the_row(client, world, project):
    milestone = services.add_milestone(project, title="M1", due_date=NEXT_MONTH)
    login(client, world, "leader")
    response = client.get(
        f"/projects/{project.pk}/milestones/{milestone.pk}/edit/?cancel=1",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Mark done" in response.content.decode()


def test_an_invalid_edit_keeps_the_form_and_the_database(client, world, project):
    milestone = services.add_milestone(project, title="M1", due_date=NEXT_MONTH)
    login(client, world, "leader")
    response = client.post(
        f"/projects/{project.pk}/milestones/{milestone.pk}/edit/",
        {"kind": "milestone", "title": "", "due_date": NEXT_MONTH.isoformat()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.title == "M1"


def test_only_the_leader_deletes(client, world, project):
    milestone = services.add_milestone(
        project, title="M1", due_date=NEXT_MONTH, partner=member_partner(world, project)
    )
    login(client, world, "member")
    assert (
        client.post(f"/projects/{project.pk}/milestones/{milestone.pk}/delete/").status_code == 404
    )
    login(client, world, "leader")
    response = client.post(
        f"/projects/{project.pk}/milestones/{milestone.pk}/delete/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.content == b""
    assert not Milestone.objects.exists()


def test_a_milestone_of_another_project_is_not_found_under_this_one(client, world, project):
    other = services.add_milestone(world["projects"]["draft"], title="M1", due_date=NEXT_MONTH)
    login(client, world, "leader")
    url = f"/projects/{project.pk}/milestones/{other.pk}/done/"
    assert client.post(url).status_code == 404


# --- The home pages ---------------------------------------------------------------------------


def _home_milestones(client, world, role):
    login(client, world, role)
    response = client.get("/")
    return {m.title for m in response.context["sections"]["overdue_milestones"]}, response


def test_overdue_milestones_show_on_the_home_of_leaders_and_pole_staff(client, world):
    funded, submitted = world["projects"]["funded"], world["projects"]["submitted"]
    services.add_milestone(funded, title="Late on FUNDED", due_date=LAST_WEEK)
    services.add_milestone(submitted, title="Late on SUBMIT", due_date=LAST_WEEK)
    services.add_milestone(world["projects"]["draft"], title="Late on DRAFT", due_date=LAST_WEEK)
    services.add_milestone(
        world["projects"]["foreign_labelled"], title="Late abroad", due_date=LAST_WEEK
    )
    services.add_milestone(funded, title="Not yet due", due_date=NEXT_MONTH)
    services.add_milestone(funded, title="Late but done", due_date=LAST_WEEK, done_on=TODAY)

    leader, response = _home_milestones(client, world, "leader")
    assert leader == {"Late on FUNDED", "Late on SUBMIT", "Late on DRAFT"}
    html = response.content.decode()
    assert "Overdue milestones and deliverables" in html and "7 days late" in html

    staff, _ = _home_milestones(client, world, "staff")
    assert staff == {"Late on FUNDED", "Late on SUBMIT"}  # the projects of their pole

    for role in ("member", "funder", "expert", "outsider"):
        titles, response = _home_milestones(client, world, role)
        assert titles == set(), role
        assert "Overdue milestones" not in response.content.decode()


def test_abandoned_projects_do_not_nag(client, world):
    draft = world["projects"]["draft"]
    services.add_milestone(draft, title="Late on DRAFT", due_date=LAST_WEEK)
    services.change_state(draft, State.ABANDONED, by=world["people"]["leader"])
    assert _home_milestones(client, world, "leader")[0] == set()


# --- The API ----------------------------------------------------------------------------------


def test_the_api_adds_lists_and_completes(client, world, project):
    login(client, world, "leader")
    response = client.post(
        "/api/v1/milestones/",
        {
            "project": project.pk,
            "kind": "deliverable",
            "title": "D1",
            "partner": member_partner(world, project).pk,
            "due_date": LAST_WEEK.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["partner_name"], data["is_overdue"]) == ("Member Lab", True)

    services.add_milestone(world["projects"]["draft"], title="Elsewhere", due_date=NEXT_MONTH)
    listed = client.get(f"/api/v1/milestones/?project={project.pk}").json()
    assert [m["title"] for m in listed["results"]] == ["D1"]

    login(client, world, "member")
    response = client.post(
        f"/api/v1/milestones/{data['id']}/complete/", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["done_on"], response.json()["is_overdue"]) == (TODAY.isoformat(), False)


def test_the_api_validates_like_the_page(client, world, project):
    login(client, world, "leader")
    response = client.post(
        "/api/v1/milestones/",
        {
            "project": project.pk,
            "title": "M1",
            "due_date": LAST_WEEK.isoformat(),
            "done_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"done_on": ["A milestone cannot be done in the future."]}
    foreign = world["projects"]["foreign_labelled"].partners.get()
    response = client.post(
        "/api/v1/milestones/",
        {
            "project": project.pk,
            "title": "M1",
            "due_date": LAST_WEEK.isoformat(),
            "partner": foreign.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "partner" in response.json()
    assert not Milestone.objects.exists()


def test_a_member_cannot_reassign_through_the_api(client, world, project):
    own = services.add_milestone(
        project, title="Lab tests", due_date=NEXT_MONTH, partner=member_partner(world, project)
    )
    login(client, world, "member")
    response = client.patch(
        f"/api/v1/milestones/{own.pk}/",
        {"partner": coordinator(project).pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "partner": ["Only the consortium leader assigns milestones to partners."]
    }
    response = client.patch(
        f"/api/v1/milestones/{own.pk}/", {"title": "Lab tests 2"}, content_type="application/json"
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert (own.title, own.partner) == ("Lab tests 2", member_partner(world, project))


def test_the_api_lists_milestones_of_visible_projects_only(client, world):
    for key in ("draft", "submitted", "funded", "foreign_labelled"):
        services.add_milestone(world["projects"][key], title=key, due_date=NEXT_MONTH)
    expected = {
        "leader": {"draft", "submitted", "funded"},
        "member": {"draft", "submitted", "funded"},
        "staff": {"submitted", "funded"},
        "funder": {"funded"},
        "expert": {"submitted"},
        "outsider": set(),
    }
    for role, titles in expected.items():
        login(client, world, role)
        listed = client.get("/api/v1/milestones/").json()["results"]
        assert {m["title"] for m in listed} == titles, role


@pytest.mark.parametrize(
    "role,expected",
    [("leader", 201), ("member", 400), ("staff", 400), ("funder", 400), ("outsider", 400)],
)
def test_only_the_leader_adds_through_the_api(client, world, project, role, expected):
    login(client, world, role)
    response = client.post(
        "/api/v1/milestones/",
        {"project": project.pk, "title": "M1", "due_date": NEXT_MONTH.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == expected
    if expected == 400:
        assert list(response.json()) == ["project"]
    assert Milestone.objects.count() == (1 if expected == 201 else 0)
