"""A small world with every role of DESIGN.md, built the way the application builds it.

Two consortia, two poles, two funders. The "own" objects belong to the leader's
consortium, submitted to the staff's pole, funded by the funder's funder, reviewed by
the expert; the "foreign" ones to another consortium, another pole, another funder.
"""

import datetime
from decimal import Decimal

from funding.models import Funder
from funding.services import add_reviewer, record_funding_line
from portal.models import Organisation, Person, Pole, Theme
from portal.services import add_pole_staff, create_organisation
from projects import services
from projects.models import Contact, State

from .factories import valid_siren

ROLES = ["leader", "member", "staff", "funder", "expert", "outsider"]
SECRET = "Confidential plan of {}"


def _person(key):
    return Person.objects.create_user(f"{key}@world.example", "demo", first_name=key.title())


def _organisation(name, admin, n, consent=True):
    return create_organisation(
        Organisation(
            legal_name=name,
            siren=valid_siren(900 + n),
            category=Organisation.Category.SME,
            region="ARA",
            directory_consent=consent,
        ),
        admin=admin,
    )


def _project(acronym, leader, coordinator, member_org=None, member=None, theme=None):
    project = services.create_project(
        by=leader,
        coordinator=coordinator,
        acronym=acronym,
        title=f"{acronym} project",
        public_summary=f"Public summary of {acronym}",
        description=SECRET.format(acronym),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 12, 31),
        themes=[theme] if theme else [],
    )
    if member_org:
        services.add_partner(
            project,
            organisation=member_org,
            personnel_costs=Decimal("120000.00"),
            contacts=[(member, Contact.Role.PARTNER_CONTACT)],
        )
    return project


def _label(project, pole, by):
    services.submit_project(project, [pole], by=by)
    submission = project.submissions.get(pole=pole)
    services.record_decision(submission, "labelled", by=by, committee="CL-1")
    return project


def build_world():
    people = {role: _person(role) for role in ROLES}
    other_leader = _person("other-leader")
    other_staff = _person("other-staff")
    other_reviewer = _person("other-reviewer")

    pole = Pole.objects.create(name="Pôle Own", kind=Pole.Kind.COMPETITIVENESS)
    other_pole = Pole.objects.create(name="Pôle Foreign", kind=Pole.Kind.CLUSTER)
    theme = Theme.objects.create(pole=pole, name="Hydrogène")
    add_pole_staff(pole, people["staff"])
    add_pole_staff(other_pole, other_staff)

    funder = Funder.objects.create(name="Bpifrance", kind="public", category="bpifrance")
    other_funder = Funder.objects.create(name="ANR", kind="public", category="anr")
    add_reviewer(funder, people["funder"])
    add_reviewer(other_funder, other_reviewer)

    leader_org = _organisation("Leader SAS", people["leader"], 1)
    member_org = _organisation("Member Lab", people["member"], 2, consent=False)
    other_org = _organisation("Foreign SA", other_leader, 3, consent=False)
    _organisation("Outsider SARL", people["outsider"], 4)

    draft = _project("DRAFT", people["leader"], leader_org, member_org, people["member"], theme)
    submitted = _project("SUBMIT", people["leader"], leader_org, member_org, people["member"])
    services.submit_project(submitted, [pole], by=people["leader"])
    services.assign_expert(submitted, pole, people["expert"])

    funded = _project("FUNDED", people["leader"], leader_org, member_org, people["member"])
    _label(funded, pole, people["staff"])
    record_funding_line(
        project=funded,
        partner=funded.partners.get(organisation=member_org),
        funder=funder,
        programme="i-Nov",
        amount_requested=Decimal("200000.00"),
        amount_granted=Decimal("150000.00"),
        status="granted",
        decision_date=datetime.date(2026, 2, 1),
    )

    foreign_draft = _project("FDRAFT", other_leader, other_org)
    foreign_labelled = _project("FLABEL", other_leader, other_org)
    _label(foreign_labelled, other_pole, other_staff)
    record_funding_line(
        project=foreign_labelled,
        partner=foreign_labelled.partners.get(),
        funder=other_funder,
        programme="ANR PRCE",
        amount_requested=Decimal("50000.00"),
    )
    services.change_state(foreign_labelled, State.FUNDING_SOUGHT, by=other_leader)

    projects = {
        "draft": draft,
        "submitted": submitted,
        "funded": funded,
        "foreign_draft": foreign_draft,
        "foreign_labelled": foreign_labelled,
    }
    return {
        "people": people,
        "projects": projects,
        "poles": {"own": pole, "foreign": other_pole},
        "organisations": {"leader": leader_org, "member": member_org, "foreign": other_org},
    }
