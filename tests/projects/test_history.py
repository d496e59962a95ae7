"""The history of a project: who changed what, when, from what to what — for those who see
the project's confidential part, never a pole's deliberation notes outside its staff."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal.models import FiguresSnapshot
from projects import services
from projects.history import PAGE_SIZE, latest_changes
from projects.history import project_history as _project_history
from projects.models import Milestone, Partner, Submission
from tests.factories import OrganisationFactory, PersonFactory
from tests.shared import module_world
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
EN = {"Accept-Language": "en"}


def project_history(user, project, page=1):
    # A request through the client leaves its language (French) active on the thread.
    with translation.override("en"):
        return _project_history(user, project, page=page)


built_world, world = module_world(build_world, language="en")


def member_partner(world, key="draft"):
    return world["projects"][key].partners.get(organisation=world["organisations"]["member"])


def change_budget_as_member(client, world, personnel="150000.00"):
    partner = member_partner(world)
    client.force_login(world["people"]["member"])
    response = client.post(
        f"/projects/{partner.project_id}/partners/{partner.pk}/budget/",
        {
            "personnel_costs": personnel,
            "equipment_costs": "0",
            "subcontracting_costs": "0",
            "other_costs": "0",
            "version": partner.version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return partner


def test_a_budget_change_by_the_member_shows_who_when_before_and_after(client, world):
    before = timezone.now()
    change_budget_as_member(client, world)
    project, member = world["projects"]["draft"], world["people"]["member"]

    entry = project_history(world["people"]["leader"], project).entries[0]
    assert (entry.who, entry.kind, entry.action, entry.object) == (
        member,
        "partner",
        "changed",
        "Member Lab",
    )
    assert before <= entry.at <= timezone.now()
    changes = {c.name: (c.label, c.before, c.after) for c in entry.changes}
    assert changes == {
        "personnel_costs": ("personnel costs (€)", "€120,000.00", "€150,000.00"),
        "budget": ("eligible costs (€)", "€120,000.00", "€150,000.00"),
    }

    client.force_login(world["people"]["leader"])
    html = client.get(f"/projects/{project.pk}/", headers=EN).content.decode()
    section = html[html.index('id="history"') :]
    assert "Partner “Member Lab” changed" in section
    assert "Member" in section and "€120,000.00" in section and "€150,000.00" in section

    api = client.get(f"/api/v1/projects/{project.pk}/history/", headers=EN).json()
    first = api["results"][0]
    assert first["who"] == {"id": member.pk, "name": str(member)}
    assert first["changes"][0] == {
        "name": "personnel_costs",
        "label": "personnel costs (€)",
        "before": "€120,000.00",
        "after": "€150,000.00",
        "before_value": "120000.00",
        "after_value": "150000.00",
    }


def test_creation_deletion_roles_and_moves_are_told_as_such(client, world):
    leader, project = world["people"]["leader"], world["projects"]["draft"]
    client.force_login(leader)
    lab = OrganisationFactory(legal_name="Lab Nouveau", directory_consent=True)
    partner = services.add_partner(
        project, organisation=lab, role=Partner.Role.SUBCONTRACTOR, other_costs=Decimal("5.5")
    )
    services.change_partner(partner, role=Partner.Role.ASSOCIATED)
    services.remove_partner(partner)
    services.submit_project(project, [world["poles"]["own"]], by=leader)

    entries = project_history(leader, project).entries
    (moved,) = [e for e in entries if e.kind == "state"]
    removed, role_changed, created = [e for e in entries if e.object == "Lab Nouveau"]
    assert moved.kind == "state" and moved.who == leader
    assert moved.title == "Project moved from “draft” to “submitted for labelling”"
    assert (removed.action, removed.title) == ("deleted", "Partner “Lab Nouveau” removed")
    assert [(c.label, c.before, c.after) for c in role_changed.changes] == [
        ("role", "subcontractor", "associated partner")
    ]
    assert created.action == "created"
    assert {c.name: c.after for c in created.changes} == {
        "organisation": "Lab Nouveau",
        "role": "subcontractor",
        "other_costs": "€5.50",
        "budget": "€5.50",
    }


def test_contacts_and_milestones_are_in_the_history(world):
    leader, project = world["people"]["leader"], world["projects"]["draft"]
    newcomer = PersonFactory(first_name="Nadia", last_name="Nouvelle")
    services.add_contact(member_partner(world), newcomer)
    milestone = Milestone.objects.create(
        project=project, title="Prototype", due_date=datetime.date(2026, 6, 30)
    )
    milestone.done_on = datetime.date(2026, 6, 1)
    milestone.save()

    titles = [e.title for e in project_history(leader, project).entries[:3]]
    assert titles == [
        "Milestone “Prototype” changed",
        "Milestone “Prototype” created",
        "Contact “Nadia Nouvelle — Member Lab” created",
    ]


@pytest.mark.parametrize(
    "role,status",
    [
        ("leader", 200),
        ("member", 200),
        ("staff", 404),
        ("funder", 404),
        ("expert", 404),
        ("outsider", 404),
    ],
)
def test_a_drafts_history_exists_for_its_consortium_only(client, world, role, status):
    project = world["projects"]["draft"]
    client.force_login(world["people"][role])
    assert client.get(f"/projects/{project.pk}/history/").status_code == status
    assert client.get(f"/api/v1/projects/{project.pk}/history/").status_code == status


def test_a_labelled_projects_history_is_not_public(client, world):
    project = world["projects"]["funded"]
    client.force_login(world["people"]["outsider"])
    page = client.get(f"/projects/{project.pk}/", headers=EN).content.decode()
    assert project.public_summary in page
    assert 'id="history"' not in page and "Confidential plan" not in page
    assert client.get(f"/projects/{project.pk}/history/").status_code == 404
    assert client.get(f"/api/v1/projects/{project.pk}/history/").status_code == 404


def test_deliberation_notes_show_in_history_to_their_poles_staff_only(client, world):
    project = world["projects"]["submitted"]
    own_pole, foreign_pole = world["poles"]["own"], world["poles"]["foreign"]
    foreign_staff = foreign_pole.staff.get()
    # Co-labelling: the project is also before the foreign pole, which decides first.
    foreign = Submission.objects.create(project=project, pole=foreign_pole)
    from projects import permissions

    permissions.sync_project(project)
    services.record_decision(
        foreign, "rejected", by=foreign_staff, opinion="Too early", staff_notes="Foreign secret"
    )
    own = project.submissions.get(pole=own_pole)
    services.record_decision(own, "labelled", by=world["people"]["staff"], staff_notes="Own note")
    # A change of the notes alone: the record exists, but says nothing to the others.
    foreign.refresh_from_db()
    foreign.staff_notes = "Foreign secret, amended"
    foreign.save()

    def seen(person):
        client.force_login(person)
        html = client.get(f"/projects/{project.pk}/history/").content.decode()
        api = client.get(f"/api/v1/projects/{project.pk}/history/").content.decode()
        return html + api

    for_own_staff = seen(world["people"]["staff"])
    assert "Own note" in for_own_staff and "Too early" in for_own_staff
    assert "Foreign secret" not in for_own_staff
    for_foreign_staff = seen(foreign_staff)
    assert "Foreign secret, amended" in for_foreign_staff and "Own note" not in for_foreign_staff
    for person in (world["people"]["leader"], world["people"]["member"]):
        text = seen(person)
        assert "Foreign secret" not in text and "Own note" not in text
        assert "deliberation notes" not in text.lower()

    leader_entries = project_history(world["people"]["leader"], project).entries
    staff_entries = project_history(foreign_staff, project).entries
    assert len(staff_entries) == len(leader_entries) + 1  # the notes-only change


def test_the_page_shows_the_latest_changes_and_older_ones_come_a_hundred_at_a_time(client, world):
    leader, project = world["people"]["leader"], world["projects"]["draft"]
    for n in range(PAGE_SIZE + 5):
        Milestone.objects.create(
            project=project, title=f"Step {n}", due_date=datetime.date(2027, 1, 1)
        )
    first, second = project_history(leader, project), project_history(leader, project, page=2)
    assert len(first.entries) == PAGE_SIZE and first.has_next
    assert not second.has_next
    keys = [e.sort_key for e in first.entries + second.entries]
    assert len(set(keys)) == len(keys) and keys == sorted(keys, reverse=True)
    assert second.entries[-1].title == "Project “DRAFT” created"

    client.force_login(leader)
    page = client.get(f"/projects/{project.pk}/", headers=EN).content.decode()
    assert page.count('class="history-entry') == 10  # the project page shows the latest
    assert f'href="/projects/{project.pk}/history/"' in page
    page = client.get(f"/projects/{project.pk}/history/", headers=EN).content.decode()
    assert page.count('class="history-entry') == PAGE_SIZE
    assert f'hx-get="/projects/{project.pk}/history/?page=2"' in page
    more = client.get(
        f"/projects/{project.pk}/history/?page=2", headers={"HX-Request": "true", **EN}
    )
    fragment = more.content.decode()
    assert "<html" not in fragment and fragment.count('class="history-entry') == len(second.entries)
    assert "Project “DRAFT” created" in fragment and "?page=3" not in fragment
    assert client.get(f"/projects/{project.pk}/history/?page=x").status_code == 200


def _queries(client, url):
    # The project page's funding section as computed, not as kept (``portal.snapshots``).
    FiguresSnapshot.objects.all().delete()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_history(client, world):
    project, people = world["projects"]["submitted"], world["people"]
    client.force_login(people["staff"])
    urls = [
        f"/projects/{project.pk}/history/",
        f"/api/v1/projects/{project.pk}/history/",
        f"/projects/{project.pk}/",
    ]

    def grow(n):
        org = OrganisationFactory(legal_name=f"Growth {n}", directory_consent=True)
        partner = services.add_partner(
            project,
            organisation=org,
            personnel_costs=Decimal(n),
            contacts=[(PersonFactory(), "partner_contact")],
        )
        services.change_partner(partner, equipment_costs=Decimal("10"))
        milestone = Milestone.objects.create(
            project=project, partner=partner, title=f"M{n}", due_date=datetime.date(2027, 1, 1)
        )
        milestone.title += " (revised)"
        milestone.save()
        milestone.delete()
        services.update_project(project, title=f"Title {n}")
        submission = project.submissions.get()
        submission.staff_notes = f"Notes {n}"
        submission.save()

    grow(0)  # one change of every kind
    for url in urls:
        client.get(url)  # what the first view of all makes: the project's version row
    before = [_queries(client, url) for url in urls]
    for n in range(1, 6):
        grow(n)
    assert [_queries(client, url) for url in urls] == before


def test_the_project_page_preview_is_the_first_page_of_the_history_for_every_viewer(world):
    """``latest_changes`` (one query for the newest records of every kind) tells what the
    first page of ``project_history`` tells, as each person may see it."""
    project = world["projects"]["funded"]
    for n in range(4):
        Milestone.objects.create(
            project=project, title=f"Step {n}", due_date=datetime.date(2027, 1, 1)
        )
    for key in ("leader", "member", "staff", "funder"):
        person = world["people"][key]
        with translation.override("en"):
            preview = latest_changes(person, project, 10)
            first = _project_history(person, project, page_size=10)
        assert [(e.sort_key, e.title, e.changes) for e in preview.entries] == [
            (e.sort_key, e.title, e.changes) for e in first.entries
        ], key
        assert preview.has_next == first.has_next
        assert preview.entries
