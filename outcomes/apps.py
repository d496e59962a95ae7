from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        # The project page's launches and outcome reports sections register with the projects
        # app, which imports none of outcomes; a partner's figures follow it in and out of
        # the consortium.
        from django.db.models.signals import post_save

        from projects.models import Partner
        from projects.signals import partner_leaving
        from projects.views.projects import section_provider

        from . import launch_views, permissions, receivers, report_views  # noqa: F401

        section_provider(launch_views.section_context)
        section_provider(report_views.section_context)
        receivers.watch_figures()
        post_save.connect(receivers.partner_joined, sender=Partner, dispatch_uid="outcomes")
        partner_leaving.connect(receivers.partner_leaving, sender=Partner, dispatch_uid="outcomes")
