"""Benchmark of the project summary PDF (issue 6): a project of 12 partners and 40 funding
lines, rendered as its leader and as a funder's reviewer sees it. Not a test: it prints the
median and p95 render time of N renders (BENCH_RUNS, 20) and the PDF's size and pages.

    .venv/bin/python bench/summary_pdf.py

It builds its data in a throwaway SQLite database (the test suite's world, plus partners and
lines), so it needs nothing but the development install.
"""

import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
folder = tempfile.mkdtemp(prefix="grappe-summary-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["MEDIA_ROOT"] = folder
os.environ["EMAIL_URL"] = "locmem://"  # the invitations and notices of the build stay quiet

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 20))


def build():
    from funding.models import Funder
    from funding.services import programme_named, record_funding_line
    from portal.models import Organisation
    from portal.services import create_organisation
    from projects import services
    from tests.factories import valid_siren
    from tests.world import build_world

    world = build_world()
    project, leader = world["projects"]["funded"], world["people"]["leader"]
    for n in range(10):
        organisation = create_organisation(
            Organisation(
                legal_name=f"Partner {n + 1} SAS",
                siren=valid_siren(5000 + n),
                category="sme",
                region="ARA",
            ),
            admin=leader,
        )
        services.add_partner(project, organisation=organisation, personnel_costs=Decimal(90000))
    funders = list(Funder.objects.all())
    partners = list(project.partners.all())
    assert len(partners) == 12
    for n in range(40):
        funder = funders[n % len(funders)]
        record_funding_line(
            project=project,
            partner=partners[n % 12],
            programme=programme_named(funder, f"Programme {n // 12 + 1}"),
            amount_requested=Decimal("50000.00") + n,
            amount_granted=Decimal("40000.00") + n,
            status="granted",
            decision_date=datetime.date(2026, 2, 1),
        )
    assert project.funding_lines.count() == 41  # the world's line and these 40
    return world, project


def measure(user, project):
    from django.utils import translation

    from outcomes.summary import render_summary

    times, content = [], b""
    with translation.override("fr"):
        render_summary(user, project)  # warm-up: fonts, templates
        for _ in range(RUNS):
            start = time.perf_counter()
            content, _name = render_summary(user, project)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    pages = len(PdfReader(io.BytesIO(content)).pages)
    return statistics.median(times), p95, len(content), pages


def main():
    call_command("migrate", verbosity=0)
    world, project = build()
    print(f"Summary PDF of {project.acronym}: 12 partners, 41 funding lines, {RUNS} renders")
    print(f"{'reader':<10} {'median ms':>10} {'p95 ms':>8} {'size kB':>8} {'pages':>6}")
    for role in ("leader", "funder"):
        median, p95, size, pages = measure(world["people"][role], project)
        print(f"{role:<10} {median:>10.0f} {p95:>8.0f} {size / 1024:>8.0f} {pages:>6}")


if __name__ == "__main__":
    main()
