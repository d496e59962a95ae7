"""External experts: a pole's staff ask one for an opinion on a project awaiting the pole's
decision; the expert sees that project and gives or amends an opinion until the decision,
then their access ends. The pole's staff read the opinions; the consortium never does."""

import pytest

from projects import permissions, services
from projects.models import ExpertAssignment, Project, State
from tests.factories import PersonFactory, PoleFactory, pole_staff, project_with_consortium

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OPINION = "Consortium équilibré, verrous bien identifiés."


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare messages in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def pole():
    return PoleFactory(name="Pôle Alpha")


@pytest.fixture
def staff(pole):
    return pole_staff(pole)


@pytest.fixture
def project(pole, staff):
    return project_with_consortium(state=State.SUBMITTED, pole=pole, acronym="EXPERT")


@pytest.fixture
def submission(project):
    return project.submissions.get()


@pytest.fixture
def expert():
    return PersonFactory(email="Jeanne.Expert@example.test", first_name="Jeanne")


@pytest.fixture
def assignment(project, pole, staff, expert):
    return services.assign_expert(project, pole, expert, requested_by=staff)


def leader_of(project):
    return project.partners.get(role="coordinator").contact_rows.get().person


def file_url(submission):
    return f"/projects/{submission.project_id}/submissions/{submission.pk}/"


def opinion_url(assignment):
    return f"/projects/{assignment.project_id}/opinions/{assignment.pk}/"


def fresh(project):
    return Project.objects.get(pk=project.pk)


def test_staff_ask_an_expert_by_e_mail(client, staff, submission, expert):
    client.force_login(staff)
    page = client.get(file_url(submission)).content.decode()
    assert "No expert has been asked yet." in page
    response = client.post(
        f"{file_url(submission)}experts/", {"email": "jeanne.expert@EXAMPLE.test"}
    )
    assert response.status_code == 302
    assignment = ExpertAssignment.objects.get()
    assert (assignment.expert, assignment.requested_by) == (expert, staff)
    assert (assignment.project, assignment.pole) == (submission.project, submission.pole)
    page = client.get(file_url(submission)).content.decode()
    assert "Awaiting the expert's opinion." in page and "Jeanne.Expert@example.test" in page
    assert permissions.may_view_confidential(expert, fresh(submission.project))


def test_an_unknown_e_mail_gets_a_clear_message(client, staff, submission):
    client.force_login(staff)
    response = client.post(f"{file_url(submission)}experts/", {"email": "nobody@example.test"})
    assert response.status_code == 400
    assert "Nobody has an account with this e-mail address." in response.content.decode()
    assert not ExpertAssignment.objects.exists()


def test_a_member_of_the_consortium_cannot_be_its_expert(client, staff, submission, project):
    client.force_login(staff)
    response = client.post(f"{file_url(submission)}experts/", {"email": leader_of(project).email})
    assert response.status_code == 400
    assert "A member of the consortium cannot give an expert opinion" in (response.content.decode())
    assert not ExpertAssignment.objects.exists()


@pytest.mark.parametrize("who", ["leader", "other_staff", "expert", "outsider"])
def test_only_the_poles_staff_ask_experts_and_read_the_file(client, submission, project, who):
    person = {
        "leader": leader_of(project),
        "other_staff": pole_staff(PoleFactory()),
    }.get(who) or PersonFactory()
    if who == "expert":
        services.assign_expert(project, submission.pole, person)
    client.force_login(person)
    assert client.get(file_url(submission)).status_code == 404
    target = PersonFactory()
    response = client.post(f"{file_url(submission)}experts/", {"email": target.email})
    assert response.status_code == 404
    assert not ExpertAssignment.objects.filter(expert=target).exists()


def test_the_expert_gives_then_amends_their_opinion(client, assignment, expert, project):
    client.force_login(expert)
    home = client.get("/").content.decode()
    assert f'href="{opinion_url(assignment)}"' in home
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="{opinion_url(assignment)}"' in page and "Give my opinion" in page
    assert client.get(opinion_url(assignment)).status_code == 200

    response = client.post(opinion_url(assignment), {"opinion": OPINION})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.opinion == OPINION and assignment.opinion_given_at is not None
    first_given = assignment.opinion_given_at

    page = client.get(opinion_url(assignment)).content.decode()
    assert "Amend my opinion" in page and OPINION in page
    client.post(opinion_url(assignment), {"opinion": "Finalement : réserves sur le marché."})
    assignment.refresh_from_db()
    assert assignment.opinion == "Finalement : réserves sur le marché."
    assert assignment.opinion_given_at >= first_given


def test_an_empty_opinion_is_refused(client, assignment, expert):
    client.force_login(expert)
    response = client.post(opinion_url(assignment), {"opinion": "   "})
    assert response.status_code == 400
    assert ExpertAssignment.objects.get(pk=assignment.pk).opinion_given_at is None


def test_the_poles_staff_read_the_opinion(client, assignment, expert, staff, submission):
    services.give_opinion(assignment, OPINION, by=expert)
    client.force_login(staff)
    page = client.get(file_url(submission)).content.decode()
    assert OPINION in page and "Given on" in page


def test_the_consortium_never_sees_the_opinions(client, assignment, expert, project):
    services.give_opinion(assignment, OPINION, by=expert)
    for person in (
        leader_of(project),
        project.partners.get(role="partner").contact_rows.get().person,
    ):
        client.force_login(person)
        assert OPINION not in client.get(f"/projects/{project.pk}/").content.decode()
        assert client.get(opinion_url(assignment)).status_code == 404
        assert client.get("/api/v1/expert-assignments/").json()["count"] == 0
        assert client.get(f"/api/v1/expert-assignments/{assignment.pk}/").status_code == 404
        assert OPINION not in client.get(f"/api/v1/projects/{project.pk}/").content.decode()


def test_nobody_but_the_expert_gives_their_opinion(client, assignment, staff):
    for person in (staff, PersonFactory()):
        client.force_login(person)
        assert client.post(opinion_url(assignment), {"opinion": "x"}).status_code == 404
    with pytest.raises(services.ValidationError):
        services.give_opinion(assignment, "x", by=staff)
    assert ExpertAssignment.objects.get(pk=assignment.pk).opinion == ""


@pytest.mark.parametrize("decision", ["labelled", "rejected"])
def test_access_ends_at_the_decision(client, assignment, expert, staff, submission, decision):
    services.give_opinion(assignment, OPINION, by=expert)
    services.record_decision(submission, decision, by=staff)
    client.force_login(expert)
    assert client.get(opinion_url(assignment)).status_code == 404
    assert client.post(opinion_url(assignment), {"opinion": "late"}).status_code == 404
    project = fresh(submission.project)
    assert not permissions.may_view_confidential(expert, project)
    expected = 200 if decision == "labelled" else 404  # a labelled project's summary is public
    assert client.get(f"/projects/{project.pk}/").status_code == expected
    with pytest.raises(services.ValidationError):
        services.give_opinion(assignment, "late", by=expert)
    # The pole keeps the opinion on file.
    assert ExpertAssignment.objects.get(pk=assignment.pk).opinion == OPINION
    client.force_login(staff)
    assert OPINION in client.get(file_url(submission)).content.decode()


def test_access_ends_when_the_project_is_withdrawn(client, assignment, expert, project):
    services.change_state(project, State.DRAFT, by=leader_of(project))
    client.force_login(expert)
    assert client.get(opinion_url(assignment)).status_code == 404
    assert client.get(f"/projects/{project.pk}/").status_code == 404


def test_experts_are_asked_only_while_the_pole_has_not_decided(client, staff, submission, expert):
    services.record_decision(submission, "labelled", by=staff)
    client.force_login(staff)
    page = client.get(file_url(submission)).content.decode()
    assert "Ask an expert" not in page
    response = client.post(f"{file_url(submission)}experts/", {"email": expert.email})
    assert response.status_code == 400
    assert not ExpertAssignment.objects.exists()


def test_an_expert_sees_only_their_own_assignment(client, assignment, project, pole):
    other = services.assign_expert(project, pole, PersonFactory())
    client.force_login(other.expert)
    assert client.get(opinion_url(assignment)).status_code == 404
    assert [a["id"] for a in client.get("/api/v1/expert-assignments/").json()["results"]] == [
        other.pk
    ]


# --- API -----------------------------------------------------------------------------------


def test_api_staff_ask_and_the_expert_answers(client, staff, submission, expert):
    client.force_login(staff)
    created = client.post(
        "/api/v1/expert-assignments/",
        {"submission": submission.pk, "expert_email": expert.email},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["expert"], data["requested_by"], data["opinion"]) == (expert.pk, staff.pk, "")
    url = f"/api/v1/expert-assignments/{data['id']}/opinion/"
    assert client.post(url, {"opinion": "x"}, content_type="application/json").status_code == 404

    client.force_login(expert)
    assert client.get(f"/api/v1/projects/{submission.project_id}/").json()["access"] == "full"
    answered = client.post(url, {"opinion": OPINION}, content_type="application/json")
    assert answered.status_code == 200, answered.content
    assert answered.json()["opinion"] == OPINION and answered.json()["opinion_given_at"]
    empty = client.post(url, {"opinion": ""}, content_type="application/json")
    assert empty.status_code == 400 and "opinion" in empty.json()

    client.force_login(staff)
    listed = client.get("/api/v1/expert-assignments/").json()["results"]
    assert [a["opinion"] for a in listed] == [OPINION]


def test_api_refuses_unknown_experts_and_other_poles(client, staff, submission, expert):
    client.force_login(staff)
    unknown = client.post(
        "/api/v1/expert-assignments/",
        {"submission": submission.pk, "expert_email": "nobody@example.test"},
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "expert_email" in unknown.json()
    client.force_login(pole_staff(PoleFactory()))
    foreign = client.post(
        "/api/v1/expert-assignments/",
        {"submission": submission.pk, "expert_email": expert.email},
        content_type="application/json",
    )
    assert foreign.status_code == 400 and "submission" in foreign.json()
    assert not ExpertAssignment.objects.exists()


def test_api_a_malformed_id_is_a_404_not_a_500(client, staff, expert, assignment):
    """Found by tests/api/test_schemathesis.py: the actions looked the id up as given."""
    client.force_login(staff)
    response = client.post(
        "/api/v1/submissions/abc/decision/",
        {"decision": "labelled"},
        content_type="application/json",
    )
    assert response.status_code == 404 and "detail" in response.json()
    client.force_login(expert)
    response = client.post(
        "/api/v1/expert-assignments/abc/opinion/",
        {"opinion": OPINION},
        content_type="application/json",
    )
    assert response.status_code == 404 and "detail" in response.json()
