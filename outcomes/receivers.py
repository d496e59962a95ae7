"""What outcomes does when the consortium of a project changes (connected in ``apps.py``):
a partner who joins gets its figures to fill in the reports still open; one who leaves takes
its figures of those reports with it, and stays while a submitted report holds its figures.
Kept dashboard figures go stale when launches, campaigns or reports change."""

from . import services


def partner_joined(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.add_partner_figures(instance)


def partner_leaving(sender, partner, **kwargs):
    services.release_partner(partner)


def watch_figures():
    from portal.snapshots import watch

    from .models import Campaign, LaunchRevenue, MarketLaunch, OutcomeReport, PartnerFigures

    def report_pole(report):
        return Campaign.objects.filter(pk=report.campaign_id).values("pole_id")

    watch(MarketLaunch, projects=lambda launch: [launch.project_id], m2m=["other_projects"])
    watch(
        LaunchRevenue,
        projects=lambda row: MarketLaunch.objects.filter(pk=row.launch_id).values_list(
            "project_id", flat=True
        ),
    )
    watch(Campaign, poles=lambda campaign: [campaign.pole_id])
    watch(OutcomeReport, poles=report_pole)
    watch(
        PartnerFigures,
        poles=lambda row: Campaign.objects.filter(reports=row.report_id).values("pole_id"),
    )
