"""Labelling committees: a pole's staff schedule sessions, put the projects awaiting the pole's
decision on their agenda, and record each decision from the session. Other poles' staff see
nothing of it; on a co-labelled project, each pole's staff see only their own pole's
deliberation notes and expert opinions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import CommitteeSession, ExpertAssignment, State, Submission
from tests.factories import (
    PersonFactory,
    PoleFactory,
    pole_staff,
    project_with_consortium,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOVEMBER = datetime.date(2026, 11, 17)


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare messages in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def pole():
    return PoleFactory(name="Pôle Alpha", short_name="Alpha")


@pytest.fixture
def staff(pole):
    return pole_staff(pole)


@pytest.fixture
def other_pole():
    return PoleFactory(name="Pôle Beta", short_name="Beta")


@pytest.fixture
def other_staff(other_pole):
    return pole_staff(other_pole)


@pytest.fixture
def project(pole, staff):
    return project_with_consortium(state=State.SUBMITTED, pole=pole, acronym="AGENDA")


@pytest.fixture
def submission(project):
    return project.submissions.get()


@pytest.fixture
def session(pole):
    return services.create_session(
        pole, name="Comité de novembre", date=NOVEMBER, location="Lyon", notes="Quorum: 7"
    )


def leader_of(project):
    return project.partners.get(role="coordinator").contact_rows.get().person


def base(pole):
    return f"/poles/{pole.pk}/committees/"


# --- Sessions ------------------------------------------------------------------------------


def test_staff_schedule_a_session_and_find_it_in_the_list(client, pole, staff):
    client.force_login(staff)
    assert client.get(f"{base(pole)}new/").status_code == 200
    response = client.post(
        f"{base(pole)}new/",
        {"name": "Comité de décembre", "date": "2026-12-08", "location": "Grenoble"},
    )
    session = CommitteeSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{base(pole)}{session.pk}/"
    assert (session.pole, session.date) == (pole, datetime.date(2026, 12, 8))
    html = client.get(base(pole)).content.decode()
    assert "Comité de décembre" in html and "Grenoble" in html


def test_a_session_needs_a_name_and_a_date(client, pole, staff):
    client.force_login(staff)
    response = client.post(f"{base(pole)}new/", {"name": "", "date": "someday"})
    assert response.status_code == 400
    assert 'id="id_date_error"' in response.content.decode()
    assert not CommitteeSession.objects.exists()


def test_staff_edit_a_session(client, pole, staff, session):
    client.force_login(staff)
    response = client.post(
        f"{base(pole)}{session.pk}/edit/",
        {
            "name": "Comité de novembre (reporté)",
            "date": "2026-11-24",
            "location": "Lyon",
            "version": "1",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.name == "Comité de novembre (reporté)"
    assert session.date == datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    "path",
    ["", "new/", "{session}/", "{session}/edit/"],
)
@pytest.mark.parametrize("who", ["other_staff", "leader", "outsider"])
def test_committees_exist_for_the_poles_staff_only(
    client, pole, session, project, other_staff, who, path
):
    person = {"other_staff": other_staff, "leader": leader_of(project)}.get(who) or PersonFactory()
    client.force_login(person)
    url = base(pole) + path.format(session=session.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x", "date": "2026-01-01"}).status_code == 404
    assert CommitteeSession.objects.count() == 1


def test_another_poles_session_is_not_found_under_ones_own_pole(client, pole, staff, other_pole):
    foreign = services.create_session(other_pole, name="Beta", date=NOVEMBER)
    client.force_login(staff)
    assert client.get(f"{base(pole)}{foreign.pk}/").status_code == 404
    assert client.get(f"{base(other_pole)}{foreign.pk}/").status_code == 404
    assert "Beta" not in client.get(base(pole)).content.decode()


# --- Agenda --------------------------------------------------------------------------------


def test_staff_put_a_pending_submission_on_the_agenda_and_take_it_off(
    client, pole, staff, session, submission
):
    client.force_login(staff)
    page = client.get(f"{base(pole)}{session.pk}/").content.decode()
    assert "Nothing on the agenda yet." in page
    assert f'<option value="{submission.pk}">AGENDA — ' in page

    response = client.post(f"{base(pole)}{session.pk}/agenda/", {"submission": submission.pk})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.session == session
    page = client.get(f"{base(pole)}{session.pk}/").content.decode()
    assert f'id="agenda-{submission.pk}"' in page
    assert f"/submissions/{submission.pk}/decision/?session={session.pk}" in page
    listing = client.get(base(pole)).content.decode()
    assert '<td class="num">1</td>' in listing

    response = client.post(f"{base(pole)}{session.pk}/agenda/{submission.pk}/remove/")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.session is None


def test_the_agenda_changes_in_place_with_htmx(client, pole, staff, session, submission):
    client.force_login(staff)
    htmx = {"HX-Request": "true"}
    response = client.post(
        f"{base(pole)}{session.pk}/agenda/", {"submission": submission.pk}, headers=htmx
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment and 'id="agenda"' in fragment
    assert "AGENDA is on the agenda." in fragment
    response = client.post(f"{base(pole)}{session.pk}/agenda/{submission.pk}/remove/", headers=htmx)
    assert "AGENDA is off the agenda." in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).session is None


def test_a_submission_can_move_to_another_session(client, pole, staff, session, submission):
    later = services.create_session(pole, name="Comité de décembre", date=NOVEMBER.replace(day=30))
    services.schedule(submission, session)
    client.force_login(staff)
    page = client.get(f"{base(pole)}{later.pk}/").content.decode()
    assert "(now on Comité de novembre (17/11/2026))" in page
    client.post(f"{base(pole)}{later.pk}/agenda/", {"submission": submission.pk})
    assert Submission.objects.get(pk=submission.pk).session == later


def test_another_poles_submission_cannot_go_on_the_agenda(client, pole, staff, session, other_pole):
    foreign = project_with_consortium(state=State.SUBMITTED, pole=other_pole).submissions.get()
    client.force_login(staff)
    page = client.get(f"{base(pole)}{session.pk}/").content.decode()
    assert foreign.project.acronym not in page
    response = client.post(
        f"{base(pole)}{session.pk}/agenda/",
        {"submission": foreign.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Submission.objects.get(pk=foreign.pk).session is None
    with pytest.raises(services.ValidationError):
        services.schedule(foreign, session)


def test_a_decided_submission_stays_on_the_agenda_of_its_session(
    client, pole, staff, session, submission
):
    services.schedule(submission, session)
    services.record_decision(submission, "labelled", by=staff)
    client.force_login(staff)
    response = client.post(f"{base(pole)}{session.pk}/agenda/{submission.pk}/remove/")
    assert response.status_code == 302
    assert Submission.objects.get(pk=submission.pk).session == session
    with pytest.raises(services.ValidationError):
        services.unschedule(submission)
    with pytest.raises(services.ValidationError):
        services.delete_session(session)
    page = client.get(f"{base(pole)}{session.pk}/").content.decode()
    assert f"/submissions/{submission.pk}/letter/" in page


def test_a_withdrawn_project_leaves_the_agenda_as_the_staff_see_it(
    client, pole, staff, session, submission, project
):
    services.schedule(submission, session)
    services.change_state(project, State.DRAFT, by=leader_of(project))
    client.force_login(staff)
    page = client.get(f"{base(pole)}{session.pk}/").content.decode()
    assert "AGENDA" not in page
    assert '<td class="num">0</td>' in client.get(base(pole)).content.decode()


def test_the_session_page_costs_the_same_whatever_the_agenda(client, pole, staff, session):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"{base(pole)}{session.pk}/").status_code == 200
        return len(context.captured_queries)

    for i in range(2):
        project = project_with_consortium(state=State.SUBMITTED, pole=pole, acronym=f"A{i}")
        services.schedule(project.submissions.get(), session)
    project_with_consortium(state=State.SUBMITTED, pole=pole, acronym="NEXT")
    client.force_login(staff)
    before = queries()
    for i in range(4):
        project = project_with_consortium(state=State.SUBMITTED, pole=pole, acronym=f"B{i}")
        services.schedule(project.submissions.get(), session)
        services.assign_expert(project, pole, PersonFactory())
        project_with_consortium(state=State.SUBMITTED, pole=pole, acronym=f"C{i}")
    assert queries() == before


# --- Decisions from the session ------------------------------------------------------------


def test_staff_record_a_decision_from_the_session(client, pole, staff, session, submission):
    services.schedule(submission, session)
    client.force_login(staff)
    url = f"/projects/{submission.project_id}/submissions/{submission.pk}/decision/?session={session.pk}"
    form = client.get(url).content.decode()
    assert 'value="Comité de novembre"' in form
    assert 'value="2026-11-17"' in form
    assert f'href="{base(pole)}{session.pk}/"' in form  # cancel goes back to the session

    response = client.post(
        url,
        {
            "decision": "labelled",
            "decided_on": "2026-11-17",
            "committee": "Comité de novembre",
            "opinion": "Solide",
            "conditions": "Ajouter un partenaire industriel",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{base(pole)}{session.pk}/"
    submission.refresh_from_db()
    assert submission.decision == "labelled"
    assert (submission.committee, submission.decided_on) == ("Comité de novembre", NOVEMBER)
    assert submission.decided_by == staff
    assert submission.project.state == State.LABELLED
    page = client.get(f"{base(pole)}{session.pk}/").content.decode()
    assert "Labelled (" in page and "Record the decision" not in page


def test_the_decision_form_takes_the_agenda_session_by_default(
    client, pole, staff, session, submission
):
    services.schedule(submission, session)
    client.force_login(staff)
    url = f"/projects/{submission.project_id}/submissions/{submission.pk}/decision/"
    form = client.get(url).content.decode()
    assert 'value="Comité de novembre"' in form
    assert f'href="/projects/{submission.project_id}/"' in form


def test_another_poles_session_does_not_fill_the_decision(
    client, pole, staff, submission, other_pole
):
    foreign = services.create_session(other_pole, name="Comité Beta", date=NOVEMBER)
    client.force_login(staff)
    url = f"/projects/{submission.project_id}/submissions/{submission.pk}/decision/"
    form = client.get(f"{url}?session={foreign.pk}").content.decode()
    assert "Comité Beta" not in form


# --- Co-labelling privacy ------------------------------------------------------------------


@pytest.fixture
def colabelled(pole, staff, other_pole, other_staff):
    """A project submitted to both poles; each pole asked its own expert and took notes."""
    project = project_with_consortium(state=State.SUBMITTED, pole=pole, acronym="COLAB")
    leader = leader_of(project)
    services.change_state(project, State.DRAFT, by=leader)
    services.submit_project(project, [pole, other_pole], by=leader)
    for p, person, name in ((pole, staff, "Alpha"), (other_pole, other_staff, "Beta")):
        expert = PersonFactory(email=f"expert-{name.lower()}@example.test")
        assignment = services.assign_expert(project, p, expert, requested_by=person)
        services.give_opinion(assignment, f"Opinion of the {name} expert", by=expert)
        Submission.objects.filter(project=project, pole=p).update(staff_notes=f"Notes of {name}")
    return project


def test_each_pole_sees_only_its_own_notes_and_expert_opinions(
    client, colabelled, pole, staff, other_pole, other_staff
):
    own = colabelled.submissions.get(pole=pole)
    theirs = colabelled.submissions.get(pole=other_pole)
    client.force_login(staff)
    page = client.get(f"/projects/{colabelled.pk}/").content.decode()
    assert "Notes of Alpha" in page and "Notes of Beta" not in page
    assert "Opinion of the" not in page  # opinions live on the pole's own file
    assert f"/submissions/{own.pk}/" in page and f'/submissions/{theirs.pk}/"' not in page
    file = client.get(f"/projects/{colabelled.pk}/submissions/{own.pk}/").content.decode()
    assert "Opinion of the Alpha expert" in file and "Notes of Alpha" in file
    assert "Beta expert" not in file and "Notes of Beta" not in file
    assert client.get(f"/projects/{colabelled.pk}/submissions/{theirs.pk}/").status_code == 404

    api = client.get("/api/v1/expert-assignments/").json()
    assert [a["opinion"] for a in api["results"]] == ["Opinion of the Alpha expert"]
    submissions = client.get(f"/api/v1/submissions/?project={colabelled.pk}").json()["results"]
    assert {s["pole"]: s["staff_notes"] for s in submissions} == {
        pole.pk: "Notes of Alpha",
        other_pole.pk: None,
    }

    client.force_login(other_staff)
    file = client.get(f"/projects/{colabelled.pk}/submissions/{theirs.pk}/").content.decode()
    assert "Opinion of the Beta expert" in file and "Alpha expert" not in file
    api = client.get("/api/v1/expert-assignments/").json()
    assert [a["opinion"] for a in api["results"]] == ["Opinion of the Beta expert"]


def test_one_poles_decision_leaves_the_other_poles_expert_at_work(
    client, colabelled, pole, staff, other_pole
):
    services.record_decision(colabelled.submissions.get(pole=pole), "labelled", by=staff)
    open_ones = ExpertAssignment.objects.filter(project=colabelled, closed_at__isnull=True)
    assert [a.pole for a in open_ones] == [other_pole]


# --- API -----------------------------------------------------------------------------------


def test_api_sessions_crud_and_agenda(client, pole, staff, submission, other_staff):
    client.force_login(staff)
    created = client.post(
        "/api/v1/committee-sessions/",
        {"pole": pole.pk, "name": "API session", "date": "2026-10-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    session_id = created.json()["id"]
    url = f"/api/v1/committee-sessions/{session_id}/"
    changed = client.patch(url, {"location": "Visio"}, content_type="application/json")
    assert changed.json()["location"] == "Visio"

    scheduled = client.post(
        f"{url}agenda/", {"submission": submission.pk}, content_type="application/json"
    )
    assert scheduled.status_code == 200, scheduled.content
    assert [item["project_acronym"] for item in scheduled.json()["agenda"]] == ["AGENDA"]
    removed = client.delete(f"{url}agenda/{submission.pk}/")
    assert removed.status_code == 200 and removed.json()["agenda"] == []

    client.force_login(other_staff)
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/committee-sessions/").json()["count"] == 0
    assert (
        client.post(
            f"{url}agenda/", {"submission": submission.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(url).status_code == 404
    refused = client.post(
        "/api/v1/committee-sessions/",
        {"pole": pole.pk, "name": "Not mine", "date": "2026-10-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "pole" in refused.json()

    client.force_login(staff)
    assert client.delete(url).status_code == 204
    assert not CommitteeSession.objects.exists()


def test_api_refuses_a_decided_submission_on_an_agenda(client, pole, staff, submission, session):
    services.record_decision(submission, "rejected", by=staff)
    client.force_login(staff)
    response = client.post(
        f"/api/v1/committee-sessions/{session.pk}/agenda/",
        {"submission": submission.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "submission" in response.json()


def test_api_decision_from_a_session(client, pole, staff, other_staff, submission, session):
    url = f"/api/v1/submissions/{submission.pk}/decision/"
    body = {"decision": "labelled", "session": session.pk, "conditions": "Un an de suivi"}
    client.force_login(other_staff)
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(leader_of(submission.project))
    assert client.post(url, body, content_type="application/json").status_code == 404

    client.force_login(staff)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["decision"] == "labelled"
    assert (data["committee"], data["decided_on"]) == ("Comité de novembre", "2026-11-17")
    assert data["decided_by_name"] == str(staff)
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "decision" in again.json()


def test_api_decision_is_validated_like_the_form(client, staff, submission):
    client.force_login(staff)
    url = f"/api/v1/submissions/{submission.pk}/decision/"
    response = client.post(url, {"decision": "withdrawn"}, content_type="application/json")
    assert response.status_code == 400 and "decision" in response.json()
    assert Submission.objects.get(pk=submission.pk).decision == "pending"
