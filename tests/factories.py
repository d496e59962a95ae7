"""Factories for every model, and helpers that build realistic objects through the services.

The factories write rows directly and grant NO permission. Whoever should see or change
something gets it the way the application grants it:

- projects: build them through ``projects.services`` (``create_project``, ``add_partner``,
  ``submit_project``, ``record_decision``…) or with ``project_with_consortium`` below; after
  creating ``Partner``/``Contact``/``Submission``/``ExpertAssignment``/``FundingLine`` rows
  with factories, call ``projects.permissions.sync_project(project)``;
- pole staff: ``portal.services.add_pole_staff`` or ``pole_staff`` below (a bare
  ``PoleStaffFactory`` row is not in the pole's staff group until
  ``portal.permissions.sync_pole_staff(pole)``);
- funder reviewers: ``funding.services.add_reviewer`` or ``funder_reviewer`` below (or
  ``funding.permissions.sync_funder(funder)`` after adding reviewers by hand).

Every person's password is "demo".
"""

import datetime
import itertools
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from funding.models import Funder, FundingLine, Programme
from funding.services import add_reviewer
from portal.models import (
    Affiliation,
    Membership,
    Organisation,
    Person,
    Pole,
    PoleStaff,
    Region,
    Theme,
)
from portal.services import add_pole_staff
from projects import services
from projects.models import (
    Contact,
    ExpertAssignment,
    Partner,
    Project,
    State,
    Submission,
)

LA_POSTE_SIREN = "356000000"


def _luhn_check_digit(payload):
    """The digit that makes ``payload`` + digit pass the Luhn check."""
    total = 0
    # Once the check digit is appended, the payload's last digit is the first one doubled.
    for position, char in enumerate(reversed(payload)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def valid_siren(n):
    """The ``n``-th of a series of distinct SIRENs with a correct check digit."""
    if not 0 <= n < 90_000_000:
        raise ValueError("n must be between 0 and 89 999 999")
    payload = f"{10_000_000 + n:08d}"
    return payload + _luhn_check_digit(payload)


def valid_siret(siren, n=1):
    """The SIRET of establishment ``n`` (its NIC is ``n`` and a check digit) of ``siren``.

    La Poste's establishments follow their own rule: the sum of the digits is a multiple of 5.
    """
    if not 0 <= n < 10_000:
        raise ValueError("n must be between 0 and 9 999")
    payload = f"{siren}{n:04d}"
    if siren == LA_POSTE_SIREN:
        return payload + str(-sum(int(c) for c in payload) % 5)
    return payload + _luhn_check_digit(payload)


# --- portal -------------------------------------------------------------------------------


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("demo")


class PoleFactory(DjangoModelFactory):
    class Meta:
        model = Pole

    name = factory.Sequence(lambda n: f"Pôle {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    kind = Pole.Kind.COMPETITIVENESS
    regions = factory.LazyFunction(lambda: [Region.AURA])
    label_start = datetime.date(2023, 1, 1)
    label_end = datetime.date(2026, 12, 31)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    pole = factory.SubFactory(PoleFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class PoleStaffFactory(DjangoModelFactory):
    """A bare row: see the module docstring, or use ``pole_staff``."""

    class Meta:
        model = PoleStaff

    pole = factory.SubFactory(PoleFactory)
    person = factory.SubFactory(PersonFactory)
    job_title = "chargé de mission"


class OrganisationFactory(DjangoModelFactory):
    """A French SME with a valid SIREN and head-office SIRET."""

    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Organisation {n} SAS")
    # Far from the small n that tests pass to valid_siren themselves (tests/world.py uses 900+).
    siren = factory.Sequence(lambda n: valid_siren(1_000_000 + n))
    siret = factory.LazyAttribute(lambda o: valid_siret(o.siren, 1) if o.siren else "")
    category = Organisation.Category.SME
    headcount = 42
    turnover = Decimal("3500000.00")
    region = Region.AURA
    country = "FR"
    city = "Lyon"
    naf_code = "62.01Z"
    directory_consent = True


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "ingénieure R&D"
    is_admin = False


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    pole = factory.SubFactory(PoleFactory)
    status = Membership.Status.CURRENT
    start_date = datetime.date(2024, 1, 1)
    end_date = datetime.date(2026, 12, 31)


# --- projects -----------------------------------------------------------------------------


class ProjectFactory(DjangoModelFactory):
    """A bare project row: no partner, no permission. See ``project_with_consortium``."""

    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PRJ{n}")
    title = factory.Sequence(lambda n: f"Collaborative project {n}")
    public_summary = "A public summary."
    description = "A confidential description."
    trl_start = 3
    trl_target = 6
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    state = State.DRAFT


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Partner.Role.PARTNER
    personnel_costs = Decimal("150000.00")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    person = factory.SubFactory(PersonFactory)
    role = Contact.Role.PARTNER_CONTACT


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = Submission

    project = factory.SubFactory(ProjectFactory, state=State.SUBMITTED)
    pole = factory.SubFactory(PoleFactory)
    decision = Submission.Decision.PENDING


class ExpertAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    project = factory.SubFactory(ProjectFactory, state=State.SUBMITTED)
    pole = factory.SubFactory(PoleFactory)
    expert = factory.SubFactory(PersonFactory)


# --- funding ------------------------------------------------------------------------------


class FunderFactory(DjangoModelFactory):
    """Its kind follows its category: ``FunderFactory(category="vc")`` is private."""

    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Funder {n}")
    category = Funder.Category.BPIFRANCE
    kind = factory.LazyAttribute(
        lambda o: (
            Funder.Kind.PUBLIC if o.category in Funder.PUBLIC_CATEGORIES else Funder.Kind.PRIVATE
        )
    )


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("funder", "name")

    funder = factory.SubFactory(FunderFactory)
    name = "i-Nov"
    instrument = Programme.Instrument.GRANT


class FundingLineFactory(DjangoModelFactory):
    """Pass ``partner=``: the line's project is the partner's."""

    class Meta:
        model = FundingLine

    partner = factory.SubFactory(PartnerFactory)
    project = factory.LazyAttribute(lambda o: o.partner.project)
    programme = factory.SubFactory(ProgrammeFactory)
    funder = factory.LazyAttribute(lambda o: o.programme.funder)
    amount_requested = Decimal("80000.00")
    status = FundingLine.Status.PLANNED


# --- realistic objects, built through the services ---------------------------------------


def pole_staff(pole=None, person=None):
    """A person working for ``pole`` (a new one if None), as the application records it."""
    pole = pole or PoleFactory()
    person = person or PersonFactory()
    add_pole_staff(pole, person)
    return person


def funder_reviewer(funder=None, person=None):
    """A person reviewing for ``funder`` (a new one if None), as the application records it."""
    funder = funder or FunderFactory()
    person = person or PersonFactory()
    add_reviewer(funder, person)
    return person


_acronyms = itertools.count(1)

# How project_with_consortium reaches each state from a draft: the shortest allowed path.
_TO_LABELLED = [State.SUBMITTED, State.LABELLED, State.FUNDING_SOUGHT]
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: [State.SUBMITTED],
    State.LABELLED: [State.SUBMITTED, State.LABELLED],
    State.REJECTED: [State.SUBMITTED, State.REJECTED],
    State.FUNDING_SOUGHT: _TO_LABELLED,
    State.NOT_FUNDED: [*_TO_LABELLED, State.NOT_FUNDED],
    State.FUNDED: [*_TO_LABELLED, State.FUNDED],
    State.RUNNING: [*_TO_LABELLED, State.FUNDED, State.RUNNING],
    State.COMPLETED: [*_TO_LABELLED, State.FUNDED, State.RUNNING, State.COMPLETED],
    State.CLOSED: [*_TO_LABELLED, State.FUNDED, State.RUNNING, State.COMPLETED, State.CLOSED],
    State.ABANDONED: [State.ABANDONED],
}


def project_with_consortium(leader=None, member=None, state=State.DRAFT, pole=None, **fields):
    """A project in ``state`` with two partners, driven there through the services.

    ``leader`` (a new person if None) is the coordinator's contact and ``created_by``;
    ``member`` (a new person if None) is the contact of a second partner. Both are admins of
    their organisation. From ``submitted`` on, the project is submitted to ``pole`` (a new one
    if None), whose staff (a new person if it has none) records the decision. Returns a fresh
    copy of the project, read from the database.
    """
    leader = leader or PersonFactory()
    member = member or PersonFactory()
    coordinator = AffiliationFactory(person=leader, is_admin=True).organisation
    partner_org = AffiliationFactory(person=member, is_admin=True).organisation
    fields = {
        "acronym": f"CONSO{next(_acronyms)}",
        "title": "A collaborative R&D project",
        "public_summary": "What the project does, for everyone.",
        "description": "How the project does it, for the consortium.",
        "start_date": datetime.date(2025, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
        **fields,
    }
    project = services.create_project(by=leader, coordinator=coordinator, **fields)
    services.change_partner(project.partners.get(), personnel_costs=Decimal("400000.00"))
    services.add_partner(
        project,
        organisation=partner_org,
        personnel_costs=Decimal("150000.00"),
        contacts=[(member, Contact.Role.PARTNER_CONTACT)],
    )
    path = PATHS[State(state)]
    if State.SUBMITTED in path:
        pole = pole or PoleFactory()
        staff = pole.staff.first() or pole_staff(pole)
    for step in path:
        if step == State.SUBMITTED:
            services.submit_project(project, [pole], by=leader)
        elif step in (State.LABELLED, State.REJECTED):
            services.record_decision(
                Submission.objects.get(project=project, pole=pole),
                Submission.Decision(step.value),
                by=staff,
                committee="Comité de labellisation",
            )
        else:
            services.change_state(project, step, by=leader)
    return Project.objects.get(pk=project.pk)
