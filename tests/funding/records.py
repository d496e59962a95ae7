"""The funding record of ``tests.world`` grown for the funding tests: on FUNDED, the member's
Bpifrance i-Nov line (granted 150 000 € on 1 February 2026, the funder's), and an ANR line of
the coordinator (another funder's, with its own conditions)."""

import datetime
from decimal import Decimal

from funding.models import Funder, FundingLine, Programme
from funding.services import change_funding_line, programme_named, record_funding_line
from tests.world import build_world

DECIDED = datetime.date(2026, 2, 1)
ANR_CONDITIONS = "ANR only: report every six months"


def funding_world():
    world = build_world()
    funded = world["projects"]["funded"]
    bpi_line = funded.funding_lines.get()
    anr = Funder.objects.get(name="ANR")
    anr_line = record_funding_line(
        project=funded,
        partner=funded.partners.get(role="coordinator"),
        funder=anr,
        programme="ANR PRCE",
        amount_requested=Decimal("90000.00"),
        status=FundingLine.Status.APPLIED,
    )
    change_funding_line(
        anr_line,
        status=FundingLine.Status.GRANTED,
        amount_granted=Decimal("80000.00"),
        decision_date=DECIDED,
        conditions=ANR_CONDITIONS,
    )
    world["lines"] = {"bpi": bpi_line, "anr": anr_line}
    world["funders"] = {"bpi": bpi_line.funder, "anr": anr}
    return world


def advance_line(world, **fields):
    """A granted Bpifrance repayable advance of the member on FUNDED (100 000 €)."""
    funded = world["projects"]["funded"]
    programme = programme_named(
        world["funders"]["bpi"],
        "i-Nov — avance remboursable",
        Programme.Instrument.REPAYABLE_ADVANCE,
    )
    line = record_funding_line(
        project=funded,
        partner=funded.partners.get(organisation=world["organisations"]["member"]),
        programme=programme,
        amount_requested=Decimal("100000.00"),
        status=FundingLine.Status.APPLIED,
    )
    return change_funding_line(
        line,
        status=FundingLine.Status.GRANTED,
        amount_granted=Decimal("100000.00"),
        decision_date=DECIDED,
        **fields,
    )


def fresh(line):
    return FundingLine.objects.get(pk=line.pk)


def htmx(client):
    """Requests as htmx sends them from the page."""
    return {"headers": {"HX-Request": "true"}}
