"""Notifications: the events of a project's labelling reach exactly the people concerned, in
the portal and by e-mail, and only once the change is saved; each person sees and marks
read their own notifications, and nobody else's."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.models import Notification
from portal.notifications import mark_read, notify, send_email
from projects import services
from tests.factories import PersonFactory
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def world():
    data = build_world()
    # The world's own events (submissions, decisions) are not this test's.
    Notification.objects.all().delete()
    return data


@pytest.fixture
def sent(mailoutbox):
    """The e-mails that left (once the transaction committed: see ``committed``)."""
    return mailoutbox


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block registers with ``on_commit``, as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients():
    return set(Notification.objects.values_list("recipient__email", flat=True))


def mailed(outbox):
    assert all(len(message.to) == 1 for message in outbox), "one e-mail per person"
    return sorted(message.to[0] for message in outbox)


def test_a_submission_notifies_the_staff_of_its_pole_and_nobody_else(
    client, world, sent, committed
):
    project = world["projects"]["draft"]
    client.force_login(world["people"]["leader"])
    with committed():
        response = client.post(
            f"/projects/{project.pk}/submit/", {"poles": world["poles"]["own"].pk}
        )
    assert response.status_code == 302

    assert recipients() == {"staff@world.example"}
    assert mailed(sent) == ["staff@world.example"]  # the foreign pole's staff get nothing
    notification = Notification.objects.get()
    assert "DRAFT" in notification.subject and notification.url == f"/projects/{project.pk}/"
    assert sent[0].subject == f"[Grappe] {notification.subject}"
    assert f"http://testserver.example/projects/{project.pk}/" in sent[0].body
    assert sent[0].from_email == "Grappe <noreply@grappe.example>"


def test_a_co_labelled_submission_notifies_the_staff_of_each_pole(world, sent, committed):
    poles, leader = world["poles"], world["people"]["leader"]
    with committed():
        services.submit_project(
            world["projects"]["draft"], [poles["own"], poles["foreign"]], by=leader
        )
    both = ["other-staff@world.example", "staff@world.example"]
    assert sorted(recipients()) == both
    assert mailed(sent) == both


def test_a_decision_notifies_the_consortium_without_the_deliberation_notes(
    client, world, sent, committed
):
    project = world["projects"]["submitted"]
    submission = project.submissions.get()
    client.force_login(world["people"]["staff"])
    with committed():
        response = client.post(
            f"/projects/{project.pk}/submissions/{submission.pk}/decision/",
            {
                "decision": "labelled",
                "committee": "CL-9",
                "opinion": "A strong consortium",
                "conditions": "Add an SME",
                "staff_notes": "Secret deliberation",
            },
        )
    assert response.status_code == 302

    contacts = ["leader@world.example", "member@world.example"]
    assert sorted(recipients()) == contacts  # not the staff, the expert nor anyone else
    assert mailed(sent) == contacts
    for message in sent:
        assert "SUBMIT" in message.subject
        assert "A strong consortium" in message.body and "Add an SME" in message.body
        assert "Secret deliberation" not in message.body
    assert not Notification.objects.filter(body__contains="Secret deliberation").exists()


def test_asking_an_expert_notifies_the_expert_only(world, sent, committed):
    expert = PersonFactory(email="new-expert@example.org")
    with committed():
        services.assign_expert(world["projects"]["submitted"], world["poles"]["own"], expert)
    assert recipients() == {"new-expert@example.org"}
    assert mailed(sent) == ["new-expert@example.org"]


def test_nothing_is_sent_for_a_change_that_is_rolled_back(world, sent, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.submit_project(
            world["projects"]["draft"], [world["poles"]["own"]], by=world["people"]["leader"]
        )
        raise RuntimeError("the request failed after the submission")
    assert not Notification.objects.exists()
    assert sent == []


def test_notify_writes_once_per_active_person_and_links_only_to_web_addresses(
    world, sent, committed
):
    people = world["people"]
    gone = PersonFactory(is_active=False)
    with committed():
        created = notify(
            [people["leader"], people["leader"], gone, None], "Hello", "Body", url="/projects/"
        )
    assert [n.recipient for n in created] == [people["leader"]]
    assert mailed(sent) == ["leader@world.example"]
    with pytest.raises(ValueError):
        notify([people["leader"]], "Hello", url="javascript:alert(1)")


def test_an_address_without_an_account_gets_the_email_only(world, sent, committed):
    with committed():
        send_email(
            "invitee@example.org",
            "Join %(acronym)s",
            "Follow the link.",
            url="/invitations/abc/",
            params={"acronym": "DRAFT"},
        )
    assert [(m.to, m.subject) for m in sent] == [(["invitee@example.org"], "[Grappe] Join DRAFT")]
    assert "http://testserver.example/invitations/abc/" in sent[0].body
    assert not Notification.objects.exists()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"


def notes_for(person, n=2):
    return [
        Notification.objects.create(recipient=person, subject=f"{person.email} news {i}")
        for i in range(n)
    ]


def test_the_list_shows_ones_own_notifications_newest_first(client, world):
    leader, member = world["people"]["leader"], world["people"]["member"]
    notes_for(leader)
    notes_for(member)
    client.force_login(leader)
    html = client.get("/notifications/").content.decode()
    assert html.index("leader@world.example news 1") < html.index("leader@world.example news 0")
    assert "member@world.example" not in html
    assert 'class="count-badge">2<' in html


def test_marking_one_read_with_htmx_updates_it_and_the_badge(client, world):
    leader = world["people"]["leader"]
    first, second = notes_for(leader)
    client.force_login(leader)
    response = client.post(f"/notifications/{first.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html and "Mark as read" not in html
    assert 'id="unread-badge" hx-swap-oob="true"' in html and ">1<" in html
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_marking_all_read(client, world):
    leader, member = world["people"]["leader"], world["people"]["member"]
    notes_for(leader, 3)
    others = notes_for(member)
    client.force_login(leader)
    assert client.post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(recipient=leader, read_at__isnull=True).exists()
    assert Notification.objects.filter(pk__in=[n.pk for n in others], read_at=None).count() == 2
    assert mark_read(leader) == 0


def test_another_persons_notification_does_not_exist(client, world):
    (theirs, _other) = notes_for(world["people"]["member"])
    client.force_login(world["people"]["leader"])
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(f"/notifications/{theirs.pk}/read/").status_code in (404, 405)


def test_the_unread_count_costs_one_query_and_none_in_fragments(client, world):
    leader = world["people"]["leader"]
    notes_for(leader, 3)
    client.force_login(leader)
    with CaptureQueriesContext(connection) as page:
        html = client.get("/projects/").content.decode()
    assert 'class="count-badge">3<' in html
    assert sum("portal_notification" in q["sql"] for q in page.captured_queries) == 1
    with CaptureQueriesContext(connection) as fragment:
        client.get("/projects/", headers={"HX-Request": "true"})
    assert not any("portal_notification" in q["sql"] for q in fragment.captured_queries)
