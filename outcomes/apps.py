from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self):
        # The project page's launches and outcome reports sections register with the projects
        # app, which imports none of outcomes.
        from projects.views.projects import section_provider

        from . import launch_views, permissions, report_views  # noqa: F401

        section_provider(launch_views.section_context)
        section_provider(report_views.section_context)
