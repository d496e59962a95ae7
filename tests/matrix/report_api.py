"""The rows of the permission matrix for outcome reports and campaigns in the API: the
consortium, the campaign's pole's staff and the project's funders read a report; the leaders
write it and submit it, each partner's contacts fill their own figures; the staff validate or
return it; campaigns are their pole's staff's. Experts and everyone else: nothing (404)."""

import datetime
from decimal import Decimal

from outcomes import services
from outcomes.models import Campaign

from ..outcomes.world import build_outcomes
from . import NF, OK

# fmt: off
#   (name, method, path template, object)                                                           leader member staff funder expert outsider
ROWS = [
    ("api reports", "get", "/api/v1/reports/", "all",                                                     OK, OK, OK, OK, OK, OK),
    ("api report", "get", "/api/v1/reports/{funded:report}/", "funded draft",                              OK, OK, OK, OK, NF, NF),
    ("api report", "get", "/api/v1/reports/{funded:submitted_report}/", "funded submitted",                OK, OK, OK, OK, NF, NF),
    ("api report", "get", "/api/v1/reports/{foreign_labelled:report}/", "foreign_labelled",                NF, NF, NF, NF, NF, NF),
    ("api report edit", "patch", "/api/v1/reports/{funded:report}/", "funded draft",                       OK, NF, NF, NF, NF, NF),
    ("api report edit", "patch", "/api/v1/reports/{foreign_labelled:report}/", "foreign_labelled",         NF, NF, NF, NF, NF, NF),
    ("api report submit", "post", "/api/v1/reports/{funded:filled_report}/submit/", "funded, filled",      OK, NF, NF, NF, NF, NF),
    ("api report validate", "post", "/api/v1/reports/{funded:submitted_report}/validate/", "funded submitted", NF, NF, OK, NF, NF, NF),
    ("api report return", "post", "/api/v1/reports/{funded:submitted_report}/return/", "funded submitted", NF, NF, OK, NF, NF, NF),
    ("api report validate", "post", "/api/v1/reports/{foreign_labelled:report}/validate/", "foreign_labelled", NF, NF, NF, NF, NF, NF),
    ("api figures", "get", "/api/v1/report-figures/{funded:member_figures}/", "member's partner",           OK, OK, OK, OK, NF, NF),
    ("api figures", "get", "/api/v1/report-figures/{foreign_labelled:figures}/", "foreign_labelled",       NF, NF, NF, NF, NF, NF),
    ("api figures edit", "patch", "/api/v1/report-figures/{funded:member_figures}/", "member's partner",   OK, OK, NF, NF, NF, NF),
    ("api figures edit", "patch", "/api/v1/report-figures/{funded:coordinator_figures}/", "coordinator",   OK, NF, NF, NF, NF, NF),
    ("api figures complete", "post", "/api/v1/report-figures/{funded:filled_member_figures}/complete/", "member's partner, filled", OK, OK, NF, NF, NF, NF),
    ("api campaigns", "get", "/api/v1/campaigns/", "all",                                                  OK, OK, OK, OK, OK, OK),
    ("api campaign", "get", "/api/v1/campaigns/{funded:campaign}/", "own pole",                            NF, NF, OK, NF, NF, NF),
    ("api campaign", "get", "/api/v1/campaigns/{foreign_labelled:campaign}/", "foreign pole",              NF, NF, NF, NF, NF, NF),
    ("api open campaign", "post", "/api/v1/campaigns/", "foreign pole",                                    NF, NF, NF, NF, NF, NF),
]
# fmt: on

BODIES = {
    "api report edit": {"narrative": "What the project brought."},
    "api report return": {"comments": "Jobs look high."},
    "api figures edit": {"revenue": "1234.50"},
    "api open campaign": {"pole": "{pole:foreign}", "year": "2030", "due_date": "2099-01-01"},
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


def _report(world, year):
    """The funded project's report in the own pole's campaign of ``year``, every figure and
    the narrative filled."""
    pole, staff, leader = world["poles"]["own"], world["people"]["staff"], world["people"]["leader"]
    campaign = Campaign.objects.filter(pole=pole, year=year).first()
    if campaign is None:
        campaign = Campaign(pole=pole, year=year, due_date=datetime.date(2027, 3, 31))
        campaign.full_clean()
        campaign.save()
    project = world["projects"]["funded"]
    report = campaign.reports.filter(project=project).first() or services.add_report(
        campaign, project, by=staff
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
    if "funded:filled_report" not in extra:  # tests/matrix/reports.py builds the same
        filled = _report(world, 2024)
        extra["funded:filled_report"] = filled
        extra["funded:filled_member_figures"] = filled.figures.get(
            partner__organisation=world["organisations"]["member"]
        )
    if "funded:submitted_report" not in extra:
        submitted = _report(world, 2023)
        if submitted.is_editable:
            services.submit_report(submitted, by=world["people"]["leader"])
        extra["funded:submitted_report"] = submitted
    extra.setdefault("foreign_labelled:figures", extra["foreign_labelled:report"].figures.get())
