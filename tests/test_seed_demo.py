"""``manage.py seed_demo``: the demo installation of DESIGN.md, one account per role."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from funding.models import Funder, FundingLine
from portal.models import Organisation, Person, Pole
from portal.permissions import is_pole_staff
from projects.models import Contact, Project, State, StateChange, Submission
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


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for a class of tests and rolled back after them; each test
    runs in its own savepoint inside, so what a test changes is undone after it."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            yield seed()
            transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db, debug):
    return seeded


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

    def test_seeding_twice_is_refused(self, demo):
        with pytest.raises(CommandError, match="already seeded"):
            seed()

    def test_if_empty_does_nothing_on_a_seeded_database(self, demo):
        people, projects = Person.objects.count(), Project.objects.count()
        assert "demo not seeded" in seed(if_empty=True)
        assert (Person.objects.count(), Project.objects.count()) == (people, projects)


def test_seeding_is_deterministic(db, debug):
    def snapshot():
        return (
            list(Organisation.objects.order_by("legal_name").values_list("siren", "siret")),
            list(Project.objects.order_by("acronym").values_list("acronym", "state")),
            list(
                FundingLine.objects.order_by("project__acronym", "pk").values_list(
                    "amount_requested", "amount_granted"
                )
            ),
            StateChange.objects.count(),
        )

    with transaction.atomic():
        seed()
        first = snapshot()
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    seed()
    assert snapshot() == first


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
