"""The rows of the permission matrix for the pages of reporting campaigns and outcome reports:
campaigns are their pole's staff's; a report shows to its consortium, the campaign's pole's
staff and the project's funders; its leaders write it and submit it, each partner's contacts
fill their own partner's figures, the staff validate or return it. Experts and everyone else
find nothing (404), and another pole's report is nobody's here."""

import datetime
from decimal import Decimal

from outcomes import services
from outcomes.models import Campaign

from ..outcomes.world import build_outcomes
from . import NF, OK

FIGURES = "/reports/{funded:report}/figures/"
# fmt: off
#   (name, method, path template, object)                                                                leader member staff funder expert outsider
ROWS = [
    ("campaign list", "get", "/campaigns/", "own poles",                                                        NF, NF, OK, NF, NF, NF),
    ("campaign form", "get", "/campaigns/new/", "own poles",                                                    NF, NF, OK, NF, NF, NF),
    ("campaign open", "post", "/campaigns/new/", "own pole",                                                    NF, NF, OK, NF, NF, NF),
    ("campaign scope", "get", "/campaigns/new/scope/?pole={pole:own}&year=2025", "own pole",                    NF, NF, OK, NF, NF, NF),
    ("campaign", "get", "/campaigns/{funded:campaign}/", "own pole",                                            NF, NF, OK, NF, NF, NF),
    ("campaign", "get", "/campaigns/{funded:campaign}/?state=not_started", "own pole, filtered",                NF, NF, OK, NF, NF, NF),
    ("campaign", "get", "/campaigns/{foreign_labelled:campaign}/", "foreign pole",                              NF, NF, NF, NF, NF, NF),
    ("campaign export", "get", "/campaigns/{funded:campaign}/export.csv", "own pole",                           NF, NF, OK, NF, NF, NF),
    ("campaign export", "get", "/campaigns/{foreign_labelled:campaign}/export.xlsx", "foreign pole",             NF, NF, NF, NF, NF, NF),
    ("report page", "get", "/reports/{funded:report}/", "funded draft",                                         OK, OK, OK, OK, NF, NF),
    ("report page", "get", "/reports/{funded:submitted_report}/", "funded submitted",                           OK, OK, OK, OK, NF, NF),
    ("report page", "get", "/reports/{foreign_labelled:report}/", "foreign_labelled",                           NF, NF, NF, NF, NF, NF),
    ("report figures", "post", FIGURES + "{funded:member_figures}/", "member's partner",                         OK, OK, NF, NF, NF, NF),
    ("report figures", "post", FIGURES + "{funded:coordinator_figures}/", "coordinator",                        OK, NF, NF, NF, NF, NF),
    ("report figures", "post", FIGURES + "{foreign_labelled:figures}/", "another report's figures",             NF, NF, NF, NF, NF, NF),
    ("report figures", "post", "/reports/{foreign_labelled:report}/figures/{foreign_labelled:figures}/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("report complete", "post", "/reports/{funded:filled_report}/figures/{funded:filled_member_figures}/", "member's partner, filled", OK, OK, NF, NF, NF, NF),
    ("report narrative", "post", "/reports/{funded:report}/narrative/", "funded draft",                         OK, NF, NF, NF, NF, NF),
    ("report narrative", "post", "/reports/{foreign_labelled:report}/narrative/", "foreign_labelled",           NF, NF, NF, NF, NF, NF),
    ("report submit", "post", "/reports/{funded:filled_report}/submit/", "funded, filled",                      OK, NF, NF, NF, NF, NF),
    ("report submit", "post", "/reports/{foreign_labelled:report}/submit/", "foreign_labelled",                 NF, NF, NF, NF, NF, NF),
    ("report validate", "post", "/reports/{funded:submitted_report}/validate/", "funded submitted",             NF, NF, OK, NF, NF, NF),
    ("report validate", "post", "/reports/{foreign_labelled:report}/validate/", "foreign_labelled",             NF, NF, NF, NF, NF, NF),
    ("report return", "post", "/reports/{funded:submitted_report}/return/", "funded submitted",                 NF, NF, OK, NF, NF, NF),
    ("report return", "post", "/reports/{foreign_labelled:report}/return/", "foreign_labelled",                 NF, NF, NF, NF, NF, NF),
]
# fmt: on

FILLED = {
    "revenue": "1000",
    "export_share": "10",
    "jobs_created": "1",
    "jobs_maintained": "2",
    "patents_filed": "0",
    "patents_granted": "0",
    "publications": "1",
    "follow_on_funding": "0",
    "version": "1",
}
BODIES = {
    "campaign open": {
        "pole": "{pole:own}",
        "year": "2030",
        "due_date": "2099-01-01",
        "include_running": "on",
        "ended_within_years": "5",
    },
    "report figures": {"revenue": "1234.50", "version": "1"},
    # The builder saved the filled report's figures once: they are at version 2.
    "report complete": {**FILLED, "complete": "1", "version": "2"},
    "report narrative": {
        "narrative": "What the project brought.",
        "spin_offs": "0",
        "version": "1",
    },
    "report return": {"review_comments": "Jobs look high."},
}

COMPLETE = {
    "revenue": Decimal("1000.00"),
    "export_share": Decimal("10"),
    "jobs_created": Decimal("1"),
    "jobs_maintained": Decimal("2"),
    "patents_filed": 0,
    "patents_granted": 0,
    "publications": 1,
    "follow_on_funding": Decimal("0"),
}


def _filled_report(world, year):
    """The funded project's report in the own pole's campaign of ``year``, every figure and
    the narrative filled (saved once: each is at version 2). Reuses what another feature's
    builder made the same way."""
    pole, leader = world["poles"]["own"], world["people"]["leader"]
    campaign = Campaign.objects.filter(pole=pole, year=year).first()
    if campaign is None:
        campaign = Campaign(pole=pole, year=year, due_date=datetime.date(2027, 3, 31))
        campaign.full_clean()
        campaign.save()
    project = world["projects"]["funded"]
    report = campaign.reports.filter(project=project).first() or services.add_report(
        campaign, project, by=world["people"]["staff"]
    )
    if report.is_editable:
        for figures in report.figures.all():
            services.save_figures(figures, by=leader, **COMPLETE)
        services.save_report(report, by=leader, narrative="A pilot line.", spin_offs=0)
    return report


def build(world):
    """The outcome objects of ``tests/outcomes/world.py`` (once, whoever builds them first), a
    filled draft and a submitted report of the funded project in older campaigns."""
    if "funded:report" not in world.get("extra", {}):
        build_outcomes(world)
    extra = world["extra"]
    if "funded:filled_report" not in extra:
        filled = _filled_report(world, 2024)
        extra["funded:filled_report"] = filled
        extra["funded:filled_member_figures"] = filled.figures.get(
            partner__organisation=world["organisations"]["member"]
        )
    if "funded:submitted_report" not in extra:
        submitted = _filled_report(world, 2023)
        if submitted.is_editable:
            services.submit_report(submitted, by=world["people"]["leader"])
        extra["funded:submitted_report"] = submitted
    extra.setdefault("foreign_labelled:figures", extra["foreign_labelled:report"].figures.get())
