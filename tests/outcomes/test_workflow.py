"""The life of an outcome report: the scope of a campaign, filling, submitting, validating
(then locked) or returning; and the rules on launches."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from outcomes import services
from outcomes.models import Campaign, OutcomeReport, PartnerFigures
from portal.modelutils import StaleEdit
from projects import services as project_services
from projects.models import State
from tests.shared import module_world
from tests.world import build_world

from .world import build_outcomes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

COMPLETE = {
    "revenue": Decimal("100000.00"),
    "export_share": Decimal("25"),
    "jobs_created": Decimal("2.5"),
    "jobs_maintained": Decimal("4"),
    "patents_filed": 1,
    "patents_granted": 0,
    "publications": 3,
    "follow_on_funding": Decimal("0"),
}


def _build_world():
    return build_outcomes(build_world())


built_world, world = module_world(_build_world, language="en")


def _fill(world, report):
    for figures in report.figures.all():
        services.save_figures(figures, by=world["people"]["leader"], **COMPLETE)
    services.save_report(
        report, by=world["people"]["leader"], narrative="A pilot line.", spin_offs=0
    )


def _move(project, states, by):
    for state in states:
        project_services.change_state(project, state, by=by)


def test_scope_is_the_pole_labelled_projects_running_or_recently_ended(world):
    pole, leader = world["poles"]["own"], world["people"]["leader"]
    funded = world["projects"]["funded"]
    assert list(services.campaign_scope(pole, 2026)) == []  # labelled, not running yet
    _move(funded, [State.FUNDING_SOUGHT, State.FUNDED, State.RUNNING], leader)
    assert list(services.campaign_scope(pole, 2026)) == [funded]
    assert list(services.campaign_scope(pole, 2026, include_running=False)) == []
    _move(funded, [State.COMPLETED], leader)  # ends 2028-12-31
    assert list(services.campaign_scope(pole, 2030)) == [funded]
    assert list(services.campaign_scope(pole, 2033)) == [funded]
    assert list(services.campaign_scope(pole, 2034)) == []
    assert list(services.campaign_scope(pole, 2033, ended_within_years=4)) == []
    assert list(services.campaign_scope(world["poles"]["foreign"], 2030)) == []


def test_a_campaign_with_nothing_in_scope_is_refused(world):
    with pytest.raises(ValidationError, match="No project"):
        services.open_campaign(
            pole=world["poles"]["own"], year=2025, due_date=datetime.date(2099, 1, 1)
        )
    assert not Campaign.objects.filter(year=2025).exists()


def test_submission_needs_every_required_figure(world):
    report = world["extra"]["funded:report"]
    with pytest.raises(ValidationError) as error:
        services.submit_report(report, by=world["people"]["leader"])
    messages = error.value.message_dict
    assert "Member Lab: revenue from the project" in " ".join(messages["figures"])
    assert "spin_offs" in messages and "narrative" in messages
    report.refresh_from_db()
    assert report.state == OutcomeReport.State.DRAFT and report.submitted_figures is None


def test_submit_validate_then_locked(world):
    report = world["extra"]["funded:report"]
    _fill(world, report)
    services.submit_report(report, by=world["people"]["leader"])
    report.refresh_from_db()
    assert report.state == "submitted"
    assert report.submitted_figures["totals"]["revenue"] == "200000.00"
    assert report.submitted_figures["totals"]["export_share"] == "25.00"
    figures = report.figures.first()
    with pytest.raises(ValidationError, match="submitted"):
        services.save_figures(figures, revenue=Decimal("1"))
    services.validate_report(report, by=world["people"]["staff"])
    with pytest.raises(ValidationError, match="locked"):
        services.save_figures(figures, revenue=Decimal("1"))
    with pytest.raises(ValidationError, match="locked"):
        services.save_report(report, narrative="changed")
    figures.refresh_from_db()
    assert figures.revenue == Decimal("100000.00")


def test_returned_report_can_be_changed_and_submitted_again(world):
    report = world["extra"]["funded:report"]
    _fill(world, report)
    services.submit_report(report, by=world["people"]["leader"])
    with pytest.raises(ValidationError):
        services.return_report(report, comments="  ", by=world["people"]["staff"])
    services.return_report(report, comments="Jobs look high.", by=world["people"]["staff"])
    report.refresh_from_db()
    assert report.state == "returned" and report.review_comments == "Jobs look high."
    figures = report.figures.first()
    services.save_figures(figures, jobs_created=Decimal("1"), by=world["people"]["leader"])
    report.refresh_from_db()
    # What was submitted is kept apart from the draft that follows.
    assert report.submitted_figures["totals"]["jobs_created"] == "5.0"
    services.submit_report(report, by=world["people"]["leader"])
    report.refresh_from_db()
    assert report.submitted_figures["totals"]["jobs_created"] == "3.5"


def test_a_save_without_a_version_still_moves_it_on(world):
    report = world["extra"]["funded:report"]
    figures = world["extra"]["funded:member_figures"]
    stale_report = OutcomeReport.objects.get(pk=report.pk)
    stale_figures = PartnerFigures.objects.get(pk=figures.pk)
    services.save_report(report, narrative="Mine")
    services.save_figures(figures, revenue=Decimal("5"))
    report.refresh_from_db()
    figures.refresh_from_db()
    assert (report.version, figures.version) == (2, 2)
    # Whoever loaded them before is told someone saved meanwhile, and overwrites nothing.
    with pytest.raises(StaleEdit):
        services.save_report(stale_report, narrative="Theirs")
    with pytest.raises(StaleEdit):
        services.save_figures(stale_figures, revenue=Decimal("7"))
    report.refresh_from_db()
    figures.refresh_from_db()
    assert report.narrative == "Mine" and figures.revenue == Decimal("5.00")


def test_completing_checks_the_figures_saved_meanwhile(world):
    figures = world["extra"]["funded:member_figures"]
    services.save_figures(figures, **COMPLETE)
    loaded = PartnerFigures.objects.get(pk=figures.pk)  # every figure there
    services.save_figures(figures, revenue=None)  # someone empties one meanwhile
    with pytest.raises(ValidationError) as error:
        services.complete_figures(loaded)
    assert list(error.value.message_dict) == ["revenue"]
    figures.refresh_from_db()
    assert figures.revenue is None and figures.completed_at is None and figures.version == 3
    services.save_figures(figures, revenue=Decimal("1"))
    with pytest.raises(StaleEdit):  # the version a person completed, if they say which
        services.complete_figures(figures, expected_version=3)
    services.complete_figures(figures, expected_version=4)
    figures.refresh_from_db()
    assert figures.completed_at is not None and figures.version == 5


def test_emptying_a_figure_makes_the_part_incomplete_again(world):
    figures = world["extra"]["funded:member_figures"]
    services.save_figures(figures, **COMPLETE)
    services.complete_figures(figures)
    services.save_figures(figures, comments="Checked twice.")
    figures.refresh_from_db()
    assert figures.completed_at is not None  # still complete
    services.save_figures(figures, jobs_created=None)
    figures.refresh_from_db()
    assert figures.completed_at is None


def test_launch_before_the_project_started_is_refused(world):
    funded = world["projects"]["funded"]
    with pytest.raises(ValidationError) as error:
        services.record_launch(
            project=funded,
            partner=funded.partners.get(role="coordinator"),
            name="Too early",
            launch_date=datetime.date(2025, 12, 31),
            trl_reached=7,
        )
    assert "launch_date" in error.value.message_dict


def test_markets_are_iso_codes(world):
    funded = world["projects"]["funded"]
    with pytest.raises(ValidationError, match="XX"):
        services.record_launch(
            project=funded,
            partner=funded.partners.get(role="coordinator"),
            name="Abroad",
            launch_date=datetime.date(2026, 3, 1),
            trl_reached=7,
            markets="fr, XX",
        )
    launch = services.record_launch(
        project=funded,
        partner=funded.partners.get(role="coordinator"),
        name="Abroad",
        launch_date=datetime.date(2026, 3, 1),
        trl_reached=7,
        markets="fr, de fr",
    )
    assert launch.markets == ["FR", "DE"]


def test_suggestions_come_from_launches(world):
    report = world["extra"]["funded:report"]
    member = world["extra"]["funded:member_figures"].partner
    suggested = services.suggested_figures(report, world["people"]["member"])
    assert suggested[member.pk]["revenue"] == Decimal("40000.00")
