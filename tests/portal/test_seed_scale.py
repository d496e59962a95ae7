"""``manage.py seed_scale``: national-scale data on top of the demo, made small here (60
projects), valid, deterministic, and with the permission rows the application would have
written (``rebuild_permissions`` afterwards changes nothing)."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings
from django.urls import reverse

from funding.models import Disbursement, FundingLine, PrivateRound, Repayment
from outcomes.models import Campaign, LaunchRevenue, MarketLaunch, OutcomeReport, PartnerFigures
from portal.models import Affiliation, Membership, Organisation, Person, Pole, PoleStaff
from portal.validators import normalise_name, searchable, validate_siren, validate_siret
from projects import permissions, services
from projects.models import (
    Contact,
    ExpertAssignment,
    Partner,
    PartnerGroupObjectPermission,
    PartnerUserObjectPermission,
    Project,
    ProjectGroupObjectPermission,
    ProjectUserObjectPermission,
    State,
    StateChange,
    Submission,
)

pytestmark = pytest.mark.usefixtures("english")

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DOMAIN = ".scale.example"
SIZES = {"projects": 60, "poles": 4, "organisations": 60, "memberships": 90, "users": 400}
GUARDIAN_MODELS = {
    ProjectUserObjectPermission: "user",
    ProjectGroupObjectPermission: "group",
    PartnerUserObjectPermission: "user",
    PartnerGroupObjectPermission: "group",
}


def seed_scale(tmp_path, **options):
    out = StringIO()
    output = tmp_path / "scale.json"
    call_command("seed_scale", stdout=out, output=str(output), **options)
    return json.loads(output.read_text()), out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=MD5):
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="class")
def scaled(demo, django_db_blocker, tmp_path_factory):
    """The scale on top of the demo, once for a class of tests; each test runs in its own
    savepoint inside."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=MD5):
        with transaction.atomic():
            yield seed_scale(tmp_path_factory.mktemp("scale"), **SIZES)
            transaction.set_rollback(True)


@pytest.fixture
def ids(scaled, db):
    return scaled[0]


def generated_projects():
    coordinators = Partner.objects.filter(
        role=Partner.Role.COORDINATOR, organisation__website__endswith=DOMAIN
    )
    return Project.objects.filter(pk__in=coordinators.values("project"))


def grants():
    """Every guardian row, group membership and role group, as comparable tuples."""
    rows = set()
    for model, owner in GUARDIAN_MODELS.items():
        rows |= {
            (model.__name__, *row)
            for row in model.objects.values_list(
                "content_object_id", f"{owner}_id", "permission__codename"
            )
        }
    members = set(Person.groups.through.objects.values_list("group__name", "person__email"))
    return rows, members, set(Group.objects.values_list("name", flat=True))


class TestScale:
    def test_counts_are_as_asked(self, ids):
        projects = generated_projects()
        assert projects.count() == 60
        assert Pole.objects.filter(pk__in=ids["pole_ids"]).count() == 4
        organisations = Organisation.objects.filter(website__endswith=DOMAIN)
        assert organisations.count() == 60
        assert Membership.objects.filter(organisation__in=organisations).count() == 90
        assert Person.objects.filter(email__endswith=DOMAIN).count() == 400
        sizes = projects.annotate(n=Count("partners")).values_list("n", flat=True)
        assert min(sizes) >= 4 and max(sizes) <= 12
        coordinators = projects.annotate(
            n=Count("partners", filter=Q(partners__role=Partner.Role.COORDINATOR))
        )
        assert set(coordinators.values_list("n", flat=True)) == {1}
        # Every project has its leader: a coordinator contact on the coordinator's row.
        led = Contact.objects.filter(
            role=Contact.Role.COORDINATOR_CONTACT, partner__role=Partner.Role.COORDINATOR
        )
        assert set(projects.values_list("pk", flat=True)) == set(
            led.values_list("partner__project", flat=True).filter(partner__project__in=projects)
        )
        detail = Project.objects.get(pk=ids["detail_project"]["id"])
        assert detail.partners.count() == 12 == ids["detail_project"]["partners"]

    def test_projects_go_through_the_whole_lifecycle(self, ids):
        projects = generated_projects()
        states = set(projects.values_list("state", flat=True))
        assert len(states) >= 8
        assert {State.RUNNING, State.COMPLETED, State.DRAFT} <= states
        submitted = projects.filter(submissions__isnull=False).distinct()
        assert submitted.exists()
        labelled = projects.filter(labelled_on__isnull=False)
        assert labelled.exists()
        for project in labelled:
            decision = project.submissions.filter(decision=Submission.Decision.LABELLED)
            assert decision.exists()
        moves = StateChange.objects.filter(project__in=projects)
        assert moves.filter(to_state=State.SUBMITTED).count() == submitted.count()
        assert Submission.objects.filter(
            project__in=projects, decision=Submission.Decision.PENDING
        ).exists()
        assert ExpertAssignment.objects.filter(project__in=projects).exists()

    def test_money_adds_up(self, ids):
        lines = FundingLine.objects.filter(project__in=generated_projects())
        assert lines.count() >= 60 * 3
        statuses = set(lines.values_list("status", flat=True))
        assert {FundingLine.Status.GRANTED, FundingLine.Status.REFUSED} <= statuses
        over = lines.annotate(paid=Sum("disbursements__amount")).filter(
            paid__gt=F("amount_granted") - F("amount_cancelled")
        )
        assert not over.exists()
        assert not lines.annotate(back=Sum("repayments__amount")).filter(
            back__gt=F("amount_granted")
        )
        assert not Disbursement.objects.filter(
            line__in=lines, scheduled_date__lt=F("line__decision_date")
        ).exists()
        assert Disbursement.objects.filter(line__in=lines).count() >= lines.count()
        assert (
            lines.filter(status__in=FundingLine.DECIDED, amount_granted__isnull=True).count() == 0
        )
        assert PrivateRound.objects.filter(partner__project__in=generated_projects()).exists()

    def test_rows_pass_the_models_validation(self, ids):
        projects = generated_projects()
        samples = [
            Organisation.objects.filter(website__endswith=DOMAIN),
            Person.objects.filter(email__endswith=DOMAIN),
            Affiliation.objects.filter(person__email__endswith=DOMAIN),
            Membership.objects.filter(pole__in=ids["pole_ids"]),
            PoleStaff.objects.filter(pole__in=ids["pole_ids"]),
            projects,
            Partner.objects.filter(project__in=projects),
            Contact.objects.filter(partner__project__in=projects),
            Submission.objects.filter(project__in=projects),
            ExpertAssignment.objects.filter(project__in=projects),
            FundingLine.objects.filter(project__in=projects),
            Disbursement.objects.filter(line__project__in=projects),
            Repayment.objects.filter(line__project__in=projects),
            PrivateRound.objects.filter(partner__project__in=projects),
            MarketLaunch.objects.filter(project__in=projects),
            LaunchRevenue.objects.filter(launch__project__in=projects),
            Campaign.objects.filter(pole__in=ids["pole_ids"]),
            OutcomeReport.objects.filter(project__in=projects),
            PartnerFigures.objects.filter(report__project__in=projects),
        ]
        errors = []
        for queryset in samples:
            rows = list(queryset.order_by("pk")[:25])
            assert rows, queryset.model.__name__
            for row in rows:
                try:
                    row.full_clean()
                except ValidationError as error:
                    errors.append((queryset.model.__name__, row.pk, error.message_dict))
        assert errors == []

    def test_organisations_have_valid_identifiers_and_search_text(self, ids):
        organisations = Organisation.objects.filter(website__endswith=DOMAIN)
        french = organisations.filter(country="FR")
        for organisation in french:
            validate_siren(organisation.siren)
            validate_siret(organisation.siret)
            assert organisation.siret.startswith(organisation.siren)
        assert len(set(french.values_list("siren", flat=True))) == french.count()
        for o in organisations:
            assert o.name_key == normalise_name(o.legal_name)
            assert o.search_text == searchable(
                o.legal_name, o.keywords, o.competences, o.city, o.description
            )
        out = StringIO()
        call_command("rebuild_search_text", stdout=out)
        assert "0 organisation(s)" in out.getvalue()

    def test_permissions_are_the_rows_the_application_writes(self, ids):
        before = grants()
        assert any(name.startswith(f"pole:{ids['largest_pole']['id']}:") for name in before[2])
        call_command("rebuild_permissions", stdout=StringIO())
        assert grants() == before

    def test_staff_is_staff_of_the_largest_pole(self, ids):
        staff = Person.objects.get(email="staff@demo.example")
        largest = (
            Pole.objects.annotate(
                n=Count(
                    "submissions", filter=~Q(submissions__decision=Submission.Decision.WITHDRAWN)
                )
            )
            .order_by("-n", "pk")
            .first()
        )
        assert largest.pk == ids["largest_pole"]["id"]
        assert PoleStaff.objects.filter(pole=largest, person=staff).exists()
        assert staff.groups.filter(name=f"pole:{largest.pk}:staff").exists()

    def test_leader_is_a_partner_in_five_more_projects(self, ids):
        leader = Person.objects.get(email="leader@demo.example")
        theirs = Contact.objects.filter(
            person=leader, partner__project__in=generated_projects()
        ).select_related("partner__project")
        assert theirs.count() == 5
        assert {c.role for c in theirs} == {Contact.Role.PARTNER_CONTACT}
        assert {c.partner.project_id for c in theirs} == set(ids["leader"]["scale_projects"])
        for contact in theirs:
            assert permissions.may_view_confidential(leader, contact.partner.project)
            assert permissions.may_change_partner(leader, contact.partner)

    def test_a_member_of_five_projects(self, ids):
        member = Person.objects.get(email=ids["member"]["email"])
        projects = Project.objects.filter(partners__contact_rows__person=member).distinct()
        assert projects.count() == 5
        assert set(permissions.projects_with(member, permissions.VIEW)) == set(projects)

    def test_staff_sees_the_poles_projects_in_the_list(self, client, ids):
        staff = Person.objects.get(email="staff@demo.example")
        pole = ids["largest_pole"]["id"]
        submitted = Project.objects.filter(submissions__pole=pole).exclude(
            submissions__decision=Submission.Decision.WITHDRAWN
        )
        # Unlabelled: only the pole's grant shows it.
        pending = submitted.filter(labelled_on__isnull=True).order_by("pk").first()
        client.force_login(staff)

        response = client.get(reverse("project_list"), {"pole": pole})

        assert response.status_code == 200
        assert response.context["page"].paginator.count >= submitted.distinct().count()
        response = client.get(reverse("project_list"), {"pole": pole, "q": pending.acronym})
        assert pending in response.context["page"].object_list
        client.force_login(Person.objects.get(email="outsider@demo.example"))
        response = client.get(reverse("project_list"), {"q": pending.acronym})
        assert pending not in response.context["page"].object_list

    def test_the_detail_page_of_the_largest_consortium(self, client, ids):
        client.force_login(Person.objects.get(email="staff@demo.example"))
        project = Project.objects.get(pk=ids["detail_project"]["id"])

        response = client.get(project.get_absolute_url())

        assert response.status_code == 200
        for partner in project.partners.select_related("organisation"):
            assert partner.organisation.legal_name in response.content.decode()

    def test_the_directory_finds_a_generated_member(self, client, ids):
        organisation = (
            Organisation.objects.filter(
                website__endswith=DOMAIN,
                directory_consent=True,
                memberships__status=Membership.Status.CURRENT,
            )
            .order_by("pk")
            .first()
        )
        word = searchable(organisation.legal_name).split()[0]
        client.force_login(Person.objects.get(email="outsider@demo.example"))

        response = client.get(reverse("directory"), {"q": word})

        assert response.status_code == 200
        assert response.context["page"].paginator.count >= 1
        names = {o.legal_name for o in response.context["page"].paginator.object_list}
        assert organisation.legal_name in names

    def test_the_application_adds_to_the_seeded_data(self, ids):
        """The pks the seed gave leave room for the next ones (PostgreSQL's sequences)."""
        member = Person.objects.get(email=ids["member"]["email"])

        project = services.create_project(
            by=member, coordinator=member.organisations.first(), acronym="AFTER", title="After"
        )

        assert permissions.may_change(member, project)
        assert project.pk > ids["detail_project"]["id"]

    def test_it_refuses_to_seed_twice(self, ids, settings, tmp_path):
        settings.DEBUG = True
        with pytest.raises(CommandError, match="already seeded"):
            seed_scale(tmp_path, projects=10)


def snapshot():
    """A few tables by their natural keys (never pks, which a database may not reuse)."""
    return {
        "organisations": list(
            Organisation.objects.filter(website__endswith=DOMAIN)
            .order_by("siren", "legal_name")
            .values_list("legal_name", "siren", "siret", "category", "city", "headcount")
        ),
        "people": list(
            Person.objects.filter(email__endswith=DOMAIN)
            .order_by("email")
            .values_list("email", "first_name", "last_name")
        ),
        "projects": list(
            generated_projects()
            .order_by("acronym")
            .values_list("acronym", "title", "state", "start_date", "end_date", "labelled_on")
        ),
        "partners": list(
            Partner.objects.filter(project__in=generated_projects())
            .order_by("project__acronym", "organisation__legal_name")
            .values_list("project__acronym", "organisation__legal_name", "role", "budget")
        ),
        "lines": list(
            FundingLine.objects.filter(project__in=generated_projects())
            .order_by("project__acronym", "partner__organisation__legal_name", "programme__name")
            .values_list(
                "project__acronym",
                "partner__organisation__legal_name",
                "programme__name",
                "status",
                "amount_requested",
                "amount_granted",
            )
        ),
        "disbursements": list(
            Disbursement.objects.filter(line__project__in=generated_projects())
            .order_by("reference")
            .values_list("reference", "amount", "scheduled_date", "paid_date")
        ),
        "reports": list(
            OutcomeReport.objects.filter(project__in=generated_projects())
            .order_by("project__acronym", "campaign__pole__name")
            .values_list("project__acronym", "campaign__pole__name", "state", "submitted_figures")
        ),
    }


def seeded_snapshot(tmp_path, **options):
    """The data ``seed_scale`` makes with ``options`` (sizes in proportion to the projects),
    undone after it is read."""
    with transaction.atomic():
        seed_scale(tmp_path, projects=30, **options)
        data = snapshot()
        transaction.set_rollback(True)
    return data


def test_the_same_seed_gives_the_same_data(demo, db, settings, tmp_path):
    settings.DEBUG = True

    first, again = seeded_snapshot(tmp_path), seeded_snapshot(tmp_path)
    other = seeded_snapshot(tmp_path, seed=7)

    assert first["projects"] and first["lines"] and first["reports"]
    assert first == again
    assert first["projects"] != other["projects"]


def test_it_refuses_to_run_with_debug_off(db, settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed_scale(tmp_path, projects=10)


def test_it_needs_the_demo(db, settings, tmp_path):
    settings.DEBUG = True
    # Whether the module's demo is seeded or not: people, but not the demo's.
    Person.objects.filter(email="staff@demo.example").delete()
    Person.objects.create_user("someone@example.com", "x")
    with pytest.raises(CommandError, match="seed_demo"):
        seed_scale(tmp_path, projects=10)
