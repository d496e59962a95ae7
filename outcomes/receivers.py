"""What outcomes does when the consortium of a project changes (connected in ``apps.py``):
a partner who joins gets its figures to fill in the reports still open; one who leaves takes
its figures of those reports with it, and stays while a submitted report holds its figures."""

from . import services


def partner_joined(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.add_partner_figures(instance)


def partner_leaving(sender, partner, **kwargs):
    services.release_partner(partner)
