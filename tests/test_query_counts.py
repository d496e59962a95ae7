"""The number of SQL queries of each page does not grow with the data it shows."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from funding.models import Disbursement, PrivateRound
from funding.services import record_funding_line
from outcomes import services as outcome_services
from outcomes.models import Campaign
from portal.models import Organisation
from portal.services import create_organisation
from projects import services
from projects.models import Contact

from .factories import valid_siren
from .outcomes.world import build_outcomes
from .shared import build_once
from .world import build_world

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(2020, 1, 1)  # milestones overdue on the home pages
TODAY = datetime.date.today()


def _queries(client, url, **headers):
    client.get(url, headers=headers)  # warm the caches (content types…) a first request fills
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _grow(world, n=6):
    """More of everything each page lists: projects, partners, contacts, funding lines."""
    people, project = world["people"], world["projects"]["funded"]
    funder = project.funding_lines.first().funder
    for i in range(n):
        org = create_organisation(
            Organisation(
                legal_name=f"Growth {i}",
                siren=valid_siren(5000 + i),
                category="sme",
                region="ARA",
                directory_consent=True,
            ),
            admin=people["outsider"],
        )
        partner = services.add_partner(
            project,
            organisation=org,
            personnel_costs=Decimal("1000.00"),
            contacts=[(people["member"], Contact.Role.PARTNER_CONTACT)],
        )
        line = record_funding_line(
            project=project,
            partner=partner,
            funder=funder,
            programme="i-Nov",
            amount_requested=Decimal("10.00"),
        )
        # Tranches for the funder's portfolio (late and upcoming) and a round for the figures.
        for days in (-10, 10):
            Disbursement.objects.create(
                line=line, amount=Decimal("1.00"), scheduled_date=TODAY + datetime.timedelta(days)
            )
        PrivateRound.objects.create(partner=partner, amount=Decimal("5.00"), closed_on=TODAY)
        services.add_milestone(project, title=f"M{i}", due_date=LONG_AGO, partner=partner)
        services.add_document(
            project, by=people["member"], upload=SimpleUploadedFile(f"d{i}.pdf", b"%PDF-1.4 x")
        )
        extra = services.create_project(
            by=people["leader"],
            coordinator=world["organisations"]["leader"],
            acronym=f"X{i}",
            title="x",
        )
        services.submit_project(extra, [world["poles"]["own"]], by=people["leader"])
        _session_with_expert(world, extra, f"S{i}")
        services.add_milestone(extra, title=f"Late {i}", due_date=LONG_AGO)
        _more_reports(world, i)
        # More reports in the world's campaign, each with its partners' figures.
        outcome_services.add_report(world["extra"]["funded:campaign"], extra)
        _more_launches(world, partner, i)


def _outcomes(world):
    """A campaign asking the funded project for its report, and a launch: once, whoever asks."""
    if "funded:report" not in world.get("extra", {}):
        build_outcomes(world)
    return world


def _more_reports(world, i):
    """Another campaign asking the funded project, and the figures of its new partners."""
    _outcomes(world)
    campaign = Campaign.objects.create(
        pole=world["poles"]["own"], year=2000 + i, due_date=datetime.date(2027, 3, 31)
    )
    outcome_services.add_report(campaign, world["projects"]["funded"])
    outcome_services.ensure_figures(world["extra"]["funded:report"])


def _more_launches(world, partner, i):
    """A launch of a new partner, and one of the member's that also came from SUBMIT."""
    funded = world["projects"]["funded"]
    member = funded.partners.get(organisation=world["organisations"]["member"])
    for who, others in ((partner, []), (member, [world["projects"]["submitted"]])):
        outcome_services.record_launch(
            project=funded,
            partner=who,
            other_projects=others,
            name=f"Launch {i}",
            launch_date=datetime.date(2026, 7, 1),
            markets=["FR"],
            trl_reached=7,
            revenues={2026: Decimal("1.00"), 2027: Decimal("2.00")},
        )


def _one_milestone_and_document(world):
    project = world["projects"]["funded"]
    services.add_milestone(project, title="M0", due_date=LONG_AGO)
    services.add_document(
        project, by=world["people"]["leader"], upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4 x")
    )
    # A tranche and a private round too: the history names each kind of object it shows.
    line = project.funding_lines.first()
    Disbursement.objects.create(line=line, amount=Decimal("1.00"), scheduled_date=TODAY)
    PrivateRound.objects.create(partner=line.partner, amount=Decimal("5.00"), closed_on=TODAY)


def _session_with_expert(world, project, name):
    """A committee session with ``project`` on its agenda, and an expert asked about it."""
    pole = world["poles"]["own"]
    session = services.create_session(pole, name=name, date=LONG_AGO)
    services.schedule(project.submissions.get(pole=pole), session)
    services.assign_expert(project, pole, world["people"]["outsider"])


PAGES = [
    ("leader", "/"),
    ("staff", "/"),
    ("funder", "/"),
    ("leader", "/projects/"),
    ("staff", "/projects/"),
    ("member", "/projects/{funded}/"),
    ("leader", "/projects/{funded}/"),
    ("funder", "/projects/{funded}/"),
    ("outsider", "/directory/"),
    ("outsider", "/api/v1/directory/"),
    ("staff", "/matchmaking/"),
    # Memberships and fees (tests/portal/test_membership_queries.py grows their own data).
    ("leader", "/memberships/"),
    ("staff", "/poles/{pole}/applications/"),
    ("staff", "/poles/{pole}/members/"),
    ("staff", "/poles/{pole}/fees/"),
    ("staff", "/poles/{pole}/fee-calls/"),
    ("leader", "/api/v1/projects/"),
    ("member", "/api/v1/projects/{funded}/"),
    ("member", "/api/v1/partners/"),
    ("member", "/api/v1/contacts/"),
    ("leader", "/api/v1/invitations/"),
    ("outsider", "/api/v1/organisations/"),
    ("member", "/api/v1/milestones/"),
    ("member", "/api/v1/documents/"),
    ("leader", "/projects/{funded}/history/"),
    ("funder", "/api/v1/projects/{funded}/history/"),
    ("staff", "/notifications/"),
    ("member", "/account/"),
    ("member", "/account/erasure/"),
    ("staff", "/poles/{pole}/pipeline/"),
    ("staff", "/poles/{pole}/committees/"),
    ("staff", "/projects/{funded}/"),
    ("staff", "/api/v1/committee-sessions/"),
    ("staff", "/api/v1/submissions/"),
    ("staff", "/api/v1/expert-assignments/"),
    ("expert", "/api/v1/expert-assignments/"),
    ("staff", "/funding/"),
    ("leader", "/funding/?year=2026&category=sme"),
    ("funder", "/funding/portfolio/"),
    ("staff", "/api/v1/funding/figures/"),
    ("leader", "/projects/{funded}/funding/"),
    ("funder", "/projects/{funded}/funding/"),
    ("member", "/api/v1/funding-lines/"),
    ("funder", "/api/v1/disbursements/"),
    ("leader", "/api/v1/private-rounds/"),
    # Exports: the XLSX, built in the request (a CSV streams after the view returns).
    ("leader", "/projects/export.xlsx"),
    ("staff", "/funding/lines/export.xlsx"),
    ("leader", "/projects/{funded}/funding/export.xlsx"),
    ("funder", "/funding/portfolio/export.xlsx"),
    ("staff", "/funding/figures.xlsx"),
    # Outcome reports and campaigns (tests/outcomes/world.py; _grow adds campaigns, partners).
    ("staff", "/api/v1/campaigns/"),
    ("leader", "/api/v1/reports/"),
    ("staff", "/api/v1/reports/"),
    ("member", "/api/v1/reports/{report}/"),
    ("staff", "/campaigns/"),
    ("staff", "/campaigns/{campaign}/"),
    ("staff", "/campaigns/{campaign}/?state=not_started"),
    ("staff", "/campaigns/{campaign}/export.xlsx"),
    ("leader", "/reports/{report}/"),
    ("member", "/reports/{report}/"),
    ("funder", "/reports/{report}/"),
    # Market launches (_grow adds launches with revenue and other projects).
    ("member", "/launches/"),
    ("funder", "/launches/?kind=product&year=2026"),
    ("leader", "/launches/export.xlsx"),
    ("leader", "/api/v1/launches/"),
    ("staff", "/api/v1/launches/"),
    ("member", "/api/v1/launch-revenues/"),
    ("member", "/projects/{funded}/launches/"),
    # The project page's folded forms, on their pages (htmx asks the same views for the form).
    ("leader", "/projects/{funded}/funding/lines/"),
    ("funder", "/projects/{funded}/funding/lines/{line}/decision/"),
    ("member", "/projects/{funded}/launches/new/"),
    ("leader", "/projects/{funded}/partners/{partner}/contacts/"),
    # Impact figures (_grow adds projects submitted, partners, lines, rounds and launches).
    ("staff", "/impact/"),
    ("staff", "/impact/{pole}/2026/report/"),
    ("staff", "/api/v1/impact/"),
    ("national", "/impact/national/"),
    # PDFs and a partner's figures in a report.
    ("leader", "/projects/{funded}/summary.pdf"),
    ("funder", "/api/v1/projects/{funded}/summary/"),
    ("member", "/api/v1/report-figures/{figures}/"),
    # The audit trail (_grow's changes write entries of every kind, with references).
    ("staff", "/audit/"),
    ("staff", "/audit/?project={funded}"),
    ("staff", "/audit/export.csv"),
]


def _person(world, role):
    """The world's person of ``role``; "national": the staff, given the national view."""
    if role != "national":
        return world["people"][role]
    person = world["people"]["staff"]
    person.user_permissions.add(Permission.objects.get(codename="view_national_impact"))
    return person


# The htmx fragment of the project list: as cheap after the growth as before, not one less.
FRAGMENT = ("staff", "/projects/?state=submitted")
HTMX = {"HX_Request": "true"}


def _url(world, path):
    funded = world["projects"]["funded"]
    return path.format(
        funded=funded.pk,
        line=funded.funding_lines.order_by("pk").first().pk,  # the member's, the funder's
        partner=funded.partners.get(organisation=world["organisations"]["member"]).pk,
        pole=world["poles"]["own"].pk,
        report=world["extra"]["funded:report"].pk,
        campaign=world["extra"]["funded:campaign"].pk,
        figures=world["extra"]["funded:member_figures"].pk,
    )


def _before_and_grow():
    """The world with one of each thing a page lists, each page's query count on it, then
    the world grown. Each page is measured in a savepoint rolled back after it, by a client
    of its own, so that it sees the world exactly as built, whatever the other pages wrote
    (the national view's permission included)."""
    world = _outcomes(build_world())
    _one_milestone_and_document(world)  # an empty list page skips its query: start with one
    _session_with_expert(world, world["projects"]["submitted"], "S")
    before = {}
    for (role, path), headers in [*((page, {}) for page in PAGES), (FRAGMENT, HTMX)]:
        key = (role, path, bool(headers))
        try:
            with transaction.atomic():
                client = Client()
                client.force_login(_person(world, role))
                before[key] = _queries(client, _url(world, path), **headers)
                transaction.set_rollback(True)
        except Exception as error:  # raised again by the page's own test
            before[key] = error
        finally:
            translation.deactivate()  # a request leaves its language active on the thread
    _grow(world)
    return world, before


@pytest.fixture(scope="module", autouse=True)
def grown(django_db_setup, django_db_blocker):
    """Built, measured and grown once for the module: the pages' tests only read it (each in
    a savepoint, see ``tests/shared.py``), so it need not be built again for each page."""
    yield from build_once(django_db_blocker, _before_and_grow)


def _before(grown, role, path, htmx=False):
    world, before = grown
    count = before[role, path, htmx]
    if isinstance(count, Exception):
        raise count  # the page failed on the world before it grew
    return count


@pytest.mark.parametrize("role,path", PAGES)
def test_query_count_does_not_grow_with_the_data(client, grown, role, path):
    before = _before(grown, role, path)
    world = grown[0]
    client.force_login(_person(world, role))  # in the test's savepoint, as before growing
    # Never more: the history preview may name fewer kinds of object once it holds only
    # the newest changes, so a page may need a query or two fewer, never one more.
    assert _queries(client, _url(world, path)) <= before


def test_htmx_fragment_of_the_project_list_is_as_cheap_as_the_page(client, grown):
    role, path = FRAGMENT
    before = _before(grown, role, path, htmx=True)
    client.force_login(grown[0]["people"][role])
    assert _queries(client, path, **HTMX) == before
