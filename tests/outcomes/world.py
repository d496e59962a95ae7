"""Outcome objects on top of ``tests.world``: a campaign of each pole asking one project,
a launch of the funded project. Built the way the application builds them."""

import datetime
from decimal import Decimal

from outcomes import services
from outcomes.models import Campaign


def _campaign(pole, staff, year=2026):
    campaign = Campaign(pole=pole, year=year, due_date=datetime.date(2027, 3, 31), opened_by=staff)
    campaign.full_clean()
    campaign.save()
    return campaign


def build_outcomes(world):
    """Adds to ``world["extra"]``: funded:campaign, funded:report, funded:member_figures,
    funded:coordinator_figures, funded:launch, funded:revenue, foreign_labelled:report,
    foreign_labelled:campaign. The reports are drafts."""
    people, projects, poles = world["people"], world["projects"], world["poles"]
    extra = world.setdefault("extra", {})
    funded, foreign = projects["funded"], projects["foreign_labelled"]
    campaign = _campaign(poles["own"], people["staff"])
    report = services.add_report(campaign, funded, by=people["staff"])
    member_partner = funded.partners.get(organisation=world["organisations"]["member"])
    coordinator = funded.partners.get(role="coordinator")
    launch = services.record_launch(
        project=funded,
        partner=member_partner,
        name="Hydro-Cell 1",
        kind="product",
        launch_date=datetime.date(2026, 6, 1),
        markets=["FR", "DE"],
        trl_reached=8,
        revenues={2026: Decimal("40000.00")},
        by=people["member"],
    )
    foreign_campaign = Campaign.objects.create(
        pole=poles["foreign"], year=2026, due_date=datetime.date(2027, 3, 31)
    )
    extra.update(
        {
            "funded:campaign": campaign,
            "funded:report": report,
            "funded:member_figures": report.figures.get(partner=member_partner),
            "funded:coordinator_figures": report.figures.get(partner=coordinator),
            "funded:launch": launch,
            "funded:revenue": launch.revenues.get(),
            "foreign_labelled:campaign": foreign_campaign,
            "foreign_labelled:report": services.add_report(foreign_campaign, foreign),
        }
    )
    return world
