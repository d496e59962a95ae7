from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = _("Funding")

    def ready(self):
        # Registers with the projects app, which imports none of funding: the funders'
        # grants, the funding record in the projects' history, the project page's section.
        from projects.views.projects import section_provider

        from . import cordis, history, permissions, views  # noqa: F401

        history.register()
        section_provider(views.section_context)
