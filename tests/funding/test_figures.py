"""The funding figures against a small fixed data set whose every figure was computed by hand.

Two poles; pole A runs P1 (theme Hydrogène) and P2 (theme Batteries), pole B runs P3 (theme
Textile) and P4. The lines (requested / granted / cancelled, paid tranches):

P1  L1 MicroTech (micro)   Bpifrance i-Nov (grant)            200 000 / 150 000 granted 2024 — paid 60 000
    L2 Labo (research)     Région Pack Ambition (grant)       100 000 /  80 000 granted 2025, 10 000 cancelled — paid 30 000
    L3 ETI Groupe (midcap) Bpifrance PSPC (repayable advance) 300 000 / 250 000 closed 2024 — paid 100 000 + 150 000
    L4 MicroTech (micro)   Seed Fund (VC, equity)             500 000 / 400 000 granted 2025 — paid 400 000
    round: MicroTech 1 000 000 (2025)
P2  L5 PME (sme)           EU Horizon Europe RIA (grant)      600 000 refused 2025
    L6 PME (sme)           Bpifrance i-Nov                    120 000 applied (no decision)
    L7 Grand Groupe (large) Région Pack Ambition              50 000 planned
    L8 Grand Groupe (large) Banque Prêt innovation (loan)     200 000 / 200 000 granted 2025 — nothing paid
    round: PME 300 000 (2024)
P3  L9 ETI Groupe (midcap) Bpifrance i-Nov                  1 000 000 / 900 000 granted 2024 — paid 500 000
    round: ETI Groupe 5 000 000 (2024)
P4  L10 Labo (research)    EU Horizon Europe RIA             700 000 / 700 000 granted 2025
"""

import copy
import datetime
from decimal import Decimal

import pytest

from funding import figures
from funding.models import Disbursement, Funder, PrivateRound, Programme
from funding.permissions import figure_projects
from funding.services import add_reviewer, record_funding_line
from portal.models import Organisation, Pole, Theme
from portal.services import add_pole_staff
from projects import services
from projects.models import Contact, Submission
from projects.permissions import sync_project

from ..factories import OrganisationFactory, PersonFactory
from ..shared import build_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _line(project, organisation, programme, requested, granted=None, status="applied", **extra):
    return record_funding_line(
        project=project,
        partner=project.partners.get(organisation=organisation),
        programme=programme,
        amount_requested=D(requested),
        amount_granted=None if granted is None else D(granted),
        status=status,
        **extra,
    )


def _paid(line, amount, on, scheduled=None):
    return Disbursement.objects.create(
        line=line, amount=D(amount), scheduled_date=scheduled or on, paid_date=on
    )


def _build_data():
    people = {
        key: PersonFactory(email=f"{key}@figures.test")
        for key in ["leader", "leader_b", "staff_a", "staff_b", "staff_ab", "bpi", "bank"]
    }
    pole_a = Pole.objects.create(name="Pôle Alpha", kind=Pole.Kind.COMPETITIVENESS)
    pole_b = Pole.objects.create(name="Pôle Beta", kind=Pole.Kind.CLUSTER)
    hydrogen = Theme.objects.create(pole=pole_a, name="Hydrogène")
    batteries = Theme.objects.create(pole=pole_a, name="Batteries")
    textile = Theme.objects.create(pole=pole_b, name="Textile")
    add_pole_staff(pole_a, people["staff_a"])
    add_pole_staff(pole_b, people["staff_b"])
    add_pole_staff(pole_a, people["staff_ab"])
    add_pole_staff(pole_b, people["staff_ab"])

    Category = Organisation.Category
    micro = OrganisationFactory(legal_name="MicroTech", category=Category.MICRO)
    sme = OrganisationFactory(legal_name="PME Industrie", category=Category.SME)
    midcap = OrganisationFactory(legal_name="ETI Groupe", category=Category.MIDCAP)
    large = OrganisationFactory(legal_name="Grand Groupe", category=Category.LARGE)
    lab = OrganisationFactory(legal_name="Labo Public", category=Category.RESEARCH)

    def project(acronym, pole, coordinator, others, theme, leader="leader"):
        p = services.create_project(
            by=people[leader],
            coordinator=coordinator,
            acronym=acronym,
            title=acronym,
            description=f"Confidential plan of {acronym}",
            themes=[theme] if theme else [],
        )
        for organisation in others:
            services.add_partner(p, organisation=organisation)
        services.submit_project(p, [pole], by=people[leader])
        return p

    p1 = project("P1", pole_a, micro, [lab, midcap], hydrogen)
    p2 = project("P2", pole_a, sme, [large], batteries)
    p3 = project("P3", pole_b, midcap, [], textile, leader="leader_b")
    p4 = project("P4", pole_b, lab, [], None, leader="leader_b")

    bpi = Funder.objects.create(name="Bpifrance", kind="public", category="bpifrance")
    region = Funder.objects.create(name="Région", kind="public", category="region")
    eu = Funder.objects.create(name="Union européenne", kind="public", category="eu")
    vc = Funder.objects.create(name="Seed Fund", kind="private", category="vc")
    bank = Funder.objects.create(name="Banque", kind="private", category="bank")
    add_reviewer(bpi, people["bpi"])
    add_reviewer(bank, people["bank"])
    Instrument = Programme.Instrument
    inov = Programme.objects.create(funder=bpi, name="i-Nov", instrument=Instrument.GRANT)
    pspc = Programme.objects.create(
        funder=bpi, name="PSPC-Régions", instrument=Instrument.REPAYABLE_ADVANCE
    )
    ambition = Programme.objects.create(
        funder=region, name="Pack Ambition", instrument=Instrument.GRANT
    )
    horizon = Programme.objects.create(
        funder=eu, name="Horizon Europe RIA", instrument=Instrument.GRANT
    )
    seed = Programme.objects.create(funder=vc, name="Seed", instrument=Instrument.EQUITY)
    loan = Programme.objects.create(funder=bank, name="Prêt innovation", instrument=Instrument.LOAN)

    y2024, y2025 = datetime.date(2024, 3, 15), datetime.date(2025, 2, 1)
    l1 = _line(p1, micro, inov, 200000, 150000, "granted", decision_date=y2024)
    _paid(l1, 60000, datetime.date(2024, 4, 1))
    upcoming = Disbursement.objects.create(
        line=l1, amount=D(40000), scheduled_date=TODAY + datetime.timedelta(days=30)
    )
    Disbursement.objects.create(  # beyond the 90 days: neither upcoming nor late
        line=l1, amount=D(10000), scheduled_date=TODAY + datetime.timedelta(days=200)
    )
    l2 = _line(
        p1, lab, ambition, 100000, 80000, "granted", decision_date=y2025, amount_cancelled=D(10000)
    )
    _paid(l2, 30000, datetime.date(2025, 3, 1))
    l3 = _line(p1, midcap, pspc, 300000, 250000, "closed", decision_date=datetime.date(2024, 6, 30))
    _paid(l3, 100000, datetime.date(2024, 7, 1))
    _paid(l3, 150000, datetime.date(2024, 12, 1))
    l4 = _line(p1, micro, seed, 500000, 400000, "granted", decision_date=datetime.date(2025, 5, 1))
    _paid(l4, 400000, datetime.date(2025, 5, 2))
    PrivateRound.objects.create(
        partner=p1.partners.get(organisation=micro), amount=D(1000000), closed_on=y2025
    )

    _line(p2, sme, horizon, 600000, None, "refused", decision_date=datetime.date(2025, 1, 10))
    _line(p2, sme, inov, 120000)
    _line(p2, large, ambition, 50000, None, "planned")
    l8 = _line(p2, large, loan, 200000, 200000, "granted", decision_date=datetime.date(2025, 3, 1))
    late = Disbursement.objects.create(
        line=l8, amount=D(100000), scheduled_date=TODAY - datetime.timedelta(days=10)
    )
    PrivateRound.objects.create(
        partner=p2.partners.get(organisation=sme),
        amount=D(300000),
        closed_on=datetime.date(2024, 11, 15),
        kind=PrivateRound.Kind.CONVERTIBLE,
    )

    l9 = _line(
        p3, midcap, inov, 1000000, 900000, "granted", decision_date=datetime.date(2024, 9, 1)
    )
    _paid(l9, 500000, datetime.date(2024, 10, 1))
    PrivateRound.objects.create(
        partner=p3.partners.get(), amount=D(5000000), closed_on=datetime.date(2024, 12, 1)
    )
    _line(p4, lab, horizon, 700000, 700000, "granted", decision_date=datetime.date(2025, 7, 1))

    return {
        "people": people,
        "poles": {"a": pole_a, "b": pole_b},
        "themes": {"hydrogen": hydrogen, "batteries": batteries, "textile": textile},
        "projects": {"p1": p1, "p2": p2, "p3": p3, "p4": p4},
        "tranches": {"upcoming": upcoming, "late": late},
    }


@pytest.fixture(scope="module", autouse=True)
def built_data(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(django_db_blocker, _build_data, language="en")


@pytest.fixture
def data(built_data, db):
    return copy.deepcopy(built_data)


def pole_a(data):
    return figure_projects(data["people"]["staff_a"], data["poles"]["a"])


def amounts(row, *keys):
    return tuple(
        row[k] for k in keys or ("requested", "granted", "cancelled", "disbursed", "remaining")
    )


def by_key(rows):
    return {row["key"]: amounts(row) for row in rows}


# --- Every figure of pole A, by hand -----------------------------------------------------------


def test_totals(data):
    totals = figures.totals(pole_a(data))
    assert amounts(totals) == (D(2020000), D(1080000), D(10000), D(740000), D(330000))
    assert totals["lines"] == 8
    assert totals["projects"] == 2


def test_by_year(data):
    rows = figures.by_year(pole_a(data))
    assert [row["label"] for row in rows] == ["2024", "2025", "No decision yet"]
    assert by_key(rows) == {
        2024: (D(500000), D(400000), D(0), D(310000), D(90000)),
        2025: (D(1400000), D(680000), D(10000), D(430000), D(240000)),
        None: (D(120000), D(0), D(0), D(0), D(0)),
    }


def test_by_source_public_first(data):
    rows = figures.by_source(pole_a(data))
    assert [(row["key"], row["kind"]) for row in rows] == [
        ("bpifrance", "public"),
        ("region", "public"),
        ("eu", "public"),
        ("vc", "private"),
        ("bank", "private"),
    ]
    assert by_key(rows) == {
        "bpifrance": (D(620000), D(400000), D(0), D(310000), D(90000)),
        "region": (D(100000), D(80000), D(10000), D(30000), D(40000)),
        "eu": (D(600000), D(0), D(0), D(0), D(0)),
        "vc": (D(500000), D(400000), D(0), D(400000), D(0)),
        "bank": (D(200000), D(200000), D(0), D(0), D(200000)),
    }


def test_by_kind(data):
    rows = figures.by_kind(pole_a(data))
    assert by_key(rows) == {
        "public": (D(1320000), D(480000), D(10000), D(340000), D(130000)),
        "private": (D(700000), D(600000), D(0), D(400000), D(200000)),
    }
    assert [row["key"] for row in rows] == ["public", "private"]


def test_by_instrument(data):
    rows = figures.by_instrument(pole_a(data))
    assert [row["key"] for row in rows] == ["grant", "repayable_advance", "loan", "equity"]
    assert {row["key"]: amounts(row, "requested", "granted", "disbursed") for row in rows} == {
        "grant": (D(1020000), D(230000), D(90000)),
        "repayable_advance": (D(300000), D(250000), D(250000)),
        "loan": (D(200000), D(200000), D(0)),
        "equity": (D(500000), D(400000), D(400000)),
    }


def test_by_theme(data):
    rows = figures.by_theme(pole_a(data), pole=data["poles"]["a"])
    assert [(row["label"], row["requested"], row["granted"]) for row in rows] == [
        ("Hydrogène", D(1100000), D(880000)),
        ("Batteries", D(920000), D(200000)),
    ]


def test_by_partner_category(data):
    rows = figures.by_partner_category(pole_a(data))
    assert [row["key"] for row in rows] == ["micro", "sme", "midcap", "large", "research"]
    assert {row["key"]: amounts(row, "requested", "granted", "disbursed") for row in rows} == {
        "micro": (D(700000), D(550000), D(460000)),
        "sme": (D(720000), D(0), D(0)),
        "midcap": (D(300000), D(250000), D(250000)),
        "large": (D(200000), D(200000), D(0)),
        "research": (D(100000), D(80000), D(30000)),
    }


def test_sme_share(data):
    # Public, net of cancellations: 150 000 (micro) + 70 000 (lab) + 250 000 (mid-cap).
    share = figures.sme_share(pole_a(data))
    assert share == {
        "public_granted": D(470000),
        "sme": D(150000),
        "midcap": D(250000),
        "sme_midcap": D(400000),
        "sme_percent": D("31.9"),
        "midcap_percent": D("53.2"),
        "sme_midcap_percent": D("85.1"),
    }


def test_leverage(data):
    # (400 000 VC + 200 000 bank + 1 000 000 + 300 000 rounds) / 470 000 public.
    lever = figures.leverage(pole_a(data))
    assert lever == {
        "public": D(470000),
        "private_lines": D(600000),
        "private_rounds": D(1300000),
        "private": D(1900000),
        "ratio": D("4.04"),
    }


def test_filters_year_category_theme(data):
    projects = pole_a(data)
    assert amounts(figures.totals(projects, year=2025), "requested", "granted") == (
        D(1400000),
        D(680000),
    )
    # 2025: public 70 000 (L2 net); private 400 000 + 200 000 + the 1 000 000 round.
    assert figures.leverage(projects, year=2025)["ratio"] == D("22.86")
    micro = figures.leverage(projects, category="micro")
    assert (micro["public"], micro["private"], micro["ratio"]) == (
        D(150000),
        D(1400000),
        D("9.33"),
    )
    batteries = figures.totals(projects, theme=data["themes"]["batteries"])
    assert amounts(batteries, "requested", "granted") == (D(920000), D(200000))
    assert figures.leverage(projects, theme=data["themes"]["batteries"])["private_rounds"] == D(
        300000
    )


def test_pole_b(data):
    projects = figure_projects(data["people"]["staff_b"], data["poles"]["b"])
    assert amounts(figures.totals(projects)) == (
        D(1700000),
        D(1600000),
        D(0),
        D(500000),
        D(1100000),
    )
    share = figures.sme_share(projects)
    assert (share["midcap"], share["midcap_percent"], share["sme_percent"]) == (
        D(900000),
        D("56.3"),
        D("0.0"),
    )
    assert figures.leverage(projects)["ratio"] == D("3.13")  # 5 000 000 / 1 600 000


def test_empty_set_gives_zeros_not_errors(data):
    nothing = figure_projects(PersonFactory())
    assert amounts(figures.totals(nothing)) == (D(0),) * 5
    assert figures.leverage(nothing)["ratio"] is None
    assert figures.sme_share(nothing)["sme_midcap_percent"] is None
    assert figures.by_year(nothing) == []
    assert [row["granted"] for row in figures.by_kind(nothing)] == [D(0), D(0)]


# --- What each person's figures count ---------------------------------------------------------


def test_staff_of_pole_a_never_counts_pole_b(data, client):
    staff = data["people"]["staff_a"]
    assert set(figure_projects(staff).values_list("acronym", flat=True)) == {"P1", "P2"}
    client.force_login(staff)
    html = client.get("/funding/").content.decode()
    assert "€2,020,000" in html
    for foreign in ["Textile", "900,000", "5,000,000", "1,700,000"]:
        assert foreign not in html
    api = client.get("/api/v1/funding/figures/").json()
    assert api["pole"] == data["poles"]["a"].pk
    assert api["totals"]["requested"] == "2020000.00"
    assert api["leverage"]["ratio"] == "4.04"
    assert client.get(f"/funding/?pole={data['poles']['b'].pk}").status_code == 404
    assert client.get(f"/api/v1/funding/figures/?pole={data['poles']['b'].pk}").status_code == 404
    # A theme of the other pole is not a choice.
    textile = data["themes"]["textile"].pk
    assert client.get(f"/api/v1/funding/figures/?theme={textile}").status_code == 400


def test_staff_of_both_poles_chooses(data, client):
    client.force_login(data["people"]["staff_ab"])
    html = client.get("/funding/").content.decode()
    assert "Funding of Pôle Alpha" in html
    assert 'name="pole"' in html
    api = client.get(f"/api/v1/funding/figures/?pole={data['poles']['b'].pk}").json()
    assert api["totals"]["granted"] == "1600000.00"
    assert api["sme_share"]["midcap_percent"] == "56.3"


def test_leader_counts_only_their_projects(data, client):
    client.force_login(data["people"]["leader"])
    api = client.get("/api/v1/funding/figures/").json()
    assert api["pole"] is None
    assert api["totals"]["requested"] == "2020000.00"  # P1 and P2, pole A's projects
    client.force_login(data["people"]["leader_b"])
    api = client.get("/api/v1/funding/figures/?year=2024").json()
    assert api["totals"]["granted"] == "900000.00"
    assert [row["key"] for row in api["by_year"]] == ["2024"]


def test_a_project_submitted_to_both_poles_counts_in_both(data, client):
    p4 = data["projects"]["p4"]
    Submission.objects.create(project=p4, pole=data["poles"]["a"])
    sync_project(p4)
    totals = figures.totals(pole_a(data))
    assert totals["projects"] == 3
    assert totals["granted"] == D(1780000)


def test_outsider_and_expert_see_no_money(data, client):
    expert = PersonFactory()
    services.assign_expert(data["projects"]["p1"], data["poles"]["a"], expert)
    for person in (expert, PersonFactory()):
        client.force_login(person)
        api = client.get("/api/v1/funding/figures/").json()
        assert api["totals"]["lines"] == 0
        assert api["leverage"]["private_rounds"] == "0.00"
        assert client.get("/funding/").status_code == 200


def test_invalid_filters(data, client):
    client.force_login(data["people"]["staff_a"])
    response = client.get("/api/v1/funding/figures/?year=soon&category=giant")
    assert response.status_code == 400
    assert set(response.json()) == {"year", "category"}
    page = client.get("/funding/?year=soon")
    assert page.status_code == 200
    assert "Enter a whole number." in page.content.decode()


# --- The portfolio of a funder --------------------------------------------------------------


def test_portfolio_lists_the_funders_lines_and_tranches(data, client):
    client.force_login(data["people"]["bpi"])
    assert client.get("/funding/").url == "/funding/portfolio/"
    response = client.get("/funding/portfolio/")
    html = response.content.decode()
    assert [line.project.acronym for line in response.context["page"]] == ["P1", "P1", "P2", "P3"]
    totals = response.context["totals"]
    assert amounts(totals) == (D(1620000), D(1300000), D(0), D(810000), D(490000))
    assert response.context["due"] == {
        "late_count": 0,
        "late_amount": D(0),
        "upcoming_count": 1,
        "upcoming_amount": D(40000),
    }
    assert [t.pk for t in response.context["upcoming"]] == [data["tranches"]["upcoming"].pk]
    assert "Seed" not in html and "Prêt innovation" not in html  # other funders' lines
    granted = client.get("/funding/portfolio/?status=granted", headers={"HX-Request": "true"})
    assert [line.amount_granted for line in granted.context["page"]] == [D(150000), D(900000)]
    assert "<html" not in granted.content.decode()


def test_portfolio_late_tranches(data, client):
    client.force_login(data["people"]["bank"])
    response = client.get("/funding/portfolio/")
    assert response.context["due"]["late_count"] == 1
    assert [t.pk for t in response.context["late"]] == [data["tranches"]["late"].pk]
    assert "100,000.00" in response.content.decode()


def test_portfolio_is_for_funder_reviewers_only(data, client):
    for key in ["leader", "staff_a"]:
        client.force_login(data["people"][key])
        assert client.get("/funding/portfolio/").status_code == 404


def test_navigation_links(data, client):
    client.force_login(data["people"]["staff_a"])
    html = client.get("/projects/").content.decode()
    assert 'href="/funding/"' in html and 'href="/funding/portfolio/"' not in html
    client.force_login(data["people"]["bpi"])
    html = client.get("/projects/").content.decode()
    assert 'href="/funding/portfolio/"' in html and 'href="/funding/"' not in html
    client.force_login(data["people"]["leader"])
    assert 'href="/funding/"' in client.get("/projects/").content.decode()
    client.force_login(PersonFactory())
    html = client.get("/projects/").content.decode()
    assert 'href="/funding/"' not in html


def test_contact_of_one_partner_sees_the_whole_project(data, client):
    """A member (a partner's contact) counts the project's lines, as on the project page."""
    member = PersonFactory()
    p3 = data["projects"]["p3"]
    services.add_contact(p3.partners.get(), member, Contact.Role.PARTNER_CONTACT)
    client.force_login(member)
    assert client.get("/api/v1/funding/figures/").json()["totals"]["granted"] == "900000.00"


def test_filters_rerender_the_figures_as_a_fragment(data, client):
    client.force_login(data["people"]["staff_a"])
    response = client.get("/funding/?year=2024", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="funding-figures"')
    assert "<html" not in html
    assert "€400,000" in html  # granted in 2024
    assert "€1,080,000" not in html  # the all-years total
    assert html.count("<svg") == 7 and html.count("<details") == 7


@pytest.mark.parametrize("filters", [{}, {"year": 2025}, {"category": "micro"}])
def test_the_dashboards_single_query_agrees_with_each_figure(data, filters):
    projects = pole_a(data)
    assert figures.headline(projects, **filters) == {
        "totals": figures.totals(projects, **filters),
        "sme_share": figures.sme_share(projects, **filters),
        "leverage": figures.leverage(projects, **filters),
    }


def test_a_funders_reviewer_has_no_dashboard_figures(data, client):
    """The other funders' lines of the projects they fund show to them as totals only: their
    figures are those of their portfolio."""
    client.force_login(data["people"]["bpi"])
    api = client.get("/api/v1/funding/figures/").json()
    assert api["totals"]["lines"] == 0
    assert api["by_source"] == []
