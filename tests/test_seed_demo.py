"""``manage.py seed_demo``: the demo installation of DESIGN.md, one account per role."""

import datetime
import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from funding.models import Funder, FundingLine
from outcomes import permissions as outcome_permissions
from outcomes.models import Campaign, MarketLaunch, OutcomeReport
from portal.models import Notification, Organisation, Person, Pole
from portal.permissions import is_pole_staff
from projects.models import (
    CommitteeSession,
    Contact,
    Document,
    ExpertAssignment,
    Invitation,
    Milestone,
    Project,
    State,
    StateChange,
    Submission,
)
from projects.permissions import VIEW, projects_with, visible_projects

ACCOUNTS = ["staff", "leader", "member", "funder", "expert", "outsider"]


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def account(key):
    return Person.objects.get(email=f"{key}@demo.example")


def confidential(key):
    return set(projects_with(account(key), VIEW))


def contact_projects(key, role):
    return set(
        Project.objects.filter(
            partners__contact_rows__person=account(key), partners__contact_rows__role=role
        )
    )


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def snapshot():
    """What a seeding made, to compare two of them."""
    return (
        list(Organisation.objects.order_by("legal_name").values_list("siren", "siret")),
        list(Project.objects.order_by("acronym").values_list("acronym", "state")),
        list(
            FundingLine.objects.order_by("project__acronym", "pk").values_list(
                "amount_requested", "amount_granted"
            )
        ),
        StateChange.objects.count(),
        list(CommitteeSession.objects.order_by("date", "pk").values_list("name", "date")),
        list(
            Milestone.objects.order_by("project__acronym", "due_date", "title").values_list(
                "title", "due_date", "done_on"
            )
        ),
        list(Document.objects.order_by("title").values_list("title", "sha256", "size")),
        list(
            MarketLaunch.objects.order_by("name", "revenues__year").values_list(
                "name", "launch_date", "revenues__year", "revenues__amount"
            )
        ),
        list(
            OutcomeReport.objects.order_by(
                "project__acronym", "figures__partner__organisation__legal_name"
            ).values_list("project__acronym", "state", "figures__revenue", "figures__jobs_created")
        ),
    )


@pytest.fixture(scope="class")
def seedings(django_db_setup, django_db_blocker):
    """The demo, seeded once for a class of tests and rolled back after them; each test
    runs in its own savepoint inside, so what a test changes is undone after it.

    Before it, a first seeding of the empty database, rolled back at once: what it made
    (``first``), which the class's must match (``test_seeding_is_deterministic``)."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            seed()
            first = snapshot()
            transaction.set_rollback(True)
        emptied = not Person.objects.exists()
        with transaction.atomic():
            yield {"summary": seed(), "first": first, "emptied": emptied}
            transaction.set_rollback(True)


@pytest.fixture
def demo(seedings, db, debug):
    """The summary ``seed_demo`` printed."""
    return seedings["summary"]


class TestDemo:
    """Read the seeded demo; seeded once for the class."""

    def test_every_account_signs_in_with_demo(self, demo):
        for key in [*ACCOUNTS, "staff2", "admin"]:
            assert authenticate(email=f"{key}@demo.example", password="demo") == account(key)
            assert account(key).first_name and account(key).last_name
        assert account("admin").is_superuser
        assert not any(account(key).is_superuser for key in ACCOUNTS)

    def test_summary_lists_the_accounts(self, demo):
        for key in ACCOUNTS:
            assert f"{key}@demo.example" in demo
        assert "E-mails: none sent" in demo

    def test_staff_works_for_the_demo_pole(self, demo):
        vega = Pole.objects.get(short_name="Véga")
        assert is_pole_staff(account("staff"), vega)
        assert not is_pole_staff(account("staff2"), vega)
        assert len(vega.themes.all()) == 5
        # The staff sees every project submitted to the pole, and only those.
        submitted = set(
            Project.objects.filter(submissions__pole=vega).exclude(
                submissions__decision=Submission.Decision.WITHDRAWN
            )
        )
        assert confidential("staff") == submitted

    def test_projects_cover_every_state(self, demo):
        assert set(Project.objects.values_list("state", flat=True)) == set(State.values)

    def test_projects_went_through_the_lifecycle(self, demo):
        closed = Project.objects.get(state=State.CLOSED)
        path = list(closed.state_changes.values_list("to_state", flat=True))
        assert path == [
            "submitted",
            "labelled",
            "funding_sought",
            "funded",
            "running",
            "completed",
            "closed",
        ]
        at = list(closed.state_changes.values_list("at", flat=True))
        assert at == sorted(at)
        for project in Project.objects.exclude(state=State.DRAFT):
            assert project.state_changes.exists()
            assert project.state_changes.last().to_state == project.state

    def test_one_project_is_co_labelled(self, demo):
        co_labelled = [
            p
            for p in Project.objects.all()
            if p.submissions.filter(decision=Submission.Decision.LABELLED).count() == 2
        ]
        assert len(co_labelled) == 1
        submissions = co_labelled[0].submissions.all()
        assert {s.pole.short_name for s in submissions} == {"Véga", "Atlantique Numérique"}
        for submission in submissions:
            assert submission.decided_on
            assert submission.committee and submission.opinion and submission.conditions
            assert submission.staff_notes
        # The second pole's staff sees it as well.
        assert co_labelled[0] in confidential("staff2")

    def test_leader_coordinates_projects_the_member_partly_shares(self, demo):
        led = contact_projects("leader", Contact.Role.COORDINATOR_CONTACT)
        assert 5 <= len(led) <= 7
        assert {State.DRAFT, State.RUNNING} <= {p.state for p in led}
        assert confidential("leader") == led
        assert any(p.description.startswith("Confidentiel") for p in led if p.state == State.DRAFT)

        shared = contact_projects("member", Contact.Role.PARTNER_CONTACT)
        assert shared < led
        assert len(shared) >= 3
        assert State.RUNNING in {p.state for p in shared}
        assert confidential("member") == shared
        member_org = account("member").organisations.get()
        leader_org = account("leader").organisations.get()
        assert member_org != leader_org
        assert member_org.category == Organisation.Category.RESEARCH
        assert leader_org.category == Organisation.Category.SME
        assert account("leader").affiliations.get().is_admin

    def test_expert_sees_exactly_one_submitted_project(self, demo):
        (project,) = confidential("expert")
        assert project.state == State.SUBMITTED
        assert project not in confidential("leader")
        assert project.expert_assignments.get().expert == account("expert")

    def test_funder_sees_the_bpifrance_projects(self, demo):
        bpifrance = Funder.objects.get(name="Bpifrance")
        assert account("funder") in bpifrance.reviewers.all()
        funded = set(Project.objects.filter(funding_lines__funder=bpifrance))
        assert confidential("funder") == funded
        assert 3 <= len(funded) <= 4
        led = contact_projects("leader", Contact.Role.COORDINATOR_CONTACT)
        assert funded & led and funded - led
        # Other projects are financed by other funders only.
        assert FundingLine.objects.exclude(project__in=funded).exists()

    def test_outsider_sees_only_public_summaries(self, demo):
        assert confidential("outsider") == set()
        assert all(p.is_public for p in visible_projects(account("outsider")))
        organisation = account("outsider").organisations.get()
        assert not organisation.participations.exists()

    def test_data_passes_the_model_validation(self, demo):
        organisations = Organisation.objects.all()
        assert organisations.count() >= 40
        assert set(organisations.values_list("category", flat=True)) == set(
            Organisation.Category.values
        )
        assert organisations.exclude(country="FR").count() >= 2
        for organisation in organisations:
            organisation.full_clean()
        for line in FundingLine.objects.all():
            line.full_clean()
            if line.amount_granted is not None:
                assert line.amount_granted <= line.amount_requested

    def test_each_pole_has_a_past_a_next_and_a_later_committee_session(self, demo):
        today = timezone.localdate()
        for pole in Pole.objects.all():
            past, upcoming, later = pole.committee_sessions.order_by("date")
            assert past.date < today < upcoming.date < later.date
            # The past session decided the projects on its agenda, under its name and date.
            decided = list(past.agenda.all())
            assert decided
            for submission in decided:
                assert submission.decision in ("labelled", "rejected")
                assert (submission.decided_on, submission.committee) == (past.date, past.name)
            # Every project awaiting the pole's decision is on the next agenda.
            pending = set(pole.submissions.filter(decision=Submission.Decision.PENDING))
            assert pending and set(upcoming.agenda.all()) == pending
            assert not later.agenda.exists()
        vega = Pole.objects.get(short_name="Véga").committee_sessions.order_by("date").first()
        assert {s.decision for s in vega.agenda.all()} == {"labelled", "rejected"}
        assert CommitteeSession.objects.count() == 6

    def test_experts_gave_their_opinions_but_the_demo_expert(self, demo):
        mine = ExpertAssignment.objects.get(expert=account("expert"))
        assert mine.closed_at is None
        assert (mine.opinion, mine.opinion_given_at) == ("", None)
        # Another expert's opinions: on decided projects (their access closed with the
        # decision), and one waiting for the next committee.
        given = ExpertAssignment.objects.exclude(opinion="")
        assert account("expert") not in {a.expert for a in given}
        closed = [a for a in given if a.closed_at is not None]
        assert closed
        for assignment in closed:
            submission = assignment.project.submissions.get(pole=assignment.pole)
            assert submission.decision in ("labelled", "rejected")
            assert assignment.requested_at < assignment.opinion_given_at < assignment.closed_at
        assert any(a.closed_at is None and a.opinion_given_at for a in given)

    def test_projects_under_way_have_milestones_some_done_some_overdue(self, demo):
        today = timezone.localdate()
        milestones = Milestone.objects.select_related("project", "partner")
        for state in (State.FUNDED, State.RUNNING, State.COMPLETED):
            assert milestones.filter(project__state=state).exists()
        assert {m.kind for m in milestones} == {"milestone", "deliverable"}
        assert milestones.filter(done_on__isnull=False).exists()
        assert milestones.filter(done_on__isnull=True, due_date__gt=today).exists()
        assert milestones.filter(done_on__isnull=True, due_date__lt=today).exists()
        for milestone in milestones:
            milestone.full_clean()  # done dates in the past, partners of the project

    @pytest.mark.parametrize("key", ["leader", "staff"])
    def test_the_home_page_lists_overdue_milestones(self, demo, client, key):
        client.force_login(account(key))
        response = client.get("/")
        overdue = response.context["sections"]["overdue_milestones"]
        assert overdue and all(m.is_overdue for m in overdue)
        html = response.content.decode()
        assert 'id="overdue-milestones"' in html
        for milestone in overdue:
            assert escape(milestone.title) in html
            assert f'href="{milestone.project.get_absolute_url()}#milestones"' in html
        projects = {m.project for m in overdue}
        if key == "leader":
            assert projects <= contact_projects("leader", Contact.Role.COORDINATOR_CONTACT)
        else:
            assert projects <= confidential("staff")
            assert projects - contact_projects("leader", Contact.Role.COORDINATOR_CONTACT)

    def test_documents_are_stored_under_media_root_and_served_to_the_leader(
        self, demo, client, settings
    ):
        media = Path(settings.MEDIA_ROOT).resolve()
        # The tests' temporary folder (tests/conftest.py), never the checkout's media/.
        assert not media.is_relative_to(Path(settings.BASE_DIR).resolve())
        documents = Document.objects.select_related("project")
        assert {d.content_type for d in documents} == {"application/pdf", "image/png"}
        assert documents.filter(kind=Document.Kind.CONSORTIUM_AGREEMENT).exists()
        client.force_login(account("leader"))
        for document in documents:
            stored = Path(document.file.path).resolve()
            assert stored.is_relative_to(media) and stored.is_file()
            url = reverse("document_download", args=[document.project_id, document.pk])
            assert url in client.get(document.project.get_absolute_url()).content.decode()
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment")
            body = b"".join(response.streaming_content)
            assert body == stored.read_bytes()
            assert len(body) == document.size
            assert hashlib.sha256(body).hexdigest() == document.sha256
            if document.content_type == "application/pdf":
                assert body.startswith(b"%PDF-1.4") and body.endswith(b"%%EOF\n")
                assert b"/Count 1" in body
            else:
                assert body.startswith(b"\x89PNG\r\n\x1a\n")
        client.force_login(account("outsider"))
        assert client.get(url).status_code == 404

    def test_the_leader_has_an_invitation_pending(self, demo):
        (invitation,) = Invitation.pending()
        assert invitation.invited_by == account("leader")
        assert invitation.accepted_at is None
        assert not Person.objects.filter(email__iexact=invitation.email).exists()
        led = contact_projects("leader", Contact.Role.COORDINATOR_CONTACT)
        assert invitation.partner.project in led
        assert invitation.partner.role != "coordinator"

    def test_leader_and_staff_find_notifications_the_old_ones_read(self, demo):
        now = timezone.now()
        for key in ("leader", "staff"):
            notifications = account(key).notifications.all()
            assert notifications.filter(read_at__isnull=True).exists()
            assert notifications.filter(read_at__isnull=False).exists()
        # Dated when what they tell happened: overdue reminders today, decisions long ago.
        leader = account("leader").notifications
        assert leader.filter(subject__contains="RECYCARB", read_at__isnull=True).exists()
        assert leader.filter(created_at__lt=now - datetime.timedelta(days=365)).exists()
        assert not Notification.objects.filter(
            read_at__isnull=True, created_at__lt=now - datetime.timedelta(days=60)
        ).exists()

    def test_projects_launched_products_with_revenue_by_year(self, demo):
        launches = MarketLaunch.objects.select_related("project", "partner")
        assert launches.count() >= 3
        assert {launch.kind for launch in launches} >= {"product", "licence"}
        today = timezone.localdate()
        for launch in launches:
            launch.full_clean()
            assert launch.project.state in (State.RUNNING, State.COMPLETED, State.CLOSED)
            assert launch.launch_date <= today
            years = list(launch.revenues.values_list("year", flat=True))
            assert years and years == list(range(launch.launch_date.year, today.year + 1))
            for revenue in launch.revenues.all():
                revenue.full_clean()
        assert any(launch.other_projects.exists() for launch in launches)
        # The leader sees the launches of the projects they lead.
        leader_launches = outcome_permissions.visible_launches(account("leader"))
        assert leader_launches.exists()
        assert not outcome_permissions.visible_launches(account("outsider")).exists()

    def test_last_years_campaign_has_reports_in_every_state(self, demo):
        today = timezone.localdate()
        campaign = Campaign.objects.get(pole__short_name="Véga")
        assert campaign.year == today.year - 1 and campaign.due_date > today
        reports = {r.state: r for r in campaign.reports.exclude(started_at=None)}
        assert set(reports) == set(OutcomeReport.State.values)
        validated = reports["validated"]
        assert validated.submitted_figures["totals"]["revenue"]
        assert not any(f.missing() for f in validated.figures.all())
        assert reports["returned"].review_comments
        draft = reports["draft"].figures.all()
        assert any(not f.missing() for f in draft) and any(f.missing() for f in draft)
        (not_started,) = campaign.reports.filter(started_at=None)
        assert not_started.state == "draft"
        assert all(f.missing() for f in not_started.figures.all())
        # A launch's revenue of the year is what its partner reported.
        launch = MarketLaunch.objects.get(project=validated.project, kind="product")
        figures = validated.figures.get(partner=launch.partner)
        assert figures.revenue == launch.revenues.get(year=campaign.year).amount

    def test_leader_member_and_staff_each_have_a_report_to_work_on(self, demo):
        leader, member, staff = account("leader"), account("member"), account("staff")
        to_fill = outcome_permissions.reports_to_fill(leader)
        assert to_fill.filter(state="draft", started_at__isnull=False).exists()
        waiting_for_member = [
            report
            for report in outcome_permissions.reports_to_fill(member)
            if any(
                f.missing()
                for f in report.figures.filter(
                    partner__in=outcome_permissions.fillable_partner_ids(member, report)
                )
            )
        ]
        assert waiting_for_member
        assert not any(
            outcome_permissions.may_fill_report(member, report) for report in waiting_for_member
        )
        (to_review,) = OutcomeReport.objects.filter(state="submitted")
        assert outcome_permissions.may_review_report(staff, to_review)
        assert not outcome_permissions.may_review_report(account("staff2"), to_review)
        # The leaders were told of the campaign and reminded that the report is due.
        subjects = list(leader.notifications.values_list("subject", flat=True))
        assert any("RECYCARB" in s and str(to_review.campaign.year) in s for s in subjects)

    def test_seeding_twice_is_refused(self, demo):
        with pytest.raises(CommandError, match="already seeded"):
            seed()

    def test_if_empty_does_nothing_on_a_seeded_database(self, demo):
        people, projects = Person.objects.count(), Project.objects.count()
        assert "demo not seeded" in seed(if_empty=True)
        assert (Person.objects.count(), Project.objects.count()) == (people, projects)

    def test_seeding_is_deterministic(self, demo, seedings):
        """The class's demo is the second seeding of an empty database (see ``seedings``)."""
        assert seedings["emptied"]
        assert snapshot() == seedings["first"]


def test_if_empty_seeds_an_empty_database(db, debug):
    seed(if_empty=True)
    assert Person.objects.filter(email="staff@demo.example").exists()


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not Person.objects.exists()
    seed(force=True)
    assert Person.objects.filter(email="leader@demo.example").exists()
