"""Kept dashboard figures (portal.snapshots): computed once, shown again while nothing they
read changed, computed again after any change — whichever way the change was made."""

import copy
import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from funding import figures as funding_figures
from funding import services as funding_services
from funding.models import Funder, PrivateRound, Programme
from funding.permissions import figure_projects
from outcomes import figures as impact_figures
from outcomes import services as outcome_services
from portal import services as portal_services
from portal import snapshots
from portal.models import FiguresSnapshot, Membership
from projects import services as project_services
from projects.models import State

from ..outcomes.impact_data import build_impact_data
from ..shared import build_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module", autouse=True)
def built_data(django_db_setup, django_db_blocker):
    yield from build_once(django_db_blocker, build_impact_data, language="en")


@pytest.fixture
def data(built_data, db):
    return copy.deepcopy(built_data)


def pole_impact(data, pole="a", **filters):
    return impact_figures.cached_impact([data["poles"][pole]], **filters)


def pole_funding(data, pole="a"):
    pole = data["poles"][pole]
    staff = data["people"]["staff" if pole == data["poles"]["a"] else "staff_b"]
    return funding_figures.pole_dashboard(figure_projects(staff, pole), pole=pole)


def fresh_impact(data, pole="a"):
    return impact_figures.impact([data["poles"][pole]])


def fresh_funding(data, pole="a"):
    pole = data["poles"][pole]
    staff = data["people"]["staff" if pole == data["poles"]["a"] else "staff_b"]
    return funding_figures.dashboard(figure_projects(staff, pole), pole=pole)


def queries(function, *args, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        function(*args, **kwargs)
    return len(captured)


# --- Kept, and shown again ----------------------------------------------------------------------


def test_figures_are_computed_once_and_shown_again(data):
    first_time = queries(pole_impact, data)
    assert FiguresSnapshot.objects.count() == 1
    assert pole_impact(data) == fresh_impact(data)
    # Shown again: the versions and the kept figures, two queries, whatever the data.
    assert queries(pole_impact, data) == 2 < first_time
    assert FiguresSnapshot.objects.count() == 1


def test_each_pole_filter_and_language_has_its_own_figures(data):
    theme = data["themes"]["hydrogen"]
    assert pole_impact(data) == fresh_impact(data)
    assert pole_impact(data, year=2025) == impact_figures.impact([data["poles"]["a"]], year=2025)
    assert pole_impact(data, theme=theme) == impact_figures.impact(
        [data["poles"]["a"]], theme=theme
    )
    assert pole_impact(data, "b") == fresh_impact(data, "b")
    with translation.override("fr"):
        french = pole_impact(data)
    assert french["by_category"][0]["label"] != pole_impact(data)["by_category"][0]["label"]
    assert FiguresSnapshot.objects.count() == 5


def test_the_national_view_is_kept_apart_from_each_poles(data):
    poles = list(data["poles"].values())
    national = impact_figures.cached_impact(poles, per_pole=True)
    assert national == impact_figures.impact(poles, per_pole=True)
    assert len(national["by_pole"]) == 2
    assert pole_impact(data)["by_pole"] == []


def test_a_change_in_another_pole_keeps_these_figures(data):
    pole_impact(data)
    before = snapshots.stamp([data["poles"]["a"].pk])
    PrivateRound.objects.create(
        partner=data["projects"]["p5"].partners.first(),
        amount=D("1000"),
        closed_on=datetime.date(2025, 1, 1),
    )
    assert snapshots.stamp([data["poles"]["a"].pk]) == before
    assert queries(pole_impact, data) == 2
    assert snapshots.stamp([data["poles"]["b"].pk]) != before


def test_a_change_made_while_the_figures_are_computed_makes_them_stale(data):
    pole = data["poles"]["a"]
    calls = []

    def compute():
        calls.append(1)
        if len(calls) == 1:
            snapshots.changed(poles=[pole.pk])  # someone saves meanwhile
        return len(calls)

    assert snapshots.cached("test", [pole.pk], {}, compute) == 1
    assert snapshots.cached("test", [pole.pk], {}, compute) == 2  # not the stale one
    assert snapshots.cached("test", [pole.pk], {}, compute) == 2


# --- Computed again after every kind of change ---------------------------------------------------


def grant_a_line(data):
    p2 = data["projects"]["p2"]
    funder = Funder.objects.get(name="Bpifrance")
    funding_services.record_funding_line(
        project=p2,
        partner=p2.partners.first(),
        programme=Programme.objects.get(name="i-Nov"),
        funder=funder,
        amount_requested=D("50000"),
        amount_granted=D("40000"),
        status="granted",
        decision_date=datetime.date(2025, 7, 1),
    )


def disburse(data):
    line = data["projects"]["p1"].funding_lines.filter(status="granted").first()
    funding_services.record_disbursement(
        line,
        amount=D("1000"),
        scheduled_date=datetime.date(2025, 1, 1),
        paid_date=datetime.date(2025, 1, 2),
    )


def raise_a_round(data):
    PrivateRound.objects.create(
        partner=data["projects"]["p1"].partners.first(),
        amount=D("5000"),
        closed_on=datetime.date(2025, 4, 1),
    )


def cancel_part_of_a_line(data):
    line = data["projects"]["p1"].funding_lines.filter(status="granted").first()
    funding_services.change_funding_line(line, amount_cancelled=D("1234"))


def launch(data):
    p2 = data["projects"]["p2"]
    outcome_services.record_launch(
        project=p2,
        partner=p2.partners.first(),
        name="New",
        kind="product",
        launch_date=datetime.date(2025, 10, 1),
        trl_reached=9,
    )


def validate_a_report(data):
    outcome_services.validate_report(data["reports"]["r2"], by=data["people"]["staff"])


def label_a_project(data):
    from projects.models import Submission

    project_services.record_decision(
        Submission.objects.get(project=data["projects"]["p4"], pole=data["poles"]["a"]),
        "labelled",
        by=data["people"]["staff"],
        decided_on=datetime.date(2025, 7, 1),
    )


def add_a_theme(data):
    data["projects"]["p4"].themes.add(data["themes"]["batteries"])


def end_a_membership(data):
    membership = Membership.objects.get(
        organisation__legal_name="MicroTech", pole=data["poles"]["a"]
    )
    membership.status = Membership.Status.EXPIRED
    membership.save()


def let_memberships_follow_their_dates(data):
    # The daily job writes without save(): memberships whose dates have passed expire.
    portal_services.update_membership_statuses(today=datetime.date(2027, 6, 1))


def move_an_organisation(data):
    organisation = data["projects"]["p1"].partners.get(role="coordinator").organisation
    organisation.region = "OCC"
    organisation.save()


def change_a_partners_budget(data):
    partner = data["projects"]["p1"].partners.get(role="coordinator")
    project_services.change_partner(partner, personnel_costs=D("1"))


CHANGES = [
    grant_a_line,
    disburse,
    raise_a_round,
    cancel_part_of_a_line,
    launch,
    validate_a_report,
    label_a_project,
    add_a_theme,
    end_a_membership,
    let_memberships_follow_their_dates,
    move_an_organisation,
    change_a_partners_budget,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_a_change_shows_in_the_figures_at_once(data, change):
    impact, funding = pole_impact(data), pole_funding(data)
    change(data)
    new_impact, new_funding = pole_impact(data), pole_funding(data)
    assert new_impact == fresh_impact(data)
    assert new_funding == fresh_funding(data)
    assert (new_impact, new_funding) != (impact, funding)  # the change shows in them


def test_an_abandoned_project_leaves_the_funding_figures(data):
    p4 = data["projects"]["p4"]
    funding_services.record_funding_line(
        project=p4,
        partner=p4.partners.first(),
        programme=Programme.objects.get(name="i-Nov"),
        amount_requested=D("7000"),
        status="applied",
    )
    assert pole_funding(data)["totals"]["requested"] == fresh_funding(data)["totals"]["requested"]
    requested = pole_funding(data)["totals"]["requested"]
    project_services.change_state(p4, State.ABANDONED, by=data["people"]["leader"])
    assert fresh_funding(data)["totals"]["requested"] == requested - D("7000")
    assert pole_funding(data)["totals"]["requested"] == requested - D("7000")


# --- The pages --------------------------------------------------------------------------------


def test_the_dashboards_show_the_kept_figures_until_a_change(data, client):
    client.force_login(data["people"]["staff"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    pole = data["poles"]["a"].pk
    for url in [f"/impact/?pole={pole}", f"/funding/?pole={pole}"]:
        with CaptureQueriesContext(connection) as first:
            client.get(url)
        with CaptureQueriesContext(connection) as again:
            client.get(url)
        assert len(again) < len(first) - 5
    html = client.get(f"/funding/?pole={pole}").content.decode()
    assert "€40,000" not in html
    grant_a_line(data)
    assert "€40,000" in client.get(f"/funding/?pole={pole}").content.decode()


# --- The worker computes stale landing views again ---------------------------------------------


def test_the_worker_computes_the_stale_landing_views_again(data):
    poles = list(data["poles"].values())
    pole_impact(data), pole_funding(data), pole_impact(data, year=2025)
    impact_figures.cached_impact(poles, per_pole=True)
    assert snapshots.refresh_stale() == 0  # nothing changed
    grant_a_line(data)
    assert snapshots.refresh_stale() == 3  # the landing views; the filtered one waits
    national = impact_figures.cached_impact
    assert queries(national, poles, per_pole=True) == 2
    assert queries(pole_impact, data) == 2
    assert queries(pole_funding, data) <= 3  # the pole's projects are not even read
    assert pole_funding(data) == fresh_funding(data)
    assert queries(pole_impact, data, year=2025) > 2


@pytest.fixture
def worker_keeps_the_test_connection(monkeypatch):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.mark.usefixtures("worker_keeps_the_test_connection")
def test_a_committed_change_has_the_worker_refresh_the_figures(
    data, settings, django_capture_on_commit_callbacks
):
    settings.FIGURES_REFRESH_DELAY = 0
    impact = pole_impact(data)
    with django_capture_on_commit_callbacks(execute=True):
        grant_a_line(data)
    with django_capture_on_commit_callbacks(execute=True):
        raise_a_round(data)
    waiting = DBTaskResult.objects.filter(task_path="portal.tasks.refresh_figures")
    assert waiting.count() == 1  # one task for both changes
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert waiting.get().status == "SUCCESSFUL"
    assert queries(pole_impact, data) == 2
    assert pole_impact(data) == fresh_impact(data) != impact


def test_no_refresh_is_scheduled_when_it_is_turned_off(
    data, settings, django_capture_on_commit_callbacks
):
    settings.FIGURES_REFRESH = False
    with django_capture_on_commit_callbacks(execute=True):
        grant_a_line(data)
    assert not DBTaskResult.objects.exists()


def test_kept_figures_not_computed_again_for_a_while_are_deleted(data):
    import datetime as dt

    from django.utils import timezone

    from portal import privacy

    pole_impact(data), pole_impact(data, year=2025)
    FiguresSnapshot.objects.filter(params={"year": 2025}).update(
        computed_at=timezone.now() - dt.timedelta(days=31)
    )
    assert privacy.apply_retention()["kept_figures"] == 1
    assert list(FiguresSnapshot.objects.values_list("params", flat=True)) == [{}]


# --- Shown while the worker computes them again (production's setting) ----------------------


@pytest.fixture
def shown_while_refreshing(settings):
    settings.FIGURES_STALE_SECONDS = 600
    settings.FIGURES_REFRESH = True


@pytest.mark.usefixtures("shown_while_refreshing")
def test_stale_landing_figures_are_shown_said_to_be_until_the_worker_computes_them(data):
    before = pole_impact(data)
    funding_before = pole_funding(data)
    grant_a_line(data)
    shown = pole_impact(data)
    assert shown[snapshots.STALE] is not None
    assert {k: v for k, v in shown.items() if k != snapshots.STALE} == before
    assert queries(pole_impact, data) == 2  # not computed again by whoever comes first
    assert snapshots.STALE in pole_funding(data)
    assert snapshots.refresh_stale() == 2  # the worker computes them, despite the setting
    assert pole_impact(data) == fresh_impact(data) != before
    assert pole_funding(data) == fresh_funding(data) != funding_before


@pytest.mark.usefixtures("shown_while_refreshing")
def test_filtered_and_old_figures_are_computed_again_at_once(data, settings):
    pole_impact(data, year=2025), pole_impact(data)
    grant_a_line(data)
    assert snapshots.STALE not in pole_impact(data, year=2025)
    FiguresSnapshot.objects.update(computed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert pole_impact(data) == fresh_impact(data)  # too old to be shown: computed again
    settings.FIGURES_REFRESH = False  # no worker: nobody else would compute them
    raise_a_round(data)
    assert snapshots.STALE not in pole_impact(data)


@pytest.mark.usefixtures("shown_while_refreshing")
def test_the_dashboards_say_when_their_figures_were_computed(data, client):
    client.force_login(data["people"]["staff"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    for url in ("/impact/", "/funding/"):
        assert "being updated" not in client.get(url).content.decode()
    grant_a_line(data)
    for url in ("/impact/", "/funding/"):
        page = client.get(url).content.decode()
        assert "being updated with the latest changes" in page, url
