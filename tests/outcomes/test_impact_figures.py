"""The impact figures against a small fixed data set whose every figure was computed by hand.

Two poles. Pole A (themes Hydrogène H, Batteries B), pole B (theme Textile T).
Organisations (category, region): MicroTech (micro, ARA), PME (sme, BRE), ETI (midcap, ARA),
Labo (research, IDF), Grand Groupe (large, IDF).

Memberships   A: MicroTech current 2023–2025, PME new 2025-03–2025, Labo expired 2020–2024,
                 ETI grace 2022–2024, Grand Groupe applied (no dates)
              B: ETI current 2024–2026, Labo rejected

Projects (submitted → decision; partners' eligible costs):
P1 (H) → A 2024-02, labelled 2024-03   MicroTech 400 000, Labo 200 000, ETI 300 000
       lines: MicroTech Bpifrance 150 000 granted 2024-06; Labo Région 80 000 granted 2025-02
       (10 000 cancelled); MicroTech Seed Fund (VC) 400 000 granted 2025-05;
       round MicroTech 1 000 000 (2025)
P2 (B) → A 2025-01, labelled 2025-03   PME 250 000, Grand Groupe 150 000
       lines: PME EU 600 000 refused 2025-01; Grand Groupe Banque (loan) 200 000 granted 2025-03;
       round PME 300 000 (2025)
P3 (H) → A 2025-04, rejected           ETI 100 000, PME 50 000; line ETI Bpifrance applied
P4 (—) → A 2025-06, pending            Labo 80 000
P5 (T) → B 2024-05, labelled 2024-06   ETI 500 000, MicroTech 100 000
       line ETI Bpifrance 900 000 granted 2024-09; round ETI 5 000 000 (2024)

Launches: LA1 P1 MicroTech product 2025-03; LA2 P2 PME service 2025-09; LA3 P1 ETI process
2024-11; LA4 P3 (not labelled) ETI product 2025-10; LA5 P5 MicroTech licence 2025-05, also
from P1 (it counts for pole B only: it belongs to P5).

Reports (revenue / export % / jobs created / maintained / patents filed / granted /
publications / follow-on; spin-offs):
R1 A-2025 P1 VALIDATED, spin-offs 1
   MicroTech 100 000 / 20 / 2.0 / 3.0 / 1 / 0 / 0 / 50 000
   Labo            0 /  0 / 1.5 / 0.0 / 0 / 0 / 4 / 0
   ETI       300 000 / 60 / 3.0 / 5.0 / 2 / 1 / 1 / 0
R2 A-2025 P2 submitted (does not count)     R4 A-2024 P2 returned (does not count)
R3 A-2024 P1 VALIDATED, spin-offs 0
   MicroTech  40 000 /  0 / 1.0 / 1.0 / 0 / 0 / 0 / 0
   Labo            0 /  0 / 0.0 / 0.0 / 0 / 0 / 2 / 0
   ETI        10 000 / 50 / 0.5 / 2.0 / 1 / 0 / 0 / 0
R5 B-2024 P5 VALIDATED, spin-offs 2
   ETI     1 000 000 / 80 / 10 / 20 / 3 / 2 / 0 / 2 000 000;  MicroTech all zeros
R6 B-2025 P5 draft (does not count)
"""

import copy
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outcomes import services as outcome_services
from outcomes.figures import ImpactFigures, impact
from outcomes.models import Campaign
from portal.models import Pole
from projects.models import Submission

from ..shared import build_once
from .impact_data import build_impact_data, figures_of, report_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal


@pytest.fixture(scope="module", autouse=True)
def built_data(django_db_setup, django_db_blocker):
    """Built once for the module (see ``tests/shared.py``)."""
    yield from build_once(django_db_blocker, build_impact_data, language="en")


@pytest.fixture
def data(built_data, db):
    return copy.deepcopy(built_data)


def pole_a(data, **filters):
    return impact([data["poles"]["a"]], **filters)


def by_key(rows, *names):
    return {row["key"]: tuple(row[name] for name in names) for row in rows}


def outcome(figures, name):
    value = figures["outcomes"][name]
    return value["value"], value["reports"]


# --- Pole A, every figure by hand ---------------------------------------------------------------


def test_members_current_today_and_in_a_year(data):
    members = pole_a(data)["members"]
    # Active today: MicroTech (current), PME (new), ETI (grace); not Labo (expired) nor the
    # application.
    assert members["total"] == 3
    assert by_key(members["by_category"], "members") == {
        "micro": (1,),
        "sme": (1,),
        "midcap": (1,),
    }
    assert [row["label"] for row in members["by_category"]] == [
        "micro-enterprise",
        "SME (PME)",
        "mid-cap (ETI)",
    ]
    # In 2024 by their dates: MicroTech, Labo, ETI; in 2025: MicroTech and PME.
    assert pole_a(data, year=2024)["members"]["total"] == 3
    assert by_key(pole_a(data, year=2025)["members"]["by_category"], "members") == {
        "micro": (1,),
        "sme": (1,),
    }


def test_projects_submitted_labelled_funded_and_conversion(data):
    assert pole_a(data)["projects"] == {
        "submitted": 4,
        "submitted_labelled": 2,
        "labelled": 2,
        "labelled_funded": 2,
        "funded": 2,
        "labelled_rate": D("50.0"),
        "funded_rate": D("100.0"),
    }
    # 2025: P2, P3, P4 submitted, of which P2 labelled; P2 labelled and funded (its bank loan);
    # P1's first grant was in 2024.
    assert pole_a(data, year=2025)["projects"] == {
        "submitted": 3,
        "submitted_labelled": 1,
        "labelled": 1,
        "labelled_funded": 1,
        "funded": 1,
        "labelled_rate": D("33.3"),
        "funded_rate": D("100.0"),
    }
    assert pole_a(data, year=2023)["projects"]["labelled_rate"] is None


def test_budget_of_the_labelled_projects(data):
    assert pole_a(data)["budget"] == D(1300000)  # P1 900 000 + P2 400 000; not P3, P4
    assert pole_a(data, year=2024)["budget"] == D(900000)
    assert pole_a(data, year=2025)["budget"] == D(400000)


def test_funding_leverage_and_sme_share(data):
    funding = pole_a(data)["funding"]
    # Public, net: 150 000 (Bpifrance) + 70 000 (Région). Private: 400 000 VC + 200 000 bank
    # + rounds 1 000 000 + 300 000.
    assert funding["leverage"] == {
        "public": D(220000),
        "private_lines": D(600000),
        "private_rounds": D(1300000),
        "private": D(1900000),
        "ratio": D("8.64"),
    }
    assert funding["sme_share"]["sme"] == D(150000)
    assert funding["sme_share"]["sme_percent"] == D("68.2")
    assert funding["sme_share"]["midcap_percent"] == D("0.0")
    assert by_key(funding["by_source"], "kind", "granted", "net") == {
        "bpifrance": ("public", D(150000), D(150000)),
        "region": ("public", D(80000), D(70000)),
        "eu": ("public", D(0), D(0)),
        "vc": ("private", D(400000), D(400000)),
        "bank": ("private", D(200000), D(200000)),
    }
    # P3's application to Bpifrance is not counted: P3 was not labelled.
    assert funding["by_source"][0]["requested"] == D(200000)
    assert pole_a(data, year=2025)["funding"]["leverage"]["ratio"] == D("27.14")


def test_launches_by_kind(data):
    launches = pole_a(data)["launches"]
    # LA1, LA2, LA3; not LA4 (P3 was rejected) nor LA5 (recorded on P5, pole B's, whose staff
    # alone see it, even though it also came from P1).
    assert launches["total"] == 3
    assert by_key(launches["by_kind"], "launches") == {
        "product": (1,),
        "service": (1,),
        "process": (1,),
        "licence": (0,),
    }
    assert pole_a(data, year=2025)["launches"]["total"] == 2


def test_outcomes_from_validated_reports_only(data):
    figures = pole_a(data)
    # R1 and R3; R2 (submitted) and R4 (returned) do not count.
    assert figures["outcomes"]["reports"] == 2
    assert outcome(figures, "revenue") == (D(450000), 2)
    # (20 000 + 180 000 + 0 + 5 000) / 450 000
    assert outcome(figures, "export_share") == (D("45.56"), 2)
    assert outcome(figures, "jobs_created") == (D("8.0"), 2)
    assert outcome(figures, "jobs_maintained") == (D("11.0"), 2)
    assert outcome(figures, "patents_filed") == (4, 2)
    assert outcome(figures, "patents_granted") == (1, 2)
    assert outcome(figures, "publications") == (7, 2)
    assert outcome(figures, "follow_on_funding") == (D(50000), 2)
    assert outcome(figures, "spin_offs") == (1, 2)

    in_2025 = pole_a(data, year=2025)
    assert in_2025["outcomes"]["reports"] == 1
    assert outcome(in_2025, "revenue") == (D(400000), 1)
    assert outcome(in_2025, "export_share") == (D("50.00"), 1)
    assert outcome(in_2025, "spin_offs") == (1, 1)


def test_a_report_counts_once_validated(data):
    r2 = data["reports"]["r2"]
    assert outcome(pole_a(data, year=2025), "revenue") == (D(400000), 1)
    outcome_services.validate_report(r2, by=data["people"]["staff"])
    figures = pole_a(data, year=2025)
    assert outcome(figures, "revenue") == (D(1399999), 2)
    assert outcome(figures, "spin_offs") == (6, 2)


def test_no_validated_report_gives_no_value_not_zero(data):
    figures = pole_a(data, theme=data["themes"]["batteries"])
    assert figures["outcomes"]["reports"] == 0
    assert outcome(figures, "revenue") == (None, 0)
    assert outcome(figures, "export_share") == (None, 0)
    assert outcome(figures, "spin_offs") == (None, 0)


# --- Filters ---------------------------------------------------------------------------------


def test_theme_filter(data):
    hydrogen = pole_a(data, theme=data["themes"]["hydrogen"])
    assert (hydrogen["projects"]["submitted"], hydrogen["projects"]["labelled"]) == (2, 1)
    assert hydrogen["budget"] == D(900000)
    assert hydrogen["funding"]["leverage"]["ratio"] == D("6.36")  # 1 400 000 / 220 000
    assert hydrogen["launches"]["total"] == 2  # LA1, LA3
    assert outcome(hydrogen, "revenue") == (D(450000), 2)
    assert hydrogen["members"]["total"] == 3  # members have no theme

    batteries = pole_a(data, theme=data["themes"]["batteries"])
    assert batteries["projects"]["funded"] == 1
    assert batteries["budget"] == D(400000)
    assert batteries["funding"]["leverage"]["private"] == D(500000)
    assert batteries["funding"]["leverage"]["ratio"] is None
    assert batteries["launches"]["total"] == 1


def test_region_filter(data):
    ara = pole_a(data, region="ARA")  # MicroTech and ETI
    assert ara["members"]["total"] == 2
    assert (ara["projects"]["submitted"], ara["projects"]["labelled"]) == (2, 1)  # P1, P3
    assert ara["budget"] == D(700000)
    assert ara["funding"]["leverage"]["public"] == D(150000)
    assert ara["funding"]["leverage"]["private"] == D(1400000)
    assert ara["launches"]["total"] == 2  # LA1, LA3
    assert outcome(ara, "revenue") == (D(450000), 2)
    assert outcome(ara, "jobs_created") == (D("6.5"), 2)
    assert outcome(ara, "publications") == (1, 2)
    assert outcome(ara, "spin_offs") == (1, 2)

    idf = pole_a(data, region="IDF")  # Labo and Grand Groupe
    assert idf["members"]["total"] == 0  # Labo expired, Grand Groupe applied
    assert pole_a(data, region="IDF", year=2024)["members"]["total"] == 1
    assert idf["projects"]["submitted"] == 3  # P1, P2, P4
    assert idf["budget"] == D(350000)
    assert idf["funding"]["leverage"]["ratio"] == D("2.86")  # 200 000 / 70 000
    assert idf["launches"]["total"] == 0
    assert outcome(idf, "revenue") == (D(0), 2)
    assert outcome(idf, "export_share") == (None, 0)


def test_category_filter(data):
    sme = pole_a(data, category="sme")
    assert sme["members"]["total"] == 1
    assert (sme["projects"]["submitted"], sme["projects"]["labelled"]) == (2, 1)  # P2, P3
    assert sme["budget"] == D(250000)
    assert sme["funding"]["leverage"]["private_rounds"] == D(300000)
    assert sme["launches"]["total"] == 1
    assert sme["outcomes"]["reports"] == 0

    research = pole_a(data, category="research")
    assert outcome(research, "publications") == (6, 2)
    assert outcome(research, "revenue") == (D(0), 2)


# --- Breakdowns ------------------------------------------------------------------------------

COLUMNS = ("members", "submitted", "labelled", "funded", "budget", "public", "private")
OUTCOME_COLUMNS = ("launches", "reports", "revenue", "jobs_created", "spin_offs")


def test_by_year(data):
    rows = pole_a(data, year=2025)["by_year"]  # a series: the year filter aside
    assert [row["label"] for row in rows] == ["2024", "2025"]
    assert by_key(rows, *COLUMNS) == {
        2024: (3, 1, 1, 1, D(900000), D(150000), D(0)),
        2025: (2, 3, 1, 1, D(400000), D(70000), D(1900000)),
    }
    assert by_key(rows, *OUTCOME_COLUMNS) == {
        2024: (1, 1, D(50000), D("1.5"), 0),
        2025: (2, 1, D(400000), D("6.5"), 1),
    }
    assert by_key(rows, "labelled_rate", "leverage") == {
        2024: (D("100.0"), D("0.00")),
        2025: (D("33.3"), D("27.14")),
    }


def test_by_theme(data):
    rows = pole_a(data)["by_theme"]
    assert [row["label"] for row in rows] == ["Batteries", "Hydrogène"]
    assert by_key(rows, *COLUMNS) == {
        data["themes"]["batteries"].pk: (None, 1, 1, 1, D(400000), D(0), D(500000)),
        data["themes"]["hydrogen"].pk: (None, 2, 1, 1, D(900000), D(220000), D(1400000)),
    }
    assert by_key(rows, *OUTCOME_COLUMNS) == {
        data["themes"]["batteries"].pk: (1, 0, D(0), D(0), 0),
        data["themes"]["hydrogen"].pk: (2, 2, D(450000), D("8.0"), 1),
    }
    filtered = pole_a(data, theme=data["themes"]["hydrogen"])["by_theme"]
    assert [row["label"] for row in filtered] == ["Hydrogène"]


def test_by_region(data):
    rows = pole_a(data)["by_region"]
    assert [row["key"] for row in rows] == ["ARA", "BRE", "IDF"]
    assert [row["label"] for row in rows] == [
        "Auvergne-Rhône-Alpes",
        "Bretagne",
        "Île-de-France",
    ]
    assert by_key(rows, *COLUMNS) == {
        "ARA": (2, 2, 1, 1, D(700000), D(150000), D(1400000)),
        "BRE": (1, 2, 1, 1, D(250000), D(0), D(300000)),
        "IDF": (0, 3, 2, 2, D(350000), D(70000), D(200000)),
    }
    assert by_key(rows, *OUTCOME_COLUMNS) == {
        "ARA": (2, 2, D(450000), D("6.5"), 1),
        "BRE": (1, 0, D(0), D(0), 0),
        "IDF": (0, 2, D(0), D("1.5"), 1),
    }
    assert [row["key"] for row in pole_a(data, region="BRE")["by_region"]] == ["BRE"]


def test_by_category(data):
    rows = pole_a(data)["by_category"]
    assert [row["key"] for row in rows] == ["micro", "sme", "midcap", "large", "research"]
    assert by_key(rows, *COLUMNS) == {
        "micro": (1, 1, 1, 1, D(400000), D(150000), D(1400000)),
        "sme": (1, 2, 1, 1, D(250000), D(0), D(300000)),
        "midcap": (1, 2, 1, 1, D(300000), D(0), D(0)),
        "large": (0, 1, 1, 1, D(150000), D(0), D(200000)),
        "research": (0, 2, 1, 1, D(200000), D(70000), D(0)),
    }
    assert by_key(rows, *OUTCOME_COLUMNS) == {
        "micro": (1, 2, D(140000), D("3.0"), 1),
        "sme": (1, 0, D(0), D(0), 0),
        "midcap": (1, 2, D(310000), D("3.5"), 1),
        "large": (0, 0, D(0), D(0), 0),
        "research": (0, 2, D(0), D("1.5"), 1),
    }


# --- The national view ---------------------------------------------------------------------------


def test_the_national_view_sums_the_poles(data):
    poles = [data["poles"]["a"], data["poles"]["b"]]
    national = impact(poles, per_pole=True)
    rows = {row["label"]: row for row in national["by_pole"]}
    assert list(rows) == ["Pôle Alpha", "Pôle Beta"]
    a, b = rows["Pôle Alpha"], rows["Pôle Beta"]
    assert tuple(b[name] for name in COLUMNS) == (1, 1, 1, 1, D(600000), D(900000), D(5000000))
    assert tuple(b[name] for name in OUTCOME_COLUMNS) == (1, 1, D(1000000), D(10), 2)
    assert tuple(a[name] for name in COLUMNS) == (3, 4, 2, 2, D(1300000), D(220000), D(1900000))
    # Projects, money, launches and reports add up across the poles...
    assert national["projects"]["submitted"] == a["submitted"] + b["submitted"] == 5
    assert national["projects"]["labelled"] == 3
    assert national["budget"] == a["budget"] + b["budget"] == D(1900000)
    assert national["funding"]["leverage"]["public"] == a["public"] + b["public"]
    assert national["funding"]["leverage"]["private"] == a["private"] + b["private"]
    assert national["outcomes"]["reports"] == 3
    assert outcome(national, "revenue") == (D(1450000), 3)
    assert outcome(national, "export_share") == (D("69.31"), 3)  # 1 005 000 / 1 450 000
    assert outcome(national, "spin_offs") == (3, 3)
    assert national["launches"]["total"] == a["launches"] + b["launches"] == 4
    # ...but an organisation member of both poles is one member.
    assert national["members"]["total"] == 3 and (a["members"], b["members"]) == (3, 1)
    # Themes of several poles say their pole.
    assert "Textile (Pôle Beta)" in [row["label"] for row in national["by_theme"]]


def test_a_co_labelled_project_reported_to_both_poles_counts_once(data):
    pole_a_, p5 = data["poles"]["a"], data["projects"]["p5"]
    Submission.objects.create(
        project=p5, pole=pole_a_, decision="labelled", decided_on=datetime.date(2024, 7, 1)
    )
    again = report_of(
        Campaign.objects.get(pole=pole_a_, year=2024),
        p5,
        data["people"]["leader"],
        {"ETI": figures_of(1000000, 80, 10, 20, 3, 2, 0, 2000000)},
        spin_offs=2,
    )
    assert again.state == "validated"
    national = impact([pole_a_, data["poles"]["b"]], per_pole=True)
    assert outcome(national, "revenue") == (D(1450000), 3)
    assert national["projects"]["labelled"] == 3
    assert national["budget"] == D(1900000)
    rows = {row["label"]: row for row in national["by_pole"]}
    assert rows["Pôle Alpha"]["revenue"] == D(1450000)  # P5 counts in A's row too
    assert rows["Pôle Alpha"]["labelled"] == 3


def test_empty_poles_give_zeros_not_errors(data):
    nobody = Pole.objects.create(name="Pôle Vide", kind=Pole.Kind.CLUSTER)
    figures = impact([nobody], year=2025, per_pole=True)
    assert figures["members"]["total"] == 0
    assert figures["projects"]["labelled_rate"] is None
    assert figures["budget"] == D(0)
    assert figures["funding"]["leverage"]["ratio"] is None
    assert figures["outcomes"]["reports"] == 0
    assert figures["by_year"] == [] and figures["by_theme"] == []
    assert [row["label"] for row in figures["by_pole"]] == ["Pôle Vide"]


def test_query_count_does_not_grow_with_poles(data):
    def queries(poles):
        with CaptureQueriesContext(connection) as context:
            ImpactFigures(poles).as_dict(per_pole=True)
        return len(context.captured_queries)

    one = queries([data["poles"]["a"]])
    assert queries([data["poles"]["a"], data["poles"]["b"]]) == one
