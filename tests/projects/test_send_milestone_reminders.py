"""``manage.py send_milestone_reminders``: each overdue milestone of a project under way is
reminded to the project's leaders and to the responsible partner's contacts, once a day."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.models import Notification
from projects import services
from projects.models import Milestone, State

from ..world import build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

LAST_WEEK = TODAY - datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def today():
    """The day as each test starts (not as the module was collected: a run may cross
    midnight, in the site's time zone, between the two)."""
    global TODAY, LAST_WEEK
    TODAY = timezone.localdate()
    LAST_WEEK = TODAY - datetime.timedelta(days=7)
    return TODAY


@pytest.fixture
def world():
    world = build_world()
    Notification.objects.all().delete()  # what building the world notified is not ours
    return world


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command as cron would: its transactions commit, its e-mails leave."""

    def run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_milestone_reminders", stdout=out)
        return out.getvalue()

    return run


def notified(world):
    by_email = {p.pk: role for role, p in world["people"].items()}
    return sorted(by_email[n.recipient_id] for n in Notification.objects.all())


def member_partner(world, project):
    return project.partners.get(organisation=world["organisations"]["member"])


def test_the_leaders_and_the_responsible_partner_are_reminded(world, run, mailoutbox):
    project = world["projects"]["funded"]
    milestone = services.add_milestone(
        project,
        kind=Milestone.Kind.DELIVERABLE,
        title="D1.1 Requirements",
        due_date=LAST_WEEK,
        partner=member_partner(world, project),
    )
    assert run() == "1 overdue milestone(s) reminded.\n"
    assert notified(world) == ["leader", "member"]
    notification = Notification.objects.filter(recipient=world["people"]["member"]).get()
    assert "FUNDED" in notification.subject and "D1.1 Requirements" in notification.subject
    assert "Member Lab" in notification.body
    assert notification.url == f"/projects/{project.pk}/#milestones"
    assert sorted(m.to[0] for m in mailoutbox) == ["leader@world.example", "member@world.example"]
    milestone.refresh_from_db()
    assert milestone.reminded_on == TODAY


def test_a_milestone_nobody_is_responsible_for_goes_to_the_leaders(world, run):
    services.add_milestone(world["projects"]["funded"], title="Kick-off", due_date=LAST_WEEK)
    run()
    assert notified(world) == ["leader"]


def test_a_reminder_goes_once_a_day_at_most(world, run, mailoutbox):
    milestone = services.add_milestone(
        world["projects"]["funded"], title="Kick-off", due_date=LAST_WEEK
    )
    run()
    assert run() == "0 overdue milestone(s) reminded.\n"
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1
    # The next day, again.
    Milestone.objects.filter(pk=milestone.pk).update(reminded_on=TODAY - datetime.timedelta(1))
    run()
    assert Notification.objects.count() == 2


def test_done_future_and_finished_projects_are_left_alone(world, run):
    funded, draft = world["projects"]["funded"], world["projects"]["draft"]
    services.add_milestone(funded, title="Done", due_date=LAST_WEEK, done_on=LAST_WEEK)
    services.add_milestone(funded, title="Due today", due_date=TODAY)
    services.add_milestone(draft, title="Late on an abandoned project", due_date=LAST_WEEK)
    services.change_state(draft, State.ABANDONED, by=world["people"]["leader"])
    assert run() == "0 overdue milestone(s) reminded.\n"
    assert not Notification.objects.exists()


def test_each_project_reminds_its_own_consortium(world, run):
    services.add_milestone(world["projects"]["foreign_labelled"], title="M1", due_date=LAST_WEEK)
    run()
    (notification,) = Notification.objects.all()
    assert notification.recipient.email == "other-leader@world.example"
