"""The labelling letter: a pole's decision on a project, addressed to its coordinator, in HTML
ready to print. The consortium, the poles the project was submitted to and its funders read
it; nobody else. It never carries the deliberation notes nor the experts' opinions."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from portal.models import PoleStaff
from projects import services
from projects.models import Submission

from ..shared import module_world
from ..world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DECIDED_ON = datetime.date(2026, 11, 17)


@pytest.fixture
def client(client):
    """Pages in English, the language these tests compare messages in."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _build_world():
    world = build_world()
    PoleStaff.objects.filter(person=world["people"]["staff"]).update(
        job_title="Chargée de mission innovation"
    )
    return world


built_world, world = module_world(_build_world, language="en")


def decide(world, decision="labelled"):
    """The own pole decides on SUBMIT, after its expert's opinion and with private notes."""
    project = world["projects"]["submitted"]
    people = world["people"]
    assignment = project.expert_assignments.get()
    services.give_opinion(assignment, "Expert: the market study is thin.", by=people["expert"])
    submission = project.submissions.get()
    services.record_decision(
        submission,
        decision,
        by=people["staff"],
        decided_on=DECIDED_ON,
        committee="Comité de novembre",
        opinion="A well-balanced consortium.",
        conditions="Add an industrial end user before the funding application.",
        staff_notes="Between us: the coordinator is stretched.",
    )
    return submission


def letter_url(submission):
    return f"/projects/{submission.project_id}/submissions/{submission.pk}/letter/"


def test_the_letter_tells_the_decision_to_the_coordinator(client, world):
    submission = decide(world)
    client.force_login(world["people"]["leader"])
    response = client.get(letter_url(submission))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Pôle Own",  # the sender
        "Leader",  # the coordinator contact it is addressed to
        "Leader SAS",
        "17 November 2026",
        "Labelling of the project SUBMIT — SUBMIT project",
        "Comité de novembre",
        "decided to award the label of Pôle Own to the project",
        "A well-balanced consortium.",
        "Add an industrial end user before the funding application.",
        "<td>Leader SAS</td><td>Coordinator</td>",
        "<td>Member Lab</td><td>Partner</td>",
        "<strong>Staff</strong>",  # the signatory: who recorded the decision
        "Chargée de mission innovation",
    ):
        assert text in html, text
    assert "the coordinator is stretched" not in html
    assert "market study" not in html
    assert Submission.objects.get(pk=submission.pk).decided_by == world["people"]["staff"]


def test_a_rejection_letter_says_so(client, world):
    submission = decide(world, "rejected")
    client.force_login(world["people"]["member"])
    html = client.get(letter_url(submission)).content.decode()
    assert "decided not to award the label of Pôle Own to the project" in html
    assert "decided to award" not in html


def test_the_letter_is_printable(client, world):
    submission = decide(world)
    client.force_login(world["people"]["leader"])
    html = client.get(letter_url(submission)).content.decode()
    assert '<article class="letter"' in html and 'class="no-print"' in html
    stylesheet = Path(settings.BASE_DIR, "static", "css", "grappe.css").read_text()
    print_rules = stylesheet[stylesheet.index("@media print") :]
    assert ".site-header" in print_rules and ".no-print" in print_rules


@pytest.mark.parametrize(
    "role,status",
    [
        ("leader", 200),
        ("member", 200),
        ("staff", 200),
        ("funder", 200),
        ("expert", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_the_letter_of_a_funded_project(client, world, role, status):
    funded = world["projects"]["funded"]
    client.force_login(world["people"][role])
    assert client.get(letter_url(funded.submissions.get())).status_code == status


def test_the_expert_no_longer_reads_after_the_decision(client, world):
    submission = decide(world)
    client.force_login(world["people"]["expert"])
    assert client.get(letter_url(submission)).status_code == 404


def test_another_poles_staff_read_it_only_when_the_project_was_submitted_to_them(client, world):
    submission = decide(world)
    other_staff = world["poles"]["foreign"].staff.get()
    client.force_login(other_staff)
    assert client.get(letter_url(submission)).status_code == 404
    # Submitted to both poles: co-labelling poles see each other's decision, not its notes.
    project = world["projects"]["draft"]
    services.submit_project(
        project, [world["poles"]["own"], world["poles"]["foreign"]], by=world["people"]["leader"]
    )
    own = project.submissions.get(pole=world["poles"]["own"])
    services.record_decision(
        own, "labelled", by=world["people"]["staff"], staff_notes="Own pole's notes"
    )
    html = client.get(letter_url(own)).content.decode()
    assert "Pôle Own" in html and "Own pole&#x27;s notes" not in html
    assert "Own pole's notes" not in html


def test_a_pending_submission_has_no_letter(client, world):
    submission = world["projects"]["submitted"].submissions.get()
    for role in ("leader", "staff"):
        client.force_login(world["people"][role])
        assert client.get(letter_url(submission)).status_code == 404


def test_the_project_page_links_the_letter_for_its_readers(client, world):
    funded = world["projects"]["funded"]
    url = letter_url(funded.submissions.get())
    for role in ("leader", "member", "staff", "funder"):
        client.force_login(world["people"][role])
        assert url in client.get(f"/projects/{funded.pk}/").content.decode(), role
    for role in ("expert", "outsider"):
        client.force_login(world["people"][role])
        assert url not in client.get(f"/projects/{funded.pk}/").content.decode(), role


def _pdf_text(response):
    import io

    from pypdf import PdfReader

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_letter_as_pdf_says_the_decision_and_carries_it_as_json(client, world):
    import json

    submission = decide(world)
    client.force_login(world["people"]["leader"])
    reader, text = _pdf_text(client.get(letter_url(submission).replace("letter/", "letter.pdf")))
    assert "award the label of Pôle Own" in text
    assert "Add an industrial end user" in text
    assert "the coordinator is stretched" not in text
    assert "market study is thin" not in text
    figures = json.loads(reader.attachments["figures.json"][0])
    assert figures["decision"] == "labelled"
    assert figures["decided_on"] == "2026-11-17"
    assert figures["committee"] == "Comité de novembre"


@pytest.mark.parametrize("role", ["expert", "outsider"])
def test_letter_pdf_is_404_for_those_who_may_not_read_the_letter(client, world, role):
    submission = decide(world)
    client.force_login(world["people"][role])
    url = letter_url(submission).replace("letter/", "letter.pdf")
    assert client.get(url).status_code == 404
