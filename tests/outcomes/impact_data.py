"""The impact figures' hand-made data set (see tests/outcomes/test_impact_figures.py for every
figure computed by hand from it)."""

import datetime
from decimal import Decimal

from funding.models import Funder, PrivateRound, Programme
from funding.services import record_funding_line
from outcomes import services as outcome_services
from outcomes.models import Campaign
from portal.models import Membership, Organisation, Pole, Theme
from portal.services import add_pole_staff
from projects import services
from projects.models import Submission

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory

D = Decimal
UTC = datetime.UTC
ZEROS = dict.fromkeys(
    [
        "revenue",
        "export_share",
        "jobs_created",
        "jobs_maintained",
        "patents_filed",
        "patents_granted",
        "publications",
        "follow_on_funding",
    ],
    0,
)


def figures_of(revenue, export, created, maintained, filed, granted, publications, follow_on):
    return {
        "revenue": D(revenue),
        "export_share": D(export),
        "jobs_created": D(created),
        "jobs_maintained": D(maintained),
        "patents_filed": filed,
        "patents_granted": granted,
        "publications": publications,
        "follow_on_funding": D(follow_on),
    }


def _campaign(pole, year):
    campaign = Campaign(pole=pole, year=year, due_date=datetime.date(year + 1, 3, 31))
    campaign.full_clean()
    campaign.save()
    return campaign


def report_of(campaign, project, by, figures=None, spin_offs=0, state="validated"):
    """A report of ``project`` filled with ``figures`` ({organisation: values}), then moved to
    ``state`` through the services."""
    report = outcome_services.add_report(campaign, project, by=by)
    for row in report.figures.select_related("partner__organisation"):
        values = (figures or {}).get(row.partner.organisation.legal_name, ZEROS)
        outcome_services.save_figures(row, by=by, **values)
    if state == "draft":
        return report
    outcome_services.save_report(report, by=by, narrative="What it brought.", spin_offs=spin_offs)
    outcome_services.submit_report(report, by=by)
    if state == "validated":
        outcome_services.validate_report(report, by=by)
    elif state == "returned":
        outcome_services.return_report(report, comments="Check the jobs.", by=by)
    report.refresh_from_db()
    return report


def build_impact_data():
    """The data set described in tests/outcomes/test_impact_figures.py; ``staff`` works for
    pole A, ``staff_b`` for pole B, ``leader`` leads every project."""
    leader, staff, staff_b = PersonFactory(), PersonFactory(), PersonFactory()
    pole_a = Pole.objects.create(name="Pôle Alpha", kind=Pole.Kind.COMPETITIVENESS)
    pole_b = Pole.objects.create(name="Pôle Beta", kind=Pole.Kind.CLUSTER)
    add_pole_staff(pole_a, staff)
    add_pole_staff(pole_b, staff_b)
    hydrogen = Theme.objects.create(pole=pole_a, name="Hydrogène")
    batteries = Theme.objects.create(pole=pole_a, name="Batteries")
    textile = Theme.objects.create(pole=pole_b, name="Textile")

    Category = Organisation.Category
    micro = OrganisationFactory(legal_name="MicroTech", category=Category.MICRO, region="ARA")
    sme = OrganisationFactory(legal_name="PME", category=Category.SME, region="BRE")
    eti = OrganisationFactory(legal_name="ETI", category=Category.MIDCAP, region="ARA")
    lab = OrganisationFactory(legal_name="Labo", category=Category.RESEARCH, region="IDF")
    large = OrganisationFactory(legal_name="Grand Groupe", category=Category.LARGE, region="IDF")

    Status = Membership.Status

    def member(organisation, pole, status, start=None, end=None):
        MembershipFactory(
            organisation=organisation,
            pole=pole,
            status=status,
            start_date=start and datetime.date(*start),
            end_date=end and datetime.date(*end),
        )

    member(micro, pole_a, Status.CURRENT, (2023, 1, 1), (2025, 12, 31))
    member(sme, pole_a, Status.NEW, (2025, 3, 1), (2025, 12, 31))
    member(lab, pole_a, Status.EXPIRED, (2020, 1, 1), (2024, 12, 31))
    member(eti, pole_a, Status.GRACE, (2022, 1, 1), (2024, 12, 31))
    member(large, pole_a, Status.APPLIED)
    member(eti, pole_b, Status.CURRENT, (2024, 1, 1), (2026, 12, 31))
    member(lab, pole_b, Status.REJECTED)

    def project(acronym, pole, coordinator, costs, others, theme, submitted, start):
        p = services.create_project(
            by=leader,
            coordinator=coordinator,
            acronym=acronym,
            title=acronym,
            themes=[theme] if theme else [],
            start_date=datetime.date(*start),
            end_date=datetime.date(2027, 12, 31),
        )
        services.change_partner(p.partners.get(), personnel_costs=D(costs))
        for organisation, amount in others:
            services.add_partner(p, organisation=organisation, personnel_costs=D(amount))
        services.submit_project(p, [pole], by=leader)
        Submission.objects.filter(project=p).update(
            submitted_at=datetime.datetime(*submitted, 12, tzinfo=UTC)
        )
        return p

    def decide(p, pole, decision, on):
        services.record_decision(
            Submission.objects.get(project=p, pole=pole),
            decision,
            by=staff,
            decided_on=datetime.date(*on),
        )

    p1 = project(
        "P1",
        pole_a,
        micro,
        400000,
        [(lab, 200000), (eti, 300000)],
        hydrogen,
        (2024, 2, 1),
        (2024, 4, 1),
    )
    decide(p1, pole_a, "labelled", (2024, 3, 15))
    p2 = project(
        "P2", pole_a, sme, 250000, [(large, 150000)], batteries, (2025, 1, 10), (2025, 4, 1)
    )
    decide(p2, pole_a, "labelled", (2025, 3, 1))
    p3 = project("P3", pole_a, eti, 100000, [(sme, 50000)], hydrogen, (2025, 4, 2), (2025, 6, 1))
    decide(p3, pole_a, "rejected", (2025, 5, 2))
    p4 = project("P4", pole_a, lab, 80000, [], None, (2025, 6, 3), (2025, 9, 1))
    p5 = project("P5", pole_b, eti, 500000, [(micro, 100000)], textile, (2024, 5, 4), (2024, 7, 1))
    decide(p5, pole_b, "labelled", (2024, 6, 1))

    bpi = Funder.objects.create(name="Bpifrance", kind="public", category="bpifrance")
    region = Funder.objects.create(name="Région", kind="public", category="region")
    eu = Funder.objects.create(name="Union européenne", kind="public", category="eu")
    vc = Funder.objects.create(name="Seed Fund", kind="private", category="vc")
    bank = Funder.objects.create(name="Banque", kind="private", category="bank")
    Instrument = Programme.Instrument
    inov = Programme.objects.create(funder=bpi, name="i-Nov", instrument=Instrument.GRANT)
    ambition = Programme.objects.create(funder=region, name="Ambition", instrument="grant")
    horizon = Programme.objects.create(funder=eu, name="Horizon", instrument=Instrument.GRANT)
    seed = Programme.objects.create(funder=vc, name="Seed", instrument=Instrument.EQUITY)
    loan = Programme.objects.create(funder=bank, name="Prêt", instrument=Instrument.LOAN)

    def line(
        p, organisation, programme, requested, granted=None, status="applied", on=None, **extra
    ):
        return record_funding_line(
            project=p,
            partner=p.partners.get(organisation=organisation),
            programme=programme,
            amount_requested=D(requested),
            amount_granted=None if granted is None else D(granted),
            status=status,
            decision_date=on and datetime.date(*on),
            **extra,
        )

    def private_round(p, organisation, amount, on):
        PrivateRound.objects.create(
            partner=p.partners.get(organisation=organisation),
            amount=D(amount),
            closed_on=datetime.date(*on),
        )

    line(p1, micro, inov, 200000, 150000, "granted", (2024, 6, 1))
    line(p1, lab, ambition, 100000, 80000, "granted", (2025, 2, 1), amount_cancelled=D(10000))
    line(p1, micro, seed, 500000, 400000, "granted", (2025, 5, 1))
    private_round(p1, micro, 1000000, (2025, 2, 1))
    line(p2, sme, horizon, 600000, None, "refused", (2025, 1, 10))
    line(p2, large, loan, 200000, 200000, "granted", (2025, 3, 1))
    private_round(p2, sme, 300000, (2025, 11, 15))
    line(p3, eti, inov, 100000)
    line(p5, eti, inov, 1000000, 900000, "granted", (2024, 9, 1))
    private_round(p5, eti, 5000000, (2024, 12, 1))

    def launch(p, organisation, name, kind, on, also=()):
        return outcome_services.record_launch(
            project=p,
            partner=p.partners.get(organisation=organisation),
            name=name,
            kind=kind,
            launch_date=datetime.date(*on),
            trl_reached=8,
            other_projects=also,
        )

    launch(p1, micro, "LA1", "product", (2025, 3, 1))
    launch(p2, sme, "LA2", "service", (2025, 9, 1))
    launch(p1, eti, "LA3", "process", (2024, 11, 1))
    launch(p3, eti, "LA4", "product", (2025, 10, 1))
    launch(p5, micro, "LA5", "licence", (2025, 5, 1), also=[p1])

    a2025, a2024 = _campaign(pole_a, 2025), _campaign(pole_a, 2024)
    b2024, b2025 = _campaign(pole_b, 2024), _campaign(pole_b, 2025)
    reports = {
        "r1": report_of(
            a2025,
            p1,
            leader,
            {
                "MicroTech": figures_of(100000, 20, "2.0", "3.0", 1, 0, 0, 50000),
                "Labo": figures_of(0, 0, "1.5", "0", 0, 0, 4, 0),
                "ETI": figures_of(300000, 60, "3.0", "5.0", 2, 1, 1, 0),
            },
            spin_offs=1,
        ),
        "r2": report_of(
            a2025, p2, leader, {"PME": figures_of(999999, 99, 9, 9, 9, 9, 9, 9)}, 5, "submitted"
        ),
        "r3": report_of(
            a2024,
            p1,
            leader,
            {
                "MicroTech": figures_of(40000, 0, "1.0", "1.0", 0, 0, 0, 0),
                "Labo": figures_of(0, 0, 0, 0, 0, 0, 2, 0),
                "ETI": figures_of(10000, 50, "0.5", "2.0", 1, 0, 0, 0),
            },
        ),
        "r4": report_of(
            a2024, p2, leader, {"PME": figures_of(888888, 88, 8, 8, 8, 8, 8, 8)}, 4, "returned"
        ),
        "r5": report_of(
            b2024,
            p5,
            leader,
            {"ETI": figures_of(1000000, 80, 10, 20, 3, 2, 0, 2000000)},
            spin_offs=2,
        ),
        "r6": report_of(b2025, p5, leader, {"ETI": figures_of(7, 7, 7, 7, 7, 7, 7, 7)}, 3, "draft"),
    }
    return {
        "poles": {"a": pole_a, "b": pole_b},
        "themes": {"hydrogen": hydrogen, "batteries": batteries, "textile": textile},
        "projects": {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5},
        "reports": reports,
        "people": {"leader": leader, "staff": staff, "staff_b": staff_b},
    }
