"""``manage.py send_report_reminders``: the leaders of a report still to submit are reminded
once in the week before its due date, then the day after it is late and weekly after that;
submitted and validated reports are left alone."""

import copy
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from outcomes import services
from tests.world import build_world

from ..shared import build_once
from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_site")]

COMPLETE = {
    "revenue": Decimal("1"),
    "export_share": Decimal("0"),
    "jobs_created": Decimal("0"),
    "jobs_maintained": Decimal("0"),
    "patents_filed": 0,
    "patents_granted": 0,
    "publications": 0,
    "follow_on_funding": Decimal("0"),
}
DUE = datetime.date(2027, 3, 31)  # the campaigns' due date in tests/outcomes/world.py


def day(offset):
    return (DUE + datetime.timedelta(days=offset)).isoformat()


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
def run(django_capture_on_commit_callbacks, mailoutbox):
    """Run the command for a day as cron would (its e-mails leave); returns what it printed
    and the e-mails it sent."""

    def run(date):
        out = io.StringIO()
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_report_reminders", "--date", date, stdout=out)
        return out.getvalue(), list(mailoutbox)

    return run


def sent(messages):
    return sorted((m.to[0], m.subject) for m in messages)


def recipients(messages):
    return sorted(m.to[0] for m in messages)


def reminded(count):
    return f"{count} outcome report(s) reminded.\n"


def test_a_week_before_once_the_day_after_then_weekly(world, run):
    assert run(day(-8)) == (reminded(0), [])
    printed, messages = run(day(-7))
    assert printed == reminded(2)
    # Each report's leaders, nobody else (not the member, not the staff).
    assert sent(messages) == [
        ("leader@world.example", "[Grappe] Outcome report 2026 of FUNDED: due on 03/31/2027"),
        ("other-leader@world.example", "[Grappe] Outcome report 2026 of FLABEL: due on 03/31/2027"),
    ]
    for offset in (-6, -1, 0):
        assert run(day(offset)) == (reminded(0), []), offset
    printed, messages = run(day(1))
    assert printed == reminded(2)
    assert sent(messages)[0] == (
        "leader@world.example",
        "[Grappe] Outcome report 2026 of FUNDED: late since 03/31/2027",
    )
    for offset in (2, 7):
        assert run(day(offset)) == (reminded(0), []), offset
    assert run(day(8))[0] == reminded(2)
    assert run(day(9))[0] == reminded(0)
    assert run(day(15))[0] == reminded(2)


def test_the_reminder_says_which_report_is_awaited_and_links_to_it(world, run):
    report = world["extra"]["funded:report"]
    _printed, messages = run(day(-3))
    (email,) = [m for m in messages if m.to == ["leader@world.example"]]
    assert "Pôle Own is waiting for the outcome report of FUNDED for 2026" in email.body
    assert services.report_url(report) in email.body
    notification = world["people"]["leader"].notifications.get(subject__contains="due on")
    assert notification.url == services.report_url(report)
    report.refresh_from_db()
    assert report.reminded_on == datetime.date.fromisoformat(day(-3))


def test_submitted_and_validated_reports_are_not_reminded(world, run):
    report = world["extra"]["funded:report"]
    leader, staff = world["people"]["leader"], world["people"]["staff"]
    for figures in report.figures.all():
        services.save_figures(figures, by=leader, **COMPLETE)
    services.save_report(report, by=leader, narrative="Done.", spin_offs=0)
    services.submit_report(report, by=leader)
    printed, messages = run(day(1))
    assert printed == reminded(1)
    assert recipients(messages) == ["other-leader@world.example"]  # FLABEL's only
    # Returned for changes, it is waited for again.
    services.return_report(report, comments="Jobs?", by=staff)
    assert recipients(run(day(2))[1]) == ["leader@world.example"]
    services.submit_report(report, by=leader)
    services.validate_report(report, by=staff)
    assert recipients(run(day(15))[1]) == ["other-leader@world.example"]
